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

/// How long agent sign-ins last (from the configuration).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifetimes {
    /// A token's lifetime (ms): `agent_token_minutes`.
    pub token_ms: i64,
    /// A sign-in's (ms), from the password login however often its token
    /// is refreshed: `agent_session_hours`; `None` for no limit.
    pub sign_in_ms: Option<i64>,
}

impl Lifetimes {
    /// The server's: `agent_token_minutes`, `agent_session_hours` (0: no
    /// limit).
    pub fn of(cfg: &crate::config::ServerConfig) -> Lifetimes {
        let hours = cfg.agent_session_hours as i64;
        Lifetimes { token_ms: cfg.agent_token_minutes as i64 * 60_000, sign_in_ms: (hours > 0).then_some(hours * 3_600_000) }
    }

    /// When a sign-in made at `signed_in_at` ends (none without a limit).
    pub fn sign_in_end(&self, signed_in_at: i64) -> Option<i64> {
        self.sign_in_ms.map(|ms| signed_in_at.saturating_add(ms))
    }

    /// The expiry of a token issued at `now` for a sign-in made at
    /// `signed_in_at`: a token's lifetime from now, but not past the
    /// sign-in's end; `None` once the sign-in has ended.
    pub fn token_expiry(&self, signed_in_at: i64, now: i64) -> Option<i64> {
        let full = now.saturating_add(self.token_ms);
        match self.sign_in_end(signed_in_at) {
            Some(end) if end <= now => None,
            Some(end) => Some(full.min(end)),
            None => Some(full),
        }
    }
}

/// A kept token: its agent, expiry and sign-in time (ms).
#[derive(Debug, Clone)]
struct Kept {
    agent_id: String,
    expires_at: i64,
    signed_in_at: i64,
}

/// Agent bearer tokens (by hash), and the news of revoked and refreshed
/// ones for the sockets they opened.
#[derive(Debug)]
pub struct AgentTokens {
    tokens: Mutex<HashMap<String, Kept>>,
    revoked: tokio::sync::broadcast::Sender<Revoked>,
}

impl Default for AgentTokens {
    fn default() -> Self {
        AgentTokens { tokens: Mutex::default(), revoked: tokio::sync::broadcast::channel(64).0 }
    }
}

impl AgentTokens {
    /// Issues a token for a sign-in made `now` (a password login), valid
    /// until `expires_at` (ms); returns it and the row to store.
    pub fn issue(&self, agent: &AgentConfig, expires_at: i64, now: i64) -> (String, AgentTokenRow) {
        self.issue_for(agent, expires_at, now, now)
    }

