//! The policy layer: loads Rego files (built-in pack and user directories), reads their METADATA,
//! validates them, and prepares one regorus engine that workers clone.
//!
//! Nothing about an individual rule lives in Rust: a rule is its `.rego` file, its tests and its
//! examples. This module only knows the contract (a `deny` set under the rule's package).

pub mod aggregate;
pub mod catalog;
pub mod deny;
pub mod eval;
pub mod memory;
pub mod metadata;
pub mod recursion;
pub mod testing;

use crate::contract::{Diagnostic, RuleDescriptor};
use catalog::Catalogs;
use metadata::PolicyFile;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));
}
pub use embedded::BUILTIN_FILES;

/// Prefix of built-in policy paths in diagnostics and descriptors.
pub const BUILTIN_PREFIX: &str = "builtin:";

/// A loaded rule: its descriptor plus what evaluation needs.
#[derive(Debug, Clone)]
pub struct Rule {
    pub desc: RuleDescriptor,
    /// `data.<package>.deny`
    pub entry: String,
    /// Raw text of `<name>.examples.yaml`, when present.
    pub examples: Option<String>,
}

/// Where to load policies from.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub builtin: bool,
    pub dirs: Vec<PathBuf>,
    pub data_files: Vec<PathBuf>,
    /// Load `*_test.rego` files too (for `trailguard test`).
    pub include_tests: bool,
}

/// Every policy file, validated, in one prepared engine.
pub struct PolicySet {
    pub rules: Vec<Rule>,
    pub files: Vec<PolicyFile>,
    pub catalogs: Catalogs,
    /// The merged parameters, as policies see them under `data.trailguard.params`.
    pub params: Value,
    pub engine: regorus::Engine,
    /// Source text by path, for diagnostics.
    pub sources: BTreeMap<String, String>,
}

impl PolicySet {
    pub fn rule(&self, id_or_name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| {
            r.desc.id.eq_ignore_ascii_case(id_or_name)
                || r.desc.name == id_or_name
                || r.desc
                    .aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(id_or_name))
        })
    }

    pub fn descriptors(&self) -> Vec<RuleDescriptor> {
        self.rules.iter().map(|r| r.desc.clone()).collect()
    }
}

struct RawFile {
    path: String,
    text: String,
    builtin: bool,
}

fn diag(code: &str, path: &str, line: Option<u32>, message: String) -> Diagnostic {
    Diagnostic {
        code: code.into(),
        path: path.into(),
        line,
        column: line.map(|_| 1),
        message,
        help: None,
    }
}

/// Collect policy, example and catalog files under `dir` (sorted, deterministic).
fn read_dir_files(dir: &Path, out: &mut Vec<RawFile>, errors: &mut Vec<Diagnostic>) {
    let shown = dir.display().to_string();
    if !dir.exists() {
        errors.push(diag(
            "policy::io",
            &shown,
            None,
            "policy directory does not exist".into(),
        ));
        return;
    }
    let mut paths = Vec::new();
    if dir.is_file() {
        paths.push(dir.to_path_buf());
    } else {
        for entry in ignore::WalkBuilder::new(dir)
            .hidden(true)
            .follow_links(false)
            .build()
        {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => paths.push(e.into_path()),
                Ok(_) => {}
                Err(e) => errors.push(diag(
                    "policy::io",
                    &shown,
                    None,
                    format!("cannot walk policy directory: {e}"),
                )),
            }
        }
    }
    paths.sort();
    for p in paths {
        let name = p.to_string_lossy().to_string();
        let wanted =
            name.ends_with(".rego") || name.ends_with(".examples.yaml") || is_catalog_path(&name);
        if !wanted {
            continue;
        }
        match std::fs::read_to_string(&p) {
            Ok(text) => out.push(RawFile {
                path: name,
                text,
                builtin: false,
            }),
            Err(e) => errors.push(diag(
                "policy::io",
                &name,
                None,
                format!("cannot read policy file: {e}"),
            )),
        }
    }
}

/// Files the loader reads: Rego, rule examples, and catalogs (other files under `policies/`,
/// such as documentation examples, are ignored).
fn is_policy_file(path: &str) -> bool {
    path.ends_with(".rego") || path.ends_with(".examples.yaml") || is_catalog_path(path)
}

