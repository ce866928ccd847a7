//! Arguments from JS: functions, option objects, result objects.

use crate::core::errors::{ErrorCode, RuntimeError, UsageError, quoted};
use crate::web::js_error::usage;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

/// `value` as a function, or a thrown `LCW_INVALID_ARGUMENT` naming `what`.
pub fn function_arg(value: &JsValue, what: &str) -> Result<Function, JsValue> {
    value.clone().dyn_into::<Function>().map_err(|_| usage(UsageError::InvalidArgument, &format!("{what} must be a function")))
}

/// `value` as a string, or a thrown `LCW_INVALID_ARGUMENT` with `message`.
/// Exported methods take strings as `JsValue` and read them through this:
/// a `&str` or `String` parameter makes wasm-bindgen's glue copy whatever
/// it is given as if it were a string, and a number or an object there
/// traps the module ("memory access out of bounds") instead of throwing a
/// typed error.
pub fn string_arg(value: &JsValue, message: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| usage(UsageError::InvalidArgument, message))
}

/// `value` as a boolean, or a thrown `LCW_INVALID_ARGUMENT` with `message`
/// (a `bool` parameter would take `{}` as false and throw a bare
/// `TypeError` for a symbol or a BigInt).
pub fn bool_arg(value: &JsValue, message: &str) -> Result<bool, JsValue> {
    value.as_bool().ok_or_else(|| usage(UsageError::InvalidArgument, message))
}

/// Sets `obj[key] = value` (ignoring failures on frozen objects).
#[inline(never)]
pub fn set(obj: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

/// `Reflect.get(target, key)` with a Rust string key (one out-of-line copy
/// of the key conversion for the whole layer).
#[inline(never)]
pub fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

/// A new object with `pairs` as its properties (event details).
#[inline(never)]
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// [`option_pairs`]' answer: the string options, the functions, and what
/// could not be read.
pub type OptionPairs = (Vec<(String, String)>, Vec<(String, Function)>, Vec<RuntimeError>);

/// Reads an options object as `(name, string)` pairs, pulling out functions.
pub fn option_pairs(options: &JsValue) -> OptionPairs {
    let mut pairs = Vec::new();
    let mut funcs = Vec::new();
    let mut errors = Vec::new();
    if options.is_undefined() || options.is_null() {
        return (pairs, funcs, errors);
    }
    if !options.is_object() {
        errors.push(RuntimeError::new(ErrorCode::InvalidConfig, "createSdk options must be an object; using defaults"));
        return (pairs, funcs, errors);
    }
    let obj: &Object = options.unchecked_ref();
    let Ok(keys) = crate::web::raw::object_keys(obj) else {
        errors.push(RuntimeError::new(ErrorCode::InvalidConfig, "createSdk options cannot be read (a proxy that throws); using defaults"));
        return (pairs, funcs, errors);
    };
    for key in keys.iter().filter_map(|k| k.as_string()) {
        if crate::web::proactive::api::OPTION_KEYS.contains(&key.as_str()) {
            continue; // read by proactive::api::read_options
        }
        let v = get(obj, &key).unwrap_or(JsValue::UNDEFINED);
        if let Some(f) = v.dyn_ref::<Function>() {
            funcs.push((key, f.clone()));
        } else if let Some(s) = v.as_string() {
            pairs.push((key, s));
        } else if let Some(n) = v.as_f64() {
            // JS's own number formatting: keeps float formatting out of the wasm.
            pairs.push((key, js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default()));
        } else if let Some(b) = v.as_bool() {
            pairs.push((key, b.to_string()));
        } else if !v.is_undefined() {
            errors.push(RuntimeError::new(ErrorCode::InvalidConfig, format!("config {key_q} must be a string, number, boolean or function; ignored", key_q = quoted(&key))));
        }
    }
    (pairs, funcs, errors)
}

