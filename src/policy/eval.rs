//! Evaluates config rules on one normalized document and turns `deny` entries into findings.
//!
//! Each worker owns an [`Evaluator`] (a clone of the prepared engine: cheap, modules are shared),
//! so evaluation needs no locks and its result does not depend on scheduling.

use super::Rule;
use super::deny::DenyEntry;
use crate::contract::{Diagnostic, Finding, Location, fingerprint};
use crate::model::Document;
use serde_json::Value;

pub struct Evaluator {
    engine: regorus::Engine,
    aggregate: bool,
    /// The aggregate compiled to bytecode, when it compiles (≈5x the interpreter here).
    vm: Option<regorus::rvm::vm::RegoVM>,
}

/// Per-document instruction budget for config rules on the bytecode VM: stops a runaway policy
/// (the scan goes on with the interpreter, whose time limit then names the rule).
pub const CONFIG_MAX_INSTRUCTIONS: usize = 50_000_000;

/// Compile the aggregate module of `engine` (see [`add_aggregate`]) to bytecode.
pub fn compile_aggregate(
    engine: &regorus::Engine,
) -> Option<std::sync::Arc<regorus::rvm::program::Program>> {
    let mut engine = engine.clone();
    let cp = engine
        .compile_with_entrypoint(&AGGREGATE_ENTRY.into())
        .ok()?;
    regorus::languages::rego::compiler::Compiler::compile_from_policy(&cp, &[AGGREGATE_ENTRY]).ok()
}

/// Entry of the generated module that evaluates every selected config rule in one query.
pub const AGGREGATE_ENTRY: &str = "data.trailguard_internal.selected.results";

/// A module whose one rule holds every selected rule's `deny` set, keyed by position.
///
/// Why: regorus re-evaluates helper rules (the attribute-name tables, `trails.owned`, selector
/// analysis) on every `eval_rule` call; one query over all rules computes each helper once per
/// document. Measured: 1.8x on the built-in pack (docs/benchmarks.md).
pub fn aggregate_module(rules: &[&Rule]) -> String {
    let mut m = String::from("package trailguard_internal.selected\n\nresults := {\n");
    for (i, r) in rules.iter().enumerate() {
        m.push_str(&format!("\t\"{i}\": {},\n", r.entry));
    }
    m.push_str("}\n");
    m
}

/// Add the aggregate module for `rules` to `engine`; `false` if it cannot be added (evaluation
/// then falls back to one query per rule).
pub fn add_aggregate(engine: &mut regorus::Engine, rules: &[&Rule]) -> bool {
    !rules.is_empty()
        && engine
            .add_policy(
                "<trailguard:selected-rules>".into(),
                aggregate_module(rules),
            )
            .is_ok()
}

impl Evaluator {
    pub fn new(engine: &regorus::Engine) -> Evaluator {
        Evaluator {
            engine: engine.clone(),
            aggregate: false,
            vm: None,
        }
    }

    /// An evaluator whose engine holds the aggregate module for exactly the rules it will be
    /// given (see [`add_aggregate`]), optionally with that module compiled to bytecode.
    pub fn with_aggregate(
        engine: &regorus::Engine,
        program: Option<std::sync::Arc<regorus::rvm::program::Program>>,
    ) -> Evaluator {
        let vm = program.and_then(|p| {
            let mut vm = regorus::rvm::vm::RegoVM::new();
            vm.load_program(p);
            vm.set_data(engine.get_data()).ok()?;
            vm.set_max_instructions(CONFIG_MAX_INSTRUCTIONS);
            Some(vm)
        });
        Evaluator {
            engine: engine.clone(),
            aggregate: true,
            vm,
        }
    }

    /// Evaluate `rules` against `doc`. A rule that errors becomes a diagnostic naming the rule;
    /// the other rules still run.
    pub fn eval_document(
        &mut self,
        rules: &[&Rule],
        doc: &Document,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let input = match serde_json::to_string(doc)
            .map_err(|e| e.to_string())
            .and_then(|s| regorus::Value::from_json_str(&s).map_err(|e| e.to_string()))
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
        if let Some(vm) = &mut self.vm {
            vm.set_input(input.clone());
            if let Ok(all) = vm.execute_entry_point_by_index(0)
                && let Some(per_rule) = aggregate_items(&all, rules.len())
            {
                for (rule, items) in rules.iter().zip(per_rule) {
                    collect(rule, doc, items, &mut findings, &mut errors);
                }
                return (findings, errors);
            }
        }
        self.engine.set_input(input);
        if self.aggregate
            && let Ok(all) = self.engine.eval_rule(AGGREGATE_ENTRY.to_string())
            && let Some(per_rule) = aggregate_items(&all, rules.len())
        {
            for (rule, items) in rules.iter().zip(per_rule) {
                collect(rule, doc, items, &mut findings, &mut errors);
            }
            return (findings, errors);
        }
        // One query per rule: the fallback, and how a failing rule is named.
        for rule in rules {
            match self.engine.eval_rule(rule.entry.clone()) {
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
            }
        }
        (findings, errors)
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

/// Split the aggregate result into each rule's items; `None` if its shape is not the expected
/// one (then every rule is evaluated on its own).
fn aggregate_items(all: &regorus::Value, n: usize) -> Option<Vec<Vec<Value>>> {
    let json: Value = serde_json::from_str(&all.to_json_str().ok()?).ok()?;
    let obj = json.as_object()?;
    (0..n)
        .map(|i| match obj.get(&i.to_string())? {
            Value::Array(items) => Some(items.clone()),
            _ => None,
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
    let json: Value = match v
        .to_json_str()
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
    {
        Some(j) => j,
        None => return Vec::new(),
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
        path,
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
