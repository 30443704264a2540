//! The collected export outputs ([`Export`]) -> one [`Document`]: audited account, trail
//! de-duplication, matching of per-trail outputs, buckets and event data stores.
//!
//! Matching rules (documented in docs/live-export.md):
//! - get-event-selectors / get-insight-selectors carry `TrailARN`: matched by it, whatever
//!   the file is called.
//! - get-trail-status has no ARN: its key (file name part or bundle key) is compared first
//!   with each trail's ARN and sanitized ARN, then with trail names. A name shared by several
//!   trails is narrowed to the audited account's own trails, then to trails homed in the
//!   export's region (bundles only); if still not one trail, the file is reported, not guessed.

use super::buckets::{self, BucketSrc};
use super::eds::{self, Origin};
use super::read::{Src, arn_account, sanitize};
use super::trails::{self, Parts};
use crate::adapters::InputError;
use crate::model::{Document, Format, Loc};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Every raw output of one export, each with the file it came from.
#[derive(Default)]
pub(super) struct Export<'a> {
    /// The bundle's `account_id`.
    pub account_id: Option<Src<'a>>,
    /// The export's region (bundle `region`), used only to disambiguate name-keyed status.
    pub region: Option<&'a str>,
    pub caller_identity: Option<Src<'a>>,
    pub describe_trails: Vec<Src<'a>>,
    /// (name or ARN key, get-trail-status output)
    pub statuses: Vec<(String, Src<'a>)>,
    pub event_selectors: Vec<Src<'a>>,
    pub insight_selectors: Vec<Src<'a>>,
    pub data_stores: Vec<Src<'a>>,
    pub data_store_lists: Vec<Src<'a>>,
    /// bucket name -> (header location when the export has one, outputs)
    pub buckets: BTreeMap<String, (Option<Loc>, BucketSrc<'a>)>,
}

struct Entry<'a> {
    src: Src<'a>,
    arn: &'a str,
    name: Option<&'a str>,
    home_region: Option<&'a str>,
    is_shadow: bool,
    parts: Parts<'a>,
    /// Where this trail's status came from, for duplicate reports.
    status_path: Option<&'a str>,
}

pub(super) fn assemble(path: &str, ex: &Export, errors: &mut Vec<InputError>) -> Document {
    let mut doc = Document::new(Format::LiveExport, path);
    let mut entries = trail_entries(ex, errors);
    doc.account_id = audited_account(ex, &entries, errors);
    if let Some(account) = &doc.account_id {
        for e in &mut entries {
            e.is_shadow = arn_account(e.arn).is_some_and(|a| a != account);
        }
    }
    match_statuses(ex, &mut entries, errors);
    match_selectors(ex, &mut entries, errors);

    for (name, (header, src)) in &ex.buckets {
        doc.buckets
            .push(buckets::bucket(name, src, header.clone(), errors));
    }
    for e in &entries {
        let mut trail = trails::trail(e.src, e.arn, e.is_shadow, e.parts, errors);
        let bucket_name = trail.s3_bucket_name.value.as_ref().and_then(|v| v.as_str());
        if trail.s3_bucket_name.is_known() {
            trail.bucket = doc
                .buckets
                .iter()
                .find(|b| Some(b.id.as_str()) == bucket_name)
                .cloned();
        }
        doc.trails.push(trail);
    }
    data_stores(ex, &mut doc, errors);
    doc
}

/// The trailList entries of every describe-trails output, first entry per TrailARN kept: the
/// same trail is listed again when outputs from several regions are combined.
fn trail_entries<'a>(ex: &Export<'a>, errors: &mut Vec<InputError>) -> Vec<Entry<'a>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for dt in &ex.describe_trails {
        let Some(list) = dt.get("trailList").filter(|l| l.node.is_seq()) else {
            errors.push(dt.error("describe-trails output without a trailList list"));
            continue;
        };
        for e in list.items() {
            let Some(arn) = e.get("TrailARN").and_then(|a| a.as_str()) else {
                errors.push(e.error("trailList entry without a TrailARN string: not checked"));
                continue;
            };
            if seen.insert(arn) {
                out.push(Entry {
                    src: e,
                    arn,
                    name: e.get("Name").and_then(|n| n.as_str()),
                    home_region: e.get("HomeRegion").and_then(|n| n.as_str()),
                    is_shadow: false,
                    parts: Parts::default(),
                    status_path: None,
                });
            }
        }
    }
    out
}

/// get-caller-identity's `Account`, else the bundle's `account_id`, else the account of the
/// non-organization trails (only an organization trail can belong to another account).
fn audited_account(ex: &Export, entries: &[Entry], errors: &mut Vec<InputError>) -> Option<String> {
    let mut account: Option<String> = None;
    if let Some(ci) = ex.caller_identity {
        match ci.get("Account").and_then(|a| a.as_str()) {
            Some(a) => account = Some(a.to_string()),
            None => errors.push(ci.error("get-caller-identity output without an Account string")),
        }
    }
    if let Some(a) = ex.account_id {
        match (a.as_str(), &account) {
            (Some(s), Some(from_identity)) if s != from_identity => errors.push(a.error(format!(
                "account_id {s} differs from get-caller-identity's {from_identity}, which is used"
            ))),
            (Some(s), None) => account = Some(s.to_string()),
            (Some(_), Some(_)) => {}
            (None, _) => errors.push(a.error("account_id should be a string")),
        }
    }
    if account.is_some() {
        return account;
    }
    let own: HashSet<&str> = entries
        .iter()
        .filter(|e| {
            e.src
                .get("IsOrganizationTrail")
                .and_then(|v| v.node.as_bool())
                != Some(true)
        })
        .filter_map(|e| arn_account(e.arn))
        .collect();
    (own.len() == 1).then(|| own.into_iter().collect())
}

