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

/// A field the reader's header may carry, named by a selector: resolved once when the index
/// is built, so a record's check is a lookup, not a comparison of path strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    EventSource,
    EventName,
    EventType,
    ErrorCode,
    AwsRegion,
    RecipientAccountId,
    SourceIpAddress,
    ReadOnly,
    IdentityType,
    InvokedBy,
    Arn,
}

impl Known {
    const ALL: [Known; 11] = [
        Known::EventSource,
        Known::EventName,
        Known::EventType,
        Known::ErrorCode,
        Known::AwsRegion,
        Known::RecipientAccountId,
        Known::SourceIpAddress,
        Known::ReadOnly,
        Known::IdentityType,
        Known::InvokedBy,
        Known::Arn,
    ];

    /// The top-level members the reader's header holds as the record's own string when the
    /// record has one (`None` for any other type); a record with one of them twice is refused
    /// by the reader's fast path.
    pub const HEADER_STRINGS: [Known; 7] = [
        Known::EventSource,
        Known::EventName,
        Known::EventType,
        Known::ErrorCode,
        Known::AwsRegion,
        Known::RecipientAccountId,
        Known::SourceIpAddress,
    ];

    /// The dotted path of the field in a record.
    pub fn path(self) -> &'static str {
        match self {
            Known::EventSource => "eventSource",
            Known::EventName => "eventName",
            Known::EventType => "eventType",
            Known::ErrorCode => "errorCode",
            Known::AwsRegion => "awsRegion",
            Known::RecipientAccountId => "recipientAccountId",
            Known::SourceIpAddress => "sourceIPAddress",
            Known::ReadOnly => "readOnly",
            Known::IdentityType => "userIdentity.type",
            Known::InvokedBy => "userIdentity.invokedBy",
            Known::Arn => "userIdentity.arn",
        }
    }

    pub fn of(path: &str) -> Option<Known> {
        Known::ALL.into_iter().find(|k| k.path() == path)
    }
}

/// Cheap fields of a record, as the reader extracts them without building a full value.
pub trait HeaderFields {
    fn event_source(&self) -> Option<&str>;
    fn event_name(&self) -> Option<&str>;
    /// The value at a dotted path (`userIdentity.type`, `requestParameters.withDecryption`).
    fn field(&self, path: &str) -> Field<'_>;
    /// The value of a field the header may carry; by default, [`HeaderFields::field`] at its
    /// path. A reader that holds the field answers without comparing paths.
    fn known(&self, k: Known) -> Field<'_> {
        self.field(k.path())
    }
    /// Whether the record certainly has no member at that field's path (`false`: it may have
    /// one; a reader that cannot tell says `false`).
    fn missing(&self, _k: Known) -> bool {
        false
    }
    /// Whether the value at a path the header does not carry may be one of `allowed` (`false`
    /// only when it certainly is not); by default [`HeaderFields::field`] decides.
    fn may_be(&self, path: &str, allowed: &[Box<str>]) -> bool {
        among(self.field(path), allowed)
    }
}

/// Whether `value` may be one of `allowed` (no `*` among them).
pub fn among(value: Field<'_>, allowed: &[Box<str>]) -> bool {
    match value {
        Field::Text(v) => allowed.iter().any(|a| **a == *v),
        Field::Present | Field::Absent => false,
        // The reader could not tell cheaply: offer the record, the rule decides.
        Field::Unknown => true,
    }
}

/// A selector as records are checked against it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Compiled {
    sources: Vec<Box<str>>,
    names: Vec<Box<str>>,
    fields: Vec<Check>,
    any_of: Vec<Compiled>,
}

/// One `fields` entry of a selector.
#[derive(Debug, Clone, PartialEq)]
struct Check {
    at: At,
    allowed: Vec<Box<str>>,
    /// `*` is among the allowed values: any value, object or array matches.
    any: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum At {
    Known(Known),
    Path(Box<str>),
}

impl Compiled {
    fn of(sel: &EventSelector) -> Compiled {
        let boxed = |v: &[String]| v.iter().map(|s| s.as_str().into()).collect();
        Compiled {
            sources: boxed(&sel.event_source),
            names: boxed(&sel.event_name),
            fields: sel
                .fields
                .iter()
                .map(|(path, allowed)| Check {
                    at: Known::of(path).map_or_else(|| At::Path(path.as_str().into()), At::Known),
                    allowed: boxed(allowed),
                    any: allowed.iter().any(|a| a == ANY),
                })
                .collect(),
            any_of: sel.any_of.iter().map(Compiled::of).collect(),
        }
    }

