//! Turns command-line paths into scan inputs: single files, Terraform module directories,
//! live-export directories, and stdin.
//!
//! Directory walks respect `.gitignore`, skip hidden directories (e.g. `.terraform/`, whose
//! downloaded modules are not the user's code) and never follow symlinks out of the tree.

use crate::contract::{Diagnostic, Skipped};
use globset::GlobSet;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One unit of scanning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file whose kind is decided by its content.
    File(PathBuf),
    /// The `.tf` files of one directory, read together (references cross files).
    TerraformModule { dir: PathBuf, files: Vec<PathBuf> },
    /// A directory holding `describe-trails.json` and related exports.
    LiveExport { dir: PathBuf, files: Vec<PathBuf> },
}

/// Extensions considered when walking a directory. Files named explicitly are always read.
const WALK_EXTENSIONS: &[&str] = &[
    "json", "yaml", "yml", "template", "tf", "gz", "jsonl", "ndjson",
];

#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub errors: Vec<Diagnostic>,
    pub skipped: Vec<Skipped>,
}

fn ext_of(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// Path as shown to the user: as given, with `/` separators.
pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

pub fn discover(paths: &[PathBuf], exclude: &GlobSet, follow_links: bool) -> Discovered {
    let mut out = Discovered::default();
    let mut files: Vec<(PathBuf, bool)> = Vec::new(); // (path, named explicitly)
    for p in paths {
        if p.as_os_str() == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Diagnostic {
                    code: "input::io".into(),
                    path: display(p),
                    line: None,
                    column: None,
                    message: format!("cannot read path: {e}"),
                    help: None,
                });
                continue;
            }
        };
        if meta.is_file() {
            files.push((p.clone(), true));
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .follow_links(follow_links)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .sort_by_file_path(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    // Not followed: it may lead out of the tree being scanned (or into a loop).
                    // Listed as skipped so the user sees what was left out and why.
                    if !follow_links && e.path_is_symlink() {
                        out.skipped.push(Skipped {
                            path: display(e.path()),
                            reason: "symbolic link not followed (pass --follow-links to follow \
                                     links)"
                                .into(),
                        });
                        continue;
                    }
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let path = e.into_path();
                        if WALK_EXTENSIONS.contains(&ext_of(&path)) {
                            files.push((path, false));
                        }
                    }
                }
                Err(err) => out.errors.push(walk_error(p, &err)),
            }
        }
    }
    files.retain(|(f, _)| !exclude.is_match(f) && !exclude.is_match(display(f)));
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);

    // Live-export directories: everything JSON directly inside a dir with describe-trails.json.
    let live_dirs: Vec<PathBuf> = files
        .iter()
        .filter(|(f, _)| f.file_name().is_some_and(|n| n == "describe-trails.json"))
        .filter_map(|(f, _)| f.parent().map(Path::to_path_buf))
        .collect();
    let mut live: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut tf: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (f, _explicit) in files {
        let parent = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if live_dirs.contains(&parent) && crate::adapters::live::is_export_file(&name) {
            live.entry(parent).or_default().push(f);
        } else if ext_of(&f) == "tf" {
            tf.entry(parent).or_default().push(f);
        } else {
            out.inputs.push(Input::File(f));
        }
    }
    for (dir, files) in live {
        out.inputs.push(Input::LiveExport { dir, files });
    }
    for (dir, files) in tf {
        out.inputs.push(Input::TerraformModule { dir, files });
    }
    out.inputs.sort();
    out
}

fn walk_error(root: &Path, err: &ignore::Error) -> Diagnostic {
    // `ignore` wraps the cause in depth/path/line context: name the innermost path and, for a
    // loop, the link that closes it (not the root the walk started from).
    let mut path = display(root);
    let mut inner = err;
    let message = loop {
        match inner {
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err;
            }
            ignore::Error::WithPath { path: p, err } => {
                path = display(p);
                inner = err;
            }
            ignore::Error::Loop { ancestor, child } => {
                path = display(child);
                break format!(
                    "symlink loop: {} points to its ancestor {}",
                    display(child),
                    display(ancestor)
                );
            }
            other => break format!("cannot walk directory: {other}"),
        }
    };
    Diagnostic {
        code: "input::walk".into(),
        path,
        line: None,
        column: None,
        message,
        help: None,
    }
}

/// Build the `--exclude` glob set.
pub fn exclude_set(globs: &[String]) -> Result<GlobSet, Diagnostic> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::Glob::new(g).map_err(|e| Diagnostic {
            code: "cli::glob".into(),
            path: "--exclude".into(),
            line: None,
            column: None,
            message: format!("invalid glob `{g}`: {e}"),
            help: None,
        })?;
        b.add(glob);
    }
    b.build().map_err(|e| Diagnostic {
        code: "cli::glob".into(),
        path: "--exclude".into(),
        line: None,
        column: None,
        message: format!("invalid exclude globs: {e}"),
        help: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_terraform_and_live_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("tf")).unwrap();
        std::fs::create_dir_all(root.join("live")).unwrap();
        std::fs::create_dir_all(root.join(".terraform/modules")).unwrap();
        for f in [
            "tf/main.tf",
            "tf/vars.tf",
            "live/describe-trails.json",
            "live/get-trail-status.main.json",
            "a.yaml",
            "README.md",
            ".terraform/modules/x.tf",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let d = discover(&[root.to_path_buf()], &GlobSet::empty(), false);
        assert!(d.errors.is_empty());
        assert_eq!(d.inputs.len(), 3, "{:?}", d.inputs);
        assert!(matches!(&d.inputs[0], Input::File(p) if p.ends_with("a.yaml")));
        assert!(matches!(&d.inputs[1], Input::TerraformModule { files, .. } if files.len() == 2));
        assert!(matches!(&d.inputs[2], Input::LiveExport { files, .. } if files.len() == 2));
    }

    #[test]
    fn missing_path_is_an_error() {
        let d = discover(
            &[PathBuf::from("/nonexistent/trailguard")],
            &GlobSet::empty(),
            false,
        );
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.errors[0].code, "input::io");
    }
}