/// get-event-selectors / get-insight-selectors outputs, matched by the `TrailARN` they carry.
fn match_selectors<'a>(ex: &Export<'a>, entries: &mut [Entry<'a>], errors: &mut Vec<InputError>) {
    let by_arn: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.arn, i))
        .collect();
    for (list, what) in [
        (&ex.event_selectors, "get-event-selectors"),
        (&ex.insight_selectors, "get-insight-selectors"),
    ] {
        for src in list {
            let Some(arn) = src.get("TrailARN").and_then(|a| a.as_str()) else {
                errors.push(src.error(format!("{what} output without a TrailARN string")));
                continue;
            };
            let Some(&i) = by_arn.get(arn) else {
                errors.push(src.error(format!(
                    "{what} output for {arn}, which describe-trails does not list"
                )));
                continue;
            };
            let slot = if what == "get-event-selectors" {
                &mut entries[i].parts.selectors
            } else {
                &mut entries[i].parts.insights
            };
            match slot {
                Some(first) => errors.push(src.error(format!(
                    "second {what} output for {arn} (the first, in {}, is used)",
                    first.path
                ))),
                None => *slot = Some(*src),
            }
        }
    }
}

fn match_statuses<'a>(ex: &Export<'a>, entries: &mut [Entry<'a>], errors: &mut Vec<InputError>) {
    let mut by_name = Vec::new();
    for (key, src) in &ex.statuses {
        match entries
            .iter()
            .position(|e| e.arn == key || sanitize(e.arn) == *key)
        {
            Some(i) => assign(&mut entries[i], *src, errors),
            None => by_name.push((key, *src)),
        }
    }
    for (key, src) in by_name {
        let mut hits: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                entries[i]
                    .name
                    .is_some_and(|n| n == key || sanitize(n) == *key)
            })
            .collect();
        if hits.len() > 1 {
            hits.retain(|&i| !entries[i].is_shadow);
        }
        if hits.len() > 1
            && let Some(region) = ex.region
        {
            hits.retain(|&i| entries[i].home_region == Some(region));
        }
        match hits.as_slice() {
            [i] => assign(&mut entries[*i], src, errors),
            [] => errors.push(src.error(format!(
                "get-trail-status output for {key:?}, which matches no trail in describe-trails"
            ))),
            _ => errors.push(src.error(format!(
                "get-trail-status output for {key:?} matches {} trails: key it by TrailARN",
                hits.len()
            ))),
        }
    }
}

fn assign<'a>(entry: &mut Entry<'a>, src: Src<'a>, errors: &mut Vec<InputError>) {
    match entry.status_path {
        Some(first) => errors.push(src.error(format!(
            "second get-trail-status output for {} (the first, in {first}, is used)",
            entry.arn
        ))),
        None => {
            entry.parts.status = Some(src);
            entry.status_path = Some(src.path);
        }
    }
}

/// get-event-data-store outputs first; list-event-data-stores entries only for stores that
/// were not described one by one.
fn data_stores(ex: &Export, doc: &mut Document, errors: &mut Vec<InputError>) {
    let ident = |s: &Src<'_>| -> (Option<String>, Option<String>) {
        let get = |k: &str| s.get(k).and_then(|v| v.as_str()).map(str::to_string);
        (get("EventDataStoreArn"), get("Name"))
    };
    let mut described = Vec::new();
    for src in &ex.data_stores {
        let (arn, name) = ident(src);
        let Some(id) = arn.clone().or(name.clone()) else {
            errors.push(src.error("get-event-data-store output without EventDataStoreArn or Name"));
            continue;
        };
        if described
            .iter()
            .any(|(a, n, _)| (arn.is_some() && *a == arn) || (*n == name && name.is_some()))
        {
            errors.push(src.error(format!("second get-event-data-store output for {id}")));
            continue;
        }
        doc.event_data_stores
            .push(eds::data_store(*src, &id, Origin::Get, errors));
        described.push((arn, name, id));
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for (arn, name, _) in &described {
        seen.extend(arn.as_deref());
        seen.extend(name.as_deref());
    }
    for list in &ex.data_store_lists {
        let Some(stores) = list.get("EventDataStores").filter(|s| s.node.is_seq()) else {
            errors
                .push(list.error("list-event-data-stores output without an EventDataStores list"));
            continue;
        };
        for entry in stores.items() {
            let Some(arn) = entry.get("EventDataStoreArn").and_then(|a| a.as_str()) else {
                errors
                    .push(entry.error("EventDataStores entry without an EventDataStoreArn string"));
                continue;
            };
            let name = entry.get("Name").and_then(|n| n.as_str());
            if seen.contains(arn) || name.is_some_and(|n| seen.contains(n)) {
                continue;
            }
            seen.insert(arn);
            doc.event_data_stores
                .push(eds::data_store(entry, arn, Origin::List, errors));
        }
    }
}
