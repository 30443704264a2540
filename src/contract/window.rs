//! What an aggregate rule counts (`custom.window` in its METADATA; docs/event-rules.md,
//! "Aggregate rules").

use serde::{Deserialize, Serialize};

/// What an aggregate rule counts: the findings of the event rules `counts`, per value of the
/// `by` fields of their records, in fixed windows of `seconds` aligned to the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowSpec {
    /// Event rule ids.
    pub counts: Vec<String>,
    pub by: Vec<GroupBy>,
    pub seconds: u64,
    /// Groups counting fewer records than this are not offered to the rule: an optimisation
    /// the rule promises (it tests the same threshold itself), like a selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<AtLeast>,
}

/// `custom.window.at_least`: a count, or the name of the parameter that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AtLeast {
    Count(u64),
    Param(String),
}

/// A record field an aggregate rule groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// `userIdentity.arn`, else `userIdentity.principalId`.
    Principal,
    /// `sourceIPAddress`.
    SourceIp,
    /// `recipientAccountId`.
    Account,
    /// `awsRegion`.
    Region,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::Principal,
        GroupBy::SourceIp,
        GroupBy::Account,
        GroupBy::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Principal => "principal",
            GroupBy::SourceIp => "source_ip",
            GroupBy::Account => "account",
            GroupBy::Region => "region",
        }
    }
}
