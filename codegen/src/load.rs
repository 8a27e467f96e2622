//! Spec text into an `openapiv3::OpenAPI` document, with errors that say where and why.
//!
//! YAML and JSON are both accepted (JSON when the text starts with `{`). Only OpenAPI 3.0.x is
//! supported: Swagger 2.0 and OpenAPI 3.1 documents are told apart and refused by name.

use crate::error::{Error, Pointer};
use openapiv3::OpenAPI;

/// Parses spec text. `file` is used only in error messages.
///
/// A first pass walks the whole document: it reads the version fields (so a wrong version gets
/// the right message) and refuses duplicate keys, which openapiv3 would otherwise panic on or
/// silently resolve. The second pass builds the `OpenAPI` value.
pub(crate) fn load(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let is_json = text.trim_start().starts_with('{');
    let probe: Probe = parse(file, text, is_json)?;
    if let Some((pointer, key)) = probe.duplicate {
        return Err(Error::at(&pointer, format!("key `{key}` appears twice in the same mapping"))
            .hint("remove or rename one of the two entries")
            .in_file(file));
    }
    check_version(&probe).map_err(|e| e.in_file(file))?;
    parse(file, text, is_json)
}

/// What the first pass learns: the version fields and the first duplicate key, if any.
#[derive(Default)]
struct Probe {
    openapi: Option<String>,
    swagger: Option<String>,
    duplicate: Option<(Pointer, String)>,
}

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut probe = Probe::default();
        serde::de::DeserializeSeed::deserialize(
            Walk { probe: &mut probe, pointer: Pointer::root(), depth: 0 },
            deserializer,
        )?;
        Ok(probe)
    }
}

/// Visits one node of the document, anywhere, recording what `Probe` wants.
struct Walk<'a> {
    probe: &'a mut Probe,
    pointer: Pointer,
    depth: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let seed =
                Walk { probe: &mut *self.probe, pointer: self.pointer.push(&i.to_string()), depth: self.depth + 1 };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(Key(key)) = map.next_key()? {
            if self.depth == 0 && (key == "openapi" || key == "swagger") {
                let Key(value) = map.next_value()?;
                if key == "openapi" { self.probe.openapi = Some(value) } else { self.probe.swagger = Some(value) }
            } else {
                let seed = Walk { probe: &mut *self.probe, pointer: self.pointer.push(&key), depth: self.depth + 1 };
                map.next_value_seed(seed)?;
            }
            if !seen.insert(key.clone()) && self.probe.duplicate.is_none() {
                self.probe.duplicate = Some((self.pointer.clone(), key));
            }
        }
        Ok(())
    }
}

/// A mapping key or scalar, whatever its YAML type, as text.
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str, is_json: bool) -> Result<T, Error> {
    if is_json {
        serde_json::from_str(text).map_err(|e| Error {
            file: file.to_owned(),
            pointer: "#".to_owned(),
            location: Some((e.line(), e.column())),
            message: format!("invalid JSON: {}", e.to_string().split(" at line ").next().unwrap_or_default()),
            hint: None,
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let location = e.location().map(|l| (l.line(), l.column()));
            let message = e.to_string();
            // serde_yaml names the path as `paths./v1/x.post: ...`; keep its words as the message
            let (pointer, what) = match message.split_once(": ") {
                Some((path, what)) if !path.contains(' ') && !path.is_empty() => {
                    (yaml_path_to_pointer(path), what.to_owned())
                }
                _ => ("#".to_owned(), message.clone()),
            };
            let what = what.split(" at line ").next().unwrap_or(&what).to_owned();
            Error {
                file: file.to_owned(),
                pointer,
                location,
                message: format!("invalid OpenAPI 3.0 document: {what}"),
                hint: None,
            }
        })
    }
}

/// `paths./v1/x.post` (serde_yaml's path) as a JSON pointer; best effort, dots in keys are ambiguous.
fn yaml_path_to_pointer(path: &str) -> String {
    let mut pointer = crate::error::Pointer::root();
    let mut rest = path;
    while !rest.is_empty() {
        // keys starting with '/' (paths) run to the next ".get"/".post" style segment
        let (segment, tail) = if rest.starts_with('/') {
            match ["get", "post", "put", "delete", "patch", "head", "options", "trace", "parameters"]
                .iter()
                .filter_map(|m| rest.find(&format!(".{m}")).map(|i| (i, m.len())))
                .filter(|(i, len)| matches!(rest[i + 1 + len..].chars().next(), None | Some('.') | Some('[')))
                .min()
            {
                Some((i, _)) => (&rest[..i], &rest[i + 1..]),
                None => (rest, ""),
            }
        } else {
            match rest.find(['.', '[']) {
                Some(0) if rest.starts_with('[') => {
                    let end = rest.find(']').unwrap_or(rest.len() - 1);
                    let tail = rest[end + 1..].strip_prefix('.').unwrap_or(&rest[end + 1..]);
                    pointer = pointer.push(&rest[1..end]);
                    rest = tail;
                    continue;
                }
                Some(i) => (&rest[..i], rest[i..].strip_prefix('.').unwrap_or(&rest[i..])),
                None => (rest, ""),
            }
        };
        pointer = pointer.push(segment);
        rest = tail;
    }
    pointer.to_string()
}

fn check_version(probe: &Probe) -> Result<(), Error> {
    let root = crate::error::Pointer::root();
    match (&probe.openapi, &probe.swagger) {
        (_, Some(v)) => Err(Error::at(
            &root.push("swagger"),
            format!("this is a Swagger {v} document; only OpenAPI 3.0.x is supported"),
        )
        .hint("convert it to OpenAPI 3.0 first (for example with swagger2openapi)")),
        (Some(v), None) => {
            if v.starts_with("3.0") {
                Ok(())
            } else {
                Err(Error::at(
                    &root.push("openapi"),
                    format!("OpenAPI version {v} is not supported; only OpenAPI 3.0.x is"),
                )
                .hint("Stripe publishes its spec as OpenAPI 3.0.0; use that file"))
            }
        }
        (None, None) => Err(Error::at(&root, "not an OpenAPI document: there is no `openapi` field")
            .hint("the document must start with `openapi: 3.0.0`")),
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_path_to_pointer;

    #[test]
    fn yaml_paths_become_pointers() {
        assert_eq!(yaml_path_to_pointer("paths./v1/a/{b}.post.responses"), "#/paths/~1v1~1a~1{b}/post/responses");
        assert_eq!(yaml_path_to_pointer("components.schemas.x.properties"), "#/components/schemas/x/properties");
        assert_eq!(yaml_path_to_pointer("paths./v1/a.get.parameters[0]"), "#/paths/~1v1~1a/get/parameters/0");
    }
}
