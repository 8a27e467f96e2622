//! `cargo xtask trim [--check]`: the spec the generator reads, cut from Stripe's published
//! spec by a committed selection (`spec/trim.yaml`) and a committed patch (`spec/patch.yaml`).
//!
//! 1. The vendored upstream file is read and its sha256 checked against the selection's pin.
//! 2. The selected operations (by operationId) are kept, with the closure of the component
//!    schemas they reference, after two rules that stop the closure at the selection's edge:
//!    an expandable field whose resources are not `typed` becomes the id it always is
//!    unexpanded, and a by-value reference to an untyped resource becomes any JSON (its data
//!    kept, not typed). Both are printed, with where they are. With `events`, the `event`
//!    schema (what a webhook delivers) is kept too, its `type` the enum of upstream's webhook
//!    event types (`enabled_events` of `PostWebhookEndpoints`) of those resources:
//!    `financial_connections.account.created` is `financial_connections.account`'s, by
//!    Stripe's convention of resource, dot, what happened.
//! 3. The patch (RFC 6902 JSON Patch, written as YAML) adds what Stripe's current
//!    documentation has and the 2023 upstream lacks; an operation that no longer changes
//!    anything (upstream caught up) is reported.
//! 4. The result is written with every mapping's keys sorted (arrays keep their order), so a
//!    reformat of upstream with the same content gives the same bytes; `--check` compares.

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;

/// The committed selection file, relative to the workspace.
pub(crate) const SELECTION: &str = "spec/trim.yaml";

/// `spec/trim.yaml`: what the crate covers and where the pieces are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Selection {
    /// The vendored upstream spec and its pin.
    pub upstream: Upstream,
    /// The spec `cargo xtask codegen` reads, which trim writes.
    pub output: String,
    /// The JSON Patch applied after the cut.
    pub patch: String,
    /// Operations to keep, by operationId.
    pub operations: Vec<String>,
    /// Resources (`x-resourceId`) that stay typed where other objects refer to them.
    pub typed: Vec<String>,
    /// Resources whose webhook events are kept: the `event` schema, with its `type` the
    /// event types of these resources.
    #[serde(default)]
    pub events: Vec<String>,
}

/// Where the upstream spec came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Upstream {
    pub file: String,
    pub repository: String,
    pub tag: String,
    pub commit: String,
    pub sha256: String,
}

/// What a trim did, for the maintainer: each line names a place in the upstream spec.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Report {
    /// Expandable fields cut to their id: (pointer, resources).
    pub to_id: BTreeSet<(String, String)>,
    /// By-value references to untyped resources kept as JSON: (pointer, resource).
    pub to_json: BTreeSet<(String, String)>,
    /// Patch operations that change nothing any more: (index, op, path).
    pub redundant: Vec<(usize, String, String)>,
}

impl Report {
    fn print(&self, operations: usize, schemas: usize) -> String {
        let mut out = format!("trim: {operations} operations, {schemas} schemas\n");
        for (at, resources) in &self.to_id {
            out.push_str(&format!("  expandable field kept as its id (untyped {resources}): {at}\n"));
        }
        for (at, resource) in &self.to_json {
            out.push_str(&format!("  reference kept as JSON (untyped {resource}): {at}\n"));
        }
        for (i, op, path) in &self.redundant {
            out.push_str(&format!(
                "  patch operation {i} ({op} {path}) changes nothing: upstream has it now; remove it from the patch\n"
            ));
        }
        out
    }
}

