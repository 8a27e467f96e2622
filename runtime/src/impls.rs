//! The macros that write the generated types' impls, and what they use. Public for generated
//! crates to expand (their `crate::` paths are the generated crate's re-exports of these),
//! hidden from the docs: generated code is their only user.
//!
//! - `deserialize_object!`: a struct's `Deserialize`, one lean visitor over the object's keys
//!   (serde's derive compiles to about three times the code).
//! - `string_enum!`: a string enum's `as_str`, `from_wire`, `FromStr`, `Display`, `Serialize`
//!   and, for enums Stripe sends, `Deserialize`.
//! - `deserialize_union!`: a received union's `Deserialize`: by its tag field, or by the shape
//!   of the value ([`UnionShape`]); never by trying alternatives in order. A value that fits no
//!   alternative is an error; an unknown tag, or a value that fits several, is kept as JSON.
//!
//! Written once here instead of at every type, they keep the generated text short, which is
//! what the generator's time (printing it) and the compiler's memory go into; see
//! ARCHITECTURE.md. An invocation lists one field or value per line; a field whose wire name
//! is its Rust name is written alone, and the macros derive the rest (see [`wire!`]).

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string from the input (an object's key, an enum's value), borrowed when it can be.
#[doc(hidden)]
pub struct FieldKey<'de>(Cow<'de, str>);

impl FieldKey<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
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
#[doc(hidden)]
pub fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// A field's wire name: `name = "wire"` when they differ, else the field's name itself.
#[doc(hidden)]
#[macro_export]
macro_rules! wire {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident = $wire:literal) => {
        $wire
    };
}

/// `Deserialize` for a generated struct from its fields: one visitor over the object's keys.
/// A key the type does not name is kept in the field `unknown` names (as JSON; a received
/// object loses nothing Stripe added after the crate), else skipped, and so is a constant the
/// type writes itself (`except`); a required field that is missing is serde's "missing field"
/// error; an optional one may be absent or null. (A repeated key keeps its last value.)
///
/// ```text
/// deserialize_object! {
///     Name,
///     required {
///         id,
///         type_ = "type",
///     },
///     optional {
///         url,
///     },
///     unknown extra except { "object" },
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_object {
    // a key the type does not name: ignored, or kept in the field that keeps unknown fields
    // (but for the constants the type writes itself)
    (@unknown $map:ident, $key:ident) => {
        $map.next_value::<::serde::de::IgnoredAny>()?;
    };
    (@unknown $map:ident, $key:ident, $extra:ident, [$($constant:literal),*]) => {
        match $key.as_str() {
            $($constant => {
                $map.next_value::<::serde::de::IgnoredAny>()?;
            })*
            other => {
                $extra.insert(other.to_owned(), $map.next_value::<::serde_json::Value>()?);
            }
        }
    };
    (
        $ty:ident,
        required { $($rfield:ident $(= $rwire:literal)?),* $(,)? },
        optional { $($ofield:ident $(= $owire:literal)?),* $(,)? }
        $(, unknown $extra:ident $(except { $($constant:literal),* $(,)? })?)? $(,)?
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct __ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for __ObjectVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("`", stringify!($ty), "` (a JSON object)"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $rfield = None;)*
                        $(let mut $ofield = None;)*
                        $(let mut $extra = ::std::collections::BTreeMap::new();)?
                        while let Some(key) = map.next_key::<$crate::FieldKey<'de>>()? {
                            match key.as_str() {
                                $($crate::wire!($rfield $(= $rwire)?) => $rfield = Some(map.next_value()?),)*
                                $($crate::wire!($ofield $(= $owire)?) => $ofield = map.next_value()?,)*
                                _ => {
                                    $crate::deserialize_object!(@unknown map, key $(, $extra, [$($($constant),*)?])?);
                                }
                            }
                        }
                        Ok($ty {
                            $($rfield: $crate::required($rfield, $crate::wire!($rfield $(= $rwire)?))?,)*
                            $($ofield,)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__ObjectVisitor)
            }
        }
        $crate::object_keys! {
            $ty,
            required { $($rfield $(= $rwire)?),* },
            optional { $($ofield $(= $owire)?),* },
        }
    };
}

