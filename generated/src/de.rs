//! Decoding support for the generated types' `Deserialize` impls: one lean visitor per struct
//! (see `struct_deserialize` in `codegen/src/emit.rs`) instead of serde's derive, which
//! compiles to about three times the code. Crate-private; generated code is its only user, and
//! features may leave all of that out, hence the `dead_code` allowances.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A key of a JSON object, borrowed from the input when it can be.
#[allow(dead_code)]
pub(crate) struct FieldKey<'de>(Cow<'de, str>);

#[allow(dead_code)]
impl FieldKey<'_> {
    /// The key's text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for FieldKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = FieldKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldKey(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldKey(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldKey(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The value of a required field, or serde's "missing field" error naming it.
#[allow(dead_code)]
pub(crate) fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// `Deserialize` for a generated struct from its wire names: one visitor over the object's
/// keys. Unknown keys are skipped; a required field that is missing is serde's "missing field"
/// error; an optional one may be absent or null. (A repeated key keeps its last value.)
///
/// ```text
/// deserialize_object!(Name, "`Name` (a JSON object)", required { "id" => id } optional { "url" => url });
/// ```
#[allow(unused_macros)]
macro_rules! deserialize_object {
    (
        $ty:ident, $expecting:literal,
        required { $($rwire:literal => $rfield:ident),* $(,)? }
        optional { $($owire:literal => $ofield:ident),* $(,)? }
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct __ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for __ObjectVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $rfield = None;)*
                        $(let mut $ofield = None;)*
                        while let Some(key) = map.next_key::<$crate::FieldKey<'de>>()? {
                            match key.as_str() {
                                $($rwire => $rfield = Some(map.next_value()?),)*
                                $($owire => $ofield = map.next_value()?,)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($ty { $($rfield: $crate::required($rfield, $rwire)?,)* $($ofield,)* })
                    }
                }
                deserializer.deserialize_map(__ObjectVisitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_object;
