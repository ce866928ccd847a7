//! Agent authentication: password check and in-memory bearer tokens.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::config::AgentConfig;

/// Constant-time byte comparison.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Whether `password` is the agent's password.
pub fn password_ok(agent: &AgentConfig, password: &str) -> bool {
    if let Some(spec) = &agent.password_sha256 {
        let Some((salt, hash)) = spec.split_once('$') else { return false };
        let got = sha256_hex(format!("{salt}{password}").as_bytes());
        return ct_eq(got.as_bytes(), hash.to_ascii_lowercase().as_bytes());
    }
    match &agent.password {
        Some(p) => ct_eq(p.as_bytes(), password.as_bytes()),
        None => false,
    }
}

/// Agent bearer tokens (hash -> (agent id, expiry ms)).
#[derive(Debug, Default)]
pub struct AgentTokens(Mutex<HashMap<String, (String, i64)>>);

impl AgentTokens {
    /// Issues a token valid until `expires_at` (ms). Tokens that expired
    /// before `now` are forgotten here, so the map holds at most the tokens
    /// issued within one token lifetime, however long the server runs.
    pub fn issue(&self, agent_id: &str, expires_at: i64, now: i64) -> String {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        if let Ok(mut m) = self.0.lock() {
            m.retain(|_, (_, exp)| *exp > now);
            m.insert(sha256_hex(token.as_bytes()), (agent_id.to_string(), expires_at));
        }
        token
    }

    /// How many tokens are kept.
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }

    /// Whether no token is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Agent id for a valid token.
    pub fn check(&self, token: &str, now: i64) -> Option<String> {
        let m = self.0.lock().ok()?;
        let (id, exp) = m.get(&sha256_hex(token.as_bytes()))?;
        (*exp > now).then(|| id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::AgentTokens;

    #[test]
    fn expired_tokens_are_refused_and_forgotten_at_the_next_login() {
        let t = AgentTokens::default();
        let old = t.issue("alice", 1_000, 0);
        assert_eq!(t.check(&old, 999).as_deref(), Some("alice"));
        assert_eq!(t.check(&old, 1_000), None, "expired at its expiry");
        let new = t.issue("bob", 5_000, 2_000);
        assert_eq!(t.len(), 1, "the expired token was dropped");
        assert_eq!(t.check(&new, 2_000).as_deref(), Some("bob"));
        assert_eq!(t.check("not-a-token", 2_000), None);
    }
}
