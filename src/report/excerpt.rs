//! Cuts from a source file exactly what a snippet shows: the lines of the span plus one line of
//! context either side, each cropped around the span when it is too long for the terminal.
//!
//! Locations in the contract are (1-based line, 1-based character column, exclusive end). The
//! excerpt keeps the original line numbers (earlier lines become empty, so miette numbers the
//! gutter right) but never the original bulk: a Terraform plan JSON or a minified live export is
//! one line of megabytes, and printing it whole would drown the terminal.

/// Spans taller than this are cut to their first line: a "missing property" finding may cover a
/// whole 40-line resource, and printing all of it (as Checkov does) buries the point.
pub const MAX_SPAN_LINES: u32 = 5;
/// Lines of context shown before and after the span; the renderer uses the same number.
pub const CONTEXT_LINES: u32 = 1;

/// Source text for one snippet and the span to underline in it (byte offsets into `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub offset: usize,
    pub len: usize,
    /// `Some(last_line)` when a taller span was narrowed to its first line.
    pub cut_from: Option<u32>,
}

/// One source line as it appears in the excerpt.
struct Shown {
    number: u32,
    /// Byte offset of the line in the excerpt text.
    start: usize,
    /// The (possibly cropped) line text, without its line break.
    text: String,
    /// First original character index kept, one past the last, and the marker length in chars.
    window: (usize, usize),
    marker_chars: usize,
}

impl Shown {
    /// Byte offset in the excerpt of original 1-based column `column`, clamped to the window.
    fn offset_of(&self, column: u32) -> usize {
        let col = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
        let k = col.clamp(self.window.0, self.window.1) - self.window.0 + self.marker_chars;
        self.start + byte_at(&self.text, k)
    }
}

/// Byte index of the `k`-th character of `s` (its length when `k` is past the end).
fn byte_at(s: &str, k: usize) -> usize {
    s.char_indices().nth(k).map_or(s.len(), |(i, _)| i)
}

