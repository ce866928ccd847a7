//! Visitor JWT verification: `alg` pinned (HS256 or RS256), `exp` and `nbf`
//! checked with leeway, `sub` required (it becomes the customer id).

use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::config::JwtConfig;

/// Why a token was refused.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// Server-side configuration problem.
    #[error("jwt misconfigured: {0}")]
    Config(String),
    /// Token invalid.
    #[error("{0}")]
    Invalid(String),
}

/// A prepared verifier.
#[derive(Clone)]
pub struct JwtVerifier {
    key: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
}

/// What a verified token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The `sub` claim: the customer id.
    pub sub: String,
    /// The `exp` claim, seconds since the epoch.
    pub exp: u64,
}

impl JwtVerifier {
    /// Builds a verifier from config.
    pub fn new(cfg: &JwtConfig) -> Result<Self, JwtError> {
        let (alg, key) = match cfg.alg.to_ascii_uppercase().as_str() {
            "HS256" => {
                let secret = cfg.secret.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| JwtError::Config("HS256 needs `secret`".into()))?;
                (Algorithm::HS256, DecodingKey::from_secret(secret.as_bytes()))
            }
            "RS256" => {
                let pem = cfg.public_key_pem.as_deref().ok_or_else(|| JwtError::Config("RS256 needs `public_key_pem`".into()))?;
                (Algorithm::RS256, DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| JwtError::Config(format!("bad RSA key: {e}")))?)
            }
            other => return Err(JwtError::Config(format!("unsupported alg {other:?}; use HS256 or RS256"))),
        };
        let mut validation = Validation::new(alg);
        validation.algorithms = vec![alg];
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = cfg.leeway_secs;
        validation.set_required_spec_claims(&["exp", "sub"]);
        if let Some(iss) = &cfg.issuer {
            validation.set_issuer(&[iss]);
        }
        match &cfg.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        Ok(JwtVerifier { key, validation })
    }

    /// Clock-skew leeway for `exp`/`nbf`, in seconds.
    pub fn leeway_secs(&self) -> u64 {
        self.validation.leeway
    }

    /// Verifies `token`; returns its `sub` and `exp`.
    pub fn verify(&self, token: &str) -> Result<Verified, JwtError> {
        use jsonwebtoken::errors::ErrorKind as K;
        let data = decode::<Claims>(token.trim(), &self.key, &self.validation).map_err(|e| {
            JwtError::Invalid(match e.kind() {
                K::ExpiredSignature => "token expired".into(),
                K::ImmatureSignature => "token not yet valid (nbf)".into(),
                K::InvalidAlgorithm => "token alg does not match the configured algorithm".into(),
                K::InvalidSignature => "bad token signature".into(),
                K::MissingRequiredClaim(c) => format!("token misses claim {c}"),
                K::InvalidIssuer => "bad token issuer".into(),
                K::InvalidAudience => "bad token audience".into(),
                _ => "malformed token".into(),
            })
        })?;
        if data.claims.sub.is_empty() {
            return Err(JwtError::Invalid("token has an empty sub".into()));
        }
        Ok(Verified { sub: data.claims.sub, exp: data.claims.exp })
    }
}
