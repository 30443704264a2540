//! The `deny` entry contract shared by config and event rules: `{"msg", "resource"?, "loc"?,
//! "key"?, "evidence"?}`, and the finding a rule's descriptor turns it into.

use super::Rule;
use crate::contract::{Diagnostic, Evidence, Finding, Location, RuleFacts};
use serde_json::{Map, Value};

/// One parsed `deny` entry.
pub struct DenyEntry<'v> {
    pub msg: String,
    pub resource: Option<String>,
    /// Distinguishes two findings of one rule on one resource (part of the fingerprint).
    pub key: String,
    pub evidence: Option<&'v Value>,
    pub loc: Option<&'v Map<String, Value>>,
}

/// The diagnostic for a `deny` entry of `rule` that [`DenyEntry::parse`] refused with `msg`.
pub fn invalid(rule: &Rule, msg: &str) -> Diagnostic {
    Diagnostic {
        code: "policy::result".into(),
        path: rule.desc.source.clone(),
        line: None,
        column: None,
        message: format!("rule {} returned an invalid deny entry: {msg}", rule.desc.id),
        help: Some(
            "a deny entry is an object with `msg` (string), `resource`, `loc` and optional `evidence`"
                .into(),
        ),
    }
}

impl<'v> DenyEntry<'v> {
    pub fn parse(item: &'v Value) -> Result<DenyEntry<'v>, String> {
        let obj = item
            .as_object()
            .ok_or_else(|| format!("expected an object, got {item}"))?;
        let msg = obj
            .get("msg")
            .and_then(Value::as_str)
            .ok_or("missing string `msg`")?
            .to_string();
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
        Ok(DenyEntry {
            msg,
            resource: obj.get("resource").map(text),
            key: obj.get("key").map(text).unwrap_or_default(),
            evidence: obj.get("evidence"),
            loc: obj.get("loc").and_then(Value::as_object),
        })
    }
}

impl Rule {
    /// A finding of this rule; the descriptor supplies id, name, severity, title and controls.
    /// (Config findings are few: each gets its own copy of the rule's facts. The event scan
    /// shares one [`RuleFacts`] among all findings of a rule.)
    pub fn finding(
        &self,
        message: String,
        resource: String,
        location: Location,
        evidence: Value,
        fingerprint: String,
    ) -> Finding {
        RuleFacts::of(&self.desc).finding(
            message,
            resource,
            location,
            Evidence::from_value(&evidence),
            fingerprint,
        )
    }
}
