//! Evaluates config rules on one normalized document and turns `deny` entries into findings.
//!
//! Each worker owns an [`Evaluator`] (a clone of the prepared engine: cheap, modules are shared,
//! and its own VM), so evaluation needs no locks and its result does not depend on scheduling.
//! The rules of the VM part of the [`ConfigPlan`] run on the bytecode VM, the others on the
//! interpreter; a document the VM fails on is evaluated wholly by the interpreter.

use super::Rule;
use super::aggregate::{ALL_ENTRY, ConfigPlan, INTERPRETED_ENTRY};
use super::deny::DenyEntry;
use crate::contract::{Diagnostic, Finding, Location, fingerprint};
use crate::model::Document;
use serde_json::Value;

pub struct Evaluator {
    engine: regorus::Engine,
    aggregate: bool,
    /// The VM part of the plan, loaded, with the positions of its rules.
    vm: Option<(regorus::rvm::vm::RegoVM, Vec<usize>)>,
}

/// Per-document instruction budget for config rules on the bytecode VM: stops a runaway policy
/// (the scan goes on with the interpreter, whose time limit then names the rule).
pub const CONFIG_MAX_INSTRUCTIONS: usize = 50_000_000;

impl Evaluator {
    /// An evaluator for the rules planned in `plan` (each worker owns one).
    pub fn new(plan: &ConfigPlan) -> Evaluator {
        let vm = plan.program.clone().and_then(|p| {
            let mut vm = regorus::rvm::vm::RegoVM::new();
            vm.load_program(p);
            vm.set_data(plan.engine.get_data()).ok()?;
            vm.set_max_instructions(CONFIG_MAX_INSTRUCTIONS);
            let on_vm = (0..plan.on_vm.len()).filter(|&i| plan.on_vm[i]).collect();
            Some((vm, on_vm))
        });
        Evaluator {
            engine: plan.engine.clone(),
            aggregate: plan.aggregate,
            vm,
        }
    }

    /// Evaluate `rules` (the rules of the plan, in its order) against `doc`. A rule that errors
    /// becomes a diagnostic naming the rule; the other rules still run.
    pub fn eval_document(
        &mut self,
        rules: &[&Rule],
        doc: &Document,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        // serde_json::from_str, not Value::from_json_str: the same values without its key
        // interning guard (measured 130 against 160 µs for a 10 KB document).
        let input = match serde_json::to_string(doc)
            .and_then(|s| serde_json::from_str::<regorus::Value>(&s))
            .map_err(|e| e.to_string())
        {
            Ok(v) => v,
            Err(e) => {
                errors.push(Diagnostic {
                    code: "eval::input".into(),
                    path: doc.path.clone(),
                    line: None,
                    column: None,
                    message: format!("cannot build policy input: {e}"),
                    help: None,
                });
                return (findings, errors);
            }
        };
        let mut per_rule: Vec<Option<Vec<Value>>> = vec![None; rules.len()];
        if let Some((vm, on_vm)) = &mut self.vm {
            vm.set_input(input.clone());
            // An error, or an undefined value leaking into the result (a VM divergence, see
            // docs/regorus-notes.md), sends the whole document to the interpreter.
            if let Ok(all) = vm.execute_entry_point_by_index(0)
                && !contains_undefined(&all, 0)
                && let Some(items) = aggregate_items(&all, on_vm)
            {
                for (i, v) in items {
                    per_rule[i] = Some(v);
                }
            }
        }
        let pending: Vec<usize> = (0..rules.len())
            .filter(|&i| per_rule[i].is_none())
            .collect();
        if !pending.is_empty() {
            self.engine.set_input(input);
            let entry = if pending.len() == rules.len() {
                ALL_ENTRY
            } else {
                INTERPRETED_ENTRY
            };
            if self.aggregate
                && let Ok(all) = self.engine.eval_rule(entry.to_string())
                && let Some(items) = aggregate_items(&all, &pending)
            {
                for (i, v) in items {
                    per_rule[i] = Some(v);
                }
            }
        }
        for (rule, items) in rules.iter().zip(per_rule) {
            match items {
                Some(items) => collect(rule, doc, items, &mut findings, &mut errors),
                // One query per rule: the fallback, and how a failing rule is named.
                None => match self.engine.eval_rule(rule.entry.clone()) {
                    Ok(v) => collect(rule, doc, deny_items(&v), &mut findings, &mut errors),
                    Err(e) => errors.push(Diagnostic {
                        code: "policy::eval".into(),
                        path: doc.path.clone(),
                        line: None,
                        column: None,
                        message: format!(
                            "rule {} failed: {}",
                            rule.desc.id,
                            first_line(&e.to_string())
                        ),
                        help: Some(format!("policy file: {}", rule.desc.source)),
                    }),
                },
            }
        }
        (findings, errors)
    }
}

/// Deepest nesting [`contains_undefined`] looks into; a deeper result is treated as suspect.
const MAX_RESULT_DEPTH: usize = 64;

