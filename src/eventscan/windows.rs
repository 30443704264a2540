//! Aggregate rules (`kind: aggregate`, ids `TGA…`): bursts of activity, CloudTrail-Insights
//! style, counted natively and judged in Rego (docs/event-rules.md, "Aggregate rules").
//!
//! An aggregate rule names event rules in `custom.window.counts`. While records stream, every
//! record on which one of those rules fires is counted, per aggregate rule, per value of the
//! `by` fields (principal, source IP, account, region) and per fixed window of `length`
//! aligned to the Unix epoch; nothing else of the record is kept. Counting happens once per
//! record that already produced a finding, never for the others. Workers count separately and
//! their tallies add up, so the result is the same for any thread count. At the end of the
//! scan each group (at least `at_least` records) is offered to the rule as `input`, and its
//! `deny` entries become findings located at the group's earliest record.

use super::finding::RecordLoc;
use crate::contract::{AtLeast, Diagnostic, Finding, GroupBy, RuleFacts, fingerprint};
use crate::events::{Header, Timestamp};
use crate::policy::Rule;
use crate::policy::deny::DenyEntry;
use serde_json::{Map, Value, json};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Which aggregate rules count which event rules' findings.
pub struct Plan<'a> {
    pub rules: Vec<&'a Rule>,
    /// Per event rule (index in the event program): the aggregate rules counting it.
    feeds: Vec<Vec<usize>>,
    /// Per event rule: whether its own findings are reported (it was selected), or it runs
    /// only to feed aggregate rules.
    reported: Vec<bool>,
    /// Per aggregate rule: the least count offered to it.
    at_least: Vec<u64>,
    /// Per event rule: its id.
    event_ids: Vec<String>,
}

impl<'a> Plan<'a> {
    /// `events` are the event program's rules in its order; `selected` says which of them the
    /// user asked for; `params` are the merged parameters (for `at_least` by name).
    pub fn new(
        rules: Vec<&'a Rule>,
        events: &[&'a Rule],
        selected: impl Fn(&Rule) -> bool,
        params: &Value,
        use_threshold: bool,
    ) -> Plan<'a> {
        let feeds = events
            .iter()
            .map(|e| {
                rules
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| {
                        a.desc
                            .window
                            .as_ref()
                            .is_some_and(|w| w.counts.contains(&e.desc.id))
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let at_least = rules
            .iter()
            .map(|a| {
                let spec = a.desc.window.as_ref().and_then(|w| w.at_least.as_ref());
                match spec {
                    _ if !use_threshold => 1,
                    Some(AtLeast::Count(n)) => *n,
                    Some(AtLeast::Param(p)) => params.get(p).and_then(Value::as_u64).unwrap_or(1),
                    None => 1,
                }
                .max(1)
            })
            .collect();
        Plan {
            reported: events.iter().map(|e| selected(e)).collect(),
            event_ids: events.iter().map(|e| e.desc.id.clone()).collect(),
            rules,
            feeds,
            at_least,
        }
    }

    /// A plan with no aggregate rules (every event rule reported).
    pub fn none(events: usize) -> Plan<'a> {
        Plan {
            rules: Vec::new(),
            feeds: vec![Vec::new(); events],
            reported: vec![true; events],
            at_least: Vec::new(),
            event_ids: Vec::new(),
        }
    }

    /// Whether findings of event rule `i` are reported.
    pub fn reported(&self, i: usize) -> bool {
        self.reported.get(i).copied().unwrap_or(true)
    }

    /// Whether event rule `i` feeds any aggregate rule.
    pub fn feeds(&self, i: usize) -> bool {
        self.feeds.get(i).is_some_and(|f| !f.is_empty())
    }
}

/// Where a counted record is, and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Sample {
    at: Timestamp,
    path: Arc<str>,
    index: u64,
    line: Option<u32>,
    event_id: Option<Box<str>>,
}

/// A group's value for each `by` field (`None`: the record has none).
type GroupValues = Box<[Option<Arc<str>>]>;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct GroupKey {
    rule: usize,
    start: i64,
    by: GroupValues,
}

/// What is kept per group: counts, the earliest record (in time, file, index order: the same
/// whichever worker saw it first) and the latest time. Small on purpose, about 250 bytes: a
/// scan keeps one per group and window that saw a counted record.
#[derive(Debug, Clone)]
struct Group {
    count: u64,
    /// Records per event rule (program index) that fired on them.
    rules: Vec<(usize, u64)>,
    first: Sample,
    last: Timestamp,
}

impl Group {
    fn add_sample(&mut self, s: Sample) {
        if s < self.first {
            self.first = s;
        }
    }

