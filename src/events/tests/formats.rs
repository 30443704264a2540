//! Every supported format: recognised by content, all 8 records read with exact indexes,
//! positions, headers and raw text.

use super::*;
use std::path::Path;

/// Read a fixture that must hold the 8 records; check kind, names, raw text and accounting,
/// and return each record's (line, column).
fn read_eight(name: &str, kind: EventFileKind) -> Vec<(u64, u64)> {
    let (outcome, seen) = read_fixture(name);
    let FileOutcome::Read { kind: got, stats } = outcome else {
        panic!("{name}: {outcome:?}");
    };
    assert_eq!(got, kind, "{name}");
    assert_eq!(stats.records_passed, 8, "{name}");
    assert_accounting(&stats);
    let names: Vec<_> = seen.iter().map(|s| s.name.clone().unwrap()).collect();
    assert_eq!(names, NAMES, "{name}");
    let values: Vec<_> = seen.iter().map(|s| s.value.clone()).collect();
    assert_eq!(
        values,
        stratus_records(),
        "{name}: raw text is the whole record"
    );
    seen.iter().map(|s| (s.line, s.column)).collect()
}

fn lines(positions: &[(u64, u64)]) -> Vec<u64> {
    positions.iter().map(|p| p.0).collect()
}

#[test]
fn s3_delivery_gzip_single_line() {
    let (outcome, seen) = read_fixture(S3_FILE);
    let FileOutcome::Read { kind, stats } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kind, EventFileKind::S3Records);
    assert!(stats.gzip);
    assert_eq!(stats.records_passed, 8);
    let indexes: Vec<u64> = seen.iter().map(|s| s.index).collect();
    assert_eq!(indexes, (0..8).collect::<Vec<_>>());
    assert!(seen.iter().all(|s| s.line == 1));
    // `{"Records":[` is 12 bytes: the first record starts at offset 12, column 13.
    assert_eq!((seen[0].offset, seen[0].column), (12, 13));
    // Each record starts right after the previous one and its comma.
    let plain = serde_json::to_string(&stratus_records()[0]).unwrap();
    assert_eq!(seen[1].offset, 12 + plain.len() as u64 + 1);
    assert_eq!(stats.bytes_decoded, seen_total_len(&seen) + 12 + 7 + 2);
    let on_disk = std::fs::metadata(fixture(S3_FILE)).unwrap().len();
    assert_eq!(stats.bytes_read, on_disk);
}

/// Compact length of all records: the decoded size minus `{"Records":[`, 7 commas and `]}`.
fn seen_total_len(seen: &[Seen]) -> u64 {
    seen.iter()
        .map(|s| serde_json::to_string(&s.value).unwrap().len() as u64)
        .sum()
}

#[test]
fn s3_records_pretty_printed() {
    let pos = read_eight("records-pretty.json", EventFileKind::S3Records);
    assert_eq!(lines(&pos), [3, 36, 72, 106, 146, 199, 251, 296]);
    assert!(pos.iter().all(|p| p.1 == 5));
}

#[test]
fn bare_array_is_the_stratus_file_itself() {
    let (outcome, seen) = read_fixture("stratus/aws.persistence.iam-create-admin-user.json");
    let FileOutcome::Read { kind, stats } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kind, EventFileKind::RecordArray);
    assert_eq!(stats.records_passed, 3);
    let lines: Vec<_> = seen.iter().map(|s| (s.index, s.line, s.column)).collect();
    assert_eq!(lines, [(0, 2, 4), (1, 36, 4), (2, 76, 4)]);
}

#[test]
fn json_lines_record_per_line_and_batch_per_line() {
    let pos = read_eight("records.jsonl", EventFileKind::JsonLines);
    assert_eq!(pos, (1..=8).map(|l| (l, 1)).collect::<Vec<_>>());
    let pos = read_eight("batches.jsonl", EventFileKind::JsonLines);
    assert_eq!(lines(&pos), [1, 1, 1, 2, 2, 2, 2, 2]);
    assert_eq!((pos[0].1, pos[3].1), (13, 13));
}

#[test]
fn pretty_printed_sequence() {
    let pos = read_eight("sequence.json", EventFileKind::JsonSequence);
    assert_eq!(lines(&pos), [1, 34, 70, 104, 144, 197, 249, 294]);
}

