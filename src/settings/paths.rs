//! Lexical path arithmetic shared by settings and exceptions: files found by walking up from
//! the working directory are shown, and their relative paths resolved, from where the user is.

use std::path::{Component, Path, PathBuf};

/// Remove `.` and `..` components without touching the file system (the path may not exist,
/// and resolving symlinks would make the same path look different).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A `/`-separated path (or glob) with `.` and `x/..` removed: `../conf/../stacks/*` becomes
/// `../stacks/*`, so it matches paths as reports show them. Leading `..` (and `/`) stay.
pub fn tidy(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "." | "" => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if p.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `to` relative to `from` (both absolute and normalized): `..` up to the common ancestor,
/// then down. Different roots (Windows drives) give `to` unchanged.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    if f.first() != t.first() {
        return to.to_path_buf();
    }
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in t.iter().skip(common) {
        out.push(c);
    }
    out
}

/// The working directory, or an empty path when it cannot be read (paths then stay as given).
pub fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// A path as reports show it: relative to the working directory, `/`-separated.
pub fn shown(p: &Path) -> String {
    let cwd = cwd();
    crate::scan::discover::display(&relative(&cwd, &normalize(&cwd.join(p))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_up_then_down() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
        assert_eq!(r("/p/sub/dir", "/p"), PathBuf::from("../.."));
        assert_eq!(
            r("/p/sub/dir", "/p/.trailguard/w.yaml"),
            PathBuf::from("../../.trailguard/w.yaml")
        );
        assert_eq!(r("/p", "/p/conf"), PathBuf::from("conf"));
        assert_eq!(r("/p/a", "/p/b/c"), PathBuf::from("../b/c"));
        assert_eq!(r("/p", "/p"), PathBuf::from(""));
    }

    #[test]
    fn tidy_removes_dot_segments() {
        assert_eq!(tidy("../conf/../stacks/ignored/*"), "../stacks/ignored/*");
        assert_eq!(tidy("./a/./b/../../../c"), "../c");
        assert_eq!(tidy("../../x/**"), "../../x/**");
        assert_eq!(tidy("/p/conf/../x"), "/p/x");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/p/./a/../b")), PathBuf::from("/p/b"));
    }
}
