//! HTTP request and response bodies (JSON, camelCase).

use std::collections::BTreeMap;

use super::Millis;

/// `GET /v1/widgets/{widgetId}/availability` response.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Availability {
    /// Queue of the widget.
    pub queue_id: String,
    /// Whether the queue is inside its operating hours.
    pub is_queue_available: bool,
    /// Whether at least one agent is signed in with spare capacity.
    pub is_agent_available: bool,
    /// 1-based position a new (or the caller's) conversation would have.
    pub position_in_queue: u32,
    /// Average wait before an agent picked up, in seconds, from recent history.
    pub average_wait_time: u64,
    /// The current or next operating-hours window, if any.
    pub next_window: Option<TimeWindow>,
    /// Whether a video-capable agent is signed in with spare capacity (the
    /// widget offers its video button only then).
    #[cfg_attr(feature = "serde", serde(default))]
    pub is_video_agent_available: bool,
}

/// An operating-hours window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct TimeWindow {
    /// Start (inclusive).
    pub start: Millis,
    /// End (exclusive).
    pub end: Millis,
}

/// A primitive context value. JSON: the bare value (`true`, `2.5`, `"x"`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum ContextPrimitive {
    /// Boolean.
    Bool(bool),
    /// Number.
    Number(f64),
    /// String.
    Text(String),
}

/// One context variable as given by the page's context provider.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ContextEntry {
    /// The value.
    pub value: ContextPrimitive,
    /// Whether the agent console displays it (default true).
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub is_displayable: bool,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

/// Maximum number of context entries accepted.
pub const MAX_CONTEXT_ENTRIES: usize = 100;

/// `POST /v1/conversations` body.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct StartRequest {
    /// Widget identifier.
    pub widget_id: String,
    /// Context variables (at most 100).
    pub context: BTreeMap<String, ContextEntry>,
    /// Visitor JWT (required when the widget's auth mode is `jwt`).
    pub auth_token: Option<String>,
    /// OAuth 2.0 authorization code from the site's identity provider
    /// (required when the widget's auth mode is `oauth`); the server
    /// exchanges it for the visitor's identity. Single use.
    pub authorization_code: Option<String>,
    /// PKCE code verifier (RFC 7636) sent with the code, when the site's
    /// authorization request carried a code challenge.
    pub code_verifier: Option<String>,
    /// Pre-chat answers keyed by field name.
    pub pre_chat: BTreeMap<String, String>,
    /// Browser language, e.g. `fr-FR`.
    pub locale: Option<String>,
}

/// Conversation lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConversationState {
    /// Waiting for an agent.
    Waiting,
    /// Offered to an agent who has not accepted yet.
    Assigned,
    /// An agent accepted.
    Active,
    /// Ended by the visitor or the agent.
    Closed,
}


/// Public view of an agent.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AgentInfo {
    /// Agent id.
    pub id: String,
    /// Name shown to the visitor.
    pub display_name: String,
}

/// A conversation as seen by its visitor.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ConversationInfo {
    /// Conversation id.
    pub id: String,
    /// Queue id.
    pub queue_id: String,
    /// Widget id.
    pub widget_id: String,
    /// State.
    pub state: ConversationState,
    /// Agent, once one is assigned.
    pub agent: Option<AgentInfo>,
    /// Customer id (JWT `sub`) for authenticated visitors.
    pub customer_id: Option<String>,
    /// Creation time.
    pub created_at: Millis,
    /// Highest sequence number in the conversation.
    pub last_seq: u64,
    /// 1-based queue position while waiting.
    pub position_in_queue: Option<u32>,
    /// Who closed it (`visitor`, `agent`, `system`).
    pub closed_by: Option<Sender>,
    /// The visitor has seen every message up to this seq (read receipts:
    /// [`super::ClientFrame::Read`]); 0 for none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub visitor_read_seq: u64,
    /// The conversation's agent has seen every message up to this seq.
    #[cfg_attr(feature = "serde", serde(default))]
    pub agent_read_seq: u64,
}

/// `POST /v1/conversations` response.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct StartResponse {
    /// The conversation.
    pub conversation: ConversationInfo,
    /// Bearer token for this conversation (also a cookie in secure-cookie mode).
    pub session_token: String,
    /// When the session token expires.
    pub session_expires_at: Millis,
    /// True when an existing open conversation was returned (same customer).
    pub resumed: bool,
    /// Path of the visitor WebSocket.
    pub ws_path: String,
}

