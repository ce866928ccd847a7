//! The SDK's window events and `sdk.on(name, handler)` subscriptions.
//!
//! Every event is a `CustomEvent` dispatched on `window` with its payload in
//! `event.detail`. `on()` is sugar over `addEventListener` that returns an
//! unsubscribe function; the SDK owns the listeners (gloo-events), so
//! `destroy()` removes them all.

use crate::core::errors::{ErrorCode, RuntimeError, UsageError, quoted};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit};

/// The SPEC's 13 events, then the proactive-engine and video-call events.
pub const EVENT_NAMES: [&str; 29] = [
    "lcw:ready",
    "lcw:error",
    "lcw:startChat",
    "lcw:closeChat",
    "lcw:chatQueued",
    "lcw:chatRetrieved",
    "lcw:onClose",
    "lcw:onMinimize",
    "lcw:onMaximize",
    "lcw:onMessageReceived",
    "lcw:onMessageSent",
    "lcw:threadUpdate",
    "lcw:getAgentAvailability",
    "lcw:agentJoined",
    "lcw:agentTyping",
    "lcw:chatReconnecting",
    "lcw:chatReconnected",
    "lcw:messagesRead",
    "lcw:proactiveInviteShown",
    "lcw:proactiveInviteAccepted",
    "lcw:proactiveInviteDismissed",
    "lcw:proactiveInviteExpired",
    "lcw:proactiveRulesRunning",
    "lcw:videoRequested",
    "lcw:videoInvite",
    "lcw:videoCallStarted",
    "lcw:videoCallConnected",
    "lcw:videoCallReconnecting",
    "lcw:videoCallEnded",
];

/// Resolves `"ready"` or `"lcw:ready"` to the canonical event name.
pub fn canonical(name: &str) -> Option<&'static str> {
    EVENT_NAMES
        .iter()
        .copied()
        .find(|full| *full == name || full.strip_prefix("lcw:") == Some(name))
}

/// Dispatches `name` on `window` with `detail`.
pub fn dispatch(name: &str, detail: &JsValue) {
    let Some(window) = web_sys::window() else { return };
    let init = CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// Dispatches `lcw:error` for a runtime failure.
pub fn report(err: &RuntimeError) {
    dispatch("lcw:error", &crate::web::js_error::detail(err));
}

/// `lcw:error` 14 for a message the chat server refused (too long, too
/// many too fast, the conversation closed): not delivered, and not sent
/// again. The detail's `clientId` is the id `sendMessage` returned.
pub fn report_refused(client_id: &str, description: &str) {
    let detail = crate::web::js_error::detail(&RuntimeError::new(ErrorCode::TransportFailed, description));
    crate::web::args::set(detail.unchecked_ref(), "clientId", client_id.into());
    dispatch("lcw:error", &detail);
}

/// Subscriptions made through `sdk.on`, removed on drop. A `Vec` of
/// `(id, listener)` pairs: a page has a handful, and a `BTreeMap` cost
/// several KB of wasm for this one use.
#[derive(Default)]
pub struct Subscriptions {
    next: u32,
    live: Vec<(u32, EventListener)>,
}

impl Subscriptions {
    /// Subscribes `handler` to `name`; returns a function that unsubscribes.
    pub fn on(this: &Rc<RefCell<Self>>, name: &str, handler: js_sys::Function) -> Result<js_sys::Function, JsValue> {
        let Some(full) = canonical(name) else {
            return Err(crate::web::js_error::usage(
                UsageError::UnknownEvent,
                &format!("unknown event {name_q}; expected one of {}", EVENT_NAMES.join(", "), name_q = quoted(name)),
            ));
        };
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let listener = EventListener::new(&window, full, move |event| {
            if let Err(thrown) = handler.call1(&JsValue::NULL, event) {
                if full != "lcw:error" {
                    report(&RuntimeError::new(
                        ErrorCode::CallbackFailed,
                        format!("a {full} handler threw: {}", crate::web::js_error::describe(&thrown)),
                    ));
                }
            }
        });
        let mut subs = this.borrow_mut();
        let id = subs.next;
        subs.next = subs.next.wrapping_add(1);
        subs.live.push((id, listener));
        let weak = Rc::downgrade(this);
        let off = Closure::<dyn FnMut()>::new(move || {
            if let Some(subs) = weak.upgrade() {
                subs.borrow_mut().live.retain(|(i, _)| *i != id);
            }
        });
        Ok(off.into_js_value().unchecked_into())
    }

    /// Removes every subscription.
    pub fn clear(&mut self) {
        self.live.clear();
    }
}
