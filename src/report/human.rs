//! The terminal report: each finding with its source snippet (or, for an event, its record and
//! evidence), then tool errors, skipped inputs and the summary.
//!
//! Layout, per finding (ruff-like header, miette body, indented detail lines):
//!
//! ```text
//! TGC001 [high] log-file-validation-disabled
//!   x Trail 'Audit' does not validate its log files
//!    ,-[trail.yaml:6:32]
//!  6 |       EnableLogFileValidation: false
//!    :                                ^^|^^
//!    :                                  `-- CloudTrail log file validation is disabled
//!    `----
//!   resource: Audit
//!   controls: cis-aws-v3.0.0 3.2; pci-dss-v4.0 10.3.2
//! ```
//!
//! Everything that comes from input passes through [`super::sanitize`] first.

use super::excerpt::excerpt;
use super::snippet::{self, Snippet};
use super::style::{Paint, wrap};
use super::{SourceProvider, evidence, sanitize, summary};
use crate::contract::{Diagnostic, Finding, Location, RuleKind, ScanReport, Severity};
use miette::{NamedSource, SourceSpan};
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

/// How the terminal report looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colour and unicode box drawing; off means plain ASCII with no escape byte at all.
    pub color: bool,
    /// List skipped inputs with their reasons (they are always counted in the summary).
    pub show_skipped: bool,
    /// Print only findings and errors: no skipped list, no summary. A clean quiet run prints
    /// nothing, like `ruff check -q`; the exit code still tells the result.
    pub quiet: bool,
    /// Column width used to wrap messages and detail lines (clamped to at least 40).
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            show_skipped: true,
            quiet: false,
            width: 100,
        }
    }
}

/// Writes `report` for a person at a terminal. `sources` supplies file text for snippets;
/// a path it cannot supply (stdin, a file gone since the scan) is shown without one.
pub fn render(
    report: &ScanReport,
    sources: &dyn SourceProvider,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut r = Renderer {
        sources: SourceCache {
            provider: sources,
            cache: HashMap::new(),
        },
        paint: Paint { on: opts.color },
        color: opts.color,
        width: opts.width.max(40),
    };
    for finding in &report.findings {
        r.finding(finding, out)?;
    }
    for diagnostic in &report.errors {
        r.diagnostic(diagnostic, out)?;
    }
    if opts.quiet {
        return Ok(());
    }
    if opts.show_skipped && !report.skipped.is_empty() {
        writeln!(out, "{}", r.paint.bold("Skipped inputs:"))?;
        for s in &report.skipped {
            let entry = format!("{}: {}", sanitize::line(&s.path), sanitize::line(&s.reason));
            for line in wrap(&entry, r.width, "  ", "      ") {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out)?;
    }
    summary::render(&report.summary, r.paint, r.width, out)
}

/// Sanitized file text per path, read at most once per report.
struct SourceCache<'a> {
    provider: &'a dyn SourceProvider,
    cache: HashMap<String, Option<Arc<str>>>,
}

impl SourceCache<'_> {
    fn get(&mut self, path: &str) -> Option<Arc<str>> {
        if let Some(hit) = self.cache.get(path) {
            return hit.clone();
        }
        let text = self
            .provider
            .source(path)
            .map(|raw| match sanitize::source(&raw) {
                std::borrow::Cow::Borrowed(_) => raw.clone(),
                std::borrow::Cow::Owned(clean) => Arc::from(clean),
            });
        self.cache.insert(path.to_string(), text.clone());
        text
    }
}

struct Renderer<'a> {
    sources: SourceCache<'a>,
    paint: Paint,
    color: bool,
    width: usize,
}