pub(crate) fn trim(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut check = false;
    let (mut other_upstream, mut other_out, mut no_patch) = (None, None, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            // another upstream (an older published spec), trimmed by the same selection
            "--upstream" => other_upstream = Some(it.next().ok_or("--upstream needs a path")?.clone()),
            "--out" => other_out = Some(it.next().ok_or("--out needs a path")?.clone()),
            "--no-patch" => no_patch = true,
            other => return Err(format!("unknown argument `{other}`\n\n{}", crate::USAGE)),
        }
    }
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"));
    let mut selection: Selection = serde_yaml::from_str(&read(SELECTION)?).map_err(|e| format!("{SELECTION}: {e}"))?;
    let upstream = if let Some(path) = other_upstream {
        let out = other_out.ok_or("--upstream goes with --out: the maintained spec comes from the pinned upstream")?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        // not the pinned file: its own digest is its pin, and its name (not where it lies) is shown
        selection.upstream.sha256 = sha256_hex(&bytes);
        selection.upstream.file =
            Path::new(&path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        selection.upstream.tag = "(not pinned)".to_owned();
        selection.upstream.commit = "(not pinned)".to_owned();
        selection.output = out;
        bytes
    } else if other_out.is_some() {
        return Err("--out goes with --upstream".to_owned());
    } else {
        std::fs::read(root.join(&selection.upstream.file)).map_err(|e| format!("{}: {e}", selection.upstream.file))?
    };
    let patch_text = if no_patch { "[]".to_owned() } else { read(&selection.patch)? };
    let (text, report, counts) = run(&selection, &upstream, &patch_text)?;
    print!("{}", report.print(counts.0, counts.1));
    let output = root.join(&selection.output);
    let current = std::fs::read_to_string(&output).unwrap_or_default();
    if check {
        if current == text {
            println!("{} is up to date with {}", selection.output, selection.upstream.file);
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{}", crate::write::diff_text(&selection.output, &current, &text));
        eprintln!(
            "error: {} is stale: it differs from what {} and {} give (diff above).\n  fix: run `cargo xtask trim` and commit the result",
            selection.output, SELECTION, selection.patch
        );
        return Ok(ExitCode::FAILURE);
    }
    let written = crate::write::replace_file(&output, &text).map_err(|e| format!("{}: {e}", selection.output))?;
    println!("{} {}", selection.output, if written { "written" } else { "unchanged" });
    Ok(ExitCode::SUCCESS)
}

/// The whole trim, without files: the output text, the report, and (operations, schemas).
pub(crate) fn run(
    selection: &Selection,
    upstream: &[u8],
    patch: &str,
) -> Result<(String, Report, (usize, usize)), String> {
    let file = &selection.upstream.file;
    let digest = sha256_hex(upstream);
    if digest != selection.upstream.sha256 {
        return Err(format!(
            "{file}: sha256 is {digest}, but {SELECTION} pins {}\n  hint: after vendoring a new upstream file, set upstream.sha256 (and tag, commit) in {SELECTION} to match",
            selection.upstream.sha256
        ));
    }
    let text = std::str::from_utf8(upstream).map_err(|e| format!("{file}: not UTF-8: {e}"))?;
    let doc: Value = serde_yaml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let mut report = Report::default();
    let mut trimmed = cut(&doc, selection, &mut report).map_err(|e| format!("{file}: {e}"))?;
    apply_patch(&mut trimmed, patch, &mut report).map_err(|e| format!("{}: {e}", selection.patch))?;
    let operations = selection.operations.len();
    let schemas = trimmed.pointer("/components/schemas").and_then(Value::as_object).map_or(0, Map::len);
    let body = serde_yaml::to_string(&sorted(&trimmed)).map_err(|e| e.to_string())?;
    let u = &selection.upstream;
    let header = format!(
        "# @generated by `cargo xtask trim`: do not edit. Edit {SELECTION} (what is kept) or\n\
         # {} (what is added to upstream), then run `cargo xtask trim`.\n\
         # Upstream: {} at {} ({}), {file}, sha256 {}.\n",
        selection.patch, u.repository, u.tag, u.commit, u.sha256
    );
    Ok((header + &body, report, (operations, schemas)))
}

/// The selected operations and the closure of what they reference, with the rules above.
fn cut(doc: &Value, selection: &Selection, report: &mut Report) -> Result<Value, String> {
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).ok_or("no #/components/schemas")?;
    let paths = doc.get("paths").and_then(Value::as_object).ok_or("no #/paths")?;
    let mut walk = Walk { schemas, typed: selection.typed.iter().cloned().collect(), pending: Vec::new(), report };

    let mut out_paths = Map::new();
    let mut found = BTreeSet::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let mut kept = Map::new();
        for (method, op) in item {
            let id = op.get("operationId").and_then(Value::as_str);
            if let Some(id) = id.filter(|id| selection.operations.iter().any(|s| s == id)) {
                found.insert(id.to_owned());
                let at = format!("#/paths/{}/{method}", escape(path));
                kept.insert(method.clone(), walk.value(op, &at));
            }
        }
        if !kept.is_empty() {
            // path-level entries (`parameters`) go with the operations kept
            for (key, value) in item {
                if !kept.contains_key(key) && value.get("operationId").is_none() {
                    let at = format!("#/paths/{}/{key}", escape(path));
                    kept.insert(key.clone(), walk.value(value, &at));
                }
            }
            out_paths.insert(path.clone(), Value::Object(kept));
        }
    }
    let missing: Vec<&String> = selection.operations.iter().filter(|id| !found.contains(*id)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "no operation has the operationId {}\n  hint: the selection names operations by the upstream spec's operationId",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        ));
    }

    let event_types = event_types(doc, selection)?;
    if !event_types.is_empty() {
        walk.pending.push(EVENT.to_owned());
    }
    let mut out_schemas = Map::new();
    while let Some(name) = walk.pending.pop() {
        if out_schemas.contains_key(&name) {
            continue;
        }
        let schema =
            schemas.get(&name).ok_or_else(|| format!("`$ref` to `{name}`, which is not in #/components/schemas"))?;
        let at = format!("#/components/schemas/{}", escape(&name));
        out_schemas.insert(name, walk.component(schema, &at));
    }

    if let Some(kind) = out_schemas.get_mut(EVENT).and_then(|e| e.pointer_mut("/properties/type")) {
        let Value::Object(kind) = kind else {
            return Err(format!("#/components/schemas/{EVENT}/properties/type is not a schema"));
        };
        kind.insert("enum".to_owned(), Value::Array(event_types.into_iter().map(Value::String).collect()));
    }
    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    out.insert("paths".to_owned(), Value::Object(out_paths));
    let mut components = Map::new();
    components.insert("schemas".to_owned(), Value::Object(out_schemas));
    if let Some(security) = doc.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".to_owned(), security.clone());
    }
    out.insert("components".to_owned(), Value::Object(components));
    Ok(Value::Object(out))
}

