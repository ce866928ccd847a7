//! A chat session with the server: start or resume over HTTP, then one
//! WebSocket that reconnects with backoff and resumes from the last sequence
//! number; an outbox that keeps each message's client id across retries and
//! reloads; persistence (with consent) so a reload picks the chat up.

// pub(crate): the follower tabs (src/web/tabs) render events the same way.
pub(crate) mod emit;
mod answer;
pub mod http;
mod page;
mod reauth;
mod read;
mod relay;
mod socket;
pub(crate) use socket::{beat, heard};
mod throttle;
mod store;
mod upload;

pub use download::fetch_blob;
mod download;

use crate::core::context::{Context, Value};
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::{self as p, ClientFrame, ConversationInfo, ConversationState};
use crate::core::session::{Backoff, Heartbeat, Outbox, Persisted, ReadPace, Receipts, Throttle, Timeline, MAX_HISTORY};
use crate::web::state::Inner;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use socket::Socket;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

/// One conversation on the server.
pub struct Session {
    /// This session (for the save at the end of a task).
    me: Weak<Session>,
    inner: Weak<Inner>,
    base: String,
    /// Conversation id.
    pub conversation_id: String,
    token: String,
    expires_at: i64,
    timeline: RefCell<Timeline>,
    outbox: RefCell<Outbox>,
    socket: RefCell<Option<Socket>>,
    backoff: RefCell<Backoff>,
    retry: RefCell<Option<Timeout>>,
    /// The socket's liveness ([`Heartbeat`]) and its one timer.
    beat: Cell<Heartbeat>,
    beat_timer: RefCell<Option<Timeout>>,
    page_listeners: RefCell<Vec<EventListener>>,
    state: Cell<ConversationState>,
    ended: Cell<bool>,
    /// Renewal of the visitor JWT on the socket (token expiry mid-chat).
    auth: RefCell<reauth::AuthState>,
    /// Many tabs (src/web/tabs): in a leader tab, told of everything this
    /// session applies (after it is saved) so follower tabs can show it.
    relay: RefCell<Option<RelayHook>>,
    /// The socket dropped after a welcome and none has come since (one
    /// tab; with many tabs the hub keeps it).
    down: Cell<bool>,
    /// Read receipts as the server last told them (src/web/session/read.rs).
    read: Cell<Receipts>,
    /// The visitor's receipt asked for ([`Session::mark_read`]).
    read_wanted: Cell<u64>,
    /// At most one `read` frame a second; the timer sends the newest at
    /// the end of the gap.
    read_pace: Cell<ReadPace>,
    read_timer: RefCell<Option<Timeout>>,
    /// Sends held for the server's rate limit, and the timer that sends
    /// the next (src/web/session/throttle.rs).
    throttle: Cell<Throttle>,
    throttle_timer: RefCell<Option<Timeout>>,
    /// A change waits to be stored (see [`Session::save`]).
    save_due: Cell<bool>,
    /// The last save was written (false until one is).
    stored: Cell<bool>,
    /// The stored session was erased ([`Session::end`]): a save that waits
    /// is dropped. (After [`Session::detach`] it is still written.)
    erased: Cell<bool>,
}

