//! Turns a JS value into the core's [`Raw`] tree, depth- and size-bounded so
//! that a cyclic, deep, huge or hostile object (throwing getters, proxies)
//! yields a refusal instead of a stack overflow or a hang in the SDK.

use crate::core::context::{Raw, MAX_DEPTH, MAX_ENTRIES, MAX_VALUE_CHARS};
use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, which throws for a revoked proxy or a throwing trap.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub fn object_keys(o: &Object) -> Result<Array, JsValue>;
    // `js_sys`' bindings of these two do not catch: a revoked proxy, or a
    // proxy whose trap throws, would unwind through the SDK's frames.
    /// `Array.isArray`, which throws for a revoked proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `Object.getPrototypeOf`, which throws for a revoked proxy.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    pub fn prototype_of(o: &JsValue) -> Result<Object, JsValue>;
}

/// Whether `proto` is a plain object's prototype: `Object.prototype`, or
/// none (`Object.create(null)`).
pub fn is_plain_proto(proto: &Object) -> bool {
    proto.is_null() || *proto == Object::get_prototype_of(&Object::new())
}

/// Converts `value` (the root is depth 0).
pub fn to_raw(value: &JsValue) -> Raw {
    walk(value, 0)
}

fn walk(v: &JsValue, depth: usize) -> Raw {
    if v.is_null() || v.is_undefined() {
        return Raw::Null;
    }
    if let Some(b) = v.as_bool() {
        return Raw::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        return Raw::Number(n);
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        // Copy at most one character past the limit: enough to refuse it.
        let cap = (MAX_VALUE_CHARS + 1) as u32;
        let s = if s.length() > cap { s.slice(0, cap) } else { s.clone() };
        return Raw::Str(String::from(s));
    }
    if v.is_function() {
        return Raw::Other("function");
    }
    if !v.is_object() {
        return Raw::Other("symbol or bigint");
    }
    match is_array(v) {
        Ok(false) => {}
        Ok(true) => return Raw::Other("array"),
        Err(_) => return Raw::Other("revoked proxy"),
    }
    if depth >= MAX_DEPTH {
        return Raw::TooDeep;
    }
    let obj: &Object = v.unchecked_ref();
    let Ok(proto) = prototype_of(v) else {
        return Raw::Other("object whose prototype cannot be read");
    };
    if !is_plain_proto(&proto) {
        return Raw::Other("class instance");
    }
    // Own enumerable string keys; a throwing proxy trap is a refusal.
    let keys = match object_keys(obj) {
        Ok(k) => k,
        Err(_) => return Raw::Other("object whose keys cannot be read"),
    };
    if keys.length() as usize > MAX_ENTRIES {
        return Raw::TooLarge;
    }
    let mut fields = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        let child = match Reflect::get(obj, &key) {
            Ok(c) => walk(&c, depth + 1),
            Err(_) => Raw::Other("property whose getter throws"),
        };
        fields.push((name, child));
    }
    Raw::Object(fields)
}

