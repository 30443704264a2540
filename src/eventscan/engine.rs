//! Per-record evaluation of event rules: the prefilter picks candidate rules from the header,
//! and only then is the record turned into a regorus value and run through those rules, on
//! the program `super::program` compiled (RVM, or the interpreter for a rule the RVM compiler
//! rejects; a differential test keeps the two engines honest).

use super::index::HeaderFields;
pub use super::program::{Backend, Condition, EventProgram, MAX_INSTRUCTIONS};
use crate::contract::IDENTITY_FIELDS;
use crate::policy::Rule;
use crate::policy::eval::deny_items;
use crate::policy::memory::{self, Guarded};
use regorus::rvm::vm::RegoVM;
use std::sync::Arc;

/// One worker's evaluation state (a VM and an interpreter clone).
pub struct EventEvaluator<'p, 'a> {
    prog: &'p EventProgram<'a>,
    vm: RegoVM,
    interp: regorus::Engine,
    candidates: Vec<usize>,
    /// Rules switched off for the current file after they hit an evaluation limit.
    disabled: Vec<bool>,
    /// Rules whose condition disagreed with their `deny`: always evaluated in full since.
    broken: Vec<bool>,
    /// Rules whose condition trailguard decided differently from regorus: regorus decides it.
    native_off: Vec<bool>,
    values: super::value::ValueBuilder,
    memo: super::memo::Memo,
}

/// Which value the VM or the interpreter holds as `input` for the current record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Loaded {
    Nothing,
    Whole,
    WithoutIdentity,
    /// Some members only, for one condition.
    Members,
}

/// A rule's raw `deny` entries for one record.
pub struct RuleHits {
    pub rule: usize,
    /// Shared with the memo when the rule's result is kept for reuse.
    pub items: Arc<[serde_json::Value]>,
    /// Only the rule's condition ran, and it held: one finding to count, none made.
    pub counted: bool,
}

impl RuleHits {
    fn entries(rule: usize, items: Arc<[serde_json::Value]>) -> RuleHits {
        RuleHits {
            rule,
            items,
            counted: false,
        }
    }

    fn counted(rule: usize) -> RuleHits {
        RuleHits {
            rule,
            items: Arc::from([]),
            counted: true,
        }
    }
}

/// Why a rule failed on one record.
pub struct RuleError {
    pub message: String,
    /// The rule ran into the instruction budget, the time limit or the memory limit (a runaway
    /// policy), as opposed to an ordinary evaluation error.
    pub limit: bool,
}

impl<'p, 'a> EventEvaluator<'p, 'a> {
    pub fn new(prog: &'p EventProgram<'a>) -> EventEvaluator<'p, 'a> {
        let mut vm = RegoVM::new();
        if let Some(p) = &prog.program {
            vm.load_program(p.clone());
            // Data (parameters) is not carried by the program.
            let _ = vm.set_data(prog.data.clone());
        }
        vm.set_max_instructions(MAX_INSTRUCTIONS);
        EventEvaluator {
            prog,
            vm,
            interp: prog.engine.clone(),
            candidates: Vec::new(),
            disabled: vec![false; prog.rules.len()],
            broken: vec![false; prog.rules.len()],
            native_off: vec![false; prog.rules.len()],
            values: super::value::ValueBuilder::new(),
            memo: super::memo::Memo::new(2 * prog.rules.len()),
        }
    }

    /// Stop offering records to rule `i` until [`EventEvaluator::enable_all`]: a rule that ran
    /// away on one record would most likely do so on the next ones too, and each costs a whole
    /// evaluation limit.
    pub fn disable(&mut self, i: usize) {
        if let Some(d) = self.disabled.get_mut(i) {
            *d = true;
        }
    }

    /// Re-enable every rule (at the start of each file, so results do not depend on which
    /// worker read which file before).
    pub fn enable_all(&mut self) {
        self.disabled.iter_mut().for_each(|d| *d = false);
    }

    /// The program this evaluator runs (shared by all workers).
    pub fn program(&self) -> &'p EventProgram<'a> {
        self.prog
    }

