//! Runs the `test_*` rules of `*_test.rego` files, like `opa test` (regorus has no runner).
//!
//! A test passes when its rule evaluates to `true`; `false` or undefined fails; an evaluation
//! error is reported as an error with the message. Tests run on the interpreter, which supports
//! `with input as ...` overrides.

use super::PolicySet;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Error(String),
}

#[derive(Debug, Clone)]
pub struct TestResult {
    pub path: String,
    pub package: String,
    pub name: String,
    pub outcome: Outcome,
    pub duration: Duration,
}

/// Run every test rule in the set, in file order then source order.
pub fn run(set: &PolicySet, filter: Option<&str>) -> Vec<TestResult> {
    let mut engine = set.engine.clone();
    let mut results = Vec::new();
    // A test that explodes stops at the memory limit like a scan's evaluation does.
    let _ceiling = super::memory::Ceiling::install(super::memory::DEFAULT_LIMIT);
    for f in set.files.iter().filter(|f| f.is_test) {
        for name in &f.tests {
            let full = format!("data.{}.{}", f.package, name);
            if filter.is_some_and(|pat| !full.contains(pat)) {
                continue;
            }
            let start = Instant::now();
            let outcome = match super::memory::guard(
                || engine.eval_rule(full.clone()),
                |e| super::memory::is_memory_error(e.as_ref()),
            ) {
                Ok(regorus::Value::Bool(true)) => Outcome::Pass,
                Ok(_) => Outcome::Fail,
                Err(super::memory::Guarded::Exceeded(limit)) => {
                    Outcome::Error(super::memory::exceeded(limit))
                }
                Err(super::memory::Guarded::Failed(e)) => Outcome::Error(
                    super::regorus_diag("policy::test", &f.path, &e.to_string()).message,
                ),
            };
            results.push(TestResult {
                path: f.path.clone(),
                package: f.package.clone(),
                name: name.clone(),
                outcome,
                duration: start.elapsed(),
            });
        }
    }
    results
}

/// Print results in the manner of `opa test`; returns the exit code (0 all passed, 1 otherwise).
pub fn print(results: &[TestResult], verbose: bool, out: &mut dyn std::io::Write) -> i32 {
    let mut write = || -> std::io::Result<i32> {
        let mut failed = 0usize;
        let mut errored = 0usize;
        for r in results {
            let label = match &r.outcome {
                Outcome::Pass => "PASS",
                Outcome::Fail => {
                    failed += 1;
                    "FAIL"
                }
                Outcome::Error(_) => {
                    errored += 1;
                    "ERROR"
                }
            };
            if verbose || r.outcome != Outcome::Pass {
                writeln!(
                    out,
                    "{}: data.{}.{}: {label} ({:.1?})",
                    r.path, r.package, r.name, r.duration
                )?;
                if let Outcome::Error(msg) = &r.outcome {
                    writeln!(out, "  {msg}")?;
                }
            }
        }
        let passed = results.len() - failed - errored;
        writeln!(out, "{}", "-".repeat(60))?;
        writeln!(out, "PASS: {passed}/{}", results.len())?;
        if failed > 0 {
            writeln!(out, "FAIL: {failed}/{}", results.len())?;
        }
        if errored > 0 {
            writeln!(out, "ERROR: {errored}/{}", results.len())?;
        }
        Ok(if failed + errored > 0 || results.is_empty() {
            1
        } else {
            0
        })
    };
    write().unwrap_or(2)
}
