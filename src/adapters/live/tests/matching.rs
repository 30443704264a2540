//! Directory matching rules and damaged or misnamed files, on small in-memory exports.

use super::*;
use crate::adapters::live::{adapt_dir, is_export_dir, is_export_file};
use crate::model::Document;

#[test]
fn recognises_export_directories_and_files() {
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(is_export_dir(&names(&[
        "a/describe-trails.json",
        "a/notes.txt"
    ])));
    assert!(is_export_dir(&names(&["get-event-data-store.lake.json"])));
    assert!(!is_export_dir(&names(&[
        "get-caller-identity.json",
        "get-bucket-acl.logs.json",
        "events.json"
    ])));
    assert!(is_export_file("x/get-trail-status-main.json"));
    assert!(is_export_file("get-bucket-versioning.logs.json"));
    assert!(!is_export_file("events.json"));
    assert!(!is_export_file("describe-trails.json.bak"));
}

const ONE_TRAIL: &str = r#"{"trailList": [
  {"Name": "t", "TrailARN": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
   "IsMultiRegionTrail": "yes", "HasCustomEventSelectors": false, "HasInsightSelectors": false}
]}"#;

fn in_memory(files: &[(&str, &str)]) -> (Document, Vec<InputError>) {
    let files: Vec<_> = files
        .iter()
        .map(|(p, t)| (format!("exp/{p}"), t.to_string()))
        .collect();
    document(adapt_dir("exp", &files))
}

#[test]
fn wrong_types_unmatched_and_misnamed_files_are_reported() {
    let (doc, errors) = in_memory(&[
        ("describe-trails.json", ONE_TRAIL),
        ("get-trail-status.other.json", r#"{"IsLogging": true}"#),
        (
            "get-event-selectors.t.json",
            r#"{"TrailARN": "arn:aws:cloudtrail:us-east-1:111111111111:trail/gone"}"#,
        ),
        ("get-trail-status-t.json", r#"{"IsLogging": true}"#),
    ]);
    let t = &doc.trails[0];
    unknown(&t.is_multi_region, "\"yes\"", "exp/describe-trails.json", 3);
    assert_eq!(t.is_multi_region.loc.column, 26);
    let summary: Vec<_> = errors
        .iter()
        .map(|e| (e.path.as_str(), e.line, e.message.as_str()))
        .collect();
    assert_eq!(summary.len(), 4, "{summary:#?}");
    assert_eq!(
        summary[0],
        (
            "exp/describe-trails.json",
            Some(3),
            "IsMultiRegionTrail should be a boolean, found a string"
        )
    );
    assert_eq!(
        summary[1],
        (
            "exp/get-event-selectors.t.json",
            Some(1),
            "get-event-selectors output for arn:aws:cloudtrail:us-east-1:111111111111:trail/gone, \
             which describe-trails does not list"
        )
    );
    assert!(summary[2].0 == "exp/get-trail-status-t.json" && summary[2].1.is_none());
    assert_eq!(
        summary[3],
        (
            "exp/get-trail-status.other.json",
            Some(1),
            "get-trail-status output for \"other\", which matches no trail in describe-trails"
        )
    );
}

#[test]
fn duplicate_trails_are_kept_once_and_ambiguous_names_reported() {
    let arn = |r: &str| format!("arn:aws:cloudtrail:{r}:111111111111:trail/t");
    let entry = |r: &str| {
        format!(
            r#"{{"Name": "t", "TrailARN": "{}", "HomeRegion": "{r}"}}"#,
            arn(r)
        )
    };
    let east = format!(r#"{{"trailList": [{}]}}"#, entry("us-east-1"));
    let west = format!(
        r#"{{"trailList": [{}, {}]}}"#,
        entry("us-east-1"),
        entry("us-west-2")
    );
    let (doc, errors) = in_memory(&[
        ("describe-trails.us-west-2.json", &west),
        ("describe-trails.json", &east),
        ("get-trail-status.t.json", r#"{"IsLogging": true}"#),
    ]);
    let ids: Vec<_> = doc.trails.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec![arn("us-east-1"), arn("us-west-2")]);
    // The first describe-trails file in path order holds the kept entry.
    assert_eq!(doc.trails[0].loc.path, "exp/describe-trails.json");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "get-trail-status output for \"t\" matches 2 trails: key it by TrailARN"
    );
}

#[test]
fn bad_timestamps_are_errors_and_unknown() {
    let (doc, errors) = in_memory(&[
        ("describe-trails.json", ONE_TRAIL),
        (
            "get-trail-status.t.json",
            "{\"IsLogging\": true,\n \"LatestDeliveryTime\": \"last tuesday\"}",
        ),
    ]);
    let s = doc.trails[0].status.as_ref().unwrap();
    unknown(
        &s.latest_delivery_time,
        "\"last tuesday\"",
        "exp/get-trail-status.t.json",
        2,
    );
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[1].line, errors[1].column, errors[1].message.as_str()),
        (
            Some(2),
            Some(24),
            "LatestDeliveryTime is not a timestamp (expected ISO 8601 or epoch seconds), \
             found \"last tuesday\""
        )
    );
}

#[test]
fn event_data_stores_without_describe_trails() {
    let files: Vec<_> = files_of("advanced")
        .into_iter()
        .filter(|(path, _)| path.contains("event-data-store"))
        .collect();
    let (doc, errors) = document(adapt_dir("lake-only", &files));
    assert!(doc.trails.is_empty());
    assert_eq!(doc.event_data_stores.len(), 2);
    assert_eq!(
        errors,
        vec![InputError::file(
            "lake-only",
            "no describe-trails.json in the export: its trails cannot be checked"
        )]
    );
}

#[test]
fn a_second_output_for_the_same_trail_is_reported_and_the_first_kept() {
    let arn = "arn:aws:cloudtrail:us-east-1:111111111111:trail/t";
    let selectors = format!(r#"{{"TrailARN": "{arn}", "EventSelectors": []}}"#);
    let (doc, errors) = in_memory(&[
        ("describe-trails.json", ONE_TRAIL),
        // The ARN-keyed status is matched first; the name-keyed one is then a duplicate.
        ("get-trail-status.t.json", r#"{"IsLogging": false}"#),
        (
            "get-trail-status.arn_aws_cloudtrail_us-east-1_111111111111_trail_t.json",
            r#"{"IsLogging": true}"#,
        ),
        ("get-event-selectors.a.json", &selectors),
        ("get-event-selectors.b.json", &selectors),
    ]);
    let t = &doc.trails[0];
    known(
        &t.is_logging,
        serde_json::json!(true),
        "exp/get-trail-status.arn_aws_cloudtrail_us-east-1_111111111111_trail_t.json",
        1,
        15,
    );
    known(
        &t.event_selectors,
        serde_json::json!([]),
        "exp/get-event-selectors.a.json",
        1,
        85,
    );
    let messages: Vec<_> = errors
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        messages[1..],
        [
            (
                "exp/get-event-selectors.b.json",
                "second get-event-selectors output for arn:aws:cloudtrail:us-east-1:111111111111:\
                 trail/t (the first, in exp/get-event-selectors.a.json, is used)"
            ),
            (
                "exp/get-trail-status.t.json",
                "second get-trail-status output for arn:aws:cloudtrail:us-east-1:111111111111:\
                 trail/t (the first, in exp/get-trail-status.arn_aws_cloudtrail_us-east-1_\
                 111111111111_trail_t.json, is used)"
            ),
        ]
    );
}
