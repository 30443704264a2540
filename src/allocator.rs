//! How the process asks its allocator to behave: mimalloc, the global allocator under
//! regorus's `allocator-memory-limits` feature (see `policy::memory`).
//!
//! mimalloc returns freed memory to the OS ("purges" it) 10 ms after it falls idle and faults
//! it in again on the next allocation. An event scan frees and allocates record values, memo
//! entries and findings continuously, so the same memory went back and forth: 2,300 page faults
//! per million records of the benchmark archive instead of 660, and on Linux with transparent
//! huge pages each refault zeroes a whole 2 MB page. Measured in alternating runs on the
//! benchmark's full pack (1M records, gzip, 2 threads): 2.02-2.12 CPU µs/record with purging,
//! 1.83-1.92 without; peak RSS unchanged (the memory is held until the process ends either
//! way, a scan's peak is what counts). See docs/benchmarks.md.

use std::ffi::{c_int, c_long};

/// `mi_option_purge_delay` in `mi_option_e` (mimalloc.h) of the mimalloc that
/// regorus-mimalloc-sys 2.2.6 builds; the Cargo.toml pins regorus-mimalloc, and a unit test
/// checks that this index reads the option's documented default.
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// The environment variable mimalloc reads for the same option; a user's setting wins.
const PURGE_DELAY_ENV: &str = "MIMALLOC_PURGE_DELAY";

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_option_get(option: c_int) -> c_long;
}

/// Keep freed memory for reuse instead of returning it to the OS while the process runs
/// (unless `MIMALLOC_PURGE_DELAY` says otherwise). Call once, at the start of `main`.
pub fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_ENV).is_none() {
        // SAFETY: mimalloc's option setters take any option index and value; they only store
        // the value (options are read, never reallocated).
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// The purge delay in force, in milliseconds (-1: never).
pub fn purge_delay() -> c_long {
    // SAFETY: a read of an option's value.
    unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_index_is_the_purge_delay() {
        // Nothing in the library's tests sets it: mimalloc's default for purge_delay is 10 ms
        // (neighbouring options default to 0 or 1), unless the environment says otherwise.
        if std::env::var_os(PURGE_DELAY_ENV).is_none() {
            assert_eq!(purge_delay(), 10);
        }
        keep_freed_memory();
        if std::env::var_os(PURGE_DELAY_ENV).is_none() {
            assert_eq!(purge_delay(), -1);
        }
    }
}
