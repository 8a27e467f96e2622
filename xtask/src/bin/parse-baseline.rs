//! The baseline of the generator's speed, as a process of its own: a spec read and parsed into
//! `openapiv3::OpenAPI` with serde_yaml, on the system allocator, and nothing else; time it
//! beside a whole `cargo xtask codegen` with `farm-bench` (README, Figures).
//!
//! `parse-baseline [SPEC]`, SPEC by default Stripe's full spec (`spec/upstream/spec3.yaml`).
//! Built with xtask (`cargo build --release -p xtask`); it has none of xtask's code, nor its
//! allocator (mimalloc), so that it is the plain parse the generator is measured against.

use std::process::ExitCode;

fn main() -> ExitCode {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/upstream/spec3.yaml");
    let spec = std::env::args().nth(1).unwrap_or_else(|| default.to_owned());
    match parse(&spec) {
        Ok(said) => {
            println!("{said}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What `spec` holds once parsed, in a line.
fn parse(spec: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: cannot read the spec: {e}"))?;
    let parsed: openapiv3::OpenAPI = serde_yaml::from_str(&text).map_err(|e| format!("{spec}: {e}"))?;
    let schemas = parsed.components.as_ref().map_or(0, |c| c.schemas.len());
    Ok(format!("{spec}: {} paths, {schemas} schemas parsed", parsed.paths.paths.len()))
}
