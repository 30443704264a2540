//! Checks every rule's good/bad examples through the real pipeline: each bad example must fire
//! exactly its own rule and each good example no rule at all, with the whole pack loaded.
//! Run by `trailguard test` and by `cargo test`.

use super::{Prepared, ScanOptions, scan_prepared};
use crate::contract::{Examples, Severity};
use crate::policy::PolicySet;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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
pub fn file_name(format: &str) -> Option<&'static str> {
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
    let opts = ScanOptions {
        fail_on: Some(Severity::Info),
        threads: 1,
        selected: all,
        ..Default::default()
    };
    // Compile once; examples that need other parameters get their own preparation.
    let default = Prepared::new(set, &opts);
    let mut results = Vec::new();
    for rule in &set.rules {
        let Some(text) = &rule.examples else { continue };
        let file_problem = |problem: String, format: &str| ExampleResult {
            rule: rule.desc.id.clone(),
            format: format.to_string(),
            kind: "file",
            index: 0,
            problem: Some(problem),
        };
        let examples = match Examples::parse(text) {
            Ok(e) => e,
            Err(e) => {
                results.push(file_problem(format!("invalid examples file: {e}"), ""));
                continue;
            }
        };
        for f in &rule.desc.applies_to {
            if !examples.formats.contains_key(f) {
                results.push(file_problem(
                    format!("no examples for format `{f}` listed in applies_to"),
                    f,
                ));
            }
        }
        let custom;
        let prepared = if examples.params.is_empty() {
            &default
        } else {
            match engine_with_params(set, &examples.params) {
                Ok((engine, merged)) => {
                    custom = Prepared::with_engine(set, engine, &merged, &opts);
                    &custom
                }
                Err(e) => {
                    results.push(file_problem(e, ""));
                    continue;
                }
            }
        };
        let mut tasks = Vec::new();
        for (format, ex) in &examples.formats {
            for (kind, list) in [("good", &ex.good), ("bad", &ex.bad)] {
                for (i, text) in list.iter().enumerate() {
                    tasks.push((format, kind, i, text));
                }
            }
        }
        // Examples are independent tiny scans: run them on all cores, keep file order.
        results.par_extend(tasks.into_par_iter().map(|(format, kind, i, text)| {
            let expect = (kind == "bad").then_some(&rule.desc.id);
            // An aggregate rule's example records also fire the rules it counts: those
            // findings are its input, not a mistake of the example.
            let counted = rule.desc.window.as_ref().map_or(&[][..], |w| &w.counts[..]);
            let problem = run_one(prepared, &opts, format, text, expect, counted);
            ExampleResult {
                rule: rule.desc.id.clone(),
                format: format.clone(),
                kind,
                index: i,
                problem,
            }
        }));
    }
    results
}

/// The set's engine with `params` merged over the parameters it was loaded with.
pub fn engine_with_params(
    set: &PolicySet,
    params: &BTreeMap<String, serde_json::Value>,
) -> Result<(regorus::Engine, serde_json::Value), String> {
    let mut merged = set.params.clone();
    if let serde_json::Value::Object(m) = &mut merged {
        for (k, v) in params {
            if !m.contains_key(k) {
                return Err(format!("examples set unknown parameter `{k}`"));
            }
            m.insert(k.clone(), v.clone());
        }
    }
    let data = serde_json::json!({"trailguard": {"params": merged}});
    let value = regorus::Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())?;
    let mut engine = set.engine.clone();
    engine.clear_data();
    engine.add_data(value).map_err(|e| e.to_string())?;
    Ok((engine, merged))
}

fn run_one(
    prepared: &Prepared<'_>,
    opts: &ScanOptions,
    format: &str,
    text: &str,
    expect: Option<&String>,
    counted: &[String],
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
        ..opts.clone()
    };
    let report = scan_prepared(prepared, &opts, Vec::new());
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
    let fired: BTreeSet<&str> = report
        .findings
        .iter()
        .map(|f| &*f.rule_id)
        .filter(|id| !counted.iter().any(|c| c == id))
        .collect();
    match expect {
        Some(id) if fired.len() == 1 && fired.contains(id.as_str()) => None,
        Some(id) => Some(format!("expected exactly {id} to fire, got {fired:?}")),
        None if fired.is_empty() => None,
        None => Some(format!(
            "expected no findings, got {fired:?}: {}",
            report
                .findings
                .iter()
                .filter(|f| fired.contains(&*f.rule_id))
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
