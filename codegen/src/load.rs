//! Spec text into an `openapiv3::OpenAPI` document, with errors that say where and why.
//!
//! YAML and JSON are both accepted (JSON when the text starts with `{`). Only OpenAPI 3.0.x is
//! supported: Swagger 2.0 and OpenAPI 3.1 documents are told apart and refused by name.
//!
//! The text is parsed once, into a `serde_json::Value`, by a walk that also refuses duplicate
//! keys (with their JSON pointer). `openapiv3` then reads that value. Reading from a value, not
//! from text, matters: `openapiv3` parses a failed `$ref`-or-schema a second time from a JSON
//! value to word its error, and panics when the two parses disagree, which text with duplicate
//! keys or odd scalars can make them do. From a value they cannot disagree.
//!
//! A large YAML spec is read faster, in pieces on every core, through `checked.rs` (which reads
//! as the walk reads, or fails): each component schema straight into `openapiv3`'s types by
//! [`crate::typed`], each path item into a value of its own that [`crate::typed`] reads as
//! `openapiv3` would; the rest of the document becomes one value. Anything that fails there is
//! left to the way above, which words it. ARCHITECTURE.md's Speed section says why.

use crate::checked::Checked;
use crate::error::{Error, Pointer};
use crate::walk::{At, Walk};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Parses spec text. `file` is used only in error messages.
pub(crate) fn load(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let is_json = text.trim_start().starts_with('{');
    let threads = crate::parallel::threads(8);
    if !is_json && threads > 1 && text.len() > SPLIT_ABOVE_BYTES {
        if let Some(spec) = read_in_pieces(text, threads) {
            return Ok(spec);
        }
    }
    let document = parse(file, text, is_json)?;
    if let Some((pointer, key)) = document.duplicate {
        return Err(Error::at(&pointer, format!("key `{key}` appears twice in the same mapping"))
            .hint("remove or rename one of the two entries")
            .in_file(file));
    }
    check_version(&document.value).map_err(|e| e.in_file(file))?;
    if let Some(spec) = read_fast(document.value) {
        return Ok(spec);
    }
    // the fast path consumed the value: parse again (only a document that fails comes here),
    // then read with tracking, to say where it fails
    let document = parse(file, text, is_json)?;
    match serde_path_to_error::deserialize::<_, OpenAPI>(&document.value) {
        Ok(spec) => Ok(spec),
        Err(e) => {
            let (pointer, message) = locate(&document.value)
                .unwrap_or_else(|| (yaml_path_to_pointer(&e.path().to_string()), e.inner().to_string()));
            let message = format!("invalid OpenAPI 3.0 document: {message}");
            Err(Error { file: file.to_owned(), pointer, location: None, message, hint: None })
        }
    }
}

/// The fast path: reads the document without tracking where it is, `components` and `paths`
/// (in chunks, so the cores share the work evenly) on every core, path items and schemas as
/// [`read_in_pieces`] reads them. The value is consumed as it is read, so its strings move into
/// the document instead of being copied and the two are never whole in memory at once. `None` when anything fails to read; the caller then parses
/// and reads again, with tracking, to say where.
fn read_fast(value: Value) -> Option<OpenAPI> {
    /// A part of the document read on its own, taken by the thread that reads it.
    enum Part {
        Components(Value),
        Paths(Value),
    }
    enum Read {
        Components(Box<openapiv3::Components>),
        Paths(openapiv3::Paths),
    }
    let Value::Object(mut map) = value else { return None };
    let paths = match map.get_mut("paths") {
        Some(Value::Object(paths)) => std::mem::take(paths),
        _ => return None, // required, and a mapping: the slow path says so
    };
    let threads = crate::parallel::threads(8);
    let chunk = paths.len().div_ceil(threads * 4).max(1);
    let mut parts: Vec<Part> = map.remove("components").map(Part::Components).into_iter().collect();
    let mut entries = paths.into_iter().peekable();
    while entries.peek().is_some() {
        parts.push(Part::Paths(Value::Object(entries.by_ref().take(chunk).collect())));
    }
    let parts: Vec<std::sync::Mutex<Option<Part>>> =
        parts.into_iter().map(|p| std::sync::Mutex::new(Some(p))).collect();
    // path items and schemas as the read in pieces reads them (`typed`)
    let read = crate::parallel::map(&parts, threads, |part| match part.lock().ok()?.take()? {
        Part::Components(mut v) => {
            let schemas = v.as_object_mut()?.remove("schemas");
            let mut components = openapiv3::Components::deserialize(v).ok()?;
            if let Some(schemas) = schemas {
                let entries = schemas.as_object()?.len();
                components.schemas = schemas.deserialize_map(SchemasPiece(entries)).ok()?;
            }
            Some(Read::Components(Box::new(components)))
        }
        Part::Paths(v) => {
            let entries = v.as_object()?.len();
            v.deserialize_map(PathsPiece(entries)).ok().map(Read::Paths)
        }
    });
    let mut spec = OpenAPI::deserialize(Value::Object(map)).ok()?;
    for read in read? {
        match read? {
            Read::Components(components) => spec.components = Some(*components),
            Read::Paths(paths) => {
                spec.paths.paths.extend(paths.paths);
                spec.paths.extensions.extend(paths.extensions);
            }
        }
    }
    Some(spec)
}

