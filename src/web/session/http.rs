//! JSON over `fetch` to the chat server, with the server's error bodies
//! turned into `lcw:error` code 14 descriptions.

use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::core::protocol::{ErrorBody, ErrorCode as WireCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::answer::{self, Deadline, Unread, DEADLINE_MS};

fn transport(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, msg)
}

/// Sends `method url` with an optional JSON body and bearer token (cookies
/// included, for secure-cookie mode); a non-2xx answer becomes the server's
/// refusal, described from its error body.
/// The answer's body is the caller's to read, at its own pace (a
/// download); [`request`] reads a JSON answer within the deadline.
pub async fn fetch(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<Response, RuntimeError> {
    answered(method, url, body, bearer).await.map(|(resp, _)| resp)
}

/// [`send`], with a non-2xx answer as the server's refusal.
async fn answered(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<(Response, Deadline), RuntimeError> {
    let (resp, deadline) = send(method, url, body, bearer).await?;
    if resp.ok() {
        return Ok((resp, deadline));
    }
    Err(refusal(method, url, &resp).await.0)
}

/// [`send`] again while the answer may change: the server unreachable, a
/// 5xx, or `rate_limited` (after its `retryAfterMs`, up to 30 s); waits
/// 1, 2, 4 and 8 s between tries otherwise. For what must reach the server
/// although the page has moved on (ending a conversation): the agent would
/// otherwise wait for a visitor who left. The last failure, or a refusal
/// that will not change (4xx), is the error.
///
/// Every try is a `keepalive` request, so one under way when the page is
/// left still reaches the server; a wait between tries ends when the page
/// is being left (`pagehide`: the tab closed, a link followed), so the next
/// try goes out before the page does instead of never.
pub async fn request_retrying(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<(), RuntimeError> {
    const TRIES: u32 = 5;
    let mut backoff = 1_000;
    let mut attempt = 1;
    loop {
        let (err, hint) = match send_with(method, url, body, bearer, true).await {
            Ok((resp, _)) if resp.ok() => return Ok(()),
            Ok((resp, _deadline)) => {
                let status = resp.status();
                let (err, retry_after) = refusal(method, url, &resp).await;
                if status != 429 && status < 500 {
                    return Err(err);
                }
                (err, retry_after)
            }
            Err(err) => (err, None),
        };
        if attempt == TRIES {
            return Err(err);
        }
        let wait = hint.map_or(backoff, |ms| ms.min(30_000) as u32);
        crate::web::promise::Sleep::or_pagehide(wait).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// Sends the request; `Err` only when there is no answer at all, or none
/// within [`DEADLINE_MS`]. The deadline returned still bounds reading the
/// answer's body (dropping it lifts that).
async fn send(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<(Response, Deadline), RuntimeError> {
    send_with(method, url, body, bearer, false).await
}

/// [`send`], as a `keepalive` request (it outlives the page) when asked.
async fn send_with(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>, keepalive: bool) -> Result<(Response, Deadline), RuntimeError> {
    let window = web_sys::window().ok_or_else(|| transport("no window"))?;
    let init = RequestInit::new();
    let deadline = Deadline::start(&init);
    init.set_method(method);
    if keepalive {
        // Not in web-sys's RequestInit: set on the plain object it is.
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
    }
    init.set_credentials(web_sys::RequestCredentials::Include);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let req = Request::new_with_str_and_init(url, &init).map_err(|_| transport(format!("bad server URL {url_q}", url_q = quoted(url))))?;
    let headers = req.headers();
    if body.is_some() {
        let _ = headers.set("content-type", "application/json");
    }
    if let Some(t) = bearer {
        let _ = headers.set("authorization", &format!("Bearer {t}"));
    }
    match JsFuture::from(window.fetch_with_request(&req)).await {
        Ok(resp) => Ok((resp.unchecked_into(), deadline)),
        Err(_) if deadline.expired() => Err(late(method, url)),
        Err(_) => Err(transport(format!("chat server unreachable ({method} {url})"))),
    }
}

#[inline(never)]
fn late(method: &str, url: &str) -> RuntimeError {
    transport(format!("chat server did not answer {method} {url} within {} s", DEADLINE_MS / 1000))
}

/// A non-2xx answer as the error to report, described from the server's
/// error body, with its `retryAfterMs` when it has one.
async fn refusal(method: &str, url: &str, resp: &Response) -> (RuntimeError, Option<u64>) {
    let text = answer::text(resp).await.unwrap_or_default();
    match crate::core::json::from_str::<ErrorBody>(&text) {
        Ok(b) => {
            let code = match b.code {
                WireCode::AuthorizationCodeRequired | WireCode::InvalidAuthorizationCode => ErrorCode::AuthorizationCodeRefused,
                WireCode::VideoUnavailable => ErrorCode::VideoCallFailed,
                _ => ErrorCode::TransportFailed,
            };
            (RuntimeError::new(code, format!("chat server refused {method} {url}: {} ({})", b.message, b.code.as_str())), b.retry_after_ms)
        }
        Err(_) => (transport(format!("chat server answered {} to {method} {url}", resp.status())), None),
    }
}

/// [`fetch`], then the body of the 2xx answer as text, read within the
/// request's deadline and refused when it says it is over
/// [`answer::MAX_TEXT_BYTES`].
pub async fn request(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<String, RuntimeError> {
    let (resp, deadline) = answered(method, url, body, bearer).await?;
    answer::text(&resp).await.map_err(|e| unread(method, url, e, deadline.expired()))
}

/// Why [`request`] has no answer's text.
#[inline(never)]
fn unread(method: &str, url: &str, e: Unread, late_: bool) -> RuntimeError {
    if late_ {
        return late(method, url);
    }
    transport(match e {
        Unread::TooLong => format!("chat server's answer to {method} {url} is over {} MiB", answer::MAX_TEXT_BYTES >> 20),
        Unread::Broken => format!("chat server's answer to {method} {url} was cut off"),
    })
}

/// Parses a JSON answer into a protocol type.
pub fn parse<T: crate::core::json::FromJson>(text: &str, what: &str) -> Result<T, RuntimeError> {
    crate::core::json::from_str(text).map_err(|e| malformed(what, &e))
}

/// [`parse`]'s error, one copy for every parsed type.
#[inline(never)]
fn malformed(what: &str, e: &crate::core::json::Error) -> RuntimeError {
    transport(format!("chat server sent a malformed {what}: {e}"))
}
