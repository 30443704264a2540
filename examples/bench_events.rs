//! Event-reading floor benchmark: generate (or reuse) a realistic CloudTrail archive, then read
//! it with rayon over files and print records/s and MB/s for read + decompress + header parse,
//! with no rules, plus peak RSS.
//!
//! ```text
//! cargo run --release --example bench_events -- --records 1000000 [--dir DIR] [--threads 2]
//!     [--seed 1] [--runs 3] [--reuse]
//! ```
//!
//! `--reuse` keeps an archive already generated in DIR with the same records and seed. The
//! archive is read from the page cache (it was just written or read): the numbers are CPU cost,
//! not disk speed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use trailguard::events::ReadOptions;
use trailguard::events::bench::{Throughput, peak_rss_kib, read_parallel, reset_peak_rss};
use trailguard::events::generate::{Archive, generate_archive, open_archive};

struct Args {
    records: u64,
    dir: Option<PathBuf>,
    threads: usize,
    seed: u64,
    runs: usize,
    reuse: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        records: 1_000_000,
        dir: None,
        threads: 2,
        seed: 1,
        runs: 3,
        reuse: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
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
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench_events: {e}");
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
    for (label, files) in [("gzip", &archive.gz_files), ("json", &archive.json_files)] {
        let mut runs = Vec::new();
        let mut peak = None;
        for _ in 0..args.runs {
            let resettable = reset_peak_rss();
            match read_parallel(files, args.threads, &opts, || (), |_, _| 0) {
                Ok(t) => runs.push(t),
                Err(e) => {
                    eprintln!("bench_events: {e}");
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
    ExitCode::SUCCESS
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
