//! Cookie header parsing and `Set-Cookie`-style serialisation (RFC 6265).
//!
//! Parsing is lenient the way user agents are (§5.2): pairs are split on `;`,
//! a pair without `=` or with an empty name is skipped, surrounding white space
//! and one pair of double quotes are removed, and other cookies' junk never
//! stops the search. Writing is strict (§4.1.1): a name must be a token and a
//! value only cookie-octets, so a value can never inject an attribute.

/// Iterates over the `(name, value)` pairs of a `document.cookie` string.
pub fn pairs(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header.split(';').filter_map(|part| {
        let (name, value) = part.split_once('=')?;
        let name = name.trim_matches(|c: char| c == ' ' || c == '\t');
        if name.is_empty() {
            return None;
        }
        let mut value = value.trim_matches(|c: char| c == ' ' || c == '\t');
        if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
            value = &value[1..value.len() - 1];
        }
        Some((name, value))
    })
}

/// The value of the first cookie called `name`, if any.
pub fn get<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    pairs(header).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// True when `name` is an RFC 6265 cookie name (an RFC 2616 token).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
        })
}

/// True when every byte of `value` is a cookie-octet (no space, quote, comma,
/// semicolon, backslash or control character).
pub fn is_valid_value(value: &str) -> bool {
    value.len() <= 3072
        && value
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x2B).contains(&b) || (0x2D..=0x3A).contains(&b)
                || (0x3C..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
}

/// Why a cookie could not be serialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieError {
    /// The name is not a token.
    BadName(String),
    /// The value has characters outside cookie-octet.
    BadValue,
    /// The path has `;` or control characters.
    BadPath,
}

impl std::fmt::Display for CookieError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CookieError::BadName(n) => write!(f, "invalid cookie name {}", crate::core::errors::quoted(n)),
            CookieError::BadValue => f.write_str("invalid cookie value"),
            CookieError::BadPath => f.write_str("invalid cookie path"),
        }
    }
}

impl std::error::Error for CookieError {}

/// A cookie to write through `document.cookie`, always `SameSite=Lax`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    /// Cookie name (a token).
    pub name: String,
    /// Cookie value (cookie-octets only).
    pub value: String,
    /// `Path` attribute.
    pub path: String,
    /// `Max-Age` in seconds; 0 deletes the cookie.
    pub max_age_secs: u64,
    /// Adds `Secure` (set it on https pages).
    pub secure: bool,
}

impl SetCookie {
    /// A cookie that deletes `name` at `path`.
    pub fn delete(name: &str, path: &str, secure: bool) -> Self {
        SetCookie { name: name.into(), value: String::new(), path: path.into(), max_age_secs: 0, secure }
    }

    /// The string to assign to `document.cookie`, or why it is refused.
    pub fn serialize(&self) -> Result<String, CookieError> {
        if !is_valid_name(&self.name) {
            return Err(CookieError::BadName(self.name.clone()));
        }
        if !is_valid_value(&self.value) {
            return Err(CookieError::BadValue);
        }
        if !self.path.starts_with('/') || self.path.bytes().any(|b| b == b';' || b < 0x20 || b == 0x7F) {
            return Err(CookieError::BadPath);
        }
        let mut out = String::with_capacity(self.name.len() + self.value.len() + 48);
        out.push_str(&self.name);
        out.push('=');
        out.push_str(&self.value);
        out.push_str("; Path=");
        out.push_str(&self.path);
        out.push_str("; Max-Age=");
        out.push_str(&self.max_age_secs.to_string());
        out.push_str("; SameSite=Lax");
        if self.secure {
            out.push_str("; Secure");
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_value_among_junk() {
        let h = "a=1; junk; =nameless; lcw_sv=\"3.100\";  b = two ;lcw_sv=second";
        assert_eq!(get(h, "lcw_sv"), Some("3.100"));
        assert_eq!(get(h, "b"), Some("two"));
        assert_eq!(get(h, "junk"), None);
        assert_eq!(get("", "a"), None);
    }

    #[test]
    fn serialises_with_attributes() {
        let c = SetCookie { name: "lcw_sv".into(), value: "1.5".into(), path: "/".into(), max_age_secs: 60, secure: true };
        assert_eq!(c.serialize().unwrap(), "lcw_sv=1.5; Path=/; Max-Age=60; SameSite=Lax; Secure");
    }

    #[test]
    fn refuses_injection() {
        let mut c = SetCookie { name: "x".into(), value: "1; Domain=evil.com".into(), path: "/".into(), max_age_secs: 1, secure: false };
        assert_eq!(c.serialize(), Err(CookieError::BadValue));
        c.value = "ok".into();
        c.name = "a=b".into();
        assert!(matches!(c.serialize(), Err(CookieError::BadName(_))));
        c.name = "ok".into();
        c.path = "/; Secure".into();
        assert_eq!(c.serialize(), Err(CookieError::BadPath));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(h in ".{0,300}") {
            for (n, v) in pairs(&h) {
                prop_assert!(!n.is_empty());
                prop_assert!(!n.contains(';') && !v.contains(';'));
            }
        }

        #[test]
        fn written_cookie_reads_back(name in "[A-Za-z0-9_]{1,20}", value in "[!#-+\\--:<-\\[\\]-~]{0,40}",
                                     other in "[a-z]{1,5}=[^;]{0,10}") {
            let c = SetCookie { name: name.clone(), value: value.clone(), path: "/".into(), max_age_secs: 5, secure: false };
            let s = c.serialize().unwrap();
            let pair = s.split("; Path").next().unwrap();
            let header = format!("{other}; {pair}; zz=1");
            let expected = if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') { &value[1..value.len()-1] } else { &value[..] };
            if other.split('=').next() != Some(name.as_str()) {
                prop_assert_eq!(get(&header, &name), Some(expected));
            }
        }

        #[test]
        fn serialised_values_cannot_inject(value in ".{0,40}") {
            let c = SetCookie { name: "n".into(), value: value.clone(), path: "/".into(), max_age_secs: 5, secure: false };
            if let Ok(s) = c.serialize() {
                prop_assert_eq!(s.matches(';').count(), 3);
            }
        }
    }
}
