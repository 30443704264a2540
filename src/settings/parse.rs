//! `trailguard.toml` text to [`Settings`], checked key by key so that every mistake in the file
//! is reported at once with its position (cargo-deny style), not only the first one.
//!
//! The `toml` crate parses into its spanned tree (`DeTable`: every key and value keeps its byte
//! range); serde's derive would stop at the first unknown key.

use super::paths::tidy;
use super::{Setting, Settings};
use crate::contract::{Diagnostic, Severity};
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The keys of the file, for "unknown key" messages.
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "fail-on",
    "severity",
    "format",
    "exclude",
    "policy-dirs",
    "data-files",
    "no-builtin",
    "waivers",
    "baseline",
    "no-ignores",
    "follow-links",
    "max-findings-per-rule",
];

const FAIL_ON: &[&str] = &["critical", "high", "medium", "low", "info", "none"];

struct Reader<'t> {
    shown: &'t str,
    text: &'t str,
    base: &'t Path,
    errors: Vec<Diagnostic>,
}

/// The settings, and every problem found. Values with a problem are left unset; after a TOML
/// syntax error nothing is read (a half-parsed file would give misleading follow-up errors).
pub(super) fn parse(shown: &str, text: &str, base: &Path) -> (Settings, Vec<Diagnostic>) {
    let mut r = Reader {
        shown,
        text,
        base,
        errors: Vec::new(),
    };
    let mut s = Settings {
        path: shown.to_string(),
        ..Settings::default()
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in &syntax {
            let at = e.span().map_or(0, |s| s.start);
            r.error(
                "config::parse",
                at,
                format!("invalid TOML: {}", e.message().trim()),
            );
        }
        return (s, r.errors);
    }
    for (key, value) in root.get_ref().iter() {
        let k = key.get_ref().as_ref();
        match k {
            "select" => s.select = r.strings(k, value),
            "ignore" => s.ignore = r.strings(k, value),
            "exclude" => s.exclude = r.strings(k, value).map(|v| r.globs(v)),
            "policy-dirs" => s.policy_dirs = r.strings(k, value).map(|v| r.paths(v)),
            "data-files" => s.data_files = r.strings(k, value).map(|v| r.paths(v)),
            "waivers" => s.waivers = r.string(k, value).map(|v| r.path(&v.value)),
            "baseline" => s.baseline = r.string(k, value).map(|v| r.path(&v.value)),
            "format" => s.format = r.string(k, value),
            "no-builtin" => s.no_builtin = r.boolean(k, value),
            "no-ignores" => s.no_ignores = r.boolean(k, value),
            "follow-links" => s.follow_links = r.boolean(k, value),
            "max-findings-per-rule" => s.max_findings_per_rule = r.count(k, value),
            "fail-on" => {
                s.fail_on = r.string(k, value).filter(|v| {
                    let ok = FAIL_ON.contains(&v.value.as_str());
                    if !ok {
                        let msg = format!(
                            "`fail-on` must be one of {}, not `{}`",
                            FAIL_ON.join(", "),
                            v.value
                        );
                        r.error("config::invalid", value.span().start, msg);
                    }
                    ok
                });
            }
            "severity" => s.severity = r.severities(value),
            other => {
                let msg = format!("unknown key `{other}` (known keys: {})", KEYS.join(", "));
                r.error("config::invalid", key.span().start, msg);
            }
        }
    }
    r.errors.sort_by_key(|d| (d.line, d.column));
    (s, r.errors)
}

impl Reader<'_> {
    fn error(&mut self, code: &str, offset: usize, message: String) {
        let (line, column) = position(self.text, offset);
        self.errors.push(Diagnostic {
            code: code.into(),
            path: self.shown.to_string(),
            line: Some(line),
            column: Some(column),
            message,
            help: Some("see docs/configuration.md".into()),
        });
    }

    fn setting<T>(&self, value: T, offset: usize) -> Setting<T> {
        let (line, column) = position(self.text, offset);
        Setting {
            value,
            line,
            column,
        }
    }

    fn string(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<Setting<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(self.setting(s.to_string(), v.span().start)),
            other => {
                let msg = format!("`{key}` must be a string, not {}", other.type_str());
                self.error("config::invalid", v.span().start, msg);
                None
            }
        }
    }

    fn strings(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<Vec<Setting<String>>> {
        let DeValue::Array(items) = v.get_ref() else {
            let msg = format!(
                "`{key}` must be a list of strings, not {}",
                v.get_ref().type_str()
            );
            self.error("config::invalid", v.span().start, msg);
            return None;
        };
        let before = self.errors.len();
        let out: Vec<Setting<String>> = items
            .iter()
            .filter_map(|item| self.string(key, item))
            .collect();
        (self.errors.len() == before).then_some(out)
    }

    fn boolean(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let msg = format!("`{key}` must be true or false, not {}", other.type_str());
                self.error("config::invalid", v.span().start, msg);
                None
            }
        }
    }

    /// A whole number, zero or more.
    fn count(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<usize> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .and_then(|n| usize::try_from(n).ok()),
            _ => None,
        };
        if parsed.is_none() {
            let msg = format!(
                "`{key}` must be a whole number, 0 or more, not {}",
                match v.get_ref() {
                    DeValue::Integer(i) => format!("`{}`", i.as_str()),
                    other => other.type_str().to_string(),
                }
            );
            self.error("config::invalid", v.span().start, msg);
        }
        parsed
    }

    /// `[severity]`: `TGC009 = "info"`.
    fn severities(&mut self, v: &Spanned<DeValue<'_>>) -> Vec<(Setting<String>, Severity)> {
        let DeValue::Table(table) = v.get_ref() else {
            let msg = "`severity` must be a table of rule = \"severity\"".to_string();
            self.error("config::invalid", v.span().start, msg);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (rule, sev) in table.iter() {
            let text = match sev.get_ref() {
                DeValue::String(s) => Severity::parse(s).ok_or_else(|| s.to_string()),
                other => Err(other.type_str().to_string()),
            };
            match text {
                Ok(severity) => out.push((
                    self.setting(rule.get_ref().to_string(), rule.span().start),
                    severity,
                )),
                Err(got) => {
                    let msg = format!(
                        "severity of `{}` must be one of critical, high, medium, low, info, not `{got}`",
                        rule.get_ref()
                    );
                    self.error("config::invalid", sev.span().start, msg);
                }
            }
        }
        out
    }

    fn path(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            let joined = self.base.join(path);
            let shown = crate::scan::discover::display(&joined);
            match tidy(&shown) {
                t if t.is_empty() => PathBuf::from("."),
                t => PathBuf::from(t),
            }
        }
    }

    fn paths(&self, v: Vec<Setting<String>>) -> Vec<PathBuf> {
        v.iter().map(|s| self.path(&s.value)).collect()
    }

    /// Exclude globs match paths as shown (relative to the working directory). A glob with a
    /// `/` is anchored at the file's directory, so it is rebased; one without (`*.bak`)
    /// matches at any depth, as in `.gitignore`, and is kept.
    fn globs(&self, v: Vec<Setting<String>>) -> Vec<String> {
        let base = crate::scan::discover::display(self.base);
        v.into_iter()
            .map(|s| {
                let g = s.value;
                let anchored = g.contains('/') && !g.starts_with("**") && !g.starts_with('/');
                if anchored && !base.is_empty() {
                    tidy(&format!("{base}/{g}"))
                } else {
                    g
                }
            })
            .collect()
    }
}

/// 1-based line and character column of a byte offset.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests;
