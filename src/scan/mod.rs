//! Orchestrates a scan: discover inputs, adapt or stream each one in parallel, evaluate the
//! selected rules, then merge and sort so the report never depends on thread scheduling.

pub mod config;
pub mod discover;
pub mod events;
pub mod examples;
mod finish;
pub mod progress;
pub mod select;
pub mod store;
mod time_range;

use crate::adapters::{Adapted, InputError};
use crate::contract::{Diagnostic, Finding, ScanReport, Severity, Skipped};
use crate::eventscan::engine::EventProgram;
use crate::model::Document;
use crate::policy::aggregate::ConfigPlan;
use crate::policy::eval::Evaluator;
use crate::policy::{PolicySet, Rule};
use discover::{Input, display};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub follow_links: bool,
    /// Findings at or above this severity fail the run; `None` = findings never fail it.
    pub fail_on: Option<Severity>,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Ids of the rules to run.
    pub selected: BTreeSet<String>,
    /// `--since` / `--until` for event records.
    pub window: crate::events::TimeWindow,
    /// Event prefilter off: every record is offered to every event rule, `memoize` rules are
    /// evaluated on every record instead of reusing results, and no finding is counted by a
    /// rule's `condition` alone (for tests that prove those shortcuts change nothing).
    pub no_prefilter: bool,
    /// Draw a progress bar on stderr (the CLI sets this on a terminal without `--quiet`).
    pub progress: bool,
    /// Evaluate every rule on the regorus interpreter, not the bytecode VM (differential tests,
    /// and a way out should the VM misbehave).
    pub interpreter_only: bool,
    /// Inline suppressions, waivers and baseline, applied after evaluation (`crate::suppress`).
    pub exceptions: crate::suppress::Exceptions,
    /// Size, ratio and depth limits for reading event files.
    pub limits: crate::events::Limits,
    /// Event findings listed per rule (`--max-findings-per-rule`); the rest are counted.
    /// 0 = list every finding.
    pub max_findings_per_rule: usize,
    /// Memory one policy evaluation may take (`--max-policy-memory`); `None` = the default,
    /// [`crate::policy::memory::DEFAULT_LIMIT`].
    pub max_policy_memory: Option<u64>,
}

/// What one input contributed.
#[derive(Default)]
struct Part {
    findings: Vec<Finding>,
    errors: Vec<Diagnostic>,
    skipped: Vec<Skipped>,
    files: u64,
    documents: u64,
    resources: u64,
    events: events::EventPart,
    /// Inline suppressions of the documents evaluated, bound to their findings.
    inline: Vec<crate::suppress::Bound>,
}

impl Part {
    fn merge(mut self, other: Part, how: store::Listing<'_>) -> Part {
        self.events.merge(other.events, how);
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.files += other.files;
        self.documents += other.documents;
        self.resources += other.resources;
        self.inline.extend(other.inline);
        self
    }
}

pub fn input_diag(e: InputError) -> Diagnostic {
    let code = if e.line.is_some() {
        "input::parse"
    } else {
        "input::read"
    };
    Diagnostic {
        code: code.into(),
        path: e.path,
        line: e.line,
        column: e.column,
        message: e.message,
        help: None,
    }
}

struct Worker<'a, 'p> {
    /// Paths named on the command line: an unrecognised file among them is an error.
    named: &'p [PathBuf],
    /// Made on the first document: a scan of event logs alone never compiles config rules.
    eval: Option<Evaluator>,
    prepared: &'p Prepared<'a>,
    events: Option<events::EventWorker<'p, 'a>>,
    read_opts: crate::events::ReadOptions,
    progress: &'p progress::Progress,
    listing: store::Listing<'p>,
    /// The scan's listing bound, shared by its workers.
    bound: &'p std::sync::Mutex<store::ListingBound>,
}

