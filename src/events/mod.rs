//! Event-log reading: recognise CloudTrail event sources by content and stream their records
//! one at a time, with bounded memory, exact record accounting and positions for diagnostics.
//!
//! The flow for one file: [`sniff`] its head (gzip is looked through) to get an
//! [`EventFileKind`]; [`read_records`] then splits the text into records with a string-aware
//! bracket scanner (no DOM, memory proportional to one record), parses each record's cheap
//! [`Header`] with serde into borrowed strings, applies the time window, and hands the raw text,
//! header and position to a callback. [`read_path`] does all of it for a file path. The scanner
//! runs this per file under rayon; nothing here is shared between files.
//!
//! Rules are not applied here: this is the floor that `examples/bench_events.rs` measures.

pub mod bench;
mod error;
mod fast;
pub(crate) use fast::plain_end;
pub mod generate;
mod gzip;
mod header;
mod pool;
mod reader;
mod record;
mod scan;
mod size;
mod sniff;
mod stats;
mod window;

#[cfg(test)]
pub(crate) mod testdata;
#[cfg(test)]
mod tests;

pub use error::{ReadError, ReadFailure};
pub use header::{Header, Identity};
pub use size::{parse_limit, parse_size};
pub use sniff::{HEAD_LEN, sniff};
pub use stats::{
    MAX_PROBLEMS_PER_FILE, Position, ReadStats, RecordProblem, SkipCounts, SkipReason,
};
pub use window::{Day, S3_DELIVERY_SLACK_DAYS, TimeWindow, Timestamp, WindowCheck, s3_key_date};

use std::fs::File;
use std::io::{self, Read};

/// The header of a record read before, from its text again: the reader's fast pass, or serde
/// where that declines (as the reader does). `None` only for text that is not a record.
pub(crate) fn header_of(raw: &str) -> Option<Header<'_>> {
    match fast::parse(raw.as_bytes(), usize::MAX) {
        Some((header, text)) if text.len() == raw.len() => Some(header),
        _ => Header::parse(raw).ok(),
    }
}
use std::ops::ControlFlow;
use std::path::Path;

/// The shape of an event source, found by [`sniff`] from content. Compression is separate:
/// any kind may be gzip-compressed, and readers detect that from the magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventFileKind {
    /// `{"Records":[…]}`: the S3 delivery format (also `CloudTrail-Insight/` files), on one
    /// line or pretty-printed.
    S3Records,
    /// A bare JSON array of records (Stratus Red Team, TrailDiscover, console downloads).
    RecordArray,
    /// JSON Lines: one record, or one `{"Records":[…]}` batch, per line. A bad line is skipped
    /// with a diagnostic and reading goes on with the next line.
    JsonLines,
    /// JSON values one after another, pretty-printed (`jq '.Records[]'` output), or a single
    /// record object.
    JsonSequence,
    /// `aws cloudtrail lookup-events` output: each record is the escaped JSON string in
    /// `Events[].CloudTrailEvent`.
    LookupEvents,
    /// EventBridge events whose `detail` is the record (`AWS API Call via CloudTrail`, …): one
    /// object, an array, or concatenated; `lines` when one per line.
    EventBridge { lines: bool },
    /// CloudWatch Logs holding CloudTrail records as message strings: subscription payloads
    /// (`logEvents[].message`, as Firehose delivers them) or `aws logs filter-log-events` /
    /// `get-log-events` output (`events[].message`).
    CloudWatchLogs,
    /// A CloudTrail digest file: recognised but not read.
    Digest,
}

impl EventFileKind {
    /// Stable short name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            EventFileKind::S3Records => "cloudtrail-records",
            EventFileKind::RecordArray => "json-array",
            EventFileKind::JsonLines => "json-lines",
            EventFileKind::JsonSequence => "json-sequence",
            EventFileKind::LookupEvents => "lookup-events",
            EventFileKind::EventBridge { lines: false } => "eventbridge",
            EventFileKind::EventBridge { lines: true } => "eventbridge-lines",
            EventFileKind::CloudWatchLogs => "cloudwatch-logs",
            EventFileKind::Digest => "cloudtrail-digest",
        }
    }

    /// Why a file of this kind is recognised but not read, if it is not read.
    pub fn skip_reason(self) -> Option<&'static str> {
        match self {
            EventFileKind::Digest => {
                Some("CloudTrail digest file: integrity validation not supported yet")
            }
            _ => None,
        }
    }
}

