//! The JSON report: the versioned [`ScanReport`] written pretty with a stable key order, and
//! read back (for `trailguard convert --from results.json`). The format is documented field by
//! field in `docs/output.md`.

use crate::contract::{REPORT_VERSION, ScanReport};
use serde::Deserialize;
use std::io::{self, Read, Write};

/// Writes `report` as pretty JSON followed by a newline. Keys come out in the contract's field
/// order and maps are `BTreeMap`s, so equal reports give byte-identical output.
pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    // `From` keeps the I/O error kind, so a closed pipe stays `BrokenPipe` and the CLI ends quietly.
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Why a JSON report could not be read back.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("could not read the report: {0}")]
    #[diagnostic(code(report::json::io))]
    Io(#[from] io::Error),

    #[error("not a trailguard JSON report: {message} at line {line}, column {column}")]
    #[diagnostic(
        code(report::json::syntax),
        help("expected the output of `trailguard scan --format json`")
    )]
    Syntax {
        message: String,
        line: usize,
        column: usize,
    },

    #[error(
        "report format version {found} is not supported (this trailguard reads version {supported})"
    )]
    #[diagnostic(
        code(report::json::version),
        help("convert the report with the trailguard release that wrote it")
    )]
    Version { found: u64, supported: u32 },
}

/// Reads a report written by [`write`]. The version is checked before the rest is decoded, so a
/// report from a newer release fails with [`ReadError::Version`], not a confusing field error.
pub fn read(input: &mut dyn Read) -> Result<ScanReport, ReadError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;

    #[derive(Deserialize)]
    struct Probe {
        version: u64,
    }
    let probe: Probe = serde_json::from_slice(&bytes).map_err(syntax)?;
    if probe.version != u64::from(REPORT_VERSION) {
        return Err(ReadError::Version {
            found: probe.version,
            supported: REPORT_VERSION,
        });
    }
    serde_json::from_slice(&bytes).map_err(syntax)
}

fn syntax(e: serde_json::Error) -> ReadError {
    // serde_json appends " at line L column C" to its Display; keep the bare message.
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    ReadError::Syntax {
        message,
        line: e.line(),
        column: e.column(),
    }
}
