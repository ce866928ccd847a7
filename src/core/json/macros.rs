//! `json_struct!` and `json_unit_enum!`: [`FromJson`](super::FromJson) and
//! [`ToJson`](super::ToJson) for structs and fieldless enums, from a list
//! of their fields or variants with the wire names.

/// Implements `FromJson` and `ToJson` for a struct with named fields:
///
/// ```ignore
/// json_struct!(Pending { client_id: "clientId" req, attachment: "attachment" skip });
/// json_struct!(Slot(deny) { days: "days" req, from: "from" req, to: "to" req });
/// ```
///
/// Every field is listed with its wire name and how it is read and written:
/// - `req`: required (an `Option` is `None` when absent, as with serde);
/// - `opt`: `T::default()` when absent (`#[serde(default)]`);
/// - `skip`: as `opt`, and not written when `None` (`skip_serializing_if`);
/// - `def`: the struct's `Default` value of the field when absent
///   (`#[serde(default)]` on the struct);
/// - `yes`: `true` when absent.
///
/// `(deny)` after the name refuses unknown fields (`deny_unknown_fields`);
/// otherwise they are ignored. `read` before the name implements only
/// `FromJson`. A field left out of the list fails to
/// compile (the struct literal is incomplete).
macro_rules! json_struct {
    (read $ty:ident $(($deny:ident))? { $($f:ident: $n:literal $m:ident),* $(,)? }) => {
        impl $crate::core::json::FromJson for $ty {
            fn from_json(v: $crate::core::json::Value) -> Result<Self, $crate::core::json::Error> {
                #[allow(unused_mut)]
                let mut o = $crate::core::json::Obj::new(v, concat!("struct ", stringify!($ty)))?;
                let s = $ty { $($f: $crate::core::json::json_struct!(@read o, $f, $n, $m),)* };
                $crate::core::json::json_struct!(@deny o, [$($deny)?], [$($n),*]);
                Ok(s)
            }
        }
    };
    ($ty:ident $(($deny:ident))? { $($f:ident: $n:literal $m:ident),* $(,)? }) => {
        $crate::core::json::json_struct!(read $ty $(($deny))? { $($f: $n $m),* });
        impl $crate::core::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                #[allow(unused_mut)]
                let mut w = $crate::core::json::ObjWriter::new(out);
                $( $crate::core::json::json_struct!(@write w, self.$f, $n, $m); )*
                w.end();
            }
        }
    };
    (@read $o:ident, $f:ident, $n:literal, req) => { $o.req($n)? };
    (@read $o:ident, $f:ident, $n:literal, opt) => { $o.opt($n)? };
    (@read $o:ident, $f:ident, $n:literal, skip) => { $o.opt($n)? };
    (@read $o:ident, $f:ident, $n:literal, def) => {
        match $o.get($n)? { Some(v) => v, None => <Self as Default>::default().$f }
    };
    (@read $o:ident, $f:ident, $n:literal, yes) => { $o.get($n)?.unwrap_or(true) };
    (@write $w:ident, $v:expr, $n:literal, skip) => { $w.some($n, &$v) };
    (@write $w:ident, $v:expr, $n:literal, $m:ident) => { $w.field($n, &$v) };
    (@deny $o:ident, [], [$($n:literal),*]) => {};
    (@deny $o:ident, [deny], [$($n:literal),*]) => { $o.deny(&[$($n),*])? };
}
pub(crate) use json_struct;

/// Implements `FromJson` and `ToJson` for a `Copy` fieldless enum spelled
/// as its variants' names: `json_unit_enum!(Sender, [Visitor = "visitor",
/// Agent = "agent"]);` lists every variant with its wire name; a variant
/// missing from the list fails to compile.
macro_rules! json_unit_enum {
    ($ty:ident, [$($v:ident = $s:literal),+ $(,)?]) => {
        impl $crate::core::json::FromJson for $ty {
            fn from_json(v: $crate::core::json::Value) -> Result<Self, $crate::core::json::Error> {
                const ALL: &[$ty] = &[$($ty::$v),+];
                $crate::core::json::variant(v, &[$($s),+]).map(|i| ALL[i])
            }
        }
        impl $crate::core::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::core::json::write_str(match self { $($ty::$v => $s),+ }, out)
            }
        }
    };
}
pub(crate) use json_unit_enum;
