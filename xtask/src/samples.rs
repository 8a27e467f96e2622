//! The generated crate's samples of Stripe's 2026 objects
//! (`generated/tests/fixtures/objects_<version>.json`, written from the upstream's schemas)
//! hold every property those schemas have, so the crate's round-trip test
//! (`generated/tests/objects_2026.rs`) covers every field, and a property upstream adds shows
//! here as one the samples lack.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every object of the samples under the schema that describes it: a component by its key,
/// an inline object by where it is (`financial_connections.session.accounts`).
fn instances<'a>(
    schemas: &Value,
    schema: &Value,
    value: &'a Value,
    at: &str,
    out: &mut BTreeMap<String, (Value, Vec<&'a Value>)>,
) {
    if let Some(items) = value.as_array() {
        for item in items {
            instances(schemas, schema.get("items").unwrap_or(&Value::Null), item, at, out);
        }
        return;
    }
    if !value.is_object() {
        return; // an id where an object may be expanded, or a scalar
    }
    let mut stack = vec![(at.to_owned(), schema.clone())];
    while let Some((at, schema)) = stack.pop() {
        if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()) {
            stack.extend(schemas.get(name).map(|s| (name.to_owned(), s.clone())));
        } else if let Some(members) = schema.get("anyOf").and_then(Value::as_array) {
            stack.extend(members.iter().map(|m| (at.clone(), m.clone())));
        } else if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            out.entry(at.clone()).or_insert_with(|| (schema.clone(), Vec::new())).1.push(value);
            for (name, property) in properties {
                if let Some(v) = value.get(name) {
                    instances(schemas, property, v, &format!("{at}.{name}"), out);
                }
            }
        }
    }
}

#[test]
fn samples_hold_every_property() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."));
    let read = |p: &str| -> Value {
        let text = std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p}: {e}"))
    };
    let spec = read("spec/upstream/spec3-2026-08-26.dahlia.financial_connections.json");
    let samples = read("generated/tests/fixtures/objects_2026-08-26.dahlia.json");
    let schemas = &spec["components"]["schemas"];
    let resources = samples.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(resources.len(), 5, "Session, Account, Account Owner, Account Ownership, Transaction");
    let mut found = BTreeMap::new();
    for resource in &resources {
        let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{resource}") });
        instances(schemas, &reference, &samples[resource], resource, &mut found);
    }
    let mut missing = BTreeSet::new();
    for (at, (schema, objects)) in &found {
        for name in schema["properties"].as_object().into_iter().flat_map(|p| p.keys()) {
            if !objects.iter().any(|o| o.get(name).is_some()) {
                missing.insert(format!("{at}.{name}"));
            }
        }
    }
    for schema in schemas.as_object().into_iter().flat_map(|s| s.keys()) {
        let described =
            schema.starts_with("financial_connections.") || schema.starts_with("bank_connections_resource_");
        assert!(!described || found.contains_key(schema), "no sample holds a `{schema}`");
    }
    assert!(missing.is_empty(), "properties of the 2026 schemas that no sample holds: {missing:?}");
}
