//! Bounds on what one of the chat server's answers may cost the page: a
//! deadline for the whole request, its answer's text included, and a cap on
//! the length an answer read as text may declare. A server (or a proxy in
//! front of it) that never answers, or sends an answer that never ends,
//! would otherwise hold `startChat` and the widget's start for good; a
//! 20 MB answer took seconds to read before it was refused as malformed.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// How long a request may take, from the call to the last byte of an
/// answer read as text.
pub const DEADLINE_MS: u32 = 30_000;

/// The longest answer read as text: a widget configuration with the
/// largest proactive rules (1 MiB) fits several times over.
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// Aborts its request [`DEADLINE_MS`] after [`Deadline::start`]; the timer
/// is cleared when dropped (a download's body is then read at its own pace).
pub struct Deadline {
    ctrl: Option<AbortController>,
    id: i32,
}

impl Deadline {
    /// Gives `init` the signal that the timer will abort.
    pub fn start(init: &RequestInit) -> Deadline {
        let mut id = 0;
        let ctrl = AbortController::new().ok();
        if let (Some(c), Some(w)) = (&ctrl, web_sys::window()) {
            init.set_signal(Some(&c.signal()));
            // `abort` bound to its controller: no Rust closure for the timer.
            let abort = js_sys::Reflect::get(c, &JsValue::from_str("abort")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(Ok(h)) = abort.map(|f| w.set_timeout_with_callback_and_timeout_and_arguments_0(&f.bind0(c), DEADLINE_MS as i32)) {
                id = h;
            }
        }
        Deadline { ctrl, id }
    }

    /// Whether the time is up (the request was aborted for it).
    pub fn expired(&self) -> bool {
        self.ctrl.as_ref().is_some_and(|c| c.signal().aborted())
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.id);
        }
    }
}

/// Why an answer's text could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Longer than [`MAX_TEXT_BYTES`], as its `Content-Length` says.
    TooLong,
    /// The body failed: cut off, or aborted by the deadline.
    Broken,
}

/// The answer's body as text, refused without reading it when its
/// `Content-Length` is over [`MAX_TEXT_BYTES`]. A body without one (sent
/// in chunks) is read until the request's deadline at most.
pub async fn text(resp: &Response) -> Result<String, Unread> {
    let declared = resp.headers().get("content-length").ok().flatten().and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_TEXT_BYTES as u64) {
        if let Some(body) = resp.body() {
            let _ = body.cancel();
        }
        return Err(Unread::TooLong);
    }
    let read = resp.text().map_err(|_| Unread::Broken)?;
    JsFuture::from(read).await.ok().and_then(|t| t.as_string()).ok_or(Unread::Broken)
}
