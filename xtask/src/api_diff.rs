//! `cargo xtask api-diff --from <git rev | spec path> [--to <spec path>] [--check-version]`:
//! what changed for users between two specs, as Markdown, with the semver verdict
//! (`stripe_codegen::diff` decides). The specs are compared as IRs, so a reformat is no change;
//! the later one is named through the earlier one's lock, as `cargo xtask codegen` would.
//!
//! With `--check-version` (and a git rev), the release check: `generated/Cargo.toml`'s version
//! must be bumped at least as far as the verdict asks, and the report goes into the crate's
//! `generated/CHANGELOG.md`.

use std::path::Path;
use std::process::{Command, ExitCode};
use stripe_codegen::NameLock;
use stripe_codegen::diff::{ApiDiff, Impact};

/// The generated crate's changelog, published with it.
const CHANGELOG: &str = "generated/CHANGELOG.md";
const MANIFEST: &str = "generated/Cargo.toml";

pub(crate) fn api_diff(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut from = None;
    let mut to = crate::DEFAULT_SPEC.to_owned();
    let mut check_version = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--from" | "--since" => from = Some(it.next().ok_or("--from needs a git rev or a spec path")?.clone()),
            "--to" => to = it.next().ok_or("--to needs a spec path")?.clone(),
            "--check-version" => check_version = true,
            other => return Err(format!("unknown argument `{other}`\n\n{}", crate::USAGE)),
        }
    }
    let from = from.ok_or_else(|| format!("api-diff needs --from <git rev or spec path>\n\n{}", crate::USAGE))?;
    let (from_text, from_lock, from_version) = if Path::new(&from).is_file() {
        (read(Path::new(&from))?, NameLock::default(), None)
    } else {
        let spec = git_show(root, &from, crate::DEFAULT_SPEC)?;
        let lock = match git_show(root, &from, &format!("generated/{}", crate::write::NAMES_LOCK)) {
            Ok(text) => NameLock::parse(&text).map_err(|e| format!("{from}:generated/names.lock: {e}"))?,
            Err(_) => NameLock::default(),
        };
        (spec, lock, git_show(root, &from, MANIFEST).ok().and_then(|m| package_version(&m)))
    };
    let to_path = root.join(&to);
    let to_text = read(&to_path)?;
    let report = report(&from, &from_text, &from_lock, &to, &to_text)?;
    crate::say!("{}", report.1.trim_end());
    if !check_version {
        return Ok(ExitCode::SUCCESS);
    }
    let old = from_version
        .ok_or("--check-version needs --from a git rev (a tag) whose generated/Cargo.toml has a version")?;
    let manifest = read(&root.join(MANIFEST))?;
    let new = package_version(&manifest).ok_or("generated/Cargo.toml has no [package] version")?;
    let needed = needed_bump(&old, report.0.verdict());
    if !bump_covers(&old, &new, needed) {
        eprintln!(
            "error: {MANIFEST} has version {new}, but the changes since {from} ({old}) need {}\n  fix: set version = \"{}\" in {MANIFEST}",
            describe(needed),
            suggest(&old, needed)
        );
        return Ok(ExitCode::FAILURE);
    }
    let changelog_path = root.join(CHANGELOG);
    let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_else(|_| "# Changelog\n".to_owned());
    // the report without its title, its sections a level down
    let body = report.1.split_once('\n').map_or("", |(_, rest)| rest).trim().replace("\n## ", "\n### ");
    let (updated, what) = changelog_entry(&changelog, &new, &from, &body);
    if updated != changelog {
        crate::write::replace_file(&changelog_path, &updated).map_err(|e| format!("{CHANGELOG}: {e}"))?;
    }
    crate::say!("{CHANGELOG}: {what}");
    crate::say!("version {new} covers the changes since {from} ({old})");
    Ok(ExitCode::SUCCESS)
}

/// Where the report sits in a version's CHANGELOG entry, so that a later check finds it.
const REPORT_BEGIN: &str = "<!-- cargo xtask api-diff --check-version: the changes since ";
const REPORT_END: &str = "<!-- end of the changes -->";

