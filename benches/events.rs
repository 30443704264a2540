//! Event benchmark: generate (or reuse) a realistic CloudTrail archive, then print records/s and
//! MB/s for (a) the floor — read + decompress + header parse with rayon over files, no rules —
//! and (b) the full built-in pack through the real scan pipeline (discovery, prefilter, RVM,
//! findings), plus CPU per record and peak RSS.
//!
//! ```text
//! cargo bench --bench events -- --records 1000000 [--dir DIR] [--threads 2]
//!     [--seed 1] [--runs 3] [--reuse] [--only floor|pack]
//!     [--input gzip|json]
//! ```
//!
//! `--reuse` keeps an archive already generated in DIR with the same records and seed. The
//! archive is read from the page cache (it was just written or read): the numbers are CPU cost,
//! not disk speed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use trailguard::contract::Severity;
use trailguard::events::ReadOptions;
use trailguard::events::bench::{Throughput, peak_rss_kib, read_parallel, reset_peak_rss};
use trailguard::events::generate::{Archive, generate_archive, open_archive};
use trailguard::policy::{self, LoadOptions};
use trailguard::scan::{self, ScanOptions};

struct Args {
    records: u64,
    dir: Option<PathBuf>,
    threads: usize,
    seed: u64,
    runs: usize,
    reuse: bool,
    /// Run only the floor or only the full pack (`None`: both).
    only: Option<String>,
    /// Measure only one of the two copies of the archive (`None`: both).
    input: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        records: 1_000_000,
        dir: None,
        threads: 2,
        seed: 1,
        runs: 3,
        reuse: false,
        only: None,
        input: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        // `cargo bench` passes `--bench` to harness-less benchmarks.
        if flag == "--bench" {
            continue;
        }
        if flag == "--reuse" {
            args.reuse = true;
            continue;
        }
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--records" => args.records = number()?,
            "--threads" => args.threads = number()? as usize,
            "--seed" => args.seed = number()?,
            "--runs" => args.runs = number()?.max(1) as usize,
            "--dir" => args.dir = Some(PathBuf::from(&value)),
            "--only" if value == "floor" || value == "pack" => args.only = Some(value),
            "--input" if value == "gzip" || value == "json" => args.input = Some(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    // As the binary does (`src/main.rs`).
    trailguard::allocator::keep_freed_memory();
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench events: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = args.dir.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "target/bench-events-{}-{}",
            args.records, args.seed
        ))
    });
    let archive = match prepare(&args, &dir) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "bench_events: cannot prepare the archive in {}: {e}",
                dir.display()
            );
            return ExitCode::from(2);
        }
    };
    println!(
        "archive: {} records in {} files, {:.1} MB JSON ({:.0} B/record), {:.1} MB gzip ({:.1}:1)",
        archive.records,
        archive.gz_files.len(),
        archive.json_bytes as f64 / 1e6,
        archive.json_bytes as f64 / archive.records.max(1) as f64,
        archive.gz_bytes as f64 / 1e6,
        archive.json_bytes as f64 / archive.gz_bytes.max(1) as f64,
    );
    println!(
        "floor: read + decompress + header parse, no rules; {} threads, median of {} runs",
        args.threads, args.runs
    );
    println!(
        "{:<6} {:>6} {:>10} {:>9} {:>8} {:>12} {:>9} {:>12} {:>12}",
        "input",
        "files",
        "records",
        "MB",
        "seconds",
        "records/s",
        "MB/s",
        "CPU µs/rec",
        "peak RSS MB"
    );
    let opts = ReadOptions::default();
    let floor_inputs = match args.only.as_deref() {
        Some("pack") => vec![],
        _ => inputs(&args, &archive),
    };
    for (label, files) in floor_inputs {
        let mut runs = Vec::new();
        let mut peak = None;
        for _ in 0..args.runs {
            let resettable = reset_peak_rss();
            match read_parallel(files, args.threads, &opts, || (), |_, _| 0) {
                Ok(t) => runs.push(t),
                Err(e) => {
                    eprintln!("bench events: {e}");
                    return ExitCode::from(2);
                }
            }
            if resettable {
                peak = peak.max(peak_rss_kib());
            }
        }
        runs.sort_by_key(|t| t.elapsed);
        let t: Throughput = runs[runs.len() / 2];
        if t.failures > 0 || t.records != archive.records {
            eprintln!(
                "bench_events: {label}: {} failures, {} of {} records",
                t.failures, t.records, archive.records
            );
            return ExitCode::from(1);
        }
        println!(
            "{label:<6} {:>6} {:>10} {:>9.1} {:>8.3} {:>12.0} {:>9.1} {:>12} {:>12}",
            t.files,
            t.records,
            t.bytes_decoded as f64 / 1e6,
            t.elapsed.as_secs_f64(),
            t.records_per_sec(),
            t.mb_per_sec(),
            t.cpu_us_per_record()
                .map_or("n/a".to_string(), |us| format!("{us:.2}")),
            peak.map_or("n/a".to_string(), |kib| format!(
                "{:.1}",
                kib as f64 / 1024.0
            )),
        );
    }
    if args.only.as_deref() == Some("floor") {
        return ExitCode::SUCCESS;
    }
    if let Err(e) = full_pack(&args, &archive) {
        eprintln!("bench events: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The whole built-in pack through `scan::scan`, exactly what `trailguard scan DIR` runs
/// (policy loading excluded: it happens once per process, not per record).
fn full_pack(args: &Args, archive: &Archive) -> Result<(), String> {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    if !errors.is_empty() {
        return Err(format!("policy load errors: {errors:?}"));
    }
    let event_rules = set
        .rules
        .iter()
        .filter(|r| r.desc.kind == trailguard::contract::RuleKind::Event)
        .count();
    println!(
        "full pack: {event_rules} event rules (+ config rules, idle here), prefilter + RVM; {} threads, median of {} runs",
        args.threads, args.runs
    );
    for (label, files) in inputs(args, archive) {
        let opts = ScanOptions {
            paths: files.clone(),
            fail_on: Some(Severity::Info),
            threads: args.threads,
            selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
            // What `trailguard scan` lists by default: every finding is counted, the first
            // 1,000 per rule are kept for the report.
            max_findings_per_rule: trailguard::cli::DEFAULT_MAX_FINDINGS_PER_RULE,
            ..Default::default()
        };
        let mut runs = Vec::new();
        let mut peak = None;
        let mut findings = (0, 0);
        for _ in 0..args.runs {
            let resettable = reset_peak_rss();
            let cpu0 = trailguard::events::bench::cpu_time();
            let start = Instant::now();
            let report = scan::scan(&opts, &set, Vec::new());
            let elapsed = start.elapsed();
            let cpu = trailguard::events::bench::cpu_time()
                .zip(cpu0)
                .map(|(a, b)| a.saturating_sub(b));
            let ev = report.summary.events.clone().unwrap_or_default();
            if ev.records_read != archive.records || !report.errors.is_empty() {
                return Err(format!(
                    "{label}: read {} of {} records, {} errors",
                    ev.records_read,
                    archive.records,
                    report.errors.len()
                ));
            }
            let unlisted = report.summary.not_listed.as_ref().map_or(0, |n| n.total());
            findings = (
                report.findings.len(),
                report.findings.len() + unlisted as usize,
            );
            if resettable {
                peak = peak.max(peak_rss_kib());
            }
            runs.push((elapsed, cpu));
        }
        runs.sort_by_key(|r| r.0);
        let (elapsed, cpu) = runs[runs.len() / 2];
        let secs = elapsed.as_secs_f64();
        let mb = archive.json_bytes as f64 / 1e6;
        println!(
            "{label:<6} {:>6} {:>10} {:>9.1} {:>8.3} {:>12.0} {:>9.1} {:>12} {:>12}   {} findings ({} listed)",
            files.len(),
            archive.records,
            mb,
            secs,
            archive.records as f64 / secs,
            mb / secs,
            cpu.map_or("n/a".to_string(), |c| format!(
                "{:.2}",
                c.as_secs_f64() * 1e6 / archive.records as f64
            )),
            peak.map_or("n/a".to_string(), |kib| format!(
                "{:.1}",
                kib as f64 / 1024.0
            )),
            findings.1,
            findings.0,
        );
    }
    Ok(())
}

/// The copies of the archive `--input` selects, labelled.
fn inputs<'a>(args: &Args, archive: &'a Archive) -> Vec<(&'static str, &'a Vec<PathBuf>)> {
    [("gzip", &archive.gz_files), ("json", &archive.json_files)]
        .into_iter()
        .filter(|(label, _)| args.input.as_deref().is_none_or(|i| i == *label))
        .collect()
}

fn prepare(args: &Args, dir: &std::path::Path) -> std::io::Result<Archive> {
    if args.reuse
        && let Some(archive) = open_archive(dir, args.records, args.seed)?
    {
        println!("reusing {}", dir.display());
        return Ok(archive);
    }
    std::fs::create_dir_all(dir)?;
    let start = Instant::now();
    let archive = generate_archive(dir, args.records, args.seed)?;
    println!(
        "generated {} in {:.1} s",
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(archive)
}
