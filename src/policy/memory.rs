//! Bounds the memory of policy evaluation: a ceiling on the heap while a scan runs, and the
//! wrapper every evaluation goes through, which tells the evaluation that went over the limit
//! (a diagnostic naming its rule) from the ones that merely ran beside it (evaluated again).
//!
//! Why a ceiling on the whole heap: regorus 0.14.1's `allocator-memory-limits` feature puts its
//! mimalloc build behind the global allocator, counts live bytes, and checks them against one
//! process-wide limit inside its interpreter loops, at every VM instruction and inside the
//! builtins that grow values (`numbers.range`, `concat`, `split`, ...). That check is the only
//! thing that can stop a single builtin call from taking gigabytes: the time limit and the
//! instruction budget are only looked at between steps. The VM also offers a per-execution
//! budget, but the interpreter and the builtins do not, and they are where the big allocations
//! happen, so the ceiling is what stops them on both engines.
//!
//! Why the wrapper: a ceiling on the whole heap fails every evaluation that checks it while one
//! runaway evaluation holds the memory, not only the runaway one. The thread whose own peak
//! grew by at least half the limit during the evaluation is the one that went over; any other
//! evaluation waits until the memory is released and runs again, so findings never depend on
//! which thread ran beside a runaway rule. Memory held outside evaluations (a large template
//! being parsed) is not a policy's fault: when the heap stays over the ceiling with no runaway
//! evaluation running, the ceiling moves up to the current heap plus the limit.
//!
//! Rejected: a per-thread limit in a wrapper around the global allocator. An allocator cannot
//! fail an allocation without Rust aborting the process (and must not unwind), so a limit has
//! to be checked by the code that allocates, which is what regorus does.

use regorus_mimalloc::{current_thread_allocation_stats, global_allocation_stats_snapshot};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Default of `--max-policy-memory`: far above what a real rule uses on one document or record
/// (kilobytes to a few megabytes), far below the memory of a CI runner.
pub const DEFAULT_LIMIT: u64 = 1 << 30;

/// Evaluations of one rule before it is held responsible even though its thread's peak did not
/// show it (a thread whose earlier peak was higher hides a new one).
const MAX_ATTEMPTS: u32 = 3;

/// How long an evaluation stopped by someone else's memory waits, at most, before running again.
/// A runaway evaluation notices the ceiling at its next check (microseconds to milliseconds) and
/// frees its memory at once.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// How long the heap must stay over the ceiling with no evaluation running before the memory
/// counts as held outside evaluations (frees of other threads reach the counters late).
const SETTLE: Duration = Duration::from_millis(20);

/// The limit in force (bytes; 0 = no ceiling), read by every evaluation.
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// How many scans hold the ceiling.
static HOLDERS: Mutex<usize> = Mutex::new(0);

/// Evaluations running, counted per slot so that threads do not write one shared cache line on
/// every evaluation; a thread always uses the same slot.
#[repr(align(64))]
struct Slot(AtomicUsize);

const SLOTS: usize = 64;
static RUNNING: [Slot; SLOTS] = [const { Slot(AtomicUsize::new(0)) }; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_SLOT: usize = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % SLOTS;
}

/// Marks the current thread as evaluating while it lives.
struct Running(usize);