/// The server base URL (`""` = this origin) joined with `path`.
pub fn url(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

fn to_wire(ctx: &Context) -> std::collections::BTreeMap<String, p::ContextEntry> {
    ctx.0.iter().map(|(k, e)| {
        let value = match &e.value {
            Value::Str(s) => p::ContextPrimitive::Text(s.clone()),
            Value::Number(n) => p::ContextPrimitive::Number(*n),
            Value::Bool(b) => p::ContextPrimitive::Bool(*b),
        };
        (k.clone(), p::ContextEntry { value, is_displayable: e.is_displayable })
    }).collect()
}

impl Session {
    fn new(inner: &Rc<Inner>, base: String, info: &ConversationInfo, token: String, expires_at: i64, timeline: Timeline, outbox: Outbox) -> Rc<Session> {
        let s = Rc::new_cyclic(|me| Session {
            me: me.clone(),
            inner: Rc::downgrade(inner),
            base,
            conversation_id: info.id.clone(),
            token,
            expires_at,
            timeline: RefCell::new(timeline),
            outbox: RefCell::new(outbox),
            socket: RefCell::new(None),
            backoff: RefCell::new(Backoff::default()),
            retry: RefCell::new(None),
            beat: Cell::new(Heartbeat::new(0.0)),
            beat_timer: RefCell::new(None),
            page_listeners: RefCell::new(Vec::new()),
            state: Cell::new(info.state),
            ended: Cell::new(false),
            auth: RefCell::new(reauth::AuthState::default()),
            relay: RefCell::new(None),
            down: Cell::new(false),
            read: Cell::new(Receipts::of(info)),
            read_wanted: Cell::new(0),
            read_pace: Cell::new(ReadPace::default()),
            read_timer: RefCell::new(None),
            throttle: Cell::new(Throttle::default()),
            throttle_timer: RefCell::new(None),
            save_due: Cell::new(false),
            stored: Cell::new(false),
            erased: Cell::new(false),
        });
        s.watch_page();
        s
    }

    /// Starts a conversation.
    pub async fn start(inner: &Rc<Inner>, base: &str, context: &Context, auth_token: Option<String>) -> Result<Rc<Session>, RuntimeError> {
        let resp = Session::create(inner, base, context, auth_token).await?;
        Ok(Session::begin(inner, base, resp))
    }

    /// Runs a conversation just created ([`Session::create`]) in this tab.
    pub fn begin(inner: &Rc<Inner>, base: &str, resp: p::StartResponse) -> Rc<Session> {
        let s = Session::new(inner, base.to_string(), &resp.conversation, resp.session_token, resp.session_expires_at, Timeline::new(MAX_HISTORY), Outbox::default());
        s.save();
        emit::conversation(&s, &resp.conversation);
        s.connect();
        s
    }

    /// Creates a conversation on the server (`POST /v1/conversations`)
    /// without connecting: [`Session::start`], and the many-tabs creator
    /// (src/web/tabs), which stores it for whichever tab leads.
    pub async fn create(inner: &Rc<Inner>, base: &str, context: &Context, auth_token: Option<String>) -> Result<p::StartResponse, RuntimeError> {
        // A code is single use: it goes with this request, and comes back
        // for the next start unless the chat starts or the server refuses it.
        let code = inner.authorization_code.borrow_mut().take();
        let req = p::StartRequest {
            widget_id: inner.config.widget_id.clone(),
            context: to_wire(context),
            auth_token,
            pre_chat: std::mem::take(&mut *inner.prechat_answers.borrow_mut()),
            locale: web_sys::window().and_then(|w| w.navigator().language()),
            authorization_code: code.as_ref().map(|c| c.code.clone()),
            code_verifier: code.as_ref().and_then(|c| c.verifier.clone()),
        };
        let body = crate::core::json::to_string(&req);
        let sent = http::request("POST", &url(base, "/v1/conversations"), Some(&body), None).await;
        if let (Err(e), Some(c)) = (&sent, code) {
            let mut slot = inner.authorization_code.borrow_mut();
            if e.code != ErrorCode::AuthorizationCodeRefused && slot.is_none() {
                *slot = Some(c);
            }
        }
        http::parse(&sent?, "start response")
    }

    /// Picks up a stored session after a reload, offline-first: history and
    /// outbox come from storage at once, and the socket's hello (token +
    /// last sequence number) resumes on the server, retrying with backoff
    /// while it is unreachable. A conversation that ended meanwhile is
    /// reported by the server and forgotten then.
    pub fn restore(inner: &Rc<Inner>, base: &str, saved: Persisted) -> Rc<Session> {
        let timeline = Timeline::restore(saved.history, saved.last_seq, MAX_HISTORY);
        let info = ConversationInfo {
            id: saved.conversation_id,
            queue_id: String::new(),
            widget_id: inner.config.widget_id.clone(),
            state: ConversationState::Waiting,
            agent: None,
            customer_id: None,
            created_at: 0,
            last_seq: saved.last_seq,
            position_in_queue: None,
            closed_by: None,
            visitor_read_seq: saved.read.visitor,
            agent_read_seq: saved.read.agent,
        };
        let s = Session::new(inner, base.to_string(), &info, saved.session_token, saved.expires_at, timeline, saved.outbox);
        s.connect();
        s
    }

    /// Queues a message and sends it when connected. Returns its client id.
    pub fn send(self: &Rc<Self>, text: String) -> Result<String, RuntimeError> {
        self.send_with_id(random_id(), text)
    }

    /// [`Session::send`] with a client id chosen earlier (a message typed
    /// while the chat was starting).
    pub fn send_with_id(self: &Rc<Self>, client_id: String, text: String) -> Result<String, RuntimeError> {
        self.queue(client_id, text, None)
    }

    /// Queues a message, with the attachment it carries if any; sent when
    /// connected.
    pub fn queue(self: &Rc<Self>, client_id: String, text: String, attachment: Option<crate::core::protocol::AttachmentInfo>) -> Result<String, RuntimeError> {
        if self.ended.get() {
            return Err(RuntimeError::new(ErrorCode::TransportFailed, "the conversation has ended"));
        }
        let now = js_sys::Date::now() as i64;
        let attachment_id = attachment.as_ref().map(|a| a.id.clone());
        let pushed = match attachment {
            Some(a) => self.outbox.borrow_mut().push_attachment(client_id.clone(), text.clone(), a, now),
            None => self.outbox.borrow_mut().push(client_id.clone(), text.clone(), now),
        };
        pushed.map_err(|e| RuntimeError::new(ErrorCode::TransportFailed, format!("message not sent: {e}")))?;
        self.save();
        if self.auth_hold() {
            // A token renewal is under way: it waits with the others (order).
            self.nudge_auth();
        } else if self.throttle.get().holding() {
            // The server's rate limit holds the queue: it goes in turn.
        } else if let Some(sock) = self.socket.borrow().as_ref().filter(|s| s.live()) {
            // Else it goes with the outbox's flush at the welcome, after the
            // messages queued before it.
            sock.send_message(client_id.clone(), text, attachment_id);
        }
        Ok(client_id)
    }

    /// Uploads a file for this conversation (`on_progress` gets 0..1);
    /// resolves to the stored attachment, or the server's refusal.
    pub async fn upload(&self, file: &web_sys::File, on_progress: impl FnMut(f64) + 'static) -> Result<crate::core::protocol::AttachmentInfo, RuntimeError> {
        upload_file(&self.base, &self.token, &self.conversation_id, file, on_progress).await
    }

    /// Tells the agent whether the visitor is typing (dropped when offline
    /// or while the visitor token is being renewed).
    pub fn typing(&self, is_typing: bool) {
        if self.auth_hold() {
            return;
        }
        if let Some(sock) = self.socket.borrow().as_ref().filter(|s| s.ready()) {
            sock.send(&ClientFrame::Typing { conversation_id: None, is_typing });
        }
    }

    /// Ends the conversation on the server (best effort) and forgets it.
    pub async fn close(self: &Rc<Self>) {
        if let Some(inner) = self.inner.upgrade() {
            *inner.last_conversation.borrow_mut() = Some((self.base.clone(), self.conversation_id.clone(), self.token.clone()));
        }
        self.end();
        // Tried again while the network or the server may still let it
        // through: a close that never arrives leaves the agent waiting.
        let path = format!("/v1/conversations/{}/close", self.conversation_id);
        if let Err(e) = http::request_retrying("POST", &url(&self.base, &path), Some("{}"), Some(&self.token)).await {
            crate::web::events::report(&e);
        }
    }

    /// Stops the socket, timers and listeners and erases stored state.
    pub fn end(&self) {
        self.ended.set(true);
        self.erased.set(true);
        self.socket.borrow_mut().take();
        self.retry.borrow_mut().take();
        self.beat_timer.borrow_mut().take();
        self.read_timer.borrow_mut().take();
        self.unthrottle();
        self.stop_auth();
        self.page_listeners.borrow_mut().clear();
        self.outbox.borrow_mut().clear();
        if let Some(inner) = self.inner.upgrade() {
            store::clear(&inner);
        }
    }

    /// Stops the socket, timers and listeners but keeps stored state (the SDK
    /// instance goes away; the conversation goes on for the next page).
    pub fn detach(&self) {
        self.ended.set(true);
        self.socket.borrow_mut().take();
        self.retry.borrow_mut().take();
        self.beat_timer.borrow_mut().take();
        self.read_timer.borrow_mut().take();
        self.stop_auth();
        self.page_listeners.borrow_mut().clear();
    }

    /// Many tabs: sets the hook told of what this session applies.
    pub fn set_relay(&self, hook: Option<RelayHook>) {
        *self.relay.borrow_mut() = hook;
    }

    /// The socket dropped (`false`) or was welcomed: the tabs hub is told
    /// (many tabs), else this tab's events fire on a change.
    pub(crate) fn connection_changed(&self, connected: bool) {
        if self.relay.borrow().is_some() {
            self.relay(Relay::Connection(connected));
        } else {
            connection_event(&self.down, &self.conversation_id, connected);
        }
    }

    /// Tells the relay hook, if any (no borrow of the session is held),
    /// once what it relays is stored: a follower tab that missed something
    /// catches up from storage.
    pub(crate) fn relay(&self, what: Relay<'_>) {
        let hook = self.relay.borrow().clone();
        if let Some(h) = hook {
            self.save_now();
            h(what);
        }
    }

    /// Many tabs: whether `client_id` is queued or already in the timeline
    /// (a follower's resend is then skipped, not sent and acked twice).
    pub fn knows(&self, client_id: &str) -> bool {
        self.outbox.borrow().items().iter().any(|p| p.client_id == client_id)
            || self.timeline.borrow().messages().iter().any(|m| m.client_id.as_deref() == Some(client_id))
    }

    /// The server base URL and the session token (`""` in secure-cookie
    /// mode), for requests made outside the session (attachment downloads).
    pub fn credentials(&self) -> (String, String) {
        (self.base.clone(), self.token.clone())
    }

    /// Stored messages and pending sends, as a JS array for `getMessages()`.
    pub fn messages_js(&self) -> js_sys::Array {
        emit::messages_js(&self.timeline.borrow(), &self.outbox.borrow())
    }
}

/// A random client id (`crypto.randomUUID`, with a fallback).
pub fn random_id() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto {
        Some(c) => c.random_uuid(),
        None => format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64),
    }
}

