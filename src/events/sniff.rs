//! Recognising an event source from the head of a file (gzip is looked through), not from its
//! name: `.json` is also CloudFormation, Terraform plans and live exports, which must never be
//! claimed as events.
//!
//! The head is parsed into a shallow, cut-tolerant outline (keys and strings of the first value,
//! four levels deep) and matched against each format's shape.

use super::EventFileKind;
use super::gzip;
use std::path::{Component, Path};

/// How many bytes of a file [`sniff`] wants (more is ignored, less may be undecidable).
pub const HEAD_LEN: usize = 64 << 10;

/// Levels of the outline kept; deeper values are skipped.
const OUTLINE_DEPTH: usize = 4;

/// Recognise an event source from its path and the first bytes of its content (up to
/// [`HEAD_LEN`]; gzip is decompressed here). `None` means "not an event source".
pub fn sniff(path: &Path, head: &[u8]) -> Option<EventFileKind> {
    let decoded;
    let text = if gzip::is_gzip(head) {
        decoded = gzip::decompress_head(head, HEAD_LEN);
        &decoded[..]
    } else {
        head
    };
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let in_digest_dir = path
        .components()
        .any(|c| matches!(c, Component::Normal(s) if s == "CloudTrail-Digest"));
    let mut p = Outliner { b: text, pos: 0 };
    p.ws();
    let start = p.pos;
    let first = p.value(0);
    if in_digest_dir && start < text.len() {
        return Some(EventFileKind::Digest);
    }
    let single_line = complete(&first) && memchr::memchr(b'\n', &text[start..p.pos]).is_none();
    p.ws();
    let more = p.pos < text.len();
    classify(&first, single_line, more)
}

fn classify(first: &Outline, single_line: bool, more: bool) -> Option<EventFileKind> {
    match first {
        Outline::Obj { entries, .. } => classify_object(first, entries, single_line, more),
        Outline::Arr { items, .. } => match items.first()? {
            item if record_like(item) => Some(EventFileKind::RecordArray),
            item if envelope_like(item) => Some(EventFileKind::EventBridge { lines: false }),
            _ => None,
        },
        _ => None,
    }
}

