//! The `trailguard explain RULE` page: what the rule checks and why it matters, how to fix it
//! per input format, the controls it maps to, and good/bad examples when the caller has them.

use super::sanitize;
use super::style::{Paint, wrap};
use crate::contract::{EventSelector, RuleDescriptor, RuleKind};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Prose is wrapped to this width; code (indented or fenced lines) is never wrapped.
const WIDTH: usize = 88;

/// Good and bad examples of one input format, each a complete source text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatExamples {
    pub good: Vec<String>,
    pub bad: Vec<String>,
}

/// A rule's examples by input format (`cloudformation`, `terraform`, `live`, `events`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examples {
    pub by_format: BTreeMap<String, FormatExamples>,
}

/// Writes the explanation of `rule`. Everything in a descriptor may come from a user's policy
/// file, so all of it is sanitized like any other input.
pub fn explain(
    rule: &RuleDescriptor,
    examples: Option<&Examples>,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    let p = Paint { on: color };
    let bar = if color { "│ " } else { "| " };
    let mut lines: Vec<String> = Vec::new();

    lines.push(format!(
        "{} {}",
        p.bold(&sanitize::line(&rule.id)),
        sanitize::line(&rule.name)
    ));
    lines.push(p.bold(&sanitize::line(&rule.title)));
    lines.push(String::new());
    let mut facts = vec![
        format!(
            "severity: {}",
            p.severity(rule.severity, rule.severity.as_str())
        ),
        format!("kind: {}", rule.kind.as_str()),
    ];
    if !rule.applies_to.is_empty() {
        facts.push(format!("applies to: {}", joined(&rule.applies_to)));
    }
    lines.push(format!("  {}", facts.join("   ")));
    if !rule.aliases.is_empty() {
        lines.push(format!("  aliases: {}", joined(&rule.aliases)));
    }
    if rule.kind == RuleKind::Event {
        lines.push(format!("  prefilter: {}", prefilter(rule)));
        if rule.memoize {
            lines.push(format!(
                "  memoized: evaluated without {}",
                crate::contract::IDENTITY_FIELDS.join(", ")
            ));
        }
        if let Some(c) = &rule.condition {
            lines.push(format!(
                "  condition: {c} (findings past the listing cap are counted by it alone)"
            ));
        }
    }
    if let Some(w) = &rule.window {
        lines.push(format!(
            "  counts: findings of {}{}, per {} window (aligned to UTC)",
            joined(&w.counts),
            if w.by.is_empty() {
                String::new()
            } else {
                format!(
                    " per {}",
                    w.by.iter()
                        .map(|g| g.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            },
            super::rules::duration_text(w.seconds)
        ));
    }

    if !rule.description.trim().is_empty() {
        section(&mut lines, p, "Why it matters");
        lines.extend(prose(&rule.description, "  "));
    }

    if !rule.remediation.is_empty() {
        section(&mut lines, p, "How to fix");
        for (format, text) in &rule.remediation {
            lines.push(format!("  {}:", sanitize::line(format)));
            lines.extend(prose(text, "    "));
        }
    }

    if !rule.compliance.is_empty() {
        section(&mut lines, p, "Compliance");
        let key_width = rule
            .compliance
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
        for (framework, controls) in &rule.compliance {
            let name = sanitize::line(framework);
            let pad = key_width.saturating_sub(name.chars().count()) + 3;
            lines.push(format!("  {name}{}{}", " ".repeat(pad), joined(controls)));
        }
    }

    if let Some(examples) = examples {
        for (format, ex) in &examples.by_format {
            if ex.bad.is_empty() && ex.good.is_empty() {
                continue;
            }
            section(
                &mut lines,
                p,
                &format!("Examples ({})", sanitize::line(format)),
            );
            example_block(&mut lines, p, bar, "bad", "fires the rule", &ex.bad);
            example_block(&mut lines, p, bar, "good", "passes", &ex.good);
        }
    }

    if !rule.related_resources.is_empty() {
        section(&mut lines, p, "See also");
        for link in &rule.related_resources {
            lines.push(format!("  {}", sanitize::line(link)));
        }
    }

    lines.push(String::new());
    lines.push(p.dim(&format!(
        "Defined in {} ({})",
        sanitize::line(&rule.source),
        sanitize::line(&rule.package)
    )));
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn section(lines: &mut Vec<String>, p: Paint, title: &str) {
    lines.push(String::new());
    lines.push(p.bold(title));
}

fn joined(items: &[String]) -> String {
    items
        .iter()
        .map(|s| sanitize::line(s).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn prefilter(rule: &RuleDescriptor) -> String {
    match rule.selector.as_ref().filter(|s| !s.is_empty()) {
        Some(selector) => conditions(selector),
        None => "none: the rule runs on every record".to_string(),
    }
}

/// `eventSource in a, b; eventName in c; one of: (…) or (…)`.
fn conditions(selector: &EventSelector) -> String {
    let mut parts = Vec::new();
    if !selector.event_source.is_empty() {
        parts.push(format!("eventSource in {}", joined(&selector.event_source)));
    }
    if !selector.event_name.is_empty() {
        parts.push(format!("eventName in {}", joined(&selector.event_name)));
    }
    for (field, values) in &selector.fields {
        parts.push(format!("{} in {}", sanitize::line(field), joined(values)));
    }
    if !selector.any_of.is_empty() {
        let alts: Vec<String> = selector
            .any_of
            .iter()
            .map(|a| format!("({})", conditions(a)))
            .collect();
        parts.push(format!("one of: {}", alts.join(" or ")));
    }
    parts.join("; ")
}

/// Each example as a quoted block: `bad (fires the rule):` then the source behind a bar.
fn example_block(
    lines: &mut Vec<String>,
    p: Paint,
    bar: &str,
    label: &str,
    meaning: &str,
    sources: &[String],
) {
    for (n, source) in sources.iter().enumerate() {
        let numbered = if sources.len() > 1 {
            format!("{label} #{}", n + 1)
        } else {
            label.to_string()
        };
        let styled = if label == "bad" {
            p.red(&numbered)
        } else {
            p.green(&numbered)
        };
        lines.push(format!("  {styled} ({meaning}):"));
        for line in source.trim_end_matches('\n').split('\n') {
            let line = sanitize::line(line.strip_suffix('\r').unwrap_or(line));
            lines.push(format!("    {}{}", p.dim(bar), line).trim_end().to_string());
        }
    }
}

/// Authored text, indented: prose lines are wrapped; lines that start with whitespace or sit
/// inside a ``` fence are code and stay exactly as written.
fn prose(text: &str, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in sanitize::text(text).trim_end().split('\n') {
        let is_fence = raw.trim_start().starts_with("```");
        if in_fence || is_fence || raw.starts_with(' ') || raw.trim().is_empty() {
            out.push(format!("{indent}{raw}").trim_end().to_string());
        } else {
            out.extend(wrap(raw, WIDTH, indent, indent));
        }
        if is_fence {
            in_fence = !in_fence;
        }
    }
    out
}