impl<'a, 'p> Worker<'a, 'p> {
    fn new(
        prepared: &'p Prepared<'a>,
        opts: &'p ScanOptions,
        read_opts: crate::events::ReadOptions,
        progress: &'p progress::Progress,
        bound: &'p std::sync::Mutex<store::ListingBound>,
    ) -> Worker<'a, 'p> {
        Worker {
            named: &opts.paths,
            eval: None,
            prepared,
            events: None,
            read_opts,
            progress,
            listing: store::Listing {
                cap: opts.max_findings_per_rule,
                exceptions: &opts.exceptions,
            },
            bound,
        }
    }

    fn event_worker(&mut self) -> &mut events::EventWorker<'p, 'a> {
        let (prepared, bound) = (self.prepared, self.bound);
        self.events.get_or_insert_with(|| {
            events::EventWorker::new(prepared.program(), prepared.windows(), bound)
        })
    }

    fn evaluate(&mut self, doc: &Document, part: &mut Part) {
        part.documents += 1;
        part.resources += (doc.trails.len() + doc.event_data_stores.len()) as u64;
        let prepared = self.prepared;
        let eval = self
            .eval
            .get_or_insert_with(|| Evaluator::new(prepared.config_plan()));
        let (findings, errors) = eval.eval_document(&prepared.config_rules, doc);
        part.inline
            .extend(crate::suppress::inline::bind(doc, &findings));
        part.findings.extend(findings);
        part.errors.extend(errors);
    }

    fn adapted(&mut self, shown: &str, adapted: Adapted, part: &mut Part) {
        match adapted {
            Adapted::Document(doc, errs) => {
                part.errors.extend(errs.into_iter().map(input_diag));
                self.evaluate(&doc, part);
            }
            Adapted::Skipped(reason) => part.skipped.push(Skipped {
                path: shown.to_string(),
                reason,
            }),
        }
    }

    fn text(&mut self, shown: &str, text: &str, named: bool, part: &mut Part) {
        match config::adapt_text(shown, text) {
            config::Outcome::Adapted(a) => self.adapted(shown, a, part),
            config::Outcome::Error(e) => part.errors.push(input_diag(e)),
            config::Outcome::Unrecognized(reason) if named => part.errors.push(Diagnostic {
                code: "input::unrecognized".into(),
                path: shown.to_string(),
                line: None,
                column: None,
                message: reason,
                help: Some("trailguard reads CloudFormation, Terraform plan JSON and .tf, live exports and CloudTrail logs".into()),
            }),
            config::Outcome::Unrecognized(reason) => part.skipped.push(Skipped {
                path: shown.to_string(),
                reason,
            }),
        }
    }

