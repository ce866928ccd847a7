//! The browser's number conversions for the core's JSON code
//! (`src/core/json/float.rs`): `parseFloat` and `Number.prototype.toString`
//! are exact, and using them keeps Rust's float parsing and formatting
//! tables out of the wasm.

use crate::core::json::float::{self, FloatText};

/// Installs the browser's conversions (idempotent). Every entry point
/// that reads or writes JSON calls it first.
pub fn install() {
    float::install(FloatText { parse, format });
}

fn parse(text: &str) -> Option<f64> {
    let v = js_sys::Number::parse_float(text);
    (!v.is_nan()).then_some(v)
}

fn format(f: f64, out: &mut String) {
    match js_sys::Number::from(f).to_string_with_radix(10) {
        Ok(s) => out.push_str(&String::from(s)),
        Err(_) => out.push('0'),
    }
}