/// The fast path for large YAML: the text split into pieces (`split`), read on every core, the
/// pieces of `paths` and `components/schemas` into `openapiv3`'s types through [`Checked`] and
/// [`crate::typed`], the rest into a value for `openapiv3` to read. `None` when anything fails or is unsure (the
/// caller then takes the way that words errors), including a version `check_version` refuses.
fn read_in_pieces(text: &str, threads: usize) -> Option<OpenAPI> {
    /// What one piece was read into.
    enum Read {
        Values(serde_json::Map<String, Value>),
        Paths(openapiv3::Paths),
        Schemas(IndexMap<String, ReferenceOr<Schema>>),
    }
    let pieces = crate::split::pieces(text, threads, &[PATHS, SCHEMAS])?;
    let read = crate::parallel::map(&pieces, threads, |piece| {
        let yaml = || Checked(serde_yaml::Deserializer::from_str(piece.text));
        match &piece.parents.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            keys if keys == PATHS => yaml().deserialize_map(PathsPiece(piece.entries)).ok().map(Read::Paths),
            keys if keys == SCHEMAS => yaml().deserialize_map(SchemasPiece(piece.entries)).ok().map(Read::Schemas),
            _ => crate::split::parse_piece(piece).map(Read::Values),
        }
    })?;
    let (mut root, mut paths, mut schemas) = (serde_json::Map::new(), None, None);
    for (piece, read) in pieces.iter().zip(read) {
        match read? {
            Read::Values(entries) => crate::split::merge(&mut root, &piece.parents, entries)?,
            Read::Paths(read) => {
                let paths = paths.get_or_insert_with(openapiv3::Paths::default);
                extend_new(&mut paths.paths, read.paths)?;
                extend_new(&mut paths.extensions, read.extensions)?;
            }
            Read::Schemas(read) => extend_new(schemas.get_or_insert_with(IndexMap::new), read)?,
        }
    }
    // the places of what was read typed, empty in the value (where nothing else may be)
    if paths.is_some() && root.insert("paths".to_owned(), Value::Object(Default::default())).is_some() {
        return None;
    }
    if schemas.is_some() {
        let components = root.entry("components").or_insert_with(|| Value::Object(Default::default()));
        if components.as_object_mut()?.insert("schemas".to_owned(), Value::Object(Default::default())).is_some() {
            return None;
        }
    }
    let root = Value::Object(root);
    check_version(&root).ok()?;
    let mut spec = OpenAPI::deserialize(root).ok()?;
    if let Some(paths) = paths {
        spec.paths = paths;
    }
    if let Some(schemas) = schemas {
        spec.components.as_mut()?.schemas = schemas;
    }
    Some(spec)
}

/// Where the path items and component schemas are, which [`read_in_pieces`] reads typed.
const PATHS: &[&str] = &["paths"];
const SCHEMAS: &[&str] = &["components", "schemas"];

/// Adds `more` to `map`; `None` when a key is already there (a key in two pieces).
fn extend_new<V>(map: &mut IndexMap<String, V>, more: IndexMap<String, V>) -> Option<()> {
    for (key, value) in more {
        if map.insert(key, value).is_some() {
            return None;
        }
    }
    Some(())
}

