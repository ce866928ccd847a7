//! Validation of the chat context a page passes to agents.
//!
//! Shape (SPEC §1): `{ name: { value: string|number|boolean, isDisplayable?: boolean } }`,
//! at most [`MAX_ENTRIES`] entries, primitives only. The browser layer turns
//! the JS object into a [`Raw`] tree, depth-bounded by [`MAX_DEPTH`] so a
//! cyclic or deep object becomes [`Raw::TooDeep`] instead of a stack
//! overflow, and this module decides.

use crate::core::errors::quoted;
use crate::core::json::{write_str, ObjWriter, ToJson};


/// Most entries a context may have.
pub const MAX_ENTRIES: usize = 100;
/// Longest key, in characters.
pub const MAX_KEY_CHARS: usize = 100;
/// Longest string value, in characters.
pub const MAX_VALUE_CHARS: usize = 4096;
/// How deep the browser layer walks a JS value before giving up.
pub const MAX_DEPTH: usize = 3;
/// Keys refused because they mean something to JS objects.
pub const RESERVED_KEYS: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// A JS value as seen by the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// `null` or `undefined`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (may be NaN or infinite; refused then).
    Number(f64),
    /// A string.
    Str(String),
    /// A plain object's own enumerable properties, in order.
    Object(Vec<(String, Raw)>),
    /// Anything else: array, function, symbol, bigint, class instance.
    Other(&'static str),
    /// Deeper than [`MAX_DEPTH`] (or cyclic).
    TooDeep,
    /// More properties than the walker reads.
    TooLarge,
}

/// A primitive context value.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Value {
    /// A string.
    Str(String),
    /// A finite number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

/// One validated entry.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// Whether agents see it in their console (default true).
    #[cfg_attr(feature = "serde", serde(rename = "isDisplayable"))]
    pub is_displayable: bool,
}

/// A validated context, in the page's order.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Context(pub Vec<(String, Entry)>);

impl Context {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The entry called `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, e)| e)
    }
    /// Sets `key`, replacing an existing entry in place.
    pub fn set(&mut self, key: &str, value: Value, is_displayable: bool) {
        let entry = Entry { value, is_displayable };
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = entry,
            None => self.0.push((key.to_string(), entry)),
        }
    }
    /// Adds the entries of `other`, which win over existing ones.
    pub fn merge(&mut self, other: &Context) {
        for (k, e) in &other.0 {
            self.set(k, e.value.clone(), e.is_displayable);
        }
    }
    /// The context as a JSON object string, in the page's order (for the
    /// wire and events).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (i, (k, e)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(k, &mut out);
            out.push(':');
            e.write_json(&mut out);
        }
        out.push('}');
        out
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Str(s) => write_str(s, out),
            Value::Number(n) => n.write_json(out),
            Value::Bool(b) => b.write_json(out),
        }
    }
}

impl ToJson for Entry {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjWriter::new(out);
        w.field("value", &self.value);
        w.field("isDisplayable", &self.is_displayable);
        w.end();
    }
}

/// Why a context was refused: a message naming the offending key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextError(pub String);

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ContextError {}

fn err<T>(msg: String) -> Result<T, ContextError> {
    Err(ContextError(msg))
}

fn check_key(key: &str) -> Result<(), ContextError> {
    if key.is_empty() {
        return err("context keys must not be empty".into());
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return err(format!("context key longer than {MAX_KEY_CHARS} characters"));
    }
    if RESERVED_KEYS.contains(&key) {
        return err(format!("context key {key_q} is reserved", key_q = quoted(key)));
    }
    if key.chars().any(char::is_control) {
        return err("context keys must not contain control characters".into());
    }
    Ok(())
}

fn primitive(key: &str, raw: &Raw) -> Result<Value, ContextError> {
    match raw {
        Raw::Bool(b) => Ok(Value::Bool(*b)),
        Raw::Number(n) if n.is_finite() => Ok(Value::Number(*n)),
        Raw::Number(_) => err(format!("context {key_q}: value must be a finite number", key_q = quoted(key))),
        Raw::Str(s) if s.chars().count() <= MAX_VALUE_CHARS => Ok(Value::Str(s.clone())),
        Raw::Str(_) => err(format!("context {key_q}: value longer than {MAX_VALUE_CHARS} characters", key_q = quoted(key))),
        Raw::Null => err(format!("context {key_q}: value is missing", key_q = quoted(key))),
        Raw::TooDeep => err(format!("context {key_q}: value is nested too deep (cyclic?)", key_q = quoted(key))),
        Raw::Object(_) | Raw::Other(_) | Raw::TooLarge => {
            err(format!("context {key_q}: value must be a string, number or boolean", key_q = quoted(key)))
        }
    }
}

/// Validates a context object.
pub fn validate(raw: &Raw) -> Result<Context, ContextError> {
    let fields = match raw {
        Raw::Object(fields) => fields,
        Raw::Null => return Ok(Context::default()),
        Raw::TooLarge => return err(format!("context has more than {MAX_ENTRIES} entries")),
        Raw::TooDeep => return err("context is nested too deep (cyclic?)".into()),
        _ => return err("context must be an object of { name: { value, isDisplayable? } }".into()),
    };
    if fields.len() > MAX_ENTRIES {
        return err(format!("context has {} entries; at most {MAX_ENTRIES}", fields.len()));
    }
    let mut out = Context::default();
    for (key, entry) in fields {
        check_key(key)?;
        let Raw::Object(props) = entry else {
            return err(format!("context {key_q} must be an object {{ value, isDisplayable? }}", key_q = quoted(key)));
        };
        let mut value = None;
        let mut displayable = true;
        for (prop, v) in props {
            match prop.as_str() {
                "value" => value = Some(primitive(key, v)?),
                "isDisplayable" => match v {
                    Raw::Bool(b) => displayable = *b,
                    Raw::Null => {}
                    _ => return err(format!("context {key_q}: isDisplayable must be a boolean", key_q = quoted(key))),
                },
                other => return err(format!("context {key_q}: unknown property {other_q}", key_q = quoted(key), other_q = quoted(other))),
            }
        }
        let Some(value) = value else {
            return err(format!("context {key_q}: value is missing", key_q = quoted(key)));
        };
        if out.get(key).is_some() {
            return err(format!("context key {key_q} appears twice", key_q = quoted(key)));
        }
        out.0.push((key.clone(), Entry { value, is_displayable: displayable }));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
