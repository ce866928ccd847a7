//! Attachment downloads with the session's credentials: the bearer token,
//! or the session cookie in secure-cookie mode (`credentials: include`).
//! The bytes come back as a `Blob`, shown through an object URL, so no
//! server URL is ever put into the page.

use crate::core::errors::{ErrorCode, RuntimeError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

fn fail(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, msg)
}

/// `GET {base}/v1/attachments/{id}` with `token` (none when empty);
/// resolves to the file, or the server's refusal as an error.
pub async fn fetch_blob(base: &str, token: &str, id: &str) -> Result<Blob, RuntimeError> {
    let url = super::url(base, &format!("/v1/attachments/{}", String::from(js_sys::encode_uri_component(id))));
    let bearer = Some(token).filter(|t| !t.is_empty());
    let resp = super::http::fetch("GET", &url, None, bearer)
        .await
        .map_err(|e| fail(format!("attachment {id} could not be downloaded: {}", e.description)))?;
    let blob = resp.blob().map_err(|_| fail("the attachment could not be read"))?;
    JsFuture::from(blob).await.map(JsCast::unchecked_into).map_err(|_| fail(format!("attachment {id} could not be read")))
}
