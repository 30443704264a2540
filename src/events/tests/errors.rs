//! Bad input: skipped records with exact reasons and positions, recovery where it is reliable,
//! and errors that stop a file after counting what was read.

use super::*;

fn problems(stats: &ReadStats) -> Vec<(u64, u64, u64, String)> {
    stats
        .problems
        .iter()
        .map(|p| (p.index, p.at.line, p.at.column, p.message.clone()))
        .collect()
}

#[test]
fn json_lines_skip_bad_lines_and_go_on() {
    let (outcome, seen) = read_fixture("broken-lines.jsonl");
    let FileOutcome::Read { kind, stats } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kind, EventFileKind::JsonLines);
    let passed: Vec<_> = seen.iter().map(|s| (s.index, s.line)).collect();
    assert_eq!(passed, [(0, 1), (2, 3), (8, 9)]);
    assert_eq!(stats.records_read, 9);
    assert_eq!(stats.skipped.unparseable, 3);
    // `[1,2]` holds two non-records, `{"hello":"world"}` one.
    assert_eq!(stats.skipped.not_an_event, 3);
    assert_accounting(&stats);
    assert_eq!(
        problems(&stats),
        [
            (
                1,
                2,
                36,
                "the line ends inside a record; the rest of line 2 was skipped".to_string()
            ),
            (
                3,
                4,
                5,
                "unexpected text after a value; the rest of line 4 was skipped".to_string()
            ),
            (4, 5, 43, "expected `,` or `}`".to_string()),
        ]
    );
}

#[test]
fn invalid_element_in_records_array_is_skipped_and_reading_recovers() {
    let (outcome, seen) = read_fixture("broken-element.json");
    let FileOutcome::Read { kind, stats } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kind, EventFileKind::S3Records);
    let passed: Vec<_> = seen
        .iter()
        .map(|s| (s.index, s.line, s.name.clone()))
        .collect();
    assert_eq!(
        passed,
        [
            (0, 2, Some("StopLogging".to_string())),
            (2, 4, Some("ConsoleLogin".to_string()))
        ]
    );
    assert_eq!(stats.records_read, 3);
    assert_eq!(
        problems(&stats),
        [(1, 3, 45, "expected `,` or `}`".to_string())]
    );
    let d = stats.problems[0].to_diagnostic("broken-element.json");
    assert_eq!((d.line, d.column), (Some(3), Some(45)));
    let plain = serde_json::to_string(&stratus_records()[0]).unwrap();
    // `{"Records": [` + newline, record 0, `,` + newline, then 44 bytes into line 3.
    assert_eq!(
        stats.problems[0].at.offset,
        14 + plain.len() as u64 + 2 + 44
    );
}

#[test]
fn broken_structure_stops_the_file_with_counts() {
    let bytes = std::fs::read(fixture("broken-structure.json")).unwrap();
    let (result, seen) = read_bytes(&bytes, EventFileKind::S3Records, &ReadOptions::default());
    let failure = result.unwrap_err();
    assert_eq!(seen.len(), 1);
    assert_eq!(failure.stats.records_read, 1);
    assert_eq!(failure.stats.records_passed, 1);
    assert!(matches!(failure.error, ReadError::Syntax { .. }));
    assert_eq!(
        failure.to_string(),
        "unbalanced bracket (line 3, column 44); the rest of the file was not read"
    );
    let d = failure.to_diagnostic("broken-structure.json");
    assert_eq!(d.code, "events::syntax");
    assert_eq!((d.line, d.column), (Some(3), Some(44)));
    assert_eq!(
        d.message,
        "unbalanced bracket (line 3, column 44); the rest of the file was not read \
         (1 records read before the error)"
    );
}

#[test]
fn truncated_gzip_is_an_error_after_the_records_it_held() {
    let bytes = std::fs::read(fixture("truncated.json.gz")).unwrap();
    let (result, seen) = read_bytes(&bytes, EventFileKind::S3Records, &ReadOptions::default());
    let failure = result.unwrap_err();
    // The cut file decompresses to 6,816 bytes: five whole records and part of a sixth.
    let names: Vec<_> = seen.iter().map(|s| s.name.clone().unwrap()).collect();
    assert_eq!(names, NAMES[..5]);
    assert_eq!(failure.stats.records_read, 5);
    assert!(failure.stats.gzip);
    assert!(matches!(failure.error, ReadError::GzipTruncated { .. }));
    assert_eq!(failure.error.position().offset, 6816);
    assert_eq!(
        failure.to_string(),
        "gzip data ends early: the file is truncated after 6816 decompressed bytes"
    );
}

#[test]
fn corrupt_gzip_is_an_error() {
    let mut bytes = std::fs::read(fixture(S3_FILE)).unwrap();
    for b in bytes.iter_mut().skip(40).take(64) {
        *b = 0xff;
    }
    let (result, _) = read_bytes(&bytes, EventFileKind::S3Records, &ReadOptions::default());
    let failure = result.unwrap_err();
    assert!(
        matches!(failure.error, ReadError::GzipCorrupt { .. }),
        "{:?}",
        failure.error
    );
    assert_eq!(failure.error.code(), "events::gzip-corrupt");
}

