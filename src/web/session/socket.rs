//! The session's WebSocket: hello with the last sequence number, outbox
//! flush on welcome, reconnect with exponential backoff and jitter, and a
//! heartbeat that drops a socket gone silent ([`Heartbeat`]).

use super::{emit, Session, SessionRef};
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::{ClientFrame, ServerFrame};
use crate::core::session::{Beat, Heartbeat, PING_AFTER_MS};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, WebSocket};

/// A frame came on the socket whose liveness `cell` keeps.
pub(crate) fn heard(cell: &Cell<Heartbeat>) {
    let mut beat = cell.get();
    beat.heard(js_sys::Date::now());
    cell.set(beat);
}

/// The heartbeat's check of the socket whose liveness `cell` keeps
/// ([`Heartbeat::check`]; with `probe`, [`Heartbeat::probe`]): what to do
/// now and when to look next. The chat's socket and a call's use it.
pub(crate) fn beat(cell: &Cell<Heartbeat>, probe: bool) -> (Beat, Option<f64>) {
    let mut beat = cell.get();
    let now = js_sys::Date::now();
    let step = if probe { beat.probe(now) } else { beat.check(now) };
    cell.set(beat);
    step
}

/// An open (or opening) socket; dropping it detaches handlers and closes it.
pub struct Socket {
    ws: WebSocket,
    /// The server's `welcome` came on this socket (the outbox was flushed).
    welcomed: std::cell::Cell<bool>,
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut()>,
}

impl Socket {
    /// Sends a visitor message (one copy of the frame's code for the
    /// three senders: a new message, the outbox's flush, the throttle).
    #[inline(never)]
    pub fn send_message(&self, client_id: String, text: String, attachment_id: Option<String>) {
        self.send(&ClientFrame::Send { conversation_id: None, client_id, text, attachment_id });
    }

    /// Whether frames can be sent now.
    pub fn ready(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }

    /// Whether a new message may go straight out: open, and welcomed. Until
    /// the welcome, older messages wait in the outbox for its flush, so a
    /// message sent at once would reach the server before them.
    pub fn live(&self) -> bool {
        self.welcomed.get() && self.ready()
    }

