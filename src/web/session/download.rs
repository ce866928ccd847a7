//! Attachment downloads with the session's credentials: the bearer token,
//! or the session cookie in secure-cookie mode (`credentials: include`).
//! The bytes come back as a `Blob`, shown through an object URL, so no
//! server URL is ever put into the page.

use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::ErrorBody;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Request, RequestCredentials, RequestInit, Response};

fn fail(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, msg)
}

/// `GET {base}/v1/attachments/{id}` with `token` (none when empty);
/// resolves to the file, or the server's refusal as an error.
pub async fn fetch_blob(base: &str, token: &str, id: &str) -> Result<Blob, RuntimeError> {
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let url = super::url(base, &format!("/v1/attachments/{}", String::from(js_sys::encode_uri_component(id))));
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Include);
    let req = Request::new_with_str_and_init(&url, &init).map_err(|_| fail(format!("bad server URL {url:?}")))?;
    if !token.is_empty() {
        let _ = req.headers().set("authorization", &format!("Bearer {token}"));
    }
    let resp: Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(|_| fail(format!("attachment {id} could not be downloaded: the chat server is unreachable")))?
        .unchecked_into();
    if !resp.ok() {
        let text = match resp.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
            Err(_) => String::new(),
        };
        return Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(b) => fail(format!("attachment {id} could not be downloaded: {} ({})", b.message, b.code.as_str())),
            Err(_) => fail(format!("attachment {id} could not be downloaded (HTTP {})", resp.status())),
        });
    }
    let blob = resp.blob().map_err(|_| fail("the attachment could not be read"))?;
    JsFuture::from(blob).await.map(JsCast::unchecked_into).map_err(|_| fail(format!("attachment {id} could not be read")))
}
