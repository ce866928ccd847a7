//! Visitor JWT expiry during a chat (`jwt` auth mode).
//!
//! The token that starts a chat is only the first one: the server records
//! the `exp` of the newest token verified for each open conversation, takes
//! fresh tokens on the open socket (`auth` frame, the hello's `authToken`)
//! or over HTTP (`POST /v1/conversations/{id}/auth`), verified exactly like
//! at start and for the same `sub`, and refuses visitor actions (messages,
//! typing, uploads) with `auth_expired` once the recorded `exp` plus the
//! widget's leeway has passed. Reading (hello replay, history) and closing
//! stay open to the session token; agents are never affected.
//!
//! Expiries live in memory: after a restart none is recorded, so a `jwt`
//! conversation counts as expired until the client presents a token again
//! (the SDK's hello carries it): the safe side.

use std::collections::HashMap;
use std::sync::Mutex;

use lcw_sdk::core::protocol::{AuthMode, ErrorCode, Millis};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{now_ms, ConversationRow};

/// The recorded token expiry (`exp`, seconds) of each open conversation.
#[derive(Debug, Default)]
pub struct AuthExpiries(Mutex<HashMap<String, u64>>);

impl AuthExpiries {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `exp` for a conversation, keeping the later of the old and
    /// the new one (another device may hold a longer-lived token); returns
    /// the expiry now in force.
    pub fn record(&self, conversation_id: &str, exp: u64) -> u64 {
        let mut m = self.map();
        let e = m.entry(conversation_id.to_string()).or_insert(exp);
        *e = (*e).max(exp);
        *e
    }

    /// The recorded expiry, if any.
    pub fn get(&self, conversation_id: &str) -> Option<u64> {
        self.map().get(conversation_id).copied()
    }

    /// Drops a closed conversation's entry.
    pub fn forget(&self, conversation_id: &str) {
        self.map().remove(conversation_id);
    }
}

fn secs_to_ms(secs: u64) -> Millis {
    Millis::try_from(secs.saturating_mul(1000)).unwrap_or(Millis::MAX)
}

impl AppState {
    /// Whether visitor actions on `conv` need an unexpired JWT.
    fn enforces_auth(&self, conv: &ConversationRow) -> bool {
        self.widget(&conv.widget_id).is_some_and(|w| w.auth_mode == AuthMode::Jwt)
    }

    /// Verifies a fresh visitor token for `conv` (pinned `alg`, signature,
    /// `exp`/`nbf` with leeway, `iss`/`aud`) and checks that its `sub` is the
    /// conversation's customer; records its expiry. Returns the expiry in
    /// force, in ms. Refusals are `invalid_token`.
    pub fn reauthenticate(&self, conv: &ConversationRow, token: &str) -> ApiResult<Millis> {
        let invalid = |why: String| ApiError::new(ErrorCode::InvalidToken, why);
        let verifier = self.verifiers.get(&conv.widget_id).ok_or_else(|| invalid("this widget does not accept visitor tokens".into()))?;
        let v = verifier.verify(token).map_err(|e| invalid(e.to_string()))?;
        if conv.customer_id.as_deref() != Some(v.sub.as_str()) {
            return Err(invalid("the token is for another visitor (sub does not match the conversation)".into()));
        }
        let exp = self.auth_expiries.record(&conv.id, v.exp);
        tracing::info!(conversation = %conv.id, exp, "visitor token renewed");
        Ok(secs_to_ms(exp))
    }

    /// Records the expiry of the token that started (or resumed) `conv`.
    pub fn record_start_token(&self, conversation_id: &str, exp: u64) {
        self.auth_expiries.record(conversation_id, exp);
    }

    /// The rule: in `jwt` mode a visitor action needs the recorded token
    /// to be unexpired (`exp` + leeway not passed, to the second, as at
    /// start). Else `auth_expired`.
    pub fn check_visitor_auth(&self, conv: &ConversationRow) -> ApiResult<()> {
        if !self.enforces_auth(conv) {
            return Ok(());
        }
        let leeway = self.verifiers.get(&conv.widget_id).map_or(0, |v| v.leeway_secs());
        let now_secs = u64::try_from(now_ms() / 1000).unwrap_or(0);
        match self.auth_expiries.get(&conv.id) {
            Some(exp) if now_secs <= exp.saturating_add(leeway) => Ok(()),
            Some(_) => Err(ApiError::new(ErrorCode::AuthExpired, "the visitor token expired; send a fresh one and retry")),
            None => Err(ApiError::new(ErrorCode::AuthExpired, "no visitor token is recorded for this conversation; send one and retry")),
        }
    }

    /// For `welcome`: the recorded expiry in ms (0 when none) when the rule
    /// applies to `conv`, else `None`.
    pub fn auth_expires_at(&self, conv: &ConversationRow) -> Option<Millis> {
        self.enforces_auth(conv).then(|| self.auth_expiries.get(&conv.id).map_or(0, secs_to_ms))
    }
}
