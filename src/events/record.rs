//! From a captured item to a record: the item itself, its `detail` (EventBridge) or an embedded
//! JSON string (`CloudTrailEvent`, CloudWatch `message`); header parse, event test, time
//! window, and the accounting and positions of everything skipped.

use super::header::{Header, MaybeStr};
use super::stats::{Position, ReadStats, SkipReason};
use super::window::WindowCheck;
use super::{ReadOptions, Record};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::ops::ControlFlow;

/// The per-file state records flow into: options, callback, counts.
pub(crate) struct Sink<'o, F> {
    pub opts: &'o ReadOptions,
    pub on_record: F,
    pub stats: ReadStats,
    pub next_index: u64,
    pub stop: bool,
}

impl<F: FnMut(Record<'_>) -> ControlFlow<()>> Sink<'_, F> {
    pub(crate) fn take_index(&mut self) -> u64 {
        let index = self.next_index;
        self.next_index += 1;
        index
    }

    /// Not an object: valid JSON is "not an event", anything else is unparseable.
    fn non_object(&mut self, text: &str, verbatim: bool, at: Position, index: u64) {
        match serde_json::from_str::<IgnoredAny>(text) {
            Ok(_) => self.stats.skip(SkipReason::NotAnEvent),
            Err(e) => self.unparseable(text, verbatim, at, index, &e),
        }
    }

    fn unparseable(
        &mut self,
        text: &str,
        verbatim: bool,
        at: Position,
        index: u64,
        e: &serde_json::Error,
    ) {
        // Positions inside an unescaped embedded string do not map back to the file.
        let pos = if verbatim { locate(at, text, e) } else { at };
        let full = e.to_string();
        let message = match full.rsplit_once(" at line ") {
            Some((m, _)) => m.to_string(),
            None => full,
        };
        self.stats.problem(index, pos, message);
    }

    /// `text` is one record candidate; `verbatim` when it is a slice of the file.
    pub(crate) fn record(&mut self, text: &str, verbatim: bool, at: Position, index: u64) {
        if first_byte(text) != Some(b'{') {
            return self.non_object(text, verbatim, at, index);
        }
        let header = match Header::parse(text) {
            Ok(h) => h,
            Err(e) => return self.unparseable(text, verbatim, at, index, &e),
        };
        self.accept(text, at, index, header);
    }

    /// A parsed record: pass it on if it is an event inside the window, else count the skip.
    pub(crate) fn accept(&mut self, text: &str, at: Position, index: u64, header: Header<'_>) {
        if !header.is_event() {
            return self.stats.skip(SkipReason::NotAnEvent);
        }
        match self.opts.window.check(header.event_time.as_deref()) {
            WindowCheck::Inside => {}
            WindowCheck::Outside => return self.stats.skip(SkipReason::OutsideTimeWindow),
            WindowCheck::NoTime => return self.stats.skip(SkipReason::NoEventTime),
        }
        self.stats.records_read += 1;
        self.stats.records_passed += 1;
        let record = Record {
            raw: text,
            index,
            at,
            header,
        };
        if (self.on_record)(record).is_break() {
            self.stop = true;
            self.stats.stopped_early = true;
        }
    }

    /// The record is the item's field `name` (EventBridge `detail`, lookup-events
    /// `CloudTrailEvent`, CloudWatch `message`).
    pub(crate) fn field(
        &mut self,
        text: &str,
        at: Position,
        index: u64,
        name: &str,
        embedded: bool,
    ) {
        if first_byte(text) != Some(b'{') {
            return self.non_object(text, true, at, index);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let picked = Pick { name }.deserialize(&mut de).and_then(|v| {
            de.end()?;
            Ok(v)
        });
        let raw = match picked {
            Ok(Some(raw)) => raw,
            Ok(None) => return self.stats.skip(SkipReason::NotAnEvent),
            Err(e) => return self.unparseable(text, true, at, index, &e),
        };
        let inner = raw.get();
        let start = (inner.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let sub = advance(at, text.as_bytes().get(..start).unwrap_or_default());
        if !embedded {
            return self.record(inner, true, sub, index);
        }
        match serde_json::from_str::<MaybeStr<'_>>(inner) {
            // A log message that is not a JSON object (a CloudWatch control message) is not
            // a broken record.
            Ok(MaybeStr(Some(s))) if first_byte(&s) == Some(b'{') => {
                self.record(&s, false, sub, index)
            }
            _ => self.stats.skip(SkipReason::NotAnEvent),
        }
    }
}

fn first_byte(text: &str) -> Option<u8> {
    text.bytes().find(|b| !b.is_ascii_whitespace())
}

/// The position just after `before`, which starts at `at`.
pub(crate) fn advance(at: Position, before: &[u8]) -> Position {
    let newlines = memchr::memchr_iter(b'\n', before).count() as u64;
    let column = match memchr::memrchr(b'\n', before) {
        Some(last) => (before.len() - last) as u64,
        None => at.column + before.len() as u64,
    };
    Position {
        offset: at.offset + before.len() as u64,
        line: at.line + newlines,
        column,
    }
}

/// Map serde's 1-based line/column inside `text` to a file position.
fn locate(at: Position, text: &str, e: &serde_json::Error) -> Position {
    if e.line() == 0 {
        return at;
    }
    let bytes = text.as_bytes();
    let line_start = if e.line() == 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', bytes)
            .nth(e.line() - 2)
            .map_or(bytes.len(), |i| i + 1)
    };
    let index = (line_start + e.column().saturating_sub(1)).min(bytes.len());
    advance(at, &bytes[..index])
}

/// Reads one field of an object as raw JSON, ignoring (but validating) the others.
struct Pick<'n> {
    name: &'n str,
}

impl<'de> DeserializeSeed<'de> for Pick<'_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Pick<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(MaybeStr(key)) = map.next_key::<MaybeStr<'de>>()? {
            if found.is_none() && key.as_deref() == Some(self.name) {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}
