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

use crate::contract::{AtLeast, Diagnostic, Finding, GroupBy, Location, RuleFacts, fingerprint};
use crate::events::{Header, Timestamp};
use crate::policy::Rule;
use crate::policy::deny::DenyEntry;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Earliest records of a group kept to locate and illustrate its finding.
const SAMPLES: usize = 5;

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
    time: String,
    line: Option<u32>,
    event_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct GroupKey {
    rule: usize,
    start: i64,
    by: Vec<Option<String>>,
}

#[derive(Debug, Clone, Default)]
struct Group {
    count: u64,
    /// Records per event rule id that fired on them.
    rules: BTreeMap<String, u64>,
    /// The earliest records, in (time, file, index) order.
    samples: Vec<Sample>,
    last: Option<(Timestamp, String)>,
}

impl Group {
    fn add_sample(&mut self, s: Sample) {
        let pos = self.samples.partition_point(|x| *x < s);
        if pos < SAMPLES {
            self.samples.insert(pos, s);
            self.samples.truncate(SAMPLES);
        }
    }

    fn merge(&mut self, other: Group) {
        self.count += other.count;
        for (k, v) in other.rules {
            *self.rules.entry(k).or_insert(0) += v;
        }
        for s in other.samples {
            self.add_sample(s);
        }
        if other.last > self.last {
            self.last = other.last;
        }
    }
}

