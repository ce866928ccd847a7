//! Many tabs, one conversation: one WebSocket per browser.
//!
//! * **Creation** — `startChat` takes the Web Lock `lcw:<prefix>:<widget>:start`;
//!   under it, a tab that finds a session in localStorage joins it, else it
//!   creates the conversation (`POST /v1/conversations`) and stores it. Ten
//!   tabs calling `startChat` at once therefore create one conversation.
//! * **Leader** — every tab in the chat requests the lock
//!   `lcw:<prefix>:<widget>:leader` and holds it, once granted, until it
//!   closes or the SDK is destroyed. The holder restores the session from
//!   localStorage (history, last seq, outbox) and owns the only socket; it
//!   relays every message and state it applies on the `BroadcastChannel`
//!   `lcw:<prefix>:<widget>`, after storing it.
//! * **Followers** — keep their own timeline from those relays (catching up
//!   from storage on a gap) and send through the leader. A follower keeps
//!   each send until the message comes back with a `seq`, and sends it again
//!   to each new leader, which hands it to the server with the same client id
//!   (the server dedupes), so nothing is lost or doubled at a takeover.
//!   A file is uploaded by the tab it was attached in (any tab: the stored
//!   session is the credential); only the message carrying it goes through
//!   the leader (`send.rs`).
//! * **Takeover** — when the leader's tab closes the browser grants the lock
//!   to another tab, which catches up from storage, adds its unacked sends to
//!   the restored outbox, connects (hello with the last seq: the server
//!   replays what is missing) and announces itself so followers resend.
//! * **Fallback** — without Web Locks, `BroadcastChannel` or storage consent
//!   (the session is shared through localStorage), [`available`] is false and
//!   each tab keeps its own session and socket, as before.

mod channel;
mod follower;
pub(crate) mod lock;
mod send;
mod start;
mod token;

use crate::core::context::Context;
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::ConversationState;
use crate::core::session::Persisted;
use crate::core::tabs::{Follower, TabMsg};
use crate::web::events::{dispatch, report};
use crate::web::session::{self, connection_event, emit, http, Relay, Session};
use crate::web::state::{ChatPhase, Inner};
use channel::Channel;
use lock::Lock;
pub use start::{start, Started};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// Whether tabs can share one conversation here: Web Locks,
/// `BroadcastChannel` and storage consent.
pub fn available(inner: &Inner) -> bool {
    inner.consent.get() && channel::supported() && lock::lock_manager().is_some()
}

/// [`available`], and localStorage takes a write now: the tabs share the
/// conversation through it, so with storage blocked or full a chat in
/// many-tabs mode had no session any tab could lead (it started, and then
/// nothing was ever sent). Asked when a chat starts or is picked up.
pub fn can_share(inner: &Inner) -> bool {
    available(inner) && crate::web::jar::storage_works()
}

/// The prefix of this conversation's lock and channel names.
pub(crate) fn name(inner: &Inner) -> String {
    format!("lcw:{}:{}", inner.config.visits.prefix, inner.config.widget_id)
}

pub(crate) fn failed(what: &str) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, what)
}

/// How long a tab granted the lock of a conversation that is gone waits
/// for the channel's word on how it ended (see [`Tabs::ended_elsewhere`]).
const ENDED_GRACE_MS: u32 = 2000;

enum Role {
    Follower(Follower),
    Leader(Rc<Session>),
    Over,
}

/// This tab's part in the browser's one conversation. Dropping it releases
/// the leader lock (another tab takes over), closes the channel and detaches
/// the session (which stays stored).
pub struct Tabs {
    inner: Weak<Inner>,
    base: String,
    conversation_id: String,
    token: String,
    channel: RefCell<Option<Channel>>,
    leader_lock: RefCell<Option<Lock>>,
    role: RefCell<Role>,
    /// The leader waits for another tab's token (token.rs): the resolve
    /// function of that wait.
    token_wait: RefCell<Option<js_sys::Function>>,
    /// The leader's socket is down (`lcw:chatReconnecting` told here).
    down: Cell<bool>,
    /// A follower shown again asks the leader to check its socket
    /// ([`TabMsg::CheckSocket`]).
    shown: RefCell<Option<gloo_events::EventListener>>,
}

