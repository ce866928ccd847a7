//! A small JSON reader and writer: the only JSON code in the wasm builds.
//!
//! Why not serde: serde's derives and serde_json cost about 88 KB of the
//! core wasm (visitors instantiated per type, serde_json's reader, its error
//! formatting, `BTreeMap<String, Value>`). Here a document is parsed once
//! into a [`Value`] by one non-generic parser ([`parse`]), and each type
//! reads its fields from it through small non-generic helpers ([`Obj`]);
//! writing goes straight to a `String` ([`ToJson`]). Structs get both impls
//! from [`json_struct!`](crate::core::json::json_struct), fieldless enums
//! from `json_unit_enum!`.
//!
//! Semantics (RFC 8259, as `JSON.parse`): trailing characters, control
//! characters in strings, lone surrogates in `\u` escapes, leading zeros,
//! `NaN`/`Infinity` are refused; nesting deeper than [`MAX_DEPTH`] is
//! refused (serde_json's limit); a key repeated in an object keeps its first
//! position and its last value. Strings are written escaped as
//! `JSON.stringify` escapes them.
//!
//! The serde impls of the SDK's types (feature `serde`, for the server) are
//! checked against these in `cross_tests.rs`.

pub mod float;
mod macros;
mod parse;
mod read;
#[cfg(feature = "serde")]
mod serde_impls;
mod write;

#[cfg(test)]
mod tests;
#[cfg(all(test, feature = "serde"))]
mod cross_tests;
#[cfg(all(test, feature = "serde"))]
mod cross_tests_b;

pub(crate) use macros::{json_struct, json_unit_enum};
pub use parse::{parse, MAX_DEPTH};
pub use read::{variant, FromJson, Obj};
pub use write::{to_string, write_i64, write_str, write_u64, ObjWriter, ToJson};

use std::fmt;

/// A JSON number: integers are kept exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    U(u64),
    /// A negative integer.
    I(i64),
    /// Any other number (fraction, exponent, or an integer beyond 64 bits).
    F(f64),
}

impl Number {
    /// The number as an `f64` (integers beyond 2^53 are rounded).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::U(n) => n as f64,
            Number::I(n) => n as f64,
            Number::F(f) => f,
        }
    }
}

/// A JSON value. Objects keep their keys in input order, each once.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object: `(key, value)` pairs in input order, keys unique.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(o) => o.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Why JSON text or a value could not be read. The message names the field
/// (as a path from the document's root, `conversation.queueId: ...`) for
/// errors about a value, and the line and column for syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where: field names from the root, dot-separated (empty: the root).
    path: String,
    /// What, in serde_json's wording (`missing field `id``, `invalid type:
    /// string "x", expected u64`, `expected value at line 1 column 1`).
    msg: String,
}

impl Error {
    /// An error with this message, at the root.
    pub fn new(msg: impl Into<String>) -> Error {
        Error { path: String::new(), msg: msg.into() }
    }

    /// The same error, inside field `name` of an object.
    pub fn at(mut self, name: &str) -> Error {
        if !self.path.is_empty() {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, name);
        self
    }

    /// `missing field `name``.
    pub fn missing(name: &str) -> Error {
        Error::new(format!("missing field `{name}`"))
    }

    /// `invalid type: <what v is>, expected <expected>`.
    pub fn invalid_type(v: &Value, expected: &str) -> Error {
        let got = match v {
            Value::Null => "null".to_string(),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(Number::U(n)) => format!("integer `{n}`"),
            Value::Number(Number::I(n)) => format!("integer `{n}`"),
            Value::Number(Number::F(f)) => format!("floating point `{}`", float::to_text(*f)),
            Value::String(s) => format!("string {}", crate::core::errors::quoted(s)),
            Value::Array(_) => "sequence".to_string(),
            Value::Object(_) => "map".to_string(),
        };
        Error::new(format!("invalid type: {got}, expected {expected}"))
    }

    /// `unknown <what> `name`, expected one of `a`, `b`` (serde's wording
    /// for fields and variants).
    pub fn unknown(what: &str, name: &str, expected: &[&str]) -> Error {
        let list = match expected {
            [] => return Error::new(format!("unknown {what} `{name}`, there are no {what}s")),
            [one] => format!("`{one}`"),
            _ => format!("one of `{}`", expected.join("`, `")),
        };
        Error::new(format!("unknown {what} `{name}`, expected {list}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.msg)
        } else {
            write!(f, "{}: {}", self.path, self.msg)
        }
    }
}

impl std::error::Error for Error {}

/// Parses JSON text and reads a `T` from it.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(parse(text)?)
}
