//! The generated "aggregate" module that evaluates every selected config rule in one query, and
//! the plan that splits those rules between the bytecode VM and the interpreter.
//!
//! Why one query: both engines compute helper rules (the attribute-name tables, `trails.owned`,
//! `buckets.trail_buckets`) afresh for every query; one query over all rules computes each once
//! per document.
//!
//! Why a split: the regorus 0.14.1 VM evaluates some valid Rego differently from the interpreter
//! (docs/regorus-notes.md). The built-in rules are written to avoid those constructs and proven
//! identical on both engines by `tests/rvm_differential.rs`, so they run on the VM (a scan
//! about 3x faster, docs/benchmarks.md). User rules carry no such proof and stay on the interpreter, as do built-in rules
//! when a user module adds to a built-in package (its definitions would then run unverified).

use super::{BUILTIN_PREFIX, PolicySet, Rule};
use regorus::rvm::program::Program;
use std::sync::Arc;

/// Every selected rule's `deny` set, by position: the interpreter's query when the VM is off or
/// fails on a document.
pub const ALL_ENTRY: &str = "data.trailguard_internal.selected.results";
/// The rules evaluated on the VM.
pub const VM_ENTRY: &str = "data.trailguard_internal.selected.vm_results";
/// The rules evaluated on the interpreter while the others run on the VM.
pub const INTERPRETED_ENTRY: &str = "data.trailguard_internal.selected.interpreted_results";

/// How the selected config rules of one scan are evaluated.
pub struct ConfigPlan {
    /// The policy engine plus the aggregate module (when it could be added).
    pub engine: regorus::Engine,
    /// The aggregate module is in `engine`; otherwise every rule is its own query.
    pub aggregate: bool,
    /// Per rule (same order as the rules given to [`plan`]): part of the VM module, so evaluated
    /// on the VM whenever `program` is compiled.
    pub on_vm: Vec<bool>,
    /// The VM part compiled to bytecode; `None` = everything on the interpreter.
    pub program: Option<Arc<Program>>,
}

/// Plan the evaluation of `rules` (config rules of `set`) on `engine` (the set's engine, maybe
/// with other parameters). `use_vm = false` puts everything on the interpreter.
pub fn plan(
    set: &PolicySet,
    engine: &regorus::Engine,
    rules: &[&Rule],
    use_vm: bool,
) -> ConfigPlan {
    let extended = user_extends_builtin(set);
    let on_vm: Vec<bool> = rules
        .iter()
        .map(|r| use_vm && !extended && r.desc.source.starts_with(BUILTIN_PREFIX))
        .collect();
    let mut with_module = engine.clone();
    let aggregate = !rules.is_empty()
        && with_module
            .add_policy(
                "<trailguard:selected-rules>".into(),
                aggregate_module(rules, &on_vm),
            )
            .is_ok();
    if !aggregate {
        return ConfigPlan {
            engine: engine.clone(),
            aggregate: false,
            on_vm: vec![false; rules.len()],
            program: None,
        };
    }
    let program = if on_vm.contains(&true) {
        compile(&with_module, VM_ENTRY)
    } else {
        None
    };
    ConfigPlan {
        engine: with_module,
        aggregate,
        on_vm,
        program,
    }
}

/// Whether a user module declares a package that a built-in module declares: a user definition
/// merged into `trailguard.lib.selectors`, say, changes built-in rules in ways the differential
/// test never saw, so built-in rules then stay on the interpreter too.
fn user_extends_builtin(set: &PolicySet) -> bool {
    let builtin = |path: &str| path.starts_with(BUILTIN_PREFIX);
    let builtin_packages: std::collections::BTreeSet<&str> = set
        .files
        .iter()
        .filter(|f| builtin(&f.path))
        .map(|f| f.package.as_str())
        .collect();
    set.files
        .iter()
        .any(|f| !builtin(&f.path) && builtin_packages.contains(f.package.as_str()))
}

/// The module whose rules map each rule's position to its `deny` set: all rules, the VM part
/// and the interpreter part.
pub fn aggregate_module(rules: &[&Rule], on_vm: &[bool]) -> String {
    let object = |name: &str, keep: &dyn Fn(bool) -> bool| {
        let mut m = format!("{name} := {{\n");
        for (i, r) in rules.iter().enumerate() {
            if keep(on_vm.get(i).copied().unwrap_or(false)) {
                m.push_str(&format!("\t\"{i}\": {},\n", r.entry));
            }
        }
        m.push_str("}\n");
        m
    };
    format!(
        "package trailguard_internal.selected\n\n{}\n{}\n{}",
        object("results", &|_| true),
        object("vm_results", &|vm| vm),
        object("interpreted_results", &|vm| !vm),
    )
}

/// Compile `entry` of `engine` to bytecode; `None` if the VM cannot compile it (the
/// interpreter then evaluates every rule).
fn compile(engine: &regorus::Engine, entry: &str) -> Option<Arc<Program>> {
    let mut engine = engine.clone();
    let cp = engine.compile_with_entrypoint(&entry.into()).ok()?;
    regorus::languages::rego::compiler::Compiler::compile_from_policy(&cp, &[entry]).ok()
}
