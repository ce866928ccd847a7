//! JSON over `fetch` to the chat server, with the server's error bodies
//! turned into `lcw:error` code 14 descriptions.

use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::core::protocol::{ErrorBody, ErrorCode as WireCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

fn transport(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, msg)
}

/// Sends `method url` with an optional JSON body and bearer token (cookies
/// included, for secure-cookie mode); a non-2xx answer becomes the server's
/// refusal, described from its error body.
pub async fn fetch(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<Response, RuntimeError> {
    let window = web_sys::window().ok_or_else(|| transport("no window"))?;
    let init = RequestInit::new();
    init.set_method(method);
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
    let resp: Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(|_| transport(format!("chat server unreachable ({method} {url})")))?
        .unchecked_into();
    if resp.ok() {
        return Ok(resp);
    }
    let text = text_of(&resp).await;
    Err(match crate::core::json::from_str::<ErrorBody>(&text) {
        Ok(b) => {
            let code = match b.code {
                WireCode::AuthorizationCodeRequired | WireCode::InvalidAuthorizationCode => ErrorCode::AuthorizationCodeRefused,
                WireCode::VideoUnavailable => ErrorCode::VideoCallFailed,
                _ => ErrorCode::TransportFailed,
            };
            RuntimeError::new(code, format!("chat server refused {method} {url}: {} ({})", b.message, b.code.as_str()))
        }
        Err(_) => transport(format!("chat server answered {} to {method} {url}", resp.status())),
    })
}

async fn text_of(resp: &Response) -> String {
    match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// [`fetch`], then the body of the 2xx answer as text.
pub async fn request(method: &str, url: &str, body: Option<&str>, bearer: Option<&str>) -> Result<String, RuntimeError> {
    let resp = fetch(method, url, body, bearer).await?;
    Ok(text_of(&resp).await)
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