    /// Scan one input, adding what it finds to `part` (the worker's, for all its inputs).
    fn run(&mut self, input: &Input, part: &mut Part) {
        if crate::interrupt::requested() {
            return;
        }
        match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                part.files += 1;
                let mut stdin = std::io::stdin().lock();
                if let Err(e) = (&mut stdin)
                    .take(crate::events::HEAD_LEN as u64)
                    .read_to_end(&mut bytes)
                {
                    part.errors.push(input_diag(InputError::file(
                        "<stdin>",
                        format!("cannot read stdin: {e}"),
                    )));
                    return;
                }
                if let Some(kind) = crate::events::sniff(std::path::Path::new("-"), &bytes) {
                    part.files -= 1;
                    let read_opts = self.read_opts;
                    let shared = events::Shared {
                        progress: self.progress,
                        listing: self.listing,
                    };
                    self.event_worker();
                    events::scan_stream(
                        &mut self.events,
                        self.prepared,
                        self.bound,
                        kind,
                        std::io::Cursor::new(bytes).chain(stdin),
                        "<stdin>",
                        &read_opts,
                        &mut part.events,
                        shared,
                    );
                    return;
                }
                match stdin.take(config::MAX_CONFIG_BYTES).read_to_end(&mut bytes) {
                    Ok(_) => match config::text_from_bytes("<stdin>", bytes) {
                        Ok(text) => self.text("<stdin>", &text, true, part),
                        Err(e) => part.errors.push(input_diag(e)),
                    },
                    Err(e) => part.errors.push(input_diag(InputError::file(
                        "<stdin>",
                        format!("cannot read stdin: {e}"),
                    ))),
                }
            }
            Input::File(path) => {
                let window = &self.read_opts.window;
                if !window.is_unbounded()
                    && crate::events::s3_key_date(path)
                        .is_some_and(|day| !window.may_contain_s3_day(day))
                {
                    part.events.stats.files_pruned += 1;
                    return;
                }
                let shown = display(path);
                // Read on from the head the recognition read (a config file is read anew).
                if let Ok(Some(sniffed)) = crate::events::sniff_path(path) {
                    let read_opts = self.read_opts;
                    let shared = events::Shared {
                        progress: self.progress,
                        listing: self.listing,
                    };
                    // The first worker to reach an event source compiles the rules; the
                    // others read ahead meanwhile (`events::FileScan`).
                    let prepared = self.prepared;
                    if self.events.is_none()
                        && (prepared.program_ready() || prepared.claim_compile())
                    {
                        self.event_worker();
                    }
                    if let events::Offer::Handled = events::scan_path(
                        &mut self.events,
                        prepared,
                        self.bound,
                        sniffed,
                        &shown,
                        &read_opts,
                        &mut part.events,
                        shared,
                    ) {
                        return;
                    }
                }
                part.files += 1;
                let named = self.named.contains(path);
                match config::read_text(path) {
                    Ok(text) => self.text(&shown, &text, named, part),
                    Err(e) => part.errors.push(input_diag(e)),
                }
            }
            Input::TerraformModule { dir, files } => {
                part.files += files.len() as u64;
                let (adapted, errs) = config::adapt_module(dir, files);
                part.errors.extend(errs.into_iter().map(input_diag));
                self.adapted(&display(dir), adapted, part);
            }
            Input::LiveExport { dir, files } => {
                part.files += files.len() as u64;
                let (adapted, errs) = config::adapt_live_dir(dir, files);
                part.errors.extend(errs.into_iter().map(input_diag));
                self.adapted(&display(dir), adapted, part);
            }
        }
    }
}

/// Rules compiled for one scan configuration: built once, reusable for many scans (the
/// example checker runs hundreds of tiny scans with one of these).
pub struct Prepared<'a> {
    pub set: &'a PolicySet,
    config_rules: Vec<&'a Rule>,
    event_rules: Vec<&'a Rule>,
    engine: regorus::Engine,
    /// Planned (and the VM part compiled) on first use, like the event program.
    config: std::sync::OnceLock<ConfigPlan>,
    use_index: bool,
    use_rvm: bool,
    /// Compiled on first use: a scan of templates alone never pays for the event pack.
    program: std::sync::OnceLock<(EventProgram<'a>, Vec<Diagnostic>)>,
    /// A worker has started compiling the program: the others read ahead meanwhile.
    compiling: std::sync::atomic::AtomicBool,
    /// The program's prefilter, for workers reading ahead of the compiled program.
    index: std::sync::OnceLock<crate::eventscan::index::RuleIndex>,
    /// Selected aggregate rules, and how they are fed (made with the program).
    aggregate_rules: Vec<&'a Rule>,
    windows: std::sync::OnceLock<crate::eventscan::windows::Plan<'a>>,
    selected: BTreeSet<String>,
    params: serde_json::Value,
}

