//! The fast path of the header parse: one validating pass over a record's bytes that finds where
//! the record ends and where its selecting fields are, without serde's per-token machinery.
//!
//! It is an optimisation only. It accepts a record only when it is sure serde would accept it and
//! produce the same [`Header`]; anything unusual (escapes in a selecting field or key, a duplicate
//! selecting field, a number where a selecting field should be, deep nesting, text cut off by the
//! end of the buffer, invalid JSON or UTF-8) returns `None`, and the reader falls back to the
//! serde path, which gives the exact diagnostics. A property test in `tests.rs` compares the two
//! on generated and mutated records.

use super::header::{Header, Identity};
use std::borrow::Cow;

/// Deeper records go to the serde path (serde_json's own recursion limit is 128).
const MAX_DEPTH: usize = 100;

/// A string value's byte range inside the record (quotes excluded).
type Span = (usize, usize);

/// What a selecting field held.
#[derive(Clone, Copy, Default)]
enum Slot {
    #[default]
    Missing,
    /// A string without escapes.
    Str(Span),
    Bool(bool),
    /// null, an object or an array: the field reads as `None` (for `readOnly` too).
    Other,
}

#[derive(Default)]
struct Slots {
    version: Slot,
    source: Slot,
    name: Slot,
    time: Slot,
    id: Slot,
    kind: Slot,
    region: Slot,
    account: Slot,
    error: Slot,
    ip: Slot,
    read_only: Slot,
    identity: Option<IdentitySlots>,
    batch: bool,
    /// Bit per field already seen: serde refuses a duplicate field, so the fast path declines.
    seen: u32,
}

#[derive(Default, Clone, Copy)]
struct IdentitySlots {
    kind: Slot,
    arn: Slot,
    key: Slot,
    invoked_by: Slot,
}

/// Parse the record that starts at `bytes[0] == b'{'`. On success returns the header and the
/// record's text (the prefix of `bytes` it spans); `None` means "use the serde path".
pub(crate) fn parse(bytes: &[u8], max_depth: usize) -> Option<(Header<'_>, &str)> {
    let mut p = Parser {
        b: bytes,
        i: 0,
        max_depth: max_depth.min(MAX_DEPTH),
    };
    let mut slots = Slots::default();
    p.record(&mut slots)?;
    let end = p.i;
    let text = simdutf8::basic::from_utf8(bytes.get(..end)?).ok()?;
    Some((slots.header(text)?, text))
}

/// Set in [`Header::seen`] by the fast path, whose bits then say which fields the record has.
pub(crate) const FAST_SEEN: u32 = 1 << 31;

/// The bit [`Parser::record`] sets in `seen` for a top-level string field of the header.
pub(crate) fn seen_bit(k: crate::eventscan::index::Known) -> Option<u32> {
    use crate::eventscan::index::Known;
    let bit = match k {
        Known::EventSource => 1,
        Known::EventName => 2,
        Known::EventType => 5,
        Known::AwsRegion => 6,
        Known::RecipientAccountId => 7,
        Known::ErrorCode => 8,
        Known::SourceIpAddress => 9,
        _ => return None,
    };
    Some(1 << bit)
}

fn text_of(text: &str, slot: Slot) -> Option<Option<Cow<'_, str>>> {
    Some(match slot {
        Slot::Str((a, b)) => Some(Cow::Borrowed(text.get(a..b)?)),
        _ => None,
    })
}

