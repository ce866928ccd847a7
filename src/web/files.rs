//! Files in the conversation: `sdk.fetchAttachment(id)` downloads one with
//! the credentials the chat session uses (bearer token, or the session
//! cookie in secure-cookie mode), for pages that draw their own UI; the
//! default widget uses the same path.

use crate::core::errors::{ErrorCode, RuntimeError, UsageError};
use crate::web::js_error::{runtime, usage};
use crate::web::sdk::LiveChatSdk;
use crate::web::session::fetch_blob;
use crate::web::state::Inner;
use wasm_bindgen::prelude::*;
use crate::web::promise::promise;

/// Server base URL and session token of this page's conversation: its
/// session, the tabs hub it follows, or the one that just ended.
pub fn credentials(inner: &Inner) -> Option<(String, String)> {
    if let Some(c) = crate::web::lazy::loaded(inner).and_then(|ops| (ops.credentials)(inner)) {
        return Some(c);
    }
    inner.last_conversation.borrow().as_ref().map(|(base, _, token)| (base.clone(), token.clone()))
}

fn no_chat(id: &str) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, format!("attachment {id} could not be downloaded: no chat is open"))
}

/// Downloads attachment `id` of this page's conversation. Only the chat's
/// code does ([`crate::web::lazy::Ops::download`]): without it this page
/// has had no conversation.
pub async fn fetch_attachment(inner: &Inner, id: &str) -> Result<web_sys::Blob, RuntimeError> {
    match crate::web::lazy::loaded(inner) {
        Some(ops) => (ops.download)(inner, id).await,
        None => Err(no_chat(id)),
    }
}

/// [`fetch_attachment`] once the chat's code is there.
pub(crate) fn download<'a>(inner: &'a Inner, id: &'a str) -> crate::web::lazy::Downloading<'a> {
    Box::pin(async move {
        let (base, token) = credentials(inner).ok_or_else(|| no_chat(id))?;
        fetch_blob(&base, &token, id).await
    })
}

#[wasm_bindgen]
impl LiveChatSdk {
    /// Downloads a message's attachment (`message.attachment.id`) as a
    /// `Blob`, with the session's credentials. Rejects with an Error whose
    /// `code` is 14 when there is no chat or the server refuses.
    #[wasm_bindgen(js_name = fetchAttachment)]
    pub fn fetch_attachment_js(&self, id: JsValue) -> Result<js_sys::Promise, JsValue> {
        let inner = self.live()?.clone();
        let id = id.as_string().filter(|s| !s.is_empty()).ok_or_else(|| usage(UsageError::InvalidArgument, "fetchAttachment: the attachment id must be a non-empty string"))?;
        Ok(promise(async move { fetch_attachment(&inner, &id).await.map(JsValue::from).map_err(|e| runtime(&e)) }))
    }
}
