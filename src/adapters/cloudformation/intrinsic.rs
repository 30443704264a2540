//! Recognizing intrinsic functions in both spellings, and rendering expressions for evidence.
//!
//! `!GetAtt Key.Arn` (a YAML tag) and `{"Fn::GetAtt": ["Key", "Arn"]}` (the long form, the only
//! one JSON has) mean the same; [`intrinsic`] maps both to the long name so evaluation has one
//! shape to handle.

use crate::syntax::{Node, NodeKind};

/// Short-form tags and the long names they stand for.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("!Ref", "Ref"),
    ("!Condition", "Condition"),
    ("!GetAtt", "Fn::GetAtt"),
    ("!Sub", "Fn::Sub"),
    ("!Join", "Fn::Join"),
    ("!If", "Fn::If"),
    ("!Select", "Fn::Select"),
    ("!FindInMap", "Fn::FindInMap"),
    ("!ImportValue", "Fn::ImportValue"),
    ("!Base64", "Fn::Base64"),
    ("!Split", "Fn::Split"),
    ("!GetAZs", "Fn::GetAZs"),
    ("!Cidr", "Fn::Cidr"),
    ("!Equals", "Fn::Equals"),
    ("!Not", "Fn::Not"),
    ("!And", "Fn::And"),
    ("!Or", "Fn::Or"),
    ("!Transform", "Fn::Transform"),
    ("!Length", "Fn::Length"),
    ("!ToJsonString", "Fn::ToJsonString"),
];

/// The long name and argument of an intrinsic function call, in either form.
///
/// A tag we do not know (`!Foo x`) is returned under its tag text, so evaluation treats it as an
/// unknown function rather than as data. The long form `{"Condition": X}` is only a function
/// inside condition functions; elsewhere `Condition` is an ordinary key, so it is not matched
/// here (see [`condition_name`]).
pub(super) fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    match &node.kind {
        NodeKind::Tagged(tag, arg) => {
            let name = SHORT_FORMS
                .iter()
                .find(|(short, _)| short == tag)
                .map_or(tag.as_str(), |(_, long)| long);
            Some((name, arg))
        }
        NodeKind::Map(entries) => match entries.as_slice() {
            [(key, arg)] if key.name == "Ref" || key.name.starts_with("Fn::") => {
                Some((key.name.as_str(), arg))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The condition named by `{"Condition": X}` or `!Condition X`.
pub(super) fn condition_name(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Tagged(tag, arg) if tag == "!Condition" => arg.as_str(),
        NodeKind::Map(entries) => match entries.as_slice() {
            [(key, arg)] if key.name == "Condition" => arg.as_str(),
            _ => None,
        },
        _ => None,
    }
}

/// Longest expression text kept as evidence.
const MAX_RENDER: usize = 200;

/// A compact one-line rendering of an expression: `!GetAtt Key.Arn`, `{"Ref": "Key"}`.
///
/// Tags render in YAML style with plain strings where that stays unambiguous; mappings (the
/// long form, as written in JSON) render with quoted keys and strings. Long expressions are cut
/// at 200 characters and end with `…`.
pub(super) fn render(node: &Node) -> String {
    let mut out = String::new();
    write(node, false, &mut out);
    if out.len() > MAX_RENDER {
        let mut cut = MAX_RENDER;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out
}

fn write(node: &Node, json: bool, out: &mut String) {
    if out.len() > MAX_RENDER {
        return;
    }
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Number(n) => out.push_str(n),
        NodeKind::String(s) if !json && is_plain(s) => out.push_str(s),
        NodeKind::String(s) => out.push_str(&quote(s)),
        NodeKind::Tagged(tag, inner) => {
            out.push_str(tag);
            if !matches!(inner.kind, NodeKind::Null) {
                out.push(' ');
                write(inner, json, out);
            }
        }
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, json, out);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(&key.name));
                out.push_str(": ");
                write(value, true, out);
            }
            out.push('}');
        }
    }
}

/// Strings that read unambiguously without quotes in a one-line YAML expression.
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '/' | '$' | '{' | '}' | '*')
        })
        && !s.starts_with(['{', '*', '-'])
        && !s.ends_with(':')
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}
