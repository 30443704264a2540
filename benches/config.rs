//! Config benchmark: scan one template, then a generated corpus of 200 templates / modules /
//! plans / live exports, with the built-in pack, and print wall time, CPU and peak RSS.
//!
//! ```text
//! cargo bench --bench config -- [--files 200] [--threads 2] [--runs 5] [--interpreter-only]
//! ```
//!
//! `--interpreter-only` evaluates config rules on the regorus interpreter instead of the
//! bytecode VM (the default), for the before/after comparison in docs/benchmarks.md.
//!
//! The corpus is built from the repository's own fixtures (each copy renamed so resource ids and
//! paths differ): a realistic mix of CloudFormation YAML/JSON, Terraform plans and modules, and
//! live exports. Timings include everything `trailguard scan` does after loading policies:
//! discovery, parsing, adaptation, evaluation, sorting. Policy loading is timed separately.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use trailguard::contract::Severity;
use trailguard::events::bench::{cpu_time, peak_rss_kib, reset_peak_rss};
use trailguard::policy::{self, LoadOptions};
use trailguard::scan::{self, ScanOptions};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        std::fs::copy(e.path(), to.join(e.file_name()))?;
    }
    Ok(())
}

/// Write `n` inputs cycling through the fixture kinds; returns the corpus root.
fn corpus(root: &Path, n: usize) -> std::io::Result<usize> {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let templates = [
        "cloudformation/compliant.yaml",
        "cloudformation/noncompliant.yaml",
        "cloudformation/cdk-synth.json",
        "cloudformation/parameters.yaml",
        "cloudformation/sam.yaml",
    ];
    let plans = [
        "terraform/plan/compliant.json",
        "terraform/plan/noncompliant.json",
        "terraform/plan/org.json",
    ];
    let modules = [
        "terraform/hcl/compliant",
        "terraform/hcl/noncompliant",
        "terraform/hcl/advanced",
    ];
    let live = ["live/compliant", "live/stopped", "live/member-shadow"];
    let mut count = 0;
    for i in 0..n {
        let dir = root.join(format!("unit{i:03}"));
        std::fs::create_dir_all(&dir)?;
        match i % 10 {
            0..=4 => {
                let t = templates[i % templates.len()];
                let ext = if t.ends_with(".json") { "json" } else { "yaml" };
                std::fs::copy(fx.join(t), dir.join(format!("stack{i}.{ext}")))?;
            }
            5 | 6 => {
                std::fs::copy(fx.join(plans[i % plans.len()]), dir.join("plan.json"))?;
            }
            7 | 8 => copy_dir(&fx.join(modules[i % modules.len()]), &dir)?,
            _ => copy_dir(&fx.join(live[i % live.len()]), &dir)?,
        }
        count += 1;
    }
    Ok(count)
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

fn options(set: &policy::PolicySet, paths: Vec<PathBuf>, threads: usize) -> ScanOptions {
    ScanOptions {
        paths,
        fail_on: Some(Severity::Info),
        threads,
        selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
        interpreter_only: flag("--interpreter-only"),
        ..Default::default()
    }
}

fn time_scan(
    set: &policy::PolicySet,
    paths: Vec<PathBuf>,
    threads: usize,
    runs: usize,
) -> (Duration, Option<Duration>, usize, u64) {
    let opts = options(set, paths, threads);
    let mut samples = Vec::new();
    let mut findings = 0;
    let mut docs = 0;
    for _ in 0..runs {
        let cpu0 = cpu_time();
        let start = Instant::now();
        let report = scan::scan(&opts, set, Vec::new());
        let wall = start.elapsed();
        let cpu = cpu_time().zip(cpu0).map(|(a, b)| a.saturating_sub(b));
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        findings = report.findings.len();
        docs = report.summary.documents;
        samples.push((wall, cpu));
    }
    samples.sort_by_key(|s| s.0);
    let (wall, cpu) = samples[samples.len() / 2];
    (wall, cpu, findings, docs)
}

fn main() {
    let files = arg("--files", 200);
    let threads = arg("--threads", 2);
    let runs = arg("--runs", 5).max(1);
    let start = Instant::now();
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    let load = start.elapsed();
    assert!(errors.is_empty(), "{errors:?}");
    println!(
        "policy load: {:.1} ms ({} rules)",
        load.as_secs_f64() * 1e3,
        set.rules.len()
    );
    // What every scan pays once before its first document: planning the config rules and
    // compiling the VM part to bytecode.
    let start = Instant::now();
    let opts = options(&set, Vec::new(), threads);
    let prepared = scan::Prepared::new(&set, &opts);
    let on_vm = prepared.config_plan().on_vm.iter().filter(|&&v| v).count();
    println!(
        "config plan: {:.1} ms ({on_vm} of {} config rules on the VM)",
        start.elapsed().as_secs_f64() * 1e3,
        prepared.config_plan().on_vm.len()
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let n = corpus(tmp.path(), files).expect("write corpus");
    let single = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config/cloudformation/compliant.yaml");
    reset_peak_rss();
    let (wall, cpu, findings, _) = time_scan(&set, vec![single], threads, runs.max(10));
    println!(
        "single template: {:.2} ms wall, {} CPU, {findings} findings (median of {})",
        wall.as_secs_f64() * 1e3,
        cpu.map_or("n/a".into(), |c| format!("{:.2} ms", c.as_secs_f64() * 1e3)),
        runs.max(10)
    );
    let (wall, cpu, findings, docs) =
        time_scan(&set, vec![tmp.path().to_path_buf()], threads, runs);
    println!(
        "corpus of {n} inputs ({docs} documents): {:.1} ms wall, {} CPU, {findings} findings, {threads} threads (median of {runs}); peak RSS {}",
        wall.as_secs_f64() * 1e3,
        cpu.map_or("n/a".into(), |c| format!("{:.1} ms", c.as_secs_f64() * 1e3)),
        peak_rss_kib().map_or("n/a".into(), |k| format!("{:.1} MB", k as f64 / 1024.0)),
    );
}