/// The component a webhook delivers.
const EVENT: &str = "event";

/// Where upstream lists every webhook event type: what an endpoint can subscribe to.
const ENABLED_EVENTS: &str =
    "/requestBody/content/application~1x-www-form-urlencoded/schema/properties/enabled_events/items/enum";

/// The webhook event types of the selection's `events` resources, in upstream's order: each
/// resource must be typed and have events, so a typo is an error, not a silent empty enum.
fn event_types(doc: &Value, selection: &Selection) -> Result<Vec<String>, String> {
    if selection.events.is_empty() {
        return Ok(Vec::new());
    }
    let all = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values().filter_map(Value::as_object).flat_map(|item| item.values()))
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some("PostWebhookEndpoints"))
        .and_then(|op| op.pointer(ENABLED_EVENTS))
        .and_then(Value::as_array)
        .ok_or(
            "`events` needs the webhook event types, but no operation `PostWebhookEndpoints` lists `enabled_events`",
        )?;
    let mut kept = Vec::new();
    for resource in &selection.events {
        if !selection.typed.contains(resource) {
            return Err(format!(
                "`events` lists `{resource}`, which is not `typed`: its events' objects would have no type"
            ));
        }
        let before = kept.len();
        kept.extend(
            all.iter()
                .filter_map(Value::as_str)
                .filter(|kind| kind.rsplit_once('.').is_some_and(|(owner, _)| owner == resource))
                .map(str::to_owned),
        );
        if kept.len() == before {
            return Err(format!("`events` lists `{resource}`, but no webhook event type is `{resource}.…`"));
        }
    }
    Ok(kept)
}