fn is_catalog_path(path: &str) -> bool {
    path.contains("catalogs/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

/// Turn a regorus error (`--> file:line:col` … `error: msg`) into a diagnostic.
pub fn regorus_diag(code: &str, fallback_path: &str, err: &str) -> Diagnostic {
    let mut path = fallback_path.to_string();
    let mut line = None;
    let mut column = None;
    for l in err.lines() {
        if let Some(loc) = l.trim().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let ln = parts.next().and_then(|c| c.parse().ok());
            if let (Some(c), Some(ln), Some(p)) = (col, ln, parts.next()) {
                path = p.to_string();
                line = Some(ln);
                column = Some(c);
            }
            break;
        }
    }
    let message = err
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or_else(|| err.lines().next().unwrap_or("policy error"))
        .to_string();
    Diagnostic {
        code: code.into(),
        path,
        line,
        column,
        message,
        help: None,
    }
}

/// Load and validate policies. Errors in one file do not stop the others from loading.
pub fn load(opts: &LoadOptions) -> (PolicySet, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut raw = Vec::new();
    for dir in &opts.dirs {
        read_dir_files(dir, &mut raw, &mut errors);
    }
    if opts.builtin {
        for (path, text) in BUILTIN_FILES.iter().filter(|(p, _)| is_policy_file(p)) {
            raw.push(RawFile {
                path: format!("{BUILTIN_PREFIX}{path}"),
                text: text.to_string(),
                builtin: true,
            });
        }
    } else {
        // User policies may build on the built-in helper library even without the pack.
        let user_defines_lib = raw.iter().any(|f| {
            f.text
                .lines()
                .any(|l| l.trim_start().starts_with("package trailguard.lib"))
        });
        if !user_defines_lib {
            for (path, text) in BUILTIN_FILES
                .iter()
                .filter(|(p, _)| p.starts_with("policies/lib/") && p.ends_with(".rego"))
            {
                raw.push(RawFile {
                    path: format!("{BUILTIN_PREFIX}{path}"),
                    text: text.to_string(),
                    builtin: true,
                });
            }
        }
        for (path, text) in BUILTIN_FILES.iter().filter(|(p, _)| is_catalog_path(p)) {
            raw.push(RawFile {
                path: format!("{BUILTIN_PREFIX}{path}"),
                text: text.to_string(),
                builtin: true,
            });
        }
    }

    // Built-in files first: the first file to claim a rule id keeps it, so a user policy can
    // never displace a built-in rule (it gets the duplicate-id error instead).
    raw.sort_by_key(|f| !f.builtin);

    let mut catalogs = Catalogs::default();
    let mut examples: BTreeMap<String, String> = BTreeMap::new();
    let mut files = Vec::new();
    let mut sources = BTreeMap::new();
    let mut engine = new_engine();
    let mut builtin_of: BTreeMap<String, bool> = BTreeMap::new();
    let mut builtin_packages: BTreeSet<String> = BTreeSet::new();
    for f in raw {
        if is_catalog_path(&f.path) {
            if let Err(d) = catalogs.add(&f.path, &f.text) {
                errors.push(d);
            }
            continue;
        }
        if let Some(stem) = f.path.strip_suffix(".examples.yaml") {
            examples.insert(format!("{stem}.rego"), f.text);
            continue;
        }
        let is_test = f.path.ends_with("_test.rego");
        if is_test && !opts.include_tests {
            continue;
        }
        let parsed = match metadata::extract(&f.path, &f.text) {
            Ok(p) => p,
            Err(mut e) => {
                errors.append(&mut e);
                sources.insert(f.path.clone(), f.text);
                continue;
            }
        };
        // A user file in a built-in package would merge its rules into the built-in rule's
        // `deny` set (findings under the built-in id) or redefine its helpers.
        if !f.builtin && builtin_packages.contains(&parsed.package) {
            errors.push(diag(
                "policy::package-conflict",
                &f.path,
                None,
                format!(
                    "package `{}` belongs to the built-in pack; give the policy its own package",
                    parsed.package
                ),
            ));
            sources.insert(f.path.clone(), f.text);
            continue;
        }
        if let Err(e) = engine.add_policy(f.path.clone(), f.text.clone()) {
            errors.push(regorus_diag("policy::syntax", &f.path, &e.to_string()));
            sources.insert(f.path.clone(), f.text);
            continue;
        }
        builtin_of.insert(f.path.clone(), f.builtin);
        if f.builtin {
            builtin_packages.insert(parsed.package.clone());
        }
        sources.insert(f.path.clone(), f.text);
        files.push(parsed);
    }
    reject_recursion(&mut engine, &mut files, &sources, &mut errors);

    // Rules from METADATA; ids unique (a user policy cannot shadow a built-in id).
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut params = serde_json::Map::new();
    for f in &files {
        let Some(m) = &f.metadata else { continue };
        let builtin = builtin_of.get(&f.path).copied().unwrap_or(false);
        let mut ok = true;
        for key in std::iter::once(&m.id)
            .chain(m.aliases.iter())
            .chain(std::iter::once(&m.name))
        {
            if let Some(other) = seen.get(&key.to_ascii_uppercase()) {
                errors.push(diag(
                    "policy::duplicate-id",
                    &f.path,
                    Some(m.line),
                    format!("rule id or name `{key}` is already used by {other}"),
                ));
                ok = false;
            }
        }
        for (fw, ids) in &m.frameworks {
            for id in ids {
                if let Some(why) = catalogs.check(fw, id) {
                    errors.push(diag(
                        "policy::control",
                        &f.path,
                        Some(m.line),
                        format!("rule {}: {why}", m.id),
                    ));
                    ok = false;
                }
            }
        }
        for (k, v) in &m.params {
            params.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if !ok {
            continue;
        }
        for key in std::iter::once(&m.id)
            .chain(m.aliases.iter())
            .chain(std::iter::once(&m.name))
        {
            seen.insert(key.to_ascii_uppercase(), f.path.clone());
        }
        rules.push(Rule {
            desc: RuleDescriptor {
                id: m.id.clone(),
                name: m.name.clone(),
                title: m.title.clone(),
                description: m.description.clone(),
                severity: m.severity,
                kind: m.kind,
                remediation: m.remediation.clone(),
                compliance: m.frameworks.clone(),
                applies_to: m.applies_to.clone(),
                selector: m.selector.clone(),
                requires_params: m.requires_params.clone(),
                memoize: m.memoize,
                condition: m.condition.clone(),
                window: m.window.clone(),
                aliases: m.aliases.clone(),
                package: format!("data.{}", f.package),
                source: f.path.clone(),
                related_resources: m.related_resources.clone(),
                builtin,
            },
            entry: format!("data.{}.deny", f.package),
            examples: examples.get(&f.path).cloned(),
        });
    }
    rules.sort_by(|a, b| a.desc.id.cmp(&b.desc.id));

    // Parameters: METADATA defaults, then `--data` files (later files win).
    let known: BTreeSet<String> = params.keys().cloned().collect();
    for path in &opts.data_files {
        match read_data_file(path) {
            Ok(v) => {
                let shown = path.display().to_string();
                match v.pointer("/trailguard/params") {
                    Some(Value::Object(user)) => {
                        for (k, val) in user {
                            if !known.contains(k) {
                                errors.push(Diagnostic {
                                    code: "data::unknown-param".into(),
                                    path: shown.clone(),
                                    line: None,
                                    column: None,
                                    message: format!("unknown parameter `{k}`"),
                                    help: Some(format!(
                                        "known parameters: {}",
                                        known.iter().cloned().collect::<Vec<_>>().join(", ")
                                    )),
                                });
                            } else {
                                params.insert(k.clone(), val.clone());
                            }
                        }
                    }
                    Some(_) => errors.push(diag(
                        "data::shape",
                        &shown,
                        None,
                        "`trailguard.params` must be a mapping".into(),
                    )),
                    None => errors.push(Diagnostic {
                        code: "data::shape".into(),
                        path: shown,
                        line: None,
                        column: None,
                        message: "data file has no `trailguard.params` mapping".into(),
                        help: Some(
                            "parameters go under `trailguard: {params: {name: value}}`".into(),
                        ),
                    }),
                }
            }
            Err(d) => errors.push(d),
        }
    }
    errors.extend(metadata::check_windows(&rules, &params));
    for r in &rules {
        for p in &r.desc.requires_params {
            if !params.contains_key(p) {
                errors.push(diag(
                    "policy::metadata",
                    &r.desc.source,
                    None,
                    format!("rule {}: `requires_params` names `{p}`, which no rule declares under `custom.params`", r.desc.id),
                ));
            }
        }
    }
    let params = Value::Object(params);
    let data = serde_json::json!({"trailguard": {"params": params}});
    match regorus::Value::from_json_str(&data.to_string()) {
        Ok(v) => {
            if let Err(e) = engine.add_data(v) {
                errors.push(diag(
                    "data::merge",
                    "--data",
                    None,
                    format!("cannot add parameters: {e}"),
                ));
            }
        }
        Err(e) => errors.push(diag(
            "data::merge",
            "--data",
            None,
            format!("cannot convert parameters: {e}"),
        )),
    }
    (
        PolicySet {
            rules,
            files,
            catalogs,
            params,
            engine,
            sources,
        },
        errors,
    )
}

/// The engine every policy set starts from.
fn new_engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    // Scanning must not abort a document's other rules on one bad builtin call (see
    // reference/regorus.md §4): a failing body is simply undefined, as in OPA.
    engine.set_strict_builtin_errors(false);
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: EVAL_TIME_LIMIT,
        check_interval: std::num::NonZeroU32::new(1000).expect("nonzero"),
    });
    engine
}

