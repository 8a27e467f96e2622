//! YAML read straight into a type, as the walk (`walk.rs`) would read it, or not at all: the
//! fast path of `load`, which reads a large spec's path items and schemas one at a time instead
//! of building one `serde_json::Value` of the whole document.
//!
//! [`Checked`] wraps a deserializer and hands its reader exactly what the walk's value would
//! hand it: keys as text, the first of them twice in one mapping an error, a non-negative
//! integer as unsigned, a float that is no JSON number (`.nan`, `.inf`) as null, and nothing
//! the walk refuses (a YAML tag, a 128-bit integer): those fail, as default `Visitor` methods
//! do in both. Every request is answered self-describingly (`deserialize_any`), as a value
//! answers. It is meant for readers that read through `deserialize_any` (serde's buffer of
//! untagged enums and `#[serde(flatten)]`, `serde_json::Value`, `IgnoredAny`), which is how
//! `load` reads each path item and schema: what they build is then the same as from the walk's
//! value. Any error is only a reason for `load` to take the walk's path, which words it.

use crate::walk::Key;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// A deserializer read as the walk reads it.
pub(crate) struct Checked<D>(pub(crate) D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(CheckedVisitor(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A visitor handed what the walk's value would hand it.
struct CheckedVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for CheckedVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.0.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        // a JSON number that is not negative is unsigned
        match u64::try_from(v) {
            Ok(v) => self.0.visit_u64(v),
            Err(_) => self.0.visit_i64(v),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.0.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        if v.is_finite() { self.0.visit_f64(v) } else { self.0.visit_unit() }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.0.visit_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.0.visit_string(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(CheckedSeq(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(CheckedMap { map, seen: Seen::default() })
    }
}

/// A seed whose deserializer is checked.
struct CheckedSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for CheckedSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Checked(d))
    }
}

struct CheckedSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CheckedSeq<A> {
    type Error = A::Error;
    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(CheckedSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct CheckedMap<A> {
    map: A,
    seen: Seen,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CheckedMap<A> {
    type Error = A::Error;
    fn next_key_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        self.map.next_key_seed(KeySeed { seed, seen: &mut self.seen })
    }
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(CheckedSeed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads a key as the walk does (any scalar, as text), refuses one already seen in its
/// mapping, and hands the text to the reader's seed.
struct KeySeed<'a, S> {
    seed: S,
    seen: &'a mut Seen,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A textual key is handed on as it came, borrowed or owned (a reader that matches keys then
/// allocates none); any other scalar as the walk writes it ([`Key`]).
impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for KeySeed<'_, S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string, number or boolean as a mapping key")
    }
    fn visit_str<E: de::Error>(mut self, key: &str) -> Result<S::Value, E> {
        self.check(key)?;
        self.seed.deserialize(key.into_deserializer())
    }
    fn visit_string<E: de::Error>(mut self, key: String) -> Result<S::Value, E> {
        self.check(&key)?;
        self.seed.deserialize(key.into_deserializer())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Value, E> {
        self.visit_string(Key::from(v).0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.visit_string(Key::from(v).0)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.visit_string(Key::from(v).0)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.visit_string(Key::from(v).0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.visit_string(Key::from(()).0)
    }
}

impl<S> KeySeed<'_, S> {
    /// An error when the key was already seen in this mapping.
    fn check<E: de::Error>(&mut self, key: &str) -> Result<(), E> {
        if self.seen.insert(key) {
            Ok(())
        } else {
            Err(E::custom(format_args!("key `{key}` may appear twice in the same mapping")))
        }
    }
}

/// The keys of one mapping seen so far, by hash: two keys with one hash count as the same,
/// which can only send `load` the walk's way, never let a duplicate through (so the hash is
/// FNV-1a, quick on short keys, not one made to resist chosen collisions).
#[derive(Default)]
struct Seen {
    hashes: Vec<u64>,
}

/// Mappings up to this many keys are searched in order; larger ones are kept sorted.
const SEARCHED_IN_ORDER: usize = 16;

impl Seen {
    /// `false` when a key with the same hash was seen.
    fn insert(&mut self, key: &str) -> bool {
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        if self.hashes.len() < SEARCHED_IN_ORDER {
            if self.hashes.contains(&hash) {
                return false;
            }
            self.hashes.push(hash);
            if self.hashes.len() == SEARCHED_IN_ORDER {
                self.hashes.sort_unstable();
            }
            return true;
        }
        match self.hashes.binary_search(&hash) {
            Ok(_) => false,
            Err(at) => {
                self.hashes.insert(at, hash);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Checked;
    use crate::walk::{At, Walk};
    use serde::Deserialize;
    use serde_json::Value;

    /// The walk's value of `text`, read again as `T`.
    fn walked<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
        let mut duplicate = None;
        let seed = Walk { duplicate: &mut duplicate, at: At::Keys(&[]) };
        let value = serde::de::DeserializeSeed::deserialize(seed, serde_yaml::Deserializer::from_str(text)).ok()?;
        duplicate.is_none().then(|| T::deserialize(value).ok()).flatten()
    }

    fn checked<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
        T::deserialize(Checked(serde_yaml::Deserializer::from_str(text))).ok()
    }

    #[test]
    fn reads_what_the_walk_reads() {
        let texts = [
            "a: 1\nb: -2\nc: 1.5\nd: ~\ne: [x, 'y', true]\n200: ok\ntrue: 3\n1.0: f\n",
            "a: .nan\nb: .inf\nc: -.inf\n",
            "x: &a {k: v}\ny: *a\n",
            "'quoted': \"text\\n\"\n",
            "[1, {a: b}]\n",
        ];
        for text in texts {
            assert_eq!(checked::<Value>(text), walked::<Value>(text), "{text}");
            assert!(checked::<Value>(text).is_some(), "{text}");
        }
    }

    #[test]
    fn refuses_what_the_walk_refuses() {
        let texts = [
            "a: 1\na: 2\n",
            "a: 1\n'a': 2\n",
            "200: x\n'200': y\n",
            "o:\n  deep: [{k: 1, k: 2}]\n",
            "a: !tag 1\n",
            "a: 340282366920938463463374607431768211455\n",
            "? [a, b]\n: 1\n",
        ];
        for text in texts {
            assert_eq!(walked::<Value>(text), None, "{text}");
            assert_eq!(checked::<Value>(text), None, "{text}");
            assert!(checked::<serde::de::IgnoredAny>(text).is_none(), "ignored: {text}");
        }
        // a large mapping, kept sorted, still finds its duplicate
        let mut large: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(checked::<Value>(&large).is_some());
        large.push_str("k57: again\n");
        assert_eq!(checked::<Value>(&large), None);
    }

    #[test]
    fn openapi_reads_the_same() {
        let schema = "type: object\nproperties:\n  a:\n    type: integer\n    minimum: 0\n  b:\n    $ref: '#/x'\n";
        type Schema = openapiv3::ReferenceOr<openapiv3::Schema>;
        assert_eq!(checked::<Schema>(schema), walked::<Schema>(schema));
        assert!(checked::<Schema>(schema).is_some());
        // the duplicate that would make openapiv3 read one way from text and another from a value
        let twice = "type: object\nproperties: {}\nproperties: {}\n";
        assert_eq!(checked::<Schema>(twice), None);
    }
}
