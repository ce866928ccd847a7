//! Many tabs, one conversation — the pure part: the messages tabs exchange
//! over a `BroadcastChannel`, and a follower tab's view of the chat.
//!
//! One tab (the leader, elected with Web Locks) owns the WebSocket and
//! relays every message it applies; the others (followers) keep their own
//! [`Timeline`] from those relays, catch up from storage when they notice a
//! gap, and keep their own unacknowledged sends in an [`Outbox`] until they
//! see the message come back with a `seq` (resent to each new leader). The
//! browser side is `src/web/tabs/`.

use crate::core::protocol::{AttachmentInfo, ConversationInfo, Message};
use crate::core::session::{Applied, Outbox, Pending, Persisted, Receipts, Timeline, MAX_HISTORY};
use crate::core::json::{Error, FromJson, Obj, ObjWriter, ToJson, Value};

/// What tabs say to each other (JSON on the channel, tagged by `t`).
/// Its JSON is written by hand (below; see `crate::core::json`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "t", rename_all = "snake_case", rename_all_fields = "camelCase"))]
pub enum TabMsg {
    /// Leader → all: this tab leads now; followers (re)send what waits.
    Leader,
    /// Leader → all: a message the leader applied (stored before sent).
    Message {
        /// The message, with its `seq`.
        message: Message,
    },
    /// Leader → all: the conversation's state changed.
    State {
        /// The conversation.
        conversation: ConversationInfo,
    },
    /// Leader → all: the server refused a send for good.
    Refused {
        /// The refused message's client id.
        client_id: String,
    },
    /// Any tab → all: the conversation is over; `by_visitor` when a tab
    /// called `closeChat`.
    Ended {
        /// Closed by the visitor in some tab.
        by_visitor: bool,
    },
    /// Leader → all: the conversation's video call changed (every tab
    /// shows an invitation; any tab may take the call).
    Video {
        /// The call.
        call: crate::core::protocol::VideoCall,
    },
    /// Leader → all: its chat socket dropped (`connected: false`, the
    /// chat is reconnecting) or the server took it (again).
    Connection {
        /// Whether the leader's socket is connected.
        connected: bool,
    },
    /// Follower → leader: please send this message.
    Send {
        /// Idempotency key (kept across leaders).
        client_id: String,
        /// Text.
        text: String,
        /// When typed (ms since epoch).
        created_at: i64,
        /// A file the follower uploaded itself, which the message carries
        /// (`text` is then its caption).
        #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
        attachment: Option<AttachmentInfo>,
    },
    /// Leader → all: the chat server wants a fresh visitor token and this
    /// tab's page has no auth token provider; a tab whose page has one
    /// answers with [`TabMsg::Token`].
    NeedToken,
    /// Follower → leader: a fresh visitor token from this tab's provider.
    Token {
        /// The JWT.
        token: String,
    },
    /// Leader → all: a read receipt came (`reader` has seen up to `seq`).
    Read {
        /// `visitor` (this visitor, in some tab or device) or `agent`.
        reader: crate::core::protocol::Sender,
        /// The highest seq seen.
        seq: u64,
    },
    /// Follower → leader: the visitor is typing (or stopped) in this tab;
    /// the leader tells the agent.
    Typing {
        /// Whether the visitor is typing.
        is_typing: bool,
    },
    /// Follower → leader: the visitor has seen up to `seq` in this tab;
    /// the leader sends the receipt.
    MarkRead {
        /// The highest seq seen.
        seq: u64,
    },
    /// Follower → leader: this tab was just shown; check the chat socket
    /// now (a hidden leader's timers are throttled, so its heartbeat may
    /// wake long after a dead socket matters to the visitor).
    CheckSocket,
}

const TAB_MSG: &[&str] = &["leader", "message", "state", "refused", "ended", "send", "video", "need_token", "token", "connection", "read", "mark_read", "typing", "check_socket"];

