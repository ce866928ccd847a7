//! Dotted global paths: `exposeAs("A.B.C")` and functions named in the page
//! configuration (`data-auth-token-provider="auth.getToken"`).

use crate::core::config::is_global_path;
use crate::core::errors::{UsageError, quoted};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Installs `value` at `path` on `window`, creating missing objects on the
/// way. Refuses a malformed path or one that runs through a non-object.
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
            Reflect::set(&target, &key, &obj).map_err(|_| bad_parent(path, seg))?;
            obj
        } else if next.is_object() || next.is_function() {
            next
        } else {
            return Err(bad_parent(path, seg));
        };
    }
    Reflect::set(&target, &JsValue::from_str(last), value).map_err(|_| bad_parent(path, last))?;
    Ok(())
}

fn bad_parent(path: &str, seg: &str) -> JsValue {
    crate::web::js_error::usage(UsageError::InvalidPath, &format!("exposeAs: cannot install {path_q}: {seg_q} is not an object", path_q = quoted(path), seg_q = quoted(seg)))
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