    /// Sends a frame (dropped when not open: the outbox resends on welcome).
    pub fn send(&self, frame: &ClientFrame) {
        let _ = self.ws.send_with_str(&crate::core::json::to_string(frame));
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// The chat server's WebSocket URL for `base` (`""`: this page's origin).
pub(crate) fn ws_url(base: &str) -> Option<String> {
    let path = "/v1/ws";
    if let Some(rest) = base.strip_prefix("https://") {
        return Some(format!("wss://{rest}{path}"));
    }
    if let Some(rest) = base.strip_prefix("http://") {
        return Some(format!("ws://{rest}{path}"));
    }
    let loc = web_sys::window()?.location();
    let scheme = if loc.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}{base}{path}", loc.host().ok()?))
}

impl Session {
    /// Opens the socket (replacing any previous one).
    pub(crate) fn connect(self: &Rc<Self>) {
        self.retry.borrow_mut().take();
        self.socket.borrow_mut().take();
        if self.ended.get() {
            return;
        }
        let Some(url) = ws_url(&self.base) else { return };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                crate::web::events::report(&RuntimeError::new(ErrorCode::TransportFailed, format!("cannot open {url}")));
                return;
            }
        };
        let weak: SessionRef = Rc::downgrade(self);
        let w = weak.clone();
        let open = Closure::<dyn FnMut()>::new(move || {
            if let Some(s) = w.upgrade() {
                let hello = ClientFrame::Hello { session_token: Some(s.token.clone()), last_seq: s.timeline.borrow().last_seq(), auth_token: s.current_token(), call_id: None, call_key: None };
                if let Some(sock) = s.socket.borrow().as_ref() {
                    sock.send(&hello);
                }
            }
        });
        let w = weak.clone();
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let (Some(s), Some(text)) = (w.upgrade(), e.data().as_string()) else { return };
            heard(&s.beat);
            match crate::core::json::from_str::<ServerFrame>(&text) {
                Ok(frame) => emit::frame(&s, frame),
                Err(_) => crate::web::events::report(&RuntimeError::new(ErrorCode::TransportFailed, "chat server sent a malformed frame; ignored")),
            }
        });
        let w = weak;
        let close = Closure::<dyn FnMut()>::new(move || {
            if let Some(s) = w.upgrade() {
                s.dropped(false);
            }
        });
        ws.set_onopen(Some(open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(close.as_ref().unchecked_ref()));
        *self.socket.borrow_mut() = Some(Socket { ws, welcomed: Default::default(), _open: open, _message: message, _close: close });
        self.beat.set(Heartbeat::new(js_sys::Date::now()));
        self.arm_beat(PING_AFTER_MS);
    }

    /// The socket closed, or went silent (`forget`: close it without the
    /// close handshake, and its handlers with it): reconnect after a backoff.
    fn dropped(self: &Rc<Self>, forget: bool) {
        self.beat_timer.borrow_mut().take();
        // A socket the server had taken: the chat is reconnecting.
        let was_up = self.socket.borrow().as_ref().is_some_and(|k| k.welcomed.get());
        if forget {
            self.socket.borrow_mut().take();
        }
        if was_up && !self.ended.get() {
            self.connection_changed(false);
        }
        self.schedule_reconnect();
    }

    fn arm_beat(self: &Rc<Self>, ms: f64) {
        let weak = Rc::downgrade(self);
        *self.beat_timer.borrow_mut() = Some(crate::web::timeout(ms.ceil() as u32, Box::new(move || {
            if let Some(s) = weak.upgrade() {
                s.check_socket(false);
            }
        })));
    }

    /// The heartbeat's check ([`Heartbeat::check`]): at its timer, or now
    /// (the page is shown again); with `probe`, a ping now whatever the
    /// quiet (the network came back: [`Heartbeat::probe`]). Nothing while
    /// no socket is watched.
    pub(crate) fn check_socket(self: &Rc<Self>, probe: bool) {
        if self.beat_timer.borrow().is_none() {
            return;
        }
        let (what, next) = beat(&self.beat, probe);
        match what {
            Beat::Ping => {
                if let Some(sock) = self.socket.borrow().as_ref().filter(|k| k.ready()) {
                    sock.send(&ClientFrame::Ping);
                }
            }
            Beat::Dead => return self.dropped(true),
            Beat::Wait => {}
        }
        if let Some(ms) = next {
            self.arm_beat(ms);
        }
    }

    /// After a drop: one timer for the next attempt (backoff with jitter).
    pub(crate) fn schedule_reconnect(self: &Rc<Self>) {
        if self.ended.get() {
            return;
        }
        let delay = self.backoff.borrow_mut().next_delay(js_sys::Math::random());
        let weak = Rc::downgrade(self);
        *self.retry.borrow_mut() = Some(crate::web::timeout(delay as u32, Box::new(move || {
            if let Some(s) = weak.upgrade() {
                s.connect();
            }
        })));
    }

    /// Welcome received: the connection is good; resend what waits (what
    /// the server refuses for an expired token waits for `auth_ok`).
    pub(crate) fn on_welcome(&self) {
        self.backoff.borrow_mut().reset();
        if let Some(sock) = self.socket.borrow().as_ref() {
            sock.welcomed.set(true);
        }
        self.flush_outbox();
        self.save();
        self.connection_changed(true);
    }

    /// Sends every unacknowledged message again, oldest first, with its
    /// client id (the server answers a copy it has as a duplicate).
    pub(crate) fn flush_outbox(&self) {
        // All of it goes again: a refusal holds the queue anew.
        self.unthrottle();
        let pending = self.outbox.borrow_mut().take_for_sending();
        if let Some(sock) = self.socket.borrow().as_ref() {
            for p in pending {
                sock.send_message(p.client_id, p.text, p.attachment_id);
            }
        }
    }

    /// A gap in sequence numbers: reconnect, which resumes after `last_seq`.
    pub(crate) fn resync(self: &Rc<Self>) {
        self.connect();
    }
}
