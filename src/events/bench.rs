//! The benchmark loop shared by `examples/bench_events.rs` and later benchmarks: read a set of
//! event files on a rayon pool, one file per task, calling a per-record function, and report
//! records/s and MB/s. With a no-op function this measures the floor (read + decompress +
//! header parse); a rule engine plugs in as `init` (one evaluator per worker) + `per_record`.

use super::{FileOutcome, ReadOptions, Record, read_path};
use rayon::prelude::*;
use std::io;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What one timed pass over a set of files did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Throughput {
    pub files: u64,
    /// Records passed to `per_record`.
    pub records: u64,
    /// Bytes read from disk (compressed size for gzip).
    pub bytes_read: u64,
    /// JSON bytes scanned (after decompression): the MB in MB/s.
    pub bytes_decoded: u64,
    /// Files that failed or were not event files (should be 0 on a generated archive).
    pub failures: u64,
    /// Sum of what `per_record` returned (e.g. findings), so its work cannot be optimised away.
    pub total: u64,
    pub elapsed: Duration,
    /// CPU time of the whole process during the pass (all threads), when known.
    pub cpu: Option<Duration>,
}

impl Throughput {
    pub fn records_per_sec(&self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// CPU microseconds per record: the inverse of per-core throughput.
    pub fn cpu_us_per_record(&self) -> Option<f64> {
        Some(self.cpu?.as_secs_f64() * 1e6 / self.records.max(1) as f64)
    }

    /// Decoded (uncompressed) megabytes (10^6 bytes) per second.
    pub fn mb_per_sec(&self) -> f64 {
        self.bytes_decoded as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn merge(mut self, other: Throughput) -> Throughput {
        self.files += other.files;
        self.records += other.records;
        self.bytes_read += other.bytes_read;
        self.bytes_decoded += other.bytes_decoded;
        self.failures += other.failures;
        self.total += other.total;
        self
    }
}

/// Read `files` with `threads` workers; each worker builds its state once with `init` and calls
/// `per_record` for every record it reads.
pub fn read_parallel<S, I, F>(
    files: &[PathBuf],
    threads: usize,
    opts: &ReadOptions,
    init: I,
    per_record: F,
) -> io::Result<Throughput>
where
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &Record<'_>) -> u64 + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(io::Error::other)?;
    let start = Instant::now();
    let cpu_start = cpu_time();
    let mut result = pool.install(|| {
        files
            .par_iter()
            .map_init(&init, |state, path| {
                let mut one = Throughput {
                    files: 1,
                    ..Throughput::default()
                };
                let outcome = read_path(path, opts, |record| {
                    one.total += per_record(state, &record);
                    ControlFlow::Continue(())
                });
                match outcome {
                    Ok(FileOutcome::Read { stats, .. }) => {
                        one.records = stats.records_passed;
                        one.bytes_read = stats.bytes_read;
                        one.bytes_decoded = stats.bytes_decoded;
                    }
                    Ok(_) => one.failures = 1,
                    Err(failure) => {
                        one.failures = 1;
                        one.records = failure.stats.records_passed;
                    }
                }
                one
            })
            .reduce(Throughput::default, Throughput::merge)
    });
    result.elapsed = start.elapsed();
    result.cpu = cpu_start.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    Ok(result)
}

/// CPU time (user + system) used by this process so far, all threads; Linux only. On a shared
/// machine this is the stable measure: wall-clock throughput drops when other work runs, CPU
/// time per record does not.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    // USER_HZ is 100 on every Linux architecture Rust targets.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Peak resident memory of this process so far (`VmHWM`), in KiB; Linux only.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reset the peak-RSS counter so the next phase is measured on its own (Linux: writing 5 to
/// `/proc/self/clear_refs`). Returns false where that is not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