/// The CHANGELOG with the entry of `version` holding the report of the changes since `from`,
/// and what was done. A new version gets an entry above the newest one; an entry whose report
/// no longer matches the changes (more came after it was written) gets the report rewritten; a
/// hand-written entry keeps its text and gets the report below it.
fn changelog_entry(changelog: &str, version: &str, from: &str, body: &str) -> (String, String) {
    let heading = format!("## {version}");
    let block = format!("{REPORT_BEGIN}{from} -->\n{body}\n{REPORT_END}");
    let Some(start) = changelog.lines().position(|l| l == heading).and_then(|n| line_offset(changelog, n)) else {
        // the new entry goes above the newest one, below the file's introduction
        let at = changelog.find("\n## ").map_or(changelog.len(), |i| i + 1);
        let (intro, entries) = changelog.split_at(at);
        return (format!("{}\n\n{heading}\n\n{block}\n\n{entries}", intro.trim_end()), format!("wrote {heading}"));
    };
    let end =
        changelog[start + heading.len()..].find("\n## ").map_or(changelog.len(), |i| start + heading.len() + i + 1);
    let entry = &changelog[start..end];
    let (entry, what) = match (entry.find(REPORT_BEGIN), entry.find(REPORT_END)) {
        (Some(b), Some(e)) if e > b => {
            let current = &entry[b..e + REPORT_END.len()];
            if current == block {
                return (changelog.to_owned(), format!("{heading} already covers the changes since {from}"));
            }
            (
                entry.replacen(current, &block, 1),
                format!("rewrote the changes in {heading}: they no longer matched the changes since {from}"),
            )
        }
        _ => (format!("{}\n\n{block}\n\n", entry.trim_end()), format!("added the changes since {from} to {heading}")),
    };
    (format!("{}{entry}{}", &changelog[..start], &changelog[end..]), what)
}

/// The byte offset where line `n` (from 0) starts.
fn line_offset(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1)
}

/// The diff of two specs and its Markdown: the later named through the earlier's lock.
pub(crate) fn report(
    from: &str,
    from_text: &str,
    from_lock: &NameLock,
    to: &str,
    to_text: &str,
) -> Result<(ApiDiff, String), String> {
    report_locked(from, from_text, from_lock, to, to_text).map(|(diff, markdown, _)| (diff, markdown))
}

/// [`report`], and the lock after `to` (to chain reports over several versions).
pub(crate) fn report_locked(
    from: &str,
    from_text: &str,
    from_lock: &NameLock,
    to: &str,
    to_text: &str,
) -> Result<(ApiDiff, String, NameLock), String> {
    let old =
        stripe_codegen::Spec::parse(from, from_text).and_then(|s| s.lower(from_lock)).map_err(|e| e.to_string())?;
    let new = stripe_codegen::Spec::parse(to, to_text).and_then(|s| s.lower(&old.names)).map_err(|e| e.to_string())?;
    let diff = stripe_codegen::diff::diff(&old, &new);
    let markdown = diff.markdown(&format!("API changes: {from} → {to}"));
    Ok((diff, markdown, new.names))
}

/// The one-line summary `cargo xtask codegen` prints of what it changed: the spec at git's
/// HEAD against the one it generated from; `None` outside git or for a spec git does not have.
pub(crate) fn summary_since_head(root: &Path, spec: &str, text: &str) -> Option<String> {
    // unchanged since HEAD, as git's index knows without reading the file: nothing to report
    let unchanged = Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", spec])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if unchanged {
        return None;
    }
    let head = git_show(root, "HEAD", spec).ok()?;
    if head == text {
        return None;
    }
    let lock = git_show(root, "HEAD", &format!("generated/{}", crate::write::NAMES_LOCK))
        .ok()
        .and_then(|t| NameLock::parse(&t).ok())
        .unwrap_or_default();
    report("HEAD", &head, &lock, spec, text).ok().map(|(diff, _)| diff.summary())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A file as it is at a git revision.