    pub fn rule(&self, i: usize) -> &'a Rule {
        self.prog.rules[i]
    }

    /// Candidate rules for a record (empty = the record needs no full parse).
    pub fn candidates<H: HeaderFields + ?Sized>(&mut self, header: &H) -> &[usize] {
        self.prog.index.candidates(header, &mut self.candidates);
        let disabled = &self.disabled;
        self.candidates
            .retain(|&i| !disabled.get(i).copied().unwrap_or(false));
        &self.candidates
    }

    /// The full value of a candidate record (this worker's builder keeps the keys it has seen).
    pub fn value(&mut self, raw: &str) -> Result<regorus::Value, serde_json::Error> {
        self.values.build(raw)
    }

    /// Evaluate the current candidates on the record whose text is `raw`. Errors name the
    /// rule. A `memoize` rule sees the record without its identity
    /// fields, and a record equal to an earlier one in everything else gets that one's result
    /// (`super::memo`).
    ///
    /// For a rule with a `condition` for which `count_only(rule)` says its finding here cannot
    /// be listed, only the condition runs: a hit then has `counted` set and no entries. Where
    /// the full rule runs, its condition runs too and must agree (one entry exactly when it
    /// holds); a rule that breaks that promise is reported and never counted by it again.
    ///
    /// The record's value is built only if a rule has to be evaluated, and only in the forms
    /// the rules to run need; the whole value is returned when it was built (`None` when every
    /// candidate reused a result or only memoized rules ran). If it cannot be built the record
    /// is not evaluated at all: the error is returned and `hits` is empty.
    pub fn evaluate(
        &mut self,
        raw: &str,
        header: &dyn HeaderFields,
        hits: &mut Vec<RuleHits>,
        errors: &mut Vec<(usize, RuleError)>,
        count_only: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<regorus::Value>, serde_json::Error> {
        hits.clear();
        let mut loaded = (Loaded::Nothing, Loaded::Nothing);
        let mut whole: Option<regorus::Value> = None;
        let mut without_identity: Option<regorus::Value> = None;
        let n = self.prog.rules.len();
        self.memo.new_record();
        for k in 0..self.candidates.len() {
            let i = self.candidates[k];
            let memoize = self.prog.rules[i].desc.memoize && self.prog.use_memo;
            let condition = match &self.prog.conditions[i] {
                Some(c) if self.prog.use_memo && !self.broken[i] => Some(c),
                _ => None,
            };
            let counting = condition.is_some() && count_only(i);
            // A condition in the subset `super::native` decides is decided on the members it
            // reads, without a value, the memo or the VM.
            if counting
                && let Some(c) = condition
                && let Some(holds) = self.native(i, c, header, raw)
            {
                if holds {
                    hits.push(RuleHits::counted(i));
                }
                continue;
            }
            if memoize && let Some(items) = self.memo.get(i, raw) {
                if !items.is_empty() {
                    hits.push(RuleHits::entries(i, items.clone()));
                }
                continue;
            }
            // A condition's result is kept in the table after the rules' own.
            if counting
                && memoize
                && let Some(held) = self.memo.get(n + i, raw)
            {
                if !held.is_empty() {
                    hits.push(RuleHits::counted(i));
                }
                continue;
            }
            // A condition that reads a few members runs on a value of just those.
            if let Some(c) = condition.filter(|_| counting)
                && let Some(reads) = &c.reads
            {
                let values = &mut self.values;
                let value = match memory::value_with(|| values.build_only(raw, reads)) {
                    Ok(v) => v,
                    Err(e) => {
                        hits.clear();
                        return Err(e);
                    }
                };
                let mut input = Input {
                    value: &value,
                    want: Loaded::Members,
                    loaded: &mut loaded,
                };
                let held = self.run(c.backend, &c.entry, &mut input);
                // Another rule's members are other members: the next run loads its own.
                loaded = (Loaded::Nothing, Loaded::Nothing);
                self.counted(i, memoize, held, hits, errors);
                continue;
            }
            let want = if memoize {
                Loaded::WithoutIdentity
            } else {
                Loaded::Whole
            };
            // Only candidate records pay for a value (reference/regorus.md §8), and only for
            // the form a rule needs: a record whose only rules to run are memoized is built
            // without its identity fields straight away.
            let missing = match want {
                Loaded::WithoutIdentity => without_identity.is_none(),
                _ => whole.is_none(),
            };
            if missing {
                let values = &mut self.values;
                let built = match (want, &whole) {
                    (Loaded::WithoutIdentity, Some(w)) => Ok(super::memo::without_identity(w)),
                    (Loaded::WithoutIdentity, None) => {
                        memory::value_with(|| values.build_without(raw, &IDENTITY_FIELDS))
                    }
                    _ => memory::value_with(|| values.build(raw)),
                };
                match (built, want) {
                    (Ok(v), Loaded::WithoutIdentity) => without_identity = Some(v),
                    (Ok(v), _) => whole = Some(v),
                    (Err(e), _) => {
                        hits.clear();
                        return Err(e);
                    }
                }
            }
            let value = match want {
                Loaded::WithoutIdentity => without_identity.as_ref(),
                _ => whole.as_ref(),
            };
            let Some(value) = value else {
                continue;
            };
            let mut input = Input {
                value,
                want,
                loaded: &mut loaded,
            };
            if let Some(c) = condition.filter(|_| counting) {
                let held = self.run(c.backend, &c.entry, &mut input);
                self.counted(i, memoize, held, hits, errors);
                continue;
            }
            let entry = &self.prog.rules[i].entry;
            let result = self.run(self.prog.backends[i], entry, &mut input);
            let items = match result.and_then(|v| {
                deny_items(&v).map_err(|message| RuleError {
                    // A result too large to write out costs its full walk on every record.
                    message,
                    limit: true,
                })
            }) {
                Ok(items) => items,
                Err(e) => {
                    errors.push((i, e));
                    continue;
                }
            };
            // The condition must hold exactly when `deny` has its one entry. Where trailguard
            // decides it natively, that decision is what counted records get: agreeing with
            // `deny`, it needs no second opinion (a VM run per listed finding); otherwise
            // regorus's condition tells which of the two is wrong.
            if let Some(c) = condition
                && !(items.len() <= 1 && self.native(i, c, header, raw) == Some(items.len() == 1))
            {
                let holds = self.run(c.backend, &c.entry, &mut input);
                match holds.map(|v| v == regorus::Value::Bool(true)) {
                    Ok(holds) if holds == (items.len() == 1) && items.len() <= 1 => {
                        self.check_native(i, c, header, raw, holds, errors);
                    }
                    Ok(holds) => {
                        self.broken[i] = true;
                        errors.push((i, broken_promise(&c.name, holds, items.len())));
                    }
                    Err(e) => errors.push((i, e)),
                }
            }
            let items: Arc<[serde_json::Value]> = items.into();
            if memoize {
                self.memo.put(i, &items);
            }
            if !items.is_empty() {
                hits.push(RuleHits::entries(i, items));
            }
        }
        Ok(whole)
    }

    /// Where rule `i` ran in full and regorus decided its condition, the native decision must be
    /// the same; if not, it is reported and the condition is left to regorus from then on.
    fn check_native(
        &mut self,
        i: usize,
        c: &Condition,
        header: &dyn HeaderFields,
        raw: &str,
        holds: bool,
        errors: &mut Vec<(usize, RuleError)>,
    ) {
        if self.native(i, c, header, raw).is_some_and(|n| n != holds) {
            self.native_off[i] = true;
            errors.push((
                i,
                RuleError {
                    message: format!(
                        "trailguard decided its condition `{}` as {} where regorus decided {holds} \
                         (a bug in trailguard's native conditions): regorus decides it from now on",
                        c.name, !holds
                    ),
                    limit: false,
                },
            ));
        }
    }

    /// Rule `i`'s condition decided natively, if it can be (`None`: regorus decides it): most
    /// often from the strings the reader's header already holds, else from the members it
    /// reads.
    fn native(
        &self,
        i: usize,
        c: &Condition,
        header: &dyn HeaderFields,
        raw: &str,
    ) -> Option<bool> {
        let (Some(pred), Some(reads)) = (&c.native, &c.reads) else {
            return None;
        };
        if self.native_off[i] {
            return None;
        }
        let strings = super::native::HeaderStrings(header);
        if strings.serve(pred) {
            Some(pred.holds(&strings))
        } else {
            super::rawpath::member_values(raw, reads).map(|m| pred.holds(&m))
        }
    }

    /// Record what rule `i`'s condition said about a record that is only counted.
    fn counted(
        &mut self,
        i: usize,
        memoize: bool,
        result: Result<regorus::Value, RuleError>,
        hits: &mut Vec<RuleHits>,
        errors: &mut Vec<(usize, RuleError)>,
    ) {
        match result {
            Ok(v) => {
                let holds = v == regorus::Value::Bool(true);
                if memoize {
                    // A condition's result is kept in the table after the rules' own.
                    self.memo.put(self.prog.rules.len() + i, &held(holds));
                }
                if holds {
                    hits.push(RuleHits::counted(i));
                }
            }
            Err(e) => errors.push((i, e)),
        }
    }

    /// Run one entry point (a rule's `deny` or its condition) on `input`, loading it into the
    /// engine first if that engine holds another form of the record.
    fn run(
        &mut self,
        backend: Backend,
        entry: &str,
        input: &mut Input<'_>,
    ) -> Result<regorus::Value, RuleError> {
        match backend {
            Backend::Rvm(pos) => {
                if input.loaded.0 != input.want {
                    self.vm.set_input(input.value.clone());
                    input.loaded.0 = input.want;
                }
                let vm = &mut self.vm;
                memory::guard(
                    || vm.execute_entry_point_by_index(pos),
                    |e| memory::is_memory_error(e),
                )
                .map_err(|e| match e {
                    Guarded::Exceeded(limit) => memory_error(limit),
                    Guarded::Failed(e) => RuleError {
                        limit: is_limit(&e),
                        message: e.to_string(),
                    },
                })
            }
            Backend::Interpreter => {
                if input.loaded.1 != input.want {
                    self.interp.set_input(input.value.clone());
                    input.loaded.1 = input.want;
                }
                let interp = &mut self.interp;
                memory::guard(
                    || interp.eval_rule(entry.to_string()),
                    |e| memory::is_memory_error(e.as_ref()),
                )
                .map_err(|e| match e {
                    Guarded::Exceeded(limit) => memory_error(limit),
                    Guarded::Failed(e) => RuleError {
                        limit: is_limit(e.as_ref()),
                        message: e.to_string(),
                    },
                })
            }
        }
    }
}