/// One worker's counts.
#[derive(Debug, Default)]
pub struct Tally {
    groups: HashMap<GroupKey, Group>,
    /// Counted records without a usable `eventTime` (they cannot be put in a window).
    pub untimed: u64,
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
    /// Count one record on which the event rules `fired` (program indices) produced findings.
    pub fn count(&mut self, plan: &Plan<'_>, fired: &[usize], rec: &Counted<'_>) {
        let mut touched: Vec<usize> = fired
            .iter()
            .filter_map(|&i| plan.feeds.get(i))
            .flatten()
            .copied()
            .collect();
        if touched.is_empty() {
            return;
        }
        touched.sort_unstable();
        touched.dedup();
        let time = rec.header.event_time.as_deref();
        let Some(at) = time.and_then(Timestamp::parse_rfc3339) else {
            self.untimed += 1;
            return;
        };
        for a in touched {
            let Some(spec) = plan.rules[a].desc.window.as_ref() else {
                continue;
            };
            let secs = spec.seconds.max(1) as i64;
            let key = GroupKey {
                rule: a,
                start: at.secs.div_euclid(secs) * secs,
                by: spec.by.iter().map(|g| group_value(*g, rec)).collect(),
            };
            let group = self.groups.entry(key).or_default();
            group.count += 1;
            for &i in fired {
                if plan.feeds.get(i).is_some_and(|f| f.contains(&a))
                    && let Some(id) = plan.event_ids.get(i)
                {
                    match group.rules.get_mut(id.as_str()) {
                        Some(n) => *n += 1,
                        None => {
                            group.rules.insert(id.clone(), 1);
                        }
                    }
                }
            }
            let time = time.unwrap_or_default();
            // Most records are neither among the earliest nor the latest: nothing is copied.
            let later_than_kept = group.samples.len() == SAMPLES
                && group
                    .samples
                    .last()
                    .is_some_and(|s| (s.at, &*s.path, s.index) < (at, &**rec.path, rec.index));
            if !later_than_kept {
                group.add_sample(Sample {
                    at,
                    path: rec.path.clone(),
                    index: rec.index,
                    time: time.to_string(),
                    line: rec.line,
                    event_id: rec.header.event_id.as_deref().map(str::to_string),
                });
            }
            if group
                .last
                .as_ref()
                .is_none_or(|(t, text)| (at, time) > (*t, text.as_str()))
            {
                group.last = Some((at, time.to_string()));
            }
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.untimed += other.untimed;
        for (k, g) in other.groups {
            match self.groups.get_mut(&k) {
                Some(mine) => mine.merge(g),
                None => {
                    self.groups.insert(k, g);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

fn group_value(g: GroupBy, rec: &Counted<'_>) -> Option<String> {
    let h = rec.header;
    let text = match g {
        GroupBy::Principal => match h.user_identity.as_ref().and_then(|i| i.arn.as_deref()) {
            Some(arn) => Some(arn.to_string()),
            None => match super::rawpath::lookup(rec.raw, "userIdentity.principalId") {
                super::index::Field::Text(t) => Some(t.into_owned()),
                _ => None,
            },
        },
        GroupBy::SourceIp => h.source_ip_address.as_deref().map(str::to_string),
        GroupBy::Account => h.recipient_account_id.as_deref().map(str::to_string),
        GroupBy::Region => h.aws_region.as_deref().map(str::to_string),
    };
    text.filter(|t| !t.is_empty())
}

fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Offer every group to its rule with `engine` (holding the parameters) and turn the `deny`
/// entries into findings.
pub fn judge(
    plan: &Plan<'_>,
    tally: Tally,
    engine: &regorus::Engine,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    if plan.rules.is_empty() {
        return (findings, errors);
    }
    let mut engine = engine.clone();
    let facts: Vec<RuleFacts> = plan.rules.iter().map(|r| RuleFacts::of(&r.desc)).collect();
    let mut groups: Vec<(GroupKey, Group)> = tally
        .groups
        .into_iter()
        .filter(|(k, g)| g.count >= plan.at_least[k.rule])
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failed = vec![false; plan.rules.len()];
    for (key, group) in groups {
        if failed[key.rule] {
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
                    v.clone().map_or(Value::Null, Value::String),
                )
            })
            .collect();
        let summary = json!({
            "window": {
                "start": rfc3339(key.start),
                "end": rfc3339(key.start + spec.seconds as i64),
                "seconds": spec.seconds,
            },
            "group": by,
            "count": group.count,
            "rules": group.rules,
            "first_seen": group.samples.first().map(|s| s.time.clone()),
            "last_seen": group.last.as_ref().map(|l| l.1.clone()),
            "event_ids": group.samples.iter().filter_map(|s| s.event_id.clone()).collect::<Vec<_>>(),
        });
        let input = match regorus::Value::from_json_str(&summary.to_string()) {
            Ok(v) => v,
            Err(e) => {
                errors.push(eval_error(rule, &e.to_string()));
                continue;
            }
        };
        engine.set_input(input);
        let result = crate::policy::memory::guard(
            || engine.eval_rule(rule.entry.clone()),
            |e| crate::policy::memory::is_memory_error(e.as_ref()),
        );
        let items = match result {
            Ok(v) => crate::policy::eval::deny_items(&v),
            Err(crate::policy::memory::Guarded::Failed(e)) => Err(e.to_string()),
            Err(crate::policy::memory::Guarded::Exceeded(limit)) => {
                Err(crate::policy::memory::exceeded_message(limit))
            }
        };
        let items = match items {
            Ok(items) => items,
            Err(msg) => {
                // One diagnostic per rule: a broken rule fails on every group.
                errors.push(eval_error(rule, &msg));
                failed[key.rule] = true;
                continue;
            }
        };
        let Some(first) = group.samples.first() else {
            continue;
        };
        for item in &items {
            let entry = match DenyEntry::parse(item) {
                Ok(e) => e,
                Err(msg) => {
                    errors.push(Diagnostic {
                        code: "policy::result".into(),
                        path: rule.desc.source.clone(),
                        line: None,
                        column: None,
                        message: format!(
                            "rule {} returned an invalid deny entry: {msg}",
                            rule.desc.id
                        ),
                        help: None,
                    });
                    continue;
                }
            };
            let resource = entry.resource.clone().unwrap_or_else(|| {
                let shown: Vec<&str> = key.by.iter().flatten().map(String::as_str).collect();
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
            parts.extend(key.by.iter().map(|v| v.clone().unwrap_or_default()));
            parts.push(entry.key.clone());
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            let line = first.line.unwrap_or(1);
            let location = Location {
                path: first.path.clone(),
                start_line: line,
                start_column: 1,
                end_line: line,
                end_column: 1,
                record_index: Some(first.index),
                event_id: first.event_id.clone(),
            };
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
