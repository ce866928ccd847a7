//! Reading typed values from a [`Value`]: [`FromJson`] for the primitive
//! types and containers, and [`Obj`], the object reader the struct and enum
//! impls share (non-generic where it can be, so each type costs little).

use std::collections::BTreeMap;

use super::{Error, Number, Value};

/// A type read from a JSON [`Value`].
pub trait FromJson: Sized {
    /// Reads `v`.
    fn from_json(v: Value) -> Result<Self, Error>;

    /// The value of a field that is absent: `missing field` by default,
    /// `None` for an `Option` (as with serde's derive).
    fn absent(name: &str) -> Result<Self, Error> {
        Err(Error::missing(name))
    }
}

impl FromJson for Value {
    fn from_json(v: Value) -> Result<Self, Error> {
        Ok(v)
    }
}

impl FromJson for String {
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(s),
            v => Err(Error::invalid_type(&v, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Bool(b) => Ok(b),
            v => Err(Error::invalid_type(&v, "a boolean")),
        }
    }
}

impl FromJson for f64 {
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Number(n) => Ok(n.as_f64()),
            v => Err(Error::invalid_type(&v, "f64")),
        }
    }
}

/// An integer in `min..=max`, named `what` in errors (`u32`, `i64`...).
fn integer(v: Value, min: i64, max: u64, what: &str) -> Result<Number, Error> {
    let ok = match v {
        Value::Number(Number::U(n)) => n <= max,
        Value::Number(Number::I(n)) => n >= min,
        v => return Err(Error::invalid_type(&v, what)),
    };
    match v {
        Value::Number(n) if ok => Ok(n),
        Value::Number(Number::U(n)) => Err(Error::new(format!("invalid value: integer `{n}`, expected {what}"))),
        Value::Number(Number::I(n)) => Err(Error::new(format!("invalid value: integer `{n}`, expected {what}"))),
        _ => unreachable!(),
    }
}

macro_rules! int_from_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: Value) -> Result<Self, Error> {
                Ok(match integer(v, <$t>::MIN as i64, <$t>::MAX as u64, stringify!($t))? {
                    Number::U(n) => n as $t,
                    Number::I(n) => n as $t,
                    Number::F(_) => 0,
                })
            }
        }
    )*};
}
int_from_json!(u8, u32, u64, usize, i32, i64);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }

    fn absent(_: &str) -> Result<Self, Error> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(v: Value) -> Result<Self, Error> {
        T::from_json(v).map(Box::new)
    }
}

/// The elements of an array, or `invalid type ... expected a sequence`.
fn array(v: Value) -> Result<Vec<Value>, Error> {
    match v {
        Value::Array(a) => Ok(a),
        v => Err(Error::invalid_type(&v, "a sequence")),
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: Value) -> Result<Self, Error> {
        array(v)?.into_iter().map(T::from_json).collect()
    }
}

/// The entries of an object, or `invalid type ... expected a map`.
fn object(v: Value) -> Result<Vec<(String, Value)>, Error> {
    match v {
        Value::Object(o) => Ok(o),
        v => Err(Error::invalid_type(&v, "a map")),
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(v: Value) -> Result<Self, Error> {
        object(v)?.into_iter().map(|(k, v)| T::from_json(v).map_err(|e| e.at(&k)).map(|v| (k, v))).collect()
    }
}

/// An object being read field by field: what the struct and enum impls use.
pub struct Obj(Vec<(String, Value)>);

impl Obj {
    /// `v` as an object; `what` names the type in the error otherwise
    /// (`struct Message`, `internally tagged enum ServerFrame`).
    pub fn new(v: Value, what: &str) -> Result<Obj, Error> {
        match v {
            Value::Object(o) => Ok(Obj(o)),
            v => Err(Error::invalid_type(&v, what)),
        }
    }

    /// Removes and returns the value of `name`.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| k == name)?;
        Some(self.0.remove(i).1)
    }

    /// A field read with [`FromJson::absent`] when it is missing (required,
    /// or `None` for an `Option`); errors name the field.
    pub fn req<T: FromJson>(&mut self, name: &str) -> Result<T, Error> {
        match self.take(name) {
            Some(v) => T::from_json(v).map_err(|e| e.at(name)),
            None => T::absent(name),
        }
    }

    /// A field that may be absent: `None` then (`null` is read by `T`).
    pub fn get<T: FromJson>(&mut self, name: &str) -> Result<Option<T>, Error> {
        self.take(name).map(|v| T::from_json(v).map_err(|e| e.at(name))).transpose()
    }

    /// A `#[serde(default)]` field: `T::default()` when absent.
    pub fn opt<T: FromJson + Default>(&mut self, name: &str) -> Result<T, Error> {
        Ok(self.get(name)?.unwrap_or_default())
    }

    /// An object's entries.
    pub fn from_entries(entries: Vec<(String, Value)>) -> Obj {
        Obj(entries)
    }

    /// The entries not taken yet.
    pub fn into_entries(self) -> Vec<(String, Value)> {
        self.0
    }

    /// Refuses what is left (`deny_unknown_fields`): `names` are the
    /// type's fields, listed in the error.
    pub fn deny(self, names: &[&str]) -> Result<(), Error> {
        match self.0.first() {
            Some((k, _)) => Err(Error::unknown("field", k, names)),
            None => Ok(()),
        }
    }

    /// An internally tagged enum: reads the tag field `tag` (one of
    /// `variants`) and returns its index with the other fields.
    pub fn tagged(v: Value, tag: &str, variants: &[&str], what: &str) -> Result<(usize, Obj), Error> {
        let mut o = Obj::new(v, what)?;
        let t = o.take(tag).ok_or_else(|| Error::missing(tag))?;
        Ok((variant(t, variants).map_err(|e| e.at(tag))?, o))
    }
}

/// The index of a variant spelled as its name (`unknown variant` otherwise).
pub fn variant(v: Value, variants: &[&str]) -> Result<usize, Error> {
    match v {
        Value::String(s) => variants.iter().position(|n| *n == s).ok_or_else(|| Error::unknown("variant", &s, variants)),
        v => Err(Error::invalid_type(&v, "variant identifier")),
    }
}
