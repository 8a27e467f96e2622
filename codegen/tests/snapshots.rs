//! Snapshot tests: the generated Rust for `spec/` and for one small spec per construct under
//! `tests/specs/`. A generator change shows up as a diff of Rust code (`cargo insta review`).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
use std::path::Path;

/// All generated files of a spec as one text, each headed by its path, after the manifest's
/// generated features.
fn generate(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = format!("{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let output = stripe_codegen::generate(&name, &text, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut all = String::new();
    for warning in &output.warnings {
        all.push_str(&format!("//// warning: {warning}\n"));
    }
    all.push_str(&format!("//// Cargo.toml: generated features\n{}\n", output.features_toml()));
    for (file, content) in &output.files {
        all.push_str(&format!("//// {file}\n{content}\n"));
    }
    all
}

#[test]
fn construct_specs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir).expect("tests/specs").flatten().map(|e| e.path()).collect();
    specs.sort();
    assert!(specs.len() >= 7, "the construct specs are missing");
    for spec in specs {
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        insta::assert_snapshot!(stem, generate(&spec));
    }
}

#[test]
fn session_spec() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/financial_connections_session.yaml");
    insta::assert_snapshot!("financial_connections_session", generate(&spec));
}

#[test]
fn output_is_byte_identical_from_run_to_run() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/lists_and_operations.yaml");
    assert_eq!(generate(&spec), generate(&spec));
}
