//! Event findings as workers produce them, under the per-rule listing cap
//! (`--max-findings-per-rule`): each rule lists at most N findings, the first N in report order;
//! the rest are counted, not kept, so memory stays bounded however many records match.
//!
//! Waivers and the baseline are pure functions of a finding, so each finding is classified when
//! it is produced: the cap counts only reported findings (a waived one never takes a listed
//! one's place), findings past it still fail the run and still count in the summary, an
//! expired waiver still says how many findings it would have suppressed, and `--write-baseline`
//! still accepts every one of them. Each worker keeps its N first per rule and the merge keeps
//! the N first of the union, so the listing is the same for any thread count.

use crate::contract::{Finding, Severity};
use crate::suppress::{Exceptions, Unlisted, baseline};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// What the store needs to classify findings.
#[derive(Clone, Copy)]
pub struct Listing<'e> {
    /// Findings listed per rule (reported and waived ones each); 0 = no cap.
    pub cap: usize,
    pub exceptions: &'e Exceptions,
}

/// A finding ordered the way reports list them (largest = last = first to drop).
struct Ranked(Finding);

impl Ranked {
    fn key(&self) -> impl Ord + '_ {
        (self.0.sort_key(), &self.0.message, &self.0.fingerprint)
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// Findings of one rule past the cap: counted by what they would have been.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Omitted {
    pub severity: Option<Severity>,
    /// Reported findings not listed, and how many of those the baseline accepts.
    pub reported: u64,
    pub in_baseline: u64,
    /// Waived findings not listed.
    pub waived: u64,
}

#[derive(Default)]
struct RuleFindings {
    reported: BinaryHeap<Ranked>,
    waived: BinaryHeap<Ranked>,
    omitted: Omitted,
}

/// One worker's event findings (merged into one at the end).
#[derive(Default)]
pub struct FindingStore {
    rules: HashMap<String, RuleFindings>,
    unlisted: Unlisted,
}

/// What the store hands to the end of the scan.
pub struct Stored {
    /// Listed findings, reported and waived (the exceptions step moves waived ones again).
    pub findings: Vec<Finding>,
    /// Per rule id, the findings past the cap.
    pub omitted: BTreeMap<String, Omitted>,
    pub unlisted: Unlisted,
}

impl FindingStore {
    pub fn push(&mut self, f: Finding, how: Listing<'_>) {
        let mut hits = Vec::new();
        let waived = how.exceptions.waived(&f, &mut hits);
        let rule = match self.rules.get_mut(&*f.rule_id) {
            Some(r) => r,
            None => self.rules.entry(f.rule_id.to_string()).or_default(),
        };
        rule.omitted.severity = Some(f.severity);
        let heap = if waived {
            &mut rule.waived
        } else {
            &mut rule.reported
        };
        heap.push(Ranked(f));
        if how.cap > 0
            && heap.len() > how.cap
            && let Some(Ranked(dropped)) = heap.pop()
        {
            omit(&mut rule.omitted, &mut self.unlisted, dropped, waived, how);
        }
    }

    pub fn merge(&mut self, other: FindingStore, how: Listing<'_>) {
        for (id, theirs) in other.rules {
            let ours = self.rules.entry(id).or_default();
            ours.omitted.severity = ours.omitted.severity.or(theirs.omitted.severity);
            ours.omitted.reported += theirs.omitted.reported;
            ours.omitted.in_baseline += theirs.omitted.in_baseline;
            ours.omitted.waived += theirs.omitted.waived;
            for (waived, items) in [(false, theirs.reported), (true, theirs.waived)] {
                let heap = if waived {
                    &mut ours.waived
                } else {
                    &mut ours.reported
                };
                heap.extend(items);
                while how.cap > 0 && heap.len() > how.cap {
                    if let Some(Ranked(dropped)) = heap.pop() {
                        omit(&mut ours.omitted, &mut self.unlisted, dropped, waived, how);
                    }
                }
            }
        }
        add_hits(
            &mut self.unlisted.expired_hits,
            &other.unlisted.expired_hits,
        );
        self.unlisted
            .baseline_entries
            .extend(other.unlisted.baseline_entries);
    }

    pub fn finish(self) -> Stored {
        let mut findings = Vec::new();
        let mut omitted = BTreeMap::new();
        for (id, rule) in self.rules {
            findings.extend(rule.reported.into_iter().map(|r| r.0));
            findings.extend(rule.waived.into_iter().map(|r| r.0));
            if rule.omitted.reported + rule.omitted.waived > 0 {
                omitted.insert(id, rule.omitted);
            }
        }
        Stored {
            findings,
            omitted,
            unlisted: self.unlisted,
        }
    }
}

/// Account for a finding dropped past the cap.
fn omit(o: &mut Omitted, unlisted: &mut Unlisted, f: Finding, waived: bool, how: Listing<'_>) {
    let ex = how.exceptions;
    // Classified again to count the expired waivers that cover it (counted for listed
    // findings by the exceptions step at the end).
    ex.waived(&f, &mut unlisted.expired_hits);
    if waived {
        o.waived += 1;
        return;
    }
    o.reported += 1;
    if ex.in_baseline(&f) {
        o.in_baseline += 1;
    }
    if ex.write_baseline.is_some() {
        unlisted.baseline_entries.push(baseline::Entry::of(&f));
    }
}

fn add_hits(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}
