//! Live-account exports (raw `aws` CLI JSON outputs) -> the normalized model
//! ([`Format::LiveExport`](crate::model::Format::LiveExport)).
//!
//! Three input shapes, documented in `docs/live-export.md`:
//! - an export directory (`describe-trails.json`, `get-trail-status.<trail>.json`, ...) as
//!   written by `scripts/export-live.sh`: [`is_export_dir`], [`is_export_file`], [`adapt_dir`];
//! - one bundle file `{"trailguard_live_export": 1, ...}`: [`looks_like_bundle`],
//!   [`adapt_bundle`];
//! - a lone `describe-trails` output: [`looks_like_describe_trails`],
//!   [`adapt_describe_trails`] (status and selectors then unknown unless the describe-trails
//!   flags settle them).
//!
//! An account with no trail is a finding, not a file to skip, so every shape yields a
//! [`Adapted::Document`], possibly with no trails, together with the files it could not read.

mod assemble;
mod buckets;
mod bundle;
mod dir;
mod eds;
mod read;
mod selectors;
mod status;
#[cfg(test)]
mod tests;
mod trails;

use super::{Adapted, InputError};
use crate::syntax::Node;
use read::Src;

/// Whether a directory (given its file names or paths) is a live export: it holds the output
/// of at least one CloudTrail command (describe-trails, get-trail-status, get-event-selectors,
/// get-insight-selectors, list-event-data-stores, get-event-data-store). Caller-identity and
/// bucket outputs alone do not make one.
pub fn is_export_dir(file_names: &[String]) -> bool {
    file_names.iter().any(|f| {
        matches!(
            dir::classify(f),
            Some(
                dir::Kind::DescribeTrails
                    | dir::Kind::TrailStatus(_)
                    | dir::Kind::EventSelectors
                    | dir::Kind::InsightSelectors
                    | dir::Kind::ListDataStores
                    | dir::Kind::DataStore
            )
        )
    })
}

/// Whether a file in an export directory belongs to the export: a `.json` file named after one
/// of the exported commands. The caller passes these to [`adapt_dir`] and scans the others
/// (event logs kept beside the export, say) as inputs of their own. A misnamed export file
/// (`get-trail-status-main.json`) belongs to the export and is reported by [`adapt_dir`].
pub fn is_export_file(file_name: &str) -> bool {
    let name = dir::base_name(file_name);
    name.ends_with(".json") && dir::COMMANDS.iter().any(|c| name.starts_with(c))
}

/// Adapt an export directory. `files` are (path, text) of its export files (see
/// [`is_export_file`]); the document's path is `dir`. A file that is not valid JSON becomes an
/// [`InputError`] with its line and column, and the other files are still adapted.
pub fn adapt_dir(dir: &str, files: &[(String, String)]) -> Adapted {
    let mut errors = Vec::new();
    let parsed = dir::parse_files(files, &mut errors);
    let has_trails_file = files
        .iter()
        .any(|(p, _)| dir::classify(p) == Some(dir::Kind::DescribeTrails));
    if !has_trails_file {
        errors.push(InputError::file(
            dir,
            "no describe-trails.json in the export: its trails cannot be checked",
        ));
    }
    let export = dir::export(&parsed);
    let doc = assemble::assemble(dir, &export, &mut errors);
    errors.sort();
    Adapted::Document(doc, errors)
}

/// Whether a parsed JSON file is a bundle (it has the `trailguard_live_export` version key).
pub fn looks_like_bundle(root: &Node) -> bool {
    root.get("trailguard_live_export").is_some()
}

/// Adapt a bundle file (shape in docs/live-export.md). Unknown keys and malformed sections are
/// [`InputError`]s; everything else is still adapted.
pub fn adapt_bundle(path: &str, root: &Node) -> Adapted {
    let mut errors = Vec::new();
    let export = bundle::export(path, root, &mut errors);
    let doc = assemble::assemble(path, &export, &mut errors);
    errors.sort();
    Adapted::Document(doc, errors)
}

/// Whether a parsed JSON file is a plain `aws cloudtrail describe-trails` output.
pub fn looks_like_describe_trails(root: &Node) -> bool {
    !looks_like_bundle(root) && root.get("trailList").is_some_and(Node::is_seq)
}

/// Adapt a lone describe-trails output: `is_logging` is unknown (no get-trail-status), and
/// selectors / insights are unknown unless `HasCustomEventSelectors` /
/// `HasInsightSelectors` is false (then the AWS defaults apply).
pub fn adapt_describe_trails(path: &str, root: &Node) -> Adapted {
    let mut errors = Vec::new();
    let export = assemble::Export {
        describe_trails: vec![Src::new(path, root)],
        ..Default::default()
    };
    let doc = assemble::assemble(path, &export, &mut errors);
    errors.sort();
    Adapted::Document(doc, errors)
}
