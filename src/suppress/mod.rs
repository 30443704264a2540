//! Exceptions to findings, applied after evaluation: inline suppressions (in the scanned file),
//! waivers (a separate file with owners and expiry dates) and the baseline (accepted findings
//! that are reported but do not fail the run).
//!
//! Auditors must see why something was not reported: a suppressed finding is moved, with the
//! suppression that covered it, to `ScanReport.suppressed`, never dropped; an exception without
//! a reason, for an unknown rule, or past its expiry date suppresses nothing and is reported as
//! an error (exit 2). See `docs/suppressions.md`.

pub mod baseline;
pub mod inline;
pub mod rules;
pub mod waivers;

pub use inline::{Bound, InlineSuppression};

use crate::contract::{BaselineState, Diagnostic, Finding, SuppressedFinding, Suppression};
use crate::policy::Rule;
use baseline::Baseline;
use chrono::NaiveDate;
use rules::RuleNames;
use std::collections::HashSet;
use std::path::PathBuf;
use waivers::{WaiverFile, diag};

/// Environment variable that fixes "today" (YYYY-MM-DD) for waiver expiry and baseline dates,
/// so tests and reproducible CI runs do not depend on the clock.
pub const TODAY_ENV: &str = "TRAILGUARD_TODAY";

/// What the command line and `trailguard.toml` ask for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--no-ignores`: inline suppressions are not applied (CI can forbid self-granted ones).
    pub no_ignores: bool,
    /// Waiver file; `None` = `.trailguard/waivers.yaml` from the working directory upward.
    pub waivers: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub write_baseline: Option<PathBuf>,
}

/// Everything needed to apply exceptions, loaded and checked before the scan.
#[derive(Debug, Clone)]
pub struct Exceptions {
    /// Apply inline suppressions.
    pub inline: bool,
    pub names: RuleNames,
    pub waivers: Option<WaiverFile>,
    pub baseline: Option<Baseline>,
    /// Where to write the baseline of this run, and that path as shown.
    pub write_baseline: Option<(PathBuf, String)>,
    pub today: NaiveDate,
}

impl Default for Exceptions {
    /// No exceptions at all, for library callers that set no options: every finding is
    /// reported. [`load`] builds them from a [`Request`] and the loaded rules (inline
    /// suppressions need the rule names to be checked).
    fn default() -> Self {
        Exceptions {
            inline: false,
            names: RuleNames::default(),
            waivers: None,
            baseline: None,
            write_baseline: None,
            today: system_today(),
        }
    }
}

/// Load the waiver file and baseline a request names. Problems are diagnostics (the scan still
/// runs, exits 2, and applies every exception that could be read).
pub fn load(req: &Request, rules: &[Rule]) -> (Exceptions, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let names = RuleNames::new(rules);
    let today = today().unwrap_or_else(|d| {
        errors.push(d);
        system_today()
    });
    let shown = crate::settings::paths::shown;
    let waiver_path = req.waivers.clone().or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| waivers::discover(&cwd))
    });
    let waivers = waiver_path.map(|p| {
        let (file, errs) = waivers::load(&p, &shown(&p), &names);
        errors.extend(errs);
        file
    });
    let baseline = req.baseline.as_ref().and_then(|p| {
        baseline::read(p, &shown(p))
            .map_err(|d| errors.push(d))
            .ok()
    });
    let ex = Exceptions {
        inline: !req.no_ignores,
        names,
        waivers,
        baseline,
        write_baseline: req.write_baseline.as_ref().map(|p| (p.clone(), shown(p))),
        today,
    };
    (ex, errors)
}

/// The date from [`TODAY_ENV`], or the system clock's UTC date.
pub fn today() -> Result<NaiveDate, Diagnostic> {
    match std::env::var(TODAY_ENV) {
        Ok(v) => waivers::date(v.trim()).ok_or_else(|| {
            diag(
                "cli::today",
                TODAY_ENV,
                None,
                format!("{TODAY_ENV} must be a date YYYY-MM-DD, not `{v}`"),
            )
        }),
        Err(_) => Ok(system_today()),
    }
}

