//! Project automation, run as `cargo xtask <command>`; the only code here that touches files.
//!
//! - `cargo xtask codegen [--check] [--spec PATH] [--out DIR]`: generates the client crate's
//!   `src/generated/` and its manifest's resource features from the spec. Writes are atomic
//!   (see [`mod@write`]); `--check` writes nothing and fails with a diff when either is stale.

/// The generator allocates many small strings and syntax trees; mimalloc makes the whole
/// pipeline markedly faster than the system allocator (see `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` that never panics: a closed stdout (`cargo xtask codegen | head -1`) ends what
/// is printed, not the command, which still does its work and exits with its own status.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod api_diff;
mod bench;
mod fixtures;
mod history;
mod preview;
#[cfg(test)]
mod samples;
#[cfg(test)]
mod stripe_edits;
mod trim;
mod try_specs;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub(crate) const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR]
       cargo xtask bench [--spec PATH] [--runs N] [--as-built]
       cargo xtask fixtures
       cargo xtask trim [--check] [--upstream PATH --out PATH [--no-patch]]
       cargo xtask api-diff --from REV|PATH [--to PATH] [--check-version]
       cargo xtask try-specs SPEC...
       cargo xtask history DIR
       cargo xtask upgrade-preview [--check]

  --check      compare instead of write; exit 1 with a diff when the generated code is stale
  --spec PATH  the OpenAPI 3.0 spec (default: spec/financial_connections_session.yaml)
  --out DIR    the crate to write into (default: generated/): its src/generated/ and the
               resource features between the `# @generated features` markers of its
               Cargo.toml; a directory that is not yet a crate gets a manifest that
               depends on the runtime crate (runtime/) and a lib.rs, so it builds on its own
  bench        times parse, lower, emit and render (default spec: Stripe's full spec,
               spec/upstream/spec3.yaml) and prints figures as ratios to parsing, built
               with --release; --as-built runs in the profile xtask was built with (a debug
               build's figures only show what is printed)
  fixtures     generates Stripe's full spec into target/stripe-full, builds it with no
               warnings, and round-trips every object of fixtures3.json through its type
  trim         writes the spec codegen reads (spec/financial_connections_session.yaml) from
               the vendored upstream spec, the selection spec/trim.yaml and the patch
               spec/patch.yaml; --check compares instead and exits 1 with a diff
  api-diff     what changed for users between two specs (a git rev's spec/ or a spec file,
               and spec/ or --to), as Markdown with the semver verdict; --check-version
               fails when generated/Cargo.toml's version is bumped less than the verdict
               asks (--from the last release's tag), else writes generated/CHANGELOG.md
  history      remakes xtask/tests/history/ (the API-change reports over Stripe's 2022–2023
               specs): each of Stripe's spec3-v136.yaml … spec3-v475.yaml in DIR, and the
               vendored spec3.yaml, trimmed by the current selection without the patch
  upgrade-preview
               what moving the crate to the next API version (`next` in spec/trim.yaml)
               would change for users: its upstream trimmed by the same selection and patch,
               api-diffed against spec/, with what the spec cannot say (next.notes), written
               to next.report; --check compares instead
  try-specs    generates each spec into its own crate under target/try-specs/, builds it
               with no warning allowed, and prints a table: types, requests, generator
               warnings, generate time, build time (for Stripe's older published specs)";

/// The spec and crate this repository maintains.
pub(crate) const DEFAULT_SPEC: &str = "spec/financial_connections_session.yaml";
const DEFAULT_OUT: &str = "generated";
/// Stripe's whole published spec and its sample objects, vendored (see `spec/upstream/README.md`).
pub(crate) const UPSTREAM_SPEC: &str = "spec/upstream/spec3.yaml";
const UPSTREAM_FIXTURES: &str = "spec/upstream/fixtures3.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("-h" | "--help") | None) {
        say!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match workspace_root().and_then(|root| run(&root, &args)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(root, &args[1..]),
        Some("fixtures") => {
            fixtures::fixtures(root)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("trim") => trim::trim(root, &args[1..]),
        Some("api-diff") => api_diff::api_diff(root, &args[1..]),
        Some("try-specs") => try_specs::try_specs(root, &args[1..]),
        Some("history") => history::history(root, &args[1..]),
        Some("upgrade-preview") => preview::upgrade_preview(root, &args[1..]),
        Some("bench") if cfg!(debug_assertions) && !args.iter().any(|a| a == "--as-built") => {
            bench::in_release(root, &args[1..])
        }
        Some("bench") => {
            let mut spec = root.join(UPSTREAM_SPEC).display().to_string();
            let mut runs = 5;
            let mut it = args[1..].iter();
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--spec" => spec = it.next().ok_or("--spec needs a path")?.clone(),
                    "--runs" => runs = it.next().and_then(|n| n.parse().ok()).ok_or("--runs needs a number")?,
                    "--as-built" => {}
                    other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
                }
            }
            if cfg!(debug_assertions) {
                say!("note: an unoptimised build (--as-built): these figures only show what the bench prints");
            }
            say!("{}", bench::bench(&spec, runs)?.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    }
}

struct CodegenArgs {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

fn parse_codegen_args(args: &[String], root: &Path) -> Result<CodegenArgs, String> {
    let mut parsed = CodegenArgs { check: false, spec: root.join(DEFAULT_SPEC), out: root.join(DEFAULT_OUT) };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = PathBuf::from(it.next().ok_or("--spec needs a path")?),
            "--out" => parsed.out = PathBuf::from(it.next().ok_or("--out needs a directory")?),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// The workspace this run works on, found when it runs, never fixed when xtask was compiled:
/// one binary may serve several checkouts (a shared `CARGO_TARGET_DIR` where a copy's files
/// are older than the binary makes cargo take it as fresh). `cargo run` sets
/// `CARGO_MANIFEST_DIR` to the xtask package of the checkout it runs in; run directly, the
/// nearest directory above the current one whose `Cargo.toml` has a `[workspace]` is used.
fn workspace_root() -> Result<PathBuf, String> {
    if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let manifest = PathBuf::from(manifest);
        if let Some(root) = manifest.parent().filter(|root| is_workspace(root)) {
            return Ok(root.to_path_buf());
        }
    }
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    cwd.ancestors().find(|dir| is_workspace(dir)).map(Path::to_path_buf).ok_or_else(|| {
        format!(
            "{} is not inside this project's workspace (no Cargo.toml with [workspace] above it)\n  hint: run `cargo xtask` from the project's directory",
            cwd.display()
        )
    })
}

/// Whether `dir` holds a workspace manifest that has an xtask member (this project's).
fn is_workspace(dir: &Path) -> bool {
    dir.join("xtask/Cargo.toml").is_file()
        && std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|m| m.lines().any(|l| l.trim() == "[workspace]"))
}

/// How a path is shown to the user: relative to the workspace when it is inside it.
fn display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

fn codegen(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let args = parse_codegen_args(args, root)?;
    let started = Instant::now();
    let spec_name = display(&args.spec, root);
    let text = std::fs::read_to_string(&args.spec)
        .map_err(|e| format!("{spec_name}: cannot read the spec: {e}\n  hint: pass the spec with --spec PATH"))?;
    // doc examples name the crate; a crate not made yet gets its directory's name
    let crate_name = write::library_name(&args.out).map_err(|e| format!("{}: {e}", display(&args.out, root)))?;
    // names once published stay: the crate's lock is honoured and extended
    let names = write::read_lock(&args.out)?;
    let output =
        stripe_codegen::generate(&spec_name, &text, &stripe_codegen::Options { crate_name: Some(crate_name), names })
            .map_err(|e| e.to_string())?;
    for warning in &output.warnings {
        eprintln!("warning: {spec_name}: {warning}");
    }
    let target = args.out.join("src").join("generated");
    let shown = display(&target, root);
    if args.check {
        let diff = write::check_crate(&args.out, &output)?;
        if diff.is_empty() {
            say!("{shown} is up to date with {spec_name}");
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{diff}");
        eprintln!(
            "error: {shown} is stale: it differs from what {spec_name} generates (diff above).\n  fix: run `cargo xtask codegen` and commit the result"
        );
        return Ok(ExitCode::FAILURE);
    }
    write::ensure_crate(root, &args.out).map_err(|e| format!("{}: {e}", display(&args.out, root)))?;
    let changed = write::write_crate(&args.out, &output)?;
    if let Some(summary) = api_diff::summary_since_head(root, &spec_name, &text) {
        say!("API since HEAD: {summary} (details: cargo xtask api-diff --from HEAD)");
    }
    let s = output.stats;
    say!(
        "{spec_name} → {shown}: {} types, {} operations, {} files ({} lines), {} in {} ms",
        s.types,
        s.operations,
        s.files,
        s.lines,
        if changed { "written" } else { "unchanged" },
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}
