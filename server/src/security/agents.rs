//! Agent authentication: password check and bearer tokens (checked in
//! memory, kept in the store so that a restart does not sign agents out).

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::config::AgentConfig;
use crate::store::AgentTokenRow;

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

/// A fingerprint of the agent's credentials (its password or password
/// hash as configured): tokens issued under other credentials are refused
/// after a restart.
pub fn credential_tag(agent: &AgentConfig) -> String {
    let spec = agent.password_sha256.as_deref().map(|h| format!("sha256:{h}")).or_else(|| agent.password.as_ref().map(|p| format!("plain:{p}")));
    sha256_hex(format!("{}\n{}", agent.id, spec.unwrap_or_default()).as_bytes())
}

/// A token that stopped working, as the sockets it opened hear of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Revoked {
    /// The token's hash.
    pub hash: String,
    /// When it was refreshed: the new token's hash and expiry (ms), which
    /// its sockets take over instead of closing.
    pub successor: Option<(String, i64)>,
}

/// Agent bearer tokens (hash -> (agent id, expiry ms)), and the news of
/// revoked and refreshed ones for the sockets they opened.
#[derive(Debug)]
pub struct AgentTokens {
    tokens: Mutex<HashMap<String, (String, i64)>>,
    revoked: tokio::sync::broadcast::Sender<Revoked>,
}

impl Default for AgentTokens {
    fn default() -> Self {
        AgentTokens { tokens: Mutex::default(), revoked: tokio::sync::broadcast::channel(64).0 }
    }
}

impl AgentTokens {
    /// Issues a token valid until `expires_at` (ms); returns it and the row
    /// to store. Tokens that expired before `now` are forgotten here, so the
    /// map holds at most the tokens issued within one token lifetime,
    /// however long the server runs.
    pub fn issue(&self, agent: &AgentConfig, expires_at: i64, now: i64) -> (String, AgentTokenRow) {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        let row = AgentTokenRow { token_hash: sha256_hex(token.as_bytes()), agent_id: agent.id.clone(), credential: credential_tag(agent), expires_at };
        if let Ok(mut m) = self.tokens.lock() {
            m.retain(|_, (_, exp)| *exp > now);
            m.insert(row.token_hash.clone(), (agent.id.clone(), expires_at));
        }
        (token, row)
    }

    /// Takes back the tokens a previous run stored: those of agents still
    /// configured with the same credentials; returns how many.
    pub fn restore(&self, rows: Vec<AgentTokenRow>, agents: &[AgentConfig]) -> usize {
        let Ok(mut m) = self.tokens.lock() else { return 0 };
        let mut n = 0;
        for r in rows {
            if agents.iter().any(|a| a.id == r.agent_id && credential_tag(a) == r.credential) {
                m.insert(r.token_hash, (r.agent_id, r.expires_at));
                n += 1;
            }
        }
        n
    }

    /// How many tokens are kept.
    pub fn len(&self) -> usize {
        self.tokens.lock().map_or(0, |m| m.len())
    }

    /// Whether no token is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets a token (sign-out) and tells the sockets it opened; returns
    /// its hash when it was known.
    pub fn revoke(&self, token: &str) -> Option<String> {
        let hash = sha256_hex(token.as_bytes());
        self.tokens.lock().ok()?.remove(&hash)?;
        let _ = self.revoked.send(Revoked { hash: hash.clone(), successor: None }); // no socket listening: nothing to tell
        Some(hash)
    }

    /// Replaces a valid token of `agent` by a new one valid until
    /// `expires_at` (a console that stays open stays signed in): returns the
    /// new token, its row to store and the old token's hash. The sockets the
    /// old token opened carry on under the new one.
    pub fn refresh(&self, token: &str, agent: &AgentConfig, expires_at: i64, now: i64) -> Option<(String, AgentTokenRow, String)> {
        let old = sha256_hex(token.as_bytes());
        let (new, row) = {
            let mut m = self.tokens.lock().ok()?;
            match m.get(&old) {
                Some((id, exp)) if *id == agent.id && *exp > now => {}
                _ => return None,
            }
            m.remove(&old);
            drop(m);
            self.issue(agent, expires_at, now)
        };
        let _ = self.revoked.send(Revoked { hash: old.clone(), successor: Some((row.token_hash.clone(), expires_at)) });
        Some((new, row, old))
    }