fn system_today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// What [`apply`] must know about findings that were classified as they were produced and are
/// not in its list (event findings past the per-rule listing cap, `crate::scan::store`).
#[derive(Debug, Default, Clone)]
pub struct Unlisted {
    /// Per waiver (file order): unlisted findings an expired waiver would have suppressed.
    pub expired_hits: Vec<u64>,
    /// Baseline entries of unlisted reported findings (kept only with `--write-baseline`).
    pub baseline_entries: Vec<baseline::Entry>,
}

impl Exceptions {
    /// Whether an unexpired waiver suppresses `f`. Expired waivers that cover it are counted
    /// in `expired_hits` (indexed like the waiver file): their error says how many findings
    /// they would have suppressed. Same decision as [`apply`] makes for a finding without an
    /// inline suppression.
    pub fn waived(&self, f: &Finding, expired_hits: &mut Vec<u64>) -> bool {
        self.waiver_for(f, expired_hits).is_some()
    }

    /// The first unexpired waiver that covers `f`, as the suppression it records; expired
    /// waivers covering it are counted in `expired_hits` (indexed like the waiver file).
    fn waiver_for(&self, f: &Finding, expired_hits: &mut Vec<u64>) -> Option<Suppression> {
        let file = self.waivers.as_ref()?;
        let mut chosen = None;
        for (i, w) in file.waivers.iter().enumerate() {
            if !file.covers(w, f) {
                continue;
            }
            if w.expired(self.today) {
                if expired_hits.len() <= i {
                    expired_hits.resize(i + 1, 0);
                }
                expired_hits[i] += 1;
            } else if chosen.is_none() {
                chosen = Some(Suppression {
                    kind: "waiver".into(),
                    reason: w.reason.clone(),
                    owner: w.owner.clone(),
                    expires: w.expires.map(|d| d.format("%Y-%m-%d").to_string()),
                    source: format!("{}:{}", file.path, w.line),
                });
            }
        }
        chosen
    }

    /// Whether a reported finding is accepted by the baseline (or by the baseline this run
    /// writes), i.e. does not fail the run.
    /// Whether no finding needs classifying: no waivers, no baseline read or written. A
    /// finding past the listing cap then only counts, and need not even be made.
    pub fn none_to_apply(&self) -> bool {
        self.waivers.is_none() && self.baseline.is_none() && self.write_baseline.is_none()
    }

    pub fn in_baseline(&self, f: &Finding) -> bool {
        self.write_baseline.is_some()
            || self
                .baseline
                .as_ref()
                .is_some_and(|b| b.fingerprints.contains(&f.fingerprint))
    }
}

/// What applying exceptions did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings removed from the gate, in the order they had in `findings`.
    pub suppressed: Vec<SuppressedFinding>,
    pub errors: Vec<Diagnostic>,
}

/// An inline suppression that passed its checks.
struct Active {
    rule_id: String,
    targets: HashSet<String>,
    record: Suppression,
}

/// Apply exceptions to the findings of a scan: inline suppressions first (they sit next to the
/// code), then the first unexpired matching waiver; what remains gets its baseline state.
pub fn apply(
    ex: &Exceptions,
    mut inline: Vec<Bound>,
    findings: &mut Vec<Finding>,
    unlisted: &Unlisted,
) -> Applied {
    let mut applied = Applied::default();
    // Workers deliver documents in any order; the first matching suppression must not depend
    // on it (two suppressions of one finding with different reasons: the first in the file).
    inline.sort_by(|a, b| {
        let key = |s: &InlineSuppression| (s.path.clone(), s.line, s.column, s.rule.clone());
        key(&a.suppression).cmp(&key(&b.suppression))
    });
    let active: Vec<Active> = if ex.inline {
        inline
            .into_iter()
            .filter_map(|b| check_inline(ex, b, &mut applied.errors))
            .collect()
    } else {
        Vec::new()
    };
    let waiver_list = ex
        .waivers
        .as_ref()
        .map_or(&[][..], |w| w.waivers.as_slice());
    let mut expired_hits = vec![0u64; waiver_list.len()];
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        let by_inline = active
            .iter()
            .find(|a| *a.rule_id == *f.rule_id && a.targets.contains(&f.fingerprint))
            .map(|a| a.record.clone());
        let by_waiver = || ex.waiver_for(&f, &mut expired_hits);
        match by_inline.or_else(by_waiver) {
            Some(suppression) => applied.suppressed.push(SuppressedFinding {
                finding: f,
                suppression,
            }),
            None => kept.push(f),
        }
    }
    *findings = kept;
    if let Some(file) = &ex.waivers {
        for (i, (w, hits)) in waiver_list.iter().zip(&expired_hits).enumerate() {
            if w.expired(ex.today) {
                let more = unlisted.expired_hits.get(i).copied().unwrap_or(0);
                applied.errors.push(expired(file, w, *hits + more));
            }
        }
    }
    mark_baseline(
        ex,
        findings,
        &unlisted.baseline_entries,
        &mut applied.errors,
    );
    applied
}

