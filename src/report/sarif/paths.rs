//! Paths as CI tools want them: repository-relative, forward slashes, and (for SARIF) a
//! percent-encoded URI reference.
//!
//! Findings carry paths as given on the command line. GitHub code scanning, GitLab and the
//! workflow-command annotations all resolve relative paths against the repository root, so the
//! scan is expected to run from that root (the action does) and paths are made relative to the
//! current directory: `./a.yaml` becomes `a.yaml`, `/repo/a.yaml` becomes `a.yaml` when run in
//! `/repo`. Paths outside it stay absolute (SARIF gets a `file://` URI for those, which GitHub
//! ignores rather than mislocates).

use std::path::{Component, Path};

/// A finding's path after relativisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoPath {
    /// Relative to the base directory, `/`-separated, no `.` segments.
    Relative(String),
    /// Absolute and outside the base directory, `/`-separated.
    Absolute(String),
}

impl RepoPath {
    /// The path as text, for formats that take plain paths (annotations, Code Quality, JUnit).
    pub fn as_str(&self) -> &str {
        match self {
            RepoPath::Relative(p) | RepoPath::Absolute(p) => p,
        }
    }
}

/// Relativise `path` against `base` (the directory the scan ran in). Lexical only: the file may
/// be gone (a converted report), so nothing is read from disk.
pub fn repo_path(path: &str, base: Option<&Path>) -> RepoPath {
    let unified = path.replace('\\', "/");
    let is_abs = unified.starts_with('/') || Path::new(path).is_absolute();
    if is_abs {
        if let Some(base) = base {
            let base = normalize(&base.to_string_lossy().replace('\\', "/"));
            let full = normalize(&unified);
            if full == base {
                return RepoPath::Relative(".".into());
            }
            let prefix = if base.ends_with('/') {
                base.clone()
            } else {
                format!("{base}/")
            };
            if let Some(rest) = full.strip_prefix(&prefix) {
                return RepoPath::Relative(rest.to_string());
            }
        }
        return RepoPath::Absolute(normalize(&unified));
    }
    RepoPath::Relative(normalize(&unified))
}

/// Drop `.` segments and fold `x/..` pairs; leading `..` segments are kept.
fn normalize(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            Component::Normal(s) => parts.push(s.to_str().unwrap_or("\u{fffd}")),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// Percent-encode a path for a URI: everything but RFC 3986 unreserved characters, `/` and a
/// few harmless sub-delimiters. `:` is encoded so that `c:x` can never read as a scheme, `%`
/// so that a literal percent survives, and spaces, `#`, `?` and non-ASCII as UTF-8 bytes.
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\''
            )
            || matches!(b, b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file://` URI of a directory, with a trailing slash (SARIF `originalUriBaseIds` requires it).
pub fn dir_uri(dir: &Path) -> String {
    let p = normalize(&dir.to_string_lossy().replace('\\', "/"));
    let p = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    let mut uri = format!("file://{}", encode_uri_path(&p));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_cleaned() {
        assert_eq!(
            repo_path("./a/b.yaml", None),
            RepoPath::Relative("a/b.yaml".into())
        );
        assert_eq!(
            repo_path("a\\b.yaml", None),
            RepoPath::Relative("a/b.yaml".into())
        );
        assert_eq!(
            repo_path("a/./x/../b.yaml", None),
            RepoPath::Relative("a/b.yaml".into())
        );
        assert_eq!(
            repo_path("../b.yaml", None),
            RepoPath::Relative("../b.yaml".into())
        );
    }

    #[test]
    fn absolute_paths_under_the_base_become_relative() {
        let base = Path::new("/work/repo");
        assert_eq!(
            repo_path("/work/repo/infra/t.yaml", Some(base)),
            RepoPath::Relative("infra/t.yaml".into())
        );
        assert_eq!(
            repo_path("/work/repository/t.yaml", Some(base)),
            RepoPath::Absolute("/work/repository/t.yaml".into())
        );
        assert_eq!(
            repo_path("/work/repo/../other/t.yaml", Some(base)),
            RepoPath::Absolute("/work/other/t.yaml".into())
        );
        assert_eq!(
            repo_path("/tmp/t.yaml", None),
            RepoPath::Absolute("/tmp/t.yaml".into())
        );
    }

    #[test]
    fn uri_encoding_escapes_what_would_change_meaning() {
        assert_eq!(encode_uri_path("a b/c%d#e?f:g"), "a%20b/c%25d%23e%3Ff%3Ag");
        assert_eq!(encode_uri_path("<stdin>"), "%3Cstdin%3E");
        assert_eq!(encode_uri_path("é"), "%C3%A9");
        assert_eq!(
            dir_uri(Path::new("/work/my repo")),
            "file:///work/my%20repo/"
        );
    }
}