/// The impls of a string enum with a catch-all variant: `as_str`, `from_wire`, `FromStr`,
/// `Display`, `Serialize`, and `Deserialize` when the enum is `received`.
///
/// ```text
/// string_enum! {
///     received Status,
///     unknown: Unknown,
///     values {
///         Active = "active",
///         Closed = "closed",
///     },
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    (received $ty:ident, unknown: $unknown:ident, values { $($variant:ident = $wire:literal),* $(,)? } $(,)?) => {
        $crate::string_enum!(sent $ty, unknown: $unknown, values { $($variant = $wire),* });
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$crate::FieldKey<'de> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(value.as_str()))
            }
        }
    };
    (sent $ty:ident, unknown: $unknown:ident, values { $($variant:ident = $wire:literal),* $(,)? } $(,)?) => {
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

/// The keys of a generated struct's JSON object, which tell the struct alternatives of a union
/// apart (see [`UnionShape::Struct`]). Written by `deserialize_object!`, and by `object_keys!`
/// for a stand-in that is such an alternative.
#[doc(hidden)]
pub trait ObjectKeys {
    /// The fields a value must have.
    const REQUIRED: &'static [&'static str];
    /// Every field the struct knows.
    const FIELDS: &'static [&'static str];
}

/// `ObjectKeys` for a type from its fields, written as `deserialize_object!` takes them.
///
/// ```text
/// object_keys! { Name, required { id }, optional { url } }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! object_keys {
    (
        $ty:ident,
        required { $($rfield:ident $(= $rwire:literal)?),* $(,)? },
        optional { $($ofield:ident $(= $owire:literal)?),* $(,)? } $(,)?
    ) => {
        impl $crate::ObjectKeys for $ty {
            const REQUIRED: &'static [&'static str] = &[$($crate::wire!($rfield $(= $rwire)?)),*];
            const FIELDS: &'static [&'static str] = &[
                $($crate::wire!($rfield $(= $rwire)?),)*
                $($crate::wire!($ofield $(= $owire)?)),*
            ];
        }
    };
}

/// What a JSON value must look like to be one alternative of an untagged union. The generator
/// gives each alternative one, so that no value fits two unless the generator warned of it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum UnionShape {
    /// A string.
    String,
    /// A number without a fraction.
    Integer,
    /// A number with a fraction.
    Float,
    /// Any number.
    Number,
    /// A boolean.
    Bool,
    /// An array.
    Array,
    /// Any object.
    Object,
    /// An object that has every required field, the struct's constants (`object: "card"`),
    /// and no field that only other struct alternatives of the union know.
    Struct {
        required: &'static [&'static str],
        fields: &'static [&'static str],
        constants: &'static [(&'static str, &'static str)],
    },
    /// Any value.
    Any,
}

impl<T: ObjectKeys> ObjectKeys for Box<T> {
    const REQUIRED: &'static [&'static str] = T::REQUIRED;
    const FIELDS: &'static [&'static str] = T::FIELDS;
}

impl UnionShape {
    /// The shape of the struct a union variant holds, from the variant's constructor
    /// (`Self::Customer`), so that the macro needs no type name.
    pub fn of_variant<T: ObjectKeys, U>(
        _constructor: fn(T) -> U,
        constants: &'static [(&'static str, &'static str)],
    ) -> UnionShape {
        UnionShape::Struct { required: T::REQUIRED, fields: T::FIELDS, constants }
    }

