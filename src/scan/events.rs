//! Drives one event source through the reader, the prefilter and the event rules, keeping the
//! record accounting (`read == evaluated + skipped`) and the time range covered.

use super::progress::Progress;
use super::store::{Listing, ListingBound};
use super::time_range::TimeRange;
use crate::contract::{Diagnostic, EventStats, RuleFacts};
use crate::events::{self, FileOutcome, Header, ReadOptions, Record};
use crate::eventscan::engine::{EventEvaluator, EventProgram, RuleError, RuleHits};
use crate::eventscan::finding::{self, Context, Interner, RecordIds, RecordLoc};
use crate::eventscan::index::{Field, HeaderFields, Known};
use crate::eventscan::rawpath;
use crate::eventscan::windows::{Counted, Plan, Tally};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

/// One worker's event-scanning state, kept across the files it reads.
pub struct EventWorker<'p, 'a> {
    pub eval: EventEvaluator<'p, 'a>,
    /// Which rules feed aggregate rules, and which are reported.
    windows: &'p Plan<'a>,
    /// Per rule (by evaluator index), made on its first finding: all findings of a rule from
    /// this worker share its id, name, title and controls instead of copying them.
    facts: Vec<Option<RuleFacts>>,
    /// Evidence fragments shared by this worker's findings.
    interner: Interner,
    /// Which findings can still be listed, over all the files this worker read.
    /// Shared by all workers of the scan: which findings may still be listed.
    bound: &'p std::sync::Mutex<ListingBound>,
}

impl<'p, 'a> EventWorker<'p, 'a> {
    pub fn new(
        prog: &'p EventProgram<'a>,
        windows: &'p Plan<'a>,
        bound: &'p std::sync::Mutex<ListingBound>,
    ) -> EventWorker<'p, 'a> {
        EventWorker {
            eval: EventEvaluator::new(prog),
            windows,
            facts: Vec::new(),
            interner: Interner::default(),
            bound,
        }
    }
}

/// [`HeaderFields`] over the reader's borrowed header; fields the header does not carry are
/// read from the record's text.
struct Fields<'h, 'a>(&'h Header<'a>, &'h str);

impl HeaderFields for Fields<'_, '_> {
    fn event_source(&self) -> Option<&str> {
        self.0.event_source.as_deref()
    }
    fn event_name(&self) -> Option<&str> {
        self.0.event_name.as_deref()
    }
    fn field(&self, path: &str) -> Field<'_> {
        match Known::of(path) {
            Some(k) => self.known(k),
            None => rawpath::lookup(self.1, path),
        }
    }
    fn missing(&self, k: Known) -> bool {
        self.0.lacks(k)
    }
    fn may_be(&self, path: &str, allowed: &[Box<str>]) -> bool {
        rawpath::may_hold(self.1, path, allowed)
            && crate::eventscan::index::among(self.field(path), allowed)
    }
    #[inline]
    fn known(&self, k: Known) -> Field<'_> {
        let h = self.0;
        let text = match k {
            Known::EventSource => h.event_source.as_deref(),
            Known::EventName => h.event_name.as_deref(),
            Known::EventType => h.event_type.as_deref(),
            Known::ErrorCode => h.error_code.as_deref(),
            Known::AwsRegion => h.aws_region.as_deref(),
            Known::RecipientAccountId => h.recipient_account_id.as_deref(),
            Known::SourceIpAddress => h.source_ip_address.as_deref(),
            Known::ReadOnly => h.read_only.map(|b| if b { "true" } else { "false" }),
            Known::IdentityType => h.identity_type(),
            Known::InvokedBy => h
                .user_identity
                .as_ref()
                .and_then(|i| i.invoked_by.as_deref()),
            Known::Arn => h.user_identity.as_ref().and_then(|i| i.arn.as_deref()),
        };
        text.map_or(Field::Absent, |t| Field::Text(t.into()))
    }
}

/// Findings, diagnostics and accounting from event sources.
#[derive(Default)]
pub struct EventPart {
    pub findings: super::store::FindingStore,
    pub errors: Vec<Diagnostic>,
    pub stats: EventStats,
    /// Files recognised as event sources but not read (digests), with the reason.
    pub skipped: Vec<(String, String)>,
    /// Counts for aggregate rules.
    pub tally: Tally,
}

impl EventPart {
    pub fn merge(&mut self, other: EventPart, how: Listing<'_>) {
        self.findings.merge(other.findings, how);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.tally.merge(other.tally);
        merge_stats(&mut self.stats, other.stats);
    }
}

