//! A progress bar on stderr for scans that take more than a moment (records, MB, rate), drawn
//! only on a terminal and never with `--quiet`. Workers report per batch of records, not per
//! record, so the bar costs nothing measurable.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Records between two updates from a worker.
pub const BATCH: u64 = 16_384;

/// Nothing is drawn before this: quick scans never flash a bar.
const DELAY: Duration = Duration::from_millis(400);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    records: AtomicU64,
    bytes: AtomicU64,
    inputs_done: AtomicU64,
    inputs: u64,
}

impl Progress {
    /// A bar for `inputs` inputs when `enabled`; a silent counter otherwise.
    pub fn new(enabled: bool, inputs: u64) -> Progress {
        let bar = enabled.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(inputs), ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} inputs  {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            records: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            inputs_done: AtomicU64::new(0),
            inputs,
        }
    }

    pub fn silent() -> Progress {
        Progress::new(false, 0)
    }

    /// Add records and decoded bytes read since the last call.
    pub fn records(&self, records: u64, bytes: u64) {
        self.records.fetch_add(records, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.draw();
    }

    pub fn input_done(&self) {
        self.inputs_done.fetch_add(1, Ordering::Relaxed);
        self.draw();
    }

    fn draw(&self) {
        let Some(bar) = &self.bar else { return };
        let elapsed = self.started.elapsed();
        if elapsed < DELAY {
            return;
        }
        let records = self.records.load(Ordering::Relaxed);
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        let rate = records as f64 / elapsed.as_secs_f64().max(1e-3);
        bar.set_position(self.inputs_done.load(Ordering::Relaxed).min(self.inputs));
        if records > 0 {
            bar.set_message(format!(
                "{records} records, {mb:.0} MB, {rate:.0} records/s"
            ));
        }
    }

    /// Remove the bar before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
