//! The macros that write the generated types' impls, and what they use. Crate-private;
//! generated code is their only user, and features may leave all of that out, hence the
//! `dead_code` allowances.
//!
//! - `deserialize_object!`: a struct's `Deserialize`, one lean visitor over the object's keys
//!   (serde's derive compiles to about three times the code).
//! - `string_enum!`: a string enum's `as_str`, `from_wire`, `FromStr`, `Display`, `Serialize`
//!   and, for enums Stripe sends, `Deserialize`.
//!
//! Written once here instead of at every type, they keep the generated text short, which is
//! what the generator's time goes into (parsing it with syn for prettyplease), and the
//! compiler's memory.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string from the input (an object's key, an enum's value), borrowed when it can be.
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
                f.write_str("a string")
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

/// The impls of a string enum with a catch-all variant: `as_str`, `from_wire`, `FromStr`,
/// `Display`, `Serialize`, and `Deserialize` when the enum is `received`.
///
/// ```text
/// string_enum!(received Status, Unknown, { Active = "active", Closed = "closed" });
/// ```
#[allow(unused_macros)]
macro_rules! string_enum {
    (received $ty:ident, $unknown:ident, { $($variant:ident = $wire:literal),* $(,)? }) => {
        $crate::string_enum!(sent $ty, $unknown, { $($variant = $wire),* });
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$crate::FieldKey<'de> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(value.as_str()))
            }
        }
    };
    (sent $ty:ident, $unknown:ident, { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $ty {
            /// The value as Stripe spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }
            /// The variant for a value as Stripe spells it; unknown values are kept.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;