/// Builds the excerpt for `start..end`, cropping lines longer than `max_cols` characters and
/// marking the cuts with `ellipsis`. `None` when the start is unknown (line 0) or past the end of
/// the text: the location does not belong to this source.
pub fn excerpt(
    src: &str,
    start: (u32, u32),
    end: (u32, u32),
    max_cols: usize,
    ellipsis: &str,
) -> Option<Excerpt> {
    let (l1, c1) = (start.0, start.1.max(1));
    if l1 == 0 {
        return None;
    }
    let (mut l2, mut c2) = end;
    // An exclusive end at column 1 means "up to the previous line's break".
    if l2 > l1 && c2 <= 1 {
        l2 -= 1;
        c2 = u32::MAX;
    }
    let mut cut_from = None;
    if l2 < l1 || (l2 == l1 && c2 <= c1) {
        (l2, c2) = (l1, c1);
    } else if l2 - l1 >= MAX_SPAN_LINES {
        cut_from = Some(l2);
        (l2, c2) = (l1, u32::MAX);
    }

    let first = l1.saturating_sub(CONTEXT_LINES).max(1);
    let last = l2.saturating_add(CONTEXT_LINES);
    let max_cols = max_cols.max(8);
    let marker = ellipsis.chars().count();
    let mut text = String::new();
    let mut shown: Vec<Shown> = Vec::new();
    for (number, raw) in (1u32..).zip(src.split_inclusive('\n')) {
        if number > last {
            break;
        }
        if number < first {
            text.push('\n');
            continue;
        }
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let n = line.chars().count();
        let (window, cropped) = if n <= max_cols {
            ((0, n), line.to_string())
        } else {
            let focus = if number == l1 {
                usize::try_from(c1 - 1).unwrap_or(0)
            } else {
                0
            };
            let ws = focus.saturating_sub(max_cols / 4).min(n - max_cols);
            let we = ws + max_cols;
            let mut s = String::new();
            if ws > 0 {
                s.push_str(ellipsis);
            }
            s.push_str(&line[byte_at(line, ws)..byte_at(line, we)]);
            if we < n {
                s.push_str(ellipsis);
            }
            ((ws, we), s)
        };
        let start = text.len();
        text.push_str(&cropped);
        text.push('\n');
        shown.push(Shown {
            number,
            start,
            text: cropped,
            window,
            marker_chars: if window.0 > 0 { marker } else { 0 },
        });
    }

    let start_line = shown.iter().find(|s| s.number == l1)?;
    let from = start_line.offset_of(c1);
    let to = match shown.iter().find(|s| s.number == l2) {
        Some(end_line) => end_line.offset_of(c2),
        // The end is past the end of the text: underline to the end of what there is.
        None => shown.last().map_or(from, |s| s.start + s.text.len()),
    };
    let mut len = to.saturating_sub(from);
    if len == 0 {
        // A point location still deserves a visible marker: underline the character there.
        len = text
            .get(from..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| *c != '\n')
            .map_or(0, char::len_utf8);
    }
    Some(Excerpt {
        text,
        offset: from,
        len,
        cut_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "a: 1\r\nkey: élan\nlast\n";

    /// The underlined text and the cut marker.
    fn marked(src: &str, s: (u32, u32), e: (u32, u32)) -> Option<(String, Option<u32>)> {
        excerpt(src, s, e, 100, "…").map(|x| {
            let text = x
                .text
                .get(x.offset..x.offset + x.len)
                .unwrap_or("<bad span>");
            (text.to_string(), x.cut_from)
        })
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(marked(SRC, (2, 6), (2, 10)), Some(("élan".into(), None)));
        assert_eq!(marked(SRC, (2, 7), (2, 7)), Some(("l".into(), None)));
    }

    #[test]
    fn unknown_or_foreign_locations_give_none_and_columns_clamp() {
        assert_eq!(marked(SRC, (0, 1), (0, 1)), None);
        assert_eq!(marked(SRC, (9, 1), (9, 2)), None);
        // A column past the end of the line clamps to its end, before "\r\n": nothing to mark.
        assert_eq!(marked(SRC, (1, 40), (1, 41)), Some((String::new(), None)));
        // An end past the end of the file runs to the end of the text.
        assert_eq!(marked(SRC, (3, 1), (8, 1)), Some(("last".into(), None)));
    }

    #[test]
    fn end_at_column_one_stays_on_the_previous_line() {
        assert_eq!(
            marked(SRC, (2, 1), (3, 1)),
            Some(("key: élan".into(), None))
        );
    }

    #[test]
    fn tall_spans_are_cut_to_their_first_line() {
        let src = "r:\n a\n b\n c\n d\n e\n f\n";
        assert_eq!(marked(src, (1, 1), (7, 3)), Some(("r:".into(), Some(7))));
        assert_eq!(
            marked(src, (1, 1), (5, 3)),
            Some(("r:\n a\n b\n c\n d".into(), None))
        );
    }

    #[test]
    fn keeps_line_numbers_and_only_the_context_lines() {
        let src = "one\ntwo\nthree\nfour\nfive\nsix\n";
        let x = excerpt(src, (4, 1), (4, 5), 100, "…").expect("fits");
        assert_eq!(x.text, "\n\nthree\nfour\nfive\n");
        assert_eq!(&x.text[x.offset..x.offset + x.len], "four");
    }

    #[test]
    fn long_lines_are_cropped_around_the_span() {
        let line = format!(
            "{}\"enable_log_file_validation\":false{}",
            "x".repeat(5000),
            "y".repeat(5000)
        );
        let x = excerpt(&line, (1, 5030), (1, 5035), 40, "...").expect("fits");
        assert_eq!(&x.text[x.offset..x.offset + x.len], "false");
        assert_eq!(
            x.text,
            format!("...lidation\":false{}...\n", "y".repeat(25))
        );
    }
}
