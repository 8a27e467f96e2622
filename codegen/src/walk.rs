//! The walk that reads YAML or JSON into a `serde_json::Value` and refuses duplicate keys,
//! noting the first one's JSON pointer: shared by `load` (a whole document) and `split` (the
//! pieces of a large one, parsed on every core). `checked.rs` reads as it does, into other types.

use crate::error::Pointer;
use serde_json::{Map, Value};

/// Where a node is: a chain of links on the stack, made into a pointer only for an error (a
/// pointer per node would be an allocation per node).
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    /// Under the keys of a piece's parents (the document root when empty).
    Keys(&'a [String]),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn pointer(&self) -> Pointer {
        match self {
            At::Keys(keys) => keys.iter().fold(Pointer::root(), |p, k| p.push(k)),
            At::Key(parent, key) => parent.pointer().push(key),
            At::Index(parent, i) => parent.pointer().push(&i.to_string()),
        }
    }
}

/// Builds the value of one node, anywhere in the document, noting the first duplicate key.
pub(crate) struct Walk<'a> {
    pub(crate) duplicate: &'a mut Option<(Pointer, String)>,
    pub(crate) at: At<'a>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity; such a number can only be a mistake in a spec
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let seed = Walk { duplicate: &mut *self.duplicate, at: At::Index(&self.at, items.len()) };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            let seed = Walk { duplicate: &mut *self.duplicate, at: At::Key(&self.at, &key) };
            let value = map.next_value_seed(seed)?;
            if out.contains_key(&key) {
                if self.duplicate.is_none() {
                    *self.duplicate = Some((self.at.pointer(), key));
                }
            } else {
                out.insert(key, value);
            }
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key, whatever its YAML type, as text (`200:` and `'200':` are the same key).
pub(crate) struct Key(pub(crate) String);

/// A scalar that is no text, as text: how the walk and `checked.rs` write such a key.
macro_rules! key_from_display {
    ($($scalar:ty),*) => {$(
        impl From<$scalar> for Key {
            fn from(v: $scalar) -> Key {
                Key(v.to_string())
            }
        }
    )*};
}
key_from_display!(bool, i64, u64, f64);

impl From<()> for Key {
    fn from((): ()) -> Key {
        Key("null".to_owned())
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean as a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key::from(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key::from(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key::from(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key::from(v))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key::from(()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}
