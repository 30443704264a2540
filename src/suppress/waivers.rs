//! The waiver file (`.trailguard/waivers.yaml`): exceptions granted outside the scanned code,
//! each with a reason, optionally an owner and an expiry date, matched by rule, resource and
//! path globs. Read strictly: a mistake is a diagnostic at its line, never a silent no-op.

use super::rules::RuleNames;
use crate::contract::{Diagnostic, Finding};
use crate::settings::paths::normalize;
use crate::syntax::{Node, NodeKind, Span};
use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where waivers are looked for, from the working directory upward.
pub const WAIVERS_FILE: &str = ".trailguard/waivers.yaml";

const KEYS: &[&str] = &["rule", "resource", "path", "reason", "owner", "expires"];

/// One valid waiver entry.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The `rule` value as written (id, name, alias or glob).
    pub rule: String,
    rule_ids: BTreeSet<String>,
    resource: Option<GlobMatcher>,
    path: Option<GlobMatcher>,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<NaiveDate>,
    /// Position of the entry in the waiver file.
    pub line: u32,
    pub column: u32,
}

/// A loaded waiver file.
#[derive(Debug, Clone, Default)]
pub struct WaiverFile {
    /// The file as shown in reports.
    pub path: String,
    /// Directory that `path` globs are also matched relative to: the project root (parent of
    /// `.trailguard/`), or the file's own directory.
    base: PathBuf,
    /// Working directory, to place the report's relative paths.
    cwd: PathBuf,
    pub waivers: Vec<Waiver>,
}

impl WaiverFile {
    /// Whether waiver `w` (of this file) covers finding `f`, expired or not.
    pub fn covers(&self, w: &Waiver, f: &Finding) -> bool {
        w.rule_ids.contains(&*f.rule_id)
            && w.resource.as_ref().is_none_or(|g| g.is_match(&f.resource))
            && w.path.as_ref().is_none_or(|g| {
                g.is_match(&*f.location.path)
                    || self
                        .relative(&f.location.path)
                        .is_some_and(|r| g.is_match(r))
            })
    }

    /// A file with the given entries, rooted at the working directory (tests).
    #[cfg(test)]
    pub(super) fn for_tests(path: &str, waivers: Vec<Waiver>) -> WaiverFile {
        WaiverFile {
            path: path.to_string(),
            base: PathBuf::from("/project"),
            cwd: PathBuf::from("/project"),
            waivers,
        }
    }

    /// The finding's path relative to the project root, when it lies under it.
    fn relative(&self, shown: &str) -> Option<String> {
        let abs = normalize(&self.cwd.join(shown));
        let rel = abs.strip_prefix(&self.base).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }
}

impl Waiver {
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|d| d < today)
    }
}

/// `.trailguard/waivers.yaml` in `start` or the nearest ancestor that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(WAIVERS_FILE))
        .find(|p| p.is_file())
}

/// Read and check a waiver file. Entries with a mistake are reported and left out; the others
/// apply. `shown` is the path as reports show it.
pub fn load(file: &Path, shown: &str, names: &RuleNames) -> (WaiverFile, Vec<Diagnostic>) {
    let cwd = crate::settings::paths::cwd();
    let abs = normalize(&cwd.join(file));
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = match dir.file_name() {
        Some(n) if n == ".trailguard" => dir.parent().map(Path::to_path_buf).unwrap_or(dir),
        _ => dir,
    };
    let mut out = WaiverFile {
        path: shown.to_string(),
        base,
        cwd,
        waivers: Vec::new(),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            let d = diag(
                "waiver::read",
                shown,
                None,
                format!("cannot read the waiver file: {e}"),
            );
            return (out, vec![d]);
        }
    };
    let (waivers, errors) = parse(shown, &text, names);
    out.waivers = waivers;
    (out, errors)
}