/// A walk that copies what it visits, applying the edge rules and collecting the components
/// still to copy.
struct Walk<'a> {
    schemas: &'a Map<String, Value>,
    typed: BTreeSet<String>,
    pending: Vec<String>,
    report: &'a mut Report,
}

impl Walk<'_> {
    /// A component: its copy, with `x-expandableFields` no longer listing the fields that
    /// became ids.
    fn component(&mut self, schema: &Value, at: &str) -> Value {
        let mut copy = self.value(schema, at);
        let cut: BTreeSet<String> = self
            .report
            .to_id
            .iter()
            .filter_map(|(place, _)| place.strip_prefix(&format!("{at}/properties/")))
            .filter(|rest| !rest.contains('/'))
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
            .collect();
        if let Some(Value::Array(fields)) = copy.get_mut("x-expandableFields") {
            fields.retain(|f| f.as_str().is_some_and(|f| !cut.contains(f)));
        }
        copy
    }

    fn value(&mut self, v: &Value, at: &str) -> Value {
        match v {
            Value::Object(m) => {
                if let Some(id) = self.expandable_to_id(m) {
                    self.report.to_id.insert((at.to_owned(), id.1));
                    return id.0;
                }
                if let Some(name) = m.get("$ref").and_then(Value::as_str).and_then(schema_name) {
                    if let Some(resource) = self.untyped_resource(name) {
                        self.report.to_json.insert((at.to_owned(), resource));
                        return self.as_json(name);
                    }
                    self.pending.push(name.to_owned());
                    return v.clone();
                }
                let mut out = Map::new();
                for (key, value) in m {
                    out.insert(key.clone(), self.value(value, &format!("{at}/{}", escape(key))));
                }
                // a union whose every member became any JSON is any JSON itself
                let all_json = |members: Option<&Value>| {
                    members.and_then(Value::as_array).is_some_and(|m| m.iter().all(is_any_json))
                };
                if all_json(out.get("anyOf")) {
                    out.remove("anyOf");
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().enumerate().map(|(i, item)| self.value(item, &format!("{at}/{i}"))).collect())
            }
            other => other.clone(),
        }
    }

    /// Any JSON in place of the untyped component `name`, described by the first sentence of
    /// the component's description, so the field's doc still says what it holds.
    fn as_json(&self, name: &str) -> Value {
        let mut out = Map::new();
        let description = self.schemas.get(name).and_then(|s| s.get("description")).and_then(Value::as_str);
        if let Some(sentence) = description.map(first_sentence).filter(|s| !s.is_empty()) {
            out.insert("description".to_owned(), Value::String(sentence));
        }
        Value::Object(out)
    }

    /// The resource a component is, when it is one the selection does not type.
    fn untyped_resource(&self, name: &str) -> Option<String> {
        let resource = self.schemas.get(name)?.get("x-resourceId")?.as_str()?;
        (!self.typed.contains(resource)).then(|| resource.to_owned())
    }

    /// An expandable field (`anyOf [string, $ref ...]` with `x-expansionResources`) whose
    /// resources are all untyped, as its id (the string member, with the field's description
    /// and nullability), and those resources.
    fn expandable_to_id(&self, m: &Map<String, Value>) -> Option<(Value, String)> {
        m.get("x-expansionResources")?;
        let members = m.get("anyOf")?.as_array()?;
        let mut id = None;
        let mut resources = Vec::new();
        for member in members {
            match member.get("$ref").and_then(Value::as_str).and_then(schema_name) {
                Some(name) => resources.push(self.untyped_resource(name)?),
                None => id = Some(member.clone()),
            }
        }
        let Value::Object(mut id) = id? else { return None };
        for key in ["description", "nullable"] {
            if let Some(v) = m.get(key) {
                id.insert(key.to_owned(), v.clone());
            }
        }
        resources.sort();
        resources.dedup();
        Some((Value::Object(id), resources.join(", ")))
    }
}

