//! Writing and checking the generated directory, so that nothing is ever half-written.
//!
//! [`replace_dir`] writes every file into a sibling temporary directory, then swaps it in with
//! two renames; a run that fails or is killed before the swap leaves the old directory as it was,
//! and one killed between the two renames is repaired by the next run ([`recover`]). Files the
//! generator no longer emits disappear with the old directory, only after a successful run.
//! The crate's manifest gets the generated features ([`splice_features`]) through a temporary
//! file renamed over it after the directory swap.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "generated".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

/// Restores the old directory if an earlier run was killed between its two renames.
pub(crate) fn recover(target: &Path) -> io::Result<()> {
    let backup = sibling(target, "old");
    if !target.exists() && backup.exists() {
        fs::rename(&backup, target)?;
    }
    Ok(())
}

/// Every file under `dir`, as `relative path (with /) → bytes`.
fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).map_err(io::Error::other)?;
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                out.insert(rel, fs::read(&path)?);
            }
        }
    }
    Ok(out)
}

/// Replaces `target` with exactly `files`. Returns whether anything changed.
pub(crate) fn replace_dir(target: &Path, files: &BTreeMap<String, String>) -> io::Result<bool> {
    recover(target)?;
    let current = read_tree(target)?;
    let same = current.len() == files.len()
        && files.iter().all(|(p, text)| current.get(p).is_some_and(|b| b == text.as_bytes()));
    if same {
        return Ok(false);
    }
    let staging = sibling(target, "new");
    let backup = sibling(target, "old");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    if backup.exists() {
        fs::remove_dir_all(&backup)?;
    }
    if let Err(e) = write_all(&staging, files) {
        // a failed run leaves nothing behind; the old directory was never touched
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if target.exists() {
        fs::rename(target, &backup)?;
    }
    fs::rename(&staging, target)?;
    if backup.exists() {
        fs::remove_dir_all(&backup)?;
    }
    Ok(true)
}

fn write_all(staging: &Path, files: &BTreeMap<String, String>) -> io::Result<()> {
    for (i, (rel, text)) in files.iter().enumerate() {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        fail_point(i)?;
    }
    Ok(())
}

/// For the tests of atomicity: `XTASK_FAIL_AFTER_FILES=n` fails the write after `n + 1` files.
fn fail_point(written: usize) -> io::Result<()> {
    match std::env::var("XTASK_FAIL_AFTER_FILES").ok().and_then(|v| v.parse::<usize>().ok()) {
        Some(n) if written >= n => {
            Err(io::Error::other(format!("failing after {} files, as XTASK_FAIL_AFTER_FILES asks", written + 1)))
        }
        _ => Ok(()),
    }
}

/// A unified diff of `target` against `files`; empty when they are equal.
pub(crate) fn diff(target: &Path, files: &BTreeMap<String, String>) -> io::Result<String> {
    let current = read_tree(target)?;
    let mut out = String::new();
    let mut paths: Vec<&String> = current.keys().chain(files.keys()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let old = current.get(path).map(|b| String::from_utf8_lossy(b).into_owned());
        out.push_str(&diff_text(path, &old.unwrap_or_default(), files.get(path).map_or("", String::as_str)));
    }
    Ok(out)
}

/// A unified diff of one file's text; empty when they are equal.
pub(crate) fn diff_text(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let d = similar::TextDiff::from_lines(old, new);
    d.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

/// The first and last line of the manifest's generated features.
const FEATURES_BEGIN: &str = "# @generated features: begin";
const FEATURES_END: &str = "# @generated features: end";

/// `manifest` with the lines between the generated-features markers replaced by `block`.
fn splice_features(manifest: &str, block: &str) -> Result<String, String> {
    let begin = manifest.find(FEATURES_BEGIN).and_then(|at| manifest[at..].find('\n').map(|n| at + n + 1));
    let end = manifest.find(FEATURES_END);
    match (begin, end) {
        (Some(begin), Some(end)) if begin <= end => Ok(format!("{}{block}{}", &manifest[..begin], &manifest[end..])),
        _ => Err(format!(
            "no generated features section: add the lines `{FEATURES_BEGIN}` and \
             `{FEATURES_END}` to its [features] table (the generator writes the resource features between them), \
             and \"full\" to `default` to compile every resource by default"
        )),
    }
}

/// The manifest of the crate in `out` (path and current text) and what it should be: the
/// current text with `output`'s resource features between the markers.
fn manifest(out: &Path, output: &stripe_codegen::Output) -> Result<(std::path::PathBuf, String, String), String> {
    let path = out.join("Cargo.toml");
    let current = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let wanted = splice_features(&current, &output.features_toml()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path, current, wanted))
}

/// The name lock of the crate in `out` (see `stripe_codegen::NameLock`), beside its manifest.
pub(crate) const NAMES_LOCK: &str = "names.lock";

/// The crate's name lock as it is: empty for a crate that has none yet.
pub(crate) fn read_lock(out: &Path) -> Result<stripe_codegen::NameLock, String> {
    let path = out.join(NAMES_LOCK);
    match fs::read_to_string(&path) {
        Ok(text) => stripe_codegen::NameLock::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(stripe_codegen::NameLock::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// What `write_crate` would change in `out`, as a unified diff; empty when it is up to date.
pub(crate) fn check_crate(out: &Path, output: &stripe_codegen::Output) -> Result<String, String> {
    let (_, current, wanted) = manifest(out, output)?;
    let target = out.join("src").join("generated");
    let mut diff = diff(&target, &output.files).map_err(|e| format!("{}: {e}", target.display()))?;
    diff.push_str(&diff_text("Cargo.toml", &current, &wanted));
    let lock = fs::read_to_string(out.join(NAMES_LOCK)).unwrap_or_default();
    diff.push_str(&diff_text(NAMES_LOCK, &lock, &output.names.render()));
    Ok(diff)
}

/// Writes a generated crate in `out`: `src/generated/` (see [`replace_dir`]), the resource
/// features of its manifest and its name lock. The manifest is read and spliced before anything is written, so
/// a manifest without the markers stops the run with nothing changed. Returns whether anything
/// changed.
pub(crate) fn write_crate(out: &Path, output: &stripe_codegen::Output) -> Result<bool, String> {
    let (manifest_path, _, manifest) = manifest(out, output)?;
    let target = out.join("src").join("generated");
    let mut changed = replace_dir(&target, &output.files).map_err(|e| format!("{}: {e}", target.display()))?;
    changed |= replace_file(&manifest_path, &manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let lock_path = out.join(NAMES_LOCK);
    changed |= replace_file(&lock_path, &output.names.render()).map_err(|e| format!("{}: {e}", lock_path.display()))?;
    Ok(changed)
}

/// Writes `text` to `path` through a temporary sibling renamed over it; `false` when unchanged.
pub(crate) fn replace_file(path: &Path, text: &str) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    let temporary = sibling(path, "new");
    fs::write(&temporary, text)?;
    fs::rename(&temporary, path)?;
    Ok(true)
}

/// The library name of the crate in `dir` (its package name with `-` as `_`); for a directory
/// that is not a crate yet, the name [`ensure_crate`] will give it.
pub(crate) fn library_name(dir: &Path) -> io::Result<String> {
    let manifest = match fs::read_to_string(dir.join("Cargo.toml")) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(new_package_name(dir).replace('-', "_")),
        Err(e) => return Err(e),
    };
    let name = manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| {
            let value = l.trim().strip_prefix("name")?.trim_start().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| io::Error::other("Cargo.toml has no [package] name"))?;
    Ok(name.replace('-', "_"))
}

/// The package name of a crate made in `dir`: the directory's name as a valid, warning-free
/// cargo package name (`spec3-2021Q3` → `spec3-2021q3`): lower case, runs of anything but ASCII
/// letters and digits as one `-`, and `stripe-` in front of a name that would not start with a
/// letter or that is one of Rust's reserved crate names.
fn new_package_name(dir: &Path) -> String {
    let raw = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    const RESERVED: &[&str] = &["alloc", "core", "crate", "proc-macro", "self", "std", "super", "test"];
    if name.is_empty() {
        "stripe-generated".to_owned()
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) || RESERVED.contains(&name) || is_keyword(name) {
        format!("stripe-{name}")
    } else {
        name.to_owned()
    }
}

/// Whether a package name's library name would be a Rust keyword (`type`, `async`, ...).
fn is_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
        "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
        "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&name)
}

/// Makes `out` a crate that builds on its own when it has no `Cargo.toml` yet: see [`new_crate`].
pub(crate) fn ensure_crate(root: &Path, out: &Path) -> io::Result<()> {
    if out.join("Cargo.toml").exists() {
        return Ok(());
    }
    new_crate(root, out, "")
}

/// Writes the hand-written part of a new generated crate in `out` (overwriting what an earlier
/// run left): a manifest that depends on the workspace's runtime crate by its path, with the
/// generated-features markers, and a `lib.rs` that re-exports the runtime and the generated
/// module, as the maintained crate's does. The package is named after the directory; it is a
/// workspace of its own, not a member of whatever workspace is above it. `dev_dependencies`
/// are `[dev-dependencies]` lines for tests the caller writes.
pub(crate) fn new_crate(root: &Path, out: &Path, dev_dependencies: &str) -> io::Result<()> {
    fs::create_dir_all(out.join("src"))?;
    let runtime = root.join("runtime").canonicalize()?;
    let manifest = NEW_MANIFEST
        .replace("{name}", &new_package_name(out))
        .replace("{runtime_crate}", stripe_codegen::runtime::CRATE)
        // a TOML basic string: backslashes (Windows paths) and quotes escaped
        .replace("{runtime_path}", &runtime.display().to_string().replace('\\', "\\\\").replace('"', "\\\""))
        .replace("{dev_dependencies}", dev_dependencies);
    fs::write(out.join("Cargo.toml"), manifest)?;
    fs::write(out.join("src/lib.rs"), format!("{NEW_LIB_TITLE}\n{LIB_TAIL}"))
}

/// A new crate's manifest: `default` turns on the client and every resource; `cargo xtask
/// codegen` writes the runtime's and the resources' features between the markers.
const NEW_MANIFEST: &str = r#"# Written by `cargo xtask codegen --out` for a new crate; hand-written from then on, but for the
# features between the `@generated` markers, which every run writes.
[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
rust-version = "1.85"
publish = false

[features]
default = ["client", "full"]
# @generated features: begin
# @generated features: end

[dependencies]
{runtime_crate} = { path = "{runtime_path}", default-features = false }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.100"

[dev-dependencies]
{dev_dependencies}
[lints.rust]
unexpected_cfgs = { level = "warn", check-cfg = ["cfg(docsrs)"] }
missing_docs = "warn"

[workspace]
"#;

/// The first line of a new crate's `lib.rs`; the maintained crate has its own title and docs.
const NEW_LIB_TITLE: &str = "//! A typed async client for a Stripe API, generated by `cargo xtask codegen`.";

/// What every generated crate's `lib.rs` ends with: the generated front page, the runtime and
/// the generated module re-exported at the root (a test keeps the maintained crate's the same).
const LIB_TAIL: &str = r#"#![doc = include_str!("generated/index.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The hand-written runtime (client, errors, webhooks, and the macros generated code invokes as
// `crate::…`) is the `stripe-runtime` crate; its items are this crate's too.
pub use stripe_runtime::*;

// every item is re-exported at the root, where the docs show it once
#[rustfmt::skip]
mod generated;
pub use generated::*;
"#;

#[cfg(test)]
mod tests {
    use super::new_package_name;
    use std::path::Path;

    #[test]
    fn the_maintained_crate_ends_its_lib_rs_as_a_new_crate_does() {
        let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/lib.rs"))
            .unwrap_or_default();
        assert!(lib.ends_with(&format!("//!\n{}", super::LIB_TAIL)), "generated/src/lib.rs ends otherwise");
    }

    #[test]
    fn a_new_crate_depends_on_the_runtime_and_has_the_feature_markers() {
        let out = std::env::temp_dir().join(format!("xtask-new-crate-{}", std::process::id()));
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        super::new_crate(&root, &out, "extra = \"1\"\n").unwrap();
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        let runtime = root.join("runtime").canonicalize().unwrap();
        assert!(manifest.contains(&format!("stripe-runtime = {{ path = \"{}\"", runtime.display())), "{manifest}");
        assert!(manifest.contains("# @generated features: begin\n# @generated features: end\n"));
        assert!(manifest.contains("[dev-dependencies]\nextra = \"1\"\n"));
        assert!(manifest.contains(&format!("name = \"{}\"", new_package_name(&out))));
        let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
        assert!(lib.starts_with(super::NEW_LIB_TITLE) && lib.ends_with(super::LIB_TAIL));
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn package_names_from_any_directory_are_valid() {
        let name = |dir: &str| new_package_name(Path::new(dir));
        assert_eq!(name("out/spec3-2021Q3"), "spec3-2021q3");
        assert_eq!(name("Optional Nullable-2021Q3"), "optional-nullable-2021q3");
        assert_eq!(name("client"), "client");
        assert_eq!(name("2021-client"), "stripe-2021-client");
        assert_eq!(name("__x__"), "x");
        assert_eq!(name("type"), "stripe-type");
        assert_eq!(name("std"), "stripe-std");
        assert_eq!(name("größe"), "gr-e");
        assert_eq!(name("..."), "stripe-generated");
    }
}
