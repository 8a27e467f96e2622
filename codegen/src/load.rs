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
//! It parses a large spec on every core; ARCHITECTURE.md's Speed section says how.

use crate::error::{Error, Pointer};
use crate::walk::{At, Walk};
use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

/// Parses spec text. `file` is used only in error messages.
pub(crate) fn load(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let is_json = text.trim_start().starts_with('{');
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
/// (in chunks, so the cores share the work evenly) on every core. The value is consumed as it
/// is read, so its strings move into the document instead of being copied and the two are
/// never whole in memory at once. `None` when anything fails to read; the caller then parses
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
    let read = crate::parallel::map(&parts, threads, |part| match part.lock().ok()?.take()? {
        Part::Components(v) => openapiv3::Components::deserialize(v).ok().map(|c| Read::Components(Box::new(c))),
        Part::Paths(v) => openapiv3::Paths::deserialize(v).ok().map(Read::Paths),
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
    use super::yaml_path_to_pointer;

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
