//! Byte-level splitting of a buffered JSON text stream: finds where each value starts and ends,
//! string-aware, without parsing it, so a file of any size is read one record at a time.
//!
//! Validation is left to serde on the captured record; this layer only tracks strings, escapes
//! and bracket nesting (a stack, so `{]` is caught), plus line numbers and byte offsets for
//! diagnostics. Strings are crossed with `memchr3`: CloudTrail JSON is mostly string bytes.

use super::stats::Position;
use memchr::memchr3;
use std::io::{self, BufRead};

/// Bytes of one value being captured, with a size limit. Past the limit the value is still
/// scanned to its end (so reading can go on after it) but no longer stored.
pub(crate) struct Capture {
    pub data: Vec<u8>,
    pub limit: usize,
    pub overflow: bool,
    /// The value nests deeper than the scanner's depth limit (it is still scanned to its end).
    pub too_deep: bool,
    /// Largest capacity reached, in bytes.
    pub peak: usize,
}

impl Capture {
    pub fn new(limit: usize) -> Capture {
        Capture {
            data: Vec::new(),
            limit,
            overflow: false,
            too_deep: false,
            peak: 0,
        }
    }

    pub fn clear(&mut self) {
        self.data.clear();
        self.overflow = false;
        self.too_deep = false;
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.overflow {
            return;
        }
        if self.data.len() + bytes.len() > self.limit {
            self.overflow = true;
            self.data.clear();
            return;
        }
        let needed = self.data.len() + bytes.len();
        if needed > self.data.capacity() {
            // Grow by doubling as `Vec` would, but never past the limit: the capacity is the
            // reader's memory, and the limit is what it promises.
            let target = (self.data.capacity() * 2).clamp(needed, self.limit);
            self.data.reserve_exact(target - self.data.len());
        }
        self.data.extend_from_slice(bytes);
        self.peak = self.peak.max(self.data.capacity());
    }
}

/// What went wrong while splitting.
#[derive(Debug)]
pub(crate) enum ScanErrorKind {
    Io(io::Error),
    /// The input ended inside a value.
    Eof,
    /// A structural problem: reading cannot resynchronise inside this value.
    Syntax(&'static str),
}

#[derive(Debug)]
pub(crate) struct ScanError {
    pub kind: ScanErrorKind,
    pub at: Position,
}

/// The buffered bytes, retrying interrupted reads; a free function so callers can keep using
/// the scanner's other fields while holding the chunk.
fn fill<R: BufRead>(src: &mut R, at: Position) -> Result<&[u8], ScanError> {
    while let Err(e) = src.fill_buf() {
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(ScanError {
                kind: ScanErrorKind::Io(e),
                at,
            });
        }
    }
    // A second call returns the bytes just buffered: a borrow returned from inside the retry
    // loop would outlive the loop for the borrow checker.
    src.fill_buf().map_err(|e| ScanError {
        kind: ScanErrorKind::Io(e),
        at,
    })
}

pub(crate) struct Scanner<R> {
    src: R,
    /// Bytes consumed so far.
    offset: u64,
    /// 1-based line of the next byte, and the offset at which that line starts.
    line: u64,
    line_start: u64,
    /// Open brackets around the current position (`{` or `[`).
    stack: Vec<u8>,
    max_depth: usize,
    /// JSON Lines: a line break inside a value is an error. That is what lets a bad line be
    /// skipped without also losing the good line after it.
    lines: bool,
}

impl<R: BufRead> Scanner<R> {
    pub fn new(src: R, lines: bool, max_depth: usize) -> Scanner<R> {
        Scanner {
            src,
            offset: 0,
            line: 1,
            line_start: 0,
            stack: Vec::new(),
            max_depth,
            lines,
        }
    }

