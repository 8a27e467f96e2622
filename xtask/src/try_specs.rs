//! `cargo xtask try-specs SPEC...`: whole specs (Stripe's published ones, of any year) each
//! generated into a crate of its own under `target/try-specs/` and built with no warning
//! allowed, with a table of what it took. Slow (a build per spec), so not part of the tests;
//! the constructs that made older specs fail are in `codegen/tests/specs/published_quirks.yaml`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) fn try_specs(root: &Path, specs: &[String]) -> Result<ExitCode, String> {
    if specs.is_empty() {
        return Err("try-specs needs one or more spec paths".to_owned());
    }
    let base = root.join("target/try-specs");
    let mut rows = vec![
        "| spec | types | requests | generator warnings | generate | build | result |".to_owned(),
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |".to_owned(),
    ];
    let mut failed = 0;
    for spec in specs {
        let path = Path::new(spec);
        let stem = path.file_stem().map_or_else(|| spec.clone(), |s| s.to_string_lossy().into_owned());
        let krate = base.join(&stem);
        eprintln!("{spec}: generating into {}", krate.display());
        let (row, ok) = match try_one(root, path, &krate) {
            Ok(figures) => (figures, true),
            Err((figures, why)) => (format!("{figures} | failed: {}", why.lines().next().unwrap_or_default()), false),
        };
        if !ok {
            failed += 1;
        }
        rows.push(format!("| {stem} | {row} |"));
    }
    crate::say!("{}", rows.join("\n"));
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The figures of one spec as table cells; on failure, the cells known so far and why.
fn try_one(root: &Path, spec: &Path, krate: &Path) -> Result<String, (String, String)> {
    let text = std::fs::read_to_string(spec).map_err(|e| ("| | | |".to_owned(), format!("{}: {e}", spec.display())))?;
    crate::write::new_crate(root, krate, "").map_err(|e| ("| | | |".to_owned(), e.to_string()))?;
    let library = crate::write::library_name(krate).map_err(|e| ("| | | |".to_owned(), e.to_string()))?;
    let started = Instant::now();
    let name = spec.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let output = stripe_codegen::generate(
        &name,
        &text,
        &stripe_codegen::Options { crate_name: Some(library.clone()), ..Default::default() },
    )
    .map_err(|e| ("| | | |".to_owned(), format!("refused: {e}")))?;
    let generate = started.elapsed();
    for warning in &output.warnings {
        eprintln!("warning: {name}: {warning}");
    }
    let s = output.stats;
    let cells = format!("{} | {} | {} | {} ms", s.types, s.operations, output.warnings.len(), generate.as_millis());
    crate::write::write_crate(krate, &output).map_err(|e| (cells.clone(), e))?;
    let started = Instant::now();
    crate::fixtures::cargo(root, krate, &["build"]).map_err(|e| (cells.clone(), e))?;
    Ok(format!("{cells} | {:.1} s | builds, no warnings", started.elapsed().as_secs_f64()))
}