/// Per-evaluation time limit of the interpreter (one rule on one document or record): stops a
/// looping or exploding policy with an error naming the rule, and the scan goes on.
pub const EVAL_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Drop the files that define recursive functions (see [`recursion`]): they would crash the
/// process when evaluated. regorus cannot remove a policy, so the engine is rebuilt without them.
fn reject_recursion(
    engine: &mut regorus::Engine,
    files: &mut Vec<PolicyFile>,
    sources: &BTreeMap<String, String>,
    errors: &mut Vec<Diagnostic>,
) {
    let cycles = recursion::find(engine.get_modules());
    if cycles.is_empty() {
        return;
    }
    let mut bad = BTreeSet::new();
    for c in &cycles {
        let names: Vec<&str> = c
            .path
            .iter()
            .map(|p| p.trim_start_matches("data."))
            .collect();
        errors.push(Diagnostic {
            code: "policy::recursion".into(),
            path: c.file.clone(),
            line: Some(c.line),
            column: Some(1),
            message: format!("recursive function call: {}", names.join(" -> ")),
            help: Some("Rego does not allow recursion (OPA rejects it too); rewrite the function with a comprehension or `walk`".into()),
        });
        bad.insert(c.file.clone());
    }
    files.retain(|f| !bad.contains(&f.path));
    let mut fresh = new_engine();
    for f in files.iter() {
        if let Some(text) = sources.get(&f.path) {
            // Already accepted once by the same parser: cannot fail now.
            let _ = fresh.add_policy(f.path.clone(), text.clone());
        }
    }
    *engine = fresh;
}

/// Read a `--data` file (JSON or YAML).
fn read_data_file(path: &Path) -> Result<Value, Diagnostic> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        diag(
            "data::io",
            &shown,
            None,
            format!("cannot read data file: {e}"),
        )
    })?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        serde_json::from_str(&text).map_err(|e| Diagnostic {
            code: "data::parse".into(),
            path: shown,
            line: Some(e.line() as u32),
            column: Some(e.column() as u32),
            message: format!("invalid JSON: {e}"),
            help: None,
        })
    } else {
        yaml_serde::from_str(&text).map_err(|e| Diagnostic {
            code: "data::parse".into(),
            path: shown,
            line: e.location().map(|l| l.line() as u32),
            column: e.location().map(|l| l.column() as u32),
            message: format!("invalid YAML: {e}"),
            help: None,
        })
    }
}