impl Slots {
    fn header(self, text: &str) -> Option<Header<'_>> {
        let read_only = match self.read_only {
            Slot::Bool(b) => Some(b),
            Slot::Str((a, b)) => match text.get(a..b)? {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        let user_identity = match self.identity {
            Some(id) => Some(Identity {
                kind: text_of(text, id.kind)?,
                arn: text_of(text, id.arn)?,
                access_key_id: text_of(text, id.key)?,
                invoked_by: text_of(text, id.invoked_by)?,
            }),
            None => None,
        };
        Some(Header {
            event_version: text_of(text, self.version)?,
            event_source: text_of(text, self.source)?,
            event_name: text_of(text, self.name)?,
            event_time: text_of(text, self.time)?,
            event_id: text_of(text, self.id)?,
            event_type: text_of(text, self.kind)?,
            aws_region: text_of(text, self.region)?,
            recipient_account_id: text_of(text, self.account)?,
            error_code: text_of(text, self.error)?,
            source_ip_address: text_of(text, self.ip)?,
            read_only,
            user_identity,
            batch: self.batch,
            // Bit 31: the fields were seen by this parse (serde leaves 0: nothing known).
            seen: self.seen | FAST_SEEN,
        })
    }
}

struct Parser<'b> {
    b: &'b [u8],
    i: usize,
    max_depth: usize,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

impl Parser<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) -> Option<u8> {
        loop {
            let c = self.peek()?;
            if matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                self.i += 1;
            } else {
                return Some(c);
            }
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.ws()? == c).then(|| self.i += 1)
    }

    /// A string at `self.i` (the opening quote). Returns its span and whether it has escapes.
    /// Escapes are checked the way serde checks strings it skips (a valid escape letter, four
    /// hex digits after `\u`); control characters are refused.
    fn string(&mut self) -> Option<(Span, bool)> {
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            self.skip_plain();
            match self.peek()? {
                b'"' => {
                    let span = (start, self.i);
                    self.i += 1;
                    return Some((span, escaped));
                }
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                _ => return None, // a control character
            }
        }
    }

    /// A string whose content nobody reads (most of a record): the same checks as
    /// [`Parser::string`], nothing recorded.
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            self.skip_plain();
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.escape()?,
                _ => return None,
            }
        }
    }

    /// The escape at `self.i` (its backslash).
    fn escape(&mut self) -> Option<()> {
        let e = *self.b.get(self.i + 1)?;
        self.i += 2;
        match e {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let hex = self.b.get(self.i..self.i + 4)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                self.i += 4;
                Some(())
            }
            _ => None,
        }
    }

    #[inline]
    fn skip_plain(&mut self) {
        self.i = plain_end(self.b, self.i);
    }

    /// Skip any value, validating it.
    fn value(&mut self, depth: usize) -> Option<()> {
        match self.ws()? {
            b'"' => self.skip_string(),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        (self.b.get(self.i..self.i + word.len())? == word).then(|| self.i += word.len())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        // The byte after a number must end it (serde refuses `1x` inside a container too).
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }

    /// Walk the container at `self.i` (its opening bracket) to its `close` bracket, calling
    /// `item` for each element: the one rule for objects, arrays and the record itself.
    fn container(
        &mut self,
        depth: usize,
        close: u8,
        mut item: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        if depth > self.max_depth {
            return None;
        }
        self.i += 1;
        if self.ws()? == close {
            self.i += 1;
            return Some(());
        }
        loop {
            item(self, depth)?;
            match self.ws()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        self.container(depth, b'}', |p, depth| {
            if p.ws()? != b'"' {
                return None;
            }
            p.skip_string()?;
            p.expect(b':')?;
            p.value(depth)
        })
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        self.container(depth, b']', |p, depth| p.value(depth))
    }

    /// A selecting field's value: a plain string, a bool, or something that reads as `None`.
    fn slot(&mut self, depth: usize) -> Option<Slot> {
        match self.ws()? {
            b'"' => match self.string()? {
                (span, false) => Some(Slot::Str(span)),
                (_, true) => None,
            },
            b't' => self.literal(b"true").map(|()| Slot::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Slot::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Slot::Other),
            b'{' | b'[' => self.value(depth).map(|()| Slot::Other),
            // serde parses a number it hands to a visitor (and may refuse it as out of range).
            _ => None,
        }
    }

    /// Walk an object's members, calling `member(parser, key, depth)` for each; `member` parses
    /// the value. Keys with escapes go to the serde path (serde matches them unescaped).
    fn members(
        &mut self,
        depth: usize,
        mut member: impl FnMut(&mut Self, &[u8], usize) -> Option<()>,
    ) -> Option<()> {
        self.container(depth, b'}', |p, depth| {
            if p.ws()? != b'"' {
                return None;
            }
            let ((a, b), escaped) = p.string()?;
            if escaped {
                return None;
            }
            let key = p.b.get(a..b)?;
            p.expect(b':')?;
            member(p, key, depth)
        })
    }

    fn record(&mut self, s: &mut Slots) -> Option<()> {
        self.members(1, |p, key, depth| {
            let (bit, slot): (u32, &mut Slot) = match key {
                b"eventVersion" => (0, &mut s.version),
                b"eventSource" => (1, &mut s.source),
                b"eventName" => (2, &mut s.name),
                b"eventTime" => (3, &mut s.time),
                b"eventID" => (4, &mut s.id),
                b"eventType" => (5, &mut s.kind),
                b"awsRegion" => (6, &mut s.region),
                b"recipientAccountId" => (7, &mut s.account),
                b"errorCode" => (8, &mut s.error),
                b"sourceIPAddress" => (9, &mut s.ip),
                b"readOnly" => (10, &mut s.read_only),
                b"userIdentity" => {
                    once(&mut s.seen, 11)?;
                    if p.ws()? == b'{' {
                        let mut id = IdentitySlots::default();
                        p.identity(&mut id, depth + 1)?;
                        s.identity = Some(id);
                        return Some(());
                    }
                    return p.slot(depth).map(drop);
                }
                b"Records" => {
                    once(&mut s.seen, 12)?;
                    s.batch = true;
                    return p.value(depth);
                }
                _ => return p.value(depth),
            };
            once(&mut s.seen, bit)?;
            *slot = p.slot(depth)?;
            Some(())
        })
    }

    fn identity(&mut self, id: &mut IdentitySlots, depth: usize) -> Option<()> {
        let mut seen = 0u32;
        self.members(depth, |p, key, depth| {
            let (bit, slot) = match key {
                b"type" => (0, &mut id.kind),
                b"arn" => (1, &mut id.arn),
                b"accessKeyId" => (2, &mut id.key),
                b"invokedBy" => (3, &mut id.invoked_by),
                _ => return p.value(depth),
            };
            once(&mut seen, bit)?;
            *slot = p.slot(depth)?;
            Some(())
        })
    }
}

/// The position of the first `"`, `\` or control character at or after `i` (or the end),
/// sixteen bytes at a time. Bytes >= 0x80 pass: the record's UTF-8 is validated once, elsewhere.
#[inline]
pub(crate) fn plain_end(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SSE2 is part of x86_64: one compare per kind of stop for 16 bytes.
        use std::arch::x86_64::*;
        while let Some(chunk) = b.get(i..i + 16) {
            // SAFETY: `chunk` is 16 readable bytes; SSE2 is always present on x86_64.
            let mask = unsafe {
                let v = _mm_loadu_si128(chunk.as_ptr().cast());
                let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
                let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
                // Control characters: bytes 0x00-0x1f, i.e. max(v, 0x1f) == 0x1f unsigned.
                let ctrl =
                    _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), ctrl))
            };
            if mask != 0 {
                return i + mask.trailing_zeros() as usize;
            }
            i += 16;
        }
    }
    // Two words per step: most strings end within 16 bytes, long ones go twice as fast.
    while let Some(chunk) = b.get(i..i + 16) {
        let (lo, hi) = chunk.split_at(8);
        let stop = stops(lo);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        let stop = stops(hi);
        if stop != 0 {
            return i + 8 + (stop.trailing_zeros() / 8) as usize;
        }
        i += 16;
    }
    while let Some(chunk) = b.get(i..i + 8) {
        let stop = stops(chunk);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// The high bit of each byte of the 8-byte `chunk` that is `"`, `\` or a control character.
/// The lowest flagged byte is exact (borrows only run upwards).
#[inline(always)]
fn stops(chunk: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    let w = u64::from_le_bytes(word);
    let quote = w ^ (LO * u64::from(b'"'));
    let slash = w ^ (LO * u64::from(b'\\'));
    ((quote.wrapping_sub(LO) & !quote)
        | (slash.wrapping_sub(LO) & !slash)
        | (w.wrapping_sub(LO * 0x20) & !w))
        & HI
}

/// Mark field `bit` seen; `None` if it already was (serde: "duplicate field").
fn once(seen: &mut u32, bit: u32) -> Option<()> {
    let mask = 1 << bit;
    (*seen & mask == 0).then(|| *seen |= mask)
}