    /// Whether `value` fits; `known` is every field some struct alternative knows.
    fn fits(&self, value: &serde_json::Value, known: &[&str]) -> bool {
        use serde_json::Value;
        match (self, value) {
            (UnionShape::String, Value::String(_)) | (UnionShape::Bool, Value::Bool(_)) => true,
            (UnionShape::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (UnionShape::Float, Value::Number(n)) => n.is_f64(),
            (UnionShape::Number, Value::Number(_)) => true,
            (UnionShape::Array, Value::Array(_)) | (UnionShape::Object, Value::Object(_)) => true,
            (UnionShape::Struct { required, fields, constants }, Value::Object(map)) => {
                required.iter().all(|r| map.contains_key(*r))
                    && constants.iter().all(|(k, v)| map.get(*k).and_then(Value::as_str) == Some(*v))
                    && map.keys().all(|k| fields.contains(&k.as_str()) || !known.contains(&k.as_str()))
            }
            (UnionShape::Any, _) => true,
            _ => false,
        }
    }
}

/// Which alternative of an untagged union `value` is: `Ok(Some(i))` for the one that fits,
/// `Ok(None)` when several do (the value is kept as JSON), an error naming the union when none does.
#[doc(hidden)]
pub fn pick_alternative<E: de::Error>(
    value: &serde_json::Value,
    shapes: &[UnionShape],
    expecting: &str,
) -> Result<Option<usize>, E> {
    let known: Vec<&str> = shapes
        .iter()
        .flat_map(|s| match s {
            UnionShape::Struct { fields, .. } => fields.iter().copied(),
            _ => [].iter().copied(),
        })
        .collect();
    let mut fitting = shapes.iter().enumerate().filter(|(_, s)| s.fits(value, &known)).map(|(i, _)| i);
    match (fitting.next(), fitting.next()) {
        (Some(i), None) => Ok(Some(i)),
        (Some(_), Some(_)) => Ok(None),
        (None, _) => {
            Err(E::custom(format_args!("{expecting}: the value fits none of its alternatives: {}", brief(value))))
        }
    }
}

/// The value of a tagged union's tag field, or an error naming the union and the field.
#[doc(hidden)]
pub fn union_tag<'v, E: de::Error>(value: &'v serde_json::Value, field: &str, expecting: &str) -> Result<&'v str, E> {
    match value.get(field) {
        Some(serde_json::Value::String(tag)) => Ok(tag),
        Some(other) => Err(E::custom(format_args!("{expecting}: `{field}` is {}, not a string", brief(other)))),
        None => {
            Err(E::custom(format_args!("{expecting}: missing field `{field}`, which tells its alternatives apart")))
        }
    }
}

/// Decodes one alternative from the buffered value, naming it in the error.
#[doc(hidden)]
pub fn decode_alternative<T: serde::de::DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
    expecting: &str,
    alternative: &str,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(|e| E::custom(format_args!("{expecting} as `{alternative}`: {e}")))
}

