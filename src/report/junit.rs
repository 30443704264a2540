//! JUnit XML (`--format junit`) for GitLab `artifacts:reports:junit`, Jenkins and Azure
//! Pipelines test tabs.
//!
//! Layout: one `<testsuite>` per scanned file; in it one `<testcase>` per rule x resource, failing
//! with every message and location of that pair. GitLab uses `classname` as the suite name and
//! keeps only the first of two equal test names, so names are `<rule> <resource>` and
//! unique within a file. Suppressed findings are `<skipped>` test cases with the reason.
//! Rules that ran and found nothing anywhere are passed test cases in a `trailguard rules`
//! suite: a per-resource pass is not knowable from findings, a whole rule's pass is. Tool
//! errors are `<error>` test cases, so a broken input is visible in the test report too.

use super::sanitize;
use super::sarif::repo_path;
use crate::contract::{Diagnostic, Finding, RuleDescriptor, ScanReport, SuppressedFinding};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

/// Escape for an attribute value (after control characters became visible stand-ins).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize::line(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape for element text; line breaks survive.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize::text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Case<'a> {
    failures: Vec<&'a Finding>,
    suppressed: Vec<&'a SuppressedFinding>,
}

fn position(f: &Finding, path: &str) -> String {
    let l = &f.location;
    // Line 0 means "position unknown": show the file alone.
    let mut s = match (l.start_line, l.start_column) {
        (0, _) => path.to_string(),
        (line, 0) => format!("{path}:{line}"),
        (line, col) => format!("{path}:{line}:{col}"),
    };
    if let Some(i) = l.record_index {
        s.push_str(&format!(" record #{i}"));
    }
    if let Some(id) = &l.event_id {
        s.push_str(&format!(" eventID {id}"));
    }
    s
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn suite_open(buf: &mut String, name: &str, c: &Counts) {
    let _ = writeln!(
        buf,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        attr(name),
        c.tests,
        c.failures,
        c.errors,
        c.skipped
    );
}

fn file_suite(buf: &mut String, path: &str, cases: &BTreeMap<(&str, &str), Case>) -> Counts {
    let mut body = String::new();
    let mut c = Counts::default();
    for ((rule, resource), case) in cases {
        let name = if case.failures.is_empty() {
            format!("{rule} {resource} (suppressed)")
        } else {
            format!("{rule} {resource}")
        };
        let _ = write!(
            body,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" time=\"0\"",
            attr(&name),
            attr(path),
            attr(path)
        );
        c.tests += 1;
        if let Some(first) = case.failures.first() {
            c.failures += 1;
            let mut detail = String::new();
            for f in &case.failures {
                let _ = writeln!(
                    detail,
                    "{} {} [{}] {}",
                    position(f, path),
                    f.rule_id,
                    f.severity,
                    f.message
                );
            }
            let _ = writeln!(detail, "resource: {resource}");
            let _ = write!(
                body,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                attr(&first.message),
                first.severity,
                text(&detail)
            );
        } else if let Some(s) = case.suppressed.first() {
            c.skipped += 1;
            let why = format!(
                "suppressed ({}{}): {}",
                s.suppression.kind,
                s.suppression
                    .expires
                    .as_deref()
                    .map(|e| format!(", until {e}"))
                    .unwrap_or_default(),
                s.suppression.reason
            );
            let _ = write!(
                body,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                attr(&why)
            );
        } else {
            body.push_str("/>\n");
        }
    }
    suite_open(buf, path, &c);
    buf.push_str(&body);
    buf.push_str("  </testsuite>\n");
    c
}

fn errors_suite(buf: &mut String, errors: &[Diagnostic], base: Option<&Path>) -> Counts {
    let c = Counts {
        tests: errors.len(),
        errors: errors.len(),
        ..Counts::default()
    };
    suite_open(buf, "trailguard errors", &c);
    for (i, d) in errors.iter().enumerate() {
        let path = repo_path(&d.path, base);
        let mut where_ = path.as_str().to_string();
        if let Some(line) = d.line {
            where_.push_str(&format!(":{line}:{}", d.column.unwrap_or(0)));
        }
        let mut detail = format!("{where_} {}\n", d.message);
        if let Some(help) = &d.help {
            detail.push_str(&format!("help: {help}\n"));
        }
        let _ = write!(
            buf,
            "    <testcase name=\"{}\" classname=\"trailguard.errors\" time=\"0\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
            attr(&format!("error {} {} {}", i + 1, d.code, path.as_str())),
            attr(&d.message),
            attr(&d.code),
            text(&detail)
        );
    }
    buf.push_str("  </testsuite>\n");
    c
}

/// Writes the JUnit report. `evaluated` are the rules that ran (pass `&[]` when unknown, e.g.
/// for a converted report): those without any finding become passed test cases.
pub fn write(
    report: &ScanReport,
    evaluated: &[RuleDescriptor],
    base: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paths: Vec<String> = report
        .findings
        .iter()
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .map(|f| repo_path(&f.location.path, base).as_str().to_string())
        .collect();
    let mut files: BTreeMap<&str, BTreeMap<(&str, &str), Case>> = BTreeMap::new();
    let n = report.findings.len();
    for (i, f) in report.findings.iter().enumerate() {
        let case = files
            .entry(&paths[i])
            .or_default()
            .entry((&f.rule_id, &f.resource))
            .or_default();
        case.failures.push(f);
    }
    for (i, s) in report.suppressed.iter().enumerate() {
        let case = files
            .entry(&paths[n + i])
            .or_default()
            .entry((&s.finding.rule_id, &s.finding.resource))
            .or_default();
        case.suppressed.push(s);
    }

    let mut body = String::new();
    let mut total = Counts::default();
    let mut add = |c: Counts| {
        total.tests += c.tests;
        total.failures += c.failures;
        total.errors += c.errors;
        total.skipped += c.skipped;
    };
    for (path, cases) in &files {
        add(file_suite(&mut body, path, cases));
    }
    let fired: BTreeSet<&str> = report
        .findings
        .iter()
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .map(|f| &*f.rule_id)
        .collect();
    let mut passed: Vec<&RuleDescriptor> = evaluated
        .iter()
        .filter(|d| !fired.contains(d.id.as_str()))
        .collect();
    passed.sort_by(|a, b| a.id.cmp(&b.id));
    if !passed.is_empty() {
        let c = Counts {
            tests: passed.len(),
            ..Counts::default()
        };
        suite_open(&mut body, "trailguard rules", &c);
        for d in passed {
            let _ = writeln!(
                body,
                "    <testcase name=\"{}\" classname=\"trailguard.rules\" time=\"0\"/>",
                attr(&format!("{} {}", d.id, d.name))
            );
        }
        body.push_str("  </testsuite>\n");
        add(c);
    }
    if !report.errors.is_empty() {
        add(errors_suite(&mut body, &report.errors, base));
    }
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"trailguard\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        total.tests, total.failures, total.errors, total.skipped
    )?;
    out.write_all(body.as_bytes())?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_covers_markup_quotes_and_controls() {
        assert_eq!(attr("a<b>&\"c'\n"), "a&lt;b&gt;&amp;&quot;c&apos;␊");
        assert_eq!(text("x<y\n\u{1b}z"), "x&lt;y\n␛z");
    }
}
