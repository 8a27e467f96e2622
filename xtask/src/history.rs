//! `cargo xtask history DIR`: the test data of the reports over Stripe's history, remade. Each
//! of Stripe's published specs in [`VERSIONS`] (from `DIR`, the newest from
//! `spec/upstream/spec3.yaml`) is trimmed by the current selection, without the patch (what
//! Stripe published, not what the documentation adds), what an older spec lacks of the
//! selection left out; the results are `xtask/tests/history/spec3-<version>.yaml`. The test
//! below reports the API changes between consecutive versions, names carried from each to the
//! next as the lock carries them.

use crate::trim::{Selection, Trimmed, run};
use std::path::Path;
use std::process::ExitCode;

/// The published versions of `openapi/spec3.yaml` the reports go over, oldest first: the ones
/// where the Financial Connections endpoints first appear and change (see
/// `spec/upstream/README.md`). The newest is the vendored `spec/upstream/spec3.yaml`.
pub(crate) const VERSIONS: [&str; 6] = ["v136", "v137", "v202", "v214", "v475", "v524"];

/// Where the trimmed versions are kept.
const DIR: &str = "xtask/tests/history";

pub(crate) fn history(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let [from] = args else {
        return Err(format!(
            "history needs the directory that holds Stripe's spec3-{}.yaml … spec3-{}.yaml\n\n{}",
            VERSIONS[0],
            VERSIONS[VERSIONS.len() - 2],
            crate::USAGE
        ));
    };
    for version in VERSIONS {
        let name = file_name(version);
        let source = if version == VERSIONS[VERSIONS.len() - 1] {
            root.join(crate::UPSTREAM_SPEC)
        } else {
            Path::new(from).join(&name)
        };
        let bytes = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        let trimmed = trim(root, &name, &bytes)?;
        let lacking: Vec<String> = trimmed.report.lacking.iter().map(|(list, e)| format!("{list} `{e}`")).collect();
        let out = root.join(DIR).join(&name);
        crate::write::replace_file(&out, &trimmed.text).map_err(|e| format!("{}: {e}", out.display()))?;
        crate::say!(
            "{DIR}/{name}: {} operations, {} schemas{}",
            trimmed.operations,
            trimmed.schemas,
            if lacking.is_empty() { String::new() } else { format!("; it lacks {}", lacking.join(", ")) }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn file_name(version: &str) -> String {
    format!("spec3-{version}.yaml")
}

/// A published spec trimmed as the history keeps it: the current selection, no patch, what the
/// spec lacks of the selection left out.
fn trim(root: &Path, name: &str, bytes: &[u8]) -> Result<Trimmed, String> {
    let text = std::fs::read_to_string(root.join(crate::trim::SELECTION))
        .map_err(|e| format!("{}: {e}", crate::trim::SELECTION))?;
    let mut selection = Selection::parse(&text)?;
    selection.unpinned(name, bytes, format!("{DIR}/{name}"));
    selection.older = true;
    run(&selection, bytes, "[]").map_err(|e| format!("{name}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{DIR, VERSIONS, file_name, trim};
    use crate::api_diff::report_locked;
    use std::path::Path;
    use stripe_codegen::NameLock;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
    }

    fn read(version: &str) -> String {
        let path = root().join(DIR).join(file_name(version));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn reports_over_stripes_history() {
        let mut lock = NameLock::default();
        let mut all = String::new();
        for pair in VERSIONS.windows(2) {
            let (from, to) = (file_name(pair[0]), file_name(pair[1]));
            let (_, markdown, next) = report_locked(&from, &read(pair[0]), &lock, &to, &read(pair[1]))
                .unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
            insta::assert_snapshot!(format!("history_{}_{}", pair[0], pair[1]), markdown);
            all.push_str(&markdown);
            lock = next;
        }
        // the history covers the whole selection Stripe had: accounts, their owners, events
        for item in ["`ListAccounts`: new request", "`ListAccountOwners`: new request", "`Event`: new type"] {
            assert!(all.contains(item), "the reports never say {item}");
        }
    }

    /// The data is what `cargo xtask history` makes with the current selection: the newest
    /// version, vendored, is remade here; the older ones need Stripe's files (`DIR` of the
    /// command), which the repository does not hold.
    #[test]
    fn the_history_data_is_the_current_selections() {
        let bytes = std::fs::read(root().join(crate::UPSTREAM_SPEC)).unwrap_or_default();
        let newest = VERSIONS[VERSIONS.len() - 1];
        let trimmed = trim(root(), &file_name(newest), &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(trimmed.text, read(newest), "run `cargo xtask history <dir of Stripe's specs>`");
    }
}
