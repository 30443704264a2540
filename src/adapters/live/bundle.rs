//! The single-file bundle (`{"trailguard_live_export": 1, ...}`, see docs/live-export.md)
//! -> an [`Export`]. Unknown keys are errors so a misspelt section is not silently ignored.

use super::assemble::Export;
use super::buckets::BucketSrc;
use super::read::{Src, type_name};
use crate::adapters::InputError;
use crate::model::Loc;
use crate::syntax::Node;

/// The bundle format version this build reads.
pub(super) const VERSION: &str = "1";

const KEYS: &str = "trailguard_live_export, account_id, region, caller_identity, \
    describe_trails, trail_status, event_selectors, insight_selectors, event_data_stores, \
    list_event_data_stores, buckets";

/// A raw CLI output must be the object the CLI printed.
fn output<'a>(src: Src<'a>, what: &str, errors: &mut Vec<InputError>) -> Option<Src<'a>> {
    if src.node.is_map() {
        Some(src)
    } else {
        errors.push(src.error(format!(
            "{what} should be the JSON object printed by the aws CLI, found {}",
            type_name(src.node)
        )));
        None
    }
}

/// One output or a list of them (one per region or page).
fn outputs<'a>(src: Src<'a>, what: &str, errors: &mut Vec<InputError>) -> Vec<Src<'a>> {
    if src.node.is_seq() {
        src.items()
            .filter_map(|s| output(s, what, errors))
            .collect()
    } else {
        output(src, what, errors).into_iter().collect()
    }
}

fn list<'a>(src: Src<'a>, what: &str, errors: &mut Vec<InputError>) -> Vec<Src<'a>> {
    if src.node.is_seq() {
        src.items()
            .filter_map(|s| output(s, what, errors))
            .collect()
    } else {
        errors.push(src.error(format!(
            "{what} should be a list of aws CLI outputs, found {}",
            type_name(src.node)
        )));
        Vec::new()
    }
}

pub(super) fn export<'a>(
    path: &'a str,
    root: &'a Node,
    errors: &mut Vec<InputError>,
) -> Export<'a> {
    let mut ex = Export::default();
    for (key, value) in root.entries() {
        let v = Src::new(path, value);
        match key.name.as_str() {
            "trailguard_live_export" => match &value.kind {
                crate::syntax::NodeKind::Number(n) if n == VERSION => {}
                _ => errors.push(v.error(format!(
                    "unsupported trailguard_live_export version {} (this build reads {VERSION}); \
                     read as version {VERSION}",
                    v.text()
                ))),
            },
            "account_id" => ex.account_id = Some(v),
            "region" => match v.as_str() {
                Some(r) => ex.region = Some(r),
                None => errors.push(v.error("region should be a string")),
            },
            "caller_identity" => ex.caller_identity = output(v, "caller_identity", errors),
            "describe_trails" => ex.describe_trails = outputs(v, "describe_trails", errors),
            "trail_status" => {
                if !value.is_map() {
                    errors.push(v.error("trail_status should map trail names or ARNs to outputs"));
                }
                for (k, s) in value.entries() {
                    if let Some(s) = output(Src::new(path, s), "a trail_status value", errors) {
                        ex.statuses.push((k.name.clone(), s));
                    }
                }
            }
            "event_selectors" => ex.event_selectors = list(v, "event_selectors", errors),
            "insight_selectors" => ex.insight_selectors = list(v, "insight_selectors", errors),
            "event_data_stores" => ex.data_stores = list(v, "event_data_stores", errors),
            "list_event_data_stores" => {
                ex.data_store_lists = outputs(v, "list_event_data_stores", errors)
            }
            "buckets" => buckets(path, value, &mut ex, errors),
            other => errors.push(v.error(format!(
                "unknown bundle key {other:?} (expected one of {KEYS})"
            ))),
        }
    }
    if root.get("describe_trails").is_none() {
        errors.push(
            Src::new(path, root)
                .error("bundle without describe_trails: its trails cannot be checked"),
        );
    }
    ex
}

fn buckets<'a>(path: &'a str, value: &'a Node, ex: &mut Export<'a>, errors: &mut Vec<InputError>) {
    if !value.is_map() {
        errors.push(Src::new(path, value).error("buckets should map bucket names to outputs"));
        return;
    }
    for (name, parts) in value.entries() {
        let p = Src::new(path, parts);
        if !parts.is_map() {
            errors.push(p.error(format!("bucket {:?} should be an object", name.name)));
            continue;
        }
        let mut b = BucketSrc::default();
        for (k, v) in parts.entries() {
            let slot = match k.name.as_str() {
                "acl" => &mut b.acl,
                "public_access_block" => &mut b.public_access_block,
                "policy" => &mut b.policy,
                "logging" => &mut b.logging,
                "versioning" => &mut b.versioning,
                other => {
                    errors.push(Src::new(path, v).error(format!(
                        "unknown bucket key {other:?} (expected acl, public_access_block, \
                         policy, logging, versioning)"
                    )));
                    continue;
                }
            };
            *slot = output(Src::new(path, v), &k.name, errors);
        }
        ex.buckets
            .insert(name.name.clone(), (Some(Loc::new(path, name.span)), b));
    }
}