impl<'a> Prepared<'a> {
    pub fn new(set: &'a PolicySet, opts: &ScanOptions) -> Prepared<'a> {
        Prepared::with_engine(set, set.engine.clone(), &set.params, opts)
    }

    /// Prepare with a different engine (e.g. the same policies with other parameters, which
    /// `params` must then hold).
    pub fn with_engine(
        set: &'a PolicySet,
        engine: regorus::Engine,
        params: &serde_json::Value,
        opts: &ScanOptions,
    ) -> Prepared<'a> {
        // Rules that cannot fire with these parameters are not evaluated at all (unless the
        // prefilter is off: the equivalence test then proves the promise on the corpus).
        let pick = |kind: crate::contract::RuleKind| -> Vec<&'a Rule> {
            set.rules
                .iter()
                .filter(|r| r.desc.kind == kind && opts.selected.contains(&r.desc.id))
                .filter(|r| opts.no_prefilter || !inert(r, params))
                .collect()
        };
        let aggregate_rules = pick(crate::contract::RuleKind::Aggregate);
        // Event rules run when selected, or when a selected aggregate rule counts their
        // findings (they are then evaluated but not reported).
        let feeding: BTreeSet<&str> = aggregate_rules
            .iter()
            .filter_map(|a| a.desc.window.as_ref())
            .flat_map(|w| w.counts.iter().map(String::as_str))
            .collect();
        let event_rules = set
            .rules
            .iter()
            .filter(|r| {
                r.desc.kind == crate::contract::RuleKind::Event
                    && (opts.selected.contains(&r.desc.id) || feeding.contains(r.desc.id.as_str()))
            })
            .filter(|r| opts.no_prefilter || !inert(r, params))
            .collect();
        Prepared {
            set,
            config_rules: pick(crate::contract::RuleKind::Config),
            event_rules,
            aggregate_rules,
            windows: std::sync::OnceLock::new(),
            selected: opts.selected.clone(),
            params: params.clone(),
            engine,
            config: std::sync::OnceLock::new(),
            use_index: !opts.no_prefilter,
            use_rvm: !opts.interpreter_only,
            program: std::sync::OnceLock::new(),
            compiling: std::sync::atomic::AtomicBool::new(false),
            index: std::sync::OnceLock::new(),
        }
    }

    /// How the config rules are evaluated (planned by the first caller; others wait for it).
    pub fn config_plan(&self) -> &ConfigPlan {
        self.config.get_or_init(|| {
            crate::policy::aggregate::plan(self.set, &self.engine, &self.config_rules, self.use_rvm)
        })
    }

    /// The compiled event rules (compiled by the first caller; others wait for it).
    pub fn program(&self) -> &EventProgram<'a> {
        &self
            .program
            .get_or_init(|| {
                EventProgram::prepare(
                    &self.engine,
                    self.event_rules.clone(),
                    self.use_index,
                    self.use_rvm,
                )
            })
            .0
    }

    /// Whether the event rules are compiled (never waits).
    pub fn program_ready(&self) -> bool {
        self.program.get().is_some()
    }

    /// Whether the caller should compile the program now: it is not compiled and no other
    /// worker has started to. A worker told `false` reads ahead with [`Prepared::index`]
    /// while another compiles.
    pub fn claim_compile(&self) -> bool {
        !self.program_ready()
            && !self
                .compiling
                .swap(true, std::sync::atomic::Ordering::AcqRel)
    }

    /// The event rules' prefilter, the program's own (built from the same rules the same
    /// way), without compiling them.
    pub fn index(&self) -> &crate::eventscan::index::RuleIndex {
        self.index
            .get_or_init(|| crate::eventscan::program::index_of(&self.event_rules, self.use_index))
    }

    /// Which aggregate rules count which event rules (made with the program).
    pub fn windows(&self) -> &crate::eventscan::windows::Plan<'a> {
        self.windows.get_or_init(|| {
            crate::eventscan::windows::Plan::new(
                self.aggregate_rules.clone(),
                &self.program().rules,
                |r| self.selected.contains(&r.desc.id),
                &self.params,
                self.use_index,
            )
        })
    }

    /// Problems found while compiling event rules, if they were compiled.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.program
            .get()
            .map(|(_, e)| e.clone())
            .unwrap_or_default()
    }
}

/// Whether a parameter `requires_params` names leaves the rule unable to fire.
fn inert(rule: &Rule, params: &serde_json::Value) -> bool {
    use serde_json::Value;
    rule.desc
        .requires_params
        .iter()
        .any(|p| match params.get(p) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => true,
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            Some(_) => false,
        })
}

/// Run a scan. Never panics on bad input; every problem is a diagnostic in the report.
pub fn scan(opts: &ScanOptions, set: &PolicySet, errors: Vec<Diagnostic>) -> ScanReport {
    let prepared = Prepared::new(set, opts);
    scan_prepared(&prepared, opts, errors)
}

