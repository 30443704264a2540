//! Source snippets: maps contract locations (1-based line, character column, exclusive end) to
//! byte spans and renders them, with the message and help, through miette's graphical handler.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
    SourceSpan,
};
use std::fmt;
use std::sync::Arc;

/// Spans taller than this are cut to their first line: a "missing property" finding may cover a
/// whole 40-line resource, and printing all of it (as Checkov does) buries the point.
pub const MAX_SNIPPET_LINES: u32 = 5;

/// A region of source text as miette wants it, plus whether it was cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSpan {
    pub offset: usize,
    pub len: usize,
    /// `Some(last_line)` when a taller span was narrowed to its first line.
    pub cut_from: Option<u32>,
}

/// Byte offset and text (without the line break) of 1-based line `line`.
fn line_at(src: &str, line: u32) -> Option<(usize, &str)> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    let mut offset = 0;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        if n == index {
            let text = raw.strip_suffix('\n').unwrap_or(raw);
            return Some((offset, text.strip_suffix('\r').unwrap_or(text)));
        }
        offset += raw.len();
    }
    None
}

/// Byte offset of 1-based character column `column` in a line, clamped to the line's end.
fn column_offset(line_start: usize, text: &str, column: u32) -> usize {
    let skip = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
    line_start + text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i)
}

/// The byte span of `start..end` (`(line, column)` pairs, end exclusive). `None` when the start
/// is unknown (line 0) or past the end of the text, i.e. the location does not fit this source.
pub fn byte_span(src: &str, start: (u32, u32), end: (u32, u32)) -> Option<ByteSpan> {
    let (first_start, first_text) = line_at(src, start.0)?;
    let from = column_offset(first_start, first_text, start.1);
    let first_end = first_start + first_text.len();
    let (mut end_line, mut end_col) = end;
    // An exclusive end at column 1 means "up to the previous line's break": do not show the
    // next line as part of the span.
    if end_line > start.0 && end_col <= 1 {
        end_line -= 1;
        end_col = u32::MAX;
    }
    let mut cut_from = None;
    let to = if end_line <= start.0 {
        if end_line == start.0 && end_col > start.1 {
            column_offset(first_start, first_text, end_col)
        } else {
            from
        }
    } else if end_line - start.0 >= MAX_SNIPPET_LINES {
        cut_from = Some(end_line);
        first_end
    } else {
        match line_at(src, end_line) {
            Some((s, text)) => column_offset(s, text, end_col),
            None => src.len(),
        }
    };
    let mut len = to.saturating_sub(from);
    if len == 0 {
        // A point location still deserves a visible marker: underline the character there.
        len = first_text
            .get(from - first_start..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
    }
    Some(ByteSpan {
        offset: from,
        len,
        cut_from,
    })
}

/// One renderable diagnostic: already-sanitized message, help and source.
#[derive(Debug)]
pub struct Snippet {
    pub message: String,
    pub severity: miette::Severity,
    pub help: Option<String>,
    /// Named source (the name is the `path:line:col` shown in the box header), span and label.
    pub source: Option<(NamedSource<Arc<str>>, SourceSpan, Option<String>)>,
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Snippet {}

impl Diagnostic for Snippet {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span, label) = self.source.as_ref()?;
        let labeled = LabeledSpan::new_primary_with_span(label.clone(), *span);
        Some(Box::new(std::iter::once(labeled)))
    }
}

/// Renders `snippet` with the unicode+colour theme or plain ASCII. The box header shows the
/// source's name as given: miette would compute a *byte* column there, while our columns count
/// characters, so callers put their own `path:line:col` in the name instead.
pub fn render(snippet: &Snippet, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(width)
        .without_primary_span_start()
        .with_context_lines(1);
    let mut out = String::new();
    if handler.render_report(&mut out, snippet).is_ok() {
        return out;
    }
    // miette refuses spans it cannot read; never lose the message because of a snippet.
    let plain = Snippet {
        message: snippet.message.clone(),
        severity: snippet.severity,
        help: snippet.help.clone(),
        source: None,
    };
    let mut out = String::new();
    match handler.render_report(&mut out, &plain) {
        Ok(()) => out,
        Err(_) => format!("  {}\n", snippet.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "a: 1\r\nkey: élan\nlast\n";

    fn span(s: (u32, u32), e: (u32, u32)) -> Option<(usize, usize, Option<u32>)> {
        byte_span(SRC, s, e).map(|b| (b.offset, b.len, b.cut_from))
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "élan" starts at byte 11 and is 5 bytes / 4 characters long.
        assert_eq!(span((2, 6), (2, 10)), Some((11, 5, None)));
        assert_eq!(&SRC[11..16], "élan");
    }

    #[test]
    fn point_locations_underline_one_character_and_bad_lines_give_none() {
        assert_eq!(span((2, 6), (2, 6)), Some((11, 2, None)));
        assert_eq!(span((0, 1), (0, 1)), None);
        assert_eq!(span((9, 1), (9, 2)), None);
        // A column past the end clamps to the end of the line (before "\r\n").
        assert_eq!(span((1, 40), (1, 41)), Some((4, 0, None)));
    }

    #[test]
    fn end_at_column_one_stays_on_the_previous_line() {
        assert_eq!(span((2, 1), (3, 1)), Some((6, 10, None)));
    }

    #[test]
    fn tall_spans_are_cut_to_their_first_line() {
        let src = "r:\n a\n b\n c\n d\n e\n f\n";
        let b = byte_span(src, (1, 1), (7, 3)).map(|b| (b.offset, b.len, b.cut_from));
        assert_eq!(b, Some((0, 2, Some(7))));
    }
}
