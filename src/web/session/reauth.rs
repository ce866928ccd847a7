//! Token expiry mid-chat (docs/PROTOCOL.md, "Token expiry mid-chat"): the
//! session keeps the server's copy of the visitor JWT fresh and resends what
//! the server refused for an expired one.
//!
//! * The hello carries the current token. When the server enforces expiry
//!   (`welcome.authExpiresAt`), every token the auth provider gives later
//!   (the refresh before `exp`, or a renewal below) goes to the open socket
//!   as an `auth` frame.
//! * `auth_expired` (a send, or typing, refused): the message stays in the
//!   outbox and new ones wait there too, so the order holds; the provider is
//!   asked for a fresh token (with its timeout) and sent in an `auth` frame;
//!   on `auth_ok` the outbox goes again with the same client ids (the
//!   server dedupes, so nothing is doubled).
//! * The provider fails (code 2), gives no token (3) or a malformed or
//!   expired one (4), or the server refuses it (4): `lcw:error`; messages
//!   stay queued (`status: "sending"`) and the renewal is retried with
//!   backoff, at most [`MAX_RETRIES`] times in a row; the visitor's next
//!   message tries again.
//!
//! In many tabs the leader tab holds the socket and its session does this;
//! follower tabs' messages wait in the leader's outbox like its own.

use super::Session;
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::{ClientFrame, Millis};
use crate::core::session::Backoff;
use crate::web::events::report;
use gloo_timers::callback::Timeout;
use std::rc::Rc;

/// Renewals retried in a row after failures before waiting for the
/// visitor's next message (or the next token refresh).
pub const MAX_RETRIES: u32 = 8;

/// Where the renewal of the visitor token stands for one session.
#[derive(Default)]
pub(crate) struct AuthState {
    /// The server enforces the token's expiry (the welcome said so).
    enforced: bool,
    /// An `auth` frame is unanswered.
    awaiting: bool,
    /// The server refused something for an expired token since the last
    /// `auth_ok`: messages wait in the outbox.
    blocked: bool,
    /// The provider is being asked.
    fetching: bool,
    /// Failed renewals in a row.
    failures: u32,
    backoff: Backoff,
    retry: Option<Timeout>,
}

impl Session {
    /// Whether new messages wait in the outbox instead of going out (a
    /// renewal is under way; sending them now could reorder them).
    pub(crate) fn auth_hold(&self) -> bool {
        let a = self.auth.borrow();
        a.awaiting || a.blocked
    }

    /// The visitor token the SDK holds, for the hello.
    pub(crate) fn current_token(&self) -> Option<String> {
        self.inner.upgrade().and_then(|i| i.token.borrow().clone())
    }

    /// Stops the retry timer (the session ends or detaches).
    pub(crate) fn stop_auth(&self) {
        self.auth.borrow_mut().retry.take();
    }

    /// A welcome: whether the server enforces expiry. A new socket starts
    /// unblocked (its hello carried the current token); without a token (a
    /// chat picked up after a reload) one is fetched at once when the page
    /// has a provider (what the server then refuses waits for it).
    pub(crate) fn on_auth_welcome(self: &Rc<Self>, auth_expires_at: Option<Millis>) {
        let enforced = auth_expires_at.is_some();
        let need = enforced
            && self.current_token().is_none()
            && self.inner.upgrade().is_some_and(|i| matches!(crate::web::chat::auth_provider(&i), Ok(Some(_))));
        {
            let mut a = self.auth.borrow_mut();
            a.enforced = enforced;
            a.awaiting = false;
            a.blocked = false;
        }
        if need {
            self.renew_auth();
        }
    }

    /// A fresh token from the provider goes to the open socket when the
    /// server enforces expiry (or `force`: the server asked for one).
    pub(crate) fn push_token(&self, token: &str, force: bool) {
        let mut a = self.auth.borrow_mut();
        if !(force || a.enforced || a.blocked) {
            return;
        }
        if let Some(sock) = self.socket.borrow().as_ref().filter(|s| s.ready()) {
            a.awaiting = true;
            sock.send(&ClientFrame::Auth { token: token.to_string() });
        }
        // Else the next hello carries it (it is the SDK's current token).
    }

