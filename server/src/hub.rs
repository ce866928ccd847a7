//! In-process fan-out: one broadcast channel per conversation (visitor
//! sockets) and one per agent (agent sockets). Frames are serialized once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lcw_sdk::core::protocol::ServerFrame;
use tokio::sync::broadcast;

/// A serialized frame plus the message seq it carries, if any.
#[derive(Debug)]
pub struct Outbound {
    /// Seq of a `message` frame (for resume dedupe).
    pub seq: Option<u64>,
    /// Conversation the frame belongs to.
    pub conversation_id: Option<String>,
    /// JSON text.
    pub json: String,
}

impl Outbound {
    /// Serializes a frame.
    pub fn new(frame: &ServerFrame) -> Arc<Outbound> {
        let (seq, conversation_id) = match frame {
            ServerFrame::Message { message, conversation_id } => (Some(message.seq), Some(conversation_id.clone())),
            ServerFrame::Ack { conversation_id, .. } | ServerFrame::Typing { conversation_id, .. } => (None, Some(conversation_id.clone())),
            ServerFrame::ConversationUpdated { conversation } => (None, Some(conversation.id.clone())),
            ServerFrame::Video { conversation_id, .. } | ServerFrame::Rtc { conversation_id, .. } => (None, Some(conversation_id.clone())),
            _ => (None, None),
        };
        let json = serde_json::to_string(frame).unwrap_or_else(|_| r#"{"type":"error","code":"internal","message":"encode"}"#.into());
        Arc::new(Outbound { seq, conversation_id, json })
    }
}

/// Sender half of a channel.
pub type Tx = broadcast::Sender<Arc<Outbound>>;

/// Per-conversation channel plus an ordering lock held across
/// store-append and publish so frames go out in seq order.
#[derive(Debug)]
pub struct ConvChannel {
    /// Broadcast to visitor sockets.
    pub tx: Tx,
    /// Serializes appends of this conversation.
    pub order: tokio::sync::Mutex<()>,
}

/// All channels.
#[derive(Debug, Default)]
pub struct Hub {
    convs: Mutex<HashMap<String, Arc<ConvChannel>>>,
    agents: Mutex<HashMap<String, Tx>>,
}

const CONV_CAPACITY: usize = 256;
const AGENT_CAPACITY: usize = 8192;

impl Hub {
    /// Channel of a conversation (created on first use).
    pub fn conv(&self, id: &str) -> Arc<ConvChannel> {
        let mut m = self.convs.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(id.to_string())
            .or_insert_with(|| Arc::new(ConvChannel { tx: broadcast::channel(CONV_CAPACITY).0, order: tokio::sync::Mutex::new(()) }))
            .clone()
    }

    /// Forgets a closed conversation's channel once nobody listens.
    pub fn forget_conv(&self, id: &str) {
        let mut m = self.convs.lock().unwrap_or_else(|p| p.into_inner());
        if m.get(id).is_some_and(|c| c.tx.receiver_count() == 0) {
            m.remove(id);
        }
    }

    /// Channel of an agent (created on first use).
    pub fn agent(&self, id: &str) -> Tx {
        let mut m = self.agents.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(id.to_string()).or_insert_with(|| broadcast::channel(AGENT_CAPACITY).0).clone()
    }

    /// Sends to a conversation's visitors.
    pub fn to_conv(&self, id: &str, out: &Arc<Outbound>) {
        let _ = self.conv(id).tx.send(out.clone());
    }

    /// Sends to an agent's sockets.
    pub fn to_agent(&self, agent_id: &str, out: &Arc<Outbound>) {
        let _ = self.agent(agent_id).send(out.clone());
    }
}
