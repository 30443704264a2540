//! The export directory: file-name grammar (`<command>[.<key>].json`) and parsing of each file
//! into an [`Export`].

use super::assemble::Export;
use super::buckets::BucketSrc;
use super::read::Src;
use crate::adapters::InputError;
use crate::syntax::{Node, NodeKind, Span, json};

/// Which output a file holds, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    DescribeTrails,
    TrailStatus(String),
    EventSelectors,
    InsightSelectors,
    ListDataStores,
    DataStore,
    CallerIdentity,
    Bucket(String, Part),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Acl,
    PublicAccessBlock,
    Policy,
    Logging,
    Versioning,
}

/// Every command whose output an export may hold. A `.json` file whose name starts with one of
/// these belongs to the export, even when misnamed (it is then reported, not ignored).
pub(super) const COMMANDS: [&str; 12] = [
    "describe-trails",
    "get-trail-status",
    "get-event-selectors",
    "get-insight-selectors",
    "list-event-data-stores",
    "get-event-data-store",
    "get-caller-identity",
    "get-bucket-acl",
    "get-public-access-block",
    "get-bucket-policy",
    "get-bucket-logging",
    "get-bucket-versioning",
];

/// The last path component (exports are read on Windows too).
pub(super) fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `Some(None)` for `<cmd>.json`, `Some(Some(key))` for `<cmd>.<key>.json`.
fn split<'a>(file: &'a str, cmd: &str) -> Option<Option<&'a str>> {
    let rest = file.strip_prefix(cmd)?.strip_suffix(".json")?;
    if rest.is_empty() {
        return Some(None);
    }
    let key = rest.strip_prefix('.')?;
    (!key.is_empty()).then_some(Some(key))
}

pub(super) fn classify(file: &str) -> Option<Kind> {
    let file = base_name(file);
    let keyed = |cmd: &str| split(file, cmd).flatten().map(str::to_string);
    // Optional key: regional copies such as describe-trails.eu-west-1.json.
    let any = |cmd: &str| split(file, cmd).is_some();
    let bucket = |cmd: &str, part: Part| keyed(cmd).map(|b| Kind::Bucket(b, part));
    // Longer command names first where one is a prefix of another.
    if any("describe-trails") {
        Some(Kind::DescribeTrails)
    } else if let Some(k) = keyed("get-trail-status") {
        Some(Kind::TrailStatus(k))
    } else if any("get-event-selectors") {
        Some(Kind::EventSelectors)
    } else if any("get-insight-selectors") {
        Some(Kind::InsightSelectors)
    } else if any("list-event-data-stores") {
        Some(Kind::ListDataStores)
    } else if any("get-event-data-store") {
        Some(Kind::DataStore)
    } else if split(file, "get-caller-identity") == Some(None) {
        Some(Kind::CallerIdentity)
    } else {
        bucket("get-bucket-acl", Part::Acl)
            .or_else(|| bucket("get-public-access-block", Part::PublicAccessBlock))
            .or_else(|| bucket("get-bucket-policy", Part::Policy))
            .or_else(|| bucket("get-bucket-logging", Part::Logging))
            .or_else(|| bucket("get-bucket-versioning", Part::Versioning))
    }
}

/// One parsed export file.
pub(super) struct Parsed {
    pub path: String,
    pub kind: Kind,
    pub node: Node,
}

/// Parse every file the directory's caller read. Unparseable files become errors with their
/// line and column; the rest are returned sorted by path so results do not depend on the
/// order the caller listed them in.
pub(super) fn parse_files(files: &[(String, String)], errors: &mut Vec<InputError>) -> Vec<Parsed> {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (path, text) in sorted {
        let Some(kind) = classify(path) else {
            errors.push(InputError::file(
                path,
                format!(
                    "not a live export file name: expected <command>.json or \
                     <command>.<trail, store or bucket>.json for one of {}",
                    COMMANDS.join(", ")
                ),
            ));
            continue;
        };
        // The CLI prints nothing for an empty response (get-bucket-logging of a bucket
        // without logging, get-bucket-versioning of a never-versioned bucket).
        let node = if text.trim_start_matches('\u{feff}').trim().is_empty() {
            let span = Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                offset: 0,
                len: 0,
            };
            Node::new(NodeKind::Map(Vec::new()), span)
        } else {
            match json::parse(text) {
                Ok(n) => n,
                Err(e) => {
                    errors.push(InputError::at(
                        path,
                        e.line,
                        e.column,
                        format!("invalid JSON: {}", e.message),
                    ));
                    continue;
                }
            }
        };
        if !node.is_map() {
            errors.push(InputError::at(
                path,
                node.span.line,
                node.span.column,
                "expected the JSON object printed by the aws CLI",
            ));
            continue;
        }
        out.push(Parsed {
            path: path.clone(),
            kind,
            node,
        });
    }
    out
}

/// Gather the parsed files into an [`Export`] borrowing from them.
pub(super) fn export(parsed: &[Parsed]) -> Export<'_> {
    let mut ex = Export::default();
    for p in parsed {
        let src = Src::new(&p.path, &p.node);
        match &p.kind {
            Kind::DescribeTrails => ex.describe_trails.push(src),
            Kind::TrailStatus(key) => ex.statuses.push((key.clone(), src)),
            Kind::EventSelectors => ex.event_selectors.push(src),
            Kind::InsightSelectors => ex.insight_selectors.push(src),
            Kind::ListDataStores => ex.data_store_lists.push(src),
            Kind::DataStore => ex.data_stores.push(src),
            Kind::CallerIdentity => ex.caller_identity = Some(src),
            Kind::Bucket(name, part) => {
                let (_, b) = ex
                    .buckets
                    .entry(name.clone())
                    .or_insert((None, BucketSrc::default()));
                let slot = match part {
                    Part::Acl => &mut b.acl,
                    Part::PublicAccessBlock => &mut b.public_access_block,
                    Part::Policy => &mut b.policy,
                    Part::Logging => &mut b.logging,
                    Part::Versioning => &mut b.versioning,
                };
                *slot = Some(src);
            }
        }
    }
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_export_file_names() {
        assert_eq!(
            classify("x/describe-trails.json"),
            Some(Kind::DescribeTrails)
        );
        assert_eq!(
            classify("describe-trails.eu-west-1.json"),
            Some(Kind::DescribeTrails)
        );
        assert_eq!(
            classify("get-trail-status.arn_aws_cloudtrail_us-east-1_1_trail_t.json"),
            Some(Kind::TrailStatus(
                "arn_aws_cloudtrail_us-east-1_1_trail_t".into()
            ))
        );
        assert_eq!(classify("get-trail-status.json"), None);
        assert_eq!(classify("get-trail-status-main.json"), None);
        assert_eq!(
            classify("get-bucket-policy.logs.example.com.json"),
            Some(Kind::Bucket("logs.example.com".into(), Part::Policy))
        );
        assert_eq!(
            classify("get-event-data-store.lake.json"),
            Some(Kind::DataStore)
        );
        assert_eq!(
            classify("C:\\exp\\get-caller-identity.json"),
            Some(Kind::CallerIdentity)
        );
        assert_eq!(classify("events.json"), None);
    }
}