/// The sha256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `#/components/schemas/name` → `name`.
fn schema_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// A key as a JSON pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Applies the patch one operation at a time, noting the ones that change nothing.
fn apply_patch(doc: &mut Value, patch_text: &str, report: &mut Report) -> Result<(), String> {
    let ops: Vec<Value> = serde_yaml::from_str(patch_text).map_err(|e| e.to_string())?;
    for (i, op) in ops.into_iter().enumerate() {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or_default().to_owned();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default().to_owned();
        let patch: json_patch::Patch =
            serde_json::from_value(Value::Array(vec![op])).map_err(|e| format!("operation {i}: {e}"))?;
        let before = doc.clone();
        json_patch::patch(doc, &patch).map_err(|e| format!("operation {i} ({kind} {path}): {e}"))?;
        if *doc == before && kind != "test" {
            report.redundant.push((i, kind, path));
        }
    }
    Ok(())
}

/// The value with every mapping's keys in sorted order.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let ordered: BTreeMap<&String, &Value> = m.iter().collect();
            Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Any JSON: a schema with nothing but (perhaps) a description.
fn is_any_json(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| m.keys().all(|k| k == "description"))
}

/// The first sentence of a description, on one line.
fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::{Selection, Upstream, run};

    /// A small upstream in Stripe's conventions: a session that refers to a customer (an
    /// untyped resource) behind an expandable field and by value, an account (typed) and a
    /// chain of plain schemas; and an operation that is not selected.
    const UPSTREAM: &str = r##"
openapi: 3.0.0
info: {title: Stripe API, version: '2023-08-16'}
paths:
  /v1/sessions/{session}:
    parameters:
      - {name: session, in: path, required: true, schema: {type: string}}
    get:
      operationId: GetSession
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/session'}}}}
  /v1/webhook_endpoints:
    post:
      operationId: PostWebhookEndpoints
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                enabled_events:
                  type: array
                  items: {type: string, enum: ['*', account.updated, session.completed, session_part.created, session.expired]}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /v1/customers:
    get:
      operationId: GetCustomers
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/customer'}}}}
components:
  schemas:
    session:
      type: object
      x-resourceId: session
      x-expandableFields: [customer, account, holder]
      required: [id]
      properties:
        id: {type: string}
        customer:
          anyOf: [{maxLength: 5000, type: string}, {$ref: '#/components/schemas/customer'}]
          description: The customer.
          nullable: true
          x-expansionResources: {oneOf: [{$ref: '#/components/schemas/customer'}]}
        account:
          anyOf: [{maxLength: 5000, type: string}, {$ref: '#/components/schemas/account'}]
          x-expansionResources: {oneOf: [{$ref: '#/components/schemas/account'}]}
        last_customer: {$ref: '#/components/schemas/customer'}
        source:
          anyOf: [{$ref: '#/components/schemas/customer'}, {$ref: '#/components/schemas/charge'}]
        holder: {$ref: '#/components/schemas/holder'}
    holder:
      type: object
      properties:
        name: {type: string}
    account:
      type: object
      x-resourceId: account
      properties:
        id: {type: string}
    customer:
      description: |-
        A Customer is someone you charge.
        More about customers.
      type: object
      x-resourceId: customer
      properties:
        id: {type: string}
    charge:
      type: object
      x-resourceId: charge
      properties:
        id: {type: string}
    event:
      type: object
      x-resourceId: event
      required: [data, type]
      properties:
        type: {type: string, description: What happened.}
        data: {$ref: '#/components/schemas/event_data'}
    event_data:
      type: object
      properties:
        object: {type: object}
    unused:
      type: object
      properties:
        x: {type: string}
