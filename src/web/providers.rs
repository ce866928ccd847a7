//! Calling the page's context and auth-token providers: sync or Promise,
//! callback style for auth, each bounded by a timeout (a provider that never
//! answers must not hang a chat start), first answer wins.

use crate::core::context::{self, Context};
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::jwt::{self, Claims};
use crate::web::js_error::describe;
use crate::web::promise::Sleep;
use js_sys::{Function, Promise};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context as TaskCx, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How a provider call ended before validation.
enum Outcome {
    Value(JsValue),
    Threw(JsValue),
    TimedOut,
}

/// Polls `work` and a timer; the timer is cleared when dropped (RAII).
struct Race {
    work: JsFuture,
    timer: Sleep,
}

impl Future for Race {
    type Output = Outcome;
    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskCx<'_>) -> Poll<Outcome> {
        if let Poll::Ready(r) = Pin::new(&mut self.work).poll(cx) {
            return Poll::Ready(match r {
                Ok(v) => Outcome::Value(v),
                Err(e) => Outcome::Threw(e),
            });
        }
        match Pin::new(&mut self.timer).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Outcome::TimedOut),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Calls `fn()` (or `fn(callback)`) inside a Promise executor, so that a
/// throw becomes a rejection and a returned thenable is adopted. A Promise
/// settles once: a provider that calls back twice only counts the first time.
fn call_provider(f: &Function, with_callback: bool) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let result = if with_callback { f.call1(&JsValue::NULL, &resolve) } else { f.call0(&JsValue::NULL) };
        match result {
            Err(thrown) => {
                let _ = reject.call1(&JsValue::NULL, &thrown);
            }
            Ok(v) if !with_callback || !v.is_undefined() => {
                let _ = resolve.call1(&JsValue::NULL, &v);
            }
            Ok(_) => {}
        }
    })
}

async fn call(f: &Function, with_callback: bool, timeout_ms: u32) -> Outcome {
    let promise = call_provider(f, with_callback);
    Race { work: JsFuture::from(promise), timer: Sleep::new(timeout_ms) }.await
}

/// Runs the context provider and validates its answer (code 1 on failure).
pub async fn context(f: &Function, timeout_ms: u32) -> Result<Context, RuntimeError> {
    let fail = |why: String| RuntimeError::new(ErrorCode::ContextProviderFailed, why);
    match call(f, false, timeout_ms).await {
        Outcome::Value(v) => context::validate(&crate::web::raw::to_raw(&v))
            .map_err(|e| fail(format!("context provider returned a bad context: {e}; the chat starts without context"))),
        Outcome::Threw(e) => Err(fail(format!("context provider failed: {}; the chat starts without context", describe(&e)))),
        Outcome::TimedOut => Err(fail(format!("context provider did not answer within {timeout_ms} ms; the chat starts without context"))),
    }
}

/// A token the auth provider gave, checked for structure and time claims.
pub struct Token {
    /// The JWT as given.
    pub jwt: String,
    /// Its claims.
    pub claims: Claims,
}

/// Runs the auth token provider (callback or Promise) and checks the token:
/// code 2 when it fails or times out, 3 when it gives no token, 4 when the
/// token is malformed, expired or not yet valid.
pub async fn auth_token(f: &Function, timeout_ms: u32, now_ms: f64, leeway_secs: u32) -> Result<Token, RuntimeError> {
    let v = match call(f, true, timeout_ms).await {
        Outcome::Value(v) => v,
        Outcome::Threw(e) => {
            return Err(RuntimeError::new(ErrorCode::AuthProviderFailed, format!("auth token provider failed: {}", describe(&e))))
        }
        Outcome::TimedOut => {
            return Err(RuntimeError::new(ErrorCode::AuthProviderFailed, format!("auth token provider did not answer within {timeout_ms} ms")))
        }
    };
    if v.is_undefined() || v.is_null() || v.as_string().is_some_and(|s| s.trim().is_empty()) {
        return Err(RuntimeError::new(ErrorCode::AuthTokenMissing, "auth token provider gave no token"));
    }
    let Some(jwt) = v.as_string() else {
        return Err(RuntimeError::new(ErrorCode::AuthTokenInvalid, "auth token is not a string"));
    };
    let now_secs = (now_ms / 1000.0) as u64;
    match jwt::check(&jwt, now_secs, u64::from(leeway_secs)) {
        Ok(claims) => Ok(Token { jwt, claims }),
        Err(e) => Err(RuntimeError::new(ErrorCode::AuthTokenInvalid, e.to_string())),
    }
}
