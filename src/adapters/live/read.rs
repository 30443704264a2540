//! Typed reads from aws CLI JSON output into model [`Field`]s, with type errors collected.
//!
//! The CLI's output is machine-written, so a value of the wrong type means the file was edited
//! or truncated: it becomes an [`InputError`] at the value, and the attribute becomes
//! `unknown` (never `absent`, so no policy mistakes a damaged value for a missing one).

use crate::adapters::InputError;
use crate::model::{Field, Loc};
use crate::syntax::{Node, NodeKind};
use serde_json::Value;

/// A node together with the path of the file it was read from.
#[derive(Clone, Copy)]
pub(super) struct Src<'a> {
    pub path: &'a str,
    pub node: &'a Node,
}

impl<'a> Src<'a> {
    pub fn new(path: &'a str, node: &'a Node) -> Src<'a> {
        Src { path, node }
    }

    /// Location of this node.
    pub fn loc(&self) -> Loc {
        Loc::new(self.path, self.node.span)
    }

    /// The value of `key`, treating JSON `null` as missing (the CLI never prints null for a
    /// set attribute).
    pub fn get(&self, key: &str) -> Option<Src<'a>> {
        match self.node.get(key) {
            Some(n) if !matches!(n.kind, NodeKind::Null) => Some(Src::new(self.path, n)),
            _ => None,
        }
    }

    pub fn items(&self) -> impl Iterator<Item = Src<'a>> + 'a {
        let path = self.path;
        self.node.items().iter().map(move |n| Src::new(path, n))
    }

    pub fn as_str(&self) -> Option<&'a str> {
        self.node.as_str()
    }

    /// Compact JSON text of the node, for error messages and `unknown` expressions.
    pub fn text(&self) -> String {
        let text = self.node.to_json().to_string();
        if text.chars().count() > 80 {
            let cut: String = text.chars().take(77).collect();
            format!("{cut}...")
        } else {
            text
        }
    }

    pub fn error(&self, message: impl Into<String>) -> InputError {
        InputError::at(
            self.path,
            self.node.span.line.max(1),
            self.node.span.column.max(1),
            message,
        )
    }
}

/// Name of a node's JSON type, for messages.
pub(super) fn type_name(node: &Node) -> &'static str {
    match node.kind {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "a boolean",
        NodeKind::Number(_) => "a number",
        NodeKind::String(_) => "a string",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "an object",
        NodeKind::Tagged(..) => "a tagged value",
    }
}

/// Record a wrong-typed value and return the `unknown` field that stands for it.
pub(super) fn wrong_type(
    src: Src,
    key: &str,
    expected: &str,
    errors: &mut Vec<InputError>,
) -> Field {
    errors.push(src.error(format!(
        "{key} should be {expected}, found {}",
        type_name(src.node)
    )));
    Field::unknown(src.text(), src.loc()).with_note(format!("{key} is not {expected}"))
}

/// A string attribute; `None` when missing.
pub(super) fn string(obj: Src, key: &str, errors: &mut Vec<InputError>) -> Option<Field> {
    let v = obj.get(key)?;
    Some(match v.as_str() {
        Some(s) => Field::known(Value::String(s.to_string()), v.loc()),
        None => wrong_type(v, key, "a string", errors),
    })
}

/// A boolean attribute; `None` when missing.
pub(super) fn boolean(obj: Src, key: &str, errors: &mut Vec<InputError>) -> Option<Field> {
    let v = obj.get(key)?;
    Some(match v.node.as_bool() {
        Some(b) => Field::known(Value::Bool(b), v.loc()),
        None => wrong_type(v, key, "a boolean", errors),
    })
}

/// A numeric attribute (kept as a JSON number); `None` when missing.
pub(super) fn number(obj: Src, key: &str, errors: &mut Vec<InputError>) -> Option<Field> {
    let v = obj.get(key)?;
    Some(match (&v.node.kind, v.node.to_json()) {
        (NodeKind::Number(_), n @ Value::Number(_)) => Field::known(n, v.loc()),
        _ => wrong_type(v, key, "a number", errors),
    })
}

/// A list of strings at `node` (for selector values); the first non-string is an error.
pub(super) fn strings(list: Src, key: &str) -> Result<Value, InputError> {
    if !list.node.is_seq() {
        return Err(list.error(format!(
            "{key} should be a list of strings, found {}",
            type_name(list.node)
        )));
    }
    let mut out = Vec::new();
    for item in list.items() {
        match item.as_str() {
            Some(s) => out.push(Value::String(s.to_string())),
            None => {
                return Err(item.error(format!(
                    "{key} should hold strings, found {}",
                    type_name(item.node)
                )));
            }
        }
    }
    Ok(Value::Array(out))
}

/// The account id inside an ARN (`arn:partition:service:region:account:resource`).
pub(super) fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(_), Some(_), Some(account), Some(_)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    (!account.is_empty()).then_some(account)
}

/// The file-name form of a trail name or ARN: every character outside `[A-Za-z0-9._-]`
/// becomes `_` (what `scripts/export-live.sh` does with `tr -c`).
pub(super) fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_arn_accounts() {
        assert_eq!(
            arn_account("arn:aws:cloudtrail:us-east-1:111122223333:trail/main"),
            Some("111122223333")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_account("main"), None);
    }

    #[test]
    fn sanitizes_like_the_export_script() {
        assert_eq!(
            sanitize("arn:aws:cloudtrail:us-east-1:111122223333:trail/main"),
            "arn_aws_cloudtrail_us-east-1_111122223333_trail_main"
        );
        assert_eq!(sanitize("my.trail_1-a"), "my.trail_1-a");
    }
}
