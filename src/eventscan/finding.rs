//! Builds an event [`Finding`] from a rule's `deny` entry and the record it fired on: who, what,
//! when, from where, which rule and controls, and exactly where the record is.
//!
//! The record is read from the `regorus::Value` already parsed for evaluation, and the evidence
//! is written straight to its compact JSON text, in fragments: the who, the what, the where and
//! the details of a finding mostly repeat those of earlier ones (one principal denied the same
//! call again and again), and an [`Interner`] keeps one copy of each. The former way (parse the record again into a
//! `serde_json::Value`, build the evidence as a tree) remains for records whose context fields
//! hold something other than strings and booleans, where the two number models could differ in
//! their JSON; a test holds the fast path to the exact one.

use crate::contract::{Evidence, Finding, Location, RuleFacts, fingerprint};
use crate::policy::deny::DenyEntry;
use regorus::Value as RValue;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

#[cfg(test)]
mod tests;

/// Where a record was read from.
#[derive(Debug, Clone, Default)]
pub struct RecordLoc {
    /// Shared by every finding of the file.
    pub path: Arc<str>,
    pub index: u64,
    /// 1-based line where the record starts, when meaningful (JSON Lines, pretty files).
    pub line: Option<u32>,
}

impl RecordLoc {
    /// A finding's location on this record (a record is one line: column 1 to 1).
    pub fn location(&self, event_id: Option<String>) -> Location {
        let line = self.line.unwrap_or(1);
        Location {
            path: self.path.clone(),
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: 1,
            record_index: Some(self.index),
            event_id,
        }
    }
}

/// An evidence key and the path of its value in the record.
type Field = (&'static str, &'static [&'static str]);

// Each group in the sorted key order a `serde_json` map writes (checked by a test): the fast
// path writes the keys in this order.
const WHAT: &[Field] = &[
    ("errorCode", &["errorCode"]),
    ("errorMessage", &["errorMessage"]),
    ("eventName", &["eventName"]),
    ("eventSource", &["eventSource"]),
    ("eventType", &["eventType"]),
    ("readOnly", &["readOnly"]),
];
const WHERE: &[Field] = &[
    ("awsRegion", &["awsRegion"]),
    ("recipientAccountId", &["recipientAccountId"]),
    ("sourceIPAddress", &["sourceIPAddress"]),
    ("userAgent", &["userAgent"]),
];
const WHO: &[Field] = &[
    ("accessKeyId", &["userIdentity", "accessKeyId"]),
    ("accountId", &["userIdentity", "accountId"]),
    ("arn", &["userIdentity", "arn"]),
    ("invokedBy", &["userIdentity", "invokedBy"]),
    (
        "mfaAuthenticated",
        &[
            "userIdentity",
            "sessionContext",
            "attributes",
            "mfaAuthenticated",
        ],
    ),
    ("principalId", &["userIdentity", "principalId"]),
    (
        "sessionIssuer",
        &["userIdentity", "sessionContext", "sessionIssuer", "arn"],
    ),
    ("type", &["userIdentity", "type"]),
    ("userName", &["userIdentity", "userName"]),
];
const WHEN: &[&str] = &["eventTime"];
const EVENT_ID: &[&str] = &["eventID"];

/// Every path segment above as a regorus key, made once: regorus looks object keys up by value.
static KEYS: LazyLock<BTreeMap<&'static str, RValue>> = LazyLock::new(|| {
    let paths = [WHAT, WHERE, WHO]
        .into_iter()
        .flatten()
        .map(|(_, p)| *p)
        .chain([WHEN, EVENT_ID]);
    paths
        .flatten()
        .map(|seg| (*seg, RValue::from(*seg)))
        .collect()
});

fn pick(record: &Value, path: &[&str]) -> Option<Value> {
    let mut cur = record;
    for p in path {
        cur = cur.get(p)?;
    }
    (!cur.is_null()).then(|| cur.clone())
}

fn group(record: &Value, fields: &[Field]) -> Value {
    let m: Map<String, Value> = fields
        .iter()
        .filter_map(|(key, path)| Some((key.to_string(), pick(record, path)?)))
        .collect();
    Value::Object(m)
}

