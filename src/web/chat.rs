//! Starting and closing a chat: context from the provider (or the caller),
//! the auth token (with refresh before expiry), and the events around it.
//! The transport to a chat server plugs in here.

use crate::core::context::Context;
use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::core::jwt;
use crate::web::events::{dispatch, report};
use crate::web::globals;
use crate::web::providers;
use crate::web::lazy;
use crate::web::state::{ChatPhase, Inner};
use crate::web::args::obj;
use js_sys::Function;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// The code-8 error for an auth function named in the configuration that
/// does not exist.
pub fn auth_function_missing(path: &str) -> RuntimeError {
    RuntimeError::new(ErrorCode::AuthFunctionNotFound, format!("auth token provider {path_q} is not a function on window", path_q = quoted(path)))
}

/// The auth provider: the one set through the API, else the one named in
/// the configuration (looked up again, in case the page defined it late).
pub(crate) fn auth_provider(inner: &Inner) -> Result<Option<Function>, RuntimeError> {
    if let Some(f) = inner.auth_provider.borrow().clone() {
        return Ok(Some(f));
    }
    match &inner.config.auth_token_provider {
        None => Ok(None),
        Some(path) => match globals::resolve_function(path) {
            Some(f) => Ok(Some(f)),
            None => Err(auth_function_missing(path)),
        },
    }
}

/// Starts a chat (or reopens the current one). `extra` is context merged
/// over the page's (a proactive rule's values). The providers are asked,
/// and the conversation started, by the chat's code ([`lazy::Ops::start`],
/// then [`prepare`]): a page that never chats downloads neither.
pub async fn start(inner: Rc<Inner>, custom: Option<Context>, extra: Option<Context>) {
    match inner.phase.get() {
        ChatPhase::Starting => return,
        ChatPhase::Open => {
            #[cfg(feature = "ui")]
            if let Some(ui) = inner.ui.borrow().as_ref() {
                ui.widget.open();
                return;
            }
            dispatch("lcw:onMaximize", &JsValue::UNDEFINED);
            return;
        }
        ChatPhase::Idle => {}
    }
    inner.phase.set(ChatPhase::Starting);
    let started = match lazy::load(&inner).await {
        Ok(ops) => (ops.start)(inner.clone(), custom, extra).await,
        Err(e) => Err(e),
    };
    let (context, authenticated) = match started {
        Ok(Some(done)) => done,
        Ok(None) => return, // destroyed meanwhile
        Err(e) => return abort_start(&inner, &e),
    };
    if inner.destroyed.get() {
        return;
    }
    let ctx_js = js_sys::JSON::parse(&context.to_json()).unwrap_or(JsValue::NULL);
    let detail = obj(&[("context", ctx_js), ("authenticated", authenticated.into())]);
    *inner.chat_context.borrow_mut() = context;
    inner.phase.set(ChatPhase::Open);
    dispatch("lcw:startChat", &detail);
    crate::web::proactive::chat_changed(&inner, true);
}

/// The chat's code, first step of a start: the context (`custom`, else the
/// provider's, with `extra` merged over it) and the auth token, when the
/// page has a provider; whether the chat is authenticated. `Ok(None)` when
/// the SDK was destroyed meanwhile.
pub(crate) async fn prepare(inner: &Rc<Inner>, custom: Option<Context>, extra: Option<Context>) -> Result<Option<(Context, bool)>, RuntimeError> {
    let timeout = inner.config.provider_timeout_ms;
    let provider = inner.context_provider.borrow().clone();
    let mut context = match (custom, provider) {
        (Some(c), _) => c,
        (None, Some(f)) => providers::context(&f, timeout).await.unwrap_or_else(|e| {
            report(&e);
            Context::default()
        }),
        (None, None) => Context::default(),
    };
    if let Some(extra) = extra {
        context.merge(&extra);
    }
    // A code for the widget's OAuth mode (setAuthorizationCode) goes with
    // the start request; the server verifies it.
    let mut authenticated = inner.authorization_code.borrow().is_some();
    if let Some(f) = auth_provider(inner)? {
        fetch_token(inner, &f).await?;
        authenticated = true;
    }
    Ok((!inner.destroyed.get()).then_some((context, authenticated)))
}

/// A chat start failed: report why, and report messages typed meanwhile as
/// not sent (never dropped silently).
fn abort_start(inner: &Inner, err: &RuntimeError) {
    report(err);
    drop_early_sends(inner, "the chat could not start");
    inner.phase.set(ChatPhase::Idle);
}

/// Reports the messages typed while the chat was starting as not sent.
fn drop_early_sends(inner: &Inner, why: &str) {
    let lost = std::mem::take(&mut *inner.early_sends.borrow_mut()).len();
    if lost > 0 {
        report(&RuntimeError::new(ErrorCode::TransportFailed, format!("{lost} message(s) typed while the chat was starting were not sent: {why}")));
    }
}

