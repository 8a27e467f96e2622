//! `cargo xtask trim [--check]`: the spec the generator reads, cut from Stripe's published
//! spec by a committed selection (`spec/trim.yaml`) and a committed patch (`spec/patch.yaml`).
//!
//! 1. The vendored upstream file is read, called truncated when it is, and checked against the
//!    selection's pin: its sha256, and the API version (`info.version`) the patch was reviewed
//!    against. Every entry of the selection must name something upstream; an error points at
//!    its line of `spec/trim.yaml`.
//! 2. The selected operations (by operationId) are kept, with the closure of the component
//!    schemas they reference, after two rules that stop the closure at the selection's edge:
//!    an expandable field whose resources are not `typed` becomes the id it always is
//!    unexpanded, and a by-value reference to an untyped resource becomes any JSON (its data
//!    kept, not typed). Both are printed, with where they are. The upstream may be an excerpt
//!    of Stripe's file: a reference to a component it does not hold is a resource outside the
//!    selection when `left_out` declares it (cut by the same two rules), and an error naming
//!    the reference otherwise. With `events`, the `event` schema (what a webhook delivers) is
//!    kept too, its `type` the enum of upstream's webhook event types (`enabled_events` of
//!    `PostWebhookEndpoints`) of those resources: `financial_connections.account.created` is
//!    `financial_connections.account`'s, by Stripe's convention of resource, dot, what happened.
//! 3. The patch (RFC 6902 JSON Patch, written as YAML) adds what Stripe's documentation has and
//!    upstream lacks. An operation whose target upstream no longer has, a failed `test`, or an
//!    `add` over a value upstream now has stops the trim, naming the operation, its line and
//!    what changed; an operation that changes nothing (upstream caught up) is reported.
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
    /// event types of these resources (a resource that is not `typed` keeps its object as JSON).
    #[serde(default)]
    pub events: Vec<String>,
    /// Components an excerpt of upstream does not hold, each another Stripe resource (its
    /// `x-resourceId` is its key) outside the selection.
    #[serde(default)]
    pub left_out: Vec<String>,
    /// The next API version's upstream, which `cargo xtask upgrade-preview` compares with.
    #[serde(default)]
    pub next: Option<Next>,
    /// The selection's text, to name the line of an entry.
    #[serde(skip)]
    text: String,
    /// Set for a preview of another upstream: patch operations that no longer fit it are left
    /// out and reported instead of stopping the trim.
    #[serde(skip)]
    pub lenient_patch: bool,
    /// Set for an older upstream (`--upstream --older`): what it lacks of the selection is left
    /// out and reported instead of being an error.
    #[serde(skip)]
    pub older: bool,
}

/// The next API version's upstream, vendored beside the current one, and where its preview goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Next {
    /// The vendored file, relative to the workspace.
    pub file: String,
    pub sha256: String,
    /// What the upgrade changes that the spec cannot say (new defaults), from Stripe's changelog.
    pub notes: String,
    /// The Markdown report `cargo xtask upgrade-preview` writes.
    pub report: String,
}

/// Where the upstream spec came from, and what it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Upstream {
    /// The vendored file, relative to the workspace.
    pub file: String,
    /// Stripe's repository it was taken from.
    pub repository: String,
    /// The file's path in that repository.
    #[serde(default)]
    pub path: Option<String>,
    /// The repository's tag, where it has one.
    #[serde(default)]
    pub tag: Option<String>,
    pub commit: String,
    /// The API version (`info.version`) the selection and the patch were reviewed against.
    pub version: String,
    pub sha256: String,
}

impl Selection {
    /// Reads `spec/trim.yaml`'s text.
    pub(crate) fn parse(text: &str) -> Result<Selection, String> {
        let mut selection: Selection = serde_yaml::from_str(text).map_err(|e| format!("{SELECTION}: {e}"))?;
        selection.text = text.to_owned();
        Ok(selection)
    }

    /// `spec/trim.yaml:LINE` of the entry `entry` under the top-level key `list` (or of the key
    /// itself), or the file's name alone when the text does not show it.
    fn at(&self, list: &str, entry: Option<&str>) -> String {
        let mut in_list = false;
        for (n, line) in self.text.lines().enumerate() {
            if line.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                in_list = line.split(':').next() == Some(list);
                if in_list && entry.is_none() {
                    return format!("{SELECTION}:{}", n + 1);
                }
            } else if let (true, Some(entry)) = (in_list, entry) {
                let item = line.trim_start().strip_prefix("- ").map(|v| v.split(" #").next().unwrap_or(v).trim());
                if item.map(|v| v.trim_matches(['\'', '"'])) == Some(entry) {
                    return format!("{SELECTION}:{}", n + 1);
                }
            }
        }
        SELECTION.to_owned()
    }
}

