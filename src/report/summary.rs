//! The closing summary of the terminal report: what was scanned, the event-record accounting,
//! findings by severity, skipped inputs, errors, and the verdict with its exit code.

use super::sanitize;
use super::style::{Paint, bytes, count, wrap};
use crate::contract::{EventStats, Severity, Summary};
use std::io::{self, Write};

pub fn render(s: &Summary, paint: Paint, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut lines = vec![format!(
        "Scanned {}: {}, {}; {} evaluated.",
        count(s.files_scanned, "file", "files"),
        count(s.documents, "document", "documents"),
        count(s.resources, "resource", "resources"),
        count(s.rules_evaluated, "rule", "rules"),
    )];
    if let Some(events) = &s.events {
        lines.push(event_line(events));
        lines.extend(accounting_mismatch(events));
    }
    lines.push(findings_line(s, paint));
    lines.extend(not_listed_line(s));
    lines.extend(exceptions_line(s));
    let mut tail = Vec::new();
    if s.skipped_files > 0 {
        tail.push(format!(
            "{} skipped",
            count(s.skipped_files, "input", "inputs")
        ));
    }
    if s.errors > 0 {
        tail.push(count(s.errors, "error", "errors"));
    }
    if !tail.is_empty() {
        lines.push(format!("{}.", tail.join(", ")));
    }
    for line in &lines {
        for wrapped in wrap(line, width, "", "  ") {
            writeln!(out, "{wrapped}")?;
        }
    }
    writeln!(out, "{}", verdict(s, paint))
}

/// `Events: R records read = E evaluated + S skipped (reason: n, ...) from F files (size), T1 to T2.`
fn event_line(e: &EventStats) -> String {
    let skipped: u64 = e.records_skipped.values().sum();
    let mut line = format!(
        "Events: {} read = {} evaluated + {} skipped",
        count(e.records_read, "record", "records"),
        e.records_evaluated,
        skipped
    );
    if !e.records_skipped.is_empty() {
        let reasons: Vec<String> = e
            .records_skipped
            .iter()
            .map(|(reason, n)| format!("{}: {n}", sanitize::line(reason)))
            .collect();
        line.push_str(&format!(" ({})", reasons.join(", ")));
    }
    line.push_str(&format!(
        ", from {} ({})",
        count(e.files, "file", "files"),
        bytes(e.bytes)
    ));
    match (&e.first_event_time, &e.last_event_time) {
        (Some(first), Some(last)) => line.push_str(&format!(
            ", {} to {}",
            sanitize::line(first),
            sanitize::line(last)
        )),
        (Some(t), None) | (None, Some(t)) => line.push_str(&format!(", at {}", sanitize::line(t))),
        (None, None) => {}
    }
    line.push('.');
    line
}

/// The accounting must close; if it does not, say so rather than let records vanish silently.
fn accounting_mismatch(e: &EventStats) -> Option<String> {
    let skipped: u64 = e.records_skipped.values().sum();
    let accounted = e.records_evaluated.saturating_add(skipped);
    (accounted != e.records_read).then(|| {
        format!(
            "Accounting mismatch: {} records read but {accounted} accounted for.",
            e.records_read
        )
    })
}

fn findings_line(s: &Summary, paint: Paint) -> String {
    if s.findings == 0 {
        return "No findings.".to_string();
    }
    let parts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| {
            let n = s.by_severity.get(sev.as_str()).copied().unwrap_or(0);
            (n > 0).then(|| paint.severity(*sev, &format!("{n} {sev}")))
        })
        .collect();
    let found = format!("Found {}", count(s.findings, "finding", "findings"));
    if parts.is_empty() {
        format!("{found}.")
    } else {
        format!("{found}: {}.", parts.join(", "))
    }
}

/// Findings counted but not listed: which rules, how many, and how to see them all.
pub fn not_listed_line(s: &Summary) -> Option<String> {
    let n = s.not_listed.as_ref().filter(|n| n.total() > 0)?;
    let rules: Vec<String> = n
        .rules
        .iter()
        .map(|(id, k)| format!("{} {k}", sanitize::line(id)))
        .collect();
    Some(format!(
        "Not listed: {} past the first {} per rule ({}); \
         `--max-findings-per-rule 0` lists them all.",
        count(n.total(), "finding", "findings"),
        n.max_per_rule,
        rules.join(", ")
    ))
}

/// Exceptions, so a reader of the terminal output knows findings were set aside, and where to
/// see them (the JSON report lists each suppressed finding with its reason).
fn exceptions_line(s: &Summary) -> Option<String> {
    let mut parts = Vec::new();
    if s.baselined > 0 {
        let (is, does) = if s.baselined == 1 {
            ("is", "does")
        } else {
            ("are", "do")
        };
        parts.push(format!(
            "{} of them {is} in the baseline and {does} not fail the run",
            s.baselined
        ));
    }
    if s.suppressed > 0 {
        parts.push(format!(
            "{} suppressed by inline suppressions or waivers (listed with reasons in --format json)",
            count(s.suppressed, "finding", "findings")
        ));
    }
    (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
}

/// The verdict, mirroring [`super::exit_code`]: an error wins over findings.
fn verdict(s: &Summary, paint: Paint) -> String {
    if s.errors > 0 {
        paint.red("Result: incomplete, some inputs or policies could not be processed (exit 2).")
    } else if s.failed {
        paint.red("Result: failed, findings at or above the fail-on severity (exit 1).")
    } else {
        paint.green("Result: passed (exit 0).")
    }
}
