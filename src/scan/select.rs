//! `--select` / `--ignore`: rule ids, names, aliases or id prefixes (`TGC`), resolved against the
//! loaded rules. An unknown token is an error, never a silent no-op (Checkov's
//! `--check UNKNOWN` runs nothing and exits 0; we refuse).

use crate::contract::Diagnostic;
use crate::policy::Rule;
use std::collections::BTreeSet;

/// Ids of the rules the user asked for, or an error per unknown token.
pub fn resolve(
    rules: &[Rule],
    select: &[String],
    ignore: &[String],
) -> Result<BTreeSet<String>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut pick = |tokens: &[String], flag: &str| -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for token in tokens
            .iter()
            .flat_map(|t| t.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let matched: Vec<&Rule> = rules
                .iter()
                .filter(|r| {
                    let up = token.to_ascii_uppercase();
                    r.desc.id.eq_ignore_ascii_case(token)
                        || r.desc.name.eq_ignore_ascii_case(token)
                        || r.desc.aliases.iter().any(|a| a.eq_ignore_ascii_case(token))
                        || (r.desc.id.starts_with(&up)
                            && up.chars().all(|c| c.is_ascii_alphanumeric()))
                })
                .collect();
            if matched.is_empty() {
                errors.push(Diagnostic {
                    code: "cli::unknown-rule".into(),
                    path: flag.into(),
                    line: None,
                    column: None,
                    message: format!("unknown rule `{token}` in {flag}"),
                    help: Some("`trailguard rules` lists every rule id and name".into()),
                });
            }
            ids.extend(matched.iter().map(|r| r.desc.id.clone()));
        }
        ids
    };
    let selected = if select.is_empty() {
        rules.iter().map(|r| r.desc.id.clone()).collect()
    } else {
        pick(select, "--select")
    };
    let ignored = pick(ignore, "--ignore");
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(selected.difference(&ignored).cloned().collect())
}
