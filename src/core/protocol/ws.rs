//! WebSocket frames (JSON text frames tagged by `type`).
//!
//! Visitor socket: `GET /v1/ws`, first frame [`ClientFrame::Hello`].
//! Agent socket: `GET /v1/agent/ws`, first frame [`ClientFrame::AgentHello`].


use super::http::{AgentConversation, AgentInfo, ConversationInfo, Message, Sender};
use super::error::ErrorCode;
use super::video::{VideoAction, VideoCall};
use super::Millis;

/// Frames sent by a client (visitor or agent).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum ClientFrame {
    /// Visitor: authenticate and resume after `lastSeq` (0 for everything).
    Hello {
        /// Session token (may be omitted when the session cookie is sent).
        #[cfg_attr(feature = "serde", serde(default))]
        session_token: Option<String>,
        /// Last sequence number the client has seen.
        #[cfg_attr(feature = "serde", serde(default))]
        last_seq: u64,
        /// The visitor's current JWT, when the page has an auth token
        /// provider: checked like an [`ClientFrame::Auth`] frame.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        auth_token: Option<String>,
        /// A call socket (src/core/protocol/video.rs): joins this call of
        /// the conversation, which must be invited (an active one is taken:
        /// `video_unavailable`); gets only `video` and `rtc` frames, no replay.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        call_id: Option<String>,
        /// A call socket's key: chosen by the tab that joins the call and
        /// presented again by its later call sockets. A socket with the
        /// call's key takes the call's socket over (the tab's old one went
        /// silent); one with another key is refused (another tab). It tells
        /// the visitor's own tabs apart; the session token is what
        /// authenticates.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        call_key: Option<String>,
    },
    /// Visitor: a fresh JWT for the open socket (the previous one nears or
    /// passed its `exp`). Verified like the token that started the chat,
    /// for the same `sub`; answered by `auth_ok` or an `invalid_token` error.
    Auth {
        /// The JWT.
        token: String,
    },
    /// Agent: authenticate with the token from `/v1/agent/login`.
    AgentHello {
        /// Agent bearer token.
        token: String,
    },
    /// Send a message. Agents must set `conversationId`.
    Send {
        /// Conversation (agents only; visitors are bound to theirs).
        #[cfg_attr(feature = "serde", serde(default))]
        conversation_id: Option<String>,
        /// Idempotency key, unique per conversation.
        client_id: String,
        /// Text.
        text: String,
        /// Previously uploaded attachment.
        #[cfg_attr(feature = "serde", serde(default))]
        attachment_id: Option<String>,
    },
    /// Typing indicator.
    Typing {
        /// Conversation (agents only).
        #[cfg_attr(feature = "serde", serde(default))]
        conversation_id: Option<String>,
        /// Whether the sender is typing.
        is_typing: bool,
    },
    /// Agent: accept an assigned or waiting conversation.
    Accept {
        /// Conversation id.
        conversation_id: String,
    },
    /// End the conversation. Agents must set `conversationId`.
    Close {
        /// Conversation (agents only).
        #[cfg_attr(feature = "serde", serde(default))]
        conversation_id: Option<String>,
    },
    /// Agent: fetch history of a conversation after `afterSeq`.
    Fetch {
        /// Conversation id.
        conversation_id: String,
        /// Last sequence number the agent has.
        #[cfg_attr(feature = "serde", serde(default))]
        after_seq: u64,
    },
    /// Agent: invites the visitor to a video call, or ends one (`invite`,
    /// `end`; visitors use `POST …/video`).
    Video {
        /// Conversation id.
        conversation_id: String,
        /// `invite` or `end`.
        action: VideoAction,
        /// The call (`end`).
        #[cfg_attr(feature = "serde", serde(default))]
        call_id: Option<String>,
    },
    /// WebRTC signalling for the active call, relayed to the other side
    /// as it is (an SDP offer or answer, or an ICE candidate).
    Rtc {
        /// Conversation (agents only; a call socket is bound to its call).
        #[cfg_attr(feature = "serde", serde(default))]
        conversation_id: Option<String>,
        /// The call.
        call_id: String,
        /// A JSON object: `{"type":"offer"|"answer","sdp":…}` or
        /// `{"type":"candidate","candidate":RTCIceCandidateInit}`.
        payload: crate::core::json::Value,
    },
    /// Read receipt: the sender has seen every message of the conversation
    /// up to `seq` (a visitor: the agent's and the system's; an agent: the
    /// visitor's). Only ever moves forward, and never past the last seq;
    /// the server tells both sides with a [`ServerFrame::Read`].
    Read {
        /// Conversation (agents only; visitors are bound to theirs).
        #[cfg_attr(feature = "serde", serde(default))]
        conversation_id: Option<String>,
        /// The highest seq seen.
        seq: u64,
    },
    /// Keep-alive; answered by `pong`.
    Ping,
}