#[test]
fn plain_file_cut_inside_a_record_is_truncated() {
    let bytes = std::fs::read(fixture("records-pretty.json")).unwrap();
    let cut = &bytes[..bytes.len() / 2];
    let (result, seen) = read_bytes(cut, EventFileKind::S3Records, &ReadOptions::default());
    let failure = result.unwrap_err();
    assert!(matches!(failure.error, ReadError::Truncated { .. }));
    assert_eq!(failure.stats.records_read, seen.len() as u64);
    // Five records end before the middle of the file (checked with Python on the fixture).
    assert_eq!(seen.len(), 5);
    assert_eq!(failure.error.position().offset, cut.len() as u64);
}

#[test]
fn invalid_utf8_is_unparseable_with_its_offset() {
    let text = std::fs::read_to_string(fixture("records.jsonl")).unwrap();
    let first_line_len = text.find('\n').unwrap();
    let mut bytes = text.into_bytes();
    // Inside the second record's userAgent value.
    let ua = bytes[first_line_len + 1..]
        .windows(11)
        .position(|w| w == b"\"userAgent\"")
        .unwrap();
    let at = first_line_len + 1 + ua + 14;
    bytes[at] = 0xC3;
    bytes[at + 1] = 0x28;
    let (result, seen) = read_bytes(&bytes, EventFileKind::JsonLines, &ReadOptions::default());
    let stats = result.unwrap();
    assert_eq!(seen.len(), 7);
    assert_eq!(problems(&stats)[0].3, "invalid UTF-8");
    assert_eq!(stats.problems[0].index, 1);
    assert_eq!(stats.problems[0].at.offset, at as u64);
    assert_eq!(stats.problems[0].at.line, 2);
}

#[test]
fn callback_can_stop_reading() {
    let bytes = std::fs::read(fixture(S3_FILE)).unwrap();
    let mut names = Vec::new();
    let stats = read_records(
        &bytes[..],
        EventFileKind::S3Records,
        &ReadOptions::default(),
        |r| {
            names.push(r.header.event_name.as_deref().unwrap_or("").to_string());
            if names.len() == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )
    .unwrap();
    assert_eq!(names, NAMES[..3]);
    assert!(stats.stopped_early);
    assert_eq!(stats.records_read, 3);
}

#[test]
fn time_window_skips_records_outside_and_without_time() {
    let opts = ReadOptions {
        window: TimeWindow {
            since: Timestamp::parse_rfc3339("2024-08-01T00:00:00Z"),
            until: Timestamp::parse_rfc3339("2024-08-02T08:40:00Z"),
        },
        ..ReadOptions::default()
    };
    let (outcome, seen) = read_fixture_with("records.jsonl", &opts);
    let FileOutcome::Read { stats, .. } = outcome else {
        panic!("{outcome:?}");
    };
    let names: Vec<_> = seen.iter().map(|s| s.name.clone().unwrap()).collect();
    assert_eq!(names, NAMES[2..]);
    assert_eq!(stats.skipped.outside_time_window, 2);

    let no_time = br#"{"eventVersion":"1.08","eventName":"X"}
{"eventVersion":"1.08","eventName":"Y","eventTime":"yesterday"}
"#;
    let (result, seen) = read_bytes(no_time, EventFileKind::JsonLines, &opts);
    assert!(seen.is_empty());
    assert_eq!(result.unwrap().skipped.no_event_time, 2);
    let (result, seen) = read_bytes(no_time, EventFileKind::JsonLines, &ReadOptions::default());
    assert_eq!(seen.len(), 2, "without a window, eventTime is not needed");
    assert_eq!(result.unwrap().skipped.total(), 0);
}

#[test]
fn non_records_are_counted_not_passed() {
    let text = br#"{"Records":[
 {"eventVersion":"2.1","eventSource":"aws:s3","eventTime":"2024-01-01T00:00:00Z","eventName":"ObjectCreated:Put"},
 "a string", 42, null, [], {},
 {"eventTime":"2024-01-01T00:00:00Z","eventType":"AwsServiceEvent"}
]}"#;
    let (result, seen) = read_bytes(text, EventFileKind::S3Records, &ReadOptions::default());
    let stats = result.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].index, 6);
    assert_eq!(stats.records_read, 7);
    assert_eq!(stats.skipped.not_an_event, 6);
    assert!(stats.problems.is_empty());
}

#[test]
fn byte_order_mark_is_skipped_and_offsets_count_it() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&std::fs::read(fixture("records.jsonl")).unwrap());
    let (result, seen) = read_bytes(&bytes, EventFileKind::JsonLines, &ReadOptions::default());
    assert_eq!(result.unwrap().records_passed, 8);
    assert_eq!((seen[0].offset, seen[0].line, seen[0].column), (3, 1, 1));
}
