//! File upload with progress: `XMLHttpRequest`, because `fetch` reports no
//! upload progress. The server enforces type and size whatever the client
//! checked; its refusal (naming what is allowed) becomes the error text.

use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::core::protocol::{AttachmentInfo, ErrorBody};
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ProgressEvent, XmlHttpRequest, XmlHttpRequestEventTarget};

fn fail(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::TransportFailed, msg)
}

/// POSTs `file` as the raw body with its type; resolves to the stored
/// attachment.
pub async fn put_file(url: &str, token: &str, file: &File, mut on_progress: impl FnMut(f64) + 'static) -> Result<AttachmentInfo, RuntimeError> {
    let xhr = XmlHttpRequest::new().map_err(|_| fail("uploads are not available in this browser"))?;
    xhr.open("POST", url).map_err(|_| fail(format!("bad upload URL {url_q}", url_q = quoted(url))))?;
    let _ = xhr.set_request_header("authorization", &format!("Bearer {token}"));
    let mime = file.type_();
    let _ = xhr.set_request_header("content-type", if mime.is_empty() { "application/octet-stream" } else { &mime });
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // Settles on load, error or abort; the closures live until then.
    type Handlers = Rc<RefCell<Vec<Closure<dyn FnMut()>>>>;
    let handlers: Handlers = Rc::default();
    let done = Promise::new(&mut |resolve, _| {
        let mut hs = handlers.borrow_mut();
        for set in [XmlHttpRequestEventTarget::set_onload, XmlHttpRequestEventTarget::set_onerror, XmlHttpRequestEventTarget::set_onabort] {
            let r = resolve.clone();
            let h = Closure::<dyn FnMut()>::new(move || {
                let _ = r.call0(&JsValue::NULL);
            });
            set(&xhr, Some(h.as_ref().unchecked_ref()));
            hs.push(h);
        }
    });
    xhr.send_with_opt_blob(Some(file)).map_err(|_| fail("the upload could not start"))?;
    let _ = JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return crate::core::json::from_str(&body).map_err(|e| fail(format!("chat server sent a malformed attachment answer: {e}")));
    }
    if status == 0 {
        return Err(fail(format!("{} was not uploaded: the chat server is unreachable", quoted(&file.name()))));
    }
    Err(match crate::core::json::from_str::<ErrorBody>(&body) {
        Ok(b) => fail(format!("{} was not uploaded: {}", quoted(&file.name()), b.message)),
        Err(_) => fail(format!("{} was not uploaded (HTTP {status})", quoted(&file.name()))),
    })
}