pub fn merge_stats(a: &mut EventStats, b: EventStats) {
    a.files += b.files;
    a.bytes += b.bytes;
    a.records_read += b.records_read;
    a.records_evaluated += b.records_evaluated;
    a.files_pruned += b.files_pruned;
    for (k, v) in b.records_skipped {
        *a.records_skipped.entry(k).or_insert(0) += v;
    }
    a.first_event_time = match (a.first_event_time.take(), b.first_event_time) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    a.last_event_time = match (a.last_event_time.take(), b.last_event_time) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
}

/// What every file of a worker shares: the progress bar and how findings are listed.
#[derive(Clone, Copy)]
pub struct Shared<'e> {
    pub progress: &'e Progress,
    pub listing: Listing<'e>,
}

/// Per-file state while records stream through.
struct FileScan<'e, 'p, 'a> {
    /// The worker's rules, once compiled.
    ready: Option<Ready<'e, 'p, 'a>>,
    /// Until then: where the worker will be made, and the records held for it.
    early: Option<Early<'e, 'p, 'a>>,
    /// Rules that fired on the current record and feed aggregate rules.
    fired: Vec<usize>,
    shown: &'e str,
    /// `shown`, shared by the file's findings.
    path: Arc<str>,
    part: &'e mut EventPart,
    hits: Vec<RuleHits>,
    rule_errors: Vec<(usize, RuleError)>,
    /// The first and last `eventTime` of the file's records.
    times: TimeRange,
    progress: &'e Progress,
    listing: Listing<'e>,
    pending: (u64, u64),
    /// Records passed by the reader that could not be evaluated: moved from "evaluated" to
    /// "unparseable" in the file's accounting, so `read == evaluated + skipped` stays true.
    unevaluated: u64,
    /// Failures per rule in this file: only the first is reported in full.
    failures: std::collections::BTreeMap<usize, u64>,
}

/// The worker's state a file's records are evaluated with.
struct Ready<'e, 'p, 'a> {
    eval: &'e mut EventEvaluator<'p, 'a>,
    windows: &'p Plan<'a>,
    facts: &'e mut Vec<Option<RuleFacts>>,
    interner: &'e mut Interner,
    bound: &'p std::sync::Mutex<ListingBound>,
}

impl<'e, 'p, 'a> Ready<'e, 'p, 'a> {
    fn of(worker: &'e mut EventWorker<'p, 'a>) -> Self {
        let EventWorker {
            eval,
            windows,
            facts,
            interner,
            bound,
        } = worker;
        eval.enable_all();
        Ready {
            eval,
            windows,
            facts,
            interner,
            bound,
        }
    }
}

/// A worker that found another compiling the rules reads on meanwhile: the records it reads
/// are accounted for as they come, and those the prefilter offers to a rule are held (a copy
/// of their text) until the rules are ready, then evaluated in order. The compile (10 ms, and
/// about 30 for a process's first) no longer leaves a core idle.
struct Early<'e, 'p, 'a> {
    /// The worker's place, filled when the rules are ready.
    slot: &'e mut Option<EventWorker<'p, 'a>>,
    rules: &'p super::Prepared<'a>,
    bound: &'p std::sync::Mutex<ListingBound>,
    candidates: Vec<usize>,
    held: Vec<Held>,
    /// The text held, in bytes: past [`READ_AHEAD`], the worker waits for the rules.
    held_bytes: usize,
}

/// The text a worker holds at most while reading ahead of the rules (a slow compile of many
/// user rules must not turn a large file into held memory). Tests hold a few records at most,
/// so that reaching it is tested too.
#[cfg(not(test))]
const READ_AHEAD: usize = 16 << 20;
#[cfg(test)]
const READ_AHEAD: usize = 4 << 10;

