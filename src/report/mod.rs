//! Reporters: turn a [`ScanReport`] into text for people ([`human`]) or machines ([`json`]), and
//! the rule catalog into the `rules` listing and `explain` page.
//!
//! Reporters read only the types in [`crate::contract`] and write to any [`std::io::Write`];
//! they know nothing of AWS, Rego or input formats. Text that came from input is neutralised
//! ([`sanitize`]) before it reaches a terminal.

pub mod compliance;
mod evidence;
mod excerpt;
mod explain;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
mod rules;
pub mod sanitize;
pub mod sarif;
mod snippet;
mod style;
mod summary;

pub use explain::{Examples, FormatExamples, explain};
pub use human::HumanOptions;
pub use rules::{RulesFormat, rules_table};

use crate::contract::ScanReport;
use std::sync::Arc;

/// Supplies the text of an input file for snippets. Return `None` for anything that cannot be
/// shown (stdin, a file deleted since the scan, a compressed log): the finding is then printed
/// with its `path:line:col` but no snippet.
///
/// Any `Fn(&str) -> Option<Arc<str>>` is a provider, e.g. reading from disk:
///
/// ```
/// use std::sync::Arc;
/// use trailguard::report::SourceProvider;
/// let from_disk = |path: &str| std::fs::read_to_string(path).ok().map(Arc::<str>::from);
/// assert!(from_disk.source("/no/such/file").is_none());
/// ```
pub trait SourceProvider {
    fn source(&self, path: &str) -> Option<Arc<str>>;
}

impl<F> SourceProvider for F
where
    F: Fn(&str) -> Option<Arc<str>>,
{
    fn source(&self, path: &str) -> Option<Arc<str>> {
        self(path)
    }
}

/// A provider with no sources: findings are printed without snippets.
pub struct NoSources;

impl SourceProvider for NoSources {
    fn source(&self, _path: &str) -> Option<Arc<str>> {
        None
    }
}

/// The process exit code for a finished scan: 2 when anything could not be scanned (an error
/// wins over findings), 1 when a finding is at or above `--fail-on` (`summary.failed`), else 0.
pub fn exit_code(report: &ScanReport) -> u8 {
    if report.summary.errors > 0 || !report.errors.is_empty() {
        2
    } else if report.summary.failed {
        1
    } else {
        0
    }
}
