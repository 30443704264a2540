//! GitLab Code Quality report (`--format gitlab`, for `artifacts:reports:codequality`): a JSON
//! array of Code Climate issues, which GitLab Free shows in the merge request widget.
//!
//! GitLab compares issues between the source and target branch by `fingerprint`, so it is the
//! finding's identity fingerprint (rule + path + resource, never a line number): moving a
//! resource down a file does not turn its issue into "fixed + new".

use super::sarif::repo_path;
use crate::contract::{Finding, ScanReport, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// Code Quality severities: `info`, `minor`, `major`, `critical`, `blocker`.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn issue(f: &Finding, base: Option<&Path>, fingerprint: String) -> Issue {
    let l = &f.location;
    // GitLab requires a line; an unknown position (0) points at the top of the file.
    let begin = l.start_line.max(1);
    let mut description = format!("{}: {}", f.rule_id, f.message);
    if !f.resource.is_empty() {
        description.push_str(&format!(" (resource: {})", f.resource));
    }
    Issue {
        description,
        check_name: format!("trailguard/{}", f.rule_id),
        fingerprint,
        severity: severity(f.severity),
        location: IssueLocation {
            path: repo_path(&l.path, base).as_str().to_string(),
            lines: Lines {
                begin,
                end: l.end_line.max(begin),
            },
        },
    }
}

/// Writes the report's findings (suppressed ones are left out, as GitLab has no notion of
/// them) as a pretty JSON array; no findings is `[]`.
pub fn write(report: &ScanReport, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    let issues: Vec<Issue> = report
        .findings
        .iter()
        .map(|f| {
            // Fingerprints must be unique in the file; a second finding with the same identity
            // gets a numbered one, as in the SARIF report.
            let n = seen.entry(&f.fingerprint).or_insert(0);
            *n += 1;
            let fp = if *n == 1 {
                f.fingerprint.clone()
            } else {
                format!("{}-{n}", f.fingerprint)
            };
            issue(f, base, fp)
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