    pub fn pos(&self) -> Position {
        Position {
            offset: self.offset,
            line: self.line,
            column: self.offset - self.line_start + 1,
        }
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    fn err(&self, kind: ScanErrorKind) -> ScanError {
        ScanError {
            kind,
            at: self.pos(),
        }
    }

    fn fill(&mut self) -> Result<&[u8], ScanError> {
        let at = self.pos();
        fill(&mut self.src, at)
    }

    /// The buffered bytes from the current position (empty at end of input); nothing is
    /// consumed. Lets a caller parse a value in place and then [`Scanner::consume_parsed`] it.
    pub fn buffered(&mut self) -> Result<&[u8], ScanError> {
        self.fill()
    }

    /// Consume `n` buffered bytes parsed by the caller (never more than [`Scanner::buffered`]
    /// returned), keeping lines and offsets.
    pub fn consume_parsed(&mut self, n: usize) -> Result<(), ScanError> {
        let chunk = self.fill()?;
        let n = n.min(chunk.len());
        let bytes = &chunk[..n];
        if let Some(last) = memchr::memrchr(b'\n', bytes) {
            self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
            self.line_start = self.offset + last as u64 + 1;
        }
        self.src.consume(n);
        self.offset += n as u64;
        Ok(())
    }

    /// Skip a UTF-8 byte-order mark at the very start (Windows editors write one).
    pub fn skip_bom(&mut self) -> Result<(), ScanError> {
        if self.fill()?.starts_with(b"\xEF\xBB\xBF") {
            self.src.consume(3);
            self.offset += 3;
            self.line_start = 3;
        }
        Ok(())
    }

    /// Skip whitespace and return the next byte without consuming it; `None` at end of input.
    /// Whitespace is appended to `out` so captured text stays byte-identical to the file.
    pub fn skip_ws(&mut self, mut out: Option<&mut Capture>) -> Result<Option<u8>, ScanError> {
        loop {
            let inside = !self.stack.is_empty();
            let at = self.pos();
            let chunk = fill(&mut self.src, at)?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let mut i = 0;
            let mut newline_inside = false;
            let (mut line, mut line_start) = (self.line, self.line_start);
            while let Some(&b) = chunk.get(i) {
                match b {
                    b' ' | b'\t' | b'\r' => {}
                    b'\n' if self.lines && inside => {
                        newline_inside = true;
                        break;
                    }
                    b'\n' => {
                        line += 1;
                        line_start = self.offset + i as u64 + 1;
                    }
                    _ => break,
                }
                i += 1;
            }
            let next = chunk.get(i).copied();
            if let Some(o) = out.as_deref_mut() {
                o.push(&chunk[..i]);
            }
            self.src.consume(i);
            self.offset += i as u64;
            (self.line, self.line_start) = (line, line_start);
            if newline_inside {
                return Err(self.err(ScanErrorKind::Syntax("the line ends inside a record")));
            }
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    /// Skip spaces and tabs; whether the line (or the input) ends here. The line break itself is
    /// left for [`Scanner::skip_ws`].
    pub fn at_line_end(&mut self) -> Result<bool, ScanError> {
        loop {
            let chunk = self.fill()?;
            let n = chunk
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
                .count();
            let end = match chunk.get(n) {
                None if n == 0 => return Ok(true),
                None => None,
                Some(b) => Some(*b == b'\n'),
            };
            self.src.consume(n);
            self.offset += n as u64;
            if let Some(end) = end {
                return Ok(end);
            }
        }
    }

    /// Consume one byte already seen by [`Scanner::skip_ws`] (never a line break).
    pub fn bump(&mut self, out: Option<&mut Capture>) -> Result<(), ScanError> {
        let chunk = self.fill()?;
        if let (Some(o), Some(b)) = (out, chunk.first()) {
            o.push(std::slice::from_ref(b));
        }
        if !chunk.is_empty() {
            self.src.consume(1);
            self.offset += 1;
        }
        Ok(())
    }

    /// Consume an opening bracket and enter it.
    pub fn open(&mut self, bracket: u8, out: Option<&mut Capture>) -> Result<(), ScanError> {
        if self.stack.len() >= self.max_depth {
            return Err(self.err(ScanErrorKind::Syntax("nesting is too deep")));
        }
        self.bump(out)?;
        self.stack.push(bracket);
        Ok(())
    }

    /// Consume a closing bracket and leave the container it closes.
    pub fn close(&mut self, out: Option<&mut Capture>) -> Result<(), ScanError> {
        self.bump(out)?;
        self.stack.pop();
        Ok(())
    }

    /// Consume through the end of the current line and forget any open brackets: the recovery
    /// step after a bad line in JSON Lines. Returns false at end of input.
    pub fn skip_line(&mut self) -> Result<bool, ScanError> {
        self.stack.clear();
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(false);
            }
            let (n, found) = match memchr::memchr(b'\n', chunk) {
                Some(k) => (k + 1, true),
                None => (chunk.len(), false),
            };
            self.src.consume(n);
            self.offset += n as u64;
            if found {
                self.line += 1;
                self.line_start = self.offset;
                return Ok(true);
            }
        }
    }

    /// Scan one whole value starting at the next byte (which must not be whitespace), appending
    /// its bytes to `out` when given.
    pub fn value(&mut self, out: Option<&mut Capture>) -> Result<(), ScanError> {
        match self.fill()?.first() {
            None => Err(self.err(ScanErrorKind::Eof)),
            Some(b'{' | b'[' | b'"') => self.structured(out),
            Some(b',' | b':' | b']' | b'}') => {
                Err(self.err(ScanErrorKind::Syntax("expected a value")))
            }
            Some(_) => self.bare(out),
        }
    }

    /// A string, object or array: ends when the string closes or the bracket depth returns to
    /// where it started.
    fn structured(&mut self, mut out: Option<&mut Capture>) -> Result<(), ScanError> {
        let base = self.stack.len();
        let mut in_string = false;
        let mut escaped = false;
        // Levels past the depth limit are counted, not stacked, so a too-deep value is still
        // scanned to its end and costs only itself: it becomes one skipped record, exactly as
        // the in-place fast path (which cannot see depth) treats the same record.
        let mut excess: u64 = 0;
        loop {
            let at = self.pos();
            let chunk = fill(&mut self.src, at)?;
            if chunk.is_empty() {
                return Err(self.err(ScanErrorKind::Eof));
            }
            let mut i = 0;
            let mut done = false;
            let mut error: Option<&'static str> = None;
            let (mut line, mut line_start) = (self.line, self.line_start);
            while i < chunk.len() {
                if in_string {
                    if escaped {
                        escaped = false;
                        if chunk[i] == b'\n' {
                            error = Some("line break inside a string");
                            break;
                        }
                        i += 1;
                        continue;
                    }
                    let Some(k) = memchr3(b'"', b'\\', b'\n', &chunk[i..]) else {
                        i = chunk.len();
                        break;
                    };
                    let j = i + k;
                    match chunk[j] {
                        b'"' => {
                            in_string = false;
                            i = j + 1;
                            if self.stack.len() == base {
                                done = true;
                                break;
                            }
                        }
                        b'\\' => {
                            escaped = true;
                            i = j + 1;
                        }
                        _ => {
                            i = j;
                            error = Some("line break inside a string");
                            break;
                        }
                    }
                    continue;
                }
                match chunk[i] {
                    b'"' => in_string = true,
                    open @ (b'{' | b'[') => {
                        if self.stack.len() >= self.max_depth {
                            excess += 1;
                            if let Some(o) = out.as_deref_mut() {
                                o.too_deep = true;
                            }
                        } else {
                            self.stack.push(open);
                        }
                    }
                    b'}' | b']' if excess > 0 => excess -= 1,
                    close @ (b'}' | b']') => {
                        let open = if close == b'}' { b'{' } else { b'[' };
                        if self.stack.len() <= base || self.stack.last() != Some(&open) {
                            error = Some("unbalanced bracket");
                            break;
                        }
                        self.stack.pop();
                        if self.stack.len() == base {
                            i += 1;
                            done = true;
                            break;
                        }
                    }
                    b'\n' if self.lines => {
                        error = Some("the line ends inside a record");
                        break;
                    }
                    b'\n' => {
                        line += 1;
                        line_start = self.offset + i as u64 + 1;
                    }
                    _ => {}
                }
                i += 1;
            }
            if let Some(o) = out.as_deref_mut() {
                o.push(&chunk[..i]);
            }
            self.src.consume(i);
            self.offset += i as u64;
            (self.line, self.line_start) = (line, line_start);
            if let Some(message) = error {
                return Err(self.err(ScanErrorKind::Syntax(message)));
            }
            if done {
                return Ok(());
            }
        }
    }

    /// A number or literal (or garbage): runs to the next delimiter or the end of input.
    fn bare(&mut self, mut out: Option<&mut Capture>) -> Result<(), ScanError> {
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let end = chunk.iter().position(|b| {
                matches!(
                    b,
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b']' | b'}' | b'[' | b'{' | b'"'
                )
            });
            let n = end.unwrap_or(chunk.len());
            if let Some(o) = out.as_deref_mut() {
                o.push(&chunk[..n]);
            }
            self.src.consume(n);
            self.offset += n as u64;
            if end.is_some() {
                return Ok(());
            }
        }
    }
}