/// The record a rule runs on, and which form of it each engine holds (VM, interpreter).
struct Input<'v> {
    value: &'v regorus::Value,
    want: Loaded,
    loaded: &'v mut (Loaded, Loaded),
}

/// A condition's result as the memo keeps it: one entry when it holds, none otherwise.
fn held(holds: bool) -> Arc<[serde_json::Value]> {
    if holds {
        Arc::from([serde_json::Value::Bool(true)])
    } else {
        Arc::from([])
    }
}

/// A rule whose `deny` and `condition` disagreed on a record.
fn broken_promise(name: &str, holds: bool, entries: usize) -> RuleError {
    RuleError {
        message: format!(
            "its condition `{name}` was {holds} but `deny` held {entries} entries: a rule's \
             condition must hold exactly when `deny` holds one entry (findings that cannot be \
             listed are counted by it); this scan now evaluates the rule in full"
        ),
        limit: false,
    }
}

/// A rule stopped by the memory limit: a runaway policy like one out of time or instructions.
fn memory_error(limit: u64) -> RuleError {
    RuleError {
        message: memory::exceeded_message(limit),
        limit: true,
    }
}

/// Whether an evaluation error is one of the runaway-policy limits. regorus wraps its errors in
/// `anyhow` with span context, so the typed errors are looked for along the chain; the message
/// text is the fallback for errors that lost their type on the way.
fn is_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    use regorus::rvm::vm::VmError;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(vm) = err.downcast_ref::<VmError>() {
            return matches!(
                vm,
                VmError::InstructionLimitExceeded { .. } | VmError::TimeLimitExceeded { .. }
            );
        }
        if let Some(limit) = err.downcast_ref::<regorus::LimitError>() {
            return matches!(limit, regorus::LimitError::TimeLimitExceeded { .. });
        }
        cur = err.source();
    }
    let text = e.to_string();
    text.contains("exceeded maximum instruction limit") || text.contains("exceeded time limit")
}
