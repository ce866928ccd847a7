//! Visitor session tokens: issued when a conversation starts, presented
//! (bearer, cookie or hello) by every visitor request and socket. Only
//! their SHA-256 is stored.

use lcw_sdk::core::protocol::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::security::agents::sha256_hex;
use crate::state::AppState;
use crate::store::{now_ms, ConversationRow, SessionRow};

impl AppState {
    /// Issues a session token for a conversation.
    pub async fn create_session(&self, conversation_id: &str, lifetime_minutes: u64) -> ApiResult<(String, i64)> {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        let expires_at = now_ms() + (lifetime_minutes as i64) * 60_000;
        self.store.insert_session(&sha256_hex(token.as_bytes()), SessionRow { conversation_id: conversation_id.into(), expires_at }).await?;
        Ok((token, expires_at))
    }

    /// Conversation of a valid session token.
    pub async fn session_conversation(&self, token: &str) -> ApiResult<ConversationRow> {
        let invalid = || ApiError::new(ErrorCode::InvalidSession, "unknown or expired session token");
        let s = self.store.session(&sha256_hex(token.as_bytes())).await?.ok_or_else(invalid)?;
        if s.expires_at <= now_ms() {
            return Err(invalid());
        }
        self.store.conversation(&s.conversation_id).await?.ok_or_else(invalid)
    }
}
