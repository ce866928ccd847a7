//! Small helpers for hand-written `Deserialize` impls of internally tagged
//! enums (`{"type": "...", ...fields}`), used instead of
//! `#[derive(Deserialize)] #[serde(tag = "...")]`; of fieldless enums
//! ([`unit_enum_de!`]); and [`from_json`], the one way JSON text is read.
//!
//! Why: serde's derive buffers such an object into its private `Content`
//! tree and then runs one generic `ContentDeserializer` per variant and per
//! error type; replacing the five derives cut the release wasm by 105 KB raw,
//! 28 KB gzip (`bench/SIZE.md`). Here the object
//! is read once into `(key, serde_json::Value)` pairs by one visitor shared
//! by every enum, the tag is checked as it is read, and each enum builds its
//! variant from the pairs with [`Body`] and [`Fields`] (one match arm per
//! variant); field values then go through the single `serde_json::Value`
//! deserializer.
//!
//! Accepted and refused JSON is the derive's, including serde's rarely used
//! sequence form `[tag, field1, field2, ...]`, with the same error messages
//! (`unknown variant`, `missing field`, `unknown field`, `duplicate field`,
//! `invalid type`). One difference: a key repeated *inside* a field's value
//! (e.g. twice `text` in the `message` of a `message` frame) is no longer
//! refused: the last one wins, as for every JSON object read through a
//! `serde_json::Value` (proactive rules always were). Messages about the
//! sequence form may be worded differently.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Error as _, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor};
use serde_json::{Error, Value};

/// How an internally tagged enum is spelled on the wire.
pub(crate) struct Tagged {
    /// The tag field, e.g. `type`.
    pub tag: &'static str,
    /// Every tag value, in declaration order (named by `unknown variant`).
    pub variants: &'static [&'static str],
    /// What a non-object is reported as not being, e.g. `internally tagged
    /// enum ServerFrame` (serde's wording).
    pub expecting: &'static str,
}

/// What follows the tag: the object's other entries in input order, or the
/// elements after the tag in the sequence form.
pub(crate) enum Body {
    /// `{tag, k: v, ...}`.
    Map(Vec<(String, Value)>),
    /// `[tag, v, ...]`: fields by position.
    Seq(Vec<Value>),
}

/// The variant builder of one enum: from the tag and the rest of the body.
pub(crate) type Build<T> = fn(&'static str, Body) -> Result<T, Error>;

/// Reads an internally tagged enum's tag (one of `t.variants`) and the rest
/// of its body; then `build` makes the variant. Errors from `build` keep
/// their message (serde's derive also reports them without a position).
pub(crate) fn tagged<'de, D: Deserializer<'de>, T>(d: D, t: &'static Tagged, build: Build<T>) -> Result<T, D::Error> {
    let (tag, body) = d.deserialize_any(TaggedVisitor(t, false))?;
    build(tag, body).map_err(D::Error::custom)
}

/// As [`tagged`], for an enum nested in a field of one of its own variants
/// (`Condition`'s `all`/`any`/`not`): serde's derive read those from its
/// buffer, which also takes a non-negative integer tag as the variant's
/// index (`{"type": 0}` is the first variant); kept for compatibility.
pub(crate) fn tagged_nested<'de, D: Deserializer<'de>, T>(d: D, t: &'static Tagged, build: Build<T>) -> Result<T, D::Error> {
    let (tag, body) = d.deserialize_any(TaggedVisitor(t, true))?;
    build(tag, body).map_err(D::Error::custom)
}

impl Tagged {
    /// `unknown variant` (for the catch-all arm of a `build` match; the tag
    /// was already checked against `variants`).
    pub fn unknown(&self, tag: &str) -> Error {
        Error::unknown_variant(tag, self.variants)
    }
}

/// The enum's spelling; whether integer tags (variant indexes) are taken.
struct TaggedVisitor(&'static Tagged, bool);

impl<'de> Visitor<'de> for TaggedVisitor {
    type Value = (&'static str, Body);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut tag = None;
        let mut rest = Vec::new();
        while let Some(k) = m.next_key::<String>()? {
            if k == self.0.tag {
                if tag.is_some() {
                    return Err(A::Error::duplicate_field(self.0.tag));
                }
                tag = Some(self.0.variants[m.next_value_seed(Tag { variants: self.0.variants, any: self.1 })?]);
            } else {
                rest.push((k, m.next_value::<Value>()?));
            }
        }
        match tag {
            Some(tag) => Ok((tag, Body::Map(rest))),
            None => Err(A::Error::missing_field(self.0.tag)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let Some(tag) = s.next_element_seed(Tag { variants: self.0.variants, any: self.1 })? else {
            return Err(A::Error::missing_field(self.0.tag));
        };
        let mut rest = Vec::new();
        while let Some(v) = s.next_element::<Value>()? {
            rest.push(v);
        }
        Ok((self.0.variants[tag], Body::Seq(rest)))
    }
}

/// A variant name, read as serde's derived variant identifier reads it: a
/// string (checked where it is read, so that the error carries the input
/// position as with the derive) or an integer variant index. `any`: read
/// with `deserialize_any` (how serde's buffer answered for nested enums,
/// see [`tagged_nested`]) instead of `deserialize_identifier`. Gives the
/// index in `variants`.
struct Tag {
    variants: &'static [&'static str],
    any: bool,
}

impl<'de> DeserializeSeed<'de> for Tag {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        if self.any {
            d.deserialize_any(self)
        } else {
            d.deserialize_identifier(self)
        }
    }
}

impl<'de> Visitor<'de> for Tag {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        let vs = self.variants;
        vs.iter().position(|n| *n == v).ok_or_else(|| E::unknown_variant(v, vs))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        let n = self.variants.len();
        match usize::try_from(v) {
            Ok(i) if i < n => Ok(i),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &format!("variant index 0 <= i < {n}").as_str())),
        }
    }
}