impl Running {
    fn start() -> Running {
        let slot = MY_SLOT.with(|s| *s);
        RUNNING[slot].0.fetch_add(1, Ordering::Relaxed);
        Running(slot)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING[self.0].0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn any_running() -> bool {
    RUNNING.iter().any(|s| s.0.load(Ordering::Relaxed) > 0)
}

/// Live heap bytes of the whole process, as counted by the allocator.
fn heap() -> u64 {
    global_allocation_stats_snapshot().allocated
}

/// The memory ceiling of a scan, lifted when the last scan holding one ends.
pub struct Ceiling(());

impl Ceiling {
    /// Put a ceiling of `limit` bytes above the current heap. Scans in the same process (tests,
    /// the example checker) share one ceiling; the latest limit wins.
    pub fn install(limit: u64) -> Ceiling {
        let limit = limit.max(1);
        if let Ok(mut holders) = HOLDERS.lock() {
            *holders += 1;
        }
        LIMIT.store(limit, Ordering::Relaxed);
        regorus::set_global_memory_limit(Some(heap().saturating_add(limit)));
        Ceiling(())
    }
}

impl Drop for Ceiling {
    fn drop(&mut self) {
        if let Ok(mut holders) = HOLDERS.lock() {
            *holders = holders.saturating_sub(1);
            if *holders == 0 {
                LIMIT.store(0, Ordering::Relaxed);
                regorus::set_global_memory_limit(None);
            }
        }
    }
}

/// How a guarded evaluation ended.
#[derive(Debug)]
pub enum Guarded<E> {
    /// This evaluation went over the limit (bytes) and was stopped.
    Exceeded(u64),
    /// Any other error.
    Failed(E),
}

/// What a rule that went over the limit in a scan is told.
pub fn exceeded_message(limit: u64) -> String {
    format!("{} (--max-policy-memory)", exceeded(limit))
}

/// The limit hit, without the flag that sets it (`trailguard test` has none).
pub fn exceeded(limit: u64) -> String {
    format!(
        "exceeded the memory limit of {} for one evaluation",
        show_size(limit)
    )
}

/// `limit` in the largest binary unit that shows it exactly (`1 GiB`, `64 MiB`, `1000 bytes`).
fn show_size(limit: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if limit >= 1 << shift && limit.is_multiple_of(1 << shift) {
            return format!("{} {unit}", limit >> shift);
        }
    }
    format!("{limit} bytes")
}

/// Run one evaluation under the ceiling. `is_memory` says whether an error is regorus's
/// memory-limit error (see [`is_memory_error`]). Without a ceiling this is `eval()`.
pub fn guard<T, E>(
    mut eval: impl FnMut() -> Result<T, E>,
    is_memory: impl Fn(&E) -> bool,
) -> Result<T, Guarded<E>> {
    let limit = LIMIT.load(Ordering::Relaxed);
    if limit == 0 {
        return eval().map_err(Guarded::Failed);
    }
    let mut attempt = 1;
    loop {
        let before = current_thread_allocation_stats();
        let running = Running::start();
        let result = eval();
        drop(running);
        let err = match result {
            Ok(v) => return Ok(v),
            Err(e) if is_memory(&e) => e,
            Err(e) => return Err(Guarded::Failed(e)),
        };
        let after = current_thread_allocation_stats();
        let grew = after.peak > before.peak
            && u64::try_from(after.peak.saturating_sub(before.allocated))
                .is_ok_and(|g| g >= limit / 2);
        if grew || attempt >= MAX_ATTEMPTS {
            drop(err);
            return Err(Guarded::Exceeded(limit));
        }
        attempt += 1;
        wait_for_room(limit);
    }
}

/// Wait until the heap is under the ceiling again. If it stays over while no evaluation runs,
/// the memory is held outside evaluations (a large input being read), which is no policy's
/// fault: the ceiling moves to the current heap plus the limit. It never moves while an
/// evaluation runs, so a runaway evaluation cannot push it up.
fn wait_for_room(limit: u64) {
    let start = Instant::now();
    let mut idle_since: Option<Instant> = None;
    while regorus::check_global_memory_limit().is_err() && start.elapsed() < MAX_WAIT {
        if any_running() {
            idle_since = None;
        } else if idle_since.get_or_insert_with(Instant::now).elapsed() >= SETTLE {
            regorus::set_global_memory_limit(Some(heap().saturating_add(limit)));
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether `e` (or an error it wraps) is regorus's memory-limit error: a `LimitError` from the
/// interpreter and the builtins, a `VmError` from the VM, or, for errors that lost their type on
/// the way (serde's), the limit's message text.
pub fn is_memory_error(e: &(dyn std::error::Error + 'static)) -> bool {
    use regorus::rvm::vm::VmError;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(vm) = err.downcast_ref::<VmError>() {
            return matches!(
                vm,
                VmError::MemoryLimitExceeded { .. } | VmError::MemoryBudgetExceeded { .. }
            );
        }
        if let Some(limit) = err.downcast_ref::<regorus::LimitError>() {
            return matches!(limit, regorus::LimitError::MemoryLimitExceeded { .. });
        }
        cur = err.source();
    }
    e.to_string().contains("exceeded memory limit")
}

/// A regorus value from JSON text, made again when another evaluation's memory stopped it
/// (regorus checks the ceiling while it builds values).
pub fn value_from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    value_with(|| serde_json::from_str::<T>(json))
}

/// [`value_from_json`] with another way of building the value (the event path's builder).
pub fn value_with<T>(
    build: impl FnMut() -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    match guard(build, |e| is_memory_error(e)) {
        Ok(v) => Ok(v),
        Err(Guarded::Failed(e)) => Err(e),
        Err(Guarded::Exceeded(limit)) => Err(serde::de::Error::custom(exceeded_message(limit))),
    }
}
