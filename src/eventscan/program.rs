//! Event rules prepared once per scan: compiled to one RVM bytecode program (≈3x the
//! interpreter on per-event evaluation, reference/regorus.md §0), with the interpreter for a
//! rule the RVM compiler rejects (e.g. `with`), the prefilter index, and each rule's
//! `condition` with the members of the record it reads.

use super::index::RuleIndex;
use crate::contract::{Diagnostic, IDENTITY_FIELDS};
use crate::policy::Rule;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use std::sync::Arc;

/// Per-evaluation instruction budget: stops a runaway policy (a loop or an exploding
/// comprehension) without stopping the scan. Real rules use a few hundred instructions.
pub const MAX_INSTRUCTIONS: usize = 2_000_000;

/// Which engine runs a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Rvm(usize),
    Interpreter,
}

/// Event rules prepared once at start-up and shared (read-only) by all workers.
pub struct EventProgram<'a> {
    pub rules: Vec<&'a Rule>,
    pub backends: Vec<Backend>,
    pub program: Option<Arc<Program>>,
    pub index: RuleIndex,
    pub data: regorus::Value,
    pub engine: regorus::Engine,
    /// Per rule, where its `condition` rule runs (`None`: the rule has none).
    pub conditions: Vec<Option<Condition>>,
    /// Reuse the results of `memoize` rules and count unlistable findings by their rule's
    /// `condition` (both off only to prove they change nothing).
    pub use_memo: bool,
}

/// A rule's `condition`: its entry point and the engine that runs it (the rule's own).
#[derive(Debug, Clone)]
pub struct Condition {
    pub name: String,
    pub entry: String,
    pub backend: Backend,
    /// The top-level members of the record it reads (`super::reads`; `None`: the whole
    /// record): a record only counted is built with just those.
    pub reads: Option<Vec<String>>,
    /// The condition decided natively, when it is in `super::native`'s subset.
    pub native: Option<super::native::Pred>,
}

impl<'a> EventProgram<'a> {
    /// Compile the selected event rules. `use_index == false` offers every record to every rule.
    pub fn prepare(
        engine: &regorus::Engine,
        rules: Vec<&'a Rule>,
        use_index: bool,
        use_rvm: bool,
    ) -> (EventProgram<'a>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut engine = engine.clone();
        let data = engine.get_data();
        let mut backends = vec![Backend::Interpreter; rules.len()];
        let mut program = None;
        if use_rvm && !rules.is_empty() {
            // Compile all rules into one program; if that fails, find the rules that can.
            let ok: Vec<usize> = match compile(&mut engine, &rules.iter().collect::<Vec<_>>()) {
                Ok(p) => {
                    program = Some(p);
                    (0..rules.len()).collect()
                }
                Err(_) => {
                    // A rule that compiles only without its condition runs in the interpreter.
                    let good: Vec<usize> = (0..rules.len())
                        .filter(|&i| compile(&mut engine, &[&rules[i]]).is_ok())
                        .collect();
                    let picked: Vec<&&Rule> = good.iter().map(|&i| &rules[i]).collect();
                    match compile(&mut engine, &picked) {
                        Ok(p) => {
                            program = Some(p);
                            good
                        }
                        Err(_) => Vec::new(),
                    }
                }
            };
            for (pos, &i) in ok.iter().enumerate() {
                backends[i] = Backend::Rvm(pos);
            }
        }
        // Condition entry points follow the rules' in the program, in the same order.
        let mut next = backends
            .iter()
            .filter(|b| matches!(b, Backend::Rvm(_)))
            .count();
        let conditions = rules
            .iter()
            .zip(&backends)
            .map(|(r, b)| {
                let name = r.desc.condition.clone()?;
                let backend = match b {
                    Backend::Rvm(_) => {
                        next += 1;
                        Backend::Rvm(next - 1)
                    }
                    Backend::Interpreter => Backend::Interpreter,
                };
                let entry = format!("{}.{name}", r.desc.package);
                let reads = super::reads::top_level_reads(engine.get_modules(), &entry).map(|m| {
                    // A memoized rule's condition never sees the identity fields.
                    m.into_iter()
                        .filter(|k| !(r.desc.memoize && IDENTITY_FIELDS.contains(&k.as_str())))
                        .collect()
                });
                let native = reads
                    .as_ref()
                    .and_then(|_| super::native::compile(engine.get_modules(), &entry, &data));
                Some(Condition {
                    entry,
                    name,
                    backend,
                    reads,
                    native,
                })
            })
            .collect();
        // Surface analysis errors (unsafe variables, conflicts) once, naming the rule. A rule
        // in the compiled program got through the same analysis already; checking each one
        // again was ~130 ms per process for the built-in pack.
        for (r, _) in rules
            .iter()
            .zip(&backends)
            .filter(|(_, b)| **b == Backend::Interpreter)
        {
            if let Err(e) = engine.compile_with_entrypoint(&r.entry.as_str().into()) {
                errors.push(Diagnostic {
                    code: "policy::compile".into(),
                    path: r.desc.source.clone(),
                    line: None,
                    column: None,
                    message: format!(
                        "rule {} cannot be compiled: {}",
                        r.desc.id,
                        e.to_string().lines().last().unwrap_or("")
                    ),
                    help: None,
                });
            }
        }
        let index = index_of(&rules, use_index);
        (
            EventProgram {
                rules,
                backends,
                program,
                index,
                data,
                engine,
                conditions,
                // The same switch: off, every rule runs on every record, from scratch.
                use_memo: use_index,
            },
            errors,
        )
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The prefilter of `rules` (rule `i` is position `i`).
pub fn index_of(rules: &[&Rule], use_index: bool) -> RuleIndex {
    RuleIndex::build(
        &rules
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.desc.selector.clone()))
            .collect::<Vec<_>>(),
        use_index,
    )
}

fn compile(engine: &mut regorus::Engine, rules: &[&&Rule]) -> Result<Arc<Program>, String> {
    let first = rules.first().ok_or("no rules")?;
    let cp = engine
        .compile_with_entrypoint(&first.entry.as_str().into())
        .map_err(|e| e.to_string())?;
    let conditions: Vec<String> = rules
        .iter()
        .filter_map(|r| Some(format!("{}.{}", r.desc.package, r.desc.condition.as_ref()?)))
        .collect();
    let entries: Vec<&str> = rules
        .iter()
        .map(|r| r.entry.as_str())
        .chain(conditions.iter().map(String::as_str))
        .collect();
    Compiler::compile_from_policy(&cp, &entries).map_err(|e| e.to_string())
}