#[test]
fn lookup_events_records_are_re_parsed_strings() {
    let pos = read_eight("lookup-events.json", EventFileKind::LookupEvents);
    // The position is that of the CloudTrailEvent string.
    assert_eq!(lines(&pos), [12, 23, 34, 45, 56, 67, 78, 89]);
    assert!(pos.iter().all(|p| p.1 == 32));
}

#[test]
fn eventbridge_single_array_and_lines() {
    let (outcome, seen) = read_fixture("eventbridge.json");
    assert!(matches!(
        outcome,
        FileOutcome::Read {
            kind: EventFileKind::EventBridge { lines: false },
            ..
        }
    ));
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].line, seen[0].column), (10, 15));
    assert_eq!(seen[0].value, stratus_records()[0]);

    let pos = read_eight(
        "eventbridge-array.json",
        EventFileKind::EventBridge { lines: false },
    );
    assert_eq!(lines(&pos), [11, 54, 100, 144, 194, 257, 319, 374]);
    let pos = read_eight(
        "eventbridge.jsonl",
        EventFileKind::EventBridge { lines: true },
    );
    assert_eq!(
        pos,
        [
            (1, 242),
            (2, 234),
            (3, 232),
            (4, 232),
            (5, 232),
            (6, 228),
            (7, 238),
            (8, 228)
        ]
    );
}

#[test]
fn cloudwatch_logs_firehose_and_filter_log_events() {
    let (outcome, _) = read_fixture("cloudwatch-firehose.json.gz");
    let FileOutcome::Read { kind, stats } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kind, EventFileKind::CloudWatchLogs);
    // 8 records, then the concatenated CONTROL_MESSAGE's health-check text.
    assert_eq!(stats.records_read, 9);
    assert_eq!(stats.skipped.not_an_event, 1);
    read_eight("cloudwatch-firehose.json.gz", EventFileKind::CloudWatchLogs);
    let pos = read_eight("filter-log-events.json", EventFileKind::CloudWatchLogs);
    assert_eq!(lines(&pos), [6, 13, 20, 27, 34, 41, 48, 55]);
}

#[test]
fn insight_files_are_events() {
    let (outcome, seen) = read_fixture(
        "s3/AWSLogs/143434273843/CloudTrail-Insight/us-east-1/2024/08/02/\
         143434273843_CloudTrail-Insight_us-east-1_20240802T0915Z_a1B2c3D4e5F6g7H8.json.gz",
    );
    assert!(matches!(
        outcome,
        FileOutcome::Read {
            kind: EventFileKind::S3Records,
            ..
        }
    ));
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].name, None);
    assert_eq!(seen[1].value["insightDetails"]["state"], "End");
}

#[test]
fn digest_files_are_recognised_and_skipped() {
    let expected = FileOutcome::Skipped {
        kind: EventFileKind::Digest,
        reason: "CloudTrail digest file: integrity validation not supported yet",
    };
    let in_s3 = "s3/AWSLogs/143434273843/CloudTrail-Digest/us-east-1/2024/08/02/\
        143434273843_CloudTrail-Digest_us-east-1_trail_us-east-1_20240802T090000Z.json.gz";
    assert_eq!(read_fixture(in_s3).0, expected);
    assert_eq!(read_fixture("digest-elsewhere.json").0, expected);
}

#[test]
fn header_fields_of_real_records() {
    let mut headers = Vec::new();
    let outcome = read_path(&fixture(S3_FILE), &ReadOptions::default(), |r| {
        let h = &r.header;
        let id = h.user_identity.clone().unwrap_or_default();
        headers.push(format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}",
            h.event_source.as_deref().unwrap_or("-"),
            h.event_name.as_deref().unwrap_or("-"),
            h.event_time.as_deref().unwrap_or("-"),
            h.event_id.as_deref().unwrap_or("-"),
            h.event_type.as_deref().unwrap_or("-"),
            h.aws_region.as_deref().unwrap_or("-"),
            h.recipient_account_id.as_deref().unwrap_or("-"),
            h.error_code.as_deref().unwrap_or("-"),
            h.source_ip_address.as_deref().unwrap_or("-"),
            h.event_version.as_deref().unwrap_or("-"),
            h.read_only,
            id.kind.as_deref().unwrap_or("-"),
            id.arn.as_deref().unwrap_or("-"),
            id.access_key_id.as_deref().unwrap_or("-"),
        ));
        ControlFlow::Continue(())
    });
    assert!(matches!(outcome, Ok(FileOutcome::Read { .. })));
    assert_eq!(
        headers[0],
        "cloudtrail.amazonaws.com|StopLogging|2024-07-31T13:06:24Z|\
         10163ed2-2253-469d-a5ee-cbc6651f8934|AwsApiCall|apiso-centralnorth-2r|143434273843|-|\
         86.245.153.234|1.10|Some(false)|IAMUser|arn:aws:iam::143434273843:user/christophe|\
         AKIAGGWFBBHBE7D3M9WI"
    );
    assert_eq!(
        headers[1],
        "signin.amazonaws.com|ConsoleLogin|2024-08-02T08:53:24Z|\
         865d9377-9c6b-4fd7-8aad-725e95f6a140|AwsConsoleSignIn|eu-west-2r|562283505220|-|\
         225.01.00.16|1.08|Some(false)|IAMUser|\
         arn:aws:iam::562283505220:user/stratus-red-team-nmfalu-jfzdtsvchl|-"
    );
    let leave = &headers[6];
    assert!(
        leave.starts_with("organizations.amazonaws.com|LeaveOrganization|"),
        "{leave}"
    );
    assert!(leave.contains("|AccessDenied|"), "{leave}");
    assert!(leave.contains("|AssumedRole|"), "{leave}");
}