impl Renderer<'_> {
    fn finding(&mut self, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
        let sev = f.severity.as_str();
        writeln!(
            out,
            "{} {} {}",
            self.paint.bold(&sanitize::line(&f.rule_id)),
            self.paint.severity(f.severity, &format!("[{sev}]")),
            sanitize::line(&f.rule_name)
        )?;
        let is_event = is_event_location(&f.location);
        // Log records are single-line JSON blobs: a snippet of one says less than the evidence.
        let source = if is_event || matches!(f.kind, RuleKind::Event | RuleKind::Aggregate) {
            None
        } else {
            self.snippet_source(&f.location, Some(sanitize::line(&f.title).into_owned()))
        };
        let shown_snippet = source.is_some();
        let body = Snippet {
            message: sanitize::text(&f.message).into_owned(),
            severity: miette_severity(f.severity),
            help: None,
            source,
        };
        out.write_all(snippet::render(&body, self.color, self.width).as_bytes())?;

        let mut details: Vec<(&str, String)> = Vec::new();
        if is_event {
            details.push(("at", event_location(&f.location)));
        } else if !shown_snippet {
            details.push(("at", file_location(&f.location)));
        }
        if !f.resource.is_empty() {
            details.push(("resource", sanitize::line(&f.resource).into_owned()));
        }
        let (items, omitted) = evidence::items(&f.evidence.value());
        if !items.is_empty() {
            let mut text = items.join(", ");
            if omitted > 0 {
                text.push_str(&format!(" (+{omitted} more)"));
            }
            details.push(("evidence", text));
        }
        if !f.compliance.is_empty() {
            let controls: Vec<String> = f
                .compliance
                .iter()
                .map(|(fw, ids)| sanitize::line(&format!("{fw} {}", ids.join(", "))).into_owned())
                .collect();
            details.push(("controls", controls.join("; ")));
        }
        self.details(&details, out)?;
        writeln!(out)
    }

    fn diagnostic(&mut self, d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} {}",
            self.paint.bold(&sanitize::line(&d.code)),
            self.paint.red("[error]")
        )?;
        let location = Location {
            path: d.path.as_str().into(),
            start_line: d.line.unwrap_or(0),
            start_column: d.column.unwrap_or(0),
            end_line: d.line.unwrap_or(0),
            end_column: d.column.unwrap_or(0),
            record_index: None,
            event_id: None,
        };
        let source = self.snippet_source(&location, None);
        let shown_snippet = source.is_some();
        let body = Snippet {
            message: sanitize::text(&d.message).into_owned(),
            severity: miette::Severity::Error,
            help: None,
            source,
        };
        out.write_all(snippet::render(&body, self.color, self.width).as_bytes())?;
        let mut details = Vec::new();
        if !shown_snippet && !d.path.is_empty() {
            details.push(("at", file_location(&location)));
        }
        if let Some(help) = &d.help {
            details.push(("help", sanitize::text(help).into_owned()));
        }
        self.details(&details, out)?;
        writeln!(out)
    }

    /// The named source and span for a snippet at `loc`, if its text is available and the
    /// location fits inside it.
    fn snippet_source(
        &mut self,
        loc: &Location,
        label: Option<String>,
    ) -> Option<(NamedSource<String>, SourceSpan, Option<String>)> {
        if loc.path.is_empty() || loc.start_line == 0 {
            return None;
        }
        let text = self.sources.get(&loc.path)?;
        // Leave room for miette's gutter (line number and bar) so cropped lines fit the width.
        let max_cols = self.width.saturating_sub(12);
        let ellipsis = if self.color { "…" } else { "..." };
        let x = excerpt(
            &text,
            (loc.start_line, loc.start_column),
            (loc.end_line, loc.end_column),
            max_cols,
            ellipsis,
        )?;
        let cut = x.cut_from.map(|last| format!("through line {last}"));
        let label = match (label, cut) {
            (Some(l), Some(cut)) => vec![format!("{l} ({cut})"), cut],
            (Some(l), None) => vec![l],
            (None, Some(cut)) => vec![cut],
            (None, None) => vec![],
        };
        // miette prints the label to the right of the underline and never wraps it: keep the
        // longest form that fits the width, or just the underline.
        let line_start = x
            .text
            .get(..x.offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let column = x
            .text
            .get(line_start..x.offset)
            .map_or(0, |t| t.chars().count());
        let gutter = (loc.end_line.max(loc.start_line) + 1).to_string().len() + 3;
        let room = self.width.saturating_sub(gutter + column + 6);
        let label = label.into_iter().find(|l| l.chars().count() <= room);
        let source = NamedSource::new(file_location(loc), x.text);
        Some((source, SourceSpan::new(x.offset.into(), x.len), label))
    }

    /// `  key: value` lines, wrapped, values aligned under their first character.
    fn details(&self, details: &[(&str, String)], out: &mut dyn Write) -> io::Result<()> {
        for (key, value) in details {
            let first = format!("  {}: ", key);
            let rest = " ".repeat(first.len());
            let lines = wrap(value, self.width, &first, &rest);
            for (n, line) in lines.iter().enumerate() {
                if n == 0 {
                    let tail = line.get(first.len()..).unwrap_or("");
                    writeln!(out, "  {} {tail}", self.paint.dim(&format!("{key}:")))?;
                } else {
                    writeln!(out, "{line}")?;
                }
            }
        }
        Ok(())
    }
}

/// Event findings point at a record, not at a span worth quoting.
fn is_event_location(loc: &Location) -> bool {
    loc.record_index.is_some() || loc.event_id.is_some()
}

/// `path:line:col`, dropping the parts that are unknown (0).
fn file_location(loc: &Location) -> String {
    let path = sanitize::line(&loc.path);
    match (loc.start_line, loc.start_column) {
        (0, _) => path.into_owned(),
        (line, 0) => format!("{path}:{line}"),
        (line, col) => format!("{path}:{line}:{col}"),
    }
}

/// `path record #N (line L) eventID E`; `#N` is the zero-based `record_index` of the JSON report,
/// so `jq '.Records[N]'` finds it.
fn event_location(loc: &Location) -> String {
    let mut s = sanitize::line(&loc.path).into_owned();
    if let Some(index) = loc.record_index {
        s.push_str(&format!(" record #{index}"));
    }
    if loc.start_line > 0 {
        s.push_str(&format!(" (line {})", loc.start_line));
    }
    if let Some(id) = &loc.event_id {
        s.push_str(&format!(" eventID {}", sanitize::line(id)));
    }
    s
}

/// miette has three levels; its icon and colour follow the finding's severity band.
fn miette_severity(sev: Severity) -> miette::Severity {
    match sev {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium | Severity::Low => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}
