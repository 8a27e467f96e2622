//! Spec text into an `openapiv3::OpenAPI` document, with errors that say where and why.
//!
//! YAML and JSON are both accepted (JSON when the text starts with `{`). Only OpenAPI 3.0.x is
//! supported: Swagger 2.0 and OpenAPI 3.1 documents are told apart and refused by name.

use crate::error::Error;
use openapiv3::OpenAPI;

/// The version fields, read before the full parse so a wrong version gets the right message.
#[derive(serde::Deserialize)]
struct VersionProbe {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// Parses spec text. `file` is used only in error messages.
pub(crate) fn load(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let is_json = text.trim_start().starts_with('{');
    let probe: VersionProbe = parse(file, text, is_json)?;
    check_version(&probe).map_err(|e| e.in_file(file))?;
    parse(file, text, is_json)
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

fn check_version(probe: &VersionProbe) -> Result<(), Error> {
    let root = crate::error::Pointer::root();
    let as_text = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    match (&probe.openapi, &probe.swagger) {
        (_, Some(v)) => Err(Error::at(
            &root.push("swagger"),
            format!("this is a Swagger {} document; only OpenAPI 3.0.x is supported", as_text(v)),
        )
        .hint("convert it to OpenAPI 3.0 first (for example with swagger2openapi)")),
        (Some(v), None) => {
            let v = as_text(v);
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
