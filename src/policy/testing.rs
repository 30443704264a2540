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
    for f in set.files.iter().filter(|f| f.is_test) {
        for name in &f.tests {
            let full = format!("data.{}.{}", f.package, name);
            if let Some(pat) = filter {
                if !full.contains(pat) {
                    continue;
                }
            }
            let start = Instant::now();
            let outcome = match engine.eval_rule(full) {
                Ok(regorus::Value::Bool(true)) => Outcome::Pass,
                Ok(_) => Outcome::Fail,
                Err(e) => Outcome::Error(super::regorus_diag("policy::test", &f.path, &e.to_string()).message),
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
