//! Extracts and validates the OPA `# METADATA` annotation block of a policy file.
//!
//! regorus's lexer drops comments (regorus#98), so the scanner reads the block itself: the
//! YAML inside the comment lines directly above `package`. Validation is strict — an unknown key
//! is an error pointing at its line in the `.rego` file — because a typo such as `severty` would
//! otherwise silently give a rule the wrong behaviour.

use crate::contract::{Compliance, Diagnostic, EventSelector, RuleKind, Severity, WindowSpec};
use selector::parse_selector;
use serde_json::Value;
use std::collections::BTreeMap;
pub(super) use window::check_windows;
use window::parse_window;

mod condition;
mod selector;
mod window;

/// OPA's standard annotation keys. `custom` holds ours.
const OPA_KEYS: &[&str] = &[
    "scope",
    "title",
    "description",
    "related_resources",
    "authors",
    "organizations",
    "schemas",
    "entrypoint",
    "custom",
];
const CUSTOM_KEYS: &[&str] = &[
    "id",
    "name",
    "severity",
    "kind",
    "applies_to",
    "remediation",
    "frameworks",
    "params",
    "aliases",
    "selector",
    "requires_params",
    "memoize",
    "condition",
    "window",
];
pub const FORMATS: &[&str] = &[
    "cloudformation",
    "terraform-plan",
    "terraform-hcl",
    "live-export",
    "events",
];

/// What the scanner knows about one `.rego` file before regorus sees it.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: String,
    pub package: String,
    /// The package-scope METADATA block, when the file declares a rule.
    pub metadata: Option<RuleMetadata>,
    pub is_test: bool,
    /// Names of `test_*` rules (test files only), in source order.
    pub tests: Vec<String>,
    /// Whether the file defines a `deny` rule (a rule file must then carry METADATA).
    pub defines_deny: bool,
}

/// The validated contents of a rule's METADATA block.
#[derive(Debug, Clone)]
pub struct RuleMetadata {
    pub title: String,
    pub description: String,
    pub related_resources: Vec<String>,
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub kind: RuleKind,
    pub applies_to: Vec<String>,
    pub remediation: BTreeMap<String, String>,
    pub frameworks: Compliance,
    pub params: BTreeMap<String, Value>,
    pub aliases: Vec<String>,
    pub selector: Option<EventSelector>,
    /// Parameters without which the rule cannot fire (empty list, `false` or `null` = inert).
    pub requires_params: Vec<String>,
    pub memoize: bool,
    /// Event rules: the boolean rule that holds exactly when `deny` has one entry.
    pub condition: Option<String>,
    pub window: Option<WindowSpec>,
    /// 1-based line of the `# METADATA` marker.
    pub line: u32,
}

struct Block {
    start_line: u32,
    /// (1-based line number, YAML text of that line)
    lines: Vec<(u32, String)>,
}

impl Block {
    fn yaml(&self) -> String {
        self.lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Line of the first `key:` at the given nesting (found by text, since the YAML parser
    /// does not keep positions); falls back to the block start.
    fn line_of(&self, key: &str) -> u32 {
        self.find_line(key).unwrap_or(self.start_line)
    }

    /// The first line that starts with `key:` (after indentation and a list dash).
    fn find_line(&self, key: &str) -> Option<u32> {
        self.lines
            .iter()
            .find(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(':'))
            })
            .map(|(n, _)| *n)
    }
}

