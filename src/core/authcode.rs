//! OAuth 2.0 authorization codes a page hands the SDK
//! (`setAuthorizationCode`, SPEC §4: CXone's third-party OAuth mode). The
//! chat server exchanges the code with the site's identity provider when
//! the next chat starts; the SDK only checks that what it forwards has the
//! shape RFC 6749 and RFC 7636 give it, so a bad value fails at the call
//! that gave it, not later at the server.

use crate::core::errors::quoted;

/// Longest code accepted. RFC 6749 leaves the length to the provider;
/// real codes are tens to a few hundred characters.
pub const MAX_CODE_CHARS: usize = 2048;

/// A code waiting for the next chat start, with its PKCE verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    /// The authorization code.
    pub code: String,
    /// The PKCE code verifier (RFC 7636), when the site's authorization
    /// request carried a code challenge.
    pub verifier: Option<String>,
}

/// Checks a code (RFC 6749 A.11: 1 or more visible ASCII characters or
/// spaces) and an optional verifier (RFC 7636 §4.1: 43 to 128 characters
/// of `A-Z a-z 0-9 - . _ ~`). The error says what is wrong.
pub fn validate(code: &str, verifier: Option<&str>) -> Result<AuthorizationCode, String> {
    if code.is_empty() {
        return Err("the authorization code is empty".into());
    }
    if code.len() > MAX_CODE_CHARS {
        return Err(format!("the authorization code is longer than {MAX_CODE_CHARS} characters"));
    }
    if let Some(c) = code.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(format!("the authorization code holds {}, which RFC 6749 does not allow (visible ASCII only)", quoted(&c.to_string())));
    }
    if let Some(v) = verifier {
        let n = v.chars().count();
        if !(43..=128).contains(&n) {
            return Err(format!("the code verifier has {n} characters; RFC 7636 wants 43 to 128"));
        }
        if let Some(c) = v.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~".contains(*c))) {
            return Err(format!("the code verifier holds {}; RFC 7636 allows A-Z a-z 0-9 - . _ ~", quoted(&c.to_string())));
        }
    }
    Ok(AuthorizationCode { code: code.to_string(), verifier: verifier.map(str::to_string) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_codes_and_verifiers_of_the_rfcs() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 appendix B, 43 chars
        assert_eq!(validate("SplxlOBeZQQYbYS6WxSbIA", Some(v)), Ok(AuthorizationCode { code: "SplxlOBeZQQYbYS6WxSbIA".into(), verifier: Some(v.into()) }));
        assert_eq!(validate("a b~!", None).map(|c| c.verifier), Ok(None));
        assert!(validate(&"x".repeat(MAX_CODE_CHARS), Some(&"~".repeat(128))).is_ok());
    }

    #[test]
    fn refuses_what_the_rfcs_refuse_and_says_why() {
        assert_eq!(validate("", None), Err("the authorization code is empty".into()));
        assert!(validate(&"x".repeat(MAX_CODE_CHARS + 1), None).unwrap_err().contains("longer than 2048"));
        assert!(validate("ab\ncd", None).unwrap_err().contains("\"\\n\""));
        assert!(validate("café", None).unwrap_err().contains("\"é\""));
        assert!(validate("c", Some(&"a".repeat(42))).unwrap_err().contains("has 42 characters"));
        assert!(validate("c", Some(&"a".repeat(129))).unwrap_err().contains("has 129 characters"));
        assert!(validate("c", Some(&format!("{}+", "a".repeat(42)))).unwrap_err().contains("\"+\""));
    }
}