fn check_inline(ex: &Exceptions, b: Bound, errors: &mut Vec<Diagnostic>) -> Option<Active> {
    let s = b.suppression;
    let at = Some((s.line, s.column));
    if let Some(problem) = &s.invalid {
        errors.push(diag("suppress::invalid", &s.path, at, problem.clone()));
        return None;
    }
    let rule_id = ex.names.resolve(&s.rule).map(str::to_string);
    if rule_id.is_none() {
        let mut d = diag(
            "suppress::unknown-rule",
            &s.path,
            at,
            format!(
                "suppression names unknown rule `{}`; it suppresses nothing",
                s.rule
            ),
        );
        d.help = Some("use a rule id, name or alias from `trailguard rules`".into());
        errors.push(d);
    }
    if s.reason.is_empty() {
        let mut d = diag(
            "suppress::missing-reason",
            &s.path,
            at,
            format!(
                "suppression of `{}` on `{}` has no reason; it suppresses nothing",
                s.rule, s.resource
            ),
        );
        d.help = Some("say why the finding is acceptable: `reason: ...` in CloudFormation Metadata, or the text after the rule id in a `# trailguard:ignore` comment".into());
        errors.push(d);
    }
    Some(Active {
        rule_id: rule_id.filter(|_| !s.reason.is_empty())?,
        targets: b.targets.into_iter().collect(),
        record: Suppression {
            kind: "inline".into(),
            reason: s.reason,
            owner: None,
            expires: None,
            source: format!("{}:{}", s.path, s.line),
        },
    })
}

fn expired(file: &WaiverFile, w: &waivers::Waiver, hits: u64) -> Diagnostic {
    let day = w
        .expires
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let owner = w
        .owner
        .as_ref()
        .map(|o| format!(" (owner: {o})"))
        .unwrap_or_default();
    let matched = match hits {
        0 => "it matches no finding".to_string(),
        1 => "the 1 finding it matches is reported".to_string(),
        n => format!("the {n} findings it matches are reported"),
    };
    let mut d = diag(
        "waiver::expired",
        &file.path,
        Some((w.line, w.column)),
        format!(
            "waiver for `{}`{owner} expired on {day}; it no longer suppresses: {matched}",
            w.rule
        ),
    );
    d.help = Some("review the exception: renew it with a later `expires`, or remove it".into());
    d
}

fn mark_baseline(
    ex: &Exceptions,
    findings: &mut [Finding],
    unlisted: &[baseline::Entry],
    errors: &mut Vec<Diagnostic>,
) {
    if let Some((path, shown)) = &ex.write_baseline {
        // Writing a baseline accepts every current finding: this run gates on nothing new.
        match baseline::write(path, shown, findings, unlisted, ex.today) {
            Ok(()) => findings
                .iter_mut()
                .for_each(|f| f.baseline_state = Some(BaselineState::Unchanged)),
            Err(d) => errors.push(d),
        }
    } else if let Some(b) = &ex.baseline {
        for f in findings.iter_mut() {
            f.baseline_state = Some(if b.fingerprints.contains(&f.fingerprint) {
                BaselineState::Unchanged
            } else {
                BaselineState::New
            });
        }
    }
}

#[cfg(test)]
mod tests;