/// What a trim did, for the maintainer: each line names a place in the upstream spec.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Report {
    /// Expandable fields cut to their id: (pointer, resources).
    pub to_id: BTreeSet<(String, String)>,
    /// By-value references to untyped resources kept as JSON: (pointer, resource).
    pub to_json: BTreeSet<(String, String)>,
    /// Patch operations that change nothing any more: (number from 1, line, op, path).
    pub redundant: Vec<(usize, Option<usize>, String, String)>,
    /// Entries of the selection an older upstream does not have: (list, entry).
    pub lacking: Vec<(&'static str, String)>,
    /// Patch operations a preview left out, as they no longer fit its upstream: why, each.
    pub skipped: Vec<String>,
}

impl Report {
    fn print(&self, operations: usize, schemas: usize, patch: &str) -> String {
        let mut out = format!("trim: {operations} operations, {schemas} schemas\n");
        for (list, entry) in &self.lacking {
            out.push_str(&format!("  left out, as this upstream has no such entry: {list} `{entry}`\n"));
        }
        for (at, resources) in &self.to_id {
            out.push_str(&format!("  expandable field kept as its id (untyped {resources}): {at}\n"));
        }
        for (at, resource) in &self.to_json {
            out.push_str(&format!("  reference kept as JSON (untyped {resource}): {at}\n"));
        }
        for (number, line, op, path) in &self.redundant {
            out.push_str(&format!(
                "  {}: patch operation {number} ({op} {path}) changes nothing: upstream has it now; remove it from the patch\n",
                line_of(patch, *line)
            ));
        }
        out
    }
}

/// `file:LINE`, or `file` where the line is not known.
fn line_of(file: &str, line: Option<usize>) -> String {
    line.map_or_else(|| file.to_owned(), |l| format!("{file}:{l}"))
}

pub(crate) fn trim(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut check = false;
    let (mut other_upstream, mut other_out, mut no_patch, mut older) = (None, None, false, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            // another upstream (an older published spec), trimmed by the same selection
            "--upstream" => other_upstream = Some(it.next().ok_or("--upstream needs a path")?.clone()),
            "--out" => other_out = Some(it.next().ok_or("--out needs a path")?.clone()),
            "--no-patch" => no_patch = true,
            "--older" => older = true,
            other => return Err(format!("unknown argument `{other}`\n\n{}", crate::USAGE)),
        }
    }
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"));
    let mut selection = Selection::parse(&read(SELECTION)?)?;
    let upstream = if let Some(path) = other_upstream {
        let out = other_out.ok_or("--upstream goes with --out: the maintained spec comes from the pinned upstream")?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        selection.unpinned(&path, &bytes, out);
        selection.older = older;
        bytes
    } else if other_out.is_some() || older {
        return Err("--out and --older go with --upstream".to_owned());
    } else {
        std::fs::read(root.join(&selection.upstream.file)).map_err(|e| format!("{}: {e}", selection.upstream.file))?
    };
    let patch_text = if no_patch { "[]".to_owned() } else { read(&selection.patch)? };
    let trimmed = run(&selection, &upstream, &patch_text)?;
    crate::say!("{}", trimmed.report.print(trimmed.operations, trimmed.schemas, &selection.patch).trim_end());
    let output = root.join(&selection.output);
    let current = std::fs::read_to_string(&output).unwrap_or_default();
    if check {
        if current == trimmed.text {
            crate::say!("{} is up to date with {}", selection.output, selection.upstream.file);
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{}", crate::write::diff_text(&selection.output, &current, &trimmed.text));
        eprintln!(
            "error: {} is stale: it differs from what {} and {} give (diff above).\n  fix: run `cargo xtask trim` and commit the result",
            selection.output, SELECTION, selection.patch
        );
        return Ok(ExitCode::FAILURE);
    }
    let written =
        crate::write::replace_file(&output, &trimmed.text).map_err(|e| format!("{}: {e}", selection.output))?;
    crate::say!("{} {}", selection.output, if written { "written" } else { "unchanged" });
    Ok(ExitCode::SUCCESS)
}

impl Selection {
    /// The selection applied to another upstream than the pinned one: its own digest and
    /// version are its pin, its name (not where it lies) is shown, and `out` is written.
    pub(crate) fn unpinned(&mut self, path: &str, bytes: &[u8], out: String) {
        self.upstream.sha256 = sha256_hex(bytes);
        self.upstream.file = Path::new(path).file_name().map_or(path.to_owned(), |n| n.to_string_lossy().into_owned());
        self.upstream.tag = None;
        self.upstream.path = None;
        self.upstream.commit = "(not pinned)".to_owned();
        self.upstream.version = String::new();
        self.output = out;
    }
}