/// Resource limits for reading one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A record larger than this is skipped as unparseable (it is still scanned to its end, not
    /// stored). Bounds the reader's memory per file.
    pub max_record_bytes: usize,
    /// Total decompressed bytes allowed from one gzip file.
    pub max_decompressed_bytes: u64,
    /// Largest decompressed:compressed ratio allowed (checked past 16 MiB of output).
    /// Real CloudTrail gzip expands about 8 to 20 times.
    pub max_compression_ratio: u64,
    /// Deepest bracket nesting accepted inside a record.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_record_bytes: 64 << 20,
            max_decompressed_bytes: 16 << 30,
            max_compression_ratio: 250,
            max_depth: 512,
        }
    }
}

/// Everything that shapes reading other than the input itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub limits: Limits,
    pub window: TimeWindow,
}

/// One CloudTrail record, lent to the callback for the time of the call.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The record's JSON text exactly as in the file (for `lookup-events` and CloudWatch Logs,
    /// the unescaped message string).
    pub raw: &'a str,
    /// 0-based index among the file's records, counting skipped ones, so `index` also locates
    /// the record in the file (`.Records[index]` for S3 files).
    pub index: u64,
    /// Where the record starts in the decompressed text (line 1 for every record of a
    /// single-line S3 file: use `offset` there).
    pub at: Position,
    pub header: Header<'a>,
}

/// What [`read_path`] made of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Read as `kind`.
    Read {
        kind: EventFileKind,
        stats: ReadStats,
    },
    /// Recognised as `kind` but not read, for `reason`.
    Skipped {
        kind: EventFileKind,
        reason: &'static str,
    },
    /// Not an event source: leave it to the configuration adapters.
    NotEvents,
}

/// Read every record of one event source of the given kind (gzip or plain: detected from the
/// magic bytes) and call `on_record` for each record that is a CloudTrail event inside the time
/// window. Every record seen is either passed or counted as skipped with a reason. Stops early
/// when `on_record` returns `ControlFlow::Break`.
///
/// An error that stops the file (truncated gzip, a gzip bomb, broken structure outside JSON
/// Lines) comes back as a [`ReadFailure`] holding the counts of what was read before it (boxed:
/// the counts make it large, and it is the rare path).
pub fn read_records<R: Read>(
    source: R,
    kind: EventFileKind,
    opts: &ReadOptions,
    on_record: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> Result<ReadStats, Box<ReadFailure>> {
    reader::read(source, kind, opts, on_record)
}

/// Open `path`, sniff it, and read it if it is an event source.
pub fn read_path(
    path: &Path,
    opts: &ReadOptions,
    on_record: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> Result<FileOutcome, Box<ReadFailure>> {
    let io_failure = |source: io::Error| {
        Box::new(ReadFailure {
            error: ReadError::Io {
                at: Position::default(),
                source,
            },
            stats: ReadStats::default(),
        })
    };
    match sniff_path(path).map_err(io_failure)? {
        Some(sniffed) => read_sniffed(sniffed, opts, on_record),
        None => Ok(FileOutcome::NotEvents),
    }
}

/// A file whose head was read and recognised as an event source, ready to be read on.
pub struct Sniffed {
    file: File,
    head: Vec<u8>,
    pub kind: EventFileKind,
}

/// Open `path` and recognise it from its head: `None` when it is not an event source.
pub fn sniff_path(path: &Path) -> io::Result<Option<Sniffed>> {
    let mut file = File::open(path)?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file).take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(sniff(path, &head).map(|kind| Sniffed { file, head, kind }))
}

/// Read the records of a recognised file (its head first, then the rest of it).
pub fn read_sniffed(
    sniffed: Sniffed,
    opts: &ReadOptions,
    on_record: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> Result<FileOutcome, Box<ReadFailure>> {
    let Sniffed { file, head, kind } = sniffed;
    if let Some(reason) = kind.skip_reason() {
        return Ok(FileOutcome::Skipped { kind, reason });
    }
    let stats = read_records(io::Cursor::new(head).chain(file), kind, opts, on_record)?;
    Ok(FileOutcome::Read { kind, stats })
}