/// Asks the provider for a token, keeps it, and schedules the next refresh.
async fn fetch_token(inner: &Rc<Inner>, f: &Function) -> Result<String, RuntimeError> {
    let now = js_sys::Date::now();
    let token = providers::auth_token(f, inner.config.provider_timeout_ms, now, inner.config.jwt_leeway_secs).await?;
    *inner.token.borrow_mut() = Some(token.jwt.clone());
    schedule_refresh(Rc::downgrade(inner), jwt::refresh_delay_ms(&token.claims, now as u64));
    Ok(token.jwt)
}

/// A fresh token for an open chat whose server asked for one (token expiry
/// mid-chat, src/web/session/reauth.rs): codes 2, 3, 4 and 8 as at start;
/// code 3 when the page has no provider (any more).
pub(crate) async fn fresh_token(inner: &Rc<Inner>) -> Result<String, RuntimeError> {
    match auth_provider(inner)? {
        Some(f) => fetch_token(inner, &f).await,
        None => Err(RuntimeError::new(ErrorCode::AuthTokenMissing, "the chat server needs a fresh visitor token and no auth token provider is set")),
    }
}

fn schedule_refresh(weak: Weak<Inner>, delay_ms: Option<u64>) {
    let Some(inner) = weak.upgrade() else { return };
    let Some(delay) = delay_ms else {
        inner.refresh.borrow_mut().take();
        return;
    };
    let delay = delay.min(u64::from(u32::MAX)) as u32;
    let timer = crate::web::timeout(delay, Box::new(move || {
        wasm_bindgen_futures::spawn_local(async move {
            let Some(inner) = weak.upgrade() else { return };
            if inner.destroyed.get() || inner.phase.get() != ChatPhase::Open {
                return;
            }
            let Ok(Some(f)) = auth_provider(&inner) else { return };
            match fetch_token(&inner, &f).await {
                // The server's copy is renewed too (token expiry mid-chat).
                Ok(token) => {
                    if let Some(ops) = lazy::loaded(&inner) {
                        (ops.push_token)(&inner, &token);
                    }
                }
                Err(e) => report(&e),
            }
        });
    }));
    *inner.refresh.borrow_mut() = Some(timer);
}

/// History plus pending sends of this tab's conversation (`getMessages()`):
/// from the tabs hub in many-tabs mode, else from the page's own session.
pub fn messages_js(inner: &Inner) -> js_sys::Array {
    lazy::loaded(inner).map_or_else(js_sys::Array::new, |ops| (ops.messages)(inner))
}

/// Whether a conversation stored by an earlier page load or another tab is
/// there to be retrieved (and there is a chat server).
pub fn has_stored(inner: &Inner) -> bool {
    inner.config.server_url.is_some() && crate::web::session::stored_conversation(inner).is_some()
}

/// Picks up the conversation stored by an earlier page load (reload, another
/// tab): `lcw:chatRetrieved` with its id; history follows as messages. Read
/// from storage now: another tab may have ended it or started another since
/// the page loaded.
pub async fn retrieve(inner: Rc<Inner>) {
    let (Some(base), true) = (inner.config.server_url.clone(), pickable(&inner)) else {
        return crate::web::proactive::carried_chat_lost(&inner);
    };
    if inner.phase.get() != ChatPhase::Idle {
        return;
    }
    // Starting while the chat's code may still be loading (split builds):
    // a startChat meanwhile waits for this one, and messages sent meanwhile
    // are queued and sent once it is kept.
    inner.phase.set(ChatPhase::Starting);
    let ops = match lazy::load(&inner).await {
        Ok(ops) => ops,
        Err(e) => {
            abort_start(&inner, &e);
            return crate::web::proactive::carried_chat_lost(&inner);
        }
    };
    if inner.destroyed.get() || inner.phase.get() != ChatPhase::Starting {
        return;
    }
    // Read again, whole (the chat's code does): what was stored may have
    // moved on while the code loaded (another tab's messages, saved before
    // it tells the other tabs).
    let Some(id) = (ops.retrieve)(&inner, &base) else {
        // Ended (here or in another tab) while the code loaded.
        drop_early_sends(&inner, "the chat ended");
        inner.phase.set(ChatPhase::Idle);
        return crate::web::proactive::carried_chat_lost(&inner);
    };
    inner.phase.set(ChatPhase::Open);
    dispatch("lcw:chatRetrieved", &obj(&[("conversationId", id.into())]));
    crate::web::proactive::chat_changed(&inner, true);
}

