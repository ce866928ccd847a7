//! Server frames turned into session state and SDK events.

use super::{Relay, Session};
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::{self as p, ConversationInfo, ConversationState, Message, Sender, ServerFrame};
use crate::core::session::{Applied, Outbox, Pending, Timeline};
use crate::web::events::{dispatch, report, report_refused};
use crate::web::state::ChatPhase;
use js_sys::Array;
use std::rc::Rc;
use wasm_bindgen::JsValue;

use crate::web::args::obj;

fn sender_name(s: Sender) -> &'static str {
    match s {
        Sender::Visitor => "visitor",
        Sender::Agent => "agent",
        Sender::System => "system",
    }
}

/// `{ id, name, mimeType, size }` of a message's file (fetch it with
/// `sdk.fetchAttachment(id)`, which sends the session's credentials).
fn attachment_js(a: &p::AttachmentInfo) -> JsValue {
    obj(&[
        ("id", a.id.as_str().into()),
        ("name", a.name.as_str().into()),
        ("mimeType", a.mime_type.as_str().into()),
        ("size", (a.size as f64).into()),
    ])
}

pub(crate) fn message_js(m: &Message) -> JsValue {
    let id = m.client_id.clone().unwrap_or_else(|| format!("seq-{}", m.seq));
    obj(&[
        ("id", id.into()),
        ("seq", (m.seq as f64).into()),
        ("text", m.text.as_str().into()),
        ("sender", sender_name(m.sender).into()),
        ("authorName", m.author_name.clone().map_or(JsValue::NULL, JsValue::from)),
        ("timestamp", (m.sent_at as f64).into()),
        ("status", "sent".into()),
        ("attachment", m.attachment.as_ref().map_or(JsValue::NULL, attachment_js)),
    ])
}

pub(crate) fn sent_js(p: &Pending, seq: Option<u64>) -> JsValue {
    obj(&[
        ("id", p.client_id.as_str().into()),
        ("seq", seq.map_or(JsValue::NULL, |s| (s as f64).into())),
        ("text", p.text.as_str().into()),
        ("sender", "visitor".into()),
        ("timestamp", (p.created_at as f64).into()),
        ("status", if seq.is_some() { "sent" } else { "sending" }.into()),
    ])
}

/// History plus pending sends, for `getMessages()`.
pub fn messages_js(t: &Timeline, o: &Outbox) -> Array {
    let out = Array::new();
    for m in t.messages() {
        out.push(&message_js(m));
    }
    for p in o.items() {
        out.push(&sent_js(p, None));
    }
    out
}

/// Applies one server frame.
pub fn frame(s: &Rc<Session>, f: ServerFrame) {
    match f {
        ServerFrame::Welcome { conversation: c, auth_expires_at } => {
            s.on_auth_welcome(auth_expires_at);
            s.on_welcome();
            s.on_read(crate::core::session::Receipts::of(&c));
            s.send_read(); // a receipt asked for while offline
            conversation(s, &c);
        }
        // Token expiry mid-chat (reauth.rs): a refused message stays queued.
        ServerFrame::AuthOk { .. } => s.on_auth_ok(),
        ServerFrame::Error { code: p::ErrorCode::AuthExpired, .. } => s.on_auth_expired(),
        ServerFrame::Error { code: p::ErrorCode::InvalidToken, message, client_id: None, .. } => s.on_token_refused(&message),
        ServerFrame::Message { message, .. } => s.on_message(message),
        ServerFrame::Ack { client_id, seq, .. } => {
            let acked = s.outbox.borrow_mut().ack(&client_id);
            if acked.is_some() {
                s.after_ack();
            }
            if let Some(p) = acked {
                // The server does not echo a visitor's message to its own
                // socket: it joins the timeline here, at its seq. A gap means
                // something before it is missing: resync replays from the
                // last contiguous seq (this message included).
                let m = Message { seq, client_id: Some(p.client_id.clone()), sender: Sender::Visitor, author_name: None,
                    text: p.text.clone(), attachment: p.attachment.clone(), sent_at: p.created_at };
                let applied = s.timeline.borrow_mut().apply(m.clone());
                dispatch("lcw:onMessageSent", &sent_js(&p, Some(seq)));
                s.save();
                match applied {
                    Applied::Gap { .. } => s.resync(),
                    Applied::New => s.relay(Relay::Message(&m)), // many tabs: followers show it
                    Applied::Duplicate => {}
                }
            }
        }
        ServerFrame::ConversationUpdated { conversation: c } => conversation(s, &c),
        ServerFrame::Read { reader, seq, .. } => {
            let mut got = s.receipts();
            got.advance(reader, seq);
            s.on_read(got);
        }
        // Video calls (src/web/video): reported here, and in the other tabs.
        ServerFrame::Video { call, .. } => {
            s.relay(Relay::Video(&call));
            if let Some(inner) = s.inner.upgrade() {
                crate::web::video::on_call(&inner, call);
            }
        }
        ServerFrame::Typing { sender, is_typing, .. } if sender != Sender::Visitor => {
            dispatch("lcw:agentTyping", &obj(&[("isTyping", is_typing.into())]));
        }
        ServerFrame::Error { code, message, client_id, retry_after_ms, interval_ms } => {
            if let Some(id) = client_id {
                // The server's rate limit: it waits and goes again (or is
                // refused for good when the wait is too long).
                if code == p::ErrorCode::RateLimited && retry_after_ms.is_some_and(|ms| s.hold(&id, ms, interval_ms)) {
                    return;
                }
                s.outbox.borrow_mut().ack(&id);
                s.save();
                s.relay(Relay::Refused(&id)); // many tabs: the sender tab drops it
                report_refused(&id, &format!("message {id} was refused: {message} ({})", code.as_str()));
            } else {
                report(&RuntimeError::new(ErrorCode::TransportFailed, format!("chat server error: {message} ({})", code.as_str())));
                if matches!(code, p::ErrorCode::InvalidSession | p::ErrorCode::ConversationClosed) {
                    finish(s);
                }
            }
        }
        _ => {}
    }
}

