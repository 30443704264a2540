//! A small span-keeping JSON parser (RFC 8259) producing [`Node`] trees.
//!
//! serde_json's `Value` forgets positions; Terraform plans and live exports are JSON and their
//! findings need lines. Recursion depth is bounded by [`MAX_DEPTH`] so hostile input cannot
//! overflow the stack.

use super::{Key, LIMIT_PREFIX, MAX_DEPTH, Node, NodeKind, Span, SyntaxError};

/// Parse a whole JSON document.
pub fn parse(src: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        src: src.as_bytes(),
        text: src,
        pos: 0,
        line: 1,
        col: 1,
    };
    p.skip_ws();
    // A UTF-8 BOM is tolerated: editors on Windows write it.
    if p.src[p.pos..].starts_with("\u{feff}".as_bytes()) {
        p.pos += 3;
        p.skip_ws();
    }
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.error("trailing characters after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    col: u32,
}

#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    line: u32,
    col: u32,
}

impl Parser<'_> {
    fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
            col: self.col,
        }
    }

    fn span_from(&self, m: Mark) -> Span {
        Span {
            line: m.line,
            column: m.col,
            end_line: self.line,
            end_column: self.col,
            offset: m.pos,
            len: self.pos - m.pos,
        }
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            line: self.line,
            column: self.col,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Advance over one byte, keeping line/column (columns count characters, not bytes).
    fn bump(&mut self) {
        if let Some(&b) = self.src.get(self.pos) {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), SyntaxError> {
        if self.peek() == Some(b) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!(
                "{LIMIT_PREFIX}nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        let m = self.mark();
        let kind = match self.peek() {
            None => return Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => return self.object(depth),
            Some(b'[') => return self.array(depth),
            Some(b'"') => NodeKind::String(self.string()?),
            Some(b't') => self.literal("true", NodeKind::Bool(true))?,
            Some(b'f') => self.literal("false", NodeKind::Bool(false))?,
            Some(b'n') => self.literal("null", NodeKind::Null)?,
            Some(b'-' | b'0'..=b'9') => NodeKind::Number(self.number()?),
            Some(_) => return Err(self.error("unexpected character, expected a JSON value")),
        };
        Ok(Node::new(kind, self.span_from(m)))
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<NodeKind, SyntaxError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(kind)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn number(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.bump();
                }
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number: digit expected after '.'"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number: digit expected in exponent"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.bump();
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.src[self.pos..].starts_with(b"\\u") {
                                    self.bump();
                                    self.bump();
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.error("invalid low surrogate"));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(self.error("unpaired surrogate in \\u escape"));
                                }
                            } else {
                                hi
                            };
                            out.push(
                                char::from_u32(cp)
                                    .ok_or_else(|| self.error("invalid \\u escape"))?,
                            );
                            continue;
                        }
                        _ => return Err(self.error("invalid escape sequence")),
                    };
                    self.bump();
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let m = self.mark();
        self.bump();
        let mut entries = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Node::new(NodeKind::Map(entries), self.span_from(m)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let km = self.mark();
            let name = self.string()?;
            let key = Key {
                name,
                span: self.span_from(km),
            };
            self.skip_ws();
            self.expect(b':', "':' after object key")?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Node::new(NodeKind::Map(entries), self.span_from(m)));
                }
                _ => return Err(self.error("expected ',' or '}' in object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let m = self.mark();
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Node::new(NodeKind::Seq(items), self.span_from(m)));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(Node::new(NodeKind::Seq(items), self.span_from(m)));
                }
                _ => return Err(self.error("expected ',' or ']' in array")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_and_columns() {
        let n = parse("{\n  \"a\": [1, true],\n  \"b\": \"x\\u00e9\"\n}").unwrap();
        let (k, v) = n.entry("a").unwrap();
        assert_eq!((k.span.line, k.span.column), (2, 3));
        assert_eq!((v.span.line, v.span.column), (2, 8));
        assert_eq!(n.get("b").unwrap().as_str(), Some("xé"));
        assert_eq!(n.get("b").unwrap().span.line, 3);
    }

    #[test]
    fn reports_error_position() {
        let e = parse("{\n  \"a\": [1,,]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 11));
    }

    #[test]
    fn bounds_depth() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nesting deeper"));
    }

    #[test]
    fn rejects_trailing_garbage_and_decodes_surrogates() {
        assert!(parse("{} x").is_err());
        assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap().as_str(), Some("😀"));
        assert!(parse("\"\\ud83d\"").is_err());
    }
}
