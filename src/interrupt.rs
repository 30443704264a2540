//! Ctrl-C: a flag the scan workers poll, so an interrupted scan stops within moments instead of
//! finishing a multi-gigabyte archive, and exits 130 (128 + SIGINT) as shells expect.
//!
//! The flag is checked between inputs and between event records. A single evaluation of a
//! runaway policy can take up to its time limit, so the handler also arms a short deadline after
//! which it ends the process itself; a second Ctrl-C ends it at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Exit code of an interrupted command (128 + SIGINT, the shell convention).
pub const EXIT_CODE: i32 = 130;

/// How long the workers get to wind down after Ctrl-C before the process is ended anyway.
pub const GRACE: Duration = Duration::from_millis(1500);

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Install the handler (once per process; a second call is a no-op error we ignore, e.g. when a
/// test harness already installed one).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::Relaxed) {
            std::process::exit(EXIT_CODE);
        }
        // ctrlc runs this on its own thread, so waiting here blocks nothing else.
        std::thread::sleep(GRACE);
        eprintln!("interrupted");
        std::process::exit(EXIT_CODE);
    });
}