impl Session {
    /// A message from the server (live or replayed), shown once.
    pub(crate) fn on_message(self: &Rc<Self>, m: Message) {
        let applied = self.timeline.borrow_mut().apply(m.clone());
        match applied {
            Applied::New => {
                if m.sender == Sender::Visitor {
                    let acked = m.client_id.as_deref().and_then(|id| self.outbox.borrow_mut().ack(id));
                    if acked.is_some() {
                        self.after_ack();
                    }
                    if let Some(p) = acked {
                        dispatch("lcw:onMessageSent", &sent_js(&p, Some(m.seq)));
                    }
                } else {
                    dispatch("lcw:onMessageReceived", &message_js(&m));
                }
                self.save();
                self.relay(Relay::Message(&m)); // many tabs: followers show it
            }
            Applied::Duplicate => {}
            Applied::Gap { .. } => self.resync(),
        }
    }
}

/// Conversation state changes: queue position, agent end.
pub fn conversation(s: &Rc<Session>, c: &ConversationInfo) {
    let before = s.state.replace(c.state);
    state_events(c, before);
    s.relay(Relay::Conversation(c)); // many tabs: followers report it too
    if c.state == ConversationState::Closed {
        finish(s);
    }
}

/// The events a conversation state reports: `lcw:chatQueued` while waiting,
/// `lcw:agentJoined` when it becomes active (from `before`), and
/// `lcw:threadUpdate` when the agent or the system ended it. Shared by the
/// tab holding the socket and the tabs following it.
pub(crate) fn state_events(c: &ConversationInfo, before: ConversationState) {
    let id: JsValue = c.id.as_str().into();
    match c.state {
        ConversationState::Waiting | ConversationState::Assigned => dispatch(
            "lcw:chatQueued",
            &obj(&[("conversationId", id), ("positionInQueue", c.position_in_queue.map_or(JsValue::NULL, JsValue::from))]),
        ),
        ConversationState::Active if before != ConversationState::Active => {
            let name = c.agent.as_ref().map_or(JsValue::NULL, |a| a.display_name.as_str().into());
            dispatch("lcw:agentJoined", &obj(&[("conversationId", id), ("agentName", name)]));
        }
        ConversationState::Active => {}
        ConversationState::Closed if c.closed_by != Some(Sender::Visitor) => {
            let reason = if c.closed_by == Some(Sender::Agent) { "agentEnded" } else { "systemEnded" };
            dispatch("lcw:threadUpdate", &obj(&[("conversationId", id), ("reason", reason.into())]));
        }
        ConversationState::Closed => {}
    }
}

/// The conversation is over: forget it and let a new chat start.
fn finish(s: &Rc<Session>) {
    s.end();
    if let Some(inner) = s.inner.upgrade() {
        crate::web::video::chat_over(&inner);
    }
    s.relay(Relay::Ended); // many tabs: every tab forgets it (the leader's tabs hub included)
    if let Some(inner) = s.inner.upgrade() {
        *inner.last_conversation.borrow_mut() = Some((s.base.clone(), s.conversation_id.clone(), s.token.clone()));
        *inner.left.borrow_mut() = Some(s.conversation_id.clone());
        let same = inner.session.borrow().as_ref().is_some_and(|cur| Rc::ptr_eq(cur, s));
        if same {
            inner.session.borrow_mut().take();
            inner.phase.set(ChatPhase::Idle);
        }
    }
}
