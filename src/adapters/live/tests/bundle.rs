//! The bundle file and the lone describe-trails output.

use super::*;
use crate::adapters::live::{
    adapt_bundle, adapt_describe_trails, looks_like_bundle, looks_like_describe_trails,
};
use crate::syntax::json::parse;
use serde_json::json;

fn fixture(name: &str) -> (String, crate::syntax::Node) {
    let path = format!("{FIX}/{name}");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    (path, parse(&text).unwrap())
}

const SECURITY: &str = "arn:aws:cloudtrail:eu-central-1:555566667777:trail/security-trail";
const LEGACY_EU: &str = "arn:aws:cloudtrail:eu-central-1:555566667777:trail/legacy";
const LEGACY_US: &str = "arn:aws:cloudtrail:us-west-2:555566667777:trail/legacy";

#[test]
fn bundle_trails_are_deduplicated_and_matched() {
    let (path, root) = fixture("bundle.json");
    assert!(looks_like_bundle(&root));
    assert!(!looks_like_describe_trails(&root));
    let (doc, errors) = document(adapt_bundle(&path, &root));
    assert_eq!(errors, vec![]);
    assert_eq!(doc.path, path);
    assert_eq!(doc.account_id.as_deref(), Some("555566667777"));
    // security-trail is listed by both regional outputs: kept once, from the first.
    let ids: Vec<_> = doc.trails.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec![SECURITY, LEGACY_EU, LEGACY_US]);

    let sec = trail(&doc, SECURITY);
    assert_eq!((sec.loc.line, sec.loc.column), (8, 17));
    known(&sec.is_logging, json!(true), &path, 67, 26);
    let s = sec.status.as_ref().unwrap();
    known(
        &s.latest_delivery_time,
        json!("2024-03-01T10:05:30.123Z"),
        &path,
        68,
        35,
    );
    known(
        &s.start_logging_time,
        json!("2023-11-14T22:13:20Z"),
        &path,
        69,
        33,
    );
    known(
        &s.latest_cloudwatch_logs_delivery_error,
        json!("CloudWatch Logs role is not valid"),
        &path,
        70,
        50,
    );
    absent(&s.latest_delivery_error, &path, 66);
    known(
        &sec.event_selectors,
        json!([{"read_write_type": "WriteOnly", "include_management_events": true,
            "data_resources": [],
            "exclude_management_event_sources": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]}]),
        &path,
        80,
        31,
    );
    defaulted(&sec.insight_selectors, json!([]), &path, 8);

    // The name-keyed status goes to the `legacy` trail homed in the bundle's region.
    let eu = trail(&doc, LEGACY_EU);
    known(&eu.is_logging, json!(false), &path, 73, 26);
    known(
        &eu.status.as_ref().unwrap().stop_logging_time,
        json!("2024-02-20T17:30:00Z"),
        &path,
        74,
        32,
    );
    let us = trail(&doc, LEGACY_US);
    unknown(&us.is_logging, "get-trail-status not exported", &path, 50);
    known(
        &us.include_global_service_events,
        json!(true),
        &path,
        53,
        51,
    );
}

