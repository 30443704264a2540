//! Checks every rule's good/bad examples through the real pipeline: each bad example must fire
//! exactly its own rule and each good example no rule at all, with the whole pack loaded.
//! Run by `trailguard test` and by `cargo test`.

use super::{ScanOptions, scan};
use crate::contract::{Examples, Severity};
use crate::policy::PolicySet;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct ExampleResult {
    pub rule: String,
    pub format: String,
    pub kind: &'static str,
    pub index: usize,
    /// `None` = as expected; otherwise what went wrong.
    pub problem: Option<String>,
}

/// File name an example of `format` is written to, so detection sees it as a user would.
fn file_name(format: &str) -> Option<&'static str> {
    match format {
        "cloudformation" => Some("template.yaml"),
        "terraform-hcl" => Some("main.tf"),
        "terraform-plan" => Some("plan.json"),
        "live-export" => Some("export.json"),
        "events" => Some("events.json"),
        _ => None,
    }
}

/// Check the examples of every rule in `set` (all rules of the set are evaluated).
pub fn check(set: &PolicySet) -> Vec<ExampleResult> {
    let all: BTreeSet<String> = set.rules.iter().map(|r| r.desc.id.clone()).collect();
    let mut results = Vec::new();
    for rule in &set.rules {
        let Some(text) = &rule.examples else { continue };
        let examples = match Examples::parse(text) {
            Ok(e) => e,
            Err(e) => {
                results.push(ExampleResult {
                    rule: rule.desc.id.clone(),
                    format: String::new(),
                    kind: "file",
                    index: 0,
                    problem: Some(format!("invalid examples file: {e}")),
                });
                continue;
            }
        };
        for f in &rule.desc.applies_to {
            if !examples.formats.contains_key(f) {
                results.push(ExampleResult {
                    rule: rule.desc.id.clone(),
                    format: f.clone(),
                    kind: "file",
                    index: 0,
                    problem: Some(format!("no examples for format `{f}` listed in applies_to")),
                });
            }
        }
        for (format, ex) in &examples.formats {
            for (kind, list) in [("good", &ex.good), ("bad", &ex.bad)] {
                for (i, text) in list.iter().enumerate() {
                    let problem = run_one(
                        set,
                        &all,
                        format,
                        text,
                        if kind == "bad" {
                            Some(&rule.desc.id)
                        } else {
                            None
                        },
                    );
                    results.push(ExampleResult {
                        rule: rule.desc.id.clone(),
                        format: format.clone(),
                        kind,
                        index: i,
                        problem,
                    });
                }
            }
        }
    }
    results
}

fn run_one(
    set: &PolicySet,
    all: &BTreeSet<String>,
    format: &str,
    text: &str,
    expect: Option<&String>,
) -> Option<String> {
    let Some(name) = file_name(format) else {
        return Some(format!("unknown example format `{format}`"));
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return Some(format!("cannot create a temporary directory: {e}")),
    };
    let path: PathBuf = dir.path().join(name);
    if let Err(e) = std::fs::write(&path, text) {
        return Some(format!("cannot write example: {e}"));
    }
    let opts = ScanOptions {
        paths: vec![path],
        fail_on: Some(Severity::Info),
        threads: 1,
        selected: all.clone(),
        ..Default::default()
    };
    let report = scan(&opts, set, Vec::new());
    if !report.errors.is_empty() {
        return Some(format!(
            "scan errors: {}",
            report
                .errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if let Some(s) = report.skipped.first() {
        return Some(format!("example was skipped: {}", s.reason));
    }
    let fired: BTreeSet<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    match expect {
        Some(id) if fired.len() == 1 && fired.contains(id.as_str()) => None,
        Some(id) => Some(format!("expected exactly {id} to fire, got {fired:?}")),
        None if fired.is_empty() => None,
        None => Some(format!(
            "expected no findings, got {fired:?}: {}",
            report
                .findings
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" | ")
        )),
    }
}

/// Print example results; returns 0 when every example behaved, 1 otherwise.
pub fn print(results: &[ExampleResult], verbose: bool, out: &mut dyn std::io::Write) -> i32 {
    let mut write = || -> std::io::Result<i32> {
        let mut bad = 0usize;
        for r in results {
            match &r.problem {
                None if verbose => writeln!(
                    out,
                    "{} {} {} example #{}: PASS",
                    r.rule,
                    r.format,
                    r.kind,
                    r.index + 1
                )?,
                None => {}
                Some(p) => {
                    bad += 1;
                    writeln!(
                        out,
                        "{} {} {} example #{}: FAIL: {p}",
                        r.rule,
                        r.format,
                        r.kind,
                        r.index + 1
                    )?;
                }
            }
        }
        writeln!(
            out,
            "EXAMPLES: {}/{} behave as documented",
            results.len() - bad,
            results.len()
        )?;
        Ok(i32::from(bad > 0))
    };
    write().unwrap_or(2)
}
