//! Property tests (issue #5): the event readers never panic, never hang, and keep the record
//! accounting exact (`read == passed + skipped`), whatever the bytes: every event kind (S3
//! `Records`, arrays, JSON Lines, sequences, lookup-events, EventBridge, CloudWatch Logs),
//! plain or gzip, whole or cut.
//!
//! Seeds are the repository's event fixtures, mutated structurally (a record field replaced by
//! any JSON value) and at the byte level. `PROPTEST_CASES` raises the 256 cases per property for
//! long runs (docs/robustness.md).

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use trailguard::events::{self, EventFileKind, Limits, ReadOptions};

const SEEDS: &[&str] = &[
    "records-pretty.json",
    "records.jsonl",
    "batches.jsonl",
    "sequence.json",
    "lookup-events.json",
    "eventbridge.json",
    "eventbridge.jsonl",
    "eventbridge-array.json",
    "filter-log-events.json",
    "broken-element.json",
    "broken-lines.jsonl",
    "stratus/aws.defense-evasion.cloudtrail-stop.json",
];

const KINDS: &[EventFileKind] = &[
    EventFileKind::S3Records,
    EventFileKind::RecordArray,
    EventFileKind::JsonLines,
    EventFileKind::JsonSequence,
    EventFileKind::LookupEvents,
    EventFileKind::EventBridge { lines: false },
    EventFileKind::EventBridge { lines: true },
    EventFileKind::CloudWatchLogs,
];

fn seed(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Small limits, so the limit paths are exercised too.
fn opts(small: bool) -> ReadOptions {
    let mut o = ReadOptions::default();
    if small {
        o.limits = Limits {
            max_record_bytes: 700,
            max_decompressed_bytes: 4096,
            max_compression_ratio: 2,
            max_depth: 6,
        };
    }
    o
}

/// Read `bytes` as `kind` and check the accounting; returns the records passed.
fn read_checked(bytes: &[u8], kind: EventFileKind, o: &ReadOptions) -> Result<u64, TestCaseError> {
    let mut passed = 0u64;
    let result = events::read_records(bytes, kind, o, |r| {
        // A passed record is a JSON object whose header was read from it.
        assert!(r.raw.trim_start().starts_with('{'), "{}", r.raw);
        passed += 1;
        ControlFlow::Continue(())
    });
    let stats = match result {
        Ok(s) => s,
        Err(failure) => failure.stats,
    };
    prop_assert_eq!(stats.records_passed, passed);
    prop_assert_eq!(
        stats.records_read,
        stats.records_passed + stats.skipped.total(),
        "read != passed + skipped"
    );
    prop_assert!(stats.problems.len() <= events::MAX_PROBLEMS_PER_FILE);
    Ok(passed)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[ -~]{0,12}".prop_map(Value::String),
        Just(json!("\\\"{[")),
        Just(json!({"type": "Root", "arn": 5})),
        Just(json!([[[[[[[[1]]]]]]]])),
        Just(json!("{\"eventVersion\":\"1.08\",\"eventTime\":\"x\"")),
    ]
}

/// Set field `key` of the `pick`-th object (pre-order) found anywhere in `v`.
fn set_somewhere(v: &mut Value, pick: usize, key: &str, with: Value) {
    fn count(v: &Value) -> usize {
        let own = usize::from(v.is_object());
        own + match v {
            Value::Object(o) => o.values().map(count).sum(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    fn go(v: &mut Value, mut n: usize, key: &str, with: &mut Option<Value>) {
        if let Value::Object(o) = v {
            if n == 0 {
                if let Some(w) = with.take() {
                    o.insert(key.to_string(), w);
                }
                return;
            }
            n -= 1;
        }
        let children: Vec<&mut Value> = match v {
            Value::Object(o) => o.values_mut().collect(),
            Value::Array(a) => a.iter_mut().collect(),
            _ => return,
        };
        for c in children {
            let size = count(c);
            if n < size {
                return go(c, n, key, with);
            }
            n -= size;
        }
    }
    let total = count(v);
    if total > 0 {
        go(v, pick % total, key, &mut Some(with));
    }
}

const KEYS: &[&str] = &[
    "eventVersion",
    "eventTime",
    "eventName",
    "eventSource",
    "userIdentity",
    "readOnly",
    "eventID",
    "Records",
    "detail",
    "detail-type",
    "CloudTrailEvent",
    "message",
    "logEvents",
    "Events",
    "requestParameters",
];

#[derive(Debug, Clone)]
enum Damage {
    None,
    Cut(usize),
    Flip(usize, u8),
    Insert(usize, &'static [u8]),
}

const JUNK: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b"\n",
    b"\xff",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\x1f\x8b",
    b"{\"Records\":[",
    b"]}",
];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::None),
        any::<usize>().prop_map(Damage::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (any::<usize>(), prop::sample::select(JUNK)).prop_map(|(i, j)| Damage::Insert(i, j)),
    ]
}

fn hurt(mut b: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let len = b.len();
        match *d {
            Damage::None => {}
            Damage::Cut(i) => b.truncate(i % (len + 1)),
            Damage::Flip(i, x) if len > 0 => b[i % len] ^= x,
            Damage::Flip(..) => {}
            Damage::Insert(i, j) => {
                let k = i % (len + 1);
                b.splice(k..k, j.iter().copied());
            }
        }
    }
    b
}

