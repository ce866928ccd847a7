//! Storage behind a trait: SQLite by default; a Postgres implementation can
//! be added for multi-instance deployments without touching the handlers.

use std::collections::BTreeMap;

use async_trait::async_trait;
use lcw_sdk::core::protocol::{ContextEntry, ConversationState, Message, Millis, Rating, Sender};

use crate::error::StoreError;

mod batch;
mod migrate;
mod offline;
pub mod sqlite;

pub use offline::OfflineMessageRow;

/// Result alias for storage calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// A stored conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationRow {
    /// Id.
    pub id: String,
    /// Widget id.
    pub widget_id: String,
    /// Queue id.
    pub queue_id: String,
    /// State.
    pub state: ConversationState,
    /// Assigned agent.
    pub agent_id: Option<String>,
    /// JWT `sub` of an authenticated visitor.
    pub customer_id: Option<String>,
    /// Context variables.
    pub context: BTreeMap<String, ContextEntry>,
    /// Pre-chat answers.
    pub pre_chat: BTreeMap<String, String>,
    /// Creation time.
    pub created_at: Millis,
    /// When an agent was first assigned.
    pub assigned_at: Option<Millis>,
    /// When closed.
    pub closed_at: Option<Millis>,
    /// Who closed.
    pub closed_by: Option<Sender>,
    /// Highest seq.
    pub last_seq: u64,
    /// Read receipts: the visitor has seen up to this seq.
    pub visitor_read_seq: u64,
    /// Read receipts: the agent has seen up to this seq.
    pub agent_read_seq: u64,
}

/// A message to append.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Idempotency key (None for system messages).
    pub client_id: Option<String>,
    /// Author kind.
    pub sender: Sender,
    /// Author name.
    pub author_name: Option<String>,
    /// Text.
    pub text: String,
    /// Attachment id.
    pub attachment_id: Option<String>,
    /// Acceptance time.
    pub sent_at: Millis,
}

/// Stored attachment metadata.
#[derive(Debug, Clone)]
pub struct AttachmentRow {
    /// Id.
    pub id: String,
    /// Conversation it belongs to.
    pub conversation_id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime_type: String,
    /// Size.
    pub size: u64,
}

/// A visitor session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Conversation.
    pub conversation_id: String,
    /// Expiry.
    pub expires_at: Millis,
}

/// An agent's bearer token, as kept: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentTokenRow {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The agent.
    pub agent_id: String,
    /// Hex SHA-256 of the agent's credentials when the token was issued
    /// (a changed password refuses the tokens issued before).
    pub credential: String,
    /// Expiry (ms).
    pub expires_at: Millis,
    /// When the agent signed in with the password (ms): refreshes carry it
    /// over, and none goes past `agent_session_hours` after it. 0 for a
    /// token stored before this was kept: it cannot be refreshed.
    pub signed_in_at: Millis,
}

/// Persistence operations used by the server.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Inserts a new conversation (last_seq 0).
    async fn insert_conversation(&self, c: ConversationRow) -> StoreResult<()>;
    /// Loads a conversation.
    async fn conversation(&self, id: &str) -> StoreResult<Option<ConversationRow>>;
    /// Open (not closed) conversation of a customer on a widget.
    async fn open_conversation_for_customer(&self, widget_id: &str, customer_id: &str) -> StoreResult<Option<ConversationRow>>;
    /// All conversations not closed, oldest first (startup recovery).
    async fn open_conversations(&self) -> StoreResult<Vec<ConversationRow>>;
    /// Updates state, agent, assignment and close fields.
    async fn update_conversation(&self, c: &ConversationRow) -> StoreResult<()>;
    /// Moves `reader`'s read receipt forward to `seq`, never past the last
    /// seq; the seq now recorded when it moved, `None` when it did not.
    async fn mark_read(&self, conversation_id: &str, reader: Sender, seq: u64) -> StoreResult<Option<u64>>;
    /// Appends a message, assigning the next seq. When `client_id` was
    /// already used in this conversation, returns the stored message and `true`.
    async fn append_message(&self, conversation_id: &str, m: NewMessage) -> StoreResult<(Message, bool)>;
    /// Messages with seq > `after_seq`, ascending, at most `limit`.
    async fn messages_after(&self, conversation_id: &str, after_seq: u64, limit: u32) -> StoreResult<Vec<Message>>;
    /// Stores a session token hash.
    async fn insert_session(&self, token_hash: &str, s: SessionRow) -> StoreResult<()>;
    /// Looks up a session by token hash.
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRow>>;
    /// Stores an agent token's hash (forgetting tokens expired before `now`).
    async fn insert_agent_token(&self, t: AgentTokenRow, now: Millis) -> StoreResult<()>;
    /// Forgets an agent token (sign-out).
    async fn delete_agent_token(&self, token_hash: &str) -> StoreResult<()>;
    /// The agent tokens not expired at `now` (read at start-up).
    async fn agent_tokens(&self, now: Millis) -> StoreResult<Vec<AgentTokenRow>>;
    /// Average seconds from creation to first assignment over the last `n` assigned conversations.
    async fn average_wait_secs(&self, queue_id: &str, n: u32) -> StoreResult<Option<u64>>;
    /// Stores a rating.
    async fn insert_rating(&self, conversation_id: &str, rating: Rating, comment: Option<String>, at: Millis) -> StoreResult<()>;
    /// Stores an offline message; returns its id.
    async fn insert_offline_message(&self, widget_id: &str, body: serde_json::Value, at: Millis) -> StoreResult<String>;
    /// Offline messages of the given widgets, newest first, at most `limit`.
    async fn offline_messages(&self, widget_ids: Vec<String>, limit: u32) -> StoreResult<Vec<OfflineMessageRow>>;
    /// One offline message.
    async fn offline_message(&self, id: &str) -> StoreResult<Option<OfflineMessageRow>>;
    /// Marks an offline message handled by `agent_id` (kept as it was when
    /// already handled); None when there is no such message.
    async fn mark_offline_handled(&self, id: &str, agent_id: &str, at: Millis) -> StoreResult<Option<OfflineMessageRow>>;
    /// Stores an attachment.
    async fn insert_attachment(&self, a: AttachmentRow, data: Vec<u8>, at: Millis) -> StoreResult<()>;
    /// Loads attachment metadata (and the bytes when `with_data`).
    async fn attachment(&self, id: &str, with_data: bool) -> StoreResult<Option<(AttachmentRow, Vec<u8>)>>;
    /// Flushes and checkpoints before exit.
    async fn close(&self) -> StoreResult<()>;
}

/// New random id: 16 bytes hex with a prefix.
pub fn new_id(prefix: &str) -> String {
    use rand::RngCore;
    let mut b = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}_{}", hex::encode(b))
}

/// Now in ms since the epoch.
pub fn now_ms() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
