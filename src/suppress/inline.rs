//! Inline suppressions: exceptions written next to the resource they excuse, read by the
//! CloudFormation and Terraform HCL adapters and applied after evaluation.
//!
//! - CloudFormation: `Metadata: {trailguard: {ignore: [{id: TGC002, reason: "..."}]}}` on a
//!   resource (`rule:` is accepted for `id:`, the word the waiver file uses).
//! - Terraform HCL: a `# trailguard:ignore TGC002 reason text` (or `//`) comment inside a
//!   `resource` block, or in the run of comment lines directly above its header.
//!
//! Reading never fails the adapter: a malformed entry is kept with the reason it cannot be used
//! and reported when suppressions are applied, so `--no-ignores` silences all of them at once.

use crate::contract::Finding;
use crate::model::Document;
use crate::syntax::{Node, NodeKind, Span};
use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};

/// One inline suppression as written in a scanned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSuppression {
    /// Identity of the resource it is attached to: CloudFormation logical id or Terraform
    /// address (`aws_cloudtrail.main`); empty when it is attached to none.
    pub resource: String,
    /// Rule id, name or alias as written (empty when missing).
    pub rule: String,
    /// The justification, trimmed (empty when missing: then it suppresses nothing).
    pub reason: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// Why the entry cannot be used; it then suppresses nothing and is reported.
    pub invalid: Option<String>,
}

impl InlineSuppression {
    fn at(path: &str, resource: &str, line: u32, column: u32) -> InlineSuppression {
        InlineSuppression {
            resource: resource.to_string(),
            rule: String::new(),
            reason: String::new(),
            path: path.to_string(),
            line,
            column,
            invalid: None,
        }
    }

    fn invalid(path: &str, resource: &str, span: Span, message: String) -> InlineSuppression {
        InlineSuppression {
            invalid: Some(message),
            ..InlineSuppression::at(path, resource, span.line, span.column)
        }
    }
}

/// An inline suppression with the fingerprints of the findings it may cover: the findings of
/// its own document on its resource. Bound while the document is at hand, because a finding
/// does not record which document produced it (a Terraform module spans several files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub suppression: InlineSuppression,
    pub targets: Vec<String>,
}

/// Bind a document's inline suppressions to the findings evaluated on it.
pub fn bind(doc: &Document, findings: &[Finding]) -> Vec<Bound> {
    doc.suppressions
        .iter()
        .map(|s| Bound {
            suppression: s.clone(),
            targets: findings
                .iter()
                .filter(|f| !s.resource.is_empty() && f.resource == s.resource)
                .map(|f| f.fingerprint.clone())
                .collect(),
        })
        .collect()
}

/// Every `Metadata.trailguard` block of a template's resources.
///
/// ```
/// let src = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Metadata:\n      trailguard:\n        ignore:\n          - id: TGC002\n            reason: validated by the SIEM\n";
/// let root = trailguard::syntax::yaml::parse(src).unwrap();
/// let found = trailguard::suppress::inline::from_cloudformation("t.yaml", &root);
/// assert_eq!((found[0].resource.as_str(), found[0].rule.as_str(), found[0].line), ("Trail", "TGC002", 7));
/// assert_eq!(found[0].reason, "validated by the SIEM");
/// ```
pub fn from_cloudformation(path: &str, root: &Node) -> Vec<InlineSuppression> {
    let mut out = Vec::new();
    let Some(resources) = root.get("Resources") else {
        return out;
    };
    for (key, resource) in resources.entries() {
        let Some((tg_key, block)) = resource.get("Metadata").and_then(|m| m.entry("trailguard"))
        else {
            continue;
        };
        let id = key.name.as_str();
        let bad = |span: Span, msg: String| InlineSuppression::invalid(path, id, span, msg);
        if !block.is_map() {
            out.push(bad(
                block.span,
                "`Metadata.trailguard` must be a mapping with an `ignore` list".into(),
            ));
            continue;
        }
        for (k, _) in block.entries().iter().filter(|(k, _)| k.name != "ignore") {
            out.push(bad(
                k.span,
                format!(
                    "unknown key `{}` in `Metadata.trailguard` (expected `ignore`)",
                    k.name
                ),
            ));
        }
        let Some(list) = block.get("ignore") else {
            if block.entries().is_empty() {
                out.push(bad(
                    tg_key.span,
                    "`Metadata.trailguard` has no `ignore` list".into(),
                ));
            }
            continue;
        };
        if !list.is_seq() {
            out.push(bad(
                list.span,
                "`Metadata.trailguard.ignore` must be a list of `{id, reason}` entries".into(),
            ));
            continue;
        }
        out.extend(list.items().iter().map(|item| cfn_entry(path, id, item)));
    }
    out
}