/// The standard who/what/when/where block of an event finding's evidence, from a
/// `serde_json` record (the exact path; see the module comment).
pub fn context(record: &Value) -> Value {
    let mut m = Map::new();
    m.insert("who".into(), group(record, WHO));
    m.insert("what".into(), group(record, WHAT));
    m.insert("when".into(), pick(record, WHEN).unwrap_or(Value::Null));
    m.insert("where".into(), group(record, WHERE));
    m.insert(
        "eventID".into(),
        pick(record, EVENT_ID).unwrap_or(Value::Null),
    );
    Value::Object(m)
}

/// The value at `path` in a regorus record; `None` when missing or null.
fn rpick<'v>(record: &'v RValue, path: &[&str]) -> Option<&'v RValue> {
    let mut cur = record;
    for seg in path {
        let RValue::Object(o) = cur else { return None };
        cur = o.get(KEYS.get(seg)?)?;
    }
    (!matches!(cur, RValue::Null | RValue::Undefined)).then_some(cur)
}

/// One shared copy of each evidence fragment a worker has made. Its entries live as long as
/// the worker (one scan), like the findings that point to them.
#[derive(Debug, Default)]
pub struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(a) = self.0.get(text) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(text);
        self.0.insert(a.clone());
        a
    }
}

/// The context of one record, shared by the findings of all rules that fire on it.
pub enum Context {
    /// The evidence text after its opening brace and the optional `details`, in five pieces:
    /// `"eventID":…,"what":` `{…}` `,"when":…,"where":` `{…}` `,"who":{…}}`. The groups are
    /// interned; the pieces holding the eventID and time belong to this record.
    Pieces([Arc<str>; 5]),
    /// The [`context`] tree, for records the fast path leaves to the exact one.
    Exact(Value),
    /// The record's text: the evidence is made when a report reads it
    /// ([`Context::deferred`]).
    Deferred(Arc<str>),
}

impl Context {
    /// The context of `record` (parsed for evaluation); `raw` is its text, read again only when
    /// a context field holds a number, array or object.
    pub fn of(record: &RValue, raw: &str, interner: &mut Interner) -> Context {
        let mut out = Vec::with_capacity(1024);
        let mut cuts = [0; 4];
        match write_context(record, &mut out, &mut cuts).and_then(|()| String::from_utf8(out).ok())
        {
            // The cuts sit before ASCII punctuation, so every piece is whole UTF-8.
            Some(text) => {
                let piece = |a: usize, b: usize| text.get(a..b).unwrap_or_default();
                let [a, b, c, d] = cuts;
                Context::Pieces([
                    Arc::from(piece(0, a)),
                    interner.intern(piece(a, b)),
                    Arc::from(piece(b, c)),
                    interner.intern(piece(c, d)),
                    interner.intern(piece(d, text.len())),
                ])
            }
            None => Context::Exact(context(&serde_json::from_str(raw).unwrap_or(Value::Null))),
        }
    }

    /// A context that keeps `raw` and makes each finding's evidence only when it is read,
    /// through the exact path. For scans that list a bounded number of findings per rule:
    /// most findings are then counted and dropped, and their evidence would be made for
    /// nothing (about 2.5 µs a record).
    pub fn deferred(raw: &str) -> Context {
        Context::Deferred(Arc::from(raw))
    }

    /// The evidence of a finding: this context plus the entry's `details`.
    fn evidence(&self, details: Option<&Value>, interner: &mut Interner) -> Evidence {
        match self {
            Context::Deferred(raw) => {
                Evidence::deferred(raw.clone(), details.cloned(), exact_evidence)
            }
            Context::Pieces(pieces) if details.is_none_or(Evidence::fits_text) => {
                let head = match details {
                    Some(d) => {
                        let mut text = String::with_capacity(256);
                        // `Value`'s Display is its compact JSON, written without a string between.
                        let _ = write!(text, "{{\"details\":{d},");
                        interner.intern(&text)
                    }
                    None => interner.intern("{"),
                };
                let mut all = Vec::with_capacity(1 + pieces.len());
                all.push(head);
                all.extend(pieces.iter().cloned());
                Evidence::from_canonical_pieces(all)
            }
            Context::Pieces(pieces) => {
                let mut v: Value =
                    serde_json::from_str(&format!("{{{}", pieces.concat())).unwrap_or_default();
                if let (Some(d), Value::Object(m)) = (details, &mut v) {
                    m.insert("details".into(), d.clone());
                }
                Evidence::from_value(&v)
            }
            Context::Exact(v) => match (details, v) {
                (Some(d), Value::Object(m)) => {
                    let mut m = m.clone();
                    m.insert("details".into(), d.clone());
                    Evidence::from_value(&Value::Object(m))
                }
                _ => Evidence::from_value(v),
            },
        }
    }
}

