//! Errors that stop reading an event file, and the failure value that still carries the counts
//! of what was read before the error.

use super::stats::{Position, ReadStats};
use crate::contract::Diagnostic;
use std::io;

/// Why reading an event file stopped before its end. Records read before the error were
/// already passed on and are counted in [`ReadFailure::stats`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("cannot read the file: {source}")]
    #[diagnostic(code(events::io))]
    Io {
        at: Position,
        #[source]
        source: io::Error,
    },

    #[error("gzip data ends early: the file is truncated after {} decompressed bytes", at.offset)]
    #[diagnostic(
        code(events::gzip_truncated),
        help("the records before the cut were read; re-download or re-copy the file")
    )]
    GzipTruncated { at: Position },

    #[error("gzip data is corrupt after {} decompressed bytes: {message}", at.offset)]
    #[diagnostic(code(events::gzip_corrupt))]
    GzipCorrupt { at: Position, message: String },

    #[error("decompressed data exceeds the limit of {limit} bytes (a gzip bomb?)")]
    #[diagnostic(
        code(events::gzip_limit),
        help("raise the decompressed-size limit if this file is genuine")
    )]
    DecompressedTooLarge { at: Position, limit: u64 },

    #[error(
        "gzip expands more than {limit}:1 ({decompressed} bytes from {compressed}): a gzip bomb?"
    )]
    #[diagnostic(
        code(events::gzip_ratio),
        help("raise the compression-ratio limit if this file is genuine")
    )]
    RatioTooHigh {
        at: Position,
        limit: u64,
        compressed: u64,
        decompressed: u64,
    },

    #[error("the file ends inside a record (line {}, column {})", at.line, at.column)]
    #[diagnostic(code(events::truncated))]
    Truncated { at: Position },

    #[error("{message} (line {}, column {}); the rest of the file was not read", at.line, at.column)]
    #[diagnostic(code(events::syntax))]
    Syntax { at: Position, message: String },
}

impl ReadError {
    /// Where reading stopped.
    pub fn position(&self) -> Position {
        match self {
            ReadError::Io { at, .. }
            | ReadError::GzipTruncated { at }
            | ReadError::GzipCorrupt { at, .. }
            | ReadError::DecompressedTooLarge { at, .. }
            | ReadError::RatioTooHigh { at, .. }
            | ReadError::Truncated { at }
            | ReadError::Syntax { at, .. } => *at,
        }
    }

    /// Stable code for reports.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io { .. } => "events::io",
            ReadError::GzipTruncated { .. } => "events::gzip-truncated",
            ReadError::GzipCorrupt { .. } => "events::gzip-corrupt",
            ReadError::DecompressedTooLarge { .. } => "events::gzip-limit",
            ReadError::RatioTooHigh { .. } => "events::gzip-ratio",
            ReadError::Truncated { .. } => "events::truncated",
            ReadError::Syntax { .. } => "events::syntax",
        }
    }
}

/// Reading stopped early: the error, and the counts of everything read before it.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct ReadFailure {
    #[source]
    pub error: ReadError,
    pub stats: ReadStats,
}

impl ReadFailure {
    /// The diagnostic a scanner reports: the error at its position, with how many records were
    /// read before it.
    pub fn to_diagnostic(&self, path: &str) -> Diagnostic {
        let at = self.error.position();
        let located = at.line > 0;
        Diagnostic {
            code: self.error.code().into(),
            path: path.into(),
            line: located.then(|| at.line_u32()),
            column: located.then(|| at.column_u32()),
            message: format!(
                "{} ({} records read before the error)",
                self.error, self.stats.records_read
            ),
            help: None,
        }
    }
}