/// Whether an undefined value sits anywhere inside `v` (never in a correct result).
fn contains_undefined(v: &regorus::Value, depth: usize) -> bool {
    use regorus::Value as V;
    if depth > MAX_RESULT_DEPTH {
        return true;
    }
    match v {
        V::Undefined => true,
        V::Array(a) => a.iter().any(|x| contains_undefined(x, depth + 1)),
        V::Set(s) => s.iter().any(|x| contains_undefined(x, depth + 1)),
        V::Object(o) => o
            .iter()
            .any(|(k, x)| contains_undefined(k, depth + 1) || contains_undefined(x, depth + 1)),
        V::Null | V::Bool(_) | V::Number(_) | V::String(_) => false,
    }
}

fn collect(
    rule: &Rule,
    doc: &Document,
    items: Vec<Value>,
    findings: &mut Vec<Finding>,
    errors: &mut Vec<Diagnostic>,
) {
    for item in items {
        match to_finding(rule, doc, &item) {
            Ok(f) => findings.push(f),
            Err(msg) => errors.push(Diagnostic {
                code: "policy::result".into(),
                path: rule.desc.source.clone(),
                line: None,
                column: None,
                message: format!("rule {} returned an invalid deny entry: {msg}", rule.desc.id),
                help: Some("a deny entry is an object with `msg` (string), `resource`, `loc` and optional `evidence`".into()),
            }),
        }
    }
}

/// The items of the rules at `positions` in an aggregate result (an object keyed by position);
/// `None` if its shape is not the expected one (then each rule is evaluated on its own).
fn aggregate_items(all: &regorus::Value, positions: &[usize]) -> Option<Vec<(usize, Vec<Value>)>> {
    let obj = all.as_object().ok()?;
    positions
        .iter()
        .map(|&i| {
            // Straight to serde_json (regorus::Value is Serialize), without a JSON text between.
            match serde_json::to_value(obj.get(&regorus::Value::from(i.to_string()))?).ok()? {
                Value::Array(items) => Some((i, items)),
                _ => None,
            }
        })
        .collect()
}

fn first_line(s: &str) -> String {
    let msg = s
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or_else(|| s.lines().next().unwrap_or(s));
    msg.to_string()
}

/// The elements of a `deny` set as JSON (undefined = none).
pub fn deny_items(v: &regorus::Value) -> Vec<Value> {
    if matches!(v, regorus::Value::Undefined) {
        return Vec::new();
    }
    let Ok(json) = serde_json::to_value(v) else {
        return Vec::new();
    };
    match json {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn to_finding(rule: &Rule, doc: &Document, item: &Value) -> Result<Finding, String> {
    let entry = DenyEntry::parse(item)?;
    let resource = entry.resource.unwrap_or_else(|| doc.path.clone());
    let num = |k: &str| {
        entry
            .loc
            .and_then(|l| l.get(k))
            .and_then(Value::as_u64)
            .map(|n| n as u32)
    };
    let path = entry
        .loc
        .and_then(|l| l.get("path"))
        .and_then(Value::as_str)
        .unwrap_or(&doc.path)
        .to_string();
    let start_line = num("line").unwrap_or(1).max(1);
    let start_column = num("column").unwrap_or(1).max(1);
    let location = Location {
        path: path.into(),
        start_line,
        start_column,
        end_line: num("end_line").unwrap_or(start_line).max(start_line),
        end_column: num("end_column").unwrap_or(start_column).max(1),
        record_index: None,
        event_id: None,
    };
    let evidence = entry
        .evidence
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    let fingerprint = fingerprint(&[&rule.desc.id, &doc.path, &resource, &entry.key]);
    Ok(rule.finding(entry.msg, resource, location, evidence, fingerprint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> regorus::Value {
        regorus::Value::from_json_str(json).expect("valid JSON")
    }

    #[test]
    fn a_result_without_undefined_passes() {
        let v = value(
            r#"{"0": [{"msg": "m", "loc": {"line": 3}, "evidence": {"x": [1, null, true]}}]}"#,
        );
        assert!(!contains_undefined(&v, 0));
    }

    #[test]
    fn undefined_anywhere_in_a_result_is_found() {
        let mut items = vec![value(r#"{"msg": "m"}"#), regorus::Value::Undefined];
        assert!(contains_undefined(&regorus::Value::from(items.clone()), 0));
        items.pop();
        let mut evidence = std::collections::BTreeMap::new();
        evidence.insert(regorus::Value::from("why"), regorus::Value::Undefined);
        items.push(regorus::Value::from(evidence));
        assert!(contains_undefined(&regorus::Value::from(items), 0));
    }

    #[test]
    fn a_result_nested_beyond_the_limit_counts_as_suspect() {
        let deep = format!("{}1{}", "[".repeat(70), "]".repeat(70));
        assert!(contains_undefined(&value(&deep), 0));
        let shallow = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        assert!(!contains_undefined(&value(&shallow), 0));
    }

    #[test]
    fn aggregate_items_picks_the_asked_positions() {
        let all = value(r#"{"0": [{"msg": "a"}], "1": [], "2": [{"msg": "c"}]}"#);
        let got = aggregate_items(&all, &[0, 2]).expect("expected shape");
        assert_eq!(
            got,
            vec![
                (0, vec![serde_json::json!({"msg": "a"})]),
                (2, vec![serde_json::json!({"msg": "c"})])
            ]
        );
        assert_eq!(aggregate_items(&all, &[3]), None);
        assert_eq!(aggregate_items(&value(r#"{"0": "x"}"#), &[0]), None);
    }
}