/// The evidence of a finding with `details` on the record `raw`, the exact way.
fn exact_evidence(raw: &str, details: Option<&Value>) -> Evidence {
    Context::Exact(context(&serde_json::from_str(raw).unwrap_or(Value::Null)))
        .evidence(details, &mut Interner::default())
}

/// Writes the context in `serde_json`'s compact form; `None` when a field is neither a
/// string nor a boolean (numbers are where regorus and serde_json could print differently).
/// `cuts` receives where the what group starts and ends, where the where group starts, and
/// where `,"who":` starts.
fn write_context(record: &RValue, out: &mut Vec<u8>, cuts: &mut [usize; 4]) -> Option<()> {
    out.extend_from_slice(b"\"eventID\":");
    write_or_null(record, EVENT_ID, out)?;
    out.extend_from_slice(b",\"what\":");
    cuts[0] = out.len();
    write_group(record, WHAT, out)?;
    cuts[1] = out.len();
    out.extend_from_slice(b",\"when\":");
    write_or_null(record, WHEN, out)?;
    out.extend_from_slice(b",\"where\":");
    cuts[2] = out.len();
    write_group(record, WHERE, out)?;
    cuts[3] = out.len();
    out.extend_from_slice(b",\"who\":");
    write_group(record, WHO, out)?;
    out.push(b'}');
    Some(())
}

fn write_group(record: &RValue, fields: &[Field], out: &mut Vec<u8>) -> Option<()> {
    out.push(b'{');
    let mut first = true;
    for (key, path) in fields {
        let Some(v) = rpick(record, path) else {
            continue;
        };
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        write_scalar(v, out)?;
    }
    out.push(b'}');
    Some(())
}

fn write_or_null(record: &RValue, path: &[&str], out: &mut Vec<u8>) -> Option<()> {
    match rpick(record, path) {
        Some(v) => write_scalar(v, out),
        None => {
            out.extend_from_slice(b"null");
            Some(())
        }
    }
}

fn write_scalar(v: &RValue, out: &mut Vec<u8>) -> Option<()> {
    match v {
        RValue::String(s) => serde_json::to_writer(out, &**s).ok(),
        RValue::Bool(true) => {
            out.extend_from_slice(b"true");
            Some(())
        }
        RValue::Bool(false) => {
            out.extend_from_slice(b"false");
            Some(())
        }
        _ => None,
    }
}

/// What identifies the record a finding is on, as the reader's header has it (string fields
/// only, like the record's value would give them).
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordIds<'a> {
    pub event_id: Option<&'a str>,
    /// `userIdentity.arn`, the resource of a finding whose rule names none.
    pub arn: Option<&'a str>,
    pub account: Option<&'a str>,
}

impl<'a> RecordIds<'a> {
    pub fn of(h: &'a crate::events::Header<'_>) -> RecordIds<'a> {
        RecordIds {
            event_id: h.event_id.as_deref(),
            arn: h.user_identity.as_ref().and_then(|i| i.arn.as_deref()),
            account: h.recipient_account_id.as_deref(),
        }
    }
}

/// A finding for one `deny` entry of the rule `facts` describes, on the record `ids` identifies
/// (with `context`, made from the same record by [`Context::of`] or [`Context::deferred`]).
pub fn build(
    facts: &RuleFacts,
    item: &Value,
    ids: &RecordIds<'_>,
    context: &Context,
    loc: &RecordLoc,
    interner: &mut Interner,
) -> Result<Finding, String> {
    let entry = DenyEntry::parse(item)?;
    let event_id = ids.event_id.map(str::to_string);
    let resource = entry.resource.unwrap_or_else(|| {
        ids.arn
            .map(str::to_string)
            .or_else(|| ids.account.map(|a| format!("account {a}")))
            .unwrap_or_else(|| "unknown principal".to_string())
    });
    let evidence = context.evidence(entry.evidence, interner);
    // Identity of an event finding: the rule and the event (its eventID is unique per event);
    // records without an eventID fall back to their position.
    let fp = match &event_id {
        Some(id) => fingerprint(&[&facts.id, id, &entry.key]),
        None => fingerprint(&[
            &facts.id,
            &format!("{}#{}", loc.path, loc.index),
            &entry.key,
        ]),
    };
    let location = loc.location(event_id);
    Ok(facts.finding(entry.msg, resource, location, evidence, fp))
}