/// `Deserialize` for a fieldless enum spelled as its variants' names: the
/// index of the variant in `variants` (declaration order). Does what the
/// derive does (`deserialize_enum`, then the variant name, then a unit
/// variant) through one visitor shared by every such enum instead of one
/// per enum; use [`unit_enum_de!`].
pub(crate) fn unit_enum<'de, D: Deserializer<'de>>(d: D, name: &'static str, variants: &'static [&'static str]) -> Result<usize, D::Error> {
    d.deserialize_enum(name, variants, UnitEnum(name, variants))
}

struct UnitEnum(&'static str, &'static [&'static str]);

impl<'de> Visitor<'de> for UnitEnum {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "enum {}", self.0)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        let (i, v) = data.variant_seed(Tag { variants: self.1, any: false })?;
        v.unit_variant()?;
        Ok(i)
    }
}

/// Implements `Deserialize` for a `Copy` fieldless enum with [`unit_enum`]:
/// `unit_enum_de!(Sender, [Visitor = "visitor", Agent = "agent"]);` lists
/// every variant with its wire name, in declaration order; a missing
/// variant is a compile error.
macro_rules! unit_enum_de {
    ($ty:ident, [$($v:ident = $s:literal),+ $(,)?]) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const ALL: &[$ty] = &[$($ty::$v),+];
                $crate::core::de::unit_enum(d, stringify!($ty), &[$($s),+]).map(|i| ALL[i])
            }
        }
        // A variant added to the enum but not to this list fails to compile
        // here (non-exhaustive match) instead of being refused on the wire.
        const _: fn(&$ty) = |v| match v {
            $($ty::$v => {}),+
        };
    };
}
pub(crate) use unit_enum_de;

/// serde's message for a sequence of the wrong length.
fn bad_length(len: usize, want: usize) -> Error {
    let s = if want == 1 { "" } else { "s" };
    Error::invalid_length(len, &format!("{want} element{s} in sequence").as_str())
}

impl Body {
    /// A unit variant: the other fields of an object are ignored; the
    /// sequence form must have nothing after the tag.
    pub fn unit(self) -> Result<(), Error> {
        match self {
            Body::Seq(v) if !v.is_empty() => Err(bad_length(v.len(), 0)),
            _ => Ok(()),
        }
    }

    /// A struct variant whose wire field names are `names`, in declaration
    /// order. A repeated field is refused; another field is refused when
    /// `deny` (`deny_unknown_fields`), else ignored.
    pub fn fields(self, names: &'static [&'static str], deny: bool) -> Result<Fields, Error> {
        let mut vals: Vec<Option<Value>> = names.iter().map(|_| None).collect();
        let mut seq = None;
        match self {
            Body::Map(m) => {
                for (k, v) in m {
                    match names.iter().position(|n| *n == k) {
                        Some(i) if vals[i].is_some() => return Err(Error::duplicate_field(names[i])),
                        Some(i) => vals[i] = Some(v),
                        None if deny => return Err(Error::unknown_field(&k, names)),
                        None => {}
                    }
                }
            }
            Body::Seq(v) if v.len() > names.len() => return Err(bad_length(v.len(), names.len())),
            Body::Seq(v) => {
                seq = Some(v.len());
                for (slot, v) in vals.iter_mut().zip(v) {
                    *slot = Some(v);
                }
            }
        }
        Ok(Fields { names, vals, seq })
    }
}

/// The fields of one struct variant, taken one by one by name.
pub(crate) struct Fields {
    names: &'static [&'static str],
    vals: Vec<Option<Value>>,
    /// The sequence form's length (fields after it are missing).
    seq: Option<usize>,
}

impl Fields {
    /// The value of `name` (which must be one of the declared names).
    fn take(&mut self, name: &'static str) -> Option<Value> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.vals[i].take()
    }

    /// A required field (`missing field` when absent).
    pub fn req<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, Error> {
        match (self.take(name), self.seq) {
            (Some(v), _) => T::deserialize(v),
            (None, Some(len)) => Err(bad_length(len, self.names.len())),
            (None, None) => Err(Error::missing_field(name)),
        }
    }

    /// A `#[serde(default)]` field.
    pub fn opt<T: DeserializeOwned + Default>(&mut self, name: &'static str) -> Result<T, Error> {
        match self.take(name) {
            Some(v) => T::deserialize(v),
            None => Ok(T::default()),
        }
    }
}

/// Parses JSON text into `T` through a `serde_json::Value`: what every JSON
/// input of the SDK uses instead of `serde_json::from_str::<T>`.
///
/// Why: every `Deserialize` impl is then instantiated for one deserializer
/// (the owned `Value`), not also for serde_json's text reader; that cut the
/// release wasm by 36 KB raw, 14 KB gzip (`bench/SIZE.md`). Syntax errors
/// keep their "at line L column C"; errors about a value (wrong type,
/// missing field) have no position. A key repeated in an object is no longer
/// refused: the last one wins.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    T::deserialize(serde_json::from_str::<Value>(text)?)
}
