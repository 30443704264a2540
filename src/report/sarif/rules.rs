//! SARIF `reportingDescriptor`s (the run's `tool.driver.rules[]`) built from rule descriptors,
//! and the severity mapping shared by every SARIF object.
//!
//! GitHub shows `help.markdown` on the alert page, filters on `properties.tags`, and ranks
//! security alerts by `properties.security-severity` (a *string* number). The numbers sit in
//! the middle of GitHub's bands (as trivy's do) so rounding can never move a rule across one.

use crate::contract::{Compliance, Finding, RuleDescriptor, RuleKind, Severity};
use serde::Serialize;

/// GitHub's limits: tags beyond 20 reject the rule; descriptions beyond 1024 characters and
/// names beyond 255 are cut by the UI.
pub const MAX_TAGS: usize = 20;
pub const MAX_DESCRIPTION: usize = 1024;
pub const MAX_NAME: usize = 255;

/// Where rule pages live: the crate's `repository` when set in Cargo.toml, else the project
/// home. Rule anchors are the lower-case ids on `docs/rules.md`.
pub fn project_url() -> &'static str {
    match option_env!("CARGO_PKG_REPOSITORY") {
        Some(url) if !url.is_empty() => url,
        _ => "https://github.com/trailguard/trailguard",
    }
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// `security-severity`: absent for info, so informational rules are not security alerts.
pub fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Info => None,
    }
}

fn problem_severity(s: Severity) -> &'static str {
    match level(s) {
        "error" => "error",
        "warning" => "warning",
        _ => "recommendation",
    }
}

#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RuleProperties {
    pub tags: Vec<String>,
    pub precision: &'static str,
    #[serde(rename = "problem.severity")]
    pub problem_severity: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    pub security_severity: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: String,
    pub name: String,
    pub short_description: Text,
    pub full_description: Text,
    pub help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

/// Cut `s` to at most `max` characters, ending in `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Non-empty text: SARIF consumers reject an empty `text`.
fn or_id(s: &str, id: &str) -> String {
    if s.trim().is_empty() {
        id.to_string()
    } else {
        s.trim().to_string()
    }
}

/// `security`, the severity, then framework controls as `framework/control`, capped at 20.
fn tags(severity: Severity, kind: RuleKind, compliance: &Compliance) -> Vec<String> {
    let mut tags = vec![
        "security".to_string(),
        "cloudtrail".to_string(),
        severity.as_str().to_string(),
        kind.as_str().to_string(),
    ];
    for (framework, ids) in compliance {
        for id in ids {
            tags.push(format!("{framework}/{id}"));
        }
    }
    tags.truncate(MAX_TAGS);
    tags
}

/// Config rules are exact checks of declared values; event rules judge behaviour and can fire
/// on legitimate activity.
fn precision(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Config => "very-high",
        RuleKind::Event => "high",
        // A count over a threshold: unusual, not necessarily wrong.
        RuleKind::Aggregate => "medium",
    }
}

fn remediation_label(key: &str) -> &str {
    match key {
        "cloudformation" => "CloudFormation",
        "terraform" => "Terraform",
        "live" => "Live account (AWS CLI)",
        "events" => "Event logs",
        other => other,
    }
}

/// Markdown from policy prose: `<`, `>` and `&` outside code spans are escaped, so a
/// placeholder such as `--name <trail>` is shown instead of being dropped as an HTML tag.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '&' if !in_code => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

