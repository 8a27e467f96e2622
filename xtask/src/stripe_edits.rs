//! The maintainer's loop (trim → codegen's names → api-diff) against the edits Stripe makes to
//! its spec, each done to the vendored upstream as a maintainer would vendor it (the sha256 pin
//! set to the edited file), then compared with the committed spec and name lock. Each test is
//! one row of the table in `README.md`'s "Updating the spec": the verdict users would get.

use crate::api_diff::report_locked;
use crate::trim::{Selection, run, sha256_hex};
use serde_json::Value;
use std::path::Path;
use stripe_codegen::NameLock;
use stripe_codegen::diff::Impact;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The vendored upstream after `edit`, trimmed by the committed selection (after `selection`
/// edits its text) and patch: the spec's text, or the trim's error.
fn trim_edited(selection: impl FnOnce(String) -> String, edit: impl FnOnce(&mut Value)) -> Result<String, String> {
    let mut selection = Selection::parse(&selection(read(crate::trim::SELECTION)))?;
    let mut upstream: Value = serde_json::from_str(&read(&selection.upstream.file)).map_err(|e| e.to_string())?;
    edit(&mut upstream);
    let bytes = serde_json::to_vec_pretty(&upstream).map_err(|e| e.to_string())?;
    selection.upstream.sha256 = sha256_hex(&bytes);
    run(&selection, &bytes, &read(&selection.patch)).map(|trimmed| trimmed.text)
}

/// What the edited spec changes for users against the committed one: the verdict, the
/// report, and the lock after it.
fn against_committed(edited: &str) -> (Option<Impact>, String, NameLock) {
    let lock = NameLock::parse(&read("generated/names.lock")).unwrap_or_default();
    let committed = read(crate::DEFAULT_SPEC);
    let (diff, markdown, names) = report_locked("committed", &committed, &lock, "edited", edited)
        .unwrap_or_else(|e| panic!("the edited spec does not generate: {e}"));
    (diff.verdict(), markdown, names)
}

fn edited(edit: impl FnOnce(&mut Value)) -> (Option<Impact>, String, NameLock) {
    let spec = trim_edited(|s| s, edit).unwrap_or_else(|e| panic!("the trim failed: {e}"));
    against_committed(&spec)
}

const SESSION: &str = "/components/schemas/financial_connections.session";
const CREATE: &str =
    "/paths/~1v1~1financial_connections~1sessions/post/requestBody/content/application~1x-www-form-urlencoded/schema";

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the upstream has no {pointer}"))
}

fn push_value(doc: &mut Value, pointer: &str, value: &str) {
    if let Some(values) = at(doc, pointer).as_array_mut() {
        values.push(Value::String(value.to_owned()));
    }
}

#[test]
fn an_optional_property_added_to_the_session_is_compatible() {
    let (verdict, report, _) = edited(|doc| {
        at(doc, &format!("{SESSION}/properties"))["nickname"] =
            serde_json::json!({"type": "string", "maxLength": 5000});
    });
    assert_eq!(verdict, Some(Impact::Addition), "{report}");
    assert!(report.contains("`Session::nickname`: new optional field"), "{report}");
}

/// The Session's `permissions`, the create request's and the Account's share `Permission`: a
/// value added in only some of them adds it to `Permission`, which keeps its name everywhere.
#[test]
fn a_value_added_to_an_enum_in_some_of_its_places_is_compatible() {
    for place in
        [format!("{SESSION}/properties/permissions/items/enum"), format!("{CREATE}/properties/permissions/items/enum")]
    {
        let (verdict, report, lock) = edited(|doc| push_value(doc, &place, "identity"));
        assert_eq!(verdict, Some(Impact::Addition), "{place}: {report}");
        assert!(report.contains("`Permission::Identity`: new value `identity`"), "{place}: {report}");
        let names = lock.render();
        assert!(!names.contains("SessionPermission") && !names.contains("CreateSessionPermission"), "{names}");
    }
}

