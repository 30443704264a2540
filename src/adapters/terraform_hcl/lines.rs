//! Byte offsets (what hcl-edit's spans are) to 1-based lines and character columns.

use crate::model::Loc;
use crate::syntax::Span;
use std::ops::Range;

pub(super) struct Lines<'s> {
    src: &'s str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    pub fn new(src: &'s str) -> Lines<'s> {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { src, starts }
    }

    /// 1-based line and character column of a byte offset.
    fn pos(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        // Offsets inside a multi-byte character count that character.
        let column = self
            .src
            .get(start..)
            .map(|rest| {
                rest.char_indices()
                    .take_while(|(i, _)| start + i < offset)
                    .count()
            })
            .unwrap_or(0);
        (to_u32(line), to_u32(column + 1))
    }

    pub fn loc(&self, path: &str, range: &Range<usize>) -> Loc {
        let (line, column) = self.pos(range.start);
        let (end_line, end_column) = self.pos(range.end);
        Loc::new(
            path,
            Span {
                line,
                column,
                end_line,
                end_column,
                offset: range.start,
                len: range.end.saturating_sub(range.start),
            },
        )
    }

    /// The source text of a span, trimmed.
    pub fn text(&self, range: &Range<usize>) -> &'s str {
        self.src.get(range.clone()).map(str::trim).unwrap_or("")
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let lines = Lines::new("a = 1\nné = \"x\"\n");
        let loc = lines.loc("m.tf", &(12..15));
        assert_eq!(
            (loc.line, loc.column, loc.end_line, loc.end_column),
            (2, 6, 2, 9)
        );
        assert_eq!(lines.text(&(12..15)), "\"x\"");
    }
}