fn help(d: &RuleDescriptor) -> Help {
    let mut text = format!("{}\n\n{}\n", or_id(&d.title, &d.id), d.description.trim());
    let mut md = format!(
        "**{}** ({} {} rule `{}`, `{}`)\n\n{}\n",
        or_id(&d.title, &d.id),
        d.severity,
        d.kind.as_str(),
        d.id,
        d.name,
        md_text(d.description.trim())
    );
    if !d.remediation.is_empty() {
        text.push_str("\nHow to fix:\n");
        md.push_str("\n### How to fix\n\n");
        for (key, how) in &d.remediation {
            let label = remediation_label(key);
            text.push_str(&format!("- {label}: {}\n", how.trim()));
            md.push_str(&format!("- **{label}:** {}\n", md_text(how.trim())));
        }
    }
    if !d.compliance.is_empty() {
        text.push_str("\nCompliance controls:\n");
        md.push_str("\n### Compliance\n\n| Framework | Controls |\n|---|---|\n");
        for (framework, ids) in &d.compliance {
            text.push_str(&format!("- {framework}: {}\n", ids.join(", ")));
            md.push_str(&format!("| {framework} | {} |\n", ids.join(", ")));
        }
    }
    if !d.related_resources.is_empty() {
        text.push_str("\nReferences:\n");
        md.push_str("\n### References\n\n");
        for r in &d.related_resources {
            text.push_str(&format!("- {r}\n"));
            md.push_str(&format!("- <{r}>\n"));
        }
    }
    Help { text, markdown: md }
}

fn help_uri(d: &RuleDescriptor) -> Option<String> {
    if d.builtin {
        return Some(format!(
            "{}/blob/main/docs/rules.md#{}",
            project_url(),
            d.id.to_ascii_lowercase()
        ));
    }
    d.related_resources
        .iter()
        .find(|r| r.starts_with("https://"))
        .cloned()
}

/// The SARIF rule for a loaded rule.
pub fn descriptor(d: &RuleDescriptor) -> ReportingDescriptor {
    let title = or_id(&d.title, &d.id);
    ReportingDescriptor {
        id: d.id.clone(),
        name: clip(&or_id(&d.name, &d.id), MAX_NAME),
        short_description: Text {
            text: clip(&title, MAX_DESCRIPTION),
        },
        full_description: Text {
            text: clip(&or_id(&d.description, &title), MAX_DESCRIPTION),
        },
        help: help(d),
        help_uri: help_uri(d),
        default_configuration: Configuration {
            level: level(d.severity),
        },
        properties: RuleProperties {
            tags: tags(d.severity, d.kind, &d.compliance),
            precision: precision(d.kind),
            problem_severity: problem_severity(d.severity),
            security_severity: security_severity(d.severity),
        },
    }
}

/// A rule known only from a finding (a converted report whose rule is not loaded): what the
/// finding itself says, so the result still renders and links to a rule.
pub fn from_finding(f: &Finding) -> ReportingDescriptor {
    let title = or_id(&f.title, &f.rule_id);
    let text = format!(
        "{title}\n\nRule {} is not in the loaded policy set, so its description and remediation \
         are not available here; `trailguard explain {}` with the policies that produced the \
         report shows them.\n",
        f.rule_id, f.rule_id
    );
    ReportingDescriptor {
        id: f.rule_id.to_string(),
        name: clip(&or_id(&f.rule_name, &f.rule_id), MAX_NAME),
        short_description: Text {
            text: clip(&title, MAX_DESCRIPTION),
        },
        full_description: Text {
            text: clip(&title, MAX_DESCRIPTION),
        },
        help: Help {
            markdown: text.replacen(&title, &format!("**{title}**"), 1),
            text,
        },
        help_uri: None,
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            tags: tags(f.severity, f.kind, &f.compliance),
            precision: precision(f.kind),
            problem_severity: problem_severity(f.severity),
            security_severity: security_severity(f.severity),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_characters_and_marks_the_cut() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééé", 2), "é…");
    }

    #[test]
    fn markdown_escapes_html_outside_code_spans() {
        assert_eq!(
            md_text("run --name <trail> or `--name <trail>` & go"),
            "run --name &lt;trail&gt; or `--name <trail>` &amp; go"
        );
    }

    #[test]
    fn tags_are_capped_at_githubs_limit() {
        let mut c = Compliance::new();
        c.insert("fw".into(), (0..30).map(|i| i.to_string()).collect());
        let t = tags(Severity::High, RuleKind::Config, &c);
        assert_eq!(t.len(), MAX_TAGS);
        assert_eq!(
            &t[..5],
            ["security", "cloudtrail", "high", "config", "fw/0"]
        );
    }
}