/// Watches for a conversation that another tab of this browser starts
/// (the `storage` event of its session): a tab with no chat then retrieves
/// it as on a page load (`lcw:chatRetrieved`), instead of showing no chat
/// until the visitor starts one here.
pub fn watch_other_tabs(inner: &Rc<Inner>) -> Option<gloo_events::EventListener> {
    let weak = Rc::downgrade(inner);
    crate::web::session::on_stored_elsewhere(inner, move || {
        if let Some(i) = weak.upgrade().filter(|i| !i.destroyed.get() && i.phase.get() == ChatPhase::Idle) {
            wasm_bindgen_futures::spawn_local(retrieve(i));
        }
    })
}

/// Whether a stored chat is there to pick up, unless it is the one this
/// page left (another tab may save it once more while it ends). The chat's
/// code reads it whole (`Ops::retrieve`) with the same rule.
fn pickable(inner: &Inner) -> bool {
    crate::web::session::stored_conversation(inner).is_some_and(|id| !was_left(inner, &id))
}

/// Whether `conversation_id` is the one this page left (ended here): a
/// stored copy of it is never picked up again.
pub fn was_left(inner: &Inner, conversation_id: &str) -> bool {
    inner.left.borrow().as_deref() == Some(conversation_id)
}

/// Ends the chat: `lcw:closeChat`, and everything cached for it is cleared.
pub async fn close(inner: &Rc<Inner>) {
    if inner.phase.get() == ChatPhase::Starting && lazy::loaded(inner).is_none() {
        // A stored chat is being picked up while its code loads: let it
        // be kept first (it resumes first, on the same load), then end it.
        let _ = lazy::load(inner).await;
    }
    if let Some(ops) = lazy::loaded(inner) {
        (ops.close)(inner).await;
    }
    let was_open = inner.phase.get() != ChatPhase::Idle;
    inner.phase.set(ChatPhase::Idle);
    inner.refresh.borrow_mut().take();
    inner.token.borrow_mut().take();
    *inner.chat_context.borrow_mut() = Context::default();
    if was_open {
        dispatch("lcw:closeChat", &JsValue::UNDEFINED);
        crate::web::proactive::chat_changed(inner, false);
    }
}

/// `getAgentAvailability()`: fetched from the server, cached for 5 s, and
/// dispatched as `lcw:getAgentAvailability`.
pub async fn availability(inner: &Rc<Inner>) -> Result<JsValue, RuntimeError> {
    let now = js_sys::Date::now();
    if let Some((at, v)) = inner.availability.borrow().as_ref() {
        if now - at < 5000.0 {
            return Ok(v.clone());
        }
    }
    let Some(base) = inner.config.server_url.clone() else {
        return Err(RuntimeError::new(ErrorCode::TransportFailed, "getAgentAvailability: no chat server configured (set `server`)"));
    };
    let path = format!("/v1/widgets/{}/availability", inner.config.widget_id);
    let text = crate::web::session::http::request("GET", &crate::web::session::url(&base, &path), None, None).await;
    let a: crate::core::protocol::Availability = match text.and_then(|t| crate::web::session::http::parse(&t, "availability")) {
        Ok(a) => a,
        Err(e) => {
            report(&e);
            return Err(e);
        }
    };
    let iso = |ms: i64| JsValue::from(js_sys::Date::new(&JsValue::from(ms as f64)).to_iso_string());
    let v = obj(&[
        ("queueId", a.queue_id.as_str().into()),
        ("isQueueAvailable", a.is_queue_available.into()),
        ("isAgentAvailable", a.is_agent_available.into()),
        ("positionInQueue", a.position_in_queue.into()),
        ("averageWaitTime", (a.average_wait_time as f64).into()),
        ("startTimeOfNextOperatingHours", a.next_window.as_ref().map_or(JsValue::NULL, |w| iso(w.start))),
        ("endTimeOfNextOperatingHours", a.next_window.as_ref().map_or(JsValue::NULL, |w| iso(w.end))),
        ("isVideoAgentAvailable", a.is_video_agent_available.into()),
    ]);
    *inner.availability.borrow_mut() = Some((now, v.clone()));
    dispatch("lcw:getAgentAvailability", &v);
    Ok(v)
}

/// Sends a visitor message in the open chat, or queues it while the chat is
/// starting. `QueuedCommandFailed` stands for "no chat is open".
pub(crate) fn send_text(inner: &Inner, text: String) -> Result<String, RuntimeError> {
    let id = crate::web::session::random_id();
    let no_chat = || RuntimeError::new(ErrorCode::QueuedCommandFailed, "no chat is open");
    match lazy::kept(inner) {
        Some(ops) => (ops.queue)(inner, id, text, None).unwrap_or_else(|| Err(no_chat())),
        None if inner.phase.get() == ChatPhase::Starting && inner.config.server_url.is_some() => {
            if text.trim().is_empty() {
                return Err(RuntimeError::new(ErrorCode::TransportFailed, "the message is empty"));
            }
            inner.early_sends.borrow_mut().push((id.clone(), text));
            Ok(id)
        }
        None => Err(no_chat()),
    }
}
