//! `cargo xtask upgrade-preview [--check]`: what moving the crate to the next API version would
//! change for its users, before anyone moves it. The next version's upstream (`next` in
//! `spec/trim.yaml`, vendored and pinned beside the current one) is trimmed by the same
//! selection and patch (operations that no longer fit it are left out and listed), compared
//! with the maintained spec as `cargo xtask api-diff` compares, and written with what the spec
//! cannot say (`next.notes`: new defaults, from Stripe's changelog) as `next.report`. A test
//! keeps the committed report current.

use crate::trim::{SELECTION, Selection, run, sha256_hex};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn upgrade_preview(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(format!("upgrade-preview takes only --check\n\n{}", crate::USAGE)),
    };
    let (report_path, text) = preview(root)?;
    let current = std::fs::read_to_string(root.join(&report_path)).unwrap_or_default();
    if check {
        if current == text {
            crate::say!("{report_path} is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{}", crate::write::diff_text(&report_path, &current, &text));
        eprintln!(
            "error: {report_path} is stale (diff above).\n  fix: run `cargo xtask upgrade-preview` and commit the result"
        );
        return Ok(ExitCode::FAILURE);
    }
    let written =
        crate::write::replace_file(&root.join(&report_path), &text).map_err(|e| format!("{report_path}: {e}"))?;
    crate::say!("{}", text.lines().find(|l| l.starts_with("**")).unwrap_or_default());
    crate::say!("{report_path} {}", if written { "written" } else { "unchanged" });
    Ok(ExitCode::SUCCESS)
}

/// The report's path and text.
pub(crate) fn preview(root: &Path) -> Result<(String, String), String> {
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"));
    let mut selection = Selection::parse(&read(SELECTION)?)?;
    let next = selection.next.clone().ok_or_else(|| {
        format!("{SELECTION} has no `next`: vendor the next version's upstream and name it there to preview it")
    })?;
    let bytes = std::fs::read(root.join(&next.file)).map_err(|e| format!("{}: {e}", next.file))?;
    let digest = sha256_hex(&bytes);
    if digest != next.sha256 {
        return Err(format!("{}: sha256 is {digest}, but {SELECTION} pins {} for `next`", next.file, next.sha256));
    }
    let from_version = selection.upstream.version.clone();
    selection.unpinned(&next.file, &bytes, String::new());
    selection.lenient_patch = true;
    let trimmed = run(&selection, &bytes, &read(&selection.patch)?)?;
    let lock = stripe_codegen::NameLock::parse(&read("generated/names.lock")?)?;
    let (diff, markdown, _) = crate::api_diff::report_locked(
        crate::DEFAULT_SPEC,
        &read(crate::DEFAULT_SPEC)?,
        &lock,
        &next.file,
        &trimmed.text,
    )?;
    let trimmed_doc: serde_json::Value = serde_yaml::from_str(&trimmed.text).map_err(|e| e.to_string())?;
    let to_version = trimmed_doc.pointer("/info/version").and_then(serde_json::Value::as_str).unwrap_or("?");
    // the report without its title, its sections a level down
    let changes = markdown.split_once('\n').map_or("", |(_, rest)| rest).trim().replace("\n## ", "\n### ");
    let patch = if trimmed.report.skipped.is_empty() {
        "Every operation of the patch still applies.".to_owned()
    } else {
        let lines: Vec<String> = trimmed.report.skipped.iter().map(|s| format!("- {s}")).collect();
        format!(
            "These operations of `{}` no longer fit the new version (the trim would stop at them); the preview leaves them out:\n\n{}",
            selection.patch,
            lines.join("\n")
        )
    };
    let text = format!(
        "# Upgrade preview: `{from_version}` → `{to_version}`\n\n\
         What moving the crate to Stripe's `{to_version}` would change for its users: `{}` trimmed by \
         `{SELECTION}` and `{}`, compared with `{}` as `cargo xtask api-diff` compares them. Written by \
         `cargo xtask upgrade-preview`; a test keeps it current.\n\n\
         **Verdict: {}**\n\n\
         ## What the spec does not say\n\n{}\n\n\
         ## The patch\n\n{patch}\n\n\
         ## API changes\n\n{changes}\n",
        next.file,
        selection.patch,
        crate::DEFAULT_SPEC,
        diff.summary(),
        read(&next.notes)?.trim(),
    );
    Ok((next.report, text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_upgrade_preview_is_current() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(std::path::Path::new("."));
        let (path, text) = super::preview(root).unwrap_or_else(|e| panic!("{e}"));
        let committed = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        assert!(
            committed == text,
            "{path} is stale: run `cargo xtask upgrade-preview`\n{}",
            crate::write::diff_text(&path, &committed, &text)
        );
        assert!(text.contains("**Verdict: ") && text.contains("breaking"), "{text}");
    }
}