fn classify_object(
    top: &Outline,
    entries: &[(&[u8], Outline)],
    single_line: bool,
    more: bool,
) -> Option<EventFileKind> {
    let has = |k: &[u8]| get(entries, k).is_some();
    if has(b"digestS3Object") || (has(b"digestStartTime") && has(b"digestEndTime")) {
        return Some(EventFileKind::Digest);
    }
    if let Some(Outline::Arr { items, .. }) = get(entries, b"Records") {
        // The `Records` key is strong evidence; a first item cut by the head end is trusted
        // unless what is visible of it says it is a Lambda event-source record.
        let ok = match items.first() {
            None | Some(Outline::Cut) => true,
            Some(item @ Outline::Obj { complete, .. }) => {
                record_like(item) || (!complete && !lambda_source(item))
            }
            Some(_) => false,
        };
        return ok.then_some(if single_line && more {
            EventFileKind::JsonLines
        } else {
            EventFileKind::S3Records
        });
    }
    if let Some(Outline::Arr { items, .. }) = get(entries, b"Events") {
        let first = items.first()?;
        return (has_key(first, b"CloudTrailEvent") || has_key(first, b"EventId"))
            .then_some(EventFileKind::LookupEvents);
    }
    if envelope_like(top) {
        return Some(EventFileKind::EventBridge { lines: single_line });
    }
    for key in [&b"logEvents"[..], b"events"] {
        if let Some(Outline::Arr { items, .. }) = get(entries, key) {
            let message = items.first().and_then(|i| field(i, b"message"));
            let carries_record = matches!(message, Some(Outline::Str(s))
                if memchr::memmem::find(s, br#"\"eventVersion\""#).is_some());
            return carries_record.then_some(EventFileKind::CloudWatchLogs);
        }
    }
    if record_like(top) {
        return Some(if single_line {
            EventFileKind::JsonLines
        } else {
            EventFileKind::JsonSequence
        });
    }
    None
}

/// A CloudTrail record, as far as it is visible: the same test as `Header::is_event`.
fn record_like(v: &Outline) -> bool {
    let shaped = has_key(v, b"eventVersion")
        || (has_key(v, b"eventTime") && (has_key(v, b"eventName") || has_key(v, b"eventType")));
    shaped && !lambda_source(v)
}

fn lambda_source(v: &Outline) -> bool {
    matches!(field(v, b"eventSource"), Some(Outline::Str(s)) if s.starts_with(b"aws:"))
}

/// An EventBridge event carrying a CloudTrail record.
fn envelope_like(v: &Outline) -> bool {
    matches!(field(v, b"detail-type"), Some(Outline::Str(s)) if s.ends_with(b"via CloudTrail"))
}

fn get<'o, 'a>(entries: &'o [(&'a [u8], Outline<'a>)], key: &[u8]) -> Option<&'o Outline<'a>> {
    entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

fn field<'o, 'a>(v: &'o Outline<'a>, key: &[u8]) -> Option<&'o Outline<'a>> {
    match v {
        Outline::Obj { entries, .. } => get(entries, key),
        _ => None,
    }
}

fn has_key(v: &Outline, key: &[u8]) -> bool {
    field(v, key).is_some()
}

/// Whether a value was seen to its end.
fn complete(v: &Outline) -> bool {
    !matches!(
        v,
        Outline::Cut
            | Outline::Obj {
                complete: false,
                ..
            }
            | Outline::Arr {
                complete: false,
                ..
            }
    )
}

/// Invalid JSON later in a container (a damaged record deep in a file) does not undo what was
/// seen before it: the container is kept as cut there. Invalid from the start, it is `Bad`.
fn bad_unless_started<'a>(empty: bool, partial: Outline<'a>) -> Outline<'a> {
    if empty { Outline::Bad } else { partial }
}

/// A shallow picture of the start of a JSON text; tolerant of being cut anywhere.
#[derive(Debug)]
enum Outline<'a> {
    Obj {
        entries: Vec<(&'a [u8], Outline<'a>)>,
        complete: bool,
    },
    Arr {
        items: Vec<Outline<'a>>,
        complete: bool,
    },
    /// A string's raw bytes (escapes kept).
    Str(&'a [u8]),
    /// A number, a literal, or a value below the outline depth.
    Other,
    /// The head ends inside this value.
    Cut,
    /// Not JSON.
    Bad,
}

struct Outliner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Outliner<'a> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.pos) == Some(&c);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn value(&mut self, depth: usize) -> Outline<'a> {
        self.ws();
        match self.b.get(self.pos) {
            None => Outline::Cut,
            Some(b'{' | b'[') if depth >= OUTLINE_DEPTH => self.skip(),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => match self.string() {
                Some(s) => Outline::Str(s),
                None => Outline::Cut,
            },
            Some(b',' | b':' | b']' | b'}') => Outline::Bad,
            Some(_) => {
                let rest = &self.b[self.pos..];
                match rest.iter().position(|c| b",]} \t\r\n".contains(c)) {
                    Some(n) => {
                        self.pos += n;
                        Outline::Other
                    }
                    None => Outline::Cut,
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Outline<'a> {
        self.pos += 1;
        let mut entries = Vec::new();
        let cut = |entries| Outline::Obj {
            entries,
            complete: false,
        };
        if self.eat(b'}') {
            return Outline::Obj {
                entries,
                complete: true,
            };
        }
        loop {
            self.ws();
            if self.pos >= self.b.len() {
                return cut(entries);
            }
            if self.b[self.pos] != b'"' {
                return Outline::Bad;
            }
            let Some(key) = self.string() else {
                return cut(entries);
            };
            if !self.eat(b':') {
                return if self.pos >= self.b.len() {
                    cut(entries)
                } else {
                    bad_unless_started(entries.is_empty(), cut(entries))
                };
            }
            let v = self.value(depth + 1);
            if matches!(v, Outline::Bad) {
                return bad_unless_started(entries.is_empty(), cut(entries));
            }
            let stop = !complete(&v);
            entries.push((key, v));
            if stop {
                return cut(entries);
            }
            if self.eat(b'}') {
                return Outline::Obj {
                    entries,
                    complete: true,
                };
            }
            if !self.eat(b',') {
                return if self.pos >= self.b.len() {
                    cut(entries)
                } else {
                    bad_unless_started(entries.is_empty(), cut(entries))
                };
            }
        }
    }

    fn array(&mut self, depth: usize) -> Outline<'a> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Outline::Arr {
                items,
                complete: true,
            };
        }
        loop {
            // Only the first item is looked at: later ones are skipped over, not outlined (a
            // 64 KB head holds some fifty records of an S3 log file).
            let v = self.value(if items.is_empty() {
                depth + 1
            } else {
                OUTLINE_DEPTH
            });
            if matches!(v, Outline::Bad) {
                let partial = Outline::Arr {
                    items,
                    complete: false,
                };
                return bad_unless_started(
                    matches!(&partial, Outline::Arr { items, .. } if items.is_empty()),
                    partial,
                );
            }
            let stop = !complete(&v);
            items.push(v);
            if stop {
                return Outline::Arr {
                    items,
                    complete: false,
                };
            }
            if self.eat(b']') {
                return Outline::Arr {
                    items,
                    complete: true,
                };
            }
            if !self.eat(b',') {
                // Damage after the first items does not undo them (see `bad_unless_started`).
                return Outline::Arr {
                    items,
                    complete: false,
                };
            }
        }
    }

    /// A string at `pos` (on the opening quote); its raw content, or `None` if cut.
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.pos + 1;
        let mut i = start;
        loop {
            match self.b.get(i)? {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    return self.b.get(start..i);
                }
                _ => i += 1,
            }
        }
    }

    /// Skip a container below the outline depth, without recursion.
    fn skip(&mut self) -> Outline<'a> {
        let mut depth = 0usize;
        while let Some(&c) = self.b.get(self.pos) {
            match c {
                b'"' => {
                    if self.string().is_none() {
                        return Outline::Cut;
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return Outline::Other;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        Outline::Cut
    }
}

#[cfg(test)]
mod damaged_first_record {
    use super::*;

    /// Regression (issue #5, 100,000-file test): a log whose first record is damaged right after
    /// its first field was not recognised, so a walked directory skipped the whole file as "not
    /// a template" instead of reading its other records.
    #[test]
    fn damage_after_the_first_field_keeps_what_was_seen() {
        let p = Path::new("x.json");
        let bad_first = br#"{"Records":[{"eventVersion":"1.08" broken},{"eventVersion":"1.08"}]}"#;
        assert_eq!(sniff(p, bad_first), Some(EventFileKind::S3Records));
        let bad_key = br#"{"Records":[{"eventVersion":"1.08","eventTime" "x"}]}"#;
        assert_eq!(sniff(p, bad_key), Some(EventFileKind::S3Records));
        let bad_between = br#"[{"eventVersion":"1.08","eventTime":"t","eventName":"X"} {"a":1}]"#;
        assert_eq!(sniff(p, bad_between), Some(EventFileKind::RecordArray));
        // Damage before anything is recognisable still means "not events".
        assert_eq!(sniff(p, br#"{"Records" [1]}"#), None);
        assert_eq!(sniff(p, br#"{"name": "x" "y"}"#), None);
    }
}