    /// Whether the record may match; `named` when the record was found by one of this
    /// selector's own names (no need to compare them again).
    fn matches<H: HeaderFields + ?Sized>(&self, h: &H, named: bool) -> bool {
        if !self.sources.is_empty()
            && !h
                .event_source()
                .is_some_and(|s| self.sources.iter().any(|x| **x == *s))
        {
            return false;
        }
        if !named
            && !self.names.is_empty()
            && !h
                .event_name()
                .is_some_and(|s| self.names.iter().any(|x| **x == *s))
        {
            return false;
        }
        self.fields.iter().all(|c| match (&c.at, c.any) {
            (At::Known(k), false) => among(h.known(*k), &c.allowed),
            (At::Path(p), false) => h.may_be(p, &c.allowed),
            (at, true) => {
                let value = match at {
                    At::Known(k) => h.known(*k),
                    At::Path(p) => h.field(p),
                };
                !matches!(value, Field::Absent)
            }
        }) && (self.any_of.is_empty() || self.any_of.iter().any(|alt| alt.matches(h, false)))
    }
}

#[derive(Debug, Clone)]
struct Entry {
    rule: usize,
    selector: Compiled,
    /// Listed under the selector's own `eventName`s (not its alternatives'): a record found
    /// by name has one of them.
    by_own_names: bool,
}

/// Rules not keyed on a name that share one selector (TGE003 and TGE016 both ask for
/// `userIdentity.type: Root`): checked on every record, so checked once.
#[derive(Debug, Clone)]
struct Unkeyed {
    selector: Compiled,
    quick: Quick,
    rules: Vec<usize>,
}

/// How an unkeyed selector is checked: the shapes the pack uses (one header field present,
/// or one of a few values) inline, every record; anything else by [`Compiled::matches`].
#[derive(Debug, Clone)]
enum Quick {
    Present(Known),
    Among(Known, Vec<Box<str>>),
    General,
}

impl Quick {
    fn of(c: &Compiled) -> Quick {
        match (&c.sources[..], &c.names[..], &c.fields[..], &c.any_of[..]) {
            ([], [], [check], []) => match check.at {
                At::Known(k) if check.any => Quick::Present(k),
                At::Known(k) => Quick::Among(k, check.allowed.clone()),
                At::Path(_) => Quick::General,
            },
            _ => Quick::General,
        }
    }
}

/// Rule lookup by event name, with a fallback list for rules not keyed on a name.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// Entry positions per name, ascending.
    by_name: HashMap<Box<str>, Vec<usize>, super::value::WordHashBuild>,
    /// Rules whose selector has no `eventName` (keyed on source or fields only, or none),
    /// with each distinct selector checked once for all the rules that share it.
    unkeyed: Vec<Unkeyed>,
    entries: Vec<Entry>,
    /// Rules with an empty selector: offered every record.
    pub global: Vec<usize>,
    enabled: bool,
    /// The rules were given in ascending order: entry order is rule order, and candidates
    /// need no sorting.
    ascending: bool,
}