#[cfg(test)]
thread_local! {
    /// Records held for the rules and evaluated later, on this thread.
    pub(super) static HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A record held for the rules: its text and where it was.
struct Held {
    raw: Box<str>,
    index: u64,
    at: events::Position,
}

impl<'e, 'p, 'a> FileScan<'e, 'p, 'a> {
    /// Scan a file with the worker in `slot`; with none there, read ahead of the rules, which
    /// another worker is compiling (see [`Early`]).
    fn new(
        slot: &'e mut Option<EventWorker<'p, 'a>>,
        rules: &'p super::Prepared<'a>,
        bound: &'p std::sync::Mutex<ListingBound>,
        shown: &'e str,
        part: &'e mut EventPart,
        Shared { progress, listing }: Shared<'e>,
    ) -> Self {
        let (ready, early) = if slot.is_some() {
            (slot.as_mut().map(Ready::of), None)
        } else {
            let early = Early {
                slot,
                rules,
                bound,
                candidates: Vec::new(),
                held: Vec::new(),
                held_bytes: 0,
            };
            (None, Some(early))
        };
        FileScan {
            ready,
            early,
            fired: Vec::new(),
            shown,
            path: shown.into(),
            part,
            hits: Vec::new(),
            rule_errors: Vec::new(),
            times: TimeRange::default(),
            progress,
            listing,
            pending: (0, 0),
            unevaluated: 0,
            failures: Default::default(),
        }
    }

    /// Make the worker (waiting for the rules if they are still compiling), then evaluate the
    /// records held for it, in order.
    fn become_ready(&mut self) {
        let Some(early) = self.early.take() else {
            return;
        };
        let Early {
            slot,
            rules,
            bound,
            held,
            ..
        } = early;
        let worker = slot.insert(EventWorker::new(rules.program(), rules.windows(), bound));
        self.ready = Some(Ready::of(worker));
        #[cfg(test)]
        HELD.set(HELD.get() + held.len());
        for h in held {
            match events::header_of(&h.raw) {
                Some(header) => self.evaluate(Record {
                    raw: &h.raw,
                    index: h.index,
                    at: h.at,
                    header,
                }),
                // The reader read a header from this text before: not expected.
                None => self.unevaluated(
                    h.index,
                    h.at,
                    "its header could not be read again for evaluation",
                ),
            }
        }
    }

    /// A record passed by the reader that cannot be evaluated: a diagnostic, and counted as
    /// unparseable instead of evaluated (`finish_file`).
    fn unevaluated(&mut self, index: u64, at: events::Position, why: &str) {
        self.unevaluated += 1;
        self.part.errors.push(Diagnostic {
            code: "events::record-value".into(),
            path: self.shown.to_string(),
            line: Some(at.line as u32),
            column: Some(at.column as u32),
            message: format!("record #{index} (byte offset {}) skipped: {why}", at.offset),
            help: None,
        });
    }

    /// The end of the file: records still held are evaluated.
    fn finish_reading(&mut self) {
        if self.early.as_ref().is_some_and(|e| !e.held.is_empty()) {
            self.become_ready();
        }
    }

    fn record(&mut self, rec: Record<'_>) -> ControlFlow<()> {
        if crate::interrupt::requested() {
            return ControlFlow::Break(());
        }
        self.pending.0 += 1;
        self.pending.1 += rec.raw.len() as u64;
        if self.pending.0 >= super::progress::BATCH {
            self.progress.records(self.pending.0, self.pending.1);
            self.pending = (0, 0);
        }
        if let Some(t) = rec.header.event_time.as_deref() {
            self.times.see(t);
        }
        if self.ready.is_none() {
            let Some(early) = &mut self.early else {
                return ControlFlow::Continue(());
            };
            if !early.rules.program_ready() {
                early
                    .rules
                    .index()
                    .candidates(&Fields(&rec.header, rec.raw), &mut early.candidates);
                if early.candidates.is_empty() {
                    return ControlFlow::Continue(());
                }
                early.held.push(Held {
                    raw: rec.raw.into(),
                    index: rec.index,
                    at: rec.at,
                });
                early.held_bytes += rec.raw.len();
                if early.held_bytes <= READ_AHEAD {
                    return ControlFlow::Continue(());
                }
                // Enough held: wait for the rules, then go on with them.
                self.become_ready();
                return ControlFlow::Continue(());
            }
            self.become_ready();
        }
        self.evaluate(rec);
        ControlFlow::Continue(())
    }

    /// Offer a record to the rules the prefilter picks, and keep what they find.
    fn evaluate(&mut self, rec: Record<'_>) {
        let Some(Ready {
            eval,
            windows,
            facts,
            interner,
            bound,
        }) = &mut self.ready
        else {
            return;
        };
        let (windows, bound) = (*windows, *bound);
        if eval.candidates(&Fields(&rec.header, rec.raw)).is_empty() {
            return;
        }
        let line = (rec.at.line > 0).then_some(rec.at.line as u32);
        let pos = (&self.path, line.unwrap_or(1), rec.index);
        // A finding that cannot be listed (or of a rule run only for aggregate rules) is only
        // counted: a rule with a condition then runs just that.
        let (prog, listing) = (eval.program(), self.listing);
        let mut count_only = |i: usize| {
            !windows.reported(i) || !lock(bound).would_admit(&prog.rules[i].desc.id, pos, listing)
        };
        let value = match eval.evaluate(
            rec.raw,
            &Fields(&rec.header, rec.raw),
            &mut self.hits,
            &mut self.rule_errors,
            &mut count_only,
        ) {
            Ok(v) => v,
            Err(e) => {
                let why = format!("it could not be converted for evaluation: {e}");
                return self.unevaluated(rec.index, rec.at, &why);
            }
        };
        self.fired.clear();
        self.fired.extend(
            self.hits
                .iter()
                .map(|h| h.rule)
                .filter(|&i| windows.feeds(i)),
        );
        if !self.fired.is_empty() {
            self.part.tally.count(
                windows,
                &self.fired,
                &Counted {
                    header: &rec.header,
                    raw: rec.raw,
                    path: &self.path,
                    index: rec.index,
                    line,
                },
            );
        }
        // Rules run only for aggregate rules report nothing themselves.
        self.hits.retain(|h| windows.reported(h.rule));
        if !self.hits.is_empty() {
            let loc = RecordLoc {
                path: self.path.clone(),
                index: rec.index,
                line,
            };
            // Made for the record's first finding that may be listed (most past the cap are
            // only counted). With a listing cap, evidence is made when a report reads it;
            // without one every finding is listed, and the compact, shared form made now
            // keeps their memory down.
            let mut context: Option<Context> = None;
            let mut value = value;
            let ids = RecordIds::of(&rec.header);
            for hit in self.hits.drain(..) {
                let rule = eval.rule(hit.rule);
                if facts.len() <= hit.rule {
                    facts.resize(hit.rule + 1, None);
                }
                let facts = facts[hit.rule].get_or_insert_with(|| RuleFacts::of(&rule.desc));
                if hit.counted {
                    self.part.findings.count_unlisted(&facts.id, facts.severity);
                    continue;
                }
                for item in hit.items.iter() {
                    // A broken entry is reported wherever it falls, and is no finding: checked
                    // before it can take a place in the listing bound.
                    if let Err(msg) = crate::policy::deny::DenyEntry::parse(item) {
                        self.part
                            .errors
                            .push(crate::policy::deny::invalid(rule, &msg));
                        continue;
                    }
                    if !lock(bound).admits(&rule.desc.id, pos, self.listing) {
                        self.part.findings.count_unlisted(&facts.id, facts.severity);
                        continue;
                    }
                    let context = context.get_or_insert_with(|| {
                        if self.listing.cap > 0 {
                            return Context::deferred(rec.raw);
                        }
                        // Every rule may have reused a result, so the value may not be built.
                        let built = match value.take() {
                            Some(v) => Ok(v),
                            None => crate::policy::memory::value_with(|| eval.value(rec.raw)),
                        };
                        match built {
                            Ok(v) => Context::of(&v, rec.raw, interner),
                            Err(_) => Context::deferred(rec.raw),
                        }
                    });
                    match finding::build(facts, item, &ids, context, &loc, interner) {
                        Ok(f) => self.part.findings.push(f, self.listing),
                        Err(msg) => self
                            .part
                            .errors
                            .push(crate::policy::deny::invalid(rule, &msg)),
                    }
                }
            }
        }
        for (i, e) in std::mem::take(&mut self.rule_errors) {
            let rule = eval.rule(i);
            let seen = self.failures.entry(i).or_insert(0);
            *seen += 1;
            if e.limit {
                eval.disable(i);
            }
            // One diagnostic per rule and file: a rule broken for every record would otherwise
            // add one per record. The rest are counted in `finish_file`.
            if *seen > 1 {
                continue;
            }
            let then = if e.limit {
                "; the rule was stopped and is disabled for the rest of this file"
            } else {
                ""
            };
            self.part.errors.push(Diagnostic {
                code: "policy::eval".into(),
                path: self.shown.to_string(),
                line,
                column: None,
                message: format!(
                    "rule {} failed on record #{}: {}{then}",
                    rule.desc.id,
                    rec.index,
                    e.message.lines().last().unwrap_or("")
                ),
                help: Some(format!("policy file: {}", rule.desc.source)),
            });
        }
    }
}

/// The scan's listing bound (a poisoned lock, after a panic elsewhere, is used as it is).
fn lock(bound: &std::sync::Mutex<ListingBound>) -> std::sync::MutexGuard<'_, ListingBound> {
    bound
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Outcome of offering a file to the event path.
pub enum Offer {
    /// It was an event source (read, or skipped with a reason).
    Handled,
    /// Not an event source: the config path should try it.
    NotEvents,
}

fn finish_file(mut fs: FileScan<'_, '_, '_>, stats: &events::ReadStats) {
    fs.finish_reading();
    let FileScan {
        ready,
        shown,
        part,
        times,
        unevaluated,
        failures,
        progress,
        pending,
        ..
    } = fs;
    progress.records(pending.0, pending.1);
    let mut es = EventStats::default();
    stats.add_to(&mut es);
    (es.first_event_time, es.last_event_time) = (times.first, times.last);
    if unevaluated > 0 {
        es.records_evaluated = es.records_evaluated.saturating_sub(unevaluated);
        *es.records_skipped
            .entry(events::SkipReason::Unparseable.as_str().to_string())
            .or_insert(0) += unevaluated;
    }
    for (i, n) in failures {
        if n > 1
            && let Some(r) = &ready
        {
            let rule = r.eval.rule(i);
            part.errors.push(Diagnostic {
                code: "policy::eval".into(),
                path: shown.to_string(),
                line: None,
                column: None,
                message: format!("rule {} failed on {} more records", rule.desc.id, n - 1),
                help: Some(format!("policy file: {}", rule.desc.source)),
            });
        }
    }
    for p in &stats.problems {
        part.errors.push(p.to_diagnostic(shown));
    }
    if stats.problems_omitted > 0 {
        part.errors.push(Diagnostic {
            code: "events::unparseable-record".into(),
            path: shown.to_string(),
            line: None,
            column: None,
            message: format!(
                "{} more unparseable records not listed",
                stats.problems_omitted
            ),
            help: None,
        });
    }
    merge_stats(&mut part.stats, es);
}

/// Whether `path` is an event source (by content: its first bytes, looked through gzip).
/// Unreadable files answer `false`; the config path then reports the read error.
pub fn sniff_file(path: &Path) -> bool {
    matches!(events::sniff_path(path), Ok(Some(_)))
}

/// Read a file recognised as an event source, with the worker in `slot` (with none there
/// yet, reading ahead of the rules another worker is compiling).
#[allow(clippy::too_many_arguments)]
pub fn scan_path<'p, 'a>(
    slot: &mut Option<EventWorker<'p, 'a>>,
    rules: &'p super::Prepared<'a>,
    bound: &'p std::sync::Mutex<ListingBound>,
    sniffed: events::Sniffed,
    shown: &str,
    opts: &ReadOptions,
    part: &mut EventPart,
    shared: Shared<'_>,
) -> Offer {
    let mut fs = FileScan::new(slot, rules, bound, shown, part, shared);
    match events::read_sniffed(sniffed, opts, |r| fs.record(r)) {
        Ok(FileOutcome::Read { stats, .. }) => {
            finish_file(fs, &stats);
            Offer::Handled
        }
        Ok(FileOutcome::Skipped { reason, .. }) => {
            fs.part
                .skipped
                .push((shown.to_string(), reason.to_string()));
            Offer::Handled
        }
        Ok(FileOutcome::NotEvents) => Offer::NotEvents,
        Err(failure) => {
            fs.part.errors.push(failure.to_diagnostic(shown));
            let stats = failure.stats.clone();
            finish_file(fs, &stats);
            Offer::Handled
        }
    }
}

/// Read an already-opened stream (stdin), its sniffed head chained back in front.
#[allow(clippy::too_many_arguments)]
pub fn scan_stream<'p, 'a>(
    slot: &mut Option<EventWorker<'p, 'a>>,
    rules: &'p super::Prepared<'a>,
    bound: &'p std::sync::Mutex<ListingBound>,
    kind: events::EventFileKind,
    source: impl Read,
    shown: &str,
    opts: &ReadOptions,
    part: &mut EventPart,
    shared: Shared<'_>,
) {
    let mut fs = FileScan::new(slot, rules, bound, shown, part, shared);
    match events::read_records(source, kind, opts, |r| fs.record(r)) {
        Ok(stats) => finish_file(fs, &stats),
        Err(failure) => {
            fs.part.errors.push(failure.to_diagnostic(shown));
            let stats = failure.stats.clone();
            finish_file(fs, &stats);
        }
    }
}
