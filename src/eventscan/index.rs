//! The prefilter: a static index from cheap record fields to the event rules that could match.
//!
//! Each event rule declares a selector in its METADATA (`eventSource`, `eventName`, and a few
//! equality `fields` such as `userIdentity.type`). A record is offered to a rule only if it
//! satisfies every part of the rule's selector, so most records (reads, data events) cost only
//! the header parse. The selector is an optimisation, never a semantic: every rule also tests
//! the same conditions in Rego, and a test runs the pack with and without the index and
//! asserts identical findings.

use crate::contract::EventSelector;
use std::borrow::Cow;
use std::collections::HashMap;

/// The value `*` in a selector field means "present, any value" (e.g. `errorCode: ["*"]`).
pub const ANY: &str = "*";

/// What a record holds at a selector field's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<'a> {
    /// A string (its value), or a boolean or number (its JSON text: `true`, `3`).
    Text(Cow<'a, str>),
    /// An object or an array: only `*` matches.
    Present,
    /// Missing or null.
    Absent,
    /// Not settled from the record's text (a key on the way that does not decode, say): the
    /// record stays a candidate.
    Unknown,
}

/// Cheap fields of a record, as the reader extracts them without building a full value.
pub trait HeaderFields {
    fn event_source(&self) -> Option<&str>;
    fn event_name(&self) -> Option<&str>;
    /// The value at a dotted path (`userIdentity.type`, `requestParameters.withDecryption`).
    fn field(&self, path: &str) -> Field<'_>;
}

#[derive(Debug, Clone)]
struct Entry {
    rule: usize,
    selector: EventSelector,
}

/// Rule lookup by event name, with a fallback list for rules not keyed on a name.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    by_name: HashMap<String, Vec<usize>, super::value::FnvBuild>,
    /// Rules whose selector has no `eventName` (keyed on source or fields only, or none).
    unkeyed: Vec<usize>,
    entries: Vec<Entry>,
    /// Rules with an empty selector: offered every record.
    pub global: Vec<usize>,
    enabled: bool,
}

