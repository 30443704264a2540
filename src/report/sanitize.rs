//! Neutralises terminal control characters in text that came from input.
//!
//! Paths, messages, evidence and source lines all originate in files we do not trust. Printed
//! raw, an `ESC [` sequence in a CloudTrail `userAgent` or a template comment could recolour,
//! move the cursor, rewrite earlier lines or set the window title (CVE-2021-25743 is the
//! Kubernetes instance of this bug class). Every replacement is exactly one `char` for one
//! `char`, so 1-based character columns computed on the original text stay valid on the
//! sanitized text and snippets still line up.

use std::borrow::Cow;

/// How line structure is treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One-line fields (paths, ids, evidence values): every control character is replaced.
    Line,
    /// Prose (messages, help): `\n` is kept so multi-line text still reads; tab becomes a space.
    Text,
    /// Source code for snippets: `\n`, `\t` and the `\r` of `\r\n` are kept; miette lays them out.
    Source,
}

/// A one-line field: no control character survives, newlines included.
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, Mode::Line)
}

/// Prose: line breaks survive, everything else that could drive a terminal is replaced.
pub fn text(s: &str) -> Cow<'_, str> {
    clean(s, Mode::Text)
}

/// Source text for a snippet: layout characters survive, nothing else does.
pub fn source(s: &str) -> Cow<'_, str> {
    clean(s, Mode::Source)
}

fn clean(s: &str, mode: Mode) -> Cow<'_, str> {
    let mut chars = s.char_indices().peekable();
    let first_bad = loop {
        match chars.next() {
            None => return Cow::Borrowed(s),
            Some((i, c)) => {
                let next = chars.peek().map(|&(_, n)| n);
                if replacement(c, next, mode) != c {
                    break i;
                }
            }
        }
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first_bad]);
    let mut rest = s[first_bad..].chars().peekable();
    while let Some(c) = rest.next() {
        out.push(replacement(c, rest.peek().copied(), mode));
    }
    Cow::Owned(out)
}

/// The character to print for `c` (`c` itself when safe). Nothing is ever dropped: that would
/// shift columns, so every unsafe character maps to a visible stand-in.
fn replacement(c: char, next: Option<char>, mode: Mode) -> char {
    let keep = match c {
        '\n' => mode != Mode::Line,
        '\t' => mode == Mode::Source,
        '\r' => mode == Mode::Source && next == Some('\n'),
        _ => false,
    };
    if keep {
        return c;
    }
    match c {
        '\t' if mode == Mode::Text => ' ',
        // C0 controls become their Unicode "control picture" (␀ … ␟) so the reader sees
        // *which* byte was there.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        // C1 controls (CSI, OSC, ... as single code points) and the bidirectional overrides
        // used in "Trojan Source" attacks reorder or drive the display without being visible.
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_pictures() {
        assert_eq!(line("a\x1b[31mred\x07"), "a␛[31mred␇");
        assert_eq!(line("two\nlines\r"), "two␊lines␍");
        assert_eq!(line("del\x7f csi\u{9b}2J"), "del␡ csi\u{fffd}2J");
        assert_eq!(line("rtl\u{202e}txt"), "rtl\u{fffd}txt");
    }

    #[test]
    fn modes_keep_their_layout_characters() {
        assert_eq!(text("a\n\tb\r\n"), "a\n b␍\n");
        assert_eq!(source("a:\r\n\tb\rc\x1b"), "a:\r\n\tb␍c␛");
    }

    #[test]
    fn clean_text_is_borrowed_and_columns_are_preserved() {
        assert!(matches!(line("plain text é"), Cow::Borrowed(_)));
        let dirty = "x\x1by\u{85}z";
        assert_eq!(source(dirty).chars().count(), dirty.chars().count());
    }
}