/// Frames sent by the server.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum ServerFrame {
    /// Visitor hello accepted; missed messages follow as `message` frames.
    Welcome {
        /// Current conversation state.
        conversation: ConversationInfo,
        /// Set when the server enforces the visitor JWT's expiry on this
        /// conversation (`jwt` auth mode): the recorded `exp`, in ms, or 0
        /// when none is recorded (send an `auth` frame before posting).
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        auth_expires_at: Option<Millis>,
    },
    /// Visitor: the `auth` frame (or the hello's token) was accepted.
    AuthOk {
        /// The token's `exp`, in ms: visitor frames are refused with
        /// `auth_expired` after it (plus the server's leeway).
        expires_at: Millis,
    },
    /// Agent hello accepted, with every conversation the agent can see.
    AgentWelcome {
        /// The agent.
        agent: AgentInfo,
        /// Waiting conversations of the agent's queues and the agent's own.
        conversations: Vec<AgentConversation>,
    },
    /// A message (new or replayed). Clients dedupe by `seq`.
    Message {
        /// Conversation id.
        conversation_id: String,
        /// The message.
        message: Message,
    },
    /// Acknowledges a `send`: the message is stored.
    Ack {
        /// Conversation id.
        conversation_id: String,
        /// The client id that was sent.
        client_id: String,
        /// Its sequence number.
        seq: u64,
        /// True if it had been accepted before (a retry).
        duplicate: bool,
    },
    /// Typing indicator of the other side.
    Typing {
        /// Conversation id.
        conversation_id: String,
        /// Who is typing.
        sender: Sender,
        /// Whether they are typing.
        is_typing: bool,
    },
    /// Conversation state changed (assigned, accepted, closed, queue position).
    ConversationUpdated {
        /// The conversation.
        conversation: ConversationInfo,
    },
    /// Agent sockets: a conversation appeared or changed in the agent's view.
    AgentConversationUpdated {
        /// The conversation with its context.
        conversation: AgentConversation,
    },
    /// History reply to `fetch`.
    History {
        /// Conversation id.
        conversation_id: String,
        /// Messages after `afterSeq`.
        messages: Vec<Message>,
    },
    /// A request failed. `clientId` is set when it refers to a `send`.
    Error {
        /// Stable code.
        code: ErrorCode,
        /// Explanation.
        message: String,
        /// The `send` it refers to (optional).
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        client_id: Option<String>,
        /// With `rate_limited`: how long to wait before trying again (ms).
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        retry_after_ms: Option<u64>,
        /// With `rate_limited` from a steady limit: the time it takes to
        /// earn one more request (ms), the pace to keep after the wait.
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        interval_ms: Option<u64>,
    },
    /// A video call changed (to the conversation's visitor sockets, its
    /// call socket and its agent's sockets).
    Video {
        /// Conversation id.
        conversation_id: String,
        /// The call.
        call: VideoCall,
    },
    /// WebRTC signalling from the other side of the active call.
    Rtc {
        /// Conversation id.
        conversation_id: String,
        /// The call.
        call_id: String,
        /// Who sent it.
        from: Sender,
        /// As sent.
        payload: crate::core::json::Value,
    },
    /// Read receipt (to the conversation's visitor sockets and its agent):
    /// `reader` has seen every message up to `seq`
    /// ([`ConversationInfo::visitor_read_seq`], `agent_read_seq`).
    Read {
        /// Conversation id.
        conversation_id: String,
        /// Who read: `visitor` or `agent`.
        reader: Sender,
        /// The highest seq seen.
        seq: u64,
    },
    /// Answer to `ping`.
    Pong,
}
