//! Rule names as exceptions may spell them: id, kebab-case name or retired alias, and globs
//! over those (`TGC01*`), resolved to canonical ids against the loaded rules.

use crate::policy::Rule;
use std::collections::BTreeSet;

/// The spellings of every loaded rule (all rules, not only `--select`ed ones: an exception for
/// a rule that is switched off today is still a valid exception).
#[derive(Debug, Clone, Default)]
pub struct RuleNames {
    rules: Vec<(String, Vec<String>)>,
}

impl RuleNames {
    pub fn new(rules: &[Rule]) -> RuleNames {
        RuleNames {
            rules: rules
                .iter()
                .map(|r| {
                    let mut names = vec![r.desc.id.clone(), r.desc.name.clone()];
                    names.extend(r.desc.aliases.iter().cloned());
                    (r.desc.id.clone(), names)
                })
                .collect(),
        }
    }

    /// A catalog from `(id, name)` pairs (tests and callers without loaded policies).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> RuleNames {
        RuleNames {
            rules: pairs
                .iter()
                .map(|(id, name)| (id.to_string(), vec![id.to_string(), name.to_string()]))
                .collect(),
        }
    }

    /// The id a rule id, name or alias stands for (case-insensitive).
    pub fn resolve(&self, token: &str) -> Option<&str> {
        self.rules
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(token)))
            .map(|(id, _)| id.as_str())
    }

    /// Ids of the rules one of whose spellings matches `glob` (case-insensitive).
    pub fn matching(&self, glob: &globset::GlobMatcher) -> BTreeSet<String> {
        self.rules
            .iter()
            .filter(|(_, names)| names.iter().any(|n| glob.is_match(n)))
            .map(|(id, _)| id.clone())
            .collect()
    }
}
