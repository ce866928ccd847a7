//! WebSocket frames (JSON text frames tagged by `type`).
//!
//! Visitor socket: `GET /v1/ws`, first frame [`ClientFrame::Hello`].
//! Agent socket: `GET /v1/agent/ws`, first frame [`ClientFrame::AgentHello`].

use serde::{Deserialize, Deserializer, Serialize};

use super::http::{AgentConversation, AgentInfo, ConversationInfo, Message, Sender};
use super::error::ErrorCode;
use super::Millis;
use crate::core::de::{self, Tagged};

/// Frames sent by a client (visitor or agent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ClientFrame {
    /// Visitor: authenticate and resume after `lastSeq` (0 for everything).
    Hello {
        /// Session token (may be omitted when the session cookie is sent).
        #[serde(default)]
        session_token: Option<String>,
        /// Last sequence number the client has seen.
        #[serde(default)]
        last_seq: u64,
        /// The visitor's current JWT, when the page has an auth token
        /// provider: checked like an [`ClientFrame::Auth`] frame.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auth_token: Option<String>,
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
        #[serde(default)]
        conversation_id: Option<String>,
        /// Idempotency key, unique per conversation.
        client_id: String,
        /// Text.
        text: String,
        /// Previously uploaded attachment.
        #[serde(default)]
        attachment_id: Option<String>,
    },
    /// Typing indicator.
    Typing {
        /// Conversation (agents only).
        #[serde(default)]
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
        #[serde(default)]
        conversation_id: Option<String>,
    },
    /// Agent: fetch history of a conversation after `afterSeq`.
    Fetch {
        /// Conversation id.
        conversation_id: String,
        /// Last sequence number the agent has.
        #[serde(default)]
        after_seq: u64,
    },
    /// Keep-alive; answered by `pong`.
    Ping,
}

/// Frames sent by the server.
///
/// `Deserialize` is written by hand (below) to keep serde's buffering out of
/// the wasm build; it accepts exactly what the derive did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ServerFrame {
    /// Visitor hello accepted; missed messages follow as `message` frames.
    Welcome {
        /// Current conversation state.
        conversation: ConversationInfo,
        /// Set when the server enforces the visitor JWT's expiry on this
        /// conversation (`jwt` auth mode): the recorded `exp`, in ms, or 0
        /// when none is recorded (send an `auth` frame before posting).
        #[serde(skip_serializing_if = "Option::is_none")]
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
        #[serde(skip_serializing_if = "Option::is_none")]
        client_id: Option<String>,
    },
    /// Answer to `ping`.
    Pong,
}

/// The wire names of [`ServerFrame`], in declaration order. A new frame
/// needs its name here and one arm in `deserialize` below (fields in
/// declaration order: `f.req` for required ones, `f.opt` for
/// `Option`/defaulted ones; `b.unit()` for a frame without fields); the
/// round trip in `src/core/de_tests.rs` checks both.
const SERVER_FRAME: Tagged = Tagged {
    tag: "type",
    variants: &[
        "welcome", "auth_ok", "agent_welcome", "message", "ack", "typing", "conversation_updated",
        "agent_conversation_updated", "history", "error", "pong",
    ],
    expecting: "internally tagged enum ServerFrame",
};

impl<'de> Deserialize<'de> for ServerFrame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use ServerFrame as F;
        de::tagged(d, &SERVER_FRAME, |tag, b| {
            Ok(match tag {
                "welcome" => {
                    let mut f = b.fields(&["conversation", "authExpiresAt"], false)?;
                    F::Welcome { conversation: f.req("conversation")?, auth_expires_at: f.opt("authExpiresAt")? }
                }
                "auth_ok" => {
                    let mut f = b.fields(&["expiresAt"], false)?;
                    F::AuthOk { expires_at: f.req("expiresAt")? }
                }
                "agent_welcome" => {
                    let mut f = b.fields(&["agent", "conversations"], false)?;
                    F::AgentWelcome { agent: f.req("agent")?, conversations: f.req("conversations")? }
                }
                "message" => {
                    let mut f = b.fields(&["conversationId", "message"], false)?;
                    F::Message { conversation_id: f.req("conversationId")?, message: f.req("message")? }
                }
                "ack" => {
                    let mut f = b.fields(&["conversationId", "clientId", "seq", "duplicate"], false)?;
                    F::Ack {
                        conversation_id: f.req("conversationId")?,
                        client_id: f.req("clientId")?,
                        seq: f.req("seq")?,
                        duplicate: f.req("duplicate")?,
                    }
                }
                "typing" => {
                    let mut f = b.fields(&["conversationId", "sender", "isTyping"], false)?;
                    F::Typing { conversation_id: f.req("conversationId")?, sender: f.req("sender")?, is_typing: f.req("isTyping")? }
                }
                "conversation_updated" => {
                    let mut f = b.fields(&["conversation"], false)?;
                    F::ConversationUpdated { conversation: f.req("conversation")? }
                }
                "agent_conversation_updated" => {
                    let mut f = b.fields(&["conversation"], false)?;
                    F::AgentConversationUpdated { conversation: f.req("conversation")? }
                }
                "history" => {
                    let mut f = b.fields(&["conversationId", "messages"], false)?;
                    F::History { conversation_id: f.req("conversationId")?, messages: f.req("messages")? }
                }
                "error" => {
                    let mut f = b.fields(&["code", "message", "clientId"], false)?;
                    F::Error { code: f.req("code")?, message: f.req("message")?, client_id: f.opt("clientId")? }
                }
                "pong" => {
                    b.unit()?;
                    F::Pong
                }
                _ => return Err(SERVER_FRAME.unknown(tag)),
            })
        })
    }
}
