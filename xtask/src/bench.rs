//! `cargo xtask bench`: times each stage of the generator on a spec and prints the figures.
//!
//! Each stage runs `--runs` times (default 5) and the median is reported, in milliseconds and
//! as a ratio to the baseline measured in the same run (shared machines are noisy; ratios
//! hold): parsing alone, `serde_yaml` straight into `openapiv3::OpenAPI`, on one thread. The
//! generator's own `load` stage does more (it refuses duplicate keys and names where an error
//! is) but parses a large spec on every core, so it is reported on its own line. The stages'
//! times are wall-clock; the CPU time of all threads (`/proc/self/stat`, in ticks of 10 ms) is
//! reported beside them, for the work done. Peak memory is the process's high-water mark of
//! resident memory (`VmHWM`).
//! Figures of an unoptimised generator mean nothing, and the dev profile is unoptimised (it
//! keeps a cold `cargo xtask codegen --check` quick), so a debug build of xtask runs the bench
//! through `cargo run --release` ([`in_release`]) unless told `--as-built` (xtask's own test of
//! what the bench prints, which needs no figures worth reading).

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Runs `cargo xtask bench ARGS` again, built with `--release`, in the workspace at `root`.
pub(crate) fn in_release(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: building xtask with --release (the figures of a debug build mean nothing)");
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench"])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo for the release build of the bench: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Timings of one run through the pipeline.
struct Run {
    /// The baseline: `serde_yaml::from_str::<openapiv3::OpenAPI>`.
    baseline: Duration,
    /// The generator's load stage (`Spec::parse`).
    parse: Duration,
    lower: Duration,
    /// Emit alone, on one thread.
    emit: Duration,
    /// Render alone, on one thread.
    render: Duration,
    /// Emit and render as `generate` runs them: together, on every core.
    emit_render: Duration,
    /// CPU time of all threads during the baseline, and during load, lower and emit+render.
    baseline_cpu: Option<Duration>,
    total_cpu: Option<Duration>,
}

pub(crate) fn bench(spec_path: &str, runs: usize) -> Result<String, String> {
    let text = std::fs::read_to_string(spec_path).map_err(|e| format!("{spec_path}: cannot read the spec: {e}"))?;
    let mut all = Vec::with_capacity(runs);
    let mut stats = None;
    for _ in 0..runs.max(1) {
        let (t, cpu) = (Instant::now(), cpu_time());
        let parsed: Result<openapiv3::OpenAPI, _> = serde_yaml::from_str(&text);
        let (baseline, baseline_cpu) = (t.elapsed(), since(cpu));
        drop(parsed.map_err(|e| format!("{spec_path}: {e}"))?);
        let (t, cpu) = (Instant::now(), cpu_time());
        let spec = stripe_codegen::Spec::parse(spec_path, &text).map_err(|e| e.to_string())?;
        let parse = t.elapsed();
        let t = Instant::now();
        let api = spec.lower(&stripe_codegen::NameLock::default()).map_err(|e| e.to_string())?;
        let (lower, load_lower_cpu) = (t.elapsed(), since(cpu));
        let t = Instant::now();
        let trees = stripe_codegen::stages::emit(&api);
        let emit = t.elapsed();
        let t = Instant::now();
        let output = stripe_codegen::stages::render_trees(spec_path, &api, trees);
        let render = t.elapsed();
        let (t, cpu) = (Instant::now(), cpu_time());
        let parallel = stripe_codegen::render(spec_path, &api, None).map_err(|e| e.to_string())?;
        let (emit_render, emit_render_cpu) = (t.elapsed(), since(cpu));
        let total_cpu = load_lower_cpu.zip(emit_render_cpu).map(|(a, b)| a + b);
        if parallel != output {
            return Err("the parallel and the sequential renderer disagree".to_owned());
        }
        stats = Some(output.stats);
        all.push(Run { baseline, parse, lower, emit, render, emit_render, baseline_cpu, total_cpu });
    }
    let median = |f: &dyn Fn(&Run) -> Duration| {
        let mut v: Vec<Duration> = all.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let baseline = median(&|r| r.baseline);
    let parse = median(&|r| r.parse);
    let lower = median(&|r| r.lower);
    let emit = median(&|r| r.emit);
    let render = median(&|r| r.render);
    let emit_render = median(&|r| r.emit_render);
    let total = median(&|r| r.parse + r.lower + r.emit_render);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let stats = stats.unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration| ms(d) / ms(baseline).max(f64::EPSILON);
    let mut out = format!("spec: {spec_path} ({} bytes), median of {} runs\n", text.len(), all.len());
    out.push_str("stage                                  ms  × baseline\n");
    let emit_render_name = format!("emit+render ({threads} threads)");
    for (name, d) in [
        ("baseline: serde_yaml → openapiv3", baseline),
        ("load (parse on every core, checks)", parse),
        ("lower (incl. naming, modules)", lower),
        ("emit (1 thread)", emit),
        ("render (1 thread)", render),
        (emit_render_name.as_str(), emit_render),
        ("total = load+lower+emit+render", total),
    ] {
        out.push_str(&format!("{name:<35} {:>7.1}  {:>6.2}\n", ms(d), ratio(d)));
    }
    let cpu = |f: &dyn Fn(&Run) -> Option<Duration>| {
        let mut v: Vec<Duration> = all.iter().filter_map(f).collect();
        v.sort();
        v.get(v.len() / 2).copied()
    };
    if let (Some(base), Some(total)) = (cpu(&|r| r.baseline_cpu), cpu(&|r| r.total_cpu)) {
        out.push_str(&format!(
            "CPU time, all threads: baseline {:.0} ms, generator {:.0} ms ({:.2} × the baseline's)\n",
            ms(base),
            ms(total),
            ms(total) / ms(base).max(f64::EPSILON)
        ));
    }
    out.push_str(&format!(
        "output: {} types, {} operations, {} files, {} lines\n",
        stats.types, stats.operations, stats.files, stats.lines
    ));
    match peak_memory_kib() {
        Some(kib) => out.push_str(&format!("peak memory (VmHWM): {:.1} MiB\n", kib as f64 / 1024.0)),
        None => out.push_str("peak memory: not available on this platform\n"),
    }
    Ok(out)
}

/// CPU time of all the process's threads so far, from `/proc/self/stat` (Linux; `utime` and
/// `stime`, in ticks of 1/100 s, the `USER_HZ` Linux reports to user space).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// CPU time since `start`.
fn since(start: Option<Duration>) -> Option<Duration> {
    Some(cpu_time()?.saturating_sub(start?))
}

/// The process's peak resident set size in KiB, from `/proc/self/status` (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