fn git_show(root: &Path, rev: &str, path: &str) -> Result<String, String> {
    let out = Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{rev}` is neither a file nor a git revision that has {path}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{rev}:{path}: {e}"))
}

/// The `version` of a manifest's `[package]`.
fn package_version(manifest: &str) -> Option<String> {
    manifest.lines().skip_while(|l| l.trim() != "[package]").skip(1).take_while(|l| !l.starts_with('[')).find_map(|l| {
        let value = l.trim().strip_prefix("version")?.trim_start().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}

/// Which part of the version a verdict needs bumped, by Cargo's rules (in 0.x the minor
/// number is the breaking one): 0 major, 1 minor, 2 patch, `None` nothing.
fn needed_bump(old: &str, verdict: Option<Impact>) -> Option<usize> {
    let zero = old.starts_with("0.");
    match verdict? {
        Impact::Breaking => Some(if zero { 1 } else { 0 }),
        Impact::Addition if !zero => Some(1),
        Impact::Addition | Impact::Patch => Some(2),
    }
}

fn parts(version: &str) -> Vec<u64> {
    version.split(['.', '-', '+']).take(3).map(|p| p.parse().unwrap_or(0)).collect()
}

/// Whether `new` is at least `old` bumped at `part`.
fn bump_covers(old: &str, new: &str, part: Option<usize>) -> bool {
    let (o, n) = (parts(old), parts(new));
    match part {
        None => n >= o,
        Some(p) => n[..p] > o[..p] || (n[..p] == o[..p] && n.get(p) > o.get(p)),
    }
}

fn describe(part: Option<usize>) -> &'static str {
    match part {
        None => "no bump",
        Some(0) => "a major bump (breaking)",
        Some(1) => "a minor bump (breaking in 0.x, or additions from 1.0 on)",
        Some(_) => "a patch bump",
    }
}

fn suggest(old: &str, part: Option<usize>) -> String {
    let mut p = parts(old);
    p.resize(3, 0);
    if let Some(i) = part {
        p[i] += 1;
        p[i + 1..].iter_mut().for_each(|x| *x = 0);
    }
    format!("{}.{}.{}", p[0], p[1], p[2])
}

#[cfg(test)]
mod tests {
    use super::{bump_covers, changelog_entry, needed_bump, package_version, suggest};

    /// The release check keeps the entry of the version it checks true: written once, rewritten
    /// when more changes came after it, added below a hand-written entry, and left alone when
    /// it still covers the changes.
    #[test]
    fn the_changelog_entry_follows_the_changes_since_the_last_release() {
        let intro = "# Changelog\n\nWritten by the release check.\n\n## 0.1.0\n\nThe first release.\n";
        let (first, what) = changelog_entry(intro, "0.2.0", "v0.1.0", "**1 added: compatible**");
        assert_eq!(what, "wrote ## 0.2.0");
        assert!(first.contains("release check.\n\n## 0.2.0\n\n<!-- cargo xtask api-diff --check-version: the changes since v0.1.0 -->\n**1 added: compatible**\n<!-- end of the changes -->\n\n## 0.1.0\n"), "{first}");
        let (same, what) = changelog_entry(&first, "0.2.0", "v0.1.0", "**1 added: compatible**");
        assert_eq!(
            (same.as_str(), what.as_str()),
            (first.as_str(), "## 0.2.0 already covers the changes since v0.1.0")
        );
        let (grown, what) = changelog_entry(&first, "0.2.0", "v0.1.0", "**2 added: compatible**");
        assert!(what.starts_with("rewrote the changes in ## 0.2.0"), "{what}");
        assert!(grown.contains("**2 added: compatible**") && !grown.contains("**1 added"), "{grown}");
        assert!(grown.ends_with("## 0.1.0\n\nThe first release.\n"), "{grown}");
        let (kept, what) = changelog_entry(intro, "0.1.0", "v0.0.9", "**1 breaking**");
        assert_eq!(what, "added the changes since v0.0.9 to ## 0.1.0");
        assert!(kept.contains("## 0.1.0\n\nThe first release.\n\n<!-- cargo xtask"), "{kept}");
    }
    use stripe_codegen::diff::Impact;

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(needed_bump("0.1.3", Some(Impact::Breaking)), Some(1));
        assert_eq!(needed_bump("0.1.3", Some(Impact::Addition)), Some(2));
        assert_eq!(needed_bump("1.4.0", Some(Impact::Breaking)), Some(0));
        assert_eq!(needed_bump("1.4.0", Some(Impact::Addition)), Some(1));
        assert_eq!(needed_bump("0.1.3", None), None);
        assert!(bump_covers("0.1.3", "0.2.0", Some(1)));
        assert!(!bump_covers("0.1.3", "0.1.4", Some(1)));
        assert!(bump_covers("0.1.3", "0.1.4", Some(2)));
        assert!(bump_covers("0.1.3", "0.2.0", Some(2)));
        assert!(!bump_covers("0.1.3", "0.1.3", Some(2)));
        assert!(bump_covers("1.4.0", "2.0.0", Some(0)));
        assert_eq!(suggest("0.1.3", Some(1)), "0.2.0");
        assert_eq!(suggest("0.1.3", Some(2)), "0.1.4");
        assert_eq!(
            package_version("[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\n").as_deref(),
            Some("0.1.0")
        );
    }
}
