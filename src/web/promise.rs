//! Futures handed to JavaScript as `Promise`s through one code path.
//!
//! `wasm_bindgen_futures::future_to_promise` is generic over the future:
//! every async SDK method got its own copy of the promise plumbing with the
//! method's whole state machine inlined into it. Boxing the future first
//! leaves one copy of that plumbing for all of them.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;

/// A boxed future that settles a `Promise`.
type Boxed = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// Runs `f` to completion; the returned `Promise` resolves with its `Ok`
/// value or rejects with its `Err` value.
pub fn promise(f: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    run(Box::pin(f))
}

#[inline(never)]
fn run(f: Boxed) -> Promise {
    wasm_bindgen_futures::future_to_promise(f)
}

/// `setTimeout` as a future (the page's `window` timer), cleared when
/// dropped. A JS Promise resolved by the timer itself: no Rust closure per
/// timer (gloo's `TimeoutFuture` brings its own closure plumbing).
pub struct Sleep {
    id: i32,
    done: wasm_bindgen_futures::JsFuture,
    /// [`Sleep::or_pagehide`]: the listener to take off when dropped.
    hide: Option<js_sys::Function>,
}

impl Sleep {
    /// Resolves after `ms` milliseconds.
    pub fn new(ms: u32) -> Sleep {
        Sleep::make(ms, false)
    }

    /// Resolves after `ms` milliseconds, or at once when the page is being
    /// left (`pagehide`): what waits to be sent again must go before the
    /// page does. The awaiting task runs in the microtasks right after the
    /// event, while the document can still start a request (one with
    /// `keepalive` then outlives it).
    pub fn or_pagehide(ms: u32) -> Sleep {
        Sleep::make(ms, true)
    }

    fn make(ms: u32, pagehide: bool) -> Sleep {
        let mut id = 0;
        let mut hide = None;
        let p = Promise::new(&mut |resolve, _reject| {
            let Some(w) = web_sys::window() else { return };
            if let Ok(h) = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32) {
                id = h;
            }
            if pagehide && w.add_event_listener_with_callback("pagehide", &resolve).is_ok() {
                hide = Some(resolve);
            }
        });
        Sleep { id, done: p.into(), hide }
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        Pin::new(&mut self.done).poll(cx).map(|_| ())
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.id);
            if let Some(f) = &self.hide {
                let _ = w.remove_event_listener_with_callback("pagehide", f);
            }
        }
    }
}

/// Resolves at the page's next animation frame, after its layout is
/// brought up to date by the browser anyway (and not while the page is in
/// the background). Resolves at once where no frame can be asked for.
#[cfg(feature = "ui")]
pub async fn next_frame() {
    let mut asked = false;
    let done = Promise::new(&mut |resolve, _reject| {
        asked = web_sys::window().is_some_and(|w| w.request_animation_frame(&resolve).is_ok());
    });
    if asked {
        let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    }
}

/// Resolves in a new task of the page's event loop, posted through a
/// `MessageChannel`: a way to split work into tasks that is not a timer, so
/// it is neither clamped nor throttled, and fake timers (a site's test
/// clock) do not hold it back. Resolves at once where no channel can be made.
#[cfg(feature = "ui")]
pub async fn next_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else { return };
    let done = Promise::new(&mut |resolve, _reject| channel.port1().set_onmessage(Some(&resolve)));
    if channel.port2().post_message(&JsValue::UNDEFINED).is_ok() {
        let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    }
}
