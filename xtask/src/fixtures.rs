//! `cargo xtask fixtures`: Stripe's whole spec, generated, built and tested against Stripe's
//! sample objects.
//!
//! Generates Stripe's whole spec (`spec/upstream/spec3.yaml`) into a crate in `target/stripe-full/`, writes a
//! test there that decodes every object of `fixtures3.json` whose resource has a generated type,
//! encodes it and decodes it again, and requires an equal value; then runs `cargo test` on that
//! crate and fails on any compiler warning in it. Then it checks the crate with a few
//! resource features alone ([`FEATURE_CHECKS`]), each with no warning either. Nothing is
//! written outside `target/`.

use std::path::Path;
use std::process::Command;

/// Fixtures that contradict the spec they ship with, and the decode error each must give.
/// Each is still checked: if upstream fixes one, the test fails and asks for it to be removed.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[(
    // the spec lists `billing_details` as required; the fixture's object has no such field
    "treasury.outbound_payment",
    "decode at `destination_payment_method_details`: missing field `billing_details`",
)];

/// Resource features the full crate is checked with alone (`""`: none at all): the Session
/// endpoints this repository maintains, and two resources deep in Stripe's reference cycles.
const FEATURE_CHECKS: &[&str] = &["financial_connections_session", "customer", "invoice", ""];

pub(crate) fn fixtures(root: &Path) -> Result<(), String> {
    let spec_path = root.join(crate::UPSTREAM_SPEC);
    let fixtures_path = root.join(crate::UPSTREAM_FIXTURES);
    let spec_text = std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let fixtures_text =
        std::fs::read_to_string(&fixtures_path).map_err(|e| format!("{}: {e}", fixtures_path.display()))?;
    let spec_name = crate::UPSTREAM_SPEC;
    let spec = stripe_codegen::Spec::parse(spec_name, &spec_text).map_err(|e| e.to_string())?;
    let api = spec.lower(&stripe_codegen::NameLock::default()).map_err(|e| e.to_string())?;
    let output = stripe_codegen::render(spec_name, &api, Some("stripe_full")).map_err(|e| e.to_string())?;

    let krate = root.join("target/stripe-full/stripe-full");
    // always a fresh manifest: the scratch crate outlives changes to the scaffold
    crate::write::new_crate(root, &krate, "serde_path_to_error = \"0.1.16\"\n")
        .map_err(|e| format!("{}: {e}", krate.display()))?;
    crate::write::write_crate(&krate, &output)?;

    // which generated type each fixture's resource is
    let fixtures: serde_json::Value =
        serde_json::from_str(&fixtures_text).map_err(|e| format!("fixtures3.json: {e}"))?;
    let resources = fixtures.get("resources").and_then(|r| r.as_object()).ok_or("fixtures3.json has no `resources`")?;
    let mut checks = String::new();
    let mut without_type = Vec::new();
    for name in resources.keys() {
        let ty = api.types.iter().find(|t| t.resource.as_deref() == Some(name.as_str()));
        match ty {
            // every generated item is at the crate's root
            Some(ty) => checks.push_str(&format!("    check::<stripe_full::{}>({name:?}, &mut report);\n", ty.name)),
            None => without_type.push(name.clone()),
        }
    }
    let test = format!(
        r#"//! Written by `cargo xtask fixtures`: every fixture decodes, re-encodes and decodes equal.
#![allow(missing_docs)]

use serde::{{de::DeserializeOwned, Serialize}};

const FIXTURES: &str = include_str!({fixtures:?});

struct Report {{
    resources: serde_json::Map<String, serde_json::Value>,
    passed: usize,
    failures: Vec<String>,
    /// the time of decoding each fixture that decodes `DECODE_PASSES` more times
    decoding: std::time::Duration,
    decoded: usize,
}}

/// How often each fixture is decoded again for the figure the run prints.
const DECODE_PASSES: u32 = 50;

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str, report: &mut Report) {{
    let json = report.resources[name].to_string();
    let mut de = serde_json::Deserializer::from_str(&json);
    let first: T = match serde_path_to_error::deserialize(&mut de) {{
        Ok(v) => v,
        Err(e) => return report.failures.push(format!("{{name}}: decode at `{{}}`: {{}}", e.path(), e.inner())),
    }};
    let started = std::time::Instant::now();
    for _ in 0..DECODE_PASSES {{
        std::hint::black_box(serde_json::from_str::<T>(std::hint::black_box(&json)).is_ok());
    }}
    report.decoding += started.elapsed();
    report.decoded += 1;
    let encoded = match serde_json::to_value(&first) {{
        Ok(v) => v,
        Err(e) => return report.failures.push(format!("{{name}}: encode: {{e}}")),
    }};
    match serde_path_to_error::deserialize::<_, T>(encoded) {{
        Ok(second) if second == first => report.passed += 1,
        Ok(_) => report.failures.push(format!("{{name}}: decoded again, the value differs")),
        Err(e) => report.failures.push(format!("{{name}}: decode of the re-encoded value at `{{}}`: {{}}", e.path(), e.inner())),
    }}
}}

const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &{known:?};

#[test]
fn every_fixture_round_trips() {{
    let all: serde_json::Value = serde_json::from_str(FIXTURES).expect("fixtures3.json");
    let resources = all["resources"].as_object().expect("resources").clone();
    let mut report = Report {{ resources, passed: 0, failures: Vec::new(), decoding: Default::default(), decoded: 0 }};
{checks}    let total = report.passed + report.failures.len();
    let mut unexpected = Vec::new();
    for failure in &report.failures {{
        let known = KNOWN_DISAGREEMENTS.iter().any(|(name, why)| failure.starts_with(&format!("{{name}}: {{why}}")));
        if !known {{
            unexpected.push(failure.clone());
        }}
    }}
    for (name, _) in KNOWN_DISAGREEMENTS {{
        if !report.failures.iter().any(|f| f.starts_with(&format!("{{name}}: "))) {{
            unexpected.push(format!("{{name}} now round-trips: remove it from KNOWN_DISAGREEMENTS in xtask/src/fixtures.rs"));
        }}
    }}
    println!("{{}} of {{total}} fixtures round-tripped; {{}} contradict the spec as recorded", report.passed, report.failures.len() - unexpected.len().min(report.failures.len()));
    let per_object = report.decoding.as_nanos() / (report.decoded as u128 * DECODE_PASSES as u128).max(1);
    println!("decoding: {{}} fixtures {{DECODE_PASSES}} times each in {{:.1}} ms, {{per_object}} ns per object (this build's profile)", report.decoded, report.decoding.as_secs_f64() * 1e3);
    assert!(unexpected.is_empty(), "{{}} unexpected fixture results:\n{{}}", unexpected.len(), unexpected.join("\n"));
}}
"#,
        known = KNOWN_DISAGREEMENTS,
        fixtures = fixtures_path.canonicalize().map_err(|e| e.to_string())?.display().to_string(),
    );
    std::fs::create_dir_all(krate.join("tests")).map_err(|e| e.to_string())?;
    std::fs::write(krate.join("tests/fixtures.rs"), test).map_err(|e| e.to_string())?;
    crate::say!(
        "{} fixtures have a generated type; {} have none: {}",
        resources.len() - without_type.len(),
        without_type.len(),
        without_type.join(", ")
    );

    let out = cargo(root, &krate, &["test", "--test", "fixtures", "--", "--nocapture"])?;
    crate::say!("{}", out.trim_end());
    for feature in FEATURE_CHECKS {
        cargo(root, &krate, &["check", "--no-default-features", "--features", feature])?;
        match *feature {
            "" => crate::say!("checked with no resource feature: no warnings"),
            feature => crate::say!("checked with only the feature `{feature}`: no warnings"),
        }
    }
    Ok(())
}

