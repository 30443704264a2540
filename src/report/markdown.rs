//! A Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`
//! (`--format markdown`): the verdict, counts by severity, and a table of findings (most severe
//! first) inside a collapsible block, cut after `max_findings` rows with a note.
//!
//! Every cell that came from input is escaped ([`cell`]): table pipes, Markdown emphasis and
//! links, HTML, and `@`/`#` (which would mention people or link issues in a GitHub comment).

use super::sanitize;
use super::sarif::repo_path;
use crate::contract::{Finding, ScanReport, Severity};
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Rows of the findings table before it is cut (GitHub comments stop at 65,536 characters).
    pub max_findings: usize,
    /// Directory paths are made relative to.
    pub base_dir: Option<PathBuf>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            max_findings: 50,
            base_dir: None,
        }
    }
}

/// Longest message shown in a cell; the full text is in the JSON and SARIF reports.
const MAX_CELL: usize = 300;

/// Escape text for a Markdown table cell (or inline text): one line, no markup, no HTML.
pub fn cell(s: &str) -> String {
    let clean = sanitize::text(s);
    let mut out = String::with_capacity(clean.len());
    for (i, c) in clean.chars().enumerate() {
        if i == MAX_CELL {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("<br>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '#' => out.push_str("&#35;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn verdict(report: &ScanReport) -> &'static str {
    if !report.errors.is_empty() || report.summary.errors > 0 {
        "incomplete: some inputs or policies could not be processed"
    } else if report.summary.failed {
        "failed"
    } else {
        "passed"
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn location(f: &Finding, opts: &MarkdownOptions) -> String {
    let l = &f.location;
    let path = repo_path(&l.path, opts.base_dir.as_deref());
    let mut s = path.as_str().to_string();
    if l.start_line > 0 {
        s.push_str(&format!(":{}", l.start_line));
    }
    if let Some(i) = l.record_index {
        s.push_str(&format!(" record {i}"));
    }
    cell(&s)
}

/// Writes the summary. A clean scan gets the verdict and the (zero) counts, no table.
pub fn write(report: &ScanReport, opts: &MarkdownOptions, out: &mut dyn Write) -> io::Result<()> {
    let not_listed = report.summary.not_listed.as_ref().map_or(0, |n| n.total());
    let n = report.findings.len() + not_listed as usize;
    writeln!(
        out,
        "### trailguard: {} ({})\n",
        plural(n, "finding", "findings"),
        verdict(report)
    )?;
    let mut notes = Vec::new();
    if let Some(cap) = report
        .summary
        .not_listed
        .as_ref()
        .filter(|_| not_listed > 0)
    {
        notes.push(format!(
            "{not_listed} not listed (past {} per rule)",
            cap.max_per_rule
        ));
    }
    if !report.suppressed.is_empty() {
        notes.push(plural(
            report.suppressed.len(),
            "suppressed finding",
            "suppressed findings",
        ));
    }
    let baselined = report
        .findings
        .iter()
        .filter(|f| {
            f.baseline_state
                .is_some_and(|b| b == crate::contract::BaselineState::Unchanged)
        })
        .count();
    if baselined > 0 {
        notes.push(format!("{baselined} already in the baseline"));
    }
    if !report.errors.is_empty() {
        notes.push(plural(report.errors.len(), "error", "errors"));
    }
    let s = &report.summary;
    writeln!(
        out,
        "Scanned {}: {}, {}; {} evaluated.{}\n",
        plural(s.files_scanned as usize, "file", "files"),
        plural(s.documents as usize, "document", "documents"),
        plural(s.resources as usize, "resource", "resources"),
        plural(s.rules_evaluated as usize, "rule", "rules"),
        if notes.is_empty() {
            String::new()
        } else {
            format!(" {}.", notes.join(", "))
        }
    )?;
    writeln!(out, "| Severity | Findings |\n|---|---:|")?;
    for sev in Severity::ALL {
        let count = report.findings.iter().filter(|f| f.severity == sev).count();
        writeln!(out, "| {sev} | {count} |")?;
    }
    if n > 0 {
        let mut rows: Vec<&Finding> = report.findings.iter().collect();
        rows.sort_by_key(|f| std::cmp::Reverse(f.severity));
        writeln!(
            out,
            "\n<details open>\n<summary>Findings ({n})</summary>\n\n| Rule | Severity | Resource | Location | Message |\n|---|---|---|---|---|"
        )?;
        for f in rows.iter().take(opts.max_findings) {
            writeln!(
                out,
                "| {} {} | {} | {} | {} | {} |",
                cell(&f.rule_id),
                cell(&f.rule_name),
                f.severity,
                cell(&f.resource),
                location(f, opts),
                cell(&f.message)
            )?;
        }
        if n > opts.max_findings {
            writeln!(
                out,
                "\n_{} not shown (the table lists the most severe first); the JSON or SARIF report has every finding._",
                plural(n - opts.max_findings, "more finding", "more findings")
            )?;
        }
        writeln!(out, "\n</details>")?;
    }
    if !report.errors.is_empty() {
        writeln!(
            out,
            "\n<details>\n<summary>Errors ({})</summary>\n\n| Code | Location | Message |\n|---|---|---|",
            report.errors.len()
        )?;
        for d in &report.errors {
            let mut at = repo_path(&d.path, opts.base_dir.as_deref())
                .as_str()
                .to_string();
            if let Some(line) = d.line {
                at.push_str(&format!(":{line}"));
            }
            writeln!(
                out,
                "| {} | {} | {} |",
                cell(&d.code),
                cell(&at),
                cell(&d.message)
            )?;
        }
        writeln!(out, "\n</details>")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(
            cell("@team #12 **x** [l](u)"),
            "&#64;team &#35;12 \\*\\*x\\*\\* \\[l\\](u)"
        );
        assert_eq!(cell("two\nlines"), "two<br>lines");
        assert_eq!(cell(&"x".repeat(400)).chars().count(), MAX_CELL + 1);
    }
}