    /// Issues a token of the sign-in made at `signed_in_at`. Tokens that
    /// expired before `now` are forgotten here, so the map holds at most the
    /// tokens issued within one token lifetime, however long the server runs.
    fn issue_for(&self, agent: &AgentConfig, expires_at: i64, signed_in_at: i64, now: i64) -> (String, AgentTokenRow) {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        let row = AgentTokenRow {
            token_hash: sha256_hex(token.as_bytes()),
            agent_id: agent.id.clone(),
            credential: credential_tag(agent),
            expires_at,
            signed_in_at,
        };
        if let Ok(mut m) = self.tokens.lock() {
            m.retain(|_, k| k.expires_at > now);
            m.insert(row.token_hash.clone(), Kept { agent_id: agent.id.clone(), expires_at, signed_in_at });
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
                m.insert(r.token_hash, Kept { agent_id: r.agent_id, expires_at: r.expires_at, signed_in_at: r.signed_in_at });
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

    /// Replaces a valid token of `agent` by a new one of the same sign-in
    /// (a console that stays open stays signed in), valid for a token's
    /// lifetime but not past the sign-in's end: returns the new token, its
    /// row to store and the old token's hash. The sockets the old token
    /// opened carry on under the new one. `None` (and the old token kept)
    /// when the token is not a valid one of `agent`'s, or its sign-in has
    /// ended.
    pub fn refresh(&self, token: &str, agent: &AgentConfig, lifetimes: &Lifetimes, now: i64) -> Option<(String, AgentTokenRow, String)> {
        let old = sha256_hex(token.as_bytes());
        let (new, row) = {
            let mut m = self.tokens.lock().ok()?;
            let kept = m.get(&old).filter(|k| k.agent_id == agent.id && k.expires_at > now)?;
            let signed_in_at = kept.signed_in_at;
            let expires_at = lifetimes.token_expiry(signed_in_at, now)?;
            m.remove(&old);
            drop(m);
            self.issue_for(agent, expires_at, signed_in_at, now)
        };
        let _ = self.revoked.send(Revoked { hash: old.clone(), successor: Some((row.token_hash.clone(), row.expires_at)) });
        Some((new, row, old))
    }

    /// The tokens revoked or refreshed from now on (an agent socket closes
    /// when its own is revoked, and carries on when it is refreshed).
    pub fn watch(&self) -> tokio::sync::broadcast::Receiver<Revoked> {
        self.revoked.subscribe()
    }

    /// Whether the token with this hash is valid.
    pub fn valid_hash(&self, hash: &str, now: i64) -> bool {
        self.tokens.lock().is_ok_and(|m| m.get(hash).is_some_and(|k| k.expires_at > now))
    }

    /// Agent id for a valid token.
    pub fn check(&self, token: &str, now: i64) -> Option<String> {
        self.check_until(token, now).map(|(id, _)| id)
    }

    /// Agent id and expiry (ms) for a valid token.
    pub fn check_until(&self, token: &str, now: i64) -> Option<(String, i64)> {
        let m = self.tokens.lock().ok()?;
        let k = m.get(&sha256_hex(token.as_bytes()))?;
        (k.expires_at > now).then(|| (k.agent_id.clone(), k.expires_at))
    }
}

#[cfg(test)]
mod tests {
    use super::{AgentTokens, Lifetimes};
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
        let lives = Lifetimes { token_ms: 8_990, sign_in_ms: None };
        let (old, _) = t.issue(&agent("alice", "pw"), 1_000, 0);
        let mut heard = t.watch();
        assert!(t.refresh(&old, &agent("bob", "pw"), &lives, 10).is_none(), "not Bob's token");
        assert!(t.refresh(&old, &agent("alice", "pw"), &lives, 1_000).is_none(), "expired");
        assert!(t.refresh("not-a-token", &agent("alice", "pw"), &lives, 10).is_none());
        let (new, row, old_hash) = t.refresh(&old, &agent("alice", "pw"), &lives, 10).unwrap();
        assert_eq!((old_hash.as_str(), row.expires_at, row.signed_in_at), (sha256_hex(old.as_bytes()).as_str(), 9_000, 0));
        assert_eq!(t.check(&old, 11), None, "the old token stops working");
        assert_eq!(t.check(&new, 8_999).as_deref(), Some("alice"));
        assert_eq!(heard.try_recv().unwrap(), Revoked { hash: old_hash, successor: Some((row.token_hash, 9_000)) });
        assert!(t.refresh(&old, &agent("alice", "pw"), &lives, 20).is_none(), "spent");
    }

    #[test]
    fn refreshes_keep_the_sign_in_time_and_stop_at_the_sign_in_limit() {
        let t = AgentTokens::default();
        let alice = agent("alice", "pw");
        // Tokens last 100 ms; a sign-in 250 ms.
        let lives = Lifetimes { token_ms: 100, sign_in_ms: Some(250) };
        assert_eq!(lives.token_expiry(1_000, 1_000), Some(1_100));
        let (mut token, _) = t.issue(&alice, 1_100, 1_000);
        let mut expiries = vec![];
        for now in [1_050, 1_120, 1_190, 1_240] {
            match t.refresh(&token, &alice, &lives, now) {
                Some((next, row, _)) => {
                    assert_eq!(row.signed_in_at, 1_000, "carried over");
                    expiries.push(row.expires_at);
                    token = next;
                }
                None => expiries.push(-1),
            }
        }
        assert_eq!(expiries, [1_150, 1_220, 1_250, 1_250], "a token's lifetime from the refresh, never past the sign-in's end");
        assert_eq!(t.check(&token, 1_249).as_deref(), Some("alice"));
        assert!(t.refresh(&token, &alice, &lives, 1_250).is_none(), "the sign-in has ended");
        assert_eq!(t.check(&token, 1_250), None);

        // A token restored from a store that did not keep sign-in times
        // (signed_in_at 0) works until it expires and is not refreshed.
        let (old, mut row) = AgentTokens::default().issue(&alice, 5_000, 1_000);
        row.signed_in_at = 0;
        let after = AgentTokens::default();
        after.restore(vec![row], std::slice::from_ref(&alice));
        assert_eq!(after.check(&old, 2_000).as_deref(), Some("alice"));
        assert!(after.refresh(&old, &alice, &lives, 2_000).is_none());
        assert!(after.refresh(&old, &alice, &Lifetimes { token_ms: 100, sign_in_ms: None }, 2_000).is_some(), "unless sign-ins have no limit");
    }
}