/// A piece of `paths` with this many entries, read as `openapiv3::Paths` reads its mapping:
/// keys starting with `/` are path items, `x-` extensions, others ignored.
struct PathsPiece(usize);

impl<'de> Visitor<'de> for PathsPiece {
    type Value = openapiv3::Paths;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a mapping of {} paths", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut paths = openapiv3::Paths::default();
        let mut entries = 0;
        while let Some(key) = map.next_key::<String>()? {
            entries += 1;
            if key.starts_with('/') {
                let item = crate::typed::path_item(map.next_value()?);
                paths.paths.insert(key, item.ok_or_else(|| de::Error::custom("not a path item"))?);
            } else if key.starts_with("x-") {
                paths.extensions.insert(key, map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if entries != self.0 {
            return Err(serde::de::Error::invalid_length(entries, &self));
        }
        Ok(paths)
    }
}

/// A piece of `components/schemas` with this many entries.
struct SchemasPiece(usize);

impl<'de> Visitor<'de> for SchemasPiece {
    type Value = IndexMap<String, ReferenceOr<Schema>>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a mapping of {} schemas", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut schemas = IndexMap::with_capacity(self.0);
        while let Some(key) = map.next_key()? {
            let read = map.next_value_seed(crate::typed::Seed(crate::typed::Node::Schema))?;
            schemas.insert(key, read.into_schema().ok_or_else(|| de::Error::custom("not a schema"))?);
        }
        if schemas.len() != self.0 {
            return Err(serde::de::Error::invalid_length(schemas.len(), &self));
        }
        Ok(schemas)
    }
}

/// Finds the path item, operation or component schema that fails to read, for a precise pointer:
/// `openapiv3` reads those through `#[serde(flatten)]`, which hides where an error happened.
fn locate(document: &Value) -> Option<(String, String)> {
    fn check<'a, T: serde::Deserialize<'a>>(value: &'a Value, at: &Pointer) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value).err().map(|e| {
            let inner = yaml_path_to_pointer(&e.path().to_string());
            (format!("{at}{}", inner.trim_start_matches('#')), e.inner().to_string())
        })
    }
    let root = Pointer::root();
    for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let at = root.push("paths").push(path);
        if path.starts_with("x-") || check::<openapiv3::PathItem>(item, &at).is_none() {
            continue;
        }
        for (method, op) in item.as_object().into_iter().flatten() {
            if crate::ir::PATH_ITEM_METHODS.contains(&method.as_str()) {
                if let Some(found) = check::<openapiv3::Operation>(op, &at.push(method)) {
                    return Some(found);
                }
            }
        }
        return check::<openapiv3::PathItem>(item, &at);
    }
    let schemas = document.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let at = root.push("components").push("schemas").push(name);
        if let Some(found) = check::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, &at) {
            return Some(found);
        }
    }
    None
}

/// The document as a JSON value, and the first duplicate key found in it.
struct Document {
    value: Value,
    duplicate: Option<(Pointer, String)>,
}

fn parse(file: &str, text: &str, is_json: bool) -> Result<Document, Error> {
    let mut duplicate = None;
    let seed = Walk { duplicate: &mut duplicate, at: At::Keys(&[]) };
    let value = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde::de::DeserializeSeed::deserialize(seed, &mut de).and_then(|v| de.end().map(|()| v)).map_err(|e| {
            Error {
                file: file.to_owned(),
                pointer: "#".to_owned(),
                location: Some((e.line(), e.column())),
                message: format!("invalid JSON: {}", e.to_string().split(" at line ").next().unwrap_or_default()),
                hint: None,
            }
        })?
    } else if let Some(value) = parse_split(text) {
        value
    } else {
        serde::de::DeserializeSeed::deserialize(seed, serde_yaml::Deserializer::from_str(text)).map_err(|e| {
            let location = e.location().map(|l| (l.line(), l.column()));
            let message = e.to_string();
            let what = message.split(" at line ").next().unwrap_or(&message).to_owned();
            Error {
                file: file.to_owned(),
                pointer: "#".to_owned(),
                location,
                message: format!("invalid YAML: {what}"),
                hint: None,
            }
        })?
    };
    Ok(Document { value, duplicate })
}

/// YAML this large is worth splitting into pieces to parse on every core (`split`); smaller
/// text is parsed whole, as is any text the split is unsure of.
const SPLIT_ABOVE_BYTES: usize = 256 * 1024;

