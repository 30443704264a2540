//! `trailguard.toml`: project settings for `scan` (rule selection, fail-on, severity overrides,
//! policy and data files, waivers, baseline, output format, excludes), found from the working
//! directory upward or named with `--config`. The command line wins over the file; paths in the
//! file are relative to its directory. A mistake in the file is a diagnostic with its line and
//! column, and stops the run (exit 2): scanning with half a configuration would mislead.
//! Reference: `docs/configuration.md`.

pub mod merge;
mod parse;
pub mod paths;

use crate::contract::{Diagnostic, Severity};
use paths::{normalize, relative};
use std::path::{Path, PathBuf};

/// The file name looked for in the working directory and its ancestors.
pub const CONFIG_FILE: &str = "trailguard.toml";

/// A value with the position it was written at (1-based line and character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

/// Everything a `trailguard.toml` can say; `None` = not set in the file. Paths are already
/// resolved against the file's directory (and shown relative to the working directory).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The file, as shown in diagnostics.
    pub path: String,
    pub select: Option<Vec<Setting<String>>>,
    pub ignore: Option<Vec<Setting<String>>>,
    /// `critical`, `high`, `medium`, `low`, `info` or `none` (checked).
    pub fail_on: Option<Setting<String>>,
    /// An output format name (checked by the command line's own list).
    pub format: Option<Setting<String>>,
    /// Globs; one containing `/` is rebased from the file's directory to the working directory.
    pub exclude: Option<Vec<String>>,
    pub policy_dirs: Option<Vec<PathBuf>>,
    pub data_files: Option<Vec<PathBuf>>,
    pub no_builtin: Option<bool>,
    pub waivers: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub no_ignores: Option<bool>,
    pub follow_links: Option<bool>,
    /// `max-findings-per-rule` (`--max-findings-per-rule`).
    pub max_findings_per_rule: Option<usize>,
    /// `[severity]`: rule id, name or alias → the severity its findings get.
    pub severity: Vec<(Setting<String>, Severity)>,
}

impl Settings {
    /// A diagnostic about a value of this file.
    pub fn error<T>(&self, at: &Setting<T>, message: String) -> Diagnostic {
        Diagnostic {
            code: "config::invalid".into(),
            path: self.path.clone(),
            line: Some(at.line),
            column: Some(at.column),
            message,
            help: Some("see docs/configuration.md".into()),
        }
    }
}

/// `trailguard.toml` in `start` or the nearest ancestor that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// Read and check a settings file: the settings (values with a problem left unset) and every
/// problem, each at its line and column. An unreadable file gives only the error.
pub fn load(file: &Path) -> Result<(Settings, Vec<Diagnostic>), Diagnostic> {
    let cwd = paths::cwd();
    let abs = normalize(&cwd.join(file));
    let shown = crate::scan::discover::display(&relative(&cwd, &abs));
    let text = std::fs::read_to_string(file).map_err(|e| Diagnostic {
        code: "config::read".into(),
        path: shown.clone(),
        line: None,
        column: None,
        message: format!("cannot read the configuration file: {e}"),
        help: None,
    })?;
    // Where relative paths in the file point, as seen from the working directory.
    let base = relative(&cwd, abs.parent().unwrap_or(Path::new("")));
    Ok(parse::parse(&shown, &text, &base))
}
