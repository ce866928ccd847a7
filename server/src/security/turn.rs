//! Short-lived TURN credentials. A TURN relay lets a call connect when
//! neither side can reach the other directly (symmetric NAT, a corporate
//! firewall); its credentials must not be a fixed pair in a public widget
//! configuration, where anyone could take them and relay through it.
//!
//! The scheme is the "TURN REST API" one that coturn checks with
//! `use-auth-secret` and `static-auth-secret` (and other TURN servers with
//! a shared secret): the user name is `<expiry, unix seconds>:<who>`, the
//! credential is base64(HMAC-SHA1(secret, user name)), and the TURN server
//! refuses a user name whose expiry has passed. The server hands out a new
//! pair with every widget configuration (the SDK reads it when a call
//! starts) and every agent video settings answer (the console reads them
//! when a call starts), so the secret never leaves the server.

use base64::Engine;
use lcw_sdk::core::protocol::IceServer;
use serde::{Deserialize, Serialize};

/// `[turn]` in the server configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TurnConfig {
    /// The relay's `turn:` / `turns:` URLs.
    pub urls: Vec<String>,
    /// The secret shared with the TURN server (coturn's
    /// `static-auth-secret`).
    pub shared_secret: String,
    /// How long a handed-out pair is valid, in seconds (default 86400):
    /// longer than a call, as the relay checks it again when the
    /// allocation is refreshed.
    pub ttl_secs: u64,
}

impl TurnConfig {
    /// The TTL to use (the default for 0).
    pub fn ttl(&self) -> u64 {
        if self.ttl_secs == 0 {
            86_400
        } else {
            self.ttl_secs
        }
    }

    /// Why the settings cannot be used, if so.
    pub fn check(&self) -> Result<(), String> {
        if self.urls.is_empty() {
            return Err("[turn] needs at least one URL in urls".into());
        }
        if let Some(u) = self.urls.iter().find(|u| !(u.starts_with("turn:") || u.starts_with("turns:"))) {
            return Err(format!("[turn] url {u:?} is not a turn: or turns: URL"));
        }
        if self.shared_secret.trim().len() < 16 {
            return Err("[turn] shared_secret must be at least 16 characters".into());
        }
        if self.ttl() > 7 * 86_400 {
            return Err("[turn] ttl_secs is at most 604800 (7 days)".into());
        }
        Ok(())
    }

    /// A pair for `who` (letters, digits, `-` and `_` are kept; anything
    /// else, `:` included, becomes `_`), valid `ttl` from `now_secs`.
    pub fn credentials(&self, who: &str, now_secs: i64) -> IceServer {
        let who: String = who.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        let username = format!("{}:{who}", now_secs.saturating_add(self.ttl() as i64));
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, self.shared_secret.as_bytes());
        let credential = base64::engine::general_purpose::STANDARD.encode(ring::hmac::sign(&key, username.as_bytes()).as_ref());
        IceServer { urls: self.urls.clone(), username: Some(username), credential: Some(credential) }
    }
}

#[cfg(test)]
mod tests {
    use super::TurnConfig;

    fn turn() -> TurnConfig {
        TurnConfig { urls: vec!["turn:relay.example:3478".into()], shared_secret: "north-wind".into(), ttl_secs: 3_600 }
    }

    #[test]
    fn the_credential_is_the_hmac_sha1_a_turn_server_recomputes() {
        let s = turn().credentials("lcw", 1_700_000_000);
        assert_eq!(s.urls, ["turn:relay.example:3478"]);
        assert_eq!(s.username.as_deref(), Some("1700003600:lcw"));
        // Python: base64(hmac.new(b"north-wind", b"1700003600:lcw", sha1).digest())
        assert_eq!(s.credential.as_deref(), Some("oKfko73zvwRxfSuh3c+dQW1bRvU="));
        assert_eq!(turn().credentials("agent:a b", 0).username.as_deref(), Some("3600:agent_a_b"), "no second colon");
        assert_eq!(TurnConfig { ttl_secs: 0, ..turn() }.credentials("x", 0).username.as_deref(), Some("86400:x"));
    }

    #[test]
    fn settings_are_checked() {
        let secret = "a-secret-of-16-chars".to_string();
        let ok = TurnConfig { urls: vec!["turns:relay.example:5349".into()], shared_secret: secret.clone(), ttl_secs: 0 };
        assert_eq!(ok.check(), Ok(()));
        assert!(TurnConfig { urls: vec![], ..ok.clone() }.check().unwrap_err().contains("at least one URL"));
        assert!(TurnConfig { urls: vec!["stun:x".into()], ..ok.clone() }.check().unwrap_err().contains("not a turn:"));
        assert!(TurnConfig { shared_secret: "short".into(), ..ok.clone() }.check().unwrap_err().contains("16 characters"));
        assert!(TurnConfig { ttl_secs: 8 * 86_400, ..ok }.check().unwrap_err().contains("at most"));
    }
}