"##;

    fn selection(upstream: &str, operations: &[&str]) -> Selection {
        Selection {
            upstream: Upstream {
                file: "upstream.yaml".to_owned(),
                repository: "stripe/openapi".to_owned(),
                tag: "v1".to_owned(),
                commit: "abc".to_owned(),
                sha256: super::sha256_hex(upstream.as_bytes()),
            },
            output: "out.yaml".to_owned(),
            patch: "patch.yaml".to_owned(),
            operations: operations.iter().map(|s| s.to_string()).collect(),
            typed: vec!["session".to_owned(), "account".to_owned()],
            events: Vec::new(),
        }
    }

    fn trimmed(upstream: &str, patch: &str) -> (serde_json::Value, super::Report, String) {
        let (text, report, _) = run(&selection(upstream, &["GetSession"]), upstream.as_bytes(), patch).unwrap();
        let body = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
        (serde_yaml::from_str(&body).unwrap(), report, text)
    }

    #[test]
    fn keeps_the_closure_and_stops_at_untyped_resources() {
        let (spec, report, text) = trimmed(UPSTREAM, "[]");
        assert!(text.starts_with("# @generated by `cargo xtask trim`"), "{text}");
        let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/v1/sessions/{session}"], "only the selected operation");
        assert!(spec["paths"]["/v1/sessions/{session}"]["parameters"].is_array(), "path-level parameters kept");
        let schemas: Vec<&String> = spec["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["account", "holder", "session"], "the closure, without untyped resources");

        let props = &spec["components"]["schemas"]["session"]["properties"];
        // an expandable field of untyped resources is its id, description and nullability kept
        assert_eq!(
            props["customer"],
            serde_json::json!({"type": "string", "maxLength": 5000, "description": "The customer.", "nullable": true})
        );
        // a typed resource stays expandable
        assert!(props["account"]["x-expansionResources"].is_object());
        // by value: any JSON, never dropped, described by the resource's first sentence; a
        // union of such is any JSON too
        assert_eq!(props["last_customer"], serde_json::json!({"description": "A Customer is someone you charge."}));
        assert_eq!(props["source"], serde_json::json!({}));
        assert_eq!(
            spec["components"]["schemas"]["session"]["x-expandableFields"],
            serde_json::json!(["account", "holder"])
        );

        let at = |p: &str| format!("#/components/schemas/session/properties/{p}");
        assert_eq!(report.to_id.iter().cloned().collect::<Vec<_>>(), [(at("customer"), "customer".to_owned())]);
        assert_eq!(
            report.to_json.iter().cloned().collect::<Vec<_>>(),
            [
                (at("last_customer"), "customer".to_owned()),
                (at("source/anyOf/0"), "customer".to_owned()),
                (at("source/anyOf/1"), "charge".to_owned())
            ]
        );
    }

    #[test]
    fn events_keep_the_event_schema_with_the_event_types_of_those_resources() {
        let mut with_events = selection(UPSTREAM, &["GetSession"]);
        with_events.events = vec!["session".to_owned(), "account".to_owned()];
        let (text, _, _) = run(&with_events, UPSTREAM.as_bytes(), "[]").unwrap();
        let spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let schemas = &spec["components"]["schemas"];
        assert_eq!(
            schemas["event"]["properties"]["type"],
            serde_json::json!({
                "type": "string",
                "description": "What happened.",
                "enum": ["session.completed", "session.expired", "account.updated"]
            }),
            "each resource's own event types (not `session_part.…`, not `*`), in upstream's order"
        );
        assert!(schemas["event_data"].is_object(), "the event's closure is kept");

        let (text, _, _) = run(&selection(UPSTREAM, &["GetSession"]), UPSTREAM.as_bytes(), "[]").unwrap();
        assert!(!text.contains("event_data"), "no `events`, no event schema");

        with_events.events = vec!["charge".to_owned()];
        let err = run(&with_events, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(err.contains("`events` lists `charge`, which is not `typed`"), "{err}");
        with_events.typed.push("customer".to_owned());
        with_events.events = vec!["customer".to_owned()];
        let err = run(&with_events, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(err.contains("no webhook event type is `customer.…`"), "{err}");
    }

    #[test]
    fn a_reformatted_upstream_gives_the_same_bytes() {
        // the same content, other key order, flow style and quoting
        let value: serde_json::Value = serde_yaml::from_str(UPSTREAM).unwrap();
        let reformatted = serde_json::to_string_pretty(&value).unwrap();
        let (_, _, a) = trimmed(UPSTREAM, "[]");
        let (_, _, b) = trimmed(&reformatted, "[]");
        let body = |t: &str| t.lines().skip(3).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&a), body(&b));
    }

    #[test]
    fn the_patch_applies_and_redundant_operations_are_reported() {
        let patch = r#"
- {op: add, path: /components/schemas/holder/properties/nickname, value: {type: string}}
- {op: replace, path: /info/version, value: '2023-08-16'}
"#;
        let (spec, report, _) = trimmed(UPSTREAM, patch);
        assert_eq!(spec["components"]["schemas"]["holder"]["properties"]["nickname"]["type"], "string");
        assert_eq!(report.redundant, [(1, "replace".to_owned(), "/info/version".to_owned())]);
        let err =
            run(&selection(UPSTREAM, &["GetSession"]), UPSTREAM.as_bytes(), "- {op: remove, path: /nope}").unwrap_err();
        assert!(err.contains("patch.yaml: operation 0 (remove /nope)"), "{err}");
    }

    /// Widening the selection (Checkout Sessions contest `Session` and `CreateSession`; Stripe
    /// accounts contest `Account`) moves no published name or module: the committed lock keeps
    /// them. Without the lock the same widening renames them, which is what the lock is for.
    #[test]
    fn widening_the_selection_moves_no_published_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let mut selection: Selection = serde_yaml::from_str(&read(super::SELECTION)).unwrap();
        let upstream = std::fs::read(root.join(&selection.upstream.file)).unwrap();
        let patch = read(&selection.patch);
        selection.operations.extend(
            ["PostCheckoutSessions", "GetCheckoutSessionsSession", "PostAccounts", "GetAccountsAccount"]
                .map(String::from),
        );
        selection.typed.extend(["checkout.session", "account"].map(String::from));
        let (spec, _, _) = run(&selection, &upstream, &patch).unwrap();

        let published = read("generated/names.lock");
        let lock = stripe_codegen::NameLock::parse(&published).unwrap();
        let kept = stripe_codegen::generate(
            "wider.yaml",
            &spec,
            &stripe_codegen::Options { names: lock.clone(), ..Default::default() },
        )
        .unwrap()
        .names
        .render();
        let unlocked = stripe_codegen::generate("wider.yaml", &spec, &Default::default()).unwrap().names.render();
        let lines = |text: &str| -> Vec<String> {
            text.lines().filter(|l| !l.starts_with('#') || l.starts_with("#/")).map(String::from).collect()
        };
        let (before, after, free) = (lines(&published), lines(&kept), lines(&unlocked));
        let committed = stripe_codegen::generate(
            "spec.yaml",
            &read("spec/financial_connections_session.yaml"),
            &Default::default(),
        )
        .unwrap()
        .stats;
        assert_eq!(before.len(), committed.types + committed.operations, "the committed lock lists every public item");
        let moved: Vec<&String> = before.iter().filter(|l| !after.contains(l)).collect();
        assert!(moved.is_empty(), "published names moved: {moved:?}");
        assert!(after.len() > before.len() + 100, "the wider spec has more items: {}", after.len());
        assert!(after.iter().any(|l| l.starts_with("POST /v1/checkout/sessions = ")));
        // what the lock prevents
        let renamed: Vec<&String> = before.iter().filter(|l| !free.contains(l)).collect();
        assert!(
            renamed.iter().any(|l| l.ends_with("::session::Session")),
            "without the lock, Checkout's session would contest `Session`: {renamed:?}"
        );
    }

    #[test]
    fn a_wrong_pin_or_an_unknown_operation_is_a_clear_error() {
        let mut wrong = selection(UPSTREAM, &["GetSession"]);
        wrong.upstream.sha256 = "0".repeat(64);
        let err = run(&wrong, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(err.starts_with("upstream.yaml: sha256 is ") && err.contains("but spec/trim.yaml pins 000"), "{err}");
        let err = run(&selection(UPSTREAM, &["GetSession", "GetNothing"]), UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(err.contains("no operation has the operationId `GetNothing`"), "{err}");
    }
}
