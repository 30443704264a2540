//! Tests of the event reader against the real Stratus Red Team records in
//! `tests/fixtures/events/` (see SOURCE.md there), re-encoded in every supported format.

mod errors;
mod fast;
mod formats;
mod limits;

use super::*;
use std::ops::ControlFlow;
use std::path::PathBuf;

pub(super) fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name)
}

pub(super) const S3_FILE: &str = "s3/AWSLogs/143434273843/CloudTrail/us-east-1/2024/08/02/\
    143434273843_CloudTrail_us-east-1_20240802T0900Z_Fx8BvKM2pJq3nT5w.json.gz";

/// The event names of the 8 fixture records, in file order.
pub(super) const NAMES: [&str; 8] = [
    "StopLogging",
    "ConsoleLogin",
    "AttachUserPolicy",
    "CreateAccessKey",
    "CreateUser",
    "AssumeRole",
    "LeaveOrganization",
    "AssumeRole",
];

/// What a test keeps of each passed record.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Seen {
    pub index: u64,
    pub line: u64,
    pub column: u64,
    pub offset: u64,
    pub name: Option<String>,
    pub value: serde_json::Value,
}

pub(super) fn seen(r: &Record<'_>) -> Seen {
    Seen {
        index: r.index,
        line: r.at.line,
        column: r.at.column,
        offset: r.at.offset,
        name: r.header.event_name.as_deref().map(str::to_string),
        value: serde_json::from_str(r.raw).expect("a passed record is valid JSON"),
    }
}

/// Read a fixture through `read_path` with default options.
pub(super) fn read_fixture(name: &str) -> (FileOutcome, Vec<Seen>) {
    read_fixture_with(name, &ReadOptions::default())
}

pub(super) fn read_fixture_with(name: &str, opts: &ReadOptions) -> (FileOutcome, Vec<Seen>) {
    let mut out = Vec::new();
    let outcome = read_path(&fixture(name), opts, |r| {
        out.push(seen(&r));
        ControlFlow::Continue(())
    })
    .unwrap_or_else(|f| panic!("{name}: {f}"));
    (outcome, out)
}

/// Read bytes as `kind`, collecting passed records; the failure, if any, is returned too.
pub(super) fn read_bytes(
    bytes: &[u8],
    kind: EventFileKind,
    opts: &ReadOptions,
) -> (Result<ReadStats, Box<ReadFailure>>, Vec<Seen>) {
    let mut out = Vec::new();
    let result = read_records(bytes, kind, opts, |r| {
        out.push(seen(&r));
        ControlFlow::Continue(())
    });
    (result, out)
}

/// The 8 fixture records as JSON values, from the copied Stratus files.
pub(super) fn stratus_records() -> Vec<serde_json::Value> {
    [
        "aws.defense-evasion.cloudtrail-stop.json",
        "aws.initial-access.console-login-without-mfa.json",
        "aws.persistence.iam-create-admin-user.json",
        "aws.defense-evasion.organizations-leave.json",
    ]
    .iter()
    .flat_map(|f| {
        let text = std::fs::read_to_string(fixture(&format!("stratus/{f}"))).unwrap();
        let v: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        v
    })
    .collect()
}

pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub(super) fn assert_accounting(stats: &ReadStats) {
    assert_eq!(
        stats.records_read,
        stats.records_passed + stats.skipped.total(),
        "{stats:?}"
    );
}
