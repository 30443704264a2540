//! Combining `trailguard.toml` with the command line: a flag given on the command line replaces
//! the file's value for that key (lists are replaced, not merged; a `--select` replaces the
//! file's `select` and `ignore` both); switches (`no-builtin`, `no-ignores`, `follow-links`) are
//! on when either turns them on.

use super::{Settings, discover, load};
use crate::cli::{ConfigFileArgs, FailOn, OutputFormat, PolicyArgs, ScanArgs};
use crate::contract::Diagnostic;
use crate::policy::PolicySet;
use clap::ValueEnum;

/// The settings file `config` names or discovery finds (`Ok(None)`: none, or `--no-config`).
fn read(config: &ConfigFileArgs) -> Result<Option<(Settings, Vec<Diagnostic>)>, Diagnostic> {
    let file = if config.no_config {
        None
    } else if let Some(p) = &config.config {
        Some(p.clone())
    } else {
        std::env::current_dir().ok().and_then(|cwd| discover(&cwd))
    };
    file.map(|f| load(&f)).transpose()
}

/// The policy directories, parameter files and `no-builtin` the command line left unset.
fn fill_policies(s: &Settings, policies: &mut PolicyArgs) {
    if let (true, Some(v)) = (policies.policy.is_empty(), &s.policy_dirs) {
        policies.policy = v.clone();
    }
    if let (true, Some(v)) = (policies.data.is_empty(), &s.data_files) {
        policies.data = v.clone();
    }
    policies.no_builtin |= s.no_builtin == Some(true);
}

/// The settings file for `rules` and `explain`, which list what `scan` would load: only the
/// keys that choose policies are read from it (and, through [`apply_rules`], severities).
pub fn for_listing(
    config: &ConfigFileArgs,
    policies: &mut PolicyArgs,
) -> (Option<Settings>, Vec<Diagnostic>) {
    match read(config) {
        Ok(Some((s, errors))) => {
            fill_policies(&s, policies);
            (Some(s), errors)
        }
        Ok(None) => (None, Vec::new()),
        Err(d) => (None, vec![d]),
    }
}

/// Find and read the settings file for `scan` (`--config FILE`, or `trailguard.toml` from the
/// working directory upward unless `--no-config`) and fill in what the command line left
/// unset. Returns the settings (`None` when there is no file) and every problem in the file:
/// the caller stops the run if there is any, after [`apply_rules`] has added its own.
pub fn for_scan(args: &mut ScanArgs) -> (Option<Settings>, Vec<Diagnostic>) {
    let (s, mut errors) = match read(&args.settings.file) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return (None, Vec::new()),
        Err(d) => return (None, vec![d]),
    };
    let values = |v: &[super::Setting<String>]| v.iter().map(|x| x.value.clone()).collect();
    // A `--select` on the command line is the whole rule selection: the file's `ignore` must
    // not quietly take back a rule the user just asked for.
    let cli_selects = !args.target.select.is_empty();
    if let (false, Some(v)) = (cli_selects, &s.select) {
        args.target.select = values(v);
    }
    if let (true, false, Some(v)) = (args.target.ignore.is_empty(), cli_selects, &s.ignore) {
        args.target.ignore = values(v);
    }
    if let (true, Some(v)) = (args.target.exclude.is_empty(), &s.exclude) {
        args.target.exclude = v.clone();
    }
    fill_policies(&s, &mut args.policies);
    args.settings.no_ignores |= s.no_ignores == Some(true);
    args.target.follow_links |= s.follow_links == Some(true);
    args.max_findings_per_rule = args.max_findings_per_rule.or(s.max_findings_per_rule);
    if args.settings.waivers.is_none() {
        args.settings.waivers = s.waivers.clone();
    }
    // `--write-baseline` replaces the baseline for this run; it cannot be combined with one.
    if args.settings.baseline.is_none() && args.settings.write_baseline.is_none() {
        args.settings.baseline = s.baseline.clone();
    }
    if let Some(v) = &s.fail_on {
        // The value was checked while parsing; clap's names are the same words.
        let parsed = FailOn::from_str(&v.value, true).ok();
        args.fail_on = args.fail_on.or(parsed);
    }
    if let Some(v) = &s.format {
        match OutputFormat::from_str(&v.value, true) {
            Ok(f) => args.format = args.format.or(Some(f)),
            Err(_) => {
                let names: Vec<String> = OutputFormat::value_variants()
                    .iter()
                    .filter_map(|f| f.to_possible_value().map(|p| p.get_name().to_string()))
                    .collect();
                let msg = format!(
                    "`format` must be one of {}, not `{}`",
                    names.join(", "),
                    v.value
                );
                errors.push(s.error(v, msg));
            }
        }
    }
    (Some(s), errors)
}

/// Apply the settings that name rules: `[severity]` overrides change the rules' severity (so
/// findings, `--fail-on` and every report agree), and `select` / `ignore` / `[severity]` names
/// that match no loaded rule are errors at their position.
pub fn apply_rules(s: &Settings, set: &mut PolicySet) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let lists = [("select", &s.select), ("ignore", &s.ignore)];
    for (key, list) in lists {
        for token in list.iter().flatten() {
            let one = [token.value.clone()];
            if crate::scan::select::resolve(&set.rules, &one, &[]).is_err() {
                let msg = format!("unknown rule `{}` in `{key}`", token.value);
                errors.push(s.error(token, msg));
            }
        }
    }
    for (rule, severity) in &s.severity {
        let id = set.rule(&rule.value).map(|r| r.desc.id.clone());
        match id {
            Some(id) => set
                .rules
                .iter_mut()
                .filter(|r| r.desc.id == id)
                .for_each(|r| r.desc.severity = *severity),
            None => {
                let msg = format!("unknown rule `{}` in `[severity]`", rule.value);
                errors.push(s.error(rule, msg));
            }
        }
    }
    errors
}