impl Tabs {
    /// Joins the stored conversation as a follower and asks to lead.
    pub fn join(inner: &Rc<Inner>, base: &str, stored: Persisted) -> Rc<Tabs> {
        let t = Rc::new(Tabs {
            inner: Rc::downgrade(inner),
            base: base.to_string(),
            conversation_id: stored.conversation_id.clone(),
            token: stored.session_token.clone(),
            channel: RefCell::new(None),
            leader_lock: RefCell::new(None),
            role: RefCell::new(Role::Follower(Follower::from_stored(&stored))),
            token_wait: RefCell::new(None),
            down: Cell::new(false),
            shown: RefCell::new(None),
        });
        let name = name(inner);
        let weak = Rc::downgrade(&t);
        *t.channel.borrow_mut() = Channel::open(&name, &stored.conversation_id, move |m| {
            if let Some(t) = weak.upgrade() {
                t.on_tab_msg(m);
            }
        });
        if let Some(window) = web_sys::window() {
            let weak = Rc::downgrade(&t);
            *t.shown.borrow_mut() = Some(gloo_events::EventListener::new(&window, "visibilitychange", move |_| {
                let shown = web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden());
                if let Some(t) = weak.upgrade().filter(|t| shown && matches!(*t.role.borrow(), Role::Follower(_))) {
                    t.post(&TabMsg::CheckSocket);
                }
            }));
        }
        if let Some(lock) = Lock::request(&format!("{name}:leader")) {
            let granted = lock.granted();
            *t.leader_lock.borrow_mut() = Some(lock);
            let weak = Rc::downgrade(&t);
            wasm_bindgen_futures::spawn_local(async move {
                if granted.await {
                    if let Some(t) = weak.upgrade() {
                        t.promote();
                    }
                }
            });
        }
        t
    }

    /// Conversation id.
    pub fn conversation_id(&self) -> &str {
        &self.conversation_id
    }

    /// The server base URL and the stored session token (every tab of the
    /// conversation may download its files).
    pub fn credentials(&self) -> (String, String) {
        (self.base.clone(), self.token.clone())
    }

    /// Whether this tab owns the socket.
    pub fn is_leader(&self) -> bool {
        matches!(*self.role.borrow(), Role::Leader(_))
    }

    fn post(&self, m: &TabMsg) {
        if let Some(c) = self.channel.borrow().as_ref() {
            c.post(m);
        }
    }

    /// The lock is ours: take the session over from storage.
    fn promote(self: &Rc<Self>) {
        let Some(inner) = self.inner.upgrade().filter(|i| !i.destroyed.get()) else { return };
        if !matches!(*self.role.borrow(), Role::Follower(_)) {
            return; // ended while the grant was on its way
        }
        let stored = session::load_stored(&inner).filter(|p| p.conversation_id == self.conversation_id);
        let Some(stored) = stored else {
            return self.ended_elsewhere();
        };
        let Role::Follower(mut f) = std::mem::replace(&mut *self.role.borrow_mut(), Role::Over) else { return };
        for s in f.catch_up(&stored) {
            follower::show(&s);
        }
        let s = Session::restore(&inner, &self.base, stored);
        let weak = Rc::downgrade(self);
        s.set_relay(Some(Rc::new(move |r: Relay<'_>| {
            if let Some(t) = weak.upgrade() {
                t.relay(r);
            }
        })));
        // Our unacked sends join the restored outbox (one the old leader had
        // already taken is refused as a duplicate id: it is there already).
        for p in f.pending.items() {
            let _ = s.queue(p.client_id.clone(), p.text.clone(), p.attachment.clone());
        }
        *self.role.borrow_mut() = Role::Leader(s);
        self.post(&TabMsg::Leader);
    }

    /// Granted the lock, but the stored session is gone: the conversation
    /// ended in another tab. That tab posts how it ended (the state, then
    /// `Ended`) before it lets the lock go, but the browser may grant the
    /// lock here before it delivers those posts. So stay a follower for a
    /// moment: the posts then report the end here as in every other tab
    /// (`lcw:threadUpdate`, `lcw:closeChat`). The lock goes at once; with no
    /// word (the session expired), the chat ends here after the grace.
    fn ended_elsewhere(self: &Rc<Self>) {
        self.leader_lock.borrow_mut().take();
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            crate::web::promise::Sleep::new(ENDED_GRACE_MS).await;
            if let Some(t) = weak.upgrade() {
                t.ended(false); // no-op when `Ended` came meanwhile
            }
        });
    }

    /// The old leader's word that the conversation closed reached this tab
    /// after it took the lead. That happens when the lock is granted before
    /// the old leader's removal of the stored session reaches this tab's
    /// storage (another tab's write arrives asynchronously): the promotion
    /// restored a conversation that is over. Report the end as a follower
    /// would (`lcw:threadUpdate`), then end here; the restored session's
    /// own answer from the server is dropped with it, so the end is
    /// reported once.
    fn closed_before_promotion(self: &Rc<Self>, c: &crate::core::protocol::ConversationInfo) {
        follower::conversation_state(c);
        self.ended(false);
    }

    /// Leader: what the session applied goes to the followers.
    fn relay(self: &Rc<Self>, r: Relay<'_>) {
        match r {
            Relay::Message(m) => self.post(&TabMsg::Message { message: m.clone() }),
            Relay::Conversation(c) => self.post(&TabMsg::State { conversation: c.clone() }),
            Relay::Refused(id) => self.post(&TabMsg::Refused { client_id: id.to_string() }),
            Relay::Video(call) => self.post(&TabMsg::Video { call: call.clone() }),
            Relay::Connection(connected) => {
                self.post(&TabMsg::Connection { connected });
                connection_event(&self.down, &self.conversation_id, connected);
            }
            Relay::Ended => {
                self.post(&TabMsg::Ended { by_visitor: false });
                self.ended(false);
            }
            Relay::Read(reader, seq) => self.post(&TabMsg::Read { reader, seq }),
        }
    }

    fn on_tab_msg(self: &Rc<Self>, m: TabMsg) {
        match m {
            TabMsg::Send { client_id, text, attachment, .. } => {
                let leader = match &*self.role.borrow() {
                    Role::Leader(s) => Some(s.clone()),
                    _ => None,
                };
                // A resend of a message already queued or stored is skipped.
                if let Some(s) = leader.filter(|s| !s.knows(&client_id)) {
                    let _ = s.queue(client_id, text, attachment);
                }
            }
            TabMsg::NeedToken => self.give_token(),
            TabMsg::Token { token } => self.took_token(token),
            TabMsg::Ended { by_visitor } => self.ended(by_visitor),
            TabMsg::Connection { connected } => connection_event(&self.down, &self.conversation_id, connected),
            TabMsg::Video { call } => {
                if let Some(inner) = self.inner.upgrade() {
                    crate::web::video::on_call(&inner, call);
                }
            }
            // A new leader may not have our unacked sends.
            TabMsg::Leader => self.resend(),
            TabMsg::MarkRead { seq } => {
                if let Some(s) = self.leader_session() {
                    s.mark_read(Some(seq));
                }
            }
            TabMsg::Typing { is_typing } => {
                if let Some(s) = self.leader_session() {
                    s.typing(is_typing);
                }
            }
            TabMsg::CheckSocket => {
                if let Some(s) = self.leader_session() {
                    s.check_socket(false);
                }
            }
            other => {
                let mut role = self.role.borrow_mut();
                let report = match &mut *role {
                    Role::Follower(f) => follower::follow(f, other, &self.inner),
                    Role::Leader(_) => match other {
                        TabMsg::State { conversation } if conversation.state == ConversationState::Closed => {
                            drop(role);
                            return self.closed_before_promotion(&conversation);
                        }
                        _ => None,
                    },
                    Role::Over => None,
                };
                // Events only once the role is let go: their handlers may
                // call the SDK, which reads it (a trap before).
                drop(role);
                if let Some(r) = report {
                    follower::report(r, &self.conversation_id);
                }
            }
        }
    }

    /// The session, when this tab leads (holds the socket).
    pub fn leader_session(&self) -> Option<Rc<Session>> {
        match &*self.role.borrow() {
            Role::Leader(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// Messages and pending sends for `getMessages()`.
    pub fn messages_js(&self) -> js_sys::Array {
        match &*self.role.borrow() {
            Role::Leader(s) => s.messages_js(),
            Role::Follower(f) => emit::messages_js(&f.timeline, &f.pending),
            Role::Over => js_sys::Array::new(),
        }
    }

    /// `closeChat` in this tab: every tab forgets the conversation, which is
    /// closed on the server and erased from storage.
    pub async fn close(&self) {
        let role = std::mem::replace(&mut *self.role.borrow_mut(), Role::Over);
        self.post(&TabMsg::Ended { by_visitor: true });
        self.leader_lock.borrow_mut().take();
        match role {
            Role::Leader(s) => {
                s.set_relay(None);
                s.close().await;
            }
            _ => {
                if let Some(inner) = self.inner.upgrade() {
                    session::clear_stored(&inner);
                }
                let path = format!("/v1/conversations/{}/close", self.conversation_id);
                if let Err(e) = http::request_retrying("POST", &session::url(&self.base, &path), Some("{}"), Some(&self.token)).await {
                    report(&e);
                }
            }
        }
    }

    /// The conversation is over (here or in another tab): stop, and let a
    /// new chat start.
    fn ended(self: &Rc<Self>, by_visitor: bool) {
        if let Role::Leader(s) = std::mem::replace(&mut *self.role.borrow_mut(), Role::Over) {
            s.set_relay(None);
            s.end();
        }
        self.leader_lock.borrow_mut().take();
        let Some(inner) = self.inner.upgrade() else { return };
        let ours = inner.tabs.borrow().as_ref().is_some_and(|t| Rc::ptr_eq(t, self));
        if !ours {
            return;
        }
        inner.tabs.borrow_mut().take();
        crate::web::video::chat_over(&inner);
        *inner.left.borrow_mut() = Some(self.conversation_id.clone());
        inner.phase.set(ChatPhase::Idle);
        inner.refresh.borrow_mut().take();
        inner.token.borrow_mut().take();
        *inner.chat_context.borrow_mut() = Context::default();
        if by_visitor {
            dispatch("lcw:closeChat", &JsValue::UNDEFINED);
        }
        crate::web::proactive::chat_changed(&inner, false);
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        if let Role::Leader(s) = std::mem::replace(self.role.get_mut(), Role::Over) {
            s.set_relay(None);
            s.detach();
        }
        // The lock (released: another tab takes over) and the channel
        // (closed) go with their fields.
    }
}
