//! Builds an event [`Finding`] from a rule's `deny` entry and the record it fired on: who, what,
//! when, from where, which rule and controls, and exactly where the record is.

use crate::contract::{Finding, Location, fingerprint};
use crate::policy::Rule;
use crate::policy::deny::DenyEntry;
use serde_json::{Map, Value, json};

/// Where a record was read from.
#[derive(Debug, Clone, Default)]
pub struct RecordLoc {
    pub path: String,
    pub index: u64,
    /// 1-based line where the record starts, when meaningful (JSON Lines, pretty files).
    pub line: Option<u32>,
}

fn pick(record: &Value, path: &[&str]) -> Option<Value> {
    let mut cur = record;
    for p in path {
        cur = cur.get(p)?;
    }
    (!cur.is_null()).then(|| cur.clone())
}

fn insert(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

/// The standard who/what/when/where block of an event finding's evidence.
pub fn context(record: &Value) -> Value {
    let mut who = Map::new();
    insert(&mut who, "type", pick(record, &["userIdentity", "type"]));
    insert(&mut who, "arn", pick(record, &["userIdentity", "arn"]));
    insert(
        &mut who,
        "principalId",
        pick(record, &["userIdentity", "principalId"]),
    );
    insert(
        &mut who,
        "accountId",
        pick(record, &["userIdentity", "accountId"]),
    );
    insert(
        &mut who,
        "userName",
        pick(record, &["userIdentity", "userName"]),
    );
    insert(
        &mut who,
        "accessKeyId",
        pick(record, &["userIdentity", "accessKeyId"]),
    );
    insert(
        &mut who,
        "invokedBy",
        pick(record, &["userIdentity", "invokedBy"]),
    );
    insert(
        &mut who,
        "sessionIssuer",
        pick(
            record,
            &["userIdentity", "sessionContext", "sessionIssuer", "arn"],
        ),
    );
    insert(
        &mut who,
        "mfaAuthenticated",
        pick(
            record,
            &[
                "userIdentity",
                "sessionContext",
                "attributes",
                "mfaAuthenticated",
            ],
        ),
    );
    let mut what = Map::new();
    insert(&mut what, "eventSource", pick(record, &["eventSource"]));
    insert(&mut what, "eventName", pick(record, &["eventName"]));
    insert(&mut what, "eventType", pick(record, &["eventType"]));
    insert(&mut what, "readOnly", pick(record, &["readOnly"]));
    insert(&mut what, "errorCode", pick(record, &["errorCode"]));
    insert(&mut what, "errorMessage", pick(record, &["errorMessage"]));
    let mut whence = Map::new();
    insert(
        &mut whence,
        "sourceIPAddress",
        pick(record, &["sourceIPAddress"]),
    );
    insert(&mut whence, "userAgent", pick(record, &["userAgent"]));
    insert(&mut whence, "awsRegion", pick(record, &["awsRegion"]));
    insert(
        &mut whence,
        "recipientAccountId",
        pick(record, &["recipientAccountId"]),
    );
    json!({
        "who": who,
        "what": what,
        "when": pick(record, &["eventTime"]).unwrap_or(Value::Null),
        "where": whence,
        "eventID": pick(record, &["eventID"]).unwrap_or(Value::Null),
    })
}

/// A finding for one `deny` entry of `rule` on `record`.
pub fn build(
    rule: &Rule,
    item: &Value,
    record: &Value,
    loc: &RecordLoc,
) -> Result<Finding, String> {
    let entry = DenyEntry::parse(item)?;
    let event_id = record
        .get("eventID")
        .and_then(Value::as_str)
        .map(str::to_string);
    let resource = entry.resource.unwrap_or_else(|| {
        pick(record, &["userIdentity", "arn"])
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| {
                record
                    .get("recipientAccountId")
                    .and_then(Value::as_str)
                    .map(|a| format!("account {a}"))
            })
            .unwrap_or_else(|| "unknown principal".to_string())
    });
    let mut evidence = context(record);
    if let (Some(e), Value::Object(m)) = (entry.evidence, &mut evidence) {
        m.insert("details".into(), e.clone());
    }
    // Identity of an event finding: the rule and the event (its eventID is unique per event);
    // records without an eventID fall back to their position.
    let identity = event_id
        .clone()
        .unwrap_or_else(|| format!("{}#{}", loc.path, loc.index));
    let line = loc.line.unwrap_or(1);
    let location = Location {
        path: loc.path.clone(),
        start_line: line,
        start_column: 1,
        end_line: line,
        end_column: 1,
        record_index: Some(loc.index),
        event_id,
    };
    let fingerprint = fingerprint(&[&rule.desc.id, &identity, &entry.key]);
    Ok(rule.finding(entry.msg, resource, location, evidence, fingerprint))
}