/// `POST /v1/conversations/resume` body (token in body, bearer header or cookie).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct ResumeRequest {
    /// Session token.
    pub session_token: Option<String>,
    /// Last sequence number the client has seen (0 for none).
    pub after_seq: u64,
}

/// `POST /v1/conversations/{id}/auth` body: the HTTP equivalent of the
/// socket's `auth` frame.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AuthRequest {
    /// A fresh visitor JWT (same `sub` as the one that started the chat).
    pub auth_token: String,
}

/// `POST /v1/conversations/{id}/auth` response.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AuthResponse {
    /// The token's `exp`, in ms.
    pub expires_at: Millis,
}

/// `POST /v1/conversations/resume` and `GET .../messages` response.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ResumeResponse {
    /// The conversation.
    pub conversation: ConversationInfo,
    /// Messages with `seq > afterSeq`, in order.
    pub messages: Vec<Message>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Sender {
    /// The visitor.
    Visitor,
    /// An agent.
    Agent,
    /// The server (joins, closes).
    System,
}


/// A message in a conversation.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Message {
    /// Per-conversation sequence number, starting at 1, gap-free.
    pub seq: u64,
    /// Client-generated id (idempotency key); absent for system messages.
    pub client_id: Option<String>,
    /// Author kind.
    pub sender: Sender,
    /// Author display name.
    pub author_name: Option<String>,
    /// Text (plain text, never HTML).
    pub text: String,
    /// Attachment, if any.
    pub attachment: Option<AttachmentInfo>,
    /// Server time of acceptance.
    pub sent_at: Millis,
}

/// Attachment metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AttachmentInfo {
    /// Attachment id.
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Download path (needs the same bearer token).
    pub url: String,
}

/// `POST /v1/conversations/{id}/messages` body (HTTP fallback for sending).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct SendMessageRequest {
    /// Idempotency key.
    pub client_id: String,
    /// Text.
    pub text: String,
    /// Attachment previously uploaded.
    pub attachment_id: Option<String>,
}

/// Acknowledgement of a sent message.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct SendAck {
    /// The client id that was sent.
    pub client_id: String,
    /// Assigned sequence number.
    pub seq: u64,
    /// True if the server had already accepted this client id.
    pub duplicate: bool,
    /// Server time of acceptance.
    pub sent_at: Millis,
}

/// Thumbs up / down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Rating {
    /// Satisfied.
    Up,
    /// Not satisfied.
    Down,
}

/// `POST /v1/conversations/{id}/rating` body.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RatingRequest {
    /// The rating.
    pub rating: Rating,
    /// Optional comment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub comment: Option<String>,
}

/// `POST /v1/widgets/{widgetId}/offline-messages` body.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct OfflineMessageRequest {
    /// Visitor name.
    pub name: String,
    /// Visitor e-mail.
    pub email: String,
    /// The message.
    pub message: String,
    /// Other form answers.
    pub fields: BTreeMap<String, String>,
}

/// Response carrying just an id (offline message, attachment upload).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct IdResponse {
    /// The new id.
    pub id: String,
}

/// `POST /v1/agent/login` body.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AgentLoginRequest {
    /// Agent user name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /v1/agent/login` response.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AgentLoginResponse {
    /// Bearer token for the agent API and WebSocket.
    pub token: String,
    /// The agent.
    pub agent: AgentInfo,
    /// Token expiry.
    pub expires_at: Millis,
    /// When this sign-in ends: no refresh goes past it, so the agent signs
    /// in again with the password (the server's `agent_session_hours`
    /// after the login). Absent when the server sets no such limit.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub signed_in_until: Option<Millis>,
}

/// A conversation as listed in the agent console.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AgentConversation {
    /// The conversation.
    pub conversation: ConversationInfo,
    /// Displayable context variables.
    pub context: BTreeMap<String, ContextEntry>,
    /// Pre-chat answers.
    pub pre_chat: BTreeMap<String, String>,
    /// Since when the visitor has had no chat socket open (the page closed
    /// or asleep, or not opened yet): absent while one is open, and once
    /// the conversation is closed. The server closes it after its
    /// `visitor_gone_close_secs`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub visitor_away_since: Option<Millis>,
}