/// The target directory every crate xtask generates outside the workspace builds in (the
/// fixtures', try-specs', and the conformance test's, which names the same path): their
/// dependencies, the runtime's among them, are compiled once for all of them. Not the
/// workspace's own: a `cargo test` of the workspace holds that one's lock while the
/// conformance test builds.
pub(crate) const GENERATED_CRATES_TARGET: &str = "target/generated-crates";

/// Runs cargo in a generated crate (in [`GENERATED_CRATES_TARGET`] under `root`) and returns
/// what it printed; fails on a failed run or on any warning in the crate.
pub(crate) fn cargo(root: &Path, krate: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(&args[..1])
        .args(["--offline", "--message-format", "short"])
        .args(&args[1..])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", root.join(GENERATED_CRATES_TARGET))
        // as the conformance test builds, so that the dependencies compiled for one serve all
        // (rustc flags are part of every artifact's identity); warnings are errors besides
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // `--message-format short`: one `path:line:col: warning: ...` line per warning
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains(": warning:")).collect();
    let command = format!("cargo {}", args.join(" "));
    if !out.status.success() {
        return Err(format!("`{command}` in {} failed:\n{stderr}", krate.display()));
    }
    if !warnings.is_empty() {
        return Err(format!(
            "`{command}`: {} compiles with {} warnings:\n{}",
            krate.display(),
            warnings.len(),
            warnings.join("\n")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