    /// The tokens revoked or refreshed from now on (an agent socket closes
    /// when its own is revoked, and carries on when it is refreshed).
    pub fn watch(&self) -> tokio::sync::broadcast::Receiver<Revoked> {
        self.revoked.subscribe()
    }

    /// Whether the token with this hash is valid.
    pub fn valid_hash(&self, hash: &str, now: i64) -> bool {
        self.tokens.lock().is_ok_and(|m| m.get(hash).is_some_and(|(_, exp)| *exp > now))
    }

    /// Agent id for a valid token.
    pub fn check(&self, token: &str, now: i64) -> Option<String> {
        self.check_until(token, now).map(|(id, _)| id)
    }

    /// Agent id and expiry (ms) for a valid token.
    pub fn check_until(&self, token: &str, now: i64) -> Option<(String, i64)> {
        let m = self.tokens.lock().ok()?;
        let (id, exp) = m.get(&sha256_hex(token.as_bytes()))?;
        (*exp > now).then(|| (id.clone(), *exp))
    }
}

#[cfg(test)]
mod tests {
    use super::AgentTokens;
    use crate::config::AgentConfig;

    fn agent(id: &str, password: &str) -> AgentConfig {
        AgentConfig { id: id.into(), username: id.into(), password: Some(password.into()), ..Default::default() }
    }

    #[test]
    fn expired_tokens_are_refused_and_forgotten_at_the_next_login() {
        let t = AgentTokens::default();
        let (old, row) = t.issue(&agent("alice", "pw"), 1_000, 0);
        assert_eq!((row.agent_id.as_str(), row.expires_at), ("alice", 1_000));
        assert_ne!(row.token_hash, old, "only the hash is kept");
        assert_eq!(t.check(&old, 999).as_deref(), Some("alice"));
        assert_eq!(t.check(&old, 1_000), None, "expired at its expiry");
        let (new, _) = t.issue(&agent("bob", "pw"), 5_000, 2_000);
        assert_eq!(t.len(), 1, "the expired token was dropped");
        assert_eq!(t.check(&new, 2_000).as_deref(), Some("bob"));
        assert_eq!(t.check("not-a-token", 2_000), None);
    }

    #[test]
    fn restored_tokens_need_the_same_agent_and_credentials() {
        let before = AgentTokens::default();
        let (alice, a) = before.issue(&agent("alice", "pw"), 10_000, 0);
        let (bob, b) = before.issue(&agent("bob", "pw"), 10_000, 0);
        let (carol, c) = before.issue(&agent("carol", "pw"), 10_000, 0);
        let after = AgentTokens::default();
        // Bob's password changed; Carol is no longer configured.
        assert_eq!(after.restore(vec![a, b, c], &[agent("alice", "pw"), agent("bob", "new")]), 1);
        assert_eq!(after.check(&alice, 1).as_deref(), Some("alice"));
        assert_eq!(after.check(&bob, 1), None);
        assert_eq!(after.check(&carol, 1), None);
    }

    #[test]
    fn a_refresh_needs_a_valid_token_of_the_same_agent_and_tells_its_sockets() {
        use super::{sha256_hex, Revoked};
        let t = AgentTokens::default();
        let (old, _) = t.issue(&agent("alice", "pw"), 1_000, 0);
        let mut heard = t.watch();
        assert!(t.refresh(&old, &agent("bob", "pw"), 9_000, 10).is_none(), "not Bob's token");
        assert!(t.refresh(&old, &agent("alice", "pw"), 9_000, 1_000).is_none(), "expired");
        assert!(t.refresh("not-a-token", &agent("alice", "pw"), 9_000, 10).is_none());
        let (new, row, old_hash) = t.refresh(&old, &agent("alice", "pw"), 9_000, 10).unwrap();
        assert_eq!((old_hash.as_str(), row.expires_at), (sha256_hex(old.as_bytes()).as_str(), 9_000));
        assert_eq!(t.check(&old, 11), None, "the old token stops working");
        assert_eq!(t.check(&new, 8_999).as_deref(), Some("alice"));
        assert_eq!(heard.try_recv().unwrap(), Revoked { hash: old_hash, successor: Some((row.token_hash, 9_000)) });
        assert!(t.refresh(&old, &agent("alice", "pw"), 9_000, 20).is_none(), "spent");
    }
}
