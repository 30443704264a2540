//! GitHub Actions workflow commands (`--format github`): one `::error`/`::warning`/`::notice`
//! annotation per finding, shown on the pull request's changed lines and in the run summary.
//!
//! GitHub displays only the first 10 errors and 10 warnings of a step, so annotations come
//! most severe first; a last plain line gives the totals. Escaping follows the actions/toolkit:
//! in the message `%`, CR and LF are percent-encoded; in properties also `:` and `,` (they
//! delimit properties). Control characters are neutralised first ([`super::sanitize`]) so input
//! text cannot drive the log's ANSI rendering.

use super::sanitize;
use super::sarif::repo_path;
use crate::contract::{Diagnostic, Finding, ScanReport, Severity};
use std::io::{self, Write};
use std::path::Path;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

/// Escape the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`, ...).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn position(
    props: &mut Vec<String>,
    path: &str,
    base: Option<&Path>,
    l: Option<(u32, u32, u32, u32)>,
) {
    let file = repo_path(path, base);
    props.push(format!(
        "file={}",
        escape_property(&sanitize::line(file.as_str()))
    ));
    if let Some((line, col, end_line, end_col)) = l.filter(|l| l.0 > 0) {
        props.push(format!("line={line}"));
        if end_line >= line {
            props.push(format!("endLine={end_line}"));
        }
        // Columns only on one-line spans: GitHub ignores them otherwise.
        if col > 0 && end_line == line {
            props.push(format!("col={col}"));
            if end_col > col {
                props.push(format!("endColumn={end_col}"));
            }
        }
    }
}

fn finding(f: &Finding, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    let l = &f.location;
    let mut props = Vec::new();
    position(
        &mut props,
        &l.path,
        base,
        Some((l.start_line, l.start_column, l.end_line, l.end_column)),
    );
    let title = format!("{} {} [{}]", f.rule_id, f.rule_name, f.severity);
    props.push(format!(
        "title={}",
        escape_property(&sanitize::line(&title))
    ));
    let mut message = f.message.clone();
    if !f.resource.is_empty() {
        message.push_str(&format!("\nresource: {}", f.resource));
    }
    if let Some(id) = &l.event_id {
        message.push_str(&format!("\neventID: {id}"));
    }
    writeln!(
        out,
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&sanitize::text(&message))
    )
}

fn error(d: &Diagnostic, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    let mut props = Vec::new();
    if !d.path.is_empty() && !d.path.starts_with("--") {
        let line = d.line.unwrap_or(0);
        let col = d.column.unwrap_or(0);
        position(&mut props, &d.path, base, Some((line, col, line, 0)));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("trailguard error {}", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    writeln!(
        out,
        "::error {}::{}",
        props.join(","),
        escape_data(&sanitize::text(&message))
    )
}

/// Writes one annotation per finding (most severe first, report order within a severity), one
/// `::error` per tool error, then a plain totals line. `base` is the directory paths are made
/// relative to (the repository root the workflow checked out).
pub fn write(report: &ScanReport, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in findings {
        finding(f, base, out)?;
    }
    for d in &report.errors {
        error(d, base, out)?;
    }
    // Counted from the findings, not the summary: a converted report may lack the summary.
    let by: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.severity == *sev)
                .count();
            (n > 0).then(|| format!("{n} {sev}"))
        })
        .collect();
    let mut line = format!("trailguard: {} findings", report.findings.len());
    if !by.is_empty() {
        line.push_str(&format!(" ({})", by.join(", ")));
    }
    if !report.suppressed.is_empty() {
        line.push_str(&format!(", {} suppressed", report.suppressed.len()));
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        line.push_str(&format!(
            ", {n} {}",
            if n == 1 { "error" } else { "errors" }
        ));
    }
    writeln!(out, "{line}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