impl RuleIndex {
    /// Build from `(rule position, selector)` pairs. With `enabled == false` every rule is
    /// offered every record (used to prove the index changes nothing).
    pub fn build(rules: &[(usize, Option<EventSelector>)], enabled: bool) -> RuleIndex {
        let mut idx = RuleIndex {
            enabled,
            ascending: rules.windows(2).all(|w| w[0].0 < w[1].0),
            ..RuleIndex::default()
        };
        for (rule, sel) in rules {
            let selector = sel.clone().unwrap_or_default();
            let pos = idx.entries.len();
            if selector.is_empty() {
                idx.global.push(*rule);
            }
            let names = selector.names().filter(|_| enabled);
            let compiled = Compiled::of(&selector);
            match &names {
                None => match idx.unkeyed.iter_mut().find(|u| u.selector == compiled) {
                    Some(u) => u.rules.push(*rule),
                    None => idx.unkeyed.push(Unkeyed {
                        quick: Quick::of(&compiled),
                        selector: compiled.clone(),
                        rules: vec![*rule],
                    }),
                },
                Some(names) => {
                    for name in names {
                        let list = idx.by_name.entry((*name).into()).or_default();
                        // A name listed twice lists the rule once.
                        if list.last() != Some(&pos) {
                            list.push(pos);
                        }
                    }
                }
            }
            idx.entries.push(Entry {
                rule: *rule,
                selector: compiled,
                by_own_names: names.is_some() && !selector.event_name.is_empty(),
            });
        }
        idx
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Rules (positions given at build) that could match this record, ascending, no duplicates.
    /// Generic so that the reader's header fields inline into the checks.
    pub fn candidates<H: HeaderFields + ?Sized>(&self, h: &H, out: &mut Vec<usize>) {
        out.clear();
        if !self.enabled {
            out.extend(self.entries.iter().map(|e| e.rule));
            return;
        }
        for u in &self.unkeyed {
            let hit = match &u.quick {
                Quick::Present(k) => !matches!(h.known(*k), Field::Absent),
                Quick::Among(k, allowed) => among(h.known(*k), allowed),
                Quick::General => u.selector.matches(h, false),
            };
            if hit {
                for &r in &u.rules {
                    out.push(r);
                }
            }
        }
        let unkeyed = out.len();
        if let Some(keyed) = h.event_name().and_then(|n| self.by_name.get(n)) {
            for &pos in keyed {
                let e = &self.entries[pos];
                if e.selector.matches(h, e.by_own_names) {
                    out.push(e.rule);
                }
            }
        }
        // Most records are a candidate for no rule or one.
        if out.len() > 1 && (unkeyed > 0 || !self.ascending) {
            out.sort_unstable();
            out.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Event source and name, `userIdentity.type` and `errorCode`.
    struct H(
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    );
    impl HeaderFields for H {
        fn event_source(&self) -> Option<&str> {
            Some(self.0)
        }
        fn event_name(&self) -> Option<&str> {
            Some(self.1)
        }
        fn field(&self, path: &str) -> Field<'_> {
            let v = match path {
                "userIdentity.type" => self.2,
                "errorCode" => self.3,
                _ => None,
            };
            v.map_or(Field::Absent, |t| Field::Text(t.into()))
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
            &H(
                "cloudtrail.amazonaws.com",
                "StopLogging",
                Some("IAMUser"),
                None,
            ),
            &mut out,
        );
        assert_eq!(out, vec![0, 2]);
        idx.candidates(
            &H("ec2.amazonaws.com", "DescribeInstances", Some("Root"), None),
            &mut out,
        );
        assert_eq!(out, vec![1, 2]);
        idx.candidates(&H("iam.amazonaws.com", "CreateUser", None, None), &mut out);
        assert_eq!(out, vec![2, 3]);
        let off = RuleIndex::build(&rules, false);
        off.candidates(&H("s3.amazonaws.com", "GetObject", None, None), &mut out);
        assert_eq!(out, vec![0, 1, 2, 3]);
    }

    /// Unkeyed selectors, shared or not, decided inline or not: the same rules as checking
    /// every selector in full.
    #[test]
    fn unkeyed_selectors_decide_as_in_full() {
        let rules = vec![
            (0, sel(&[], &[], &[("errorCode", &["*"])])),
            (1, sel(&[], &[], &[("userIdentity.type", &["Root"])])),
            (2, sel(&["iam.amazonaws.com"], &["CreateUser"], &[])),
            (3, sel(&[], &[], &[("userIdentity.type", &["Root"])])),
            (
                4,
                sel(&[], &[], &[("userIdentity.type", &["IAMUser", "Root"])]),
            ),
            (5, sel(&["iam.amazonaws.com"], &[], &[])),
            (6, sel(&[], &[], &[("errorCode", &["AccessDenied"])])),
        ];
        let idx = RuleIndex::build(&rules, true);
        assert_eq!(idx.unkeyed.len(), 5, "rules 1 and 3 share one check");
        let mut out = Vec::new();
        for src in ["iam.amazonaws.com", "s3.amazonaws.com"] {
            for name in ["CreateUser", "GetObject"] {
                for who in [None, Some("Root"), Some("IAMUser"), Some("AssumedRole")] {
                    for code in [None, Some("AccessDenied"), Some("Throttling")] {
                        let h = H(src, name, who, code);
                        idx.candidates(&h, &mut out);
                        let full: Vec<usize> = idx
                            .entries
                            .iter()
                            .filter(|e| e.selector.matches(&h, false))
                            .map(|e| e.rule)
                            .collect();
                        assert_eq!(out, full, "{src} {name} {who:?} {code:?}");
                    }
                }
            }
        }
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
