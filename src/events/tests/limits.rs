//! Resource bounds (record size, memory on a huge single line, gzip bombs, nesting) and the
//! accounting invariant under random corruption.

use super::*;
use std::io::Read;

/// A lazily generated `{"Records":[r,r,…]}` on one line: never held in memory whole.
struct OneLineArchive {
    record: Vec<u8>,
    remaining: u64,
    started: bool,
    finished: bool,
    pending: Vec<u8>,
    pos: usize,
}

impl OneLineArchive {
    fn new(record: Vec<u8>, count: u64) -> OneLineArchive {
        OneLineArchive {
            record,
            remaining: count,
            started: false,
            finished: false,
            pending: Vec::new(),
            pos: 0,
        }
    }
}

impl OneLineArchive {
    fn refill(&mut self) -> bool {
        self.pending.clear();
        self.pos = 0;
        if !self.started {
            self.started = true;
            self.pending.extend_from_slice(b"{\"Records\":[");
        } else if self.remaining > 0 {
            self.remaining -= 1;
            self.pending.extend_from_slice(&self.record);
            if self.remaining > 0 {
                self.pending.push(b',');
            }
        } else if !self.finished {
            self.finished = true;
            self.pending.extend_from_slice(b"]}");
        } else {
            return false;
        }
        true
    }
}

/// Fills every read completely, across record boundaries, as a file or gzip decoder does, so
/// records straddle the reader's buffer.
impl Read for OneLineArchive {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < out.len() {
            if self.pos == self.pending.len() && !self.refill() {
                break;
            }
            let n = (out.len() - written).min(self.pending.len() - self.pos);
            out[written..written + n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
            self.pos += n;
            written += n;
        }
        Ok(written)
    }
}

