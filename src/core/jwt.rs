//! Client-side JWT checks: structure and time claims only.
//!
//! The client never verifies a signature (it has no key, and must not be
//! trusted to): the server does. What the client can catch early is a token
//! that is not a JWT at all, or that is expired or not yet valid, so that the
//! page gets error code 4 instead of a confusing server refusal.

use crate::core::json::{Error, FromJson, Obj, Value};

/// Longest token accepted (bytes).
pub const MAX_TOKEN_LEN: usize = 8192;
/// Default clock-skew leeway for `exp` and `nbf`, in seconds.
pub const DEFAULT_LEEWAY_SECS: u64 = 60;

/// Why a token was refused (all map to `lcw:error` code 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Empty, too long, not three dot-separated base64url parts, or an empty
    /// signature.
    Malformed(&'static str),
    /// Header or payload is not a JSON object of the expected shape.
    BadJson(&'static str),
    /// `exp` is in the past (beyond the leeway).
    Expired {
        /// The token's `exp`.
        exp: u64,
    },
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid {
        /// The token's `nbf`.
        nbf: u64,
    },
}

impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtError::Malformed(why) => write!(f, "malformed token: {why}"),
            JwtError::BadJson(why) => write!(f, "malformed token: {why}"),
            JwtError::Expired { exp } => write!(f, "token expired (exp {exp})"),
            JwtError::NotYetValid { nbf } => write!(f, "token not yet valid (nbf {nbf})"),
        }
    }
}

impl std::error::Error for JwtError {}

#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
struct Header {
    alg: String,
}

/// The claims the client looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct Claims {
    /// Expiry, seconds since the epoch.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "num_date"))]
    pub exp: Option<u64>,
    /// Not-before, seconds since the epoch.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "num_date"))]
    pub nbf: Option<u64>,
    /// Issued-at, seconds since the epoch.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "num_date"))]
    pub iat: Option<u64>,
    /// Subject (the customer id on the server).
    #[cfg_attr(feature = "serde", serde(default))]
    pub sub: Option<String>,
}

/// NumericDate: a JSON number, possibly fractional; negatives, NaN and
/// non-numbers are refused.
#[cfg(feature = "serde")]
fn num_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v: Option<f64> = serde::Deserialize::deserialize(d)?;
    match v {
        None => Ok(None),
        Some(x) if (0.0..1e13).contains(&x) => Ok(Some(x as u64)),
        Some(_) => Err(serde::de::Error::custom("NumericDate out of range")),
    }
}

impl FromJson for Header {
    fn from_json(v: Value) -> Result<Self, Error> {
        Ok(Header { alg: Obj::new(v, "struct Header")?.req("alg")? })
    }
}

impl FromJson for Claims {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut o = Obj::new(v, "struct Claims")?;
        Ok(Claims { exp: date(&mut o, "exp")?, nbf: date(&mut o, "nbf")?, iat: date(&mut o, "iat")?, sub: o.opt("sub")? })
    }
}

/// A NumericDate claim (seconds, possibly fractional): absent or `null` is
/// `None`; negative or beyond year 2286 is an error.
fn date(o: &mut Obj, name: &str) -> Result<Option<u64>, Error> {
    match o.get::<Option<f64>>(name)?.flatten() {
        None => Ok(None),
        Some(x) if (0.0..1e13).contains(&x) => Ok(Some(x as u64)),
        Some(_) => Err(Error::new("NumericDate out of range").at(name)),
    }
}

fn decode_json_part<T: FromJson>(part: &str, what: &'static str) -> Result<T, JwtError> {
    let buf = base64url(part.trim_end_matches('=')).ok_or(JwtError::Malformed("a part is not base64url"))?;
    // As text, like every JSON input (one JSON reader in the wasm build).
    let text = std::str::from_utf8(&buf).map_err(|_| JwtError::BadJson(what))?;
    crate::core::json::from_str(text).map_err(|_| JwtError::BadJson(what))
}

/// Decodes unpadded base64url strictly, as the `base64` crate's
/// `URL_SAFE_NO_PAD` engine does (a host test compares the two): no other
/// characters, no length of 4n+1, and the unused low bits of the last
/// character must be zero. Written out because the crate's generic engine
/// cost 3.2 KB of wasm for this one call.
pub fn base64url(s: &str) -> Option<Vec<u8>> {
    fn six(b: u8) -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        }))
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for &b in chunk {
            acc = (acc << 6) | six(b)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 if acc & 0b11 == 0 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
            2 if acc & 0b1111 == 0 => out.push((acc >> 4) as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Checks structure and time claims of `token` at `now_secs`.
pub fn check(token: &str, now_secs: u64, leeway_secs: u64) -> Result<Claims, JwtError> {
    if token.is_empty() {
        return Err(JwtError::Malformed("empty"));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::Malformed("longer than 8192 bytes"));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed("not three dot-separated parts"));
    };
    if s.is_empty() {
        return Err(JwtError::Malformed("no signature"));
    }
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=') {
        return Err(JwtError::Malformed("signature is not base64url"));
    }
    let header: Header = decode_json_part(h, "header is not a JSON object with alg")?;
    if header.alg.is_empty() || header.alg.eq_ignore_ascii_case("none") {
        return Err(JwtError::BadJson("alg is missing or none"));
    }
    let claims: Claims = decode_json_part(p, "payload is not a JSON object of claims")?;
    if let Some(exp) = claims.exp {
        if exp.saturating_add(leeway_secs) <= now_secs {
            return Err(JwtError::Expired { exp });
        }
    }
    if let Some(nbf) = claims.nbf {
        if nbf > now_secs.saturating_add(leeway_secs) {
            return Err(JwtError::NotYetValid { nbf });
        }
    }
    Ok(claims)
}

/// Milliseconds from `now_ms` until the token should be refreshed: a fifth of
/// its lifetime before `exp`, at most five minutes and at least one second
/// before, and never sooner than one second from now. `None` without `exp`.
pub fn refresh_delay_ms(claims: &Claims, now_ms: u64) -> Option<u64> {
    let exp_ms = claims.exp?.saturating_mul(1000);
    let start_ms = claims.iat.map_or(now_ms, |i| i.saturating_mul(1000).min(now_ms));
    let lifetime = exp_ms.saturating_sub(start_ms);
    let margin = (lifetime / 5).clamp(1000, 300_000);
    let at = exp_ms.saturating_sub(margin);
    Some(at.saturating_sub(now_ms).max(1000))
}

#[cfg(test)]
#[path = "jwt_tests.rs"]
mod tests;