/// The order inputs are handed to the workers: as discovered, so that workers read
/// neighbouring inputs and a rule's first findings come first (few findings are made that
/// earlier ones found later displace), except the last few, which go largest first: the scan
/// ends when its last input does, and a large one taken last kept one core busy alone (about
/// one file's time, 9 ms of a 1M-record archive's 700).
fn handout_order(inputs: &[Input], threads: usize) -> Vec<&Input> {
    let mut order: Vec<&Input> = inputs.iter().collect();
    let tail = order.len().saturating_sub(2 * threads);
    order[tail..].sort_by_cached_key(|input| {
        std::cmp::Reverse(match input {
            Input::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            _ => 0,
        })
    });
    order
}

/// Run a scan with rules prepared earlier.
pub fn scan_prepared(
    prepared: &Prepared<'_>,
    opts: &ScanOptions,
    mut errors: Vec<Diagnostic>,
) -> ScanReport {
    let exclude = match discover::exclude_set(&opts.exclude) {
        Ok(g) => g,
        Err(d) => {
            errors.push(d);
            globset::GlobSet::empty()
        }
    };
    let found = discover::discover(&opts.paths, &exclude, opts.follow_links);
    errors.extend(found.errors);
    let read_opts = crate::events::ReadOptions {
        window: opts.window,
        limits: opts.limits,
    };
    let progress = progress::Progress::new(opts.progress, found.inputs.len() as u64);
    let listing = store::Listing {
        cap: opts.max_findings_per_rule,
        exceptions: &opts.exceptions,
    };
    let merge = |a: Part, b: Part| a.merge(b, listing);
    // Which findings may still be listed, for all workers: one that `cap` findings made
    // anywhere precede is only counted (with inputs taken in order, hardly any finding is made
    // that a later one drops).
    let bound = std::sync::Mutex::new(store::ListingBound::default());
    // Held until the report is built: evaluations stop at the ceiling instead of the process
    // running out of memory (crate::policy::memory).
    let _ceiling = crate::policy::memory::Ceiling::install(
        opts.max_policy_memory
            .unwrap_or(crate::policy::memory::DEFAULT_LIMIT),
    );
    // One worker per pool thread for the whole scan, with the part it adds each input to: a
    // worker made per input (or per rayon split job) re-learned the bound, started its memo
    // empty and cloned its engines again, and every part had to be merged. Inputs are handed
    // out in order, one at a time, to whichever worker is free, so the workers read
    // neighbouring inputs and the first findings of a rule come from both: few findings are
    // made that earlier ones found later displace. Everything the parts hold is sorted or
    // summed at the end, so which worker read which input changes nothing.
    let work = |inputs: &[Input]| -> Part {
        let inputs = handout_order(inputs, rayon::current_num_threads());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let parts = std::sync::Mutex::new(Vec::new());
        rayon::scope(|scope| {
            for _ in 0..rayon::current_num_threads() {
                scope.spawn(|_| {
                    let mut worker: Option<Worker> = None;
                    let mut part = Part::default();
                    while let Some(&input) =
                        inputs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        let w = worker.get_or_insert_with(|| {
                            Worker::new(prepared, opts, read_opts, &progress, &bound)
                        });
                        w.run(input, &mut part);
                        progress.input_done();
                    }
                    parts
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(part);
                });
            }
        });
        parts
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .reduce(merge)
            .unwrap_or_default()
    };
    // A single input needs no pool (the example checker scans one file at a time). The pool
    // is kept for judging aggregate groups after the workers.
    let parallel = found.inputs.len() > 1 && opts.threads != 1;
    let pool = parallel
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(opts.threads)
                .build()
                .ok()
        })
        .flatten();
    let part = if !parallel {
        let mut w = Worker::new(prepared, opts, read_opts, &progress, &bound);
        let mut part = Part::default();
        for input in &found.inputs {
            w.run(input, &mut part);
        }
        part
    } else {
        match &pool {
            Some(pool) => pool.install(|| work(&found.inputs)),
            None => work(&found.inputs),
        }
    };
    progress.finish();
    let mut part = part;
    // Aggregate rules judge the tallies of all workers together, once.
    if prepared.program.get().is_some() {
        let tally = std::mem::take(&mut part.events.tally);
        // The event program's engine: already analysed when the event rules were compiled.
        let stats = &part.events.stats;
        let time = |t: &Option<String>| {
            t.as_deref()
                .and_then(crate::events::Timestamp::parse_rfc3339)
        };
        let span = time(&stats.first_event_time).zip(time(&stats.last_event_time));
        let judge = |parallel| {
            crate::eventscan::windows::judge(
                prepared.windows(),
                tally,
                &prepared.program().engine,
                span,
                parallel,
            )
        };
        let (found, errs) = match &pool {
            Some(pool) => pool.install(|| judge(true)),
            None => judge(false),
        };
        for f in found {
            part.events.findings.push(f, listing);
        }
        errors.extend(errs);
    }
    errors.extend(prepared.errors());
    finish::finish(opts, prepared.set, part, errors, found.skipped)
}

