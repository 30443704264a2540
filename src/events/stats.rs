//! Record accounting for one event file: how many records were read, passed on, and skipped
//! (and why), plus the first few unparseable records with their positions.
//!
//! The invariant every reader keeps: `records_read == records_passed + skipped.total()`.

use crate::contract::{Diagnostic, EventStats};

/// Why a record was not passed to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Not JSON (or not UTF-8, or larger than the record limit); each has a [`RecordProblem`].
    Unparseable,
    /// Valid JSON but not a CloudTrail record (e.g. a CloudWatch control message).
    NotAnEvent,
    /// `eventTime` is outside `--since`/`--until`.
    OutsideTimeWindow,
    /// A time window is set and the record has no parseable `eventTime`.
    NoEventTime,
}

impl SkipReason {
    pub const ALL: [SkipReason; 4] = [
        SkipReason::Unparseable,
        SkipReason::NotAnEvent,
        SkipReason::OutsideTimeWindow,
        SkipReason::NoEventTime,
    ];

    /// The stable name used in summaries (`EventStats::records_skipped` keys).
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Unparseable => "unparseable",
            SkipReason::NotAnEvent => "not-an-event",
            SkipReason::OutsideTimeWindow => "outside-time-window",
            SkipReason::NoEventTime => "no-event-time",
        }
    }
}

/// Skipped-record counts by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SkipCounts {
    pub unparseable: u64,
    pub not_an_event: u64,
    pub outside_time_window: u64,
    pub no_event_time: u64,
}

impl SkipCounts {
    pub fn get(&self, reason: SkipReason) -> u64 {
        match reason {
            SkipReason::Unparseable => self.unparseable,
            SkipReason::NotAnEvent => self.not_an_event,
            SkipReason::OutsideTimeWindow => self.outside_time_window,
            SkipReason::NoEventTime => self.no_event_time,
        }
    }

    pub fn add(&mut self, reason: SkipReason, n: u64) {
        let slot = match reason {
            SkipReason::Unparseable => &mut self.unparseable,
            SkipReason::NotAnEvent => &mut self.not_an_event,
            SkipReason::OutsideTimeWindow => &mut self.outside_time_window,
            SkipReason::NoEventTime => &mut self.no_event_time,
        };
        *slot += n;
    }

    pub fn total(&self) -> u64 {
        SkipReason::ALL.iter().map(|r| self.get(*r)).sum()
    }
}

/// A position in the (decompressed) text of an event file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 0-based byte offset.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based byte column within the line.
    pub column: u64,
}

impl Position {
    pub(crate) fn line_u32(&self) -> u32 {
        u32::try_from(self.line).unwrap_or(u32::MAX)
    }

    pub(crate) fn column_u32(&self) -> u32 {
        u32::try_from(self.column).unwrap_or(u32::MAX)
    }
}

/// One unparseable record: which one, where, and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// 0-based index of the record within its file.
    pub index: u64,
    pub at: Position,
    pub message: String,
}

impl RecordProblem {
    /// The diagnostic a scanner reports for this record (code `events::unparseable-record`).
    pub fn to_diagnostic(&self, path: &str) -> Diagnostic {
        Diagnostic {
            code: "events::unparseable-record".into(),
            path: path.into(),
            line: Some(self.at.line_u32()),
            column: Some(self.at.column_u32()),
            message: format!(
                "record #{} (byte offset {}) skipped: {}",
                self.index, self.at.offset, self.message
            ),
            help: None,
        }
    }
}

/// At most this many [`RecordProblem`]s are kept per file; the rest are only counted, so a file
/// of garbage cannot grow memory or flood the report.
pub const MAX_PROBLEMS_PER_FILE: usize = 100;

/// What reading one event file produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Whether the file was gzip-compressed.
    pub gzip: bool,
    /// Bytes read from the source (the compressed size for gzip).
    pub bytes_read: u64,
    /// Bytes of JSON text scanned (after decompression).
    pub bytes_decoded: u64,
    pub records_read: u64,
    pub records_passed: u64,
    pub skipped: SkipCounts,
    /// The first [`MAX_PROBLEMS_PER_FILE`] unparseable records, in file order.
    pub problems: Vec<RecordProblem>,
    /// Unparseable records beyond those kept in `problems`.
    pub problems_omitted: u64,
    /// Largest capacity, in bytes, the record buffer reached: the reader's memory per file.
    pub peak_record_buffer: usize,
    /// The callback asked to stop before the end of the file.
    pub stopped_early: bool,
}

impl ReadStats {
    pub(crate) fn skip(&mut self, reason: SkipReason) {
        self.records_read += 1;
        self.skipped.add(reason, 1);
    }

    pub(crate) fn problem(&mut self, index: u64, at: Position, message: String) {
        self.skip(SkipReason::Unparseable);
        if self.problems.len() < MAX_PROBLEMS_PER_FILE {
            self.problems.push(RecordProblem { index, at, message });
        } else {
            self.problems_omitted += 1;
        }
    }

    /// Add this file's counts to a scan summary. Every passed record is counted as evaluated;
    /// a caller that drops records after the reader must adjust `records_evaluated` itself.
    pub fn add_to(&self, summary: &mut EventStats) {
        summary.files += 1;
        summary.bytes += self.bytes_read;
        summary.records_read += self.records_read;
        summary.records_evaluated += self.records_passed;
        for reason in SkipReason::ALL {
            let n = self.skipped.get(reason);
            if n > 0 {
                *summary
                    .records_skipped
                    .entry(reason.as_str().to_string())
                    .or_insert(0) += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_capped_but_counted() {
        let mut s = ReadStats::default();
        for i in 0..(MAX_PROBLEMS_PER_FILE as u64 + 5) {
            s.problem(i, Position::default(), "bad".into());
        }
        s.skip(SkipReason::OutsideTimeWindow);
        assert_eq!(s.problems.len(), MAX_PROBLEMS_PER_FILE);
        assert_eq!(s.problems_omitted, 5);
        assert_eq!(s.skipped.unparseable, 105);
        assert_eq!(s.records_read, 106);
        assert_eq!(s.skipped.total(), 106);
        let mut summary = EventStats::default();
        s.add_to(&mut summary);
        assert_eq!(summary.records_skipped.get("unparseable"), Some(&105));
        assert_eq!(summary.records_skipped.get("outside-time-window"), Some(&1));
        assert_eq!(summary.records_skipped.get("not-an-event"), None);
        assert_eq!(summary.files, 1);
    }

    #[test]
    fn problem_diagnostics_name_record_line_and_offset() {
        let p = RecordProblem {
            index: 3,
            at: Position {
                offset: 812,
                line: 40,
                column: 7,
            },
            message: "expected `,` or `}`".into(),
        };
        let d = p.to_diagnostic("logs/a.json");
        assert_eq!(d.code, "events::unparseable-record");
        assert_eq!((d.line, d.column), (Some(40), Some(7)));
        assert_eq!(
            d.message,
            "record #3 (byte offset 812) skipped: expected `,` or `}`"
        );
    }
}