impl FromJson for TabMsg {
    fn from_json(v: Value) -> Result<Self, Error> {
        let (i, mut o) = Obj::tagged(v, "t", TAB_MSG, "internally tagged enum TabMsg")?;
        Ok(match TAB_MSG[i] {
            "leader" => TabMsg::Leader,
            "message" => TabMsg::Message { message: o.req("message")? },
            "state" => TabMsg::State { conversation: o.req("conversation")? },
            "refused" => TabMsg::Refused { client_id: o.req("clientId")? },
            "ended" => TabMsg::Ended { by_visitor: o.req("byVisitor")? },
            "video" => TabMsg::Video { call: o.req("call")? },
            "need_token" => TabMsg::NeedToken,
            "check_socket" => TabMsg::CheckSocket,
            "token" => TabMsg::Token { token: o.req("token")? },
            "connection" => TabMsg::Connection { connected: o.req("connected")? },
            "read" => TabMsg::Read { reader: o.req("reader")?, seq: o.req("seq")? },
            "mark_read" => TabMsg::MarkRead { seq: o.req("seq")? },
            "typing" => TabMsg::Typing { is_typing: o.req("isTyping")? },
            _ => TabMsg::Send { client_id: o.req("clientId")?, text: o.req("text")?, created_at: o.req("createdAt")?, attachment: o.get("attachment")? },
        })
    }
}

impl ToJson for TabMsg {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjWriter::new(out);
        self.fields(&mut w);
        w.end();
    }
}

impl TabMsg {
    fn fields(&self, w: &mut ObjWriter<'_>) {
        match self {
            TabMsg::Leader => w.field("t", "leader"),
            TabMsg::Message { message } => {
                w.field("t", "message");
                w.field("message", message);
            }
            TabMsg::State { conversation } => {
                w.field("t", "state");
                w.field("conversation", conversation);
            }
            TabMsg::Refused { client_id } => {
                w.field("t", "refused");
                w.field("clientId", client_id);
            }
            TabMsg::Ended { by_visitor } => {
                w.field("t", "ended");
                w.field("byVisitor", by_visitor);
            }
            TabMsg::Video { call } => {
                w.field("t", "video");
                w.field("call", call);
            }
            TabMsg::NeedToken => w.field("t", "need_token"),
            TabMsg::CheckSocket => w.field("t", "check_socket"),
            TabMsg::Connection { connected } => {
                w.field("t", "connection");
                w.field("connected", connected);
            }
            TabMsg::Read { reader, seq } => {
                w.field("t", "read");
                w.field("reader", reader);
                w.field("seq", seq);
            }
            TabMsg::MarkRead { seq } => {
                w.field("t", "mark_read");
                w.field("seq", seq);
            }
            TabMsg::Typing { is_typing } => {
                w.field("t", "typing");
                w.field("isTyping", is_typing);
            }
            TabMsg::Token { token } => {
                w.field("t", "token");
                w.field("token", token);
            }
            TabMsg::Send { client_id, text, created_at, attachment } => {
                w.field("t", "send");
                w.field("clientId", client_id);
                w.field("text", text);
                w.field("createdAt", created_at);
                w.some("attachment", attachment);
            }
        }
    }

    /// JSON for the channel.
    pub fn to_json(&self) -> String {
        crate::core::json::to_string(self)
    }

    /// Parses a channel message; `None` for anything foreign.
    pub fn from_json(s: &str) -> Option<TabMsg> {
        crate::core::json::from_str(s).ok()
    }

    /// What is posted on the channel: the message's JSON with the
    /// conversation it is about in `c`. Every variant is scoped, so a post
    /// about an earlier conversation that arrives late (the browser delivers
    /// posts and lock grants in no set order) cannot end, feed or take sends
    /// for the one a tab is in now. Tabs of an older SDK still open in the
    /// same browser read it as before (unknown fields are ignored).
    pub fn post_json(&self, conversation_id: &str) -> String {
        let mut out = String::new();
        let mut w = ObjWriter::new(&mut out);
        w.field("c", conversation_id);
        self.fields(&mut w);
        w.end();
        out
    }