/// A trim's result.
#[derive(Debug)]
pub(crate) struct Trimmed {
    /// The spec's text, with its header.
    pub text: String,
    pub report: Report,
    pub operations: usize,
    pub schemas: usize,
}

/// The whole trim, without files.
pub(crate) fn run(selection: &Selection, upstream: &[u8], patch: &str) -> Result<Trimmed, String> {
    let file = &selection.upstream.file;
    let text = std::str::from_utf8(upstream).map_err(|e| format!("{file}: not UTF-8: {e}"))?;
    let doc = parse_upstream(file, text)?;
    let digest = sha256_hex(upstream);
    if digest != selection.upstream.sha256 {
        return Err(format!(
            "{file}: sha256 is {digest}, but {} pins {}\n  hint: after vendoring a new upstream file, set upstream.sha256 (and commit, version) in {SELECTION} to match",
            selection.at("upstream", None),
            selection.upstream.sha256
        ));
    }
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    if !selection.upstream.version.is_empty() && version != selection.upstream.version {
        return Err(format!(
            "{file}: its API version (info.version) is `{version}`, but {} pins `{}`, the version {} was reviewed against\n  hint: read {} against `{version}` (what the documentation adds that this version lacks), then set upstream.version to `{version}`",
            selection.at("upstream", None),
            selection.upstream.version,
            selection.patch,
            selection.patch
        ));
    }
    let mut report = Report::default();
    let mut trimmed = cut(&doc, selection, &mut report)?;
    apply_patch(&mut trimmed, &selection.patch, patch, selection.lenient_patch, &mut report)?;
    let operations = selection.operations.len() - report.lacking.iter().filter(|(l, _)| *l == "operations").count();
    let schemas = trimmed.pointer("/components/schemas").and_then(Value::as_object).map_or(0, Map::len);
    let body = serde_yaml::to_string(&sorted(&trimmed)).map_err(|e| e.to_string())?;
    let u = &selection.upstream;
    let source = [Some(u.repository.as_str()), u.path.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let at = u.tag.as_ref().map_or_else(|| u.commit.clone(), |tag| format!("{tag} ({})", u.commit));
    let header = format!(
        "# @generated by `cargo xtask trim`: do not edit. Edit {SELECTION} (what is kept) or\n\
         # {} (what is added to upstream), then run `cargo xtask trim`.\n\
         # Upstream: {source} at {at}, {file}, sha256 {}.\n",
        selection.patch, u.sha256
    );
    Ok(Trimmed { text: header + &body, report, operations, schemas })
}

/// The top-level keys every OpenAPI document of Stripe's has, and the one its YAML files end
/// with: one missing means the file was cut short.
const WHOLE_DOCUMENT: [&str; 4] = ["openapi", "info", "paths", "components"];
const LAST_YAML_KEY: &str = "servers";

/// The upstream's text as JSON (a `.json` file) or YAML, a cut-short file called truncated.
fn parse_upstream(file: &str, text: &str) -> Result<Value, String> {
    let truncated = |why: String| {
        format!(
            "{file} is truncated: {why}\n  hint: copy Stripe's file again, whole, and check it with `sha256sum {file}`"
        )
    };
    let json = file.ends_with(".json");
    let doc: Value = if json {
        serde_json::from_str(text).map_err(|e| {
            if e.is_eof() { truncated(format!("its JSON ends early ({e})")) } else { format!("{file}: {e}") }
        })?
    } else {
        serde_yaml::from_str(text).map_err(|e| format!("{file}: {e}"))?
    };
    let expected = WHOLE_DOCUMENT.iter().chain((!json).then_some(&LAST_YAML_KEY));
    let missing: Vec<String> = expected.filter(|key| doc.get(key).is_none()).map(|k| format!("`{k}`")).collect();
    if !missing.is_empty() {
        return Err(truncated(format!(
            "it has no {} (Stripe's specs have `openapi`, `info`, `paths` and `components`, and its YAML files end with `servers`)",
            missing.join(", ")
        )));
    }
    Ok(doc)
}

/// The selected operations and the closure of what they reference, with the rules above.
fn cut(doc: &Value, selection: &Selection, report: &mut Report) -> Result<Value, String> {
    let file = &selection.upstream.file;
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).ok_or("no #/components/schemas")?;
    let paths = doc.get("paths").and_then(Value::as_object).ok_or("no #/paths")?;
    check_entries(doc, schemas, selection, report)?;
    let mut walk = Walk {
        schemas,
        typed: selection.typed.iter().cloned().collect(),
        left_out: selection.left_out.iter().cloned().collect(),
        pending: Vec::new(),
        unknown: Vec::new(),
        report,
    };

    let mut out_paths = Map::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let mut kept = Map::new();
        for (method, op) in item {
            let id = op.get("operationId").and_then(Value::as_str);
            if id.is_some_and(|id| selection.operations.iter().any(|s| s == id)) {
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

    let event_types = event_types(doc, selection, walk.report)?;
    if !event_types.is_empty() {
        walk.pending.push(EVENT.to_owned());
    }
    let mut out_schemas = Map::new();
    while let Some(name) = walk.pending.pop() {
        if out_schemas.contains_key(&name) {
            continue;
        }
        let Some(schema) = schemas.get(&name) else { continue };
        let at = format!("#/components/schemas/{}", escape(&name));
        out_schemas.insert(name, walk.component(schema, &at));
    }
    if let Some((at, name)) = walk.unknown.first() {
        return Err(format!(
            "{file}: {at}: `$ref` to `{name}`, which {file} does not hold\n  hint: an excerpt of Stripe's spec leaves other resources out: if `{name}` is one, list it under `left_out` in {SELECTION} ({}); else vendor the whole schema",
            selection.at("left_out", None)
        ));
    }

    if let Some(kind) = out_schemas.get_mut(EVENT).and_then(|e| e.pointer_mut("/properties/type")) {
        let Value::Object(kind) = kind else {
            return Err(format!("{file}: #/components/schemas/{EVENT}/properties/type is not a schema"));
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

/// Every entry of `operations`, `typed` and `left_out` names something upstream: an
/// operationId, a component's `x-resourceId`, a component or a `$ref` target. Else an error
/// naming the entry's line, or, for an older upstream, the entry left out and reported.
fn check_entries(
    doc: &Value,
    schemas: &Map<String, Value>,
    selection: &Selection,
    report: &mut Report,
) -> Result<(), String> {
    let file = &selection.upstream.file;
    let operation_ids: BTreeSet<&str> = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values().filter_map(Value::as_object).flat_map(|item| item.values()))
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .collect();
    let resources: BTreeSet<&str> =
        schemas.values().filter_map(|s| s.get("x-resourceId").and_then(Value::as_str)).collect();
    let mut referenced = BTreeSet::new();
    references(doc, &mut referenced);
    /// A list of the selection, what tells whether an entry exists, what its error says.
    type Rule<'a> = (&'static str, &'a Vec<String>, &'a dyn Fn(&str) -> bool, &'static str);
    let lists: [Rule; 3] = [
        (
            "operations",
            &selection.operations,
            &|id| operation_ids.contains(id),
            "no operation of {file} has the operationId",
        ),
        (
            "typed",
            &selection.typed,
            &|r| resources.contains(r),
            "no component of {file} is the resource (`x-resourceId`)",
        ),
        (
            "left_out",
            &selection.left_out,
            &|c| schemas.contains_key(c) || referenced.contains(c),
            "{file} neither holds nor refers to the component",
        ),
    ];
    let mut errors = Vec::new();
    for (list, entries, exists, says) in lists {
        for entry in entries.iter().filter(|e| !exists(e)) {
            if selection.older && list != "left_out" {
                report.lacking.push((list, entry.clone()));
            } else {
                errors.push(format!("{}: {} `{entry}`", selection.at(list, Some(entry)), says.replace("{file}", file)));
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}\n  hint: the selection names operations by operationId, resources by `x-resourceId` and left-out components by key, as {file} spells them",
        errors.join("\n")
    ))
}

/// The names of the components `$ref`s anywhere in `v` point to.
fn references<'a>(v: &'a Value, out: &mut BTreeSet<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = m.get("$ref").and_then(Value::as_str).and_then(schema_name) {
                out.insert(name);
            }
            m.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The component a webhook delivers.
const EVENT: &str = "event";

/// Where upstream lists every webhook event type: what an endpoint can subscribe to.
const ENABLED_EVENTS: &str =
    "/requestBody/content/application~1x-www-form-urlencoded/schema/properties/enabled_events/items/enum";

/// The webhook event types of the selection's `events` resources, in upstream's order: each
/// resource must have events, so a typo is an error, not a silent empty enum.
fn event_types(doc: &Value, selection: &Selection, report: &mut Report) -> Result<Vec<String>, String> {
    if selection.events.is_empty() {
        return Ok(Vec::new());
    }
    let file = &selection.upstream.file;
    let all = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values().filter_map(Value::as_object).flat_map(|item| item.values()))
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some("PostWebhookEndpoints"))
        .and_then(|op| op.pointer(ENABLED_EVENTS))
        .and_then(Value::as_array)
        .ok_or_else(|| format!(
            "{}: `events` needs the webhook event types, but no operation `PostWebhookEndpoints` of {file} lists `enabled_events`",
            selection.at("events", None)
        ))?;
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    for resource in &selection.events {
        let before = kept.len();
        kept.extend(
            all.iter()
                .filter_map(Value::as_str)
                .filter(|kind| kind.rsplit_once('.').is_some_and(|(owner, _)| owner == resource))
                .map(str::to_owned),
        );
        if kept.len() > before {
            continue;
        }
        if selection.older {
            report.lacking.push(("events", resource.clone()));
        } else {
            errors.push(format!(
                "{}: `events` lists `{resource}`, but no webhook event type of {file} is `{resource}.…`",
                selection.at("events", Some(resource))
            ));
        }
    }
    if errors.is_empty() { Ok(kept) } else { Err(errors.join("\n")) }
}

/// A walk that copies what it visits, applying the edge rules and collecting the components
/// still to copy.
struct Walk<'a> {
    schemas: &'a Map<String, Value>,
    typed: BTreeSet<String>,
    /// Components upstream does not hold, declared resources outside the selection.
    left_out: BTreeSet<String>,
    pending: Vec<String>,
    /// `$ref`s to components upstream does not hold and the selection does not declare: (where, name).
    unknown: Vec<(String, String)>,
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
                    if !self.schemas.contains_key(name) {
                        self.unknown.push((at.to_owned(), name.to_owned()));
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

    /// The resource a component is, when it is one the selection does not type: by its
    /// `x-resourceId`, or a component upstream leaves out (its key is its resource).
    fn untyped_resource(&self, name: &str) -> Option<String> {
        let Some(schema) = self.schemas.get(name) else {
            return self.left_out.contains(name).then(|| name.to_owned());
        };
        let resource = schema.get("x-resourceId")?.as_str()?;
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

/// Applies the patch one operation at a time, noting the ones that change nothing; stops at
/// one that no longer fits upstream, naming it as the file shows it: its number (from 1) and
/// its line.
fn apply_patch(
    doc: &mut Value,
    file: &str,
    patch_text: &str,
    lenient: bool,
    report: &mut Report,
) -> Result<(), String> {
    let ops: Vec<Value> = serde_yaml::from_str(patch_text).map_err(|e| format!("{file}: {e}"))?;
    let lines = entry_lines(patch_text, ops.len());
    for (i, op) in ops.into_iter().enumerate() {
        let (number, line) = (i + 1, lines.get(i).copied());
        let kind = op.get("op").and_then(Value::as_str).unwrap_or_default().to_owned();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default().to_owned();
        let name = format!("{}: patch operation {number} ({kind} {path})", line_of(file, line));
        if let Some(why) = misfit(doc, &kind, &path, &op) {
            if lenient {
                report.skipped.push(format!("{name}: {why}"));
                continue;
            }
            return Err(format!(
                "{name} no longer fits upstream: {why}\n  hint: upstream changed here; read the operation against it, and remove it if upstream now says the same, else update it"
            ));
        }
        let patch: json_patch::Patch =
            serde_json::from_value(Value::Array(vec![op])).map_err(|e| format!("{name}: {e}"))?;
        let before = doc.clone();
        json_patch::patch(doc, &patch).map_err(|e| format!("{name}: {}", e.kind))?;
        if *doc == before && kind != "test" {
            report.redundant.push((number, line, kind, path));
        }
    }
    Ok(())
}

/// The line (from 1) where each of a YAML sequence's `count` top-level entries starts, or none
/// when the text is not laid out one `- ` entry per block.
fn entry_lines(text: &str, count: usize) -> Vec<usize> {
    let lines: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.starts_with("- ") || *l == "-").map(|(n, _)| n + 1).collect();
    if lines.len() == count { lines } else { Vec::new() }
}

/// Why a patch operation no longer fits upstream, or `None` when it does: a failed `test`, a
/// target upstream no longer has, or an `add` over a value upstream now has (a patch adds what
/// upstream lacks; to change what upstream has, it says `replace`, after a `test`).
fn misfit(doc: &Value, kind: &str, path: &str, op: &Value) -> Option<String> {
    let (parent, _) = path.rsplit_once('/')?;
    let target = doc.pointer(path);
    let value = op.get("value");
    match kind {
        "test" => match (target, value) {
            (None, _) => Some(format!("upstream has nothing at `{path}`")),
            (Some(found), Some(expected)) if found != expected => {
                Some(format!("upstream has {} where the patch expects {}", brief(found), brief(expected)))
            }
            _ => None,
        },
        "add" => match (doc.pointer(parent), target, value) {
            (None, _, _) => Some(format!("upstream has nothing at `{parent}`, where it adds")),
            (Some(Value::Object(_)), Some(found), Some(added)) if found != added => Some(format!(
                "upstream now has {} there, which the patch would replace with {}",
                brief(found),
                brief(added)
            )),
            _ => None,
        },
        "replace" | "remove" => target.is_none().then(|| format!("upstream has nothing at `{path}`")),
        _ => None,
    }
}

/// A value as compact JSON, cut short when long.
fn brief(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(160) {
        Some((end, _)) => format!("`{}…`", &text[..end]),
        None => format!("`{text}`"),
    }
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
    use super::{Selection, run};

    /// A small upstream in Stripe's conventions: a session that refers to a customer (an
    /// untyped resource) behind an expandable field and by value, an account (typed) and a
    /// chain of plain schemas; and an operation that is not selected.
    const UPSTREAM: &str = r##"
openapi: 3.0.0
info: {title: Stripe API, version: '2023-08-16'}
servers: [{url: 'https://api.stripe.com/'}]
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
                  items: {type: string, enum: ['*', account.updated, session.completed, session_part.created, session.expired, charge.refunded]}
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

    /// A selection of `operations` from `upstream`, typing `session` and `account`, written as
    /// `spec/trim.yaml` is (so errors can name lines), with `extra` lists after it.
    fn selection_with(upstream: &str, operations: &[&str], extra: &str) -> Selection {
        let operations: String = operations.iter().map(|o| format!("  - {o}\n")).collect();
        Selection::parse(&format!(
            "upstream:\n  file: upstream.yaml\n  repository: stripe/openapi\n  tag: v1\n  commit: abc\n  \
             version: '2023-08-16'\n  sha256: {}\noutput: out.yaml\npatch: patch.yaml\noperations:\n{operations}\
             typed:\n  - session\n  - account\n{extra}",
            super::sha256_hex(upstream.as_bytes())
        ))
        .unwrap()
    }

    fn selection(upstream: &str, operations: &[&str]) -> Selection {
        selection_with(upstream, operations, "")
    }

    fn trimmed(upstream: &str, patch: &str) -> (serde_json::Value, super::Report, String) {
        let super::Trimmed { text, report, .. } =
            run(&selection(upstream, &["GetSession"]), upstream.as_bytes(), patch).unwrap();
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
        let super::Trimmed { text, .. } = run(&with_events, UPSTREAM.as_bytes(), "[]").unwrap();
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

        let super::Trimmed { text, .. } =
            run(&selection(UPSTREAM, &["GetSession"]), UPSTREAM.as_bytes(), "[]").unwrap();
        assert!(!text.contains("event_data"), "no `events`, no event schema");

        // a resource that is not typed keeps its events, their objects JSON
        with_events.events = vec!["charge".to_owned()];
        let spec: serde_json::Value =
            serde_yaml::from_str(&run(&with_events, UPSTREAM.as_bytes(), "[]").unwrap().text).unwrap();
        assert_eq!(
            spec["components"]["schemas"]["event"]["properties"]["type"]["enum"],
            serde_json::json!(["charge.refunded"])
        );

        let misspelt = selection_with(UPSTREAM, &["GetSession"], "events:\n  - session\n  - custmer\n");
        let err = run(&misspelt, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert_eq!(
            err,
            "spec/trim.yaml:17: `events` lists `custmer`, but no webhook event type of upstream.yaml is `custmer.…`"
        );
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
    fn the_patch_applies_and_redundant_operations_are_reported_by_number_and_line() {
        let patch = r#"
- {op: add, path: /components/schemas/holder/properties/nickname, value: {type: string}}
- {op: replace, path: /info/version, value: '2023-08-16'}
"#;
        let (spec, report, _) = trimmed(UPSTREAM, patch);
        assert_eq!(spec["components"]["schemas"]["holder"]["properties"]["nickname"]["type"], "string");
        assert_eq!(report.redundant, [(2, Some(3), "replace".to_owned(), "/info/version".to_owned())]);
        assert!(
            report.print(1, 3, "spec/patch.yaml").contains(
                "  spec/patch.yaml:3: patch operation 2 (replace /info/version) changes nothing: upstream has it now"
            ),
            "{}",
            report.print(1, 3, "spec/patch.yaml")
        );
    }

    /// Upstream moved under a patch operation: the trim stops, naming the operation as the file
    /// shows it (its number from 1, its line) and what upstream has now.
    #[test]
    fn a_patch_operation_that_no_longer_fits_upstream_stops_the_trim() {
        let fails = |patch: &str| run(&selection(UPSTREAM, &["GetSession"]), UPSTREAM.as_bytes(), patch).unwrap_err();
        let holder = "/components/schemas/holder/properties/name";
        // a `test` guards what the next operation expects
        let err = fails(&format!(
            "# guarded\n- op: test\n  path: {holder}\n  value: {{type: integer}}\n- {{op: replace, path: {holder}/type, value: number}}\n"
        ));
        assert_eq!(
            err.lines().next().unwrap(),
            format!(
                "patch.yaml:2: patch operation 1 (test {holder}) no longer fits upstream: upstream has `{{\"type\":\"string\"}}` where the patch expects `{{\"type\":\"integer\"}}`"
            )
        );
        assert!(err.contains("hint: upstream changed here"), "{err}");
        // an `add` over a value upstream now has would silently win over upstream
        let err = fails(&format!("- {{op: add, path: {holder}/type, value: integer}}"));
        assert!(
            err.starts_with(&format!(
                "patch.yaml:1: patch operation 1 (add {holder}/type) no longer fits upstream: upstream now has `\"string\"` there"
            )),
            "{err}"
        );
        // what the operation changes is gone
        let err = fails("- {op: add, path: /components/schemas/holder/properties/gone/description, value: x}");
        assert!(
            err.contains("upstream has nothing at `/components/schemas/holder/properties/gone`, where it adds"),
            "{err}"
        );
        let err = fails("- {op: add, path: /info/x-note, value: x}\n- {op: remove, path: /nope}");
        assert!(err.starts_with("patch.yaml:2: patch operation 2 (remove /nope) no longer fits upstream: upstream has nothing at `/nope`"), "{err}");
    }

    /// An excerpt of upstream: a `$ref` to a component it does not hold is a resource outside
    /// the selection when `left_out` says so, cut like any untyped resource; else an error
    /// naming the reference.
    #[test]
    fn an_excerpt_refers_to_the_resources_it_leaves_out() {
        let mut doc: serde_json::Value = serde_yaml::from_str(UPSTREAM).unwrap();
        for left in ["customer", "charge"] {
            doc["components"]["schemas"].as_object_mut().unwrap().remove(left);
        }
        doc["paths"].as_object_mut().unwrap().remove("/v1/customers");
        let excerpt = serde_json::to_string(&doc).unwrap();
        let declared = selection_with(&excerpt, &["GetSession"], "left_out:\n  - customer\n  - charge\n");
        let super::Trimmed { text, report, .. } = run(&declared, excerpt.as_bytes(), "[]").unwrap();
        let spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let props = &spec["components"]["schemas"]["session"]["properties"];
        assert_eq!(
            props["customer"],
            serde_json::json!({"type": "string", "maxLength": 5000, "description": "The customer.", "nullable": true}),
            "an expandable field of a left-out resource is its id"
        );
        assert_eq!(props["last_customer"], serde_json::json!({}), "by value: any JSON");
        assert_eq!(props["source"], serde_json::json!({}));
        assert_eq!(report.to_json.len(), 3);

        let undeclared = selection_with(&excerpt, &["GetSession"], "left_out:\n  - charge\n");
        let err = run(&undeclared, excerpt.as_bytes(), "[]").unwrap_err();
        assert!(
            err.starts_with(
                "upstream.yaml: #/components/schemas/session/properties/customer/anyOf/1: `$ref` to `customer`, which upstream.yaml does not hold"
            ),
            "{err}"
        );
        assert!(err.contains("list it under `left_out` in spec/trim.yaml (spec/trim.yaml:15)"), "{err}");
    }

    /// A misspelt entry is an error naming its line, never a silent change of what is typed.
    #[test]
    fn entries_that_name_nothing_upstream_are_errors_naming_their_line() {
        let text = selection_with(UPSTREAM, &["GetSession", "GetSesion"], "left_out:\n  - nothing\n").text;
        let mut typo = Selection::parse(&text.replace("  - account\n", "  - acount\n")).unwrap();
        let err = run(&typo, UPSTREAM.as_bytes(), "[]").unwrap_err();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines[..3],
            [
                "spec/trim.yaml:12: no operation of upstream.yaml has the operationId `GetSesion`",
                "spec/trim.yaml:15: no component of upstream.yaml is the resource (`x-resourceId`) `acount`",
                "spec/trim.yaml:17: upstream.yaml neither holds nor refers to the component `nothing`",
            ]
        );
        // an older upstream lacks what is newer: left out and reported, not an error
        typo.older = true;
        typo.left_out.clear();
        let report = run(&typo, UPSTREAM.as_bytes(), "[]").unwrap().report;
        assert_eq!(report.lacking, [("operations", "GetSesion".to_owned()), ("typed", "acount".to_owned())]);
    }

    /// The API version is pinned with the file: upstream's moving on stops the trim until the
    /// patch has been read against it. A file cut short is called truncated.
    #[test]
    fn a_new_upstream_version_or_a_truncated_upstream_stops_the_trim() {
        let mut pinned = selection(UPSTREAM, &["GetSession"]);
        assert!(run(&pinned, UPSTREAM.as_bytes(), "[]").is_ok());
        pinned.upstream.version = "2023-08-15".to_owned();
        let err = run(&pinned, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(
            err.starts_with("upstream.yaml: its API version (info.version) is `2023-08-16`, but spec/trim.yaml:1 pins `2023-08-15`, the version patch.yaml was reviewed against"),
            "{err}"
        );

        let cut = &UPSTREAM[..UPSTREAM.find("components:").unwrap()];
        let err = run(&selection(cut, &["GetSession"]), cut.as_bytes(), "[]").unwrap_err();
        assert!(err.starts_with("upstream.yaml is truncated: it has no `components`"), "{err}");
        let json = serde_json::to_string(&serde_yaml::from_str::<serde_json::Value>(UPSTREAM).unwrap()).unwrap();
        let cut = &json[..json.len() / 2];
        let mut excerpt = selection(cut, &["GetSession"]);
        excerpt.upstream.file = "upstream.json".to_owned();
        let err = run(&excerpt, cut.as_bytes(), "[]").unwrap_err();
        assert!(err.starts_with("upstream.json is truncated: its JSON ends early"), "{err}");
    }

    /// Widening the selection (Checkout Sessions contest `Session` and `CreateSession`; Stripe
    /// accounts contest `Account`) moves no published name or module: the committed lock keeps
    /// them. Without the lock the same widening renames them, which is what the lock is for.
    /// On Stripe's whole 2023 spec, which has both.
    #[test]
    fn widening_the_selection_moves_no_published_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let mut selection = Selection::parse(&read(super::SELECTION)).unwrap();
        let upstream = std::fs::read(root.join(crate::UPSTREAM_SPEC)).unwrap();
        selection.unpinned("spec3.yaml", &upstream, "out.yaml".to_owned());
        selection.older = true;
        let narrow = run(&selection, &upstream, "[]").unwrap().text;
        selection.operations.extend(
            ["PostCheckoutSessions", "GetCheckoutSessionsSession", "PostAccounts", "GetAccountsAccount"]
                .map(String::from),
        );
        selection.typed.extend(["checkout.session", "account"].map(String::from));
        let wide = run(&selection, &upstream, "[]").unwrap().text;

        let lock = stripe_codegen::NameLock::parse(&read("generated/names.lock")).unwrap();
        let names = |spec: &str, lock: &stripe_codegen::NameLock| -> Vec<String> {
            let options = stripe_codegen::Options { names: lock.clone(), ..Default::default() };
            let text = stripe_codegen::generate("spec.yaml", spec, &options).unwrap().names.render();
            text.lines().filter(|l| !l.starts_with("# ")).map(String::from).collect()
        };
        let (before, after) = (names(&narrow, &lock), names(&wide, &lock));
        let moved: Vec<&String> = before.iter().filter(|l| !after.contains(l)).collect();
        assert!(moved.is_empty(), "published names moved: {moved:?}");
        assert!(after.len() > before.len() + 100, "the wider spec has more items: {}", after.len());
        assert!(after.iter().any(|l| l.starts_with("POST /v1/checkout/sessions = ")));
        // what the lock prevents
        let free = stripe_codegen::NameLock::default();
        let (before, after) = (names(&narrow, &free), names(&wide, &free));
        let renamed: Vec<&String> = before.iter().filter(|l| !after.contains(l)).collect();
        assert!(
            renamed.iter().any(|l| l.ends_with("::session::Session")),
            "without the lock, Checkout's session would contest `Session`: {renamed:?}"
        );
    }

    #[test]
    fn a_wrong_pin_is_a_clear_error() {
        let mut wrong = selection(UPSTREAM, &["GetSession"]);
        wrong.upstream.sha256 = "0".repeat(64);
        let err = run(&wrong, UPSTREAM.as_bytes(), "[]").unwrap_err();
        assert!(err.starts_with("upstream.yaml: sha256 is ") && err.contains("but spec/trim.yaml:1 pins 000"), "{err}");
    }
}