    fn add_rule(&mut self, rule: usize, n: u64) {
        match self.rules.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, c)) => *c += n,
            None => self.rules.push((rule, n)),
        }
    }

    fn merge(&mut self, other: Group) {
        self.count += other.count;
        for (r, n) in other.rules {
            self.add_rule(r, n);
        }
        self.add_sample(other.first);
        self.last = self.last.max(other.last);
    }
}

/// Groups a scan keeps at most (about 100 MB): far more than a year of one busy account's
/// bursts-in-the-making, and a bound on the one part of an event scan that grows with the
/// archive. Past it no new group is opened and the scan reports the aggregate rules'
/// results as incomplete (exit 2) instead of running out of memory.
pub const MAX_GROUPS: usize = 400_000;

/// Counts of one input, then of the inputs merged so far.
#[derive(Debug)]
pub struct Tally {
    groups: HashMap<GroupKey, Group>,
    /// One copy of each grouped value (principals and addresses repeat from record to record).
    values: HashSet<Arc<str>>,
    /// Counted records without a usable `eventTime` (they cannot be put in a window).
    pub untimed: u64,
    limit: usize,
    /// Records (or merged groups) not counted because the tally was full.
    overflow: u64,
    /// Scratch space for [`Tally::count`].
    touched: Vec<usize>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally::with_limit(MAX_GROUPS)
    }
}

/// The record a finding fired on, as the tally needs it.
pub struct Counted<'r> {
    pub header: &'r Header<'r>,
    /// The record's text (for `userIdentity.principalId` when there is no ARN).
    pub raw: &'r str,
    pub path: &'r Arc<str>,
    pub index: u64,
    pub line: Option<u32>,
}

impl Tally {
    pub fn with_limit(limit: usize) -> Tally {
        Tally {
            groups: HashMap::new(),
            values: HashSet::new(),
            untimed: 0,
            limit,
            overflow: 0,
            touched: Vec::new(),
        }
    }

    /// Count one record on which the event rules `fired` (program indices) produced findings.
    pub fn count(&mut self, plan: &Plan<'_>, fired: &[usize], rec: &Counted<'_>) {
        // The aggregate rules the record counts for, in a buffer kept from record to record.
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        touched.extend(
            fired
                .iter()
                .filter_map(|&i| plan.feeds.get(i))
                .flatten()
                .copied(),
        );
        touched.sort_unstable();
        touched.dedup();
        self.count_for(plan, fired, rec, &touched);
        self.touched = touched;
    }