fn parse_split(text: &str) -> Option<Value> {
    let threads = crate::parallel::threads(8);
    (threads > 1 && text.len() > SPLIT_ABOVE_BYTES).then(|| crate::split::parse(text, threads)).flatten()
}

/// serde_path_to_error's path (`paths./v1/x.post.responses`) as a JSON pointer; best effort,
/// since a `.` inside a key is ambiguous.
fn yaml_path_to_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return "#".to_owned();
    }
    let mut pointer = Pointer::root();
    let mut rest = path;
    while !rest.is_empty() {
        // keys starting with '/' (paths) run to the next ".get"/".post" style segment
        let (segment, tail) = if rest.starts_with('/') {
            match crate::ir::PATH_ITEM_METHODS
                .iter()
                .chain(&["parameters"])
                .filter_map(|m| rest.find(&format!(".{m}")).map(|i| (i, m.len())))
                .filter(|(i, len)| matches!(rest[i + 1 + len..].chars().next(), None | Some('.') | Some('[')))
                .min()
            {
                Some((i, _)) => (&rest[..i], &rest[i + 1..]),
                None => (rest, ""),
            }
        } else if let Some(close) = index_at_start(rest) {
            pointer = pointer.push(&rest[1..close]);
            rest = rest[close + 1..].strip_prefix('.').unwrap_or(&rest[close + 1..]);
            continue;
        } else {
            // a key runs to the next `.` or `[index]`; other brackets are part of it
            let end = rest
                .char_indices()
                .skip(1)
                .find(|&(i, c)| c == '.' || index_at_start(&rest[i..]).is_some())
                .map_or(rest.len(), |(i, _)| i);
            (&rest[..end], rest[end..].strip_prefix('.').unwrap_or(&rest[end..]))
        };
        pointer = pointer.push(segment);
        rest = tail;
    }
    pointer.to_string()
}

/// Where the `]` of an `[index]` at the start of `path` is.
fn index_at_start(path: &str) -> Option<usize> {
    let digits = path.strip_prefix('[')?;
    let close = digits.find(']')?;
    (close > 0 && digits[..close].bytes().all(|b| b.is_ascii_digit())).then_some(close + 1)
}

fn check_version(document: &Value) -> Result<(), Error> {
    let root = Pointer::root();
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    match (document.get("openapi"), document.get("swagger")) {
        (_, Some(v)) => Err(Error::at(
            &root.push("swagger"),
            format!("this is a Swagger {} document; only OpenAPI 3.0.x is supported", text(v)),
        )
        .hint("convert it to OpenAPI 3.0 first (for example with swagger2openapi)")),
        (Some(v), None) if text(v).starts_with("3.0") => Ok(()),
        (Some(v), None) => Err(Error::at(
            &root.push("openapi"),
            format!("OpenAPI version {} is not supported; only OpenAPI 3.0.x is", text(v)),
        )
        .hint("Stripe publishes its spec as OpenAPI 3.0.0; use that file")),
        (None, None) => Err(Error::at(&root, "not an OpenAPI document: there is no `openapi` field")
            .hint("the document must start with `openapi: 3.0.0`")),
    }
}

#[cfg(test)]
mod tests {
    use super::{read_in_pieces, yaml_path_to_pointer};
    use crate::split::tests::{edit, key};
    use openapiv3::OpenAPI;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The way that words errors: the whole text by the walk into a value, read by `openapiv3`.
    fn read_whole(text: &str) -> Option<OpenAPI> {
        let document = super::parse("t.yaml", text, false).ok()?;
        (document.duplicate.is_none() && super::check_version(&document.value).is_ok())
            .then(|| serde::Deserialize::deserialize(document.value).ok())
            .flatten()
    }

