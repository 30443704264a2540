//! The record reader: drives the [`Scanner`] over the layouts every event kind shares (top-level
//! arrays, batch objects such as `{"Records":[…]}`, values one after another or one per line),
//! turns each item into a record (itself, its `detail`, or an embedded JSON string) and keeps
//! the accounting: every item is passed on or skipped with a reason.

use super::gzip::{self, BoundedGzip, Counted, GzipLimit};
use super::pool::PooledReader;
use super::record::{Sink, advance};
use super::scan::{Capture, ScanError, ScanErrorKind, Scanner};
use super::stats::{Position, ReadStats};
use super::{EventFileKind, ReadError, ReadFailure, ReadOptions, Record};
use std::io::{self, BufRead, Read};
use std::ops::ControlFlow;

/// Read-buffer size, before and after decompression. Large enough that few records straddle
/// its end (those take the slower copying path, see `Reader::fast_record`).
const BUFFER: usize = 256 << 10;

/// How a kind is laid out: which batch keys hold arrays of items, and what an item is.
#[derive(Clone, Copy)]
struct Plan {
    lines: bool,
    /// Keys whose array value holds the items, e.g. `"Records"` (with the quotes, as scanned).
    batch_keys: &'static [&'static [u8]],
    item: Item,
}

#[derive(Clone, Copy)]
enum Item {
    /// The item is the record.
    Record,
    /// The record is the item's field `name`; `embedded` when that field is a string of JSON.
    Field { name: &'static str, embedded: bool },
}

fn plan(kind: EventFileKind) -> Plan {
    const RECORDS: &[&[u8]] = &[b"\"Records\""];
    let records = |lines| Plan {
        lines,
        batch_keys: RECORDS,
        item: Item::Record,
    };
    match kind {
        EventFileKind::S3Records
        | EventFileKind::RecordArray
        | EventFileKind::JsonSequence
        | EventFileKind::Digest => records(false),
        EventFileKind::JsonLines => records(true),
        EventFileKind::LookupEvents => Plan {
            lines: false,
            batch_keys: &[b"\"Events\""],
            item: Item::Field {
                name: "CloudTrailEvent",
                embedded: true,
            },
        },
        EventFileKind::EventBridge { lines } => Plan {
            lines,
            batch_keys: &[],
            item: Item::Field {
                name: "detail",
                embedded: false,
            },
        },
        EventFileKind::CloudWatchLogs => Plan {
            lines: false,
            batch_keys: &[b"\"logEvents\"", b"\"events\""],
            item: Item::Field {
                name: "message",
                embedded: true,
            },
        },
    }
}

pub(crate) fn read<R: Read, F>(
    source: R,
    kind: EventFileKind,
    opts: &ReadOptions,
    on_record: F,
) -> Result<ReadStats, Box<ReadFailure>>
where
    F: FnMut(Record<'_>) -> ControlFlow<()>,
{
    let (counted, count) = Counted::new(source);
    let mut raw = PooledReader::new(BUFFER, counted);
    let gzip = match raw.fill_buf() {
        Ok(head) => gzip::is_gzip(head),
        Err(source) => {
            return Err(Box::new(ReadFailure {
                error: ReadError::Io {
                    at: Position::default(),
                    source,
                },
                stats: ReadStats::default(),
            }));
        }
    };
    let sink = Sink {
        opts,
        on_record,
        stats: ReadStats {
            gzip,
            ..ReadStats::default()
        },
        next_index: 0,
        stop: false,
    };
    let limits = &opts.limits;
    let (result, mut stats) = if gzip {
        let decoder = BoundedGzip::new(
            raw,
            count.clone(),
            limits.max_decompressed_bytes,
            limits.max_compression_ratio,
        );
        run(PooledReader::new(BUFFER, decoder), plan(kind), sink)
    } else {
        run(raw, plan(kind), sink)
    };
    stats.bytes_read = count.get();
    match result {
        Ok(()) => Ok(stats),
        Err(error) => Err(Box::new(ReadFailure { error, stats })),
    }
}

fn run<R: BufRead, F>(src: R, plan: Plan, sink: Sink<'_, F>) -> (Result<(), ReadError>, ReadStats)
where
    F: FnMut(Record<'_>) -> ControlFlow<()>,
{
    let limits = sink.opts.limits;
    let gzip = sink.stats.gzip;
    let mut reader = Reader {
        sc: Scanner::new(src, plan.lines, limits.max_depth),
        buf: Capture::new(limits.max_record_bytes),
        plan,
        sink,
    };
    let result = reader.top().map_err(|e| fatal(e, gzip));
    let mut stats = reader.sink.stats;
    stats.bytes_decoded = reader.sc.offset();
    stats.peak_record_buffer = reader.buf.peak;
    (result, stats)
}

/// Turn a scan error that stops the file into the user-facing error.
fn fatal(e: ScanError, gzip: bool) -> ReadError {
    let at = e.at;
    match e.kind {
        ScanErrorKind::Io(source) => match gzip::limit_of(&source) {
            Some(GzipLimit::Size { limit }) => ReadError::DecompressedTooLarge { at, limit },
            Some(GzipLimit::Ratio {
                limit,
                compressed,
                decompressed,
            }) => ReadError::RatioTooHigh {
                at,
                limit,
                compressed,
                decompressed,
            },
            None if gzip && source.kind() == io::ErrorKind::UnexpectedEof => {
                ReadError::GzipTruncated { at }
            }
            None if gzip
                && matches!(
                    source.kind(),
                    io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
                ) =>
            {
                ReadError::GzipCorrupt {
                    at,
                    message: source.to_string(),
                }
            }
            None => ReadError::Io { at, source },
        },
        ScanErrorKind::Eof => ReadError::Truncated { at },
        ScanErrorKind::Syntax(message) => ReadError::Syntax {
            at,
            message: message.to_string(),
        },
    }
}

fn syntax(at: Position, message: &'static str) -> ScanError {
    ScanError {
        kind: ScanErrorKind::Syntax(message),
        at,
    }
}

struct Reader<'o, R, F> {
    sc: Scanner<R>,
    buf: Capture,
    plan: Plan,
    sink: Sink<'o, F>,
}

impl<R: BufRead, F: FnMut(Record<'_>) -> ControlFlow<()>> Reader<'_, R, F> {
    /// Top-level values one after another; in JSON Lines a bad value costs only its line.
    fn top(&mut self) -> Result<(), ScanError> {
        self.sc.skip_bom()?;
        while !self.sink.stop {
            let Some(first) = self.sc.skip_ws(None)? else {
                return Ok(());
            };
            let at = self.sc.pos();
            let step = match first {
                b'[' => self.array().map(|()| false),
                b'{' => match self.fast_record(at)? {
                    true => Ok(false),
                    false => self.object(),
                },
                _ => self.capture().map(|()| true),
            };
            let problem = match step {
                // JSON Lines: text after the value on its line makes the whole line one bad
                // record, so the captured value is dropped with it.
                Ok(_) if self.plan.lines && !self.sink.stop && !self.sc.at_line_end()? => {
                    (self.sc.pos(), "unexpected text after a value")
                }
                Ok(captured) => {
                    if captured {
                        self.handle(at);
                    }
                    continue;
                }
                Err(e) if !self.plan.lines || matches!(e.kind, ScanErrorKind::Io(_)) => {
                    return Err(e);
                }
                Err(ScanError {
                    kind: ScanErrorKind::Syntax(m),
                    at,
                }) => (at, m),
                Err(ScanError { at, .. }) => (at, "the file ends inside a record"),
            };
            let (pos, what) = problem;
            let index = self.sink.take_index();
            let message = format!("{what}; the rest of line {} was skipped", pos.line);
            self.sink.stats.problem(index, pos, message);
            if !self.sc.skip_line()? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The next significant byte; end of input here is inside a value.
    fn next_byte(&mut self, capture: bool) -> Result<u8, ScanError> {
        let out = if capture { Some(&mut self.buf) } else { None };
        match self.sc.skip_ws(out)? {
            Some(b) => Ok(b),
            None => Err(ScanError {
                kind: ScanErrorKind::Eof,
                at: self.sc.pos(),
            }),
        }
    }

    /// An array whose elements are items.
    fn array(&mut self) -> Result<(), ScanError> {
        self.sc.open(b'[', None)?;
        loop {
            if self.next_byte(false)? == b']' {
                return self.sc.close(None);
            }
            let at = self.sc.pos();
            if !self.fast_record(at)? {
                self.capture()?;
                self.handle(at);
            }
            match self.next_byte(false)? {
                b',' => self.sc.bump(None)?,
                b']' => return self.sc.close(None),
                _ => return Err(syntax(self.sc.pos(), "expected `,` or `]` after a record")),
            }
            if self.sink.stop {
                return Ok(());
            }
        }
    }

    /// A top-level object: an item, or a batch whose array under a batch key holds the items.
    /// It is captured key by key, so a batch is recognised when its key is reached and its
    /// (possibly huge) array is streamed rather than stored. Returns true when the object
    /// itself is the captured item (not yet handled), false for a batch (already handled).
    fn object(&mut self) -> Result<bool, ScanError> {
        self.buf.clear();
        self.sc.open(b'{', Some(&mut self.buf))?;
        loop {
            match self.next_byte(true)? {
                b'}' => break,
                b'"' => {}
                _ => return Err(syntax(self.sc.pos(), "expected a key")),
            }
            let key_start = self.buf.data.len();
            self.sc.value(Some(&mut self.buf))?;
            let key_end = self.buf.data.len();
            if self.next_byte(true)? != b':' {
                return Err(syntax(self.sc.pos(), "expected `:` after a key"));
            }
            self.sc.bump(Some(&mut self.buf))?;
            let value_start = self.next_byte(true)?;
            let key = self.buf.data.get(key_start..key_end).unwrap_or_default();
            let is_batch = !self.buf.overflow && self.plan.batch_keys.contains(&key);
            if value_start == b'[' && is_batch {
                return self.rest_of_batch().map(|()| false);
            }
            self.sc.value(Some(&mut self.buf))?;
            match self.next_byte(true)? {
                b',' => self.sc.bump(Some(&mut self.buf))?,
                b'}' => break,
                _ => return Err(syntax(self.sc.pos(), "expected `,` or `}` after a value")),
            }
        }
        self.sc.close(Some(&mut self.buf))?;
        Ok(true)
    }

    /// Stream a batch's item array, then skip the object's other members (`NextToken`, …).
    fn rest_of_batch(&mut self) -> Result<(), ScanError> {
        self.array()?;
        while !self.sink.stop {
            match self.next_byte(false)? {
                b'}' => return self.sc.close(None),
                b',' => self.sc.bump(None)?,
                _ => return Err(syntax(self.sc.pos(), "expected `,` or `}` after a value")),
            }
            self.next_byte(false)?;
            self.sc.value(None)?;
            if self.next_byte(false)? != b':' {
                return Err(syntax(self.sc.pos(), "expected `:` after a key"));
            }
            self.sc.bump(None)?;
            self.next_byte(false)?;
            self.sc.value(None)?;
        }
        Ok(())
    }

    /// The common case, without copying or pre-scanning: a record wholly inside the read buffer
    /// is parsed in place by serde, which finds its end in the same pass. Anything else (a
    /// record straddling the buffer end, invalid JSON, a non-object, a batch, a line break in
    /// JSON Lines, a field-type item) consumes nothing and returns false, and the scanning
    /// path handles it with the same result a valid record gets here.
    fn fast_record(&mut self, at: Position) -> Result<bool, ScanError> {
        #[cfg(test)]
        if tests::SLOW_PATH_ONLY.get() {
            return Ok(false);
        }
        if !matches!(self.plan.item, Item::Record) {
            return Ok(false);
        }
        let max = self.sc.max_depth();
        let chunk = self.sc.buffered()?;
        if chunk.first() != Some(&b'{') {
            return Ok(false);
        }
        let Some((header, text)) = super::fast::parse(chunk, max) else {
            return Ok(false);
        };
        let (bytes, rest) = chunk.split_at(text.len());
        // JSON Lines: the record must be alone on its line, and the line's end must be in view.
        let broken_line = self.plan.lines
            && (memchr::memchr(b'\n', bytes).is_some()
                || rest.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\r')) != Some(&b'\n'));
        if header.batch || broken_line || text.len() > self.buf.limit {
            return Ok(false);
        }
        let len = text.len();
        let index = self.sink.take_index();
        self.sink.accept(text, at, index, header);
        self.sc.consume_parsed(len)?;
        Ok(true)
    }

    /// Capture one value into the buffer.
    fn capture(&mut self) -> Result<(), ScanError> {
        self.buf.clear();
        self.sc.value(Some(&mut self.buf))
    }

    /// Account for the captured item and pass its record on if it is one.
    fn handle(&mut self, at: Position) {
        let index = self.sink.take_index();
        if self.buf.too_deep && !self.buf.overflow {
            let message = format!("nesting deeper than {} levels", self.sc.max_depth());
            return self.sink.stats.problem(index, at, message);
        }
        if self.buf.overflow {
            let message = format!(
                "the record is larger than the limit of {} bytes",
                self.buf.limit
            );
            return self.sink.stats.problem(index, at, message);
        }
        let text = match std::str::from_utf8(&self.buf.data) {
            Ok(text) => text,
            Err(e) => {
                let valid = self.buf.data.get(..e.valid_up_to()).unwrap_or_default();
                let message = "invalid UTF-8".to_string();
                return self.sink.stats.problem(index, advance(at, valid), message);
            }
        };
        match self.plan.item {
            Item::Record => self.sink.record(text, true, at, index),
            Item::Field { name, embedded } => self.sink.field(text, at, index, name, embedded),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    thread_local! {
        /// Differential tests turn the fast path off to compare it with the scanning path.
        pub(crate) static SLOW_PATH_ONLY: Cell<bool> = const { Cell::new(false) };
    }
}
