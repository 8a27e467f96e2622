//! `cargo xtask codegen` as a maintainer runs it: the checked-in crate is fresh, a stale one
//! fails with a diff, and no failure, however late, leaves the generated directory half-written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args).current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = root().join("target").join("xtask-tests").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` with a digest of its bytes (FNV-1a), so failures print readably.
fn tree(dir: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let digest = std::fs::read(&p)
                    .unwrap()
                    .iter()
                    .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), digest);
            }
        }
    }
    out
}

/// A scratch directory with a new crate generated from the Session spec in `client/`.
fn new_crate(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let out_dir = dir.join("client");
    let out = xtask(&["codegen", "--out", out_dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("11 operations"), "{}", text(&out.stdout));
    (dir, out_dir)
}

fn session_spec() -> String {
    std::fs::read_to_string(root().join("spec/financial_connections_session.yaml")).unwrap()
}

#[test]
fn checked_in_generated_crate_is_fresh() {
    let out = xtask(&["codegen", "--check"], &[]);
    assert!(
        out.status.success(),
        "generated/ is stale: run `cargo xtask codegen` and commit the result\n{}",
        text(&out.stderr)
    );
}

/// The spec codegen reads is what `cargo xtask trim` makes of the vendored upstream, the
/// selection and the patch; with the freshness test above, the generated crate is the trimmed
/// upstream's (the golden test of the maintainer loop).
#[test]
fn the_spec_is_the_trim_of_upstream() {
    let out = xtask(&["trim", "--check"], &[]);
    assert!(
        out.status.success(),
        "spec/ is stale: run `cargo xtask trim` and commit the result\n{}",
        text(&out.stderr)
    );
    let report = text(&out.stdout);
    assert!(report.contains("expandable field kept as its id (untyped customer)"), "{report}");
    assert!(!report.contains("changes nothing"), "a patch operation is redundant:\n{report}");
}

/// A spec edited by hand instead of through the selection or the patch fails the check.
#[test]
fn trim_check_fails_on_a_hand_edited_spec() {
    let copy = checkout_copy("trim");
    let edited = session_spec().replace("Unique identifier for the object.", "Edited by hand.");
    std::fs::write(copy.join("spec/financial_connections_session.yaml"), edited).unwrap();
    let run = |args: &[&str]| xtask_in(&copy, args);
    let out = run(&["trim", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stderr);
    assert!(
        diff.lines().any(|l| l.starts_with('-') && l.trim_end().ends_with("description: Edited by hand.")),
        "{diff}"
    );
    assert!(text(&out.stderr).contains("run `cargo xtask trim`"), "{}", text(&out.stderr));
    let out = run(&["trim"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(copy.join("spec/financial_connections_session.yaml")).unwrap(), session_spec());

    // a changed upstream is refused until its pin is updated; a truncated one is called so
    let upstream = "spec/upstream/spec3-2026-08-26.dahlia.financial_connections.json";
    let whole = std::fs::read_to_string(copy.join(upstream)).unwrap();
    std::fs::write(copy.join(upstream), format!("{whole}\n")).unwrap();
    let out = run(&["trim", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("{upstream}: sha256 is ")), "{}", text(&out.stderr));
    std::fs::write(copy.join(upstream), &whole[..whole.len() / 2]).unwrap();
    let out = run(&["trim", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("error: {upstream} is truncated: its JSON ends early")),
        "{}",
        text(&out.stderr)
    );
}

/// The release check in a git checkout of its own: a change that breaks users' code needs
/// the minor version bumped (0.x), and then the report becomes the CHANGELOG entry.
#[test]
fn the_release_check_asks_for_the_bump_the_change_needs() {
    let copy = checkout_copy("release");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(&copy)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "release 0.1.0"]);
    git(&["tag", "v0.1.0"]);
    let run = |args: &[&str]| xtask_in(&copy, args);
    // nothing changed: nothing to bump
    let out = run(&["api-diff", "--since", "v0.1.0", "--check-version"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no change"), "{}", text(&out.stdout));

    // an account's `institution_name` becomes nullable: every reader of it breaks
    let spec = copy.join("spec/financial_connections_session.yaml");
    let edited = session_spec().replace(
        "          description: The name of the institution that holds this account.\n",
        "          description: The name of the institution that holds this account.\n          nullable: true\n",
    );
    assert_ne!(edited, session_spec());
    std::fs::write(&spec, edited).unwrap();
    let out = run(&["api-diff", "--since", "v0.1.0", "--check-version"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(
        report.contains("`Account::institution_name`: `String` → `Option<String>`: may be absent or null now"),
        "{report}"
    );
    assert!(text(&out.stderr).contains("set version = \"0.2.0\""), "{}", text(&out.stderr));

    let manifest = std::fs::read_to_string(copy.join("generated/Cargo.toml")).unwrap();
    std::fs::write(
        copy.join("generated/Cargo.toml"),
        manifest.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1),
    )
    .unwrap();
    let out = run(&["api-diff", "--since", "v0.1.0", "--check-version"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let changelog = std::fs::read_to_string(copy.join("generated/CHANGELOG.md")).unwrap();
    let entry = changelog.find("## 0.2.0").expect("a CHANGELOG entry");
    assert!(entry < changelog.find("## 0.1.0").unwrap(), "the newest entry comes first:\n{changelog}");
    assert!(changelog.contains("### Breaking\n\n- `Account::institution_name`"), "{changelog}");
}

#[test]
fn check_fails_with_a_readable_diff_when_the_spec_changes() {
    let dir = scratch("stale");
    let spec = dir.join("edited.yaml");
    let edited = session_spec().replace("Unique identifier for the object.", "The session's id, edited.");
    std::fs::write(&spec, edited).unwrap();
    let out = xtask(&["codegen", "--check", "--spec", spec.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("-    /// Unique identifier for the object."), "{err}");
    assert!(err.contains("+    /// The session's id, edited."), "{err}");
    assert!(err.contains("--- a/financial_connections/session.rs"), "{err}");
    assert!(err.contains("run `cargo xtask codegen`"), "{err}");
}

/// Copies `from` into `to`, files and directories, leaving out `target/` and `.git/`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let name = e.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// A copy of this checkout (its manifest, spec/, generated/ and xtask/) in a scratch directory.
fn checkout_copy(name: &str) -> PathBuf {
    let copy = scratch(name).join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(root().join("Cargo.toml"), copy.join("Cargo.toml")).unwrap();
    for part in ["spec", "generated", "xtask"] {
        copy_tree(&root().join(part), &copy.join(part));
    }
    copy
}

/// xtask run in `checkout` as `cargo run` there would run it.
fn xtask_in(checkout: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(checkout)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .unwrap()
}

/// One xtask binary serving two checkouts (a shared `CARGO_TARGET_DIR`, where cargo takes the
/// first checkout's binary as fresh for a copy with older files) works on the checkout it is
/// run in, never on the one it was compiled in: a stale copy fails its check, and a run writes
/// into the copy.
#[test]
fn xtask_works_on_the_checkout_it_runs_in() {
    let copy = checkout_copy("checkout");
    let spec = copy.join("spec/financial_connections_session.yaml");
    std::fs::write(&spec, session_spec().replace("Unique identifier for the object.", "Edited in the copy.")).unwrap();
    let run_in_copy = |args: &[&str], manifest_dir: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(args).current_dir(&copy);
        match manifest_dir {
            // as `cargo run` in the copy sets it
            Some(dir) => cmd.env("CARGO_MANIFEST_DIR", dir),
            // the binary run directly
            None => cmd.env_remove("CARGO_MANIFEST_DIR"),
        };
        cmd.output().unwrap()
    };
    for manifest_dir in [Some(copy.join("xtask")), None] {
        let out = run_in_copy(&["codegen", "--check"], manifest_dir.as_deref());
        assert_eq!(out.status.code(), Some(1), "the copy is stale: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains("+    /// Edited in the copy."), "{}", text(&out.stderr));
    }
    let out = run_in_copy(&["codegen"], Some(&copy.join("xtask")));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(copy.join("generated/src/generated/financial_connections/session.rs"));
    assert!(written.unwrap().contains("Edited in the copy."));
    let ours = std::fs::read_to_string(root().join("generated/src/generated/financial_connections/session.rs"));
    assert!(!ours.unwrap().contains("Edited in the copy."), "the run wrote into the checkout xtask was built in");

    // outside any checkout: one clear error, nothing written
    let outside = std::env::temp_dir().join(format!("xtask-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(&outside)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is not inside this project's workspace"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir(&outside);
}

#[test]
fn writes_a_new_crate_then_leaves_it_intact_when_a_run_fails() {
    let (dir, out_dir) = new_crate("atomic");
    // a crate of its own that depends on the runtime crate, not a copy of it
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("stripe-runtime = { path = "), "{manifest}");
    assert!(!out_dir.join("src/client.rs").exists());
    let generated = out_dir.join("src/generated");
    let before = tree(&out_dir);
    assert!(before.len() > 5, "manifest, lib.rs and generated files: {:?}", before.keys());

    // a spec edit, and a write that dies after the first file: nothing changes
    let spec = dir.join("edited.yaml");
    std::fs::write(&spec, session_spec().replace("Unique identifier for the object.", "Edited.")).unwrap();
    let out = xtask(
        &["codegen", "--spec", spec.to_str().unwrap(), "--out", out_dir.to_str().unwrap()],
        &[("XTASK_FAIL_AFTER_FILES", "1")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("failing after 2 files"), "{}", text(&out.stderr));
    assert_eq!(tree(&out_dir), before, "a failed write changed the crate");

    // a spec that fails late (its last operation is broken): nothing changes either
    let broken =
        session_spec().replace("name: session\n        required: true", "name: sesion\n        required: true");
    assert_ne!(broken, session_spec());
    std::fs::write(&spec, broken).unwrap();
    let out = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out_dir.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("path parameter `sesion` does not appear in path"), "{}", text(&out.stderr));
    assert_eq!(tree(&out_dir), before, "a spec that fails late changed the crate");

    // a run killed between its two renames is repaired by the next run
    std::fs::rename(&generated, out_dir.join("src/.generated.old")).unwrap();
    let out = xtask(&["codegen", "--out", out_dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(tree(&out_dir), before);

    // files the generator no longer emits are removed by a successful run
    std::fs::write(generated.join("stale.rs"), "// left over").unwrap();
    let out = xtask(&["codegen", "--out", out_dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!generated.join("stale.rs").exists());
    assert_eq!(tree(&out_dir), before);
}

#[test]
fn a_missing_or_unreadable_spec_is_one_clear_error() {
    let out = xtask(&["codegen", "--check", "--spec", "spec/nope.yaml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("missing_spec", text(&out.stderr));

    // a directory where a file should be cannot be read either
    let out = xtask(&["codegen", "--check", "--spec", "spec"], &[]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("unreadable_spec", text(&out.stderr));
}

#[test]
fn unknown_arguments_are_refused_with_usage() {
    let out = xtask(&["codegen", "--frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("usage: cargo xtask codegen"), "{}", text(&out.stderr));
}

#[test]
fn the_manifest_features_are_generated_checked_and_never_half_written() {
    let (dir, out_dir) = new_crate("features");
    let manifest_path = out_dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let session = "financial_connections_session = [\"financial_connections_account\"]\n";
    assert!(manifest.contains(session), "{manifest}");
    let before = tree(&out_dir);

    // a hand edit between the markers is stale: --check shows it, a run puts it back
    std::fs::write(&manifest_path, manifest.replace(session, "financial_connections_session = []\n")).unwrap();
    let out = xtask(&["codegen", "--check", "--out", out_dir.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("--- a/Cargo.toml"), "{err}");
    assert!(err.contains(&format!("+{session}")), "{err}");
    let out = xtask(&["codegen", "--out", out_dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(tree(&out_dir), before);

    // without the markers the run stops before writing anything, and says what to add
    let unmarked = manifest.replace("# @generated features: begin\n", "");
    std::fs::write(&manifest_path, &unmarked).unwrap();
    let spec = dir.join("edited.yaml");
    std::fs::write(&spec, session_spec().replace("Unique identifier for the object.", "Edited.")).unwrap();
    let out = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out_dir.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("Cargo.toml: no generated features section"), "{err}");
    assert!(err.contains("`# @generated features: begin`"), "{err}");
    std::fs::write(&manifest_path, &manifest).unwrap();
    assert_eq!(tree(&out_dir), before, "a run that stopped changed the crate");
}

/// `parse-baseline`, the generator's speed baseline as a process, parses and says what.
#[test]
fn the_parse_baseline_parses_the_spec_and_nothing_else() {
    let baseline =
        |spec: &str| Command::new(env!("CARGO_BIN_EXE_parse-baseline")).arg(spec).current_dir(root()).output().unwrap();
    let out = baseline("spec/financial_connections_session.yaml");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("spec/financial_connections_session.yaml: 11 paths, 24 schemas parsed"),
        "{}",
        text(&out.stdout)
    );
    let out = baseline("spec/nope.yaml");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("spec/nope.yaml: cannot read the spec"), "{}", text(&out.stderr));
}

/// `cargo xtask bench` prints every figure the README reports (the figures themselves are not
/// asserted: timing goals live in benchmarks, not tests). `--as-built`: this test's debug
/// build, not a release build of xtask (a minute of CI for figures nobody reads).
#[test]
fn bench_prints_every_stage_cpu_time_and_memory() {
    let out = xtask(&["bench", "--spec", "spec/financial_connections_session.yaml", "--runs", "1", "--as-built"], &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}{stdout}", text(&out.stderr));
    for line in [
        "baseline: serde_yaml",
        "load (",
        "lower (",
        "emit+render (",
        "total = ",
        "CPU time, all threads",
        "output: ",
        "peak memory",
    ] {
        assert!(stdout.contains(line), "no `{line}` in:\n{stdout}");
    }
}

/// `cargo xtask trim --check | head -1`: a reader that goes away ends what is printed, not the
/// command, which finishes its work quietly (no panic about a broken pipe) with its own status.
#[test]
fn a_closed_stdout_ends_the_output_quietly() {
    for args in [["trim", "--check"], ["codegen", "--check"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("xtask runs");
        drop(child.stdout.take()); // the reader is gone before the first line
        let out = child.wait_with_output().expect("xtask ends");
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
    }
}