/// What kind of JSON value this is, for errors (never the value: it may hold secrets).
fn brief(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// `Deserialize` for a received union, with a catch-all variant that keeps a value as JSON.
///
/// ```text
/// deserialize_union! {
///     Pet,
///     unknown: Unknown,
///     tag "kind" {
///         "cat" => Cat,
///         "dog" => Dog,
///     },
/// }
/// deserialize_union! {
///     Dest,
///     unknown: Unknown,
///     shapes {
///         Count = Integer,
///         Card = Struct { "object" = "card" },
///         Deleted = Struct { "object" = "card", "deleted" = "true" },
///     },
/// }
/// ```
///
/// A shape is a [`UnionShape`] variant; `Struct` takes the keys of the struct the variant holds,
/// and the constants written after it.
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_union {
    ($ty:ident, unknown: $unknown:ident, tag $field:literal { $($value:literal => $variant:ident),* $(,)? } $(,)?) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const EXPECTING: &str = concat!("`", stringify!($ty), "`");
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match $crate::union_tag::<D::Error>(&value, $field, EXPECTING)? {
                    $($value => $crate::decode_alternative(value, EXPECTING, stringify!($variant)).map(Self::$variant),)*
                    _ => Ok(Self::$unknown(value)),
                }
            }
        }
    };
    (
        $ty:ident,
        unknown: $unknown:ident,
        shapes { $($variant:ident = $shape:ident $({ $($field:literal = $value:literal),* })?),* $(,)? } $(,)?
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const EXPECTING: &str = concat!("`", stringify!($ty), "`");
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let shapes = [$($crate::deserialize_union!(@shape $shape [$($($field = $value),*)?] Self::$variant)),*];
                let Some(picked) = $crate::pick_alternative::<D::Error>(&value, &shapes, EXPECTING)? else {
                    return Ok(Self::$unknown(value));
                };
                let mut index = 0..;
                $(
                    if Some(picked) == index.next() {
                        return $crate::decode_alternative(value, EXPECTING, stringify!($variant)).map(Self::$variant);
                    }
                )*
                Ok(Self::$unknown(value))
            }
        }
    };
    (@shape Struct [$($field:literal = $value:literal),*] $constructor:expr) => {
        $crate::UnionShape::of_variant($constructor, &[$(($field, $value)),*])
    };
    (@shape $shape:ident [] $constructor:expr) => {
        $crate::UnionShape::$shape
    };
}

/// What every generated request has the same: `send` and `send_with` (feature `client`), and
/// for a list that pages by cursor `paginate`, `paginate_with` and its `ListRequest` impl (the
/// type of its objects and its two cursor fields). Generated code says only what differs: the
/// request, its endpoint and response type, and how it pages.
///
/// ```text
/// request_methods! {
///     ListAccounts,
///     "GET /v1/financial_connections/accounts",
///     List<Account>,
///     paginate: Account { starting_after, ending_before },
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! request_methods {
    (
        $request:ident,
        $endpoint:literal,
        $response:ty
        $(, paginate: $item:ty { $after:ident, $before:ident $(,)? })?
        $(,)?
    ) => {
        impl $request {
            #[doc = concat!(" Sends `", $endpoint, "` and decodes the response.")]
            #[cfg(feature = "client")]
            pub async fn send(&self, client: &$crate::Client) -> Result<$response, $crate::Error> {
                client.send(self, &$crate::RequestOptions::default()).await
            }
            /// Like `send`, with per-request options (account, idempotency key, version,
            /// retries, extra parameters).
            #[cfg(feature = "client")]
            pub async fn send_with(
                &self,
                client: &$crate::Client,
                options: &$crate::RequestOptions,
            ) -> Result<$response, $crate::Error> {
                client.send(self, options).await
            }
            $($crate::request_methods!(@paginate $item);)?
        }
        $(
            impl $crate::ListRequest for $request {
                type Item = $item;
                fn set_starting_after(&mut self, id: Option<String>) {
                    self.$after = id;
                }
                fn set_ending_before(&mut self, id: Option<String>) {
                    self.$before = id;
                }
                fn ending_before(&self) -> Option<&str> {
                    self.$before.as_deref()
                }
            }
        )?
    };
    (@paginate $item:ty) => {
        /// Every object of the list, page after page, each page sent as `send` sends it
        /// (see [`Pages`](crate::Pages)): `while let Some(x) = pages.try_next().await? { .. }`.
        #[cfg(feature = "client")]
        pub fn paginate(&self, client: &$crate::Client) -> $crate::Pages<Self> {
            $crate::Pages::new(client, self.clone(), $crate::RequestOptions::default())
        }
        /// Like `paginate`, with per-request options for every page.
        #[cfg(feature = "client")]
        pub fn paginate_with(&self, client: &$crate::Client, options: &$crate::RequestOptions) -> $crate::Pages<Self> {
            $crate::Pages::new(client, self.clone(), options.clone())
        }
    };
}