    fn count_for(
        &mut self,
        plan: &Plan<'_>,
        fired: &[usize],
        rec: &Counted<'_>,
        touched: &[usize],
    ) {
        if touched.is_empty() {
            return;
        }
        let Some(at) = rec
            .header
            .event_time
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
        else {
            self.untimed += 1;
            return;
        };
        for &a in touched {
            let Some(spec) = plan.rules[a].desc.window.as_ref() else {
                continue;
            };
            let secs = spec.seconds.max(1) as i64;
            let by: GroupValues = spec
                .by
                .iter()
                .map(|g| group_value(*g, rec).map(|v| self.intern(&v)))
                .collect();
            let key = GroupKey {
                rule: a,
                start: at.secs.div_euclid(secs) * secs,
                by,
            };
            let sample = || Sample {
                at,
                path: rec.path.clone(),
                index: rec.index,
                line: rec.line,
                event_id: rec.header.event_id.as_deref().map(Box::from),
            };
            let full = self.groups.len() >= self.limit;
            let group = match self.groups.entry(key) {
                Entry::Occupied(o) => {
                    let g = o.into_mut();
                    // Most records are not the earliest: nothing is copied for them.
                    if (at, &**rec.path, rec.index) < (g.first.at, &*g.first.path, g.first.index) {
                        g.first = sample();
                    }
                    g
                }
                Entry::Vacant(_) if full => {
                    self.overflow += 1;
                    continue;
                }
                Entry::Vacant(v) => v.insert(Group {
                    count: 0,
                    rules: Vec::with_capacity(1),
                    first: sample(),
                    last: at,
                }),
            };
            group.count += 1;
            for &i in fired {
                if plan.feeds.get(i).is_some_and(|f| f.contains(&a)) {
                    group.add_rule(i, 1);
                }
            }
            group.last = group.last.max(at);
        }
    }

    fn intern(&mut self, v: &str) -> Arc<str> {
        if let Some(a) = self.values.get(v) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(v);
        self.values.insert(a.clone());
        a
    }

    pub fn merge(&mut self, mut other: Tally) {
        // Walk the smaller map: merges pair a file's tally with everything merged so far.
        if other.groups.len() > self.groups.len() {
            std::mem::swap(self, &mut other);
        }
        self.untimed += other.untimed;
        self.overflow += other.overflow;
        self.limit = self.limit.min(other.limit);
        for (k, g) in other.groups {
            let full = self.groups.len() >= self.limit;
            match self.groups.entry(k) {
                Entry::Occupied(mine) => mine.into_mut().merge(g),
                Entry::Vacant(_) if full => self.overflow += g.count,
                Entry::Vacant(v) => {
                    v.insert(g);
                }
            }
        }
    }

    /// Groups counted so far.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn group_value<'r>(g: GroupBy, rec: &'r Counted<'r>) -> Option<std::borrow::Cow<'r, str>> {
    let h = rec.header;
    let text = match g {
        GroupBy::Principal => match h.user_identity.as_ref().and_then(|i| i.arn.as_deref()) {
            Some(arn) => Some(std::borrow::Cow::Borrowed(arn)),
            None => match super::rawpath::lookup(rec.raw, "userIdentity.principalId") {
                super::index::Field::Text(t) => Some(std::borrow::Cow::Owned(t.into_owned())),
                _ => None,
            },
        },
        GroupBy::SourceIp => h
            .source_ip_address
            .as_deref()
            .map(std::borrow::Cow::Borrowed),
        GroupBy::Account => h
            .recipient_account_id
            .as_deref()
            .map(std::borrow::Cow::Borrowed),
        GroupBy::Region => h.aws_region.as_deref().map(std::borrow::Cow::Borrowed),
    };
    text.filter(|t| !t.is_empty())
}

/// A window bound: whole seconds, UTC.
fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A record's time, with the fraction of a second it had.
fn instant(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.secs, t.nanos)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

/// A group to judge: its key and counts, its rule, the rule's window, and the summary.
type Job<'j> = (
    &'j GroupKey,
    &'j Group,
    &'j Rule,
    &'j crate::contract::WindowSpec,
    Value,
);

/// What a rule said of one group.
enum Judged {
    /// The summary did not convert to a regorus value (not the rule's fault: the group alone
    /// is left out).
    BadInput(String),
    /// The rule's `deny` entries, or why it failed.
    Done(Result<Vec<Value>, String>),
}

