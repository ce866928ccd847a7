//! Dotted global paths: `exposeAs("A.B.C")` and functions named in the page
//! configuration (`data-auth-token-provider="auth.getToken"`).

use crate::core::config::is_global_path;
use crate::core::errors::{UsageError, quoted};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Installs `value` at `path` on `window`, creating missing objects on the
/// way. Refuses a malformed path, one that runs through anything but plain
/// objects and functions (a namespace), and one whose last name already
/// holds something other than a chat SDK: `location.href`, `name` or
/// `document.title` would otherwise navigate away or overwrite the page's
/// own state through a setter.
pub fn install(path: &str, value: &JsValue) -> Result<(), JsValue> {
    if !is_global_path(path) {
        return Err(crate::web::js_error::usage(UsageError::InvalidPath, &format!("exposeAs: {path_q} is not a path like A.B.C", path_q = quoted(path))));
    }
    let mut target: JsValue = js_sys::global().into();
    let segments: Vec<&str> = path.split('.').collect();
    let (last, parents) = segments.split_last().expect("non-empty path");
    for seg in parents {
        let key = JsValue::from_str(seg);
        let next = Reflect::get(&target, &key).unwrap_or(JsValue::UNDEFINED);
        target = if next.is_undefined() || next.is_null() {
            let obj: JsValue = Object::new().into();
            Reflect::set(&target, &key, &obj).map_err(|_| refused(path, seg, "is not an object"))?;
            obj
        } else if is_namespace(&next) {
            next
        } else {
            return Err(refused(path, seg, "is not a plain object"));
        };
    }
    let key = JsValue::from_str(last);
    let current = Reflect::get(&target, &key).unwrap_or(JsValue::UNDEFINED);
    let chat_sdk = || current.is_object() && crate::web::args::get(&current, "startChat").is_ok_and(|f| f.is_function());
    if !(current.is_undefined() || current.is_null() || chat_sdk()) {
        return Err(refused(path, last, "is taken by something that is not a chat SDK"));
    }
    Reflect::set(&target, &key, value).map_err(|_| refused(path, last, "cannot be set"))?;
    Ok(())
}

/// A plain object (`{}` or `Object.create(null)`) or a function: what a
/// page uses as a namespace. Host objects (`location`, `document`,
/// `window`, elements) are not.
fn is_namespace(v: &JsValue) -> bool {
    v.is_function()
        || (v.is_object() && crate::web::raw::prototype_of(v).is_ok_and(|p| crate::web::raw::is_plain_proto(&p)))
}

fn refused(path: &str, seg: &str, why: &str) -> JsValue {
    crate::web::js_error::usage(UsageError::InvalidPath, &format!("exposeAs: cannot install {path_q}: {seg_q} {why}", path_q = quoted(path), seg_q = quoted(seg)))
}

/// The function at `path` on `window`, if there is one.
pub fn resolve_function(path: &str) -> Option<js_sys::Function> {
    let mut v: JsValue = js_sys::global().into();
    for seg in path.split('.') {
        if !(v.is_object() || v.is_function()) {
            return None;
        }
        v = crate::web::args::get(&v, seg).ok()?;
    }
    v.dyn_into().ok()
}