proptest! {
    #[test]
    fn sniff_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048), gz in any::<bool>()) {
        let data = if gz { gzip(&bytes) } else { bytes };
        let _ = events::sniff(Path::new("x.json"), &data);
        let _ = events::sniff(Path::new("AWSLogs/1/CloudTrail-Digest/x.json.gz"), &data);
    }

    #[test]
    fn arbitrary_bytes_as_every_kind(
        bytes in prop::collection::vec(any::<u8>(), 0..1024),
        kind in prop::sample::select(KINDS),
        small in any::<bool>(),
    ) {
        read_checked(&bytes, kind, &opts(small))?;
    }

    #[test]
    fn fixtures_damaged_at_the_byte_level(
        which in prop::sample::select(SEEDS),
        damages in prop::collection::vec(damage(), 1..5),
        gz in any::<bool>(),
        cut_gzip in any::<usize>(),
        small in any::<bool>(),
    ) {
        let bytes = hurt(seed(which), &damages);
        let kind = events::sniff(Path::new(which), &bytes).unwrap_or(EventFileKind::JsonSequence);
        let data = if gz {
            let mut z = gzip(&bytes);
            if cut_gzip % 3 == 0 {
                z.truncate(cut_gzip % (z.len() + 1));
            }
            z
        } else {
            bytes
        };
        read_checked(&data, kind, &opts(small))?;
    }

    #[test]
    fn fixtures_with_hostile_fields(
        which in prop::sample::select(SEEDS),
        edits in prop::collection::vec((any::<usize>(), prop::sample::select(KEYS), leaf()), 1..5),
        pretty in any::<bool>(),
    ) {
        let text = String::from_utf8_lossy(&seed(which)).into_owned();
        let lines = which.ends_with(".jsonl");
        // JSON Lines seeds are mutated line by line; the others as one document.
        let mut docs: Vec<Value> = if lines {
            text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
        } else {
            serde_json::Deserializer::from_str(&text)
                .into_iter::<Value>()
                .map_while(Result::ok)
                .collect()
        };
        // The deliberately broken seeds have no whole value to mutate: use a valid one.
        if docs.is_empty() {
            docs.push(serde_json::from_slice(&seed("records-pretty.json")).unwrap());
        }
        for (pick, key, with) in edits {
            let n = docs.len();
            set_somewhere(&mut docs[pick % n], pick / n.max(1), key, with);
        }
        let out = if lines {
            docs.iter().map(|d| format!("{d}\n")).collect::<String>()
        } else if pretty {
            docs.iter().map(|d| serde_json::to_string_pretty(d).unwrap() + "\n").collect()
        } else {
            docs.iter().map(|d| d.to_string() + " ").collect()
        };
        let kind = events::sniff(Path::new(which), out.as_bytes()).unwrap_or(EventFileKind::JsonSequence);
        read_checked(out.as_bytes(), kind, &opts(false))?;
    }

    /// A bad line in JSON Lines costs that line only: the records after it are all passed.
    #[test]
    fn json_lines_lose_only_the_bad_line(
        good_before in 0usize..5,
        good_after in 1usize..5,
        bad in prop::collection::vec(prop::sample::select(JUNK), 1..6),
    ) {
        let rec = |i: usize| json!({"eventVersion": "1.08", "eventTime": "2024-01-01T00:00:00Z",
            "eventName": "X", "eventID": format!("e{i}")}).to_string();
        let mut text = String::new();
        for i in 0..good_before {
            text.push_str(&rec(i));
            text.push('\n');
        }
        let junk: Vec<u8> = bad.concat();
        let junk = String::from_utf8_lossy(&junk).replace('\n', " ");
        // The trailing comma keeps the line invalid whatever the junk closes or opens.
        text.push_str(&format!("{{\"eventVersion\": {junk},\n"));
        for i in 0..good_after {
            text.push_str(&rec(100 + i));
            text.push('\n');
        }
        let passed = read_checked(text.as_bytes(), EventFileKind::JsonLines, &opts(false))?;
        prop_assert_eq!(passed, (good_before + good_after) as u64);
    }
}