/// Offer every group to its rule with `engine` (holding the parameters) and turn the `deny`
/// entries into findings; `parallel` on the threads of the current rayon pool.
/// `span` is the first and last `eventTime` of the records read (for each group's
/// `outside`: the same series in the scan's other windows).
pub fn judge(
    plan: &Plan<'_>,
    tally: Tally,
    engine: &regorus::Engine,
    span: Option<(Timestamp, Timestamp)>,
    parallel: bool,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    if plan.rules.is_empty() {
        return (findings, errors);
    }
    if tally.overflow > 0 {
        errors.push(Diagnostic {
            code: "events::aggregate-limit".into(),
            path: "aggregate rules".into(),
            line: None,
            column: None,
            message: format!(
                "aggregate rules stopped opening groups at {} (principal or address and \
                 window): {} counted records were left out, so their results are incomplete",
                tally.limit, tally.overflow
            ),
            help: Some(
                "scan a shorter period (--since/--until) or turn aggregate rules off \
                 (--ignore TGA)"
                    .into(),
            ),
        });
    }
    let facts: Vec<RuleFacts> = plan.rules.iter().map(|r| RuleFacts::of(&r.desc)).collect();
    let mut groups: Vec<(GroupKey, Group)> = tally.groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    // Each series (rule and group values) over all its windows, groups under `at_least`
    // included: what `outside` is made of.
    let mut series: HashMap<(usize, &GroupValues), u64> = HashMap::new();
    for (k, g) in &groups {
        *series.entry((k.rule, &k.by)).or_insert(0) += g.count;
    }
    // The groups that reach their rule's threshold, each with the summary it is judged on.
    let mut jobs = Vec::new();
    for (key, group) in &groups {
        if group.count < plan.at_least[key.rule] {
            continue;
        }
        let rule = plan.rules[key.rule];
        let Some(spec) = rule.desc.window.as_ref() else {
            continue;
        };
        let by: Map<String, Value> = spec
            .by
            .iter()
            .zip(&key.by)
            .map(|(g, v)| {
                (
                    g.as_str().to_string(),
                    v.as_deref()
                        .map_or(Value::Null, |s| Value::String(s.to_string())),
                )
            })
            .collect();
        let total = series
            .get(&(key.rule, &key.by))
            .copied()
            .unwrap_or(group.count);
        let secs = spec.seconds.max(1) as i64;
        // Windows the scan covers besides this one (the records read may start or end
        // inside a window: it counts).
        let other_windows = span.map_or(0, |(first, last)| {
            (last.secs.div_euclid(secs) - first.secs.div_euclid(secs)).max(0)
        });
        let summary = json!({
            "window": {
                "start": rfc3339(key.start),
                "end": rfc3339(key.start + spec.seconds as i64),
                "seconds": spec.seconds,
            },
            "group": by,
            "count": group.count,
            "outside": {"count": total - group.count, "windows": other_windows},
            "rules": group
                .rules
                .iter()
                .map(|(i, n)| (plan.event_ids.get(*i).cloned().unwrap_or_default(), *n))
                .collect::<BTreeMap<String, u64>>(),
            "first_seen": instant(group.first.at),
            "last_seen": instant(group.last),
            "first_event_id": group.first.event_id.as_deref(),
        });
        jobs.push((key, group, rule, spec, summary));
    }
    // Each group is evaluated on its own (on the threads of the scan's pool when there are
    // several: this runs after the workers, with every other core idle); the results are
    // taken in order, so a broken rule reports its first failure, as one by one. A rule that
    // failed is not evaluated again on the other threads; groups of it that were skipped
    // before its first failure in order are evaluated when the results are taken.
    let judged = |engine: &mut regorus::Engine, job: &Job<'_>| -> Judged {
        let (_, _, rule, _, summary) = job;
        let input = match regorus::Value::from_json_str(&summary.to_string()) {
            Ok(v) => v,
            Err(e) => return Judged::BadInput(e.to_string()),
        };
        engine.set_input(input);
        let result = crate::policy::memory::guard(
            || engine.eval_rule(rule.entry.clone()),
            |e| crate::policy::memory::is_memory_error(e.as_ref()),
        );
        Judged::Done(match result {
            Ok(v) => crate::policy::eval::deny_items(&v),
            Err(crate::policy::memory::Guarded::Failed(e)) => Err(e.to_string()),
            Err(crate::policy::memory::Guarded::Exceeded(limit)) => {
                Err(crate::policy::memory::exceeded_message(limit))
            }
        })
    };
    let mut engine = engine.clone();
    // `None`: not evaluated, its rule having failed on another group meanwhile.
    let results: Vec<Option<Judged>> = if parallel && jobs.len() > 1 {
        use rayon::prelude::*;
        let stop: Vec<std::sync::atomic::AtomicBool> = plan
            .rules
            .iter()
            .map(|_| std::sync::atomic::AtomicBool::new(false))
            .collect();
        let relaxed = std::sync::atomic::Ordering::Relaxed;
        jobs.par_iter()
            .map_init(
                || engine.clone(),
                |engine, job| {
                    if stop[job.0.rule].load(relaxed) {
                        return None;
                    }
                    let j = judged(engine, job);
                    if matches!(j, Judged::Done(Err(_))) {
                        stop[job.0.rule].store(true, relaxed);
                    }
                    Some(j)
                },
            )
            .collect()
    } else {
        jobs.iter().map(|_| None).collect()
    };
    let mut failed = vec![false; plan.rules.len()];
    for (job, judged_then) in jobs.iter().zip(results) {
        let (key, group, rule, spec, summary) = job;
        if failed[key.rule] {
            continue;
        }
        let result = match judged_then {
            Some(j) => j,
            None => judged(&mut engine, job),
        };
        let items = match result {
            Judged::BadInput(msg) => {
                errors.push(eval_error(rule, &msg));
                continue;
            }
            Judged::Done(Ok(items)) => items,
            Judged::Done(Err(msg)) => {
                // One diagnostic per rule: a broken rule fails on every group.
                errors.push(eval_error(rule, &msg));
                failed[key.rule] = true;
                continue;
            }
        };
        let first = &group.first;
        for item in &items {
            let entry = match DenyEntry::parse(item) {
                Ok(e) => e,
                Err(msg) => {
                    errors.push(crate::policy::deny::invalid(rule, &msg));
                    continue;
                }
            };
            // The group's values; a record without one is grouped as "unknown <field>".
            let resource = entry.resource.clone().unwrap_or_else(|| {
                let shown: Vec<String> = spec
                    .by
                    .iter()
                    .zip(&key.by)
                    .map(|(g, v)| match v {
                        Some(v) => v.to_string(),
                        None => format!("unknown {}", g.as_str().replace('_', " ")),
                    })
                    .collect();
                if shown.is_empty() {
                    "all records".to_string()
                } else {
                    shown.join(" ")
                }
            });
            let mut evidence = summary.clone();
            if let (Some(d), Value::Object(m)) = (entry.evidence, &mut evidence) {
                m.insert("details".into(), d.clone());
            }
            let mut parts: Vec<String> = vec![rule.desc.id.clone(), key.start.to_string()];
            parts.extend(
                key.by
                    .iter()
                    .map(|v| v.as_deref().unwrap_or_default().to_string()),
            );
            parts.push(entry.key.clone());
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            let location = RecordLoc {
                path: first.path.clone(),
                index: first.index,
                line: first.line,
            }
            .location(first.event_id.as_deref().map(str::to_string));
            findings.push(facts[key.rule].finding(
                entry.msg,
                resource,
                location,
                crate::contract::Evidence::from_value(&evidence),
                fingerprint(&refs),
            ));
        }
    }
    (findings, errors)
}

fn eval_error(rule: &Rule, msg: &str) -> Diagnostic {
    Diagnostic {
        code: "policy::eval".into(),
        path: rule.desc.source.clone(),
        line: None,
        column: None,
        message: format!(
            "aggregate rule {} failed: {}",
            rule.desc.id,
            msg.lines().last().unwrap_or("")
        ),
        help: None,
    }
}

#[cfg(test)]
mod tests;