/// Parse waiver-file text: `{waivers: [{rule, resource?, path?, reason, owner?, expires?}]}`.
pub fn parse(shown: &str, text: &str, names: &RuleNames) -> (Vec<Waiver>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let root = match crate::syntax::yaml::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let d = diag(
                "waiver::parse",
                shown,
                Some((e.line, e.column)),
                format!("invalid YAML: {}", e.message),
            );
            return (Vec::new(), vec![d]);
        }
    };
    if matches!(root.kind, NodeKind::Null) {
        return (Vec::new(), errors);
    }
    let mut err = |span: Span, message: String| {
        errors.push(diag(
            "waiver::invalid",
            shown,
            Some((span.line, span.column)),
            message,
        ));
    };
    if !root.is_map() {
        err(
            root.span,
            "a waiver file is a mapping with a `waivers` list".into(),
        );
        return (Vec::new(), errors);
    }
    for (k, _) in root.entries().iter().filter(|(k, _)| k.name != "waivers") {
        err(
            k.span,
            format!("unknown key `{}` (expected `waivers`)", k.name),
        );
    }
    let Some(list) = root.get("waivers") else {
        return (Vec::new(), errors);
    };
    if !list.is_seq() && !matches!(list.kind, NodeKind::Null) {
        err(list.span, "`waivers` must be a list of entries".into());
        return (Vec::new(), errors);
    }
    let waivers = list
        .items()
        .iter()
        .filter_map(|item| entry(item, names, &mut err))
        .collect();
    errors.sort_by_key(|d| (d.line, d.column));
    (waivers, errors)
}

/// One entry; `None` (after reporting why) when it cannot be used.
fn entry(item: &Node, names: &RuleNames, err: &mut impl FnMut(Span, String)) -> Option<Waiver> {
    if !item.is_map() {
        err(
            item.span,
            "a waiver is a mapping with at least `rule` and `reason`".into(),
        );
        return None;
    }
    let mut problems = 0usize;
    let mut fail = |span: Span, message: String| {
        problems += 1;
        err(span, message);
    };
    for (k, _) in item
        .entries()
        .iter()
        .filter(|(k, _)| !KEYS.contains(&k.name.as_str()))
    {
        fail(
            k.span,
            format!(
                "unknown key `{}` in a waiver (expected one of: {})",
                k.name,
                KEYS.join(", ")
            ),
        );
    }
    let mut text = |key: &str| -> Option<(String, Span)> {
        let v = item.get(key)?;
        match &v.kind {
            NodeKind::String(s) if !s.trim().is_empty() => Some((s.trim().to_string(), v.span)),
            NodeKind::Null | NodeKind::String(_) => None,
            _ => {
                fail(v.span, format!("`{key}` must be a string"));
                None
            }
        }
    };
    let rule = text("rule");
    let resource = text("resource");
    let path = text("path");
    let reason = text("reason");
    let owner = text("owner");
    let expires = text("expires");
    let mut w = Waiver {
        rule: String::new(),
        rule_ids: BTreeSet::new(),
        resource: None,
        path: None,
        reason: String::new(),
        owner: owner.map(|(o, _)| o),
        expires: None,
        line: item.span.line,
        column: item.span.column,
    };
    match rule {
        None => fail(
            item.span,
            "the waiver has no `rule` (a rule id, name or glob such as `TGC01*`)".into(),
        ),
        Some((r, span)) => match glob(&r, true) {
            Err(e) => fail(span, format!("invalid rule glob `{r}`: {e}")),
            Ok(g) => {
                w.rule_ids = names.matching(&g);
                if w.rule_ids.is_empty() {
                    fail(
                        span,
                        format!("`{r}` matches no known rule (`trailguard rules` lists them)"),
                    );
                }
                w.rule = r;
            }
        },
    }
    for (value, slot, key) in [
        (resource, &mut w.resource, "resource"),
        (path, &mut w.path, "path"),
    ] {
        if let Some((g, span)) = value {
            match glob(&g, false) {
                Ok(m) => *slot = Some(m),
                Err(e) => fail(span, format!("invalid {key} glob `{g}`: {e}")),
            }
        }
    }
    match reason {
        Some((r, _)) => w.reason = r,
        None => fail(
            item.span,
            "the waiver has no `reason`: every exception must say why it is acceptable".into(),
        ),
    }
    if let Some((d, span)) = expires {
        match date(&d) {
            Some(day) => w.expires = Some(day),
            None => fail(
                span,
                format!("`expires` must be a date YYYY-MM-DD, not `{d}`"),
            ),
        }
    }
    (problems == 0).then_some(w)
}

/// A compiled glob, or what is wrong with it (without globset's repetition of the glob).
fn glob(text: &str, case_insensitive: bool) -> Result<GlobMatcher, String> {
    GlobBuilder::new(text)
        .case_insensitive(case_insensitive)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

/// A calendar date written exactly `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

pub(super) fn diag(code: &str, path: &str, at: Option<(u32, u32)>, message: String) -> Diagnostic {
    Diagnostic {
        code: code.into(),
        path: path.into(),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        message,
        help: None,
    }
}