#[test]
fn a_huge_single_line_is_read_with_memory_for_one_record() {
    let record = serde_json::to_vec(&stratus_records()[5]).unwrap();
    let count = 14_000u64;
    let total = 12 + count * record.len() as u64 + (count - 1) + 2;
    assert!(total > 30_000_000, "the test file is {total} bytes");
    let mut passed = 0u64;
    let stats = read_records(
        OneLineArchive::new(record.clone(), count),
        EventFileKind::S3Records,
        &ReadOptions::default(),
        |r| {
            assert_eq!(r.at.line, 1);
            passed += 1;
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(passed, count);
    assert_eq!(stats.records_read, count);
    assert_eq!(stats.bytes_decoded, total);
    // Records straddling the read buffer are copied out whole: the record buffer grew to hold
    // one record (2,319 bytes), not the 32 MB line.
    assert!(stats.peak_record_buffer >= record.len(), "{stats:?}");
    assert!(stats.peak_record_buffer < 2 * record.len(), "{stats:?}");
}

#[test]
fn records_over_the_size_limit_are_skipped_and_reading_goes_on() {
    let opts = ReadOptions {
        limits: Limits {
            max_record_bytes: 2048,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    // The two AssumeRole records are 2,319 bytes; the others fit.
    for name in [S3_FILE, "records.jsonl", "eventbridge.jsonl"] {
        let (outcome, seen) = read_fixture_with(name, &opts);
        let FileOutcome::Read { stats, .. } = outcome else {
            panic!("{outcome:?}");
        };
        let indexes: Vec<_> = seen.iter().map(|s| s.index).collect();
        assert_eq!(indexes, [0, 1, 2, 3, 4, 6], "{name}");
        let skipped: Vec<_> = stats.problems.iter().map(|p| p.index).collect();
        assert_eq!(skipped, [5, 7], "{name}");
        assert_eq!(
            stats.problems[0].message,
            "the record is larger than the limit of 2048 bytes"
        );
        assert!(stats.peak_record_buffer <= 2048, "{name}: {stats:?}");
    }
}

#[test]
fn decompressed_size_limit_stops_after_the_records_within_it() {
    let opts = ReadOptions {
        limits: Limits {
            max_decompressed_bytes: 4096,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    let bytes = std::fs::read(fixture(S3_FILE)).unwrap();
    let (result, seen) = read_bytes(&bytes, EventFileKind::S3Records, &opts);
    let failure = result.unwrap_err();
    assert!(matches!(
        failure.error,
        ReadError::DecompressedTooLarge { limit: 4096, .. }
    ));
    assert_eq!(failure.stats.bytes_decoded, 4096);
    // Records that end within the first 4,096 bytes: `{"Records":[` then records and commas.
    let mut end = 12;
    let mut within = 0;
    for r in stratus_records() {
        end += serde_json::to_string(&r).unwrap().len() + 1;
        if end - 1 <= 4096 {
            within += 1;
        }
    }
    assert_eq!(seen.len(), within);
    assert_eq!(within, 4);
}

#[test]
fn gzip_bomb_ratio_is_refused() {
    let record = serde_json::to_string(&stratus_records()[0]).unwrap();
    let mut text = format!("{{\"Records\":[{record},");
    text.push_str(&" ".repeat(20 << 20));
    text.push_str(&record);
    text.push_str("]}");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut e, text.as_bytes()).unwrap();
    let bomb = e.finish().unwrap();
    assert!(bomb.len() < 40_000, "{}", bomb.len());
    let (result, seen) = read_bytes(&bomb, EventFileKind::S3Records, &ReadOptions::default());
    let failure = result.unwrap_err();
    let ReadError::RatioTooHigh { limit, .. } = failure.error else {
        panic!("{:?}", failure.error);
    };
    assert_eq!(limit, 250);
    assert_eq!(seen.len(), 1);
    assert!(
        failure
            .to_string()
            .starts_with("gzip expands more than 250:1")
    );
}

#[test]
fn nesting_depth_is_bounded() {
    let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
    let text = format!("{{\"Records\":[{deep}]}}");
    let (result, _) = read_bytes(
        text.as_bytes(),
        EventFileKind::S3Records,
        &ReadOptions::default(),
    );
    // One record lost, not the rest of the file (regression: a too-deep record used to stop
    // reading on the copying path while the in-place path let it through).
    let stats = result.unwrap();
    assert_eq!(stats.skipped.unparseable, 1);
    assert_eq!(stats.problems.len(), 1);
    assert_eq!(stats.problems[0].message, "nesting deeper than 512 levels");
    assert_eq!(stats.problems[0].at.column, 13);
    let record = format!(
        "{{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"x\":{deep}}}"
    );
    let text = format!("{{\"Records\":[{record},{record}]}}");
    let (result, seen) = read_bytes(
        text.as_bytes(),
        EventFileKind::S3Records,
        &ReadOptions::default(),
    );
    assert!(seen.is_empty());
    let fast = result.unwrap();
    assert_eq!(fast.skipped.unparseable, 2);
    assert_eq!(fast.problems[1].message, "nesting deeper than 512 levels");
    assert_same_as_slow_path(text.as_bytes(), EventFileKind::S3Records, &Ok(fast), &seen);
    // In JSON Lines only that line is lost.
    let good = std::fs::read_to_string(fixture("records.jsonl")).unwrap();
    let lines = format!("{deep}\n{good}");
    let (result, seen) = read_bytes(
        lines.as_bytes(),
        EventFileKind::JsonLines,
        &ReadOptions::default(),
    );
    let stats = result.unwrap();
    assert_eq!(seen.len(), 8);
    assert_eq!(stats.skipped.unparseable, 1);
    assert_eq!(seen[0].line, 2);
}

/// The in-place fast path must give exactly what the copying scanner path gives.
fn assert_same_as_slow_path(
    bytes: &[u8],
    kind: EventFileKind,
    fast: &Result<ReadStats, Box<ReadFailure>>,
    fast_seen: &[Seen],
) {
    crate::events::reader::tests::SLOW_PATH_ONLY.set(true);
    let (slow, slow_seen) = read_bytes(bytes, kind, &ReadOptions::default());
    crate::events::reader::tests::SLOW_PATH_ONLY.set(false);
    assert_eq!(fast_seen, slow_seen);
    let comparable = |r: &Result<ReadStats, Box<ReadFailure>>| match r {
        Ok(s) => (
            ReadStats {
                peak_record_buffer: 0,
                ..s.clone()
            },
            String::new(),
        ),
        Err(f) => (
            ReadStats {
                peak_record_buffer: 0,
                ..f.stats.clone()
            },
            format!("{:?}", f.error),
        ),
    };
    assert_eq!(comparable(fast), comparable(&slow));
}

#[test]
fn fast_path_matches_the_scanning_path_on_every_fixture() {
    let fixtures = [
        (S3_FILE, EventFileKind::S3Records),
        ("records-pretty.json", EventFileKind::S3Records),
        ("records.jsonl", EventFileKind::JsonLines),
        ("batches.jsonl", EventFileKind::JsonLines),
        ("sequence.json", EventFileKind::JsonSequence),
        ("broken-lines.jsonl", EventFileKind::JsonLines),
        ("broken-element.json", EventFileKind::S3Records),
        ("broken-structure.json", EventFileKind::S3Records),
        ("truncated.json.gz", EventFileKind::S3Records),
        (
            "stratus/aws.defense-evasion.organizations-leave.json",
            EventFileKind::RecordArray,
        ),
    ];
    for (name, kind) in fixtures {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let (result, seen) = read_bytes(&bytes, kind, &ReadOptions::default());
        assert_same_as_slow_path(&bytes, kind, &result, &seen);
    }
}

/// xorshift64*: a deterministic generator so failures reproduce.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn every_record_is_passed_or_skipped_under_random_corruption() {
    let sources = [
        ("records.jsonl", EventFileKind::JsonLines),
        ("records-pretty.json", EventFileKind::S3Records),
        (
            "eventbridge.jsonl",
            EventFileKind::EventBridge { lines: true },
        ),
        ("lookup-events.json", EventFileKind::LookupEvents),
    ];
    let alphabet = b"{}[]\",:\n\\x 0";
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for (name, kind) in sources {
        let original = std::fs::read(fixture(name)).unwrap();
        for round in 0..150 {
            let mut bytes = original.clone();
            let edits = 1 + next(&mut state) % 4;
            for _ in 0..edits {
                let at = (next(&mut state) % bytes.len() as u64) as usize;
                match next(&mut state) % 3 {
                    0 => bytes[at] = alphabet[(next(&mut state) % alphabet.len() as u64) as usize],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at.max(1)),
                }
            }
            let (result, seen) = read_bytes(&bytes, kind, &ReadOptions::default());
            assert_same_as_slow_path(&bytes, kind, &result, &seen);
            let stats = match &result {
                Ok(stats) => stats,
                Err(failure) => &failure.stats,
            };
            assert_accounting(stats);
            assert_eq!(
                stats.records_passed,
                seen.len() as u64,
                "{name} round {round}"
            );
            assert!(seen.iter().all(|s| s.value.is_object()));
            let indexes: Vec<_> = seen.iter().map(|s| s.index).collect();
            assert!(
                indexes.windows(2).all(|w| w[0] < w[1]),
                "{name} {indexes:?}"
            );
            if kind == EventFileKind::JsonLines {
                // A damaged line costs one item, or two when an edit made it an array whose
                // first element was read before the damage; an edit adds at most one line.
                assert!(
                    stats.records_read <= 8 + 2 * edits,
                    "{name} round {round}: {stats:?}"
                );
            }
        }
    }
}
