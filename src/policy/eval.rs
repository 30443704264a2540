//! Evaluates config rules on one normalized document and turns `deny` entries into findings.
//!
//! Each worker owns an [`Evaluator`] (a clone of the prepared engine: cheap, modules are shared,
//! and its own VM), so evaluation needs no locks and its result does not depend on scheduling.
//! The rules of the VM part of the [`ConfigPlan`] run on the bytecode VM, the others on the
//! interpreter; a document the VM fails on is evaluated wholly by the interpreter.

use super::Rule;
use super::aggregate::{ALL_ENTRY, ConfigPlan, INTERPRETED_ENTRY};
use super::deny::DenyEntry;
use super::memory;
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
            .and_then(|s| memory::value_from_json::<regorus::Value>(&s))
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
            if let Ok(all) = memory::guard(
                || vm.execute_entry_point_by_index(0),
                |e| memory::is_memory_error(e),
            ) && fits(&all)
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
                && let Ok(all) = memory::guard(
                    || self.engine.eval_rule(entry.to_string()),
                    |e| memory::is_memory_error(e.as_ref()),
                )
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
                None => match memory::guard(
                    || self.engine.eval_rule(rule.entry.clone()),
                    |e| memory::is_memory_error(e.as_ref()),
                ) {
                    Ok(v) => match deny_items(&v) {
                        Ok(items) => collect(rule, doc, items, &mut findings, &mut errors),
                        Err(msg) => errors.push(Diagnostic {
                            code: "policy::eval".into(),
                            path: doc.path.clone(),
                            line: None,
                            column: None,
                            message: format!("rule {} failed: {msg}", rule.desc.id),
                            help: Some(format!("policy file: {}", rule.desc.source)),
                        }),
                    },
                    Err(e) => errors.push(Diagnostic {
                        code: "policy::eval".into(),
                        path: doc.path.clone(),
                        line: None,
                        column: None,
                        message: format!(
                            "rule {} failed: {}",
                            rule.desc.id,
                            match e {
                                memory::Guarded::Exceeded(limit) => memory::exceeded_message(limit),
                                memory::Guarded::Failed(e) => first_line(&e.to_string()),
                            }
                        ),
                        help: Some(format!("policy file: {}", rule.desc.source)),
                    }),
                },
            }
        }
        (findings, errors)
    }
}

/// Most values one evaluation's result may hold, counted as written out (a part shared twice
/// counts twice). Rego values share their parts, so `a1 := [a0, a0]` forty times is a few
/// kilobytes that would write out as 2^40 values: converting or walking such a result would take
/// the time and memory no evaluation limit saw. Real results hold hundreds of values.
pub const MAX_RESULT_VALUES: usize = 1_000_000;

/// Deepest nesting a result may have (serde_json itself stops reading at 128).
const MAX_RESULT_NESTING: usize = 128;

/// Whether `v` is within [`MAX_RESULT_VALUES`] and [`MAX_RESULT_NESTING`]; stops counting at the
/// limit, so the check itself is bounded.
fn fits(v: &regorus::Value) -> bool {
    fn walk(v: &regorus::Value, left: &mut usize, depth: usize) -> bool {
        use regorus::Value as V;
        if *left == 0 || depth > MAX_RESULT_NESTING {
            return false;
        }
        *left -= 1;
        match v {
            V::Array(a) => a.iter().all(|x| walk(x, left, depth + 1)),
            V::Set(s) => s.iter().all(|x| walk(x, left, depth + 1)),
            V::Object(o) => o
                .iter()
                .all(|(k, x)| walk(k, left, depth + 1) && walk(x, left, depth + 1)),
            V::Null | V::Bool(_) | V::Number(_) | V::String(_) | V::Undefined => true,
        }
    }
    let mut left = MAX_RESULT_VALUES;
    walk(v, &mut left, 0)
}

/// What a rule whose result does not [`fits`] is told.
fn too_large() -> String {
    format!(
        "its result holds more than {MAX_RESULT_VALUES} values or is nested deeper than \
         {MAX_RESULT_NESTING} levels"
    )
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
            Err(msg) => errors.push(super::deny::invalid(rule, &msg)),
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
            let v = obj.get(&regorus::Value::from(i.to_string()))?;
            if !fits(v) {
                return None;
            }
            // Straight to serde_json (regorus::Value is Serialize), without a JSON text between.
            match serde_json::to_value(v).ok()? {
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

/// The elements of a `deny` set as JSON (undefined = none); an error for a result that does not
/// [`fits`].
pub fn deny_items(v: &regorus::Value) -> Result<Vec<Value>, String> {
    if matches!(v, regorus::Value::Undefined) {
        return Ok(Vec::new());
    }
    if !fits(v) {
        return Err(too_large());
    }
    let Ok(json) = serde_json::to_value(v) else {
        return Ok(Vec::new());
    };
    Ok(match json {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    })
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

    /// `[x]` doubled `n` times by sharing: `n` small arrays, written out 2^n strings.
    fn shared(n: usize) -> regorus::Value {
        let mut v = regorus::Value::from(vec![regorus::Value::from("x")]);
        for _ in 0..n {
            v = regorus::Value::from(vec![v.clone(), v]);
        }
        v
    }

    #[test]
    fn a_result_that_shares_its_parts_is_measured_as_written_out() {
        // Written out, `shared(n)` is 3 * 2^n - 1 values: 786,431 for 18, 1,572,863 for 19.
        assert!(fits(&shared(18)));
        assert!(!fits(&shared(19)));
        // 2^40 values are refused without being walked.
        let start = std::time::Instant::now();
        assert_eq!(
            deny_items(&shared(40)),
            Err(
                "its result holds more than 1000000 values or is nested deeper than 128 levels"
                    .to_string()
            )
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        let mut all = std::collections::BTreeMap::new();
        all.insert(regorus::Value::from("0"), shared(40));
        assert_eq!(aggregate_items(&regorus::Value::from(all), &[0]), None);
    }

    #[test]
    fn a_result_nested_beyond_128_levels_is_refused() {
        let nested = |n: usize| {
            let mut v = regorus::Value::from("x");
            for _ in 0..n {
                v = regorus::Value::from(vec![v]);
            }
            v
        };
        assert!(fits(&nested(128)));
        assert!(!fits(&nested(129)));
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
