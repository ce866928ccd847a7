//! Writing JSON text: [`ToJson`] for the primitive types and containers,
//! and [`ObjWriter`] for objects.

use std::collections::BTreeMap;

use super::{Number, Value};

/// A type written as JSON text.
pub trait ToJson {
    /// Appends this value's JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// This value's JSON text.
pub fn to_string<T: ToJson + ?Sized>(v: &T) -> String {
    let mut out = String::new();
    v.write_json(&mut out);
    out
}

/// `s` as a JSON string, escaped as `JSON.stringify` escapes it.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        // Most bytes need no escape: one test for them, before the match
        // (a jump table per byte in the size-optimized wasm).
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// An unsigned integer in decimal, without `core::fmt`.
pub fn write_u64(mut n: u64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// A signed integer in decimal.
pub fn write_i64(n: i64, out: &mut String) {
    if n < 0 {
        out.push('-');
    }
    write_u64(n.unsigned_abs(), out);
}

/// A number as `JSON.stringify` would accept it back: integral values
/// (below 2^53) as integers, other finite values in the shortest
/// round-trip form (the host's, [`super::float`]), `NaN` and infinities as
/// `null` (as `JSON.stringify`).
pub fn write_f64(f: f64, out: &mut String) {
    if !f.is_finite() {
        out.push_str("null");
    } else if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        write_i64(f as i64, out);
    } else {
        super::float::format(f, out);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(self, out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        write_f64(*self, out);
    }
}

macro_rules! int_to_json {
    ($w:ident: $($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                $w(*self as _, out);
            }
        }
    )*};
}
int_to_json!(write_u64: u8, u32, u64, usize);
int_to_json!(write_i64: i32, i64);

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjWriter::new(out);
        for (k, v) in self {
            w.field(k, v);
        }
        w.end();
    }
}

impl ToJson for Number {
    fn write_json(&self, out: &mut String) {
        match *self {
            Number::U(n) => write_u64(n, out),
            Number::I(n) => write_i64(n, out),
            Number::F(f) => write_f64(f, out),
        }
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => n.write_json(out),
            Value::String(s) => write_str(s, out),
            Value::Array(a) => a.write_json(out),
            Value::Object(o) => {
                let mut w = ObjWriter::new(out);
                for (k, v) in o {
                    w.field(k, v);
                }
                w.end();
            }
        }
    }
}

/// Writes an object: `new`, then `field` per entry, then `end`.
pub struct ObjWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjWriter<'a> {
    /// Opens the object.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjWriter { out, first: true }
    }

    /// Writes `"name":` (with the separating comma); the value follows.
    pub fn key(&mut self, name: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(name, self.out);
        self.out.push(':');
        self.out
    }

    /// Writes one entry.
    pub fn field<T: ToJson + ?Sized>(&mut self, name: &str, v: &T) {
        v.write_json(self.key(name));
    }

    /// Writes one entry unless `v` is `None` (`skip_serializing_if`).
    pub fn some<T: ToJson>(&mut self, name: &str, v: &Option<T>) {
        if let Some(v) = v {
            self.field(name, v);
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.push('}');
    }
}
