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

/// Makes `out` a crate that builds on its own: when it is not the maintained crate and has no
/// `Cargo.toml` yet, the hand-written runtime of `template` is copied in (see [`copy_runtime`]).
pub(crate) fn ensure_crate(template: &Path, out: &Path) -> io::Result<()> {
    if out.join("Cargo.toml").exists() {
        return Ok(());
    }
    copy_runtime(template, out)
}

/// Copies the hand-written runtime of `template` (its manifest and `src/*.rs`, not its tests or
/// generated code) into `out`, naming the package after the directory, and overwriting what
/// an earlier copy left.
pub(crate) fn copy_runtime(template: &Path, out: &Path) -> io::Result<()> {
    fs::create_dir_all(out.join("src"))?;
    let name = new_package_name(out);
    let manifest = fs::read_to_string(template.join("Cargo.toml"))?;
    // the package's name, and the dev-dependency on itself that tests its optional features
    let manifest = manifest.replacen(&format!("name = \"{PACKAGE}\""), &format!("name = \"{name}\""), 1).replacen(
        &format!("\n{PACKAGE} = {{"),
        &format!("\n{name} = {{"),
        1,
    );
    // the maintained crate's benches send its requests, which another spec may not have
    let manifest = without_benches(&manifest);
    // a standalone crate: not a member of whatever workspace happens to be above it
    fs::write(out.join("Cargo.toml"), format!("{manifest}\n[workspace]\n"))?;
    for entry in fs::read_dir(template.join("src"))? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let mut text = fs::read_to_string(entry.path())?;
        if entry.file_name() == "lib.rs" {
            text = without_crate_example(&text);
        }
        // doc examples name the crate
        let text = text.replace(&PACKAGE.replace('-', "_"), &name.replace('-', "_"));
        fs::write(out.join("src").join(entry.file_name()), text)?;
    }
    Ok(())
}

/// A manifest without its `[[bench]]` tables (and the comment lines just above each).
fn without_benches(manifest: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_bench = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_bench = line.trim() == "[[bench]]";
            if in_bench {
                while out.last().is_some_and(|l| l.starts_with('#') || l.trim().is_empty()) {
                    out.pop();
                }
            }
        }
        if !in_bench {
            out.push(line);
        }
    }
    out.join("\n") + "\n"
}

/// The first line of the maintained crate's `lib.rs`, which a copy for another spec replaces
/// (a test keeps them the same).
const TITLE: &str = "//! A typed async client for Stripe's Financial Connections API.";

/// The maintained crate's package name, which a copy of its runtime replaces.
const PACKAGE: &str = "stripe-financial-connections";

/// The maintained crate's `lib.rs` for another crate: its crate-level example sends a Session
/// request, which another spec's crate does not have, so the first code block of the crate
/// docs goes (with the blank doc line after it), and the title stops naming the Session API.
/// Request types keep their own examples.
fn without_crate_example(lib: &str) -> String {
    let lib = lib.replacen(TITLE, "//! A typed async client for a Stripe API, generated by `cargo xtask codegen`.", 1);
    let mut out = String::with_capacity(lib.len());
    let mut lines = lib.lines().peekable();
    let mut removed = false;
    while let Some(line) = lines.next() {
        if !removed && line.starts_with("//! ```") {
            for inner in lines.by_ref() {
                if inner.trim_end() == "//! ```" {
                    break;
                }
            }
            if lines.peek().is_some_and(|l| l.trim_end() == "//!") {
                lines.next();
            }
            removed = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::new_package_name;
    use std::path::Path;

    #[test]
    fn the_crate_title_a_copy_replaces_is_the_first_line_of_lib_rs() {
        let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/lib.rs"))
            .unwrap_or_default();
        assert_eq!(lib.lines().next(), Some(super::TITLE));
        assert!(super::without_crate_example(&lib).starts_with("//! A typed async client for a Stripe API"));
    }

    #[test]
    fn a_copied_manifest_has_no_benches() {
        let manifest = "[package]\nname = \"x\"\n\n# the load bench\n[[bench]]\nname = \"load\"\nharness = false\n\n[lints.rust]\nx = 1\n";
        assert_eq!(super::without_benches(manifest), "[package]\nname = \"x\"\n[lints.rust]\nx = 1\n");
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