impl RuleIndex {
    /// Build from `(rule position, selector)` pairs. With `enabled == false` every rule is
    /// offered every record (used to prove the index changes nothing).
    pub fn build(rules: &[(usize, Option<EventSelector>)], enabled: bool) -> RuleIndex {
        let mut idx = RuleIndex {
            enabled,
            ..RuleIndex::default()
        };
        for (rule, sel) in rules {
            let selector = sel.clone().unwrap_or_default();
            let pos = idx.entries.len();
            if selector.is_empty() {
                idx.global.push(*rule);
            }
            match selector.names().filter(|_| enabled) {
                None => idx.unkeyed.push(pos),
                Some(names) => {
                    for name in names {
                        idx.by_name.entry(name.to_string()).or_default().push(pos);
                    }
                }
            }
            idx.entries.push(Entry {
                rule: *rule,
                selector,
            });
        }
        idx
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Rules (positions given at build) that could match this record, ascending, no duplicates.
    pub fn candidates(&self, h: &dyn HeaderFields, out: &mut Vec<usize>) {
        out.clear();
        if !self.enabled {
            out.extend(self.entries.iter().map(|e| e.rule));
            return;
        }
        let keyed = h
            .event_name()
            .and_then(|n| self.by_name.get(n))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &pos in keyed.iter().chain(self.unkeyed.iter()) {
            let e = &self.entries[pos];
            if matches(&e.selector, h) {
                out.push(e.rule);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

fn matches(sel: &EventSelector, h: &dyn HeaderFields) -> bool {
    if !sel.event_source.is_empty()
        && !h
            .event_source()
            .is_some_and(|s| sel.event_source.iter().any(|x| x == s))
    {
        return false;
    }
    if !sel.event_name.is_empty()
        && !h
            .event_name()
            .is_some_and(|s| sel.event_name.iter().any(|x| x == s))
    {
        return false;
    }
    sel.fields
        .iter()
        .all(|(path, allowed)| match h.field(path) {
            Field::Text(v) => allowed.iter().any(|a| a == ANY || **a == *v),
            Field::Present => allowed.iter().any(|a| a == ANY),
            Field::Absent => false,
            // The reader could not tell cheaply: offer the record, the rule decides.
            Field::Unknown => true,
        })
        && (sel.any_of.is_empty() || sel.any_of.iter().any(|alt| matches(alt, h)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct H(&'static str, &'static str, Option<&'static str>);
    impl HeaderFields for H {
        fn event_source(&self) -> Option<&str> {
            Some(self.0)
        }
        fn event_name(&self) -> Option<&str> {
            Some(self.1)
        }
        fn field(&self, path: &str) -> Field<'_> {
            match (path, self.2) {
                ("userIdentity.type", Some(t)) => Field::Text(t.into()),
                _ => Field::Absent,
            }
        }
    }

    fn sel(src: &[&str], names: &[&str], fields: &[(&str, &[&str])]) -> Option<EventSelector> {
        Some(EventSelector {
            event_source: src.iter().map(|s| s.to_string()).collect(),
            event_name: names.iter().map(|s| s.to_string()).collect(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect::<BTreeMap<_, _>>(),
            any_of: Vec::new(),
        })
    }

    #[test]
    fn offers_only_matching_rules() {
        let rules = vec![
            (
                0,
                sel(
                    &["cloudtrail.amazonaws.com"],
                    &["StopLogging", "DeleteTrail"],
                    &[],
                ),
            ),
            (1, sel(&[], &[], &[("userIdentity.type", &["Root"])])),
            (2, None),
            (3, sel(&["iam.amazonaws.com"], &[], &[])),
        ];
        let idx = RuleIndex::build(&rules, true);
        let mut out = Vec::new();
        idx.candidates(
            &H("cloudtrail.amazonaws.com", "StopLogging", Some("IAMUser")),
            &mut out,
        );
        assert_eq!(out, vec![0, 2]);
        idx.candidates(
            &H("ec2.amazonaws.com", "DescribeInstances", Some("Root")),
            &mut out,
        );
        assert_eq!(out, vec![1, 2]);
        idx.candidates(&H("iam.amazonaws.com", "CreateUser", None), &mut out);
        assert_eq!(out, vec![2, 3]);
        let off = RuleIndex::build(&rules, false);
        off.candidates(&H("s3.amazonaws.com", "GetObject", None), &mut out);
        assert_eq!(out, vec![0, 1, 2, 3]);
    }

    /// Every field read from the record's text, as the scanner does for paths its header
    /// does not carry.
    struct Raw(&'static str);
    impl HeaderFields for Raw {
        fn event_source(&self) -> Option<&str> {
            match crate::eventscan::rawpath::lookup(self.0, "eventSource") {
                Field::Text(std::borrow::Cow::Borrowed(s)) => Some(s),
                _ => None,
            }
        }
        fn event_name(&self) -> Option<&str> {
            match crate::eventscan::rawpath::lookup(self.0, "eventName") {
                Field::Text(std::borrow::Cow::Borrowed(s)) => Some(s),
                _ => None,
            }
        }
        fn field(&self, path: &str) -> Field<'_> {
            crate::eventscan::rawpath::lookup(self.0, path)
        }
    }

    #[test]
    fn alternatives_and_fields_beyond_the_header() {
        let mut ssm = sel(&["ssm.amazonaws.com"], &["GetParameter"], &[]);
        if let Some(s) = ssm.as_mut() {
            s.fields.insert(
                "requestParameters.withDecryption".into(),
                vec!["true".into()],
            );
        }
        let either = EventSelector {
            any_of: vec![
                sel(&["secretsmanager.amazonaws.com"], &["GetSecretValue"], &[]).unwrap(),
                ssm.unwrap(),
            ],
            ..EventSelector::default()
        };
        let tags = sel(&[], &[], &[("requestParameters.tags", &[ANY])]);
        let idx = RuleIndex::build(&[(0, Some(either)), (1, tags)], true);
        let cases: [(&'static str, &[usize]); 7] = [
            (
                r#"{"eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue"}"#,
                &[0],
            ),
            (
                r#"{"eventSource":"ssm.amazonaws.com","eventName":"GetSecretValue"}"#,
                &[],
            ),
            (
                r#"{"eventSource":"ssm.amazonaws.com","eventName":"GetParameter","requestParameters":{"withDecryption":true}}"#,
                &[0],
            ),
            (
                r#"{"eventSource":"ssm.amazonaws.com","eventName":"GetParameter","requestParameters":{"withDecryption":false}}"#,
                &[],
            ),
            (
                r#"{"eventSource":"ssm.amazonaws.com","eventName":"GetParameter","requestParameters":null}"#,
                &[],
            ),
            // `*` matches objects and arrays too; null is absent.
            (
                r#"{"eventName":"TagResource","requestParameters":{"tags":[{"k":"v"}]}}"#,
                &[1],
            ),
            (
                r#"{"eventName":"TagResource","requestParameters":{"tags":null}}"#,
                &[],
            ),
        ];
        let mut out = Vec::new();
        for (raw, want) in cases {
            idx.candidates(&Raw(raw), &mut out);
            assert_eq!(out, want, "{raw}");
        }
        // Unsure (a key that does not decode on the way): the record stays a candidate.
        idx.candidates(
            &Raw(r#"{"eventName":"X","requestParameters":{"\ud800":1}}"#),
            &mut out,
        );
        assert_eq!(out, [1]);
    }
}
