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