    /// Stripe's spec as the walk reads it, a value.
    fn stripes_spec() -> (String, Value) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/upstream/spec3.yaml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value = super::parse("spec3.yaml", &text, false).unwrap().value;
        (text, value)
    }

    #[test]
    fn stripes_spec_reads_from_a_value_as_openapiv3_reads_it() {
        let (_, value) = stripes_spec();
        let fast = super::read_fast(value.clone()).expect("Stripe's spec reads");
        assert!(fast == serde::Deserialize::deserialize(value).unwrap());
    }

    #[test]
    fn stripes_spec_reads_the_same_in_pieces() {
        let (text, _) = stripes_spec();
        let pieces = read_in_pieces(&text, 2).expect("Stripe's spec reads in pieces");
        assert!(pieces.paths.paths.len() > 300 && pieces.components.as_ref().unwrap().schemas.len() > 800);
        assert!(pieces == read_whole(&text).unwrap());
    }

    const DOC: &str = "openapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /v1/a:\n    get:\n      responses:\n        '200':\n          description: ok\n  x-ext: [1, .nan]\n  other: {k: v}\n  /v1/b:\n    $ref: '#/x'\ncomponents:\n  schemas:\n    a:\n      type: string\n      maxLength: 3\n    b:\n      $ref: '#/components/schemas/a'\n  responses: {}\n";

    #[test]
    fn paths_and_schemas_read_typed_as_in_the_whole() {
        let whole = read_whole(DOC).unwrap();
        assert_eq!(whole.paths.paths.len(), 2);
        assert_eq!(whole.paths.extensions["x-ext"], json!([1, null]));
        for threads in [2, 3, 8] {
            assert_eq!(read_in_pieces(DOC, threads).as_ref(), Some(&whole), "{threads}");
        }
    }

    #[test]
    fn what_the_whole_refuses_is_not_read_in_pieces() {
        let refused = [
            DOC.replace("    b:\n", "    a:\n"), // a schema twice
            DOC.replace("  other:", "  /v1/b:"), // a path twice
            DOC.replace("      maxLength: 3\n", "      maxLength: 3\n      type: int\n"), // a field twice
            DOC.replace("openapi: 3.0.0", "openapi: 3.1.0"),
            DOC.replace("openapi: 3.0.0", "swagger: '2.0'"),
            DOC.replace("maxLength: 3", "maxLength: !t 3"),
            DOC.replace("maxLength: 3", "maxLength: x"),
        ];
        for text in &refused {
            assert_eq!(read_whole(text), None, "{text}");
            assert_eq!(read_in_pieces(text, 8), None, "{text}");
        }
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            prop::sample::select(vec!["string", "object", "integer", "#/components/schemas/a", "x", "3.0.0"])
                .prop_map(Value::from),
            any::<i8>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    fn node() -> impl Strategy<Value = Value> {
        let words = ["type", "$ref", "properties", "items", "get", "post", "responses", "description", "x-a", "enum"];
        let member = prop_oneof![prop::sample::select(words.to_vec()).prop_map(str::to_owned), key()];
        scalar().prop_recursive(4, 40, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                prop::collection::btree_map(member.clone(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever the text, read in pieces it is what the whole read makes of it, or nothing.
        #[test]
        fn a_read_in_pieces_is_the_whole_read_or_nothing(
            paths in prop::collection::btree_map(prop_oneof![Just("/v1/a".to_owned()), Just("x-b".to_owned()), key()], node(), 0..4),
            schemas in prop::collection::btree_map(key(), node(), 0..4),
            kind in any::<u8>(),
            at in any::<usize>(),
        ) {
            let document = json!({
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas},
            });
            let text = edit(&serde_yaml::to_string(&document).unwrap(), kind, at);
            if let Some(pieces) = read_in_pieces(&text, 8) {
                prop_assert_eq!(Some(pieces), read_whole(&text), "{}", text);
            }
        }
    }

    #[test]
    fn yaml_paths_become_pointers() {
        assert_eq!(yaml_path_to_pointer("paths./v1/a/{b}.post.responses"), "#/paths/~1v1~1a~1{b}/post/responses");
        assert_eq!(yaml_path_to_pointer("components.schemas.x.properties"), "#/components/schemas/x/properties");
        assert_eq!(yaml_path_to_pointer("paths./v1/a.get.parameters[0]"), "#/paths/~1v1~1a/get/parameters/0");
        assert_eq!(yaml_path_to_pointer("."), "#");
        // brackets that are no index are part of a key (a fuzzed key once panicked here)
        assert_eq!(yaml_path_to_pointer("security[0].a] ["), "#/security/0/a] [");
        assert_eq!(yaml_path_to_pointer("x.[a].b[12]"), "#/x/[a]/b/12");
        assert_eq!(yaml_path_to_pointer("["), "#/[");
    }
}
