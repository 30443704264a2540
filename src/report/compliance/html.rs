//! The compliance report as one self-contained HTML page: inline CSS, no script, no external
//! asset (a Content-Security-Policy meta tag forbids loading any), every input-derived string
//! escaped. Opened from the repository root, the evidence links open the files.

use super::{ComplianceReport, ControlResult, Status, evidence_position, findings_note, plural};
use crate::contract::Severity;
use crate::report::sanitize;
use crate::report::sarif::{RepoPath, encode_uri_path, repo_path};
use std::io::{self, Write};
use std::path::Path;

/// Escape text for HTML content and (double-quoted) attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize::text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#1f2328;padding:0 1em}\
h1{font-size:1.6em}h2{margin-top:1.6em}\
.cards{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}\
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6em 1em;min-width:7em}\
.card b{display:block;font-size:1.8em}\
table{border-collapse:collapse;width:100%;margin:.6em 0}\
th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f6f8fa}\
.fail{color:#b42318;font-weight:600}.pass{color:#1a7f37;font-weight:600}.not-assessed{color:#6e7781;font-weight:600}\
.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.6em 1em;border-radius:6px}\
details{margin:.4em 0 1em}summary{cursor:pointer}code{font-size:.95em}";

fn class(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::NotAssessed => "not-assessed",
    }
}

fn status(s: Status) -> String {
    format!("<span class=\"{}\">{}</span>", class(s), s.as_str())
}

fn href(path: &str, base: Option<&Path>) -> String {
    match repo_path(path, base) {
        RepoPath::Relative(p) => encode_uri_path(&p),
        RepoPath::Absolute(p) => format!("file://{}", encode_uri_path(&p)),
    }
}

fn control(c: &ControlResult, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<h3 id=\"c-{}\">{} {}</h3>\n<p>Status: {}; {} of {} rules assessed; {}.</p>",
        esc(&c.id),
        esc(&c.id),
        esc(&c.title),
        status(c.status),
        c.rules_assessed,
        c.rules.len(),
        findings_note(c)
    )?;
    writeln!(
        out,
        "<table><tr><th>Rule</th><th>Severity</th><th>Status</th><th>Findings</th><th>Note</th></tr>"
    )?;
    for r in &c.rules {
        writeln!(
            out,
            "<tr><td><code>{}</code> {}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.name),
            esc(&r.title),
            r.severity,
            status(r.status),
            r.findings,
            esc(r.reason.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(out, "</table>")?;
    if c.evidence.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<details><summary>Evidence ({})</summary>\n<table><tr><th>Location</th><th>Rule</th><th>Severity</th><th>Resource</th><th>Message</th></tr>",
        c.evidence.len()
    )?;
    for e in &c.evidence {
        let (path, shown) = evidence_position(e, base);
        let note = e
            .suppressed
            .as_deref()
            .map(|s| format!("<br><em>suppressed: {}</em>", esc(s)))
            .unwrap_or_default();
        writeln!(
            out,
            "<tr><td><a href=\"{}\">{}</a></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{note}</td></tr>",
            esc(&format!("{}#L{}", href(&path, None), e.line)),
            esc(&shown),
            esc(&e.rule_id),
            e.severity,
            esc(&e.resource),
            esc(&e.message)
        )?;
    }
    writeln!(out, "</table></details>")
}

fn card(out: &mut dyn Write, n: usize, label: &str, class: &str) -> io::Result<()> {
    let class = if class.is_empty() {
        "card".to_string()
    } else {
        format!("card {class}")
    };
    writeln!(out, "<div class=\"{class}\"><b>{n}</b>{label}</div>")
}

pub fn write(r: &ComplianceReport, base: Option<&Path>, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.summary;
    let title = format!("{} ({}): compliance report", r.title, r.framework);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>",
        esc(&title),
        esc(&title)
    )?;
    let catalog = match &r.url {
        Some(url) if url.starts_with("https://") => {
            format!(" Catalog: <a href=\"{}\">{}</a>.", esc(url), esc(url))
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "<p>Generated by {} {}. A control passes only when every rule behind it was assessed and found nothing.{catalog}</p>",
        esc(&r.tool.name),
        esc(&r.tool.version)
    )?;
    if s.errors > 0 {
        writeln!(
            out,
            "<p class=\"warn\"><b>Incomplete:</b> {} errors during the scan (unreadable inputs or broken policies); statuses may be wrong.</p>",
            s.errors
        )?;
    }
    writeln!(out, "<h2>Controls</h2>\n<div class=\"cards\">")?;
    card(out, s.fail, "fail", "fail")?;
    card(out, s.not_assessed, "not assessed", "not-assessed")?;
    card(out, s.pass, "pass", "pass")?;
    card(out, s.controls, "mapped controls", "")?;
    writeln!(out, "</div>")?;
    if s.unmapped_controls > 0 {
        writeln!(
            out,
            "<p>Not mapped to any rule (outside what trailguard checks): {} of the catalog.</p>",
            plural(s.unmapped_controls, "more control", "more controls")
        )?;
    }
    writeln!(out, "<h2>Findings by severity</h2>\n<div class=\"cards\">")?;
    for sev in Severity::ALL {
        let n = s
            .findings_by_severity
            .get(sev.as_str())
            .copied()
            .unwrap_or(0);
        card(out, n, sev.as_str(), "")?;
    }
    card(out, s.suppressed, "suppressed", "")?;
    writeln!(out, "</div>")?;
    if r.controls.is_empty() {
        writeln!(
            out,
            "<p>No loaded rule maps to a control of this framework.</p>"
        )?;
    } else {
        writeln!(
            out,
            "<table><tr><th>Control</th><th>Title</th><th>Status</th><th>Rules assessed</th><th>Findings</th></tr>"
        )?;
        for c in &r.controls {
            writeln!(
                out,
                "<tr><td><a href=\"#c-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td></tr>",
                esc(&c.id),
                esc(&c.id),
                esc(&c.title),
                status(c.status),
                c.rules_assessed,
                c.rules.len(),
                c.findings
            )?;
        }
        writeln!(out, "</table>\n<h2>Details</h2>")?;
        for c in &r.controls {
            control(c, base, out)?;
        }
    }
    writeln!(out, "</body>\n</html>")
}