#[test]
fn bundle_buckets_and_event_data_stores() {
    let (path, root) = fixture("bundle.json");
    let (doc, _) = document(adapt_bundle(&path, &root));
    let sec = trail(&doc, SECURITY);
    let b = sec.bucket.as_ref().unwrap();
    assert_eq!(b.id, "security-trail-logs-555566667777");
    assert_eq!((b.loc.line, b.loc.column), (121, 9));
    known(&b.acl, json!("log-delivery-write"), &path, 126, 27);
    let policy = b.policy.value.as_ref().unwrap();
    // A single statement object becomes a one-element list.
    assert_eq!(policy["Statement"][0]["Sid"], "AWSCloudTrailWrite");
    assert_eq!((b.policy.loc.line, b.policy.loc.column), (151, 27));
    known(
        &b.versioning,
        json!({"status": "Suspended", "mfa_delete": "Disabled"}),
        &path,
        154,
        27,
    );
    unknown(
        &b.public_access_block,
        "get-public-access-block not exported",
        &path,
        121,
    );
    unknown(&b.logging, "get-bucket-logging not exported", &path, 121);
    assert!(trail(&doc, LEGACY_EU).bucket.is_none());

    let eds = &doc.event_data_stores;
    assert_eq!(eds.len(), 1);
    known(&eds[0].retention_period, json!(2557), &path, 101, 32);
    known(
        &eds[0].termination_protection_enabled,
        json!(true),
        &path,
        102,
        45,
    );
    assert_eq!(eds[0].kms_key.as_ref().unwrap().managed_by, "customer");
    assert_eq!(
        eds[0].advanced_event_selectors.value.as_ref().unwrap()[0]["field_selectors"][0]["equals"],
        json!(["Management", "Data"])
    );
}

#[test]
fn bundle_mistakes_are_reported_with_positions() {
    let text = r#"{"trailguard_live_export": 2,
 "event_selector": [],
 "account_id": 5,
 "describe_trails": {"trailList": []},
 "buckets": {"b": {"acl": [], "tags": {}}}}"#;
    let root = parse(text).unwrap();
    let (doc, errors) = document(adapt_bundle("b.json", &root));
    assert!(doc.trails.is_empty());
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.line.unwrap(), e.column.unwrap(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                1,
                28,
                "unsupported trailguard_live_export version 2 (this build reads 1); \
                 read as version 1"
            ),
            (
                2,
                20,
                "unknown bundle key \"event_selector\" (expected one of trailguard_live_export, \
                 account_id, region, caller_identity, describe_trails, trail_status, \
                 event_selectors, insight_selectors, event_data_stores, \
                 list_event_data_stores, buckets)"
            ),
            (3, 16, "account_id should be a string"),
            (
                5,
                27,
                "acl should be the JSON object printed by the aws CLI, found a list"
            ),
            (
                5,
                39,
                "unknown bucket key \"tags\" (expected acl, public_access_block, policy, \
                 logging, versioning)"
            ),
        ]
    );
}

#[test]
fn lone_describe_trails_output() {
    let (path, root) = fixture("describe-trails-only.json");
    assert!(looks_like_describe_trails(&root));
    assert!(!looks_like_bundle(&root));
    let (doc, errors) = document(adapt_describe_trails(&path, &root));
    assert_eq!(errors, vec![]);
    assert_eq!(doc.account_id.as_deref(), Some("121212121212"));
    let t = trail(
        &doc,
        "arn:aws:cloudtrail:us-east-2:121212121212:trail/ci-trail",
    );
    unknown(&t.is_logging, "get-trail-status not exported", &path, 3);
    assert!(t.status.is_none());
    defaulted(
        &t.event_selectors,
        json!([{"read_write_type": "All", "include_management_events": true,
            "data_resources": [], "exclude_management_event_sources": []}]),
        &path,
        3,
    );
    unknown(
        &t.insight_selectors,
        "get-insight-selectors not exported",
        &path,
        3,
    );
    known(
        &t.s3_bucket_name,
        json!("ci-trail-logs-121212121212"),
        &path,
        5,
        29,
    );
    assert!(t.bucket.is_none());
}

#[test]
fn only_organization_trails_leave_the_account_unknown() {
    let text = r#"{"trailList": [{"Name": "org", "IsOrganizationTrail": true,
        "TrailARN": "arn:aws:cloudtrail:us-east-1:999988887777:trail/org"}]}"#;
    let root = parse(text).unwrap();
    let (doc, _) = document(adapt_describe_trails("dt.json", &root));
    // Member or management account? Without get-caller-identity it cannot be told.
    assert_eq!(doc.account_id, None);
    assert!(!doc.trails[0].is_shadow);
}
