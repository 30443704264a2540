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
use crate::eventscan::value::WordHashBuild;
use crate::suppress::{Exceptions, Unlisted, baseline};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;

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

/// Where an event finding sits in report order: path, line and record index (its column is
/// always 1), the start of [`Finding::sort_key`].
type Pos = (Arc<str>, u32, u64);

/// Per worker and rule, the positions of the first `cap` findings the worker has made, over all
/// the files it read (its stores are per file and only meet at the merge). A finding that comes
/// after all of them cannot be listed: `cap` findings come before it whatever the other
/// workers find. With no waivers or baseline to classify it by, it is then only counted, and
/// neither its evidence nor its message is made.
#[derive(Default)]
pub struct ListingBound {
    /// By rule id, with a cheap hash: asked for every counted finding, on ids of a few bytes.
    rules: HashMap<String, BinaryHeap<Pos>, WordHashBuild>,
}

impl ListingBound {
    /// Whether a finding of `rule` on the record at `pos` must be made (it may be listed; its
    /// position is then remembered). `false`: count it with [`FindingStore::count_unlisted`].
    pub fn admits(&mut self, rule: &str, pos: (&Arc<str>, u32, u64), how: Listing<'_>) -> bool {
        if !self.would_admit(rule, pos, how) {
            return false;
        }
        if how.cap == 0 || !how.exceptions.none_to_apply() {
            return true;
        }
        let heap = match self.rules.get_mut(rule) {
            Some(h) => h,
            None => self.rules.entry(rule.to_string()).or_default(),
        };
        heap.push((pos.0.clone(), pos.1, pos.2));
        if heap.len() > how.cap {
            heap.pop();
        }
        true
    }

    /// Whether a finding of `rule` at `pos` could be listed, without taking a place: `false`
    /// means it can only be counted (so a rule with a `condition` need not make it at all).
    pub fn would_admit(&self, rule: &str, pos: (&Arc<str>, u32, u64), how: Listing<'_>) -> bool {
        if how.cap == 0 || !how.exceptions.none_to_apply() {
            return true;
        }
        self.rules.get(rule).is_none_or(|heap| {
            heap.len() < how.cap
                || heap.peek().is_none_or(|(p, line, index)| {
                    (&**p, *line, *index) >= (&**pos.0, pos.1, pos.2)
                })
        })
    }
}

/// One worker's event findings (merged into one at the end).
#[derive(Default)]
pub struct FindingStore {
    rules: HashMap<String, RuleFindings, WordHashBuild>,
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

    /// Count a finding of `rule` that [`ListingBound::admits`] turned away: past the cap,
    /// with nothing to classify it by.
    pub fn count_unlisted(&mut self, rule: &str, severity: Severity) {
        let r = match self.rules.get_mut(rule) {
            Some(r) => r,
            None => self.rules.entry(rule.to_string()).or_default(),
        };
        r.omitted.severity = Some(severity);
        r.omitted.reported += 1;
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
                // The larger heap stays: a worker's part merged into an empty one moves, it is
                // not pushed again finding by finding.
                let mut items = items;
                if items.len() > heap.len() {
                    std::mem::swap(heap, &mut items);
                }
                // One at a time, so the heap never holds more than cap + 1 findings: extending
                // it with the other store's whole heap reallocated and copied both (3% of a
                // 1M-record scan's profile).
                for item in items {
                    heap.push(item);
                    if how.cap > 0
                        && heap.len() > how.cap
                        && let Some(Ranked(dropped)) = heap.pop()
                    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Location, RuleKind};

    fn at(index: u64) -> Finding {
        Finding {
            rule_id: "TGE001".into(),
            rule_name: "".into(),
            severity: Severity::Low,
            kind: RuleKind::Event,
            title: "".into(),
            message: format!("m{index}"),
            resource: "r".into(),
            location: Location {
                path: "f.json".into(),
                start_line: 1,
                start_column: 1,
                end_line: 1,
                end_column: 1,
                record_index: Some(index),
                event_id: None,
            },
            compliance: Default::default(),
            evidence: Default::default(),
            fingerprint: index.to_string(),
            baseline_state: None,
        }
    }

    #[test]
    fn only_findings_after_the_first_cap_a_worker_made_are_turned_away() {
        let ex = Exceptions::default();
        let how = Listing {
            cap: 2,
            exceptions: &ex,
        };
        let (f, g): (Arc<str>, Arc<str>) = ("f.json".into(), "g.json".into());
        let mut bound = ListingBound::default();
        // Two findings of one file fill the cap, whatever file they are in.
        assert!(bound.admits("TGE001", (&g, 1, 5), how));
        assert!(bound.admits("TGE001", (&g, 1, 6), how));
        // After both: turned away. Before one of them (an earlier record, an earlier file), or
        // on the same record as the last: made.
        assert!(!bound.admits("TGE001", (&g, 1, 9), how));
        assert!(bound.admits("TGE001", (&g, 1, 6), how), "same record");
        assert!(bound.admits("TGE001", (&f, 1, 9), how), "an earlier file");
        assert!(bound.admits("TGE001", (&g, 1, 3), how));
        // Now f#9 and g#3 are the first two: g#5 would not be listed any more.
        assert!(!bound.admits("TGE001", (&g, 1, 5), how));
        assert!(bound.admits("TGE002", (&g, 1, 9), how), "another rule");
        let unlimited = Listing {
            cap: 0,
            exceptions: &ex,
        };
        assert!(bound.admits("TGE001", (&g, 1, 99), unlimited));
        let mut store = FindingStore::default();
        store.count_unlisted("TGE001", Severity::Low);
        store.push(at(3), how);
        let stored = store.finish();
        assert_eq!(stored.omitted["TGE001"].reported, 1);
        assert_eq!(stored.omitted["TGE001"].severity, Some(Severity::Low));
        assert_eq!(stored.findings.len(), 1);
    }
}