#[cfg(test)]
mod tests {
    use super::{Input, Prepared, ScanOptions, handout_order, scan_prepared};
    use crate::contract::ScanReport;
    use crate::policy::{self, LoadOptions};

    /// Scan the Stratus fixtures, with the rules' compile claimed beforehand (as by another
    /// worker) or not.
    fn stratus(threads: usize, claimed: bool) -> serde_json::Value {
        let (set, errors) = policy::load(&LoadOptions {
            builtin: true,
            ..Default::default()
        });
        assert!(errors.is_empty(), "{errors:?}");
        let opts = ScanOptions {
            paths: vec![
                "tests/fixtures/stratus".into(),
                "tests/fixtures/events".into(),
            ],
            threads,
            selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
            max_findings_per_rule: 3,
            ..Default::default()
        };
        let prepared = Prepared::new(&set, &opts);
        if claimed {
            assert!(prepared.claim_compile());
        }
        let report: ScanReport = scan_prepared(&prepared, &opts, Vec::new());
        let mut report = serde_json::to_value(report).unwrap();
        report["tool"] = serde_json::Value::Null;
        report
    }

    /// Records read ahead of the rules (held while another worker compiles them) come out as
    /// if the rules had been there: the same findings, counts, errors and accounting.
    #[test]
    fn reading_ahead_of_the_rules_changes_nothing() {
        let plain = stratus(1, false);
        super::events::HELD.set(0);
        let ahead = stratus(1, true);
        // One thread, rules claimed: its first event file is read ahead, every candidate held.
        assert!(super::events::HELD.get() > 0);
        assert!(plain["findings"].as_array().is_some_and(|f| f.len() > 20));
        assert_eq!(plain, ahead);
        let two = stratus(2, true);
        assert_eq!(plain, two);
    }

    #[test]
    fn inputs_go_out_as_discovered_but_the_last_few_largest_first() {
        let dir = tempfile::tempdir().unwrap();
        let inputs: Vec<Input> = [5, 1, 7, 2, 9, 3, 8]
            .iter()
            .enumerate()
            .map(|(i, kb)| {
                let path = dir.path().join(format!("{i}.json"));
                std::fs::write(&path, vec![b' '; kb * 1024]).unwrap();
                Input::File(path)
            })
            .collect();
        let names = |order: Vec<&Input>| -> Vec<String> {
            order
                .iter()
                .map(|i| match i {
                    Input::File(p) => p.file_stem().unwrap().to_string_lossy().into_owned(),
                    _ => "-".into(),
                })
                .collect()
        };
        // Two threads: the last four (2, 9, 3, 8 KB) by size, the rest in order.
        assert_eq!(
            names(handout_order(&inputs, 2)),
            ["0", "1", "2", "4", "6", "5", "3"]
        );
        assert_eq!(names(handout_order(&inputs[..2], 2)), ["0", "1"]);
    }
}