/// One `{id, reason}` entry (a bare string is a rule without a reason).
fn cfn_entry(path: &str, resource: &str, item: &Node) -> InlineSuppression {
    let mut s = InlineSuppression::at(path, resource, item.span.line, item.span.column);
    if let Some(rule) = item.as_str() {
        s.rule = rule.trim().to_string();
        return s;
    }
    if !item.is_map() {
        s.invalid =
            Some("an `ignore` entry must be a mapping `{id: <rule>, reason: <why>}`".into());
        return s;
    }
    let mut problems = Vec::new();
    for (k, v) in item.entries() {
        let text = match &v.kind {
            NodeKind::String(t) => Some(t.trim().to_string()),
            NodeKind::Null => Some(String::new()),
            _ => None,
        };
        match (k.name.as_str(), text) {
            ("id" | "rule", Some(t)) if s.rule.is_empty() => s.rule = t,
            ("id" | "rule", Some(_)) => {
                problems.push("give the rule once, as `id` or as `rule`".to_string())
            }
            ("reason", Some(t)) => s.reason = t,
            ("id" | "rule" | "reason", None) => problems.push(format!(
                "`{}` must be a plain string (line {})",
                k.name, v.span.line
            )),
            (other, _) => problems.push(format!(
                "unknown key `{other}` (line {}; expected `id` and `reason`)",
                k.span.line
            )),
        }
    }
    if s.rule.is_empty() && problems.is_empty() {
        problems.push("the entry names no rule: add `id: <rule id>`".into());
    }
    if !problems.is_empty() {
        s.invalid = Some(problems.join("; "));
    }
    s
}

/// A resource block's extent, in 1-based lines.
struct BlockLines {
    address: String,
    /// First line of the comment run directly above the header (the header line if none).
    above: u32,
    header: u32,
    end: u32,
}