/// The session stored by an earlier page load, if any and still valid.
pub fn load_stored(inner: &Inner) -> Option<Persisted> {
    store::load(inner)
}

/// Whose stored session there is, if any and still valid, without reading
/// its outbox and history (main-module code uses this; see `StoredHead`).
pub fn stored_conversation(inner: &Inner) -> Option<String> {
    store::load_head(inner).map(|h| h.conversation_id)
}

/// Stores a session for the next page or another tab (consent permitting);
/// whether it was written.
pub fn store_persisted(inner: &Inner, p: &Persisted) -> bool {
    store::save(inner, p.borrowed())
}

/// Erases the stored session.
pub fn clear_stored(inner: &Inner) {
    store::clear(inner);
}

pub use store::on_stored_elsewhere;
pub(crate) use socket::ws_url as socket_url;
pub(crate) use read::read_event;
pub(crate) use relay::connection_event;
pub use relay::{Relay, RelayHook};

/// Weak handle used by socket callbacks.
pub(crate) type SessionRef = Weak<Session>;

/// Uploads a file for conversation `conversation_id` with session `token`
/// (`""` in secure-cookie mode): what [`Session::upload`] does, for a tab
/// that follows another tab's session too.
pub async fn upload_file(base: &str, token: &str, conversation_id: &str, file: &web_sys::File, on_progress: impl FnMut(f64) + 'static) -> Result<crate::core::protocol::AttachmentInfo, RuntimeError> {
    let path = format!("/v1/conversations/{conversation_id}/attachments?name={}", String::from(js_sys::encode_uri_component(&file.name())));
    upload::put_file(&url(base, &path), token, file, on_progress).await
}
