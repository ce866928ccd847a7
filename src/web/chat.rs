//! Starting and closing a chat: context from the provider (or the caller),
//! the auth token (with refresh before expiry), and the events around it.
//! The transport to a chat server plugs in here.

use crate::core::context::Context;
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::jwt;
use crate::web::events::{dispatch, report};
use crate::web::globals;
use crate::web::providers;
use crate::web::state::{ChatPhase, Inner};
use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Reflect};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

/// The code-8 error for an auth function named in the configuration that
/// does not exist.
pub fn auth_function_missing(path: &str) -> RuntimeError {
    RuntimeError::new(ErrorCode::AuthFunctionNotFound, format!("auth token provider {path:?} is not a function on window"))
}

/// The auth provider: the one set through the API, else the one named in
/// the configuration (looked up again, in case the page defined it late).
fn auth_provider(inner: &Inner) -> Result<Option<Function>, RuntimeError> {
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
/// over the page's (a proactive rule's values).
pub async fn start(inner: Rc<Inner>, custom: Option<Context>, extra: Option<Context>) {
    match inner.phase.get() {
        ChatPhase::Starting => return,
        ChatPhase::Open => {
            dispatch("lcw:onMaximize", &JsValue::UNDEFINED);
            return;
        }
        ChatPhase::Idle => {}
    }
    inner.phase.set(ChatPhase::Starting);
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
    let mut authenticated = false;
    match auth_provider(&inner) {
        Err(e) => {
            report(&e);
            inner.phase.set(ChatPhase::Idle);
            return;
        }
        Ok(None) => {}
        Ok(Some(f)) => match fetch_token(&inner, &f).await {
            Ok(()) => authenticated = true,
            Err(e) => {
                report(&e);
                inner.phase.set(ChatPhase::Idle);
                return;
            }
        },
    }
    if inner.destroyed.get() {
        return;
    }
    let detail = Object::new();
    let ctx_js = js_sys::JSON::parse(&context.to_json()).unwrap_or(JsValue::NULL);
    let _ = Reflect::set(&detail, &"context".into(), &ctx_js);
    let _ = Reflect::set(&detail, &"authenticated".into(), &authenticated.into());
    *inner.chat_context.borrow_mut() = context;
    inner.phase.set(ChatPhase::Open);
    dispatch("lcw:startChat", &detail);
    crate::web::proactive::chat_changed(&inner, true);
}

/// Asks the provider for a token, keeps it, and schedules the next refresh.
async fn fetch_token(inner: &Rc<Inner>, f: &Function) -> Result<(), RuntimeError> {
    let now = js_sys::Date::now();
    let token = providers::auth_token(f, inner.config.provider_timeout_ms, now, inner.config.jwt_leeway_secs).await?;
    *inner.token.borrow_mut() = Some(token.jwt);
    schedule_refresh(Rc::downgrade(inner), jwt::refresh_delay_ms(&token.claims, now as u64));
    Ok(())
}

fn schedule_refresh(weak: Weak<Inner>, delay_ms: Option<u64>) {
    let Some(inner) = weak.upgrade() else { return };
    let Some(delay) = delay_ms else {
        inner.refresh.borrow_mut().take();
        return;
    };
    let delay = delay.min(u64::from(u32::MAX)) as u32;
    let timer = Timeout::new(delay, move || {
        wasm_bindgen_futures::spawn_local(async move {
            let Some(inner) = weak.upgrade() else { return };
            if inner.destroyed.get() || inner.phase.get() != ChatPhase::Open {
                return;
            }
            let Ok(Some(f)) = auth_provider(&inner) else { return };
            if let Err(e) = fetch_token(&inner, &f).await {
                report(&e);
            }
        });
    });
    *inner.refresh.borrow_mut() = Some(timer);
}

/// Ends the chat: `lcw:closeChat`, and everything cached for it is cleared.
pub fn close(inner: &Inner) {
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