fn comment_text(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let rest = t.strip_prefix('#')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// Parse a policy file's package, METADATA and test rule names.
pub fn extract(path: &str, src: &str) -> Result<PolicyFile, Vec<Diagnostic>> {
    let lines: Vec<&str> = src.lines().collect();
    let mut package = None;
    let mut package_line = 0u32;
    let mut blocks: Vec<(Block, Option<usize>)> = Vec::new();
    let mut tests = Vec::new();
    let mut defines_deny = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "# METADATA" {
            let start = i;
            let mut block = Block {
                start_line: (i + 1) as u32,
                lines: Vec::new(),
            };
            i += 1;
            while i < lines.len() {
                match comment_text(lines[i]) {
                    Some(text) if lines[i].trim_start().starts_with('#') => {
                        block.lines.push(((i + 1) as u32, text.to_string()));
                        i += 1;
                    }
                    _ => break,
                }
            }
            // The block annotates the next non-blank line.
            let next = (i..lines.len()).find(|&j| !lines[j].trim().is_empty());
            let _ = start;
            blocks.push((block, next));
            continue;
        }
        let t = line.trim_start();
        if package.is_none()
            && let Some(rest) = t.strip_prefix("package ")
        {
            package = Some(rest.trim().to_string());
            package_line = (i + 1) as u32;
        }
        if line.starts_with("test_") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !tests.contains(&name) {
                tests.push(name);
            }
        }
        if line.starts_with("deny ")
            || line.starts_with("deny contains")
            || line.starts_with("deny[")
        {
            defines_deny = true;
        }
        i += 1;
    }
    let Some(package) = package else {
        return Err(vec![diag(
            path,
            1,
            "policy::package",
            "policy file has no `package` declaration".into(),
            None,
        )]);
    };
    let is_test = path.ends_with("_test.rego");
    let mut metadata = None;
    let mut errors = Vec::new();
    for (block, next) in blocks {
        let annotates_package = next.is_some_and(|j| (j + 1) as u32 == package_line);
        match parse_block(path, &block) {
            Ok(Some(meta)) if annotates_package => metadata = Some(meta),
            Ok(Some(_)) => errors.push(diag(
                path,
                block.start_line,
                "policy::metadata",
                "a METADATA block with `custom.id` must be directly above `package`".into(),
                Some("trailguard reads rule metadata from the package-scope annotation".into()),
            )),
            Ok(None) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if let Some(meta) = &metadata
        && let Some(e) = condition::check(path, meta, &lines)
    {
        errors.push(e);
    }
    if defines_deny && metadata.is_none() && !is_test && errors.is_empty() {
        errors.push(diag(
            path,
            package_line,
            "policy::metadata",
            "policy defines `deny` but has no METADATA block with `custom.id` above its package".into(),
            Some("add a `# METADATA` block with title, description and custom: id, name, severity, kind".into()),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PolicyFile {
        path: path.to_string(),
        package,
        metadata,
        is_test,
        tests,
        defines_deny,
    })
}

fn diag(path: &str, line: u32, code: &str, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic {
        code: code.into(),
        path: path.into(),
        line: Some(line),
        column: Some(1),
        message,
        help,
    }
}

/// Parse one block. `Ok(None)` for blocks without `custom.id` (plain OPA annotations).
fn parse_block(path: &str, block: &Block) -> Result<Option<RuleMetadata>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<Diagnostic>, line: u32, msg: String| {
        errors.push(diag(path, line, "policy::metadata", msg, None));
    };
    let doc: Value = match yaml_serde::from_str(&block.yaml()) {
        Ok(v) => v,
        Err(e) => {
            let line = e
                .location()
                .map_or(block.start_line, |l| block.start_line + l.line() as u32);
            return Err(vec![diag(
                path,
                line,
                "policy::metadata",
                format!("METADATA is not valid YAML: {e}"),
                None,
            )]);
        }
    };
    let Some(top) = doc.as_object() else {
        return Err(vec![diag(
            path,
            block.start_line,
            "policy::metadata",
            "METADATA must be a YAML mapping".into(),
            None,
        )]);
    };
    for k in top.keys() {
        if !OPA_KEYS.contains(&k.as_str()) {
            err(
                &mut errors,
                block.line_of(k),
                format!(
                    "unknown METADATA key `{k}` (expected one of: {})",
                    OPA_KEYS.join(", ")
                ),
            );
        }
    }
    let Some(custom) = top.get("custom").and_then(Value::as_object) else {
        return if errors.is_empty() {
            Ok(None)
        } else {
            Err(errors)
        };
    };
    if !custom.contains_key("id") {
        return if errors.is_empty() {
            Ok(None)
        } else {
            Err(errors)
        };
    }
    for k in custom.keys() {
        if !CUSTOM_KEYS.contains(&k.as_str()) {
            err(
                &mut errors,
                block.line_of(k),
                format!(
                    "unknown key `custom.{k}` (expected one of: {})",
                    CUSTOM_KEYS.join(", ")
                ),
            );
        }
    }
    let string = |errors: &mut Vec<Diagnostic>,
                  obj: &serde_json::Map<String, Value>,
                  key: &str,
                  what: &str|
     -> String {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(_) => {
                err(
                    errors,
                    block.line_of(key),
                    format!("`{what}` must be a non-empty string"),
                );
                String::new()
            }
            None => {
                err(
                    errors,
                    block.start_line,
                    format!("METADATA is missing `{what}`"),
                );
                String::new()
            }
        }
    };
    let title = string(&mut errors, top, "title", "title");
    let description = string(&mut errors, top, "description", "description");
    let id = string(&mut errors, custom, "id", "custom.id");
    if !id.is_empty() && !valid_id(&id) {
        err(
            &mut errors,
            block.line_of("id"),
            format!("rule id `{id}` must be letters followed by digits, e.g. TGC001"),
        );
    }
    let name = string(&mut errors, custom, "name", "custom.name");
    if !name.is_empty() && !valid_kebab(&name) {
        err(
            &mut errors,
            block.line_of("name"),
            format!("rule name `{name}` must be kebab-case (lowercase letters, digits, '-')"),
        );
    }
    let sev_text = string(&mut errors, custom, "severity", "custom.severity");
    let severity = Severity::parse(&sev_text).unwrap_or_else(|| {
        if !sev_text.is_empty() {
            err(
                &mut errors,
                block.line_of("severity"),
                format!("unknown severity `{sev_text}` (critical, high, medium, low, info)"),
            );
        }
        Severity::Medium
    });
    let kind_text = string(&mut errors, custom, "kind", "custom.kind");
    let kind = match kind_text.as_str() {
        "config" => RuleKind::Config,
        "event" => RuleKind::Event,
        "aggregate" => RuleKind::Aggregate,
        "" => RuleKind::Config,
        other => {
            err(
                &mut errors,
                block.line_of("kind"),
                format!("unknown kind `{other}` (config, event or aggregate)"),
            );
            RuleKind::Config
        }
    };
    let applies_to = string_list(
        custom.get("applies_to"),
        &mut |m| err(&mut errors, block.line_of("applies_to"), m),
        "custom.applies_to",
    );
    for f in &applies_to {
        if !FORMATS.contains(&f.as_str()) {
            err(
                &mut errors,
                block.line_of("applies_to"),
                format!(
                    "unknown format `{f}` in applies_to (expected: {})",
                    FORMATS.join(", ")
                ),
            );
        }
    }
    let mut remediation = BTreeMap::new();
    match custom.get("remediation") {
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match v.as_str() {
                    Some(s) => {
                        remediation.insert(k.clone(), s.trim().to_string());
                    }
                    None => err(
                        &mut errors,
                        block.line_of(k),
                        format!("remediation `{k}` must be a string"),
                    ),
                }
            }
        }
        Some(Value::String(s)) => {
            remediation.insert("all".into(), s.trim().to_string());
        }
        Some(_) => err(
            &mut errors,
            block.line_of("remediation"),
            "`custom.remediation` must be a mapping of format to text".into(),
        ),
        None => err(
            &mut errors,
            block.start_line,
            "METADATA is missing `custom.remediation`".into(),
        ),
    }
    let mut frameworks = Compliance::new();
    match custom.get("frameworks") {
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let mut ids = Vec::new();
                match v {
                    Value::Array(items) => {
                        for item in items {
                            match item {
                                Value::String(s) => ids.push(s.clone()),
                                other => err(
                                    &mut errors,
                                    block.line_of(k),
                                    format!(
                                        "control id {other} under `{k}` must be a quoted string (an unquoted 3.10 is the number 3.1)"
                                    ),
                                ),
                            }
                        }
                    }
                    _ => err(
                        &mut errors,
                        block.line_of(k),
                        format!("`frameworks.{k}` must be a list of quoted control ids"),
                    ),
                }
                ids.sort();
                ids.dedup();
                frameworks.insert(k.clone(), ids);
            }
        }
        Some(_) => err(
            &mut errors,
            block.line_of("frameworks"),
            "`custom.frameworks` must be a mapping".into(),
        ),
        None => {}
    }
    let params = match custom.get("params") {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(_) => {
            err(
                &mut errors,
                block.line_of("params"),
                "`custom.params` must be a mapping of name to default".into(),
            );
            BTreeMap::new()
        }
        None => BTreeMap::new(),
    };
    let aliases = string_list(
        custom.get("aliases"),
        &mut |m| err(&mut errors, block.line_of("aliases"), m),
        "custom.aliases",
    );
    let selector = custom.get("selector").and_then(|v| {
        // A key written inline (`fields: {x: [..]}`) has no line of its own: use its parent's.
        let mut report = |keys: &[&str], msg: String| {
            let line = keys.iter().find_map(|k| block.find_line(k));
            err(&mut errors, line.unwrap_or(block.start_line), msg)
        };
        parse_selector(v, "selector", &mut report)
    });
    let requires_params = string_list(
        custom.get("requires_params"),
        &mut |m| err(&mut errors, block.line_of("requires_params"), m),
        "custom.requires_params",
    );
    let memoize = match custom.get("memoize") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) if kind == RuleKind::Event => true,
        Some(Value::Bool(true)) => {
            err(
                &mut errors,
                block.line_of("memoize"),
                "`custom.memoize` is only meaningful for `kind: event` rules".into(),
            );
            false
        }
        Some(other) => {
            err(
                &mut errors,
                block.line_of("memoize"),
                format!("`custom.memoize` must be true or false, found {other}"),
            );
            false
        }
    };
    let condition = condition::parse(custom.get("condition"), kind, &mut |msg| {
        err(&mut errors, block.line_of("condition"), msg)
    });
    if selector.is_some() && kind != RuleKind::Event {
        err(
            &mut errors,
            block.line_of("selector"),
            "`custom.selector` is only meaningful for `kind: event` rules".into(),
        );
    }
    let window = custom.get("window").and_then(|v| {
        let mut report = |key: &str, msg: String| {
            let line = block.find_line(key).or_else(|| block.find_line("window"));
            err(&mut errors, line.unwrap_or(block.start_line), msg)
        };
        parse_window(v, &mut report)
    });
    match (kind, custom.contains_key("window")) {
        (RuleKind::Aggregate, false) => err(
            &mut errors,
            block.line_of("kind"),
            "a `kind: aggregate` rule needs `custom.window` (counts, by, length)".into(),
        ),
        (RuleKind::Config | RuleKind::Event, true) => err(
            &mut errors,
            block.line_of("window"),
            "`custom.window` is only meaningful for `kind: aggregate` rules".into(),
        ),
        _ => {}
    }
    let related_resources = match top.get("related_resources") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("ref").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(RuleMetadata {
        title,
        description,
        related_resources,
        id,
        name,
        severity,
        kind,
        applies_to,
        remediation,
        frameworks,
        params,
        aliases,
        selector,
        requires_params,
        memoize,
        condition,
        window,
        line: block.start_line,
    }))
}

pub(super) fn string_list(
    v: Option<&Value>,
    err: &mut dyn FnMut(String),
    what: &str,
) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                other => {
                    err(format!("`{what}` entries must be strings, found {other}"));
                    None
                }
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(other) => {
            err(format!("`{what}` must be a list of strings, found {other}"));
            Vec::new()
        }
    }
}

fn valid_id(id: &str) -> bool {
    let letters = id.chars().take_while(|c| c.is_ascii_uppercase()).count();
    letters > 0 && letters < id.len() && id[letters..].chars().all(|c| c.is_ascii_digit())
}

fn valid_kebab(name: &str) -> bool {
    !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests;