    /// `auth_ok`: the renewal worked; everything waiting goes, in order.
    pub(crate) fn on_auth_ok(&self) {
        {
            let mut a = self.auth.borrow_mut();
            a.awaiting = false;
            a.blocked = false;
            a.failures = 0;
            a.backoff.reset();
            a.retry = None;
        }
        self.flush_outbox();
        self.save();
    }

    /// `auth_expired`: hold messages and renew (unless an `auth` frame is
    /// already on its way: its `auth_ok` resends everything).
    pub(crate) fn on_auth_expired(self: &Rc<Self>) {
        let awaiting = {
            let mut a = self.auth.borrow_mut();
            a.blocked = true;
            a.awaiting
        };
        if !awaiting {
            self.renew_auth();
        }
    }

    /// `invalid_token`: the server refused our `auth` frame's token (code 4,
    /// retried later), or the hello's (a stale one: renew now).
    pub(crate) fn on_token_refused(self: &Rc<Self>, why: &str) {
        let ours = std::mem::replace(&mut self.auth.borrow_mut().awaiting, false);
        if ours {
            report(&RuntimeError::new(
                ErrorCode::AuthTokenInvalid,
                format!("the chat server refused the visitor token: {why}; unsent messages are kept until a token is accepted"),
            ));
            self.auth_failed();
        } else {
            self.renew_auth();
        }
    }

    /// The visitor sent a message while messages wait for a renewal: try
    /// again now if nothing is under way (retries may have run out).
    pub(crate) fn nudge_auth(self: &Rc<Self>) {
        let idle = {
            let a = self.auth.borrow();
            a.blocked && !a.awaiting && !a.fetching && a.retry.is_none()
        };
        if idle {
            self.renew_auth();
        }
    }

    /// Asks the provider for a fresh token and sends it (unless a request
    /// or a retry is already under way).
    pub(crate) fn renew_auth(self: &Rc<Self>) {
        let Some(inner) = self.inner.upgrade() else { return };
        {
            let mut a = self.auth.borrow_mut();
            if a.fetching || a.retry.is_some() {
                return;
            }
            a.fetching = true;
        }
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let result = match crate::web::chat::fresh_token(&inner).await {
                // This page has no provider: another tab of the chat may
                // have one (asked for at most the provider timeout).
                Err(e) if e.code == ErrorCode::AuthTokenMissing && matches!(crate::web::chat::auth_provider(&inner), Ok(None)) => {
                    let tabs = inner.tabs.borrow().clone();
                    let asked = match tabs {
                        Some(t) => t.ask_token(inner.config.provider_timeout_ms).await,
                        None => None,
                    };
                    match asked {
                        Some(token) => {
                            *inner.token.borrow_mut() = Some(token.clone());
                            Ok(token)
                        }
                        None => Err(e),
                    }
                }
                other => other,
            };
            drop(inner);
            let Some(s) = weak.upgrade() else { return };
            s.auth.borrow_mut().fetching = false;
            if s.ended.get() {
                return;
            }
            match result {
                Ok(token) => s.push_token(&token, true),
                Err(e) => {
                    report(&RuntimeError::new(e.code, format!("{}; unsent messages are kept until a token is accepted", e.description)));
                    s.auth_failed();
                }
            }
        });
    }

    /// A renewal failed: retry with backoff while messages wait.
    fn auth_failed(self: &Rc<Self>) {
        let mut a = self.auth.borrow_mut();
        a.failures = a.failures.saturating_add(1);
        if !a.blocked || a.failures > MAX_RETRIES {
            return;
        }
        let delay = a.backoff.next_delay(js_sys::Math::random());
        let weak = Rc::downgrade(self);
        a.retry = Some(crate::web::timeout(delay as u32, Box::new(move || {
            if let Some(s) = weak.upgrade() {
                s.auth.borrow_mut().retry = None;
                s.renew_auth();
            }
        })));
    }
}
