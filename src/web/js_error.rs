//! Typed errors for JS: API misuse is thrown as a real `Error` with a stable
//! `code`; runtime failures go out as `lcw:error` events.

use crate::core::errors::{RuntimeError, UsageError};
use js_sys::Error;
use wasm_bindgen::JsValue;

/// The `name` of every error the SDK throws.
pub const ERROR_NAME: &str = "LiveChatSdkError";

/// A JS `Error` with `name = "LiveChatSdkError"` and `code`.
pub fn usage(kind: UsageError, message: &str) -> JsValue {
    let err = Error::new(message);
    err.set_name(ERROR_NAME);
    crate::web::args::set(&err, "code", kind.code().into());
    err.into()
}

/// A runtime failure as a rejected Promise value: an `Error` whose `code` is
/// the numeric `lcw:error` code.
pub fn runtime(err: &RuntimeError) -> JsValue {
    let e = Error::new(&err.description);
    e.set_name(ERROR_NAME);
    crate::web::args::set(&e, "code", err.code.number().into());
    e.into()
}

/// The `detail` object of an `lcw:error` event.
pub fn detail(err: &RuntimeError) -> JsValue {
    crate::web::args::obj(&[("errorCode", err.code.number().into()), ("errorDescription", err.description.as_str().into())])
}

/// Best-effort text of a thrown JS value (for error descriptions).
pub fn describe(thrown: &JsValue) -> String {
    if let Some(e) = thrown.dyn_ref::<Error>() {
        return String::from(e.message());
    }
    thrown.as_string().unwrap_or_else(|| "a non-Error value was thrown".into())
}

use wasm_bindgen::JsCast as _;