    /// Reads what [`TabMsg::post_json`] wrote; `None` for anything foreign
    /// and for posts about another conversation than `conversation_id`. A
    /// post without `c` comes from a tab of an older SDK (before the scope
    /// existed) and is read as before, so tabs keep working together while a
    /// site upgrades.
    pub fn from_post(s: &str, conversation_id: &str) -> Option<TabMsg> {
        let v: Value = crate::core::json::from_str(s).ok()?;
        match v.get("c") {
            None => {}
            Some(Value::String(c)) if c == conversation_id => {}
            Some(_) => return None,
        }
        <TabMsg as FromJson>::from_json(v).ok()
    }
}

/// A message that became visible in a follower tab.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The message.
    pub message: Message,
    /// This tab's own send that it acknowledges, if any.
    pub own: Option<Pending>,
}

/// What applying a relayed message did in a follower.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a return value, used at once
pub enum FollowerApplied {
    /// Newly visible.
    New(Seen),
    /// Already shown.
    Duplicate,
    /// Messages are missing before it: catch up from storage, then retry.
    Gap,
}

/// A follower tab's view of the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Follower {
    /// What this tab shows.
    pub timeline: Timeline,
    /// This tab's sends not yet seen with a `seq`.
    pub pending: Outbox,
    /// Read receipts as the leader last told them.
    pub read: Receipts,
    /// The highest seq this tab asked the leader to mark read.
    pub read_asked: u64,
}

impl Follower {
    /// Starts from what the leader stored.
    pub fn from_stored(p: &Persisted) -> Follower {
        Follower {
            timeline: Timeline::restore(p.history.clone(), p.last_seq, MAX_HISTORY),
            pending: Outbox::default(),
            read: p.read,
            read_asked: 0,
        }
    }

    /// The visitor has seen this tab's messages: what to ask the leader to
    /// send ([`TabMsg::MarkRead`]), or `None` when that is known or asked.
    pub fn mark_read(&mut self) -> Option<TabMsg> {
        let seq = self.read.visitor_receipt(self.timeline.messages(), self.read_asked)?;
        self.read_asked = seq;
        Some(TabMsg::MarkRead { seq })
    }

    /// Applies a message relayed by the leader.
    pub fn apply(&mut self, m: Message) -> FollowerApplied {
        match self.timeline.apply(m.clone()) {
            Applied::New => FollowerApplied::New(self.seen(m)),
            Applied::Duplicate => FollowerApplied::Duplicate,
            Applied::Gap { .. } => FollowerApplied::Gap,
        }
    }

    fn seen(&mut self, message: Message) -> Seen {
        let own = message.client_id.as_deref().and_then(|id| self.pending.ack(id));
        Seen { message, own }
    }

    /// Catches up with what the leader stored (a gap, or a takeover):
    /// returns the messages newly visible here, in order.
    pub fn catch_up(&mut self, stored: &Persisted) -> Vec<Seen> {
        let old = self.timeline.last_seq();
        if stored.last_seq <= old {
            return Vec::new();
        }
        let mut fresh: Vec<Message> = stored.history.iter().filter(|m| m.seq > old && m.seq <= stored.last_seq).cloned().collect();
        fresh.sort_by_key(|m| m.seq);
        fresh.dedup_by_key(|m| m.seq);
        if fresh.first().map(|m| m.seq) != Some(old + 1) {
            // Storage no longer holds what follows our last seq (history is
            // bounded): take its view as it is.
            self.timeline = Timeline::restore(stored.history.clone(), stored.last_seq, MAX_HISTORY);
            return fresh.into_iter().map(|m| self.seen(m)).collect();
        }
        let mut out = Vec::new();
        for m in fresh {
            if let FollowerApplied::New(s) = self.apply(m) {
                out.push(s);
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "tabs_tests.rs"]
mod tests;
