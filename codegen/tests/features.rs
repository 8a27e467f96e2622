//! Resource features on Stripe's whole spec: a feature pulls in the resources it holds by
//! value, not the whole API through expandable fields and error bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The features a feature turns on, itself included, as Cargo resolves them.
fn closure(features: &BTreeMap<String, Vec<String>>, start: &str) -> BTreeSet<String> {
    let mut on = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(f) = stack.pop() {
        if on.insert(f.clone()) {
            stack.extend(features.get(&f).unwrap_or_else(|| panic!("`{f}` is not a feature")).iter().cloned());
        }
    }
    on
}

#[test]
fn features_of_the_full_spec_stay_small() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/upstream/spec3.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let output = stripe_codegen::generate("spec3.yaml", &text, &Default::default()).unwrap();
    let features = &output.features;
    assert!(features.len() > 100, "one feature per resource module: {}", features.len());

    // the Session endpoints: the session and the accounts it lists, nothing else
    let session = closure(features, "financial_connections_session");
    let expected = ["financial_connections_account", "financial_connections_session"];
    assert_eq!(session, expected.iter().map(|s| s.to_string()).collect());

    // deep in the reference cycles (customer ↔ invoice ↔ subscription ↔ charge), still a corner
    for feature in ["customer", "invoice", "charge", "payment_intent"] {
        let on = closure(features, feature);
        assert!(on.len() <= 15, "`{feature}` turns on {} features: {on:?}", on.len());
    }

    // every module keeps a feature of its own: no two module paths meet in snake_case
    let mut by_feature: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in output.names.render().lines().filter(|l| !l.starts_with("# ")) {
        let Some((_, path)) = line.rsplit_once(" = ") else { continue };
        let Some((module, _)) = path.rsplit_once("::") else { continue };
        by_feature.entry(module.replace("r#", "").replace("::", "_")).or_default().insert(module.to_owned());
    }
    let met: Vec<_> = by_feature.values().filter(|modules| modules.len() > 1).collect();
    assert!(met.is_empty(), "module paths that would share a feature: {met:?}");

    // `full` lists every feature
    let toml = output.features_toml();
    for name in features.keys() {
        assert!(toml.contains(&format!("    \"{name}\",\n")), "`full` misses `{name}`");
    }
}