#[test]
fn a_required_property_made_nullable_is_breaking() {
    let (verdict, report, _) = edited(|doc| {
        at(doc, &format!("{SESSION}/properties/livemode"))["nullable"] = Value::Bool(true);
    });
    assert_eq!(verdict, Some(Impact::Breaking), "{report}");
    assert!(report.contains("`Session::livemode`"), "{report}");
}

/// Stripe has renamed components; one renamed with the same shape and places of use keeps its
/// name, and its inline types keep theirs (the lock knows them by the `$ref`s to it).
#[test]
fn a_component_renamed_with_the_same_shape_and_places_keeps_its_names() {
    for old in ["bank_connections_resource_ownership_refresh", "bank_connections_resource_account_number_details"] {
        let new = format!("{old}_v2");
        let (verdict, report, lock) = edited(|doc| {
            let schemas = at(doc, "/components/schemas").as_object_mut().unwrap_or_else(|| panic!("no schemas"));
            let schema = schemas.shift_remove(old).unwrap_or_else(|| panic!("no {old}"));
            schemas.insert(new.clone(), schema);
            let text = doc
                .to_string()
                .replace(&format!("#/components/schemas/{old}\""), &format!("#/components/schemas/{new}\""));
            *doc = serde_json::from_str(&text).unwrap_or_default();
        });
        assert_eq!(verdict, None, "{old}: {report}");
        let before = NameLock::parse(&read("generated/names.lock")).unwrap_or_default();
        let names = |lock: &NameLock| -> Vec<String> {
            let mut names: Vec<String> =
                lock.render().lines().filter_map(|l| l.split_once(" = ")).map(|(_, n)| n.to_owned()).collect();
            names.dedup();
            names.sort();
            names.dedup();
            names
        };
        assert_eq!(names(&lock), names(&before), "{old}: every published name stays");
        assert!(lock.render().contains(&format!("#/components/schemas/{new} = ")), "the lock follows the new key");
    }
}

#[test]
fn a_new_upstream_version_stops_the_trim_until_the_patch_is_read_against_it() {
    let err = trim_edited(|s| s, |doc| *at(doc, "/info/version") = Value::String("2026-09-30.endive".to_owned()))
        .unwrap_err();
    assert!(
        err.contains("its API version (info.version) is `2026-09-30.endive`, but spec/trim.yaml:")
            && err.contains("pins `2026-08-26.dahlia`, the version spec/patch.yaml was reviewed against"),
        "{err}"
    );
}

#[test]
fn a_misspelt_typed_entry_is_an_error_naming_its_line() {
    let text = read(crate::trim::SELECTION);
    let line = text.lines().position(|l| l == "  - financial_connections.account_owner").map(|n| n + 1);
    let err = trim_edited(
        |s| s.replace("  - financial_connections.account_owner\n", "  - financial_connections.acount_owner\n"),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(
        err.lines().next(),
        Some(
            format!(
                "spec/trim.yaml:{}: no component of spec/upstream/spec3-2026-08-26.dahlia.financial_connections.json is the resource (`x-resourceId`) `financial_connections.acount_owner`",
                line.unwrap_or_default()
            )
            .as_str()
        )
    );
}

/// Every mapping's keys in reverse order, written with another indentation: the same spec.
#[test]
fn a_reordered_reindented_upstream_changes_nothing() {
    fn reversed(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(m.iter().rev().map(|(k, v)| (k.clone(), reversed(v))).collect()),
            Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
            other => other.clone(),
        }
    }
    let spec = trim_edited(|s| s, |doc| *doc = reversed(doc)).unwrap_or_else(|e| panic!("{e}"));
    let body = |text: &str| text.lines().skip_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&spec), body(&read(crate::DEFAULT_SPEC)));
    assert_eq!(against_committed(&spec).0, None);
}