#[test]
fn sniff_rejects_configuration_and_other_json() {
    let none = |text: &str| sniff(Path::new("x.json"), text.as_bytes());
    let cfn = r#"{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Trail":
        {"Type":"AWS::CloudTrail::Trail","Properties":{"IsLogging":true}}}}"#;
    assert_eq!(none(cfn), None);
    let plan = r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[]}},
        "resource_changes":[{"address":"aws_cloudtrail.main","change":{"after":{}}}]}"#;
    assert_eq!(none(plan), None);
    let trails = r#"{"trailList":[{"Name":"main","S3BucketName":"b","IsMultiRegionTrail":true}]}"#;
    assert_eq!(none(trails), None);
    let selectors = r#"{"TrailARN":"arn","EventSelectors":[{"ReadWriteType":"All"}]}"#;
    assert_eq!(none(selectors), None);
    let s3_notification = r#"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3",
        "awsRegion":"us-east-1","eventTime":"2024-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put"}]}"#;
    assert_eq!(none(s3_notification), None);
    let other_records = r#"{"Records":[{"foo":1}]}"#;
    assert_eq!(none(other_records), None);
    let other_events = r#"{"Events":[{"id":1}]}"#;
    assert_eq!(none(other_events), None);
    let other_bus = r#"{"detail-type":"EC2 Instance State-change Notification","detail":{}}"#;
    assert_eq!(none(other_bus), None);
    let non_cloudtrail_logs = r#"{"events":[{"message":"GET /index.html 200"}]}"#;
    assert_eq!(none(non_cloudtrail_logs), None);
    assert_eq!(none("[]"), None);
    assert_eq!(none("[1,2,3]"), None);
    assert_eq!(none(""), None);
    assert_eq!(none("Resources:\n  Trail: {}\n"), None);
    assert_eq!(none("{\"Records\": [}"), None);
}

#[test]
fn sniff_sees_through_gzip_and_bom_and_cut_heads() {
    let path = Path::new("anything");
    let text = std::fs::read(fixture("records.jsonl")).unwrap();
    assert_eq!(sniff(path, &gzip(&text)), Some(EventFileKind::JsonLines));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&text);
    assert_eq!(sniff(path, &bom), Some(EventFileKind::JsonLines));
    // A head cut inside the first record still decides from the keys it shows.
    let pretty = std::fs::read(fixture("records-pretty.json")).unwrap();
    assert_eq!(sniff(path, &pretty[..200]), Some(EventFileKind::S3Records));
    assert_eq!(sniff(path, &pretty[..16]), Some(EventFileKind::S3Records));
    // Cut before the value of `Records`: nothing to decide on.
    assert_eq!(sniff(path, &pretty[..15]), None);
    let array = std::fs::read(fixture("eventbridge-array.json")).unwrap();
    assert_eq!(
        sniff(path, &array[..300]),
        Some(EventFileKind::EventBridge { lines: false })
    );
    // Half a gzip head decodes to a cut text; still recognised.
    let gz = std::fs::read(fixture(S3_FILE)).unwrap();
    assert_eq!(
        sniff(path, &gz[..gz.len() / 3]),
        Some(EventFileKind::S3Records)
    );
}