/// Every `trailguard:` comment of one `.tf` file, attached to the resource block it is in or
/// directly above.
///
/// ```
/// let src = "# trailguard:ignore TGC002 digest checked by the SIEM\nresource \"aws_cloudtrail\" \"main\" {\n  name = \"main\"\n}\n";
/// let body = hcl_edit::parser::parse_body(src).unwrap();
/// let found = trailguard::suppress::inline::from_hcl("main.tf", src, &body);
/// assert_eq!(found[0].resource, "aws_cloudtrail.main");
/// assert_eq!((found[0].rule.as_str(), found[0].reason.as_str()), ("TGC002", "digest checked by the SIEM"));
/// ```
pub fn from_hcl(path: &str, text: &str, body: &Body) -> Vec<InlineSuppression> {
    let lines: Vec<&str> = text.split('\n').collect();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| to_u32(starts.partition_point(|&s| s <= offset).max(1));
    let whole_comment = |n: u32| {
        lines
            .get(n as usize - 1)
            .is_some_and(|l| comment_marker(l).is_some_and(|(at, _)| is_blank(l.get(..at))))
    };
    let blocks: Vec<BlockLines> = body
        .iter()
        .filter_map(Structure::as_block)
        .filter(|b| b.ident.as_str() == "resource")
        .filter_map(|b| {
            let (rtype, name) = (b.labels.first()?, b.labels.get(1)?);
            let header = line_of(b.ident.span()?.start);
            let end = line_of(b.span().map_or(0, |r| r.end.saturating_sub(1)));
            let mut above = header;
            while above > 1 && whole_comment(above - 1) {
                above -= 1;
            }
            Some(BlockLines {
                address: format!("{}.{}", rtype.as_str(), name.as_str()),
                above,
                header,
                end: end.max(header),
            })
        })
        .collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let n = to_u32(index + 1);
        let Some((column, directive)) = directive(line) else {
            continue;
        };
        let resource = blocks
            .iter()
            .find(|b| b.header <= n && n <= b.end)
            .or_else(|| blocks.iter().find(|b| b.above <= n && n < b.header))
            .map_or("", |b| b.address.as_str());
        let at = InlineSuppression::at(path, resource, n, column);
        let problem = if resource.is_empty() {
            Some(
                "`trailguard:ignore` is neither inside a `resource` block nor in the comment \
                 lines directly above one"
                    .to_string(),
            )
        } else {
            None
        };
        match directive {
            Directive::Unknown(word) => out.push(InlineSuppression {
                invalid: Some(format!(
                    "unknown directive `trailguard:{word}` (the only one is `trailguard:ignore`)"
                )),
                ..at
            }),
            Directive::Ignore { rules, reason } if rules.is_empty() => {
                out.push(InlineSuppression {
                    reason,
                    invalid: Some(
                        problem.unwrap_or_else(|| "`trailguard:ignore` names no rule".to_string()),
                    ),
                    ..at
                })
            }
            Directive::Ignore { rules, reason } => {
                out.extend(rules.into_iter().map(|rule| InlineSuppression {
                    rule,
                    reason: reason.clone(),
                    invalid: problem.clone(),
                    ..at.clone()
                }))
            }
        }
    }
    out
}

enum Directive {
    Ignore { rules: Vec<String>, reason: String },
    Unknown(String),
}

/// The `trailguard:` directive in a line's comment, with the comment's 1-based column.
/// `trailguard:` followed by a space is prose, not a directive.
fn directive(line: &str) -> Option<(u32, Directive)> {
    let (at, comment) = comment_marker(line)?;
    let rest = comment.trim_start().strip_prefix("trailguard:")?;
    let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let column = to_u32(line.get(..at).map_or(0, |p| p.chars().count()) + 1);
    if word.is_empty() {
        return None;
    }
    if word != "ignore" {
        return Some((column, Directive::Unknown(word)));
    }
    let args = rest.get(word.len()..).unwrap_or("").trim();
    let (rule_list, reason) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let rules = rule_list
        .trim_end_matches(':')
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    // `TGC002 -- why` and `TGC002: why` read naturally; the separator is not the reason.
    let reason = reason
        .trim()
        .trim_start_matches("--")
        .trim_start_matches(':')
        .trim()
        .to_string();
    Some((column, Directive::Ignore { rules, reason }))
}

/// Byte offset of the `#` or `//` that starts a comment in an HCL line, and the comment text.
/// Markers inside a quoted string do not count (an odd number of unescaped quotes before it).
fn comment_marker(line: &str) -> Option<(usize, &str)> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let rest = line.get(i..).unwrap_or("");
        if c == '"' {
            in_string = true;
        } else if c == '#' {
            return Some((i, rest.get(1..).unwrap_or("")));
        } else if rest.starts_with("//") {
            return Some((i, rest.get(2..).unwrap_or("")));
        }
    }
    None
}

/// Whether the text before a comment marker is only indentation (a whole-line comment).
fn is_blank(prefix: Option<&str>) -> bool {
    prefix.is_some_and(|p| p.trim().is_empty())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
