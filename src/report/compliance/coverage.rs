//! Which rules were *assessed* in a scan: had something of the kind they check to look at.
//!
//! Definition (also in `docs/ci.md`):
//! - A rule not selected (`--select`/`--ignore`) is not assessed.
//! - An **event** rule is assessed when at least one event record was evaluated.
//! - A **config** rule is assessed when at least one scanned document is in a format the rule
//!   applies to (`applies_to`; empty means every config format) and holds at least one
//!   resource of the rule's subject: a trail owned by the account, a trail's resolved log
//!   bucket, or an event data store. A rule whose subject cannot be told needs any trail or
//!   event data store.
//!
//! A rule's subject is the collection of the normalized model its Rego reads, told from its
//! source: `input.event_data_stores` means event data stores; the log-bucket helpers
//! (`trail_buckets`, `.bucket`, `input.buckets`) mean buckets; `input.trails` or the trail
//! helpers mean trails. METADATA has no field for it, and reading the collection keeps user
//! policies covered without one.
//!
//! Coverage needs the documents' contents, which the scan report does not carry, so [`collect`]
//! reads and adapts the same inputs again (no rule evaluation; config files are small).

use super::{Assessment, Coverage};
use crate::adapters::Adapted;
use crate::contract::{RuleDescriptor, RuleKind, ScanReport};
use crate::model::Document;
use crate::scan::{ScanOptions, config, discover, events};
use std::collections::{BTreeMap, BTreeSet};

/// What one scanned document offers to rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFacts {
    /// `input.format`: `cloudformation`, `terraform-plan`, `terraform-hcl`, `live-export`.
    pub format: String,
    /// Trails owned by the audited account (organization "shadow" trails excluded, as the
    /// rules exclude them).
    pub trails: usize,
    /// Owned trails whose log bucket was resolved in the document.
    pub trail_buckets: usize,
    pub event_data_stores: usize,
}

impl DocFacts {
    pub fn of(doc: &Document) -> DocFacts {
        let owned = doc.trails.iter().filter(|t| !t.is_shadow);
        DocFacts {
            format: doc.format.as_str().to_string(),
            trails: owned.clone().count(),
            trail_buckets: owned.filter(|t| t.bucket.is_some()).count(),
            event_data_stores: doc.event_data_stores.len(),
        }
    }
}

/// The collection of the model a config rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Trail,
    TrailBucket,
    EventDataStore,
    /// Could not be told from the source: any trail or event data store will do.
    Any,
}

impl Subject {
    /// From the rule's Rego source; the most specific collection named wins.
    pub fn of_source(source: &str) -> Subject {
        if source.contains("input.event_data_stores") {
            Subject::EventDataStore
        } else if source.contains("trail_buckets")
            || source.contains("input.buckets")
            || source.contains(".bucket.")
        {
            Subject::TrailBucket
        } else if source.contains("input.trails") || source.contains("trails.") {
            Subject::Trail
        } else {
            Subject::Any
        }
    }

    fn count(self, f: &DocFacts) -> usize {
        match self {
            Subject::Trail => f.trails,
            Subject::TrailBucket => f.trail_buckets,
            Subject::EventDataStore => f.event_data_stores,
            Subject::Any => f.trails + f.event_data_stores,
        }
    }

    fn missing(self) -> &'static str {
        match self {
            Subject::Trail => "no trail of the audited account",
            Subject::TrailBucket => "no trail log bucket defined in the same document",
            Subject::EventDataStore => "no event data store",
            Subject::Any => "no trail or event data store",
        }
    }
}

/// Reads and adapts every config input of `opts` again and returns what each document holds.
/// Unreadable inputs are already errors in the scan report; they contribute nothing here.
pub fn collect(opts: &ScanOptions) -> Vec<DocFacts> {
    let exclude =
        discover::exclude_set(&opts.exclude).unwrap_or_else(|_| globset::GlobSet::empty());
    let found = discover::discover(&opts.paths, &exclude, opts.follow_links);
    let mut facts = Vec::new();
    let mut add = |adapted: Adapted| {
        if let Adapted::Document(doc, _) = adapted {
            facts.push(DocFacts::of(&doc));
        }
    };
    for input in &found.inputs {
        match input {
            // Standard input was consumed by the scan and cannot be read twice.
            discover::Input::Stdin => {}
            // Event logs are counted by the scan itself (`summary.events`).
            discover::Input::File(path) if events::sniff_file(path) => {}
            discover::Input::File(path) => {
                let shown = discover::display(path);
                if let Ok(text) = config::read_text(path)
                    && let config::Outcome::Adapted(a) = config::adapt_text(&shown, &text)
                {
                    add(a);
                }
            }
            discover::Input::TerraformModule { dir, files } => {
                add(config::adapt_module(dir, files).0)
            }
            discover::Input::LiveExport { dir, files } => add(config::adapt_live_dir(dir, files).0),
        }
    }
    facts
}

fn formats(d: &RuleDescriptor) -> String {
    if d.applies_to.is_empty() {
        "any config format".into()
    } else {
        d.applies_to.join(", ")
    }
}

/// Decides each loaded rule's assessment. `sources` maps a rule's `source` path to its Rego
/// text (`PolicySet::sources`).
pub fn assess(
    rules: &[RuleDescriptor],
    selected: &BTreeSet<String>,
    facts: &[DocFacts],
    report: &ScanReport,
    sources: &BTreeMap<String, String>,
) -> Coverage {
    let records = report
        .summary
        .events
        .as_ref()
        .map_or(0, |e| e.records_evaluated);
    let mut out = Coverage::new();
    for d in rules {
        let assessment = if !selected.contains(&d.id) {
            Assessment::NotAssessed("not selected (--select/--ignore)".into())
        } else {
            match d.kind {
                RuleKind::Event | RuleKind::Aggregate if records > 0 => Assessment::Assessed,
                RuleKind::Event | RuleKind::Aggregate => {
                    Assessment::NotAssessed("no event records evaluated".into())
                }
                RuleKind::Config => {
                    let subject = sources
                        .get(&d.source)
                        .map_or(Subject::Any, |t| Subject::of_source(t));
                    let applicable: Vec<&DocFacts> = facts
                        .iter()
                        .filter(|f| d.applies_to.is_empty() || d.applies_to.contains(&f.format))
                        .collect();
                    if applicable.is_empty() {
                        Assessment::NotAssessed(format!(
                            "no scanned document in a format it checks ({})",
                            formats(d)
                        ))
                    } else if applicable.iter().any(|f| subject.count(f) > 0) {
                        Assessment::Assessed
                    } else {
                        Assessment::NotAssessed(format!(
                            "{} in the scanned documents",
                            subject.missing()
                        ))
                    }
                }
            }
        };
        out.insert(d.id.clone(), assessment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_the_most_specific_collection_read() {
        assert_eq!(
            Subject::of_source("some s in input.event_data_stores\nsome t in input.trails"),
            Subject::EventDataStore
        );
        assert_eq!(
            Subject::of_source("some b in buckets.trail_buckets"),
            Subject::TrailBucket
        );
        assert_eq!(Subject::of_source("some t in trails.owned"), Subject::Trail);
        assert_eq!(Subject::of_source("input.path == \"x\""), Subject::Any);
    }
}
