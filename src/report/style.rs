//! Terminal styling and text layout shared by the human renderings: ANSI colour that is a no-op
//! when colour is off, word wrapping, and plural-aware counts.
//!
//! Plain SGR codes are written by hand rather than through a colour crate: the handful of
//! styles needed here do not justify a dependency, and "off" must mean *no* escape byte at all.

use crate::contract::Severity;

/// Applies ANSI styles when `on`; returns the text unchanged otherwise.
#[derive(Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn sgr(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(self, s: &str) -> String {
        self.sgr("1", s)
    }

    pub fn dim(self, s: &str) -> String {
        self.sgr("2", s)
    }

    pub fn red(self, s: &str) -> String {
        self.sgr("1;31", s)
    }

    pub fn green(self, s: &str) -> String {
        self.sgr("1;32", s)
    }

    /// Severity-coded colour, brightest for the most severe.
    pub fn severity(self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "34",
        };
        self.sgr(code, s)
    }
}

/// Word-wraps `text` to `width` columns: the first line starts with `first`, the others with
/// `rest`. Existing line breaks are kept (authors format lists and paragraphs with them); a word
/// longer than a whole line is left on its own line rather than split.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (n, source_line) in text.split('\n').enumerate() {
        let mut line = String::from(if n == 0 { first } else { rest });
        let mut empty = true;
        for word in source_line.split(' ').filter(|w| !w.is_empty()) {
            let needed = word.chars().count() + usize::from(!empty);
            if !empty && line.chars().count() + needed > width {
                out.push(std::mem::replace(&mut line, rest.to_string()));
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// `1 finding`, `2 findings`.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Byte sizes in binary units with one decimal, e.g. `12.3 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_width_and_keeps_author_line_breaks() {
        let lines = wrap("one two three four\nfive", 12, "> ", "  ");
        assert_eq!(lines, vec!["> one two", "  three four", "  five"]);
    }

    #[test]
    fn paint_off_writes_no_escape() {
        let p = Paint { on: false };
        assert_eq!(p.severity(Severity::Critical, "critical"), "critical");
        assert_eq!(Paint { on: true }.bold("x"), "\x1b[1mx\x1b[0m");
    }

    #[test]
    fn sizes_and_counts() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "error", "errors"), "0 errors");
    }
}
