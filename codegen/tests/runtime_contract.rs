//! The runtime contract ([`stripe_codegen::runtime`]) against the runtime crate's sources: each
//! name generated code uses is public at the runtime's root, every type there is one no
//! generated type may take, each feature a generated crate forwards is the runtime's. A rename
//! on either side fails here, naming what.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;
use stripe_codegen::runtime;

fn runtime_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `runtime/src/lib.rs` makes public at its root: the leaves of its `pub use`s, its
/// `pub mod`s, and every `#[macro_export]` macro of its files.
fn root_names() -> BTreeSet<String> {
    fn leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, out),
            syn::UseTree::Name(n) => drop(out.insert(n.ident.to_string())),
            syn::UseTree::Rename(r) => drop(out.insert(r.rename.to_string())),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
            syn::UseTree::Glob(_) => panic!("a glob re-export in runtime/src/lib.rs: the contract names each item"),
        }
    }
    let lib = syn::parse_file(&runtime_file("src/lib.rs")).unwrap();
    let mut names = BTreeSet::new();
    for item in &lib.items {
        match item {
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => leaves(&u.tree, &mut names),
            syn::Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => drop(names.insert(m.ident.to_string())),
            _ => {}
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    for entry in std::fs::read_dir(dir).unwrap() {
        let file = syn::parse_file(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for item in file.items {
            if let syn::Item::Macro(m) = item {
                if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                    names.insert(m.ident.unwrap().to_string());
                }
            }
        }
    }
    names
}

#[test]
fn every_name_generated_code_uses_is_at_the_runtimes_root() {
    let names = root_names();
    for name in runtime::TYPES.iter().chain(runtime::MACROS).chain(runtime::FUNCTIONS) {
        assert!(names.contains(*name), "`{name}` (stripe_codegen::runtime) is not public at runtime/src/lib.rs's root");
    }
}

#[test]
fn every_module_at_the_runtimes_root_is_one_no_generated_module_takes() {
    let lib = syn::parse_file(&runtime_file("src/lib.rs")).unwrap();
    let modules: Vec<String> = lib
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        modules,
        runtime::MODULES,
        "runtime/src/lib.rs's public modules against stripe_codegen::runtime::MODULES"
    );
}

#[test]
fn every_type_at_the_runtimes_root_is_one_no_generated_type_takes() {
    for name in root_names().iter().filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase())) {
        assert!(
            runtime::TYPES.contains(&name.as_str()),
            "runtime/src/lib.rs exports `{name}`, which stripe_codegen::runtime::TYPES does not reserve: a generated \
             type of that name would clash with it at the generated crate's root"
        );
    }
}

#[test]
fn the_features_a_generated_crate_forwards_are_the_runtimes() {
    let manifest = runtime_file("Cargo.toml");
    let table = manifest.split("\n[features]\n").nth(1).unwrap().split("\n[").next().unwrap();
    let mut declared: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).peekable();
    while let Some(line) = lines.next() {
        let (name, mut value) = line.split_once(" = ").map(|(n, v)| (n.to_owned(), v.to_owned())).unwrap();
        while !value.trim_end().ends_with(']') {
            value.push_str(lines.next().unwrap());
        }
        let entries = value.trim_matches(['[', ']', ' ']).split(',').map(|e| e.trim().trim_matches('"').to_owned());
        declared.push((name, entries.filter(|e| !e.is_empty()).collect()));
    }
    let runtime_features: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).filter(|n| *n != "default").collect();
    let contract: Vec<&str> = runtime::FEATURES.iter().map(|(n, _)| *n).collect();
    assert_eq!(runtime_features, contract, "runtime/Cargo.toml's features against stripe_codegen::runtime::FEATURES");
    for (name, turns_on) in runtime::FEATURES {
        let (_, entries) = declared.iter().find(|(n, _)| n == name).unwrap();
        for other in *turns_on {
            assert!(entries.iter().any(|e| e == other), "the runtime's `{name}` does not turn on `{other}`");
        }
    }
}

#[test]
fn the_maintained_crate_forwards_each_runtime_feature() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/Cargo.toml")).unwrap();
    for (name, _) in runtime::FEATURES {
        let forward = format!("\"{}/{name}\"", runtime::CRATE);
        assert!(manifest.lines().any(|l| l.starts_with(&format!("{name} = [")) && l.contains(&forward)), "{name}");
    }
    assert!(
        manifest.contains(&format!("\n{} = {{ version = ", runtime::CRATE)),
        "generated/Cargo.toml depends on the runtime"
    );
}
