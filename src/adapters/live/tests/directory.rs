//! Export directories: the fixture accounts, matching rules, and damaged files.

use super::*;
use crate::adapters::live::adapt_dir;
use crate::model::Format;
use serde_json::json;

const COMPLIANT_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/account-audit";

#[test]
fn compliant_multi_region_trail() {
    let (doc, errors) = adapt_fixture("compliant");
    assert_eq!(errors, vec![]);
    assert_eq!(doc.format, Format::LiveExport);
    assert_eq!(doc.path, format!("{FIX}/compliant"));
    assert_eq!(doc.account_id.as_deref(), Some("111122223333"));
    assert_eq!(doc.trails.len(), 1);
    let t = trail(&doc, COMPLIANT_ARN);
    let dt = p("compliant", "describe-trails.json");
    assert_eq!(t.resource_type, "AWS::CloudTrail::Trail");
    assert_eq!(
        (t.loc.path.as_str(), t.loc.line, t.loc.column),
        (dt.as_str(), 3, 9)
    );
    assert!(!t.is_shadow);
    known(&t.name, json!("account-audit"), &dt, 4, 21);
    known(&t.arn, json!(COMPLIANT_ARN), &dt, 12, 25);
    known(&t.home_region, json!("us-east-1"), &dt, 11, 27);
    known(&t.is_multi_region, json!(true), &dt, 10, 35);
    known(&t.log_file_validation, json!(true), &dt, 13, 41);
    known(&t.include_global_service_events, json!(true), &dt, 9, 43);
    known(&t.is_organization_trail, json!(false), &dt, 19, 36);
    let key = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    known(&t.kms_key_id, json!(key), &dt, 16, 25);
    let k = t.kms_key.as_ref().unwrap();
    assert_eq!(k.managed_by, "customer");
    unknown(
        &k.rotation_enabled,
        "kms get-key-rotation-status not exported",
        &dt,
        16,
    );
    known(
        &t.sns_topic,
        json!("arn:aws:sns:us-east-1:111122223333:cloudtrail-delivery"),
        &dt,
        8,
        28,
    );
    known(
        &t.cloudwatch_logs_group_arn,
        json!("arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-logs:*"),
        &dt,
        14,
        42,
    );
    known(&t.s3_key_prefix, json!("audit"), &dt, 6, 28);

    let st = p(
        "compliant",
        "get-trail-status.arn_aws_cloudtrail_us-east-1_111122223333_trail_account-audit.json",
    );
    known(&t.is_logging, json!(true), &st, 2, 18);
    let s = t.status.as_ref().unwrap();
    assert_eq!((s.loc.path.as_str(), s.loc.line), (st.as_str(), 1));
    known(
        &s.latest_delivery_time,
        json!("2024-03-01T10:05:30.123Z"),
        &st,
        3,
        27,
    );
    known(
        &s.start_logging_time,
        json!("2023-11-14T08:00:00Z"),
        &st,
        4,
        25,
    );
    known(
        &s.latest_cloudwatch_logs_delivery_time,
        json!("2024-03-01T10:06:02.450Z"),
        &st,
        5,
        41,
    );
    known(
        &s.latest_digest_delivery_time,
        json!("2024-03-01T10:00:12Z"),
        &st,
        6,
        33,
    );
    absent(&s.latest_delivery_error, &st, 1);
    absent(&s.stop_logging_time, &st, 1);

    let sel = p(
        "compliant",
        "get-event-selectors.arn_aws_cloudtrail_us-east-1_111122223333_trail_account-audit.json",
    );
    known(
        &t.event_selectors,
        json!([{"read_write_type": "All", "include_management_events": true,
            "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
            "exclude_management_event_sources": []}]),
        &sel,
        3,
        23,
    );
    absent(&t.advanced_event_selectors, &sel, 1);
    let ins = p(
        "compliant",
        "get-insight-selectors.arn_aws_cloudtrail_us-east-1_111122223333_trail_account-audit.json",
    );
    known(
        &t.insight_selectors,
        json!(["ApiCallRateInsight", "ApiErrorRateInsight"]),
        &ins,
        3,
        25,
    );
}

#[test]
fn compliant_trail_bucket_from_the_bucket_files() {
    let (doc, _) = adapt_fixture("compliant");
    let t = trail(&doc, COMPLIANT_ARN);
    let b = t.bucket.as_ref().expect("bucket linked by S3BucketName");
    assert_eq!(doc.buckets, vec![b.clone()]);
    let name = "acme-cloudtrail-logs-111122223333";
    let f = |cmd: &str| p("compliant", &format!("{cmd}.{name}.json"));
    assert_eq!(b.id, name);
    assert_eq!(b.resource_type, "AWS::S3::Bucket");
    assert_eq!((b.loc.path.clone(), b.loc.line), (f("get-bucket-acl"), 1));
    let owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    known(&b.acl, json!("private"), &f("get-bucket-acl"), 5, 15);
    known(
        &b.grants,
        json!([{"grantee": owner, "permission": "FULL_CONTROL"}]),
        &f("get-bucket-acl"),
        5,
        15,
    );
    known(
        &b.public_access_block,
        json!({"block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true}),
        &f("get-public-access-block"),
        2,
        39,
    );
    let policy = b.policy.value.as_ref().unwrap();
    assert_eq!(policy["Statement"].as_array().map(Vec::len), Some(3));
    assert_eq!(policy["Statement"][2]["Sid"], "DenyInsecureTransport");
    assert_eq!(
        (b.policy.state, b.policy.loc.line, b.policy.loc.column),
        (State::Known, 2, 15)
    );
    known(
        &b.logging,
        json!({"target_bucket": "acme-s3-access-logs-111122223333",
            "target_prefix": "cloudtrail-logs/"}),
        &f("get-bucket-logging"),
        2,
        23,
    );
    known(
        &b.versioning,
        json!({"status": "Enabled", "mfa_delete": "Enabled"}),
        &f("get-bucket-versioning"),
        2,
        15,
    );
}

#[test]
fn stopped_trail_with_delivery_errors() {
    let (doc, errors) = adapt_fixture("stopped");
    assert_eq!(errors, vec![]);
    // No get-caller-identity: the account of the (non-organization) trail is the audited one.
    assert_eq!(doc.account_id.as_deref(), Some("777788889999"));
    let t = trail(
        &doc,
        "arn:aws:cloudtrail:eu-west-1:777788889999:trail/main-trail",
    );
    let dt = p("stopped", "describe-trails.json");
    // The status file is keyed by trail name.
    let st = p("stopped", "get-trail-status.main-trail.json");
    known(&t.is_logging, json!(false), &st, 2, 18);
    let s = t.status.as_ref().unwrap();
    known(&s.latest_delivery_error, json!("AccessDenied"), &st, 3, 28);
    known(
        &s.latest_notification_error,
        json!("AuthorizationError"),
        &st,
        4,
        32,
    );
    // CLI v1 prints epoch seconds: normalized to RFC 3339 UTC.
    known(
        &s.latest_delivery_time,
        json!("2024-02-01T00:00:00.512Z"),
        &st,
        5,
        27,
    );
    known(
        &s.start_logging_time,
        json!("2023-01-01T00:00:00Z"),
        &st,
        6,
        25,
    );
    known(
        &s.stop_logging_time,
        json!("2024-02-02T00:00:00.250Z"),
        &st,
        7,
        24,
    );
    absent(&s.latest_cloudwatch_logs_delivery_error, &st, 8);
    assert_eq!(
        s.latest_cloudwatch_logs_delivery_error.note.as_deref(),
        Some("LatestCloudWatchLogsDeliveryError is empty")
    );
    known(
        &s.latest_digest_delivery_time,
        json!("2024-01-31T23:00:00Z"),
        &st,
        9,
        33,
    );
    known(
        &s.latest_digest_delivery_error,
        json!("AccessDenied"),
        &st,
        10,
        34,
    );
    absent(&s.latest_cloudwatch_logs_delivery_time, &st, 1);

    known(&t.log_file_validation, json!(false), &dt, 10, 41);
    absent(&t.kms_key_id, &dt, 3);
    assert!(t.kms_key.is_none());
    absent(&t.cloudwatch_logs_group_arn, &dt, 3);
    absent(&t.sns_topic, &dt, 3);
    // HasCustomEventSelectors / HasInsightSelectors false: the AWS defaults, at the entry.
    defaulted(
        &t.event_selectors,
        json!([{"read_write_type": "All", "include_management_events": true,
            "data_resources": [], "exclude_management_event_sources": []}]),
        &dt,
        3,
    );
    absent(&t.advanced_event_selectors, &dt, 3);
    defaulted(&t.insight_selectors, json!([]), &dt, 3);
}

#[test]
fn stopped_trail_bucket_is_public_and_unconfigured() {
    let (doc, _) = adapt_fixture("stopped");
    let b = doc.trails[0].bucket.as_ref().unwrap();
    let f = |cmd: &str| {
        p(
            "stopped",
            &format!("{cmd}.payments-trail-777788889999.json"),
        )
    };
    let owner = "be1c4f0e4f4f5d2a8a8c0f3e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c";
    known(&b.acl, json!("public-read"), &f("get-bucket-acl"), 6, 15);
    known(
        &b.grants,
        json!([{"grantee": owner, "permission": "FULL_CONTROL"},
            {"grantee": "AllUsers", "permission": "READ"}]),
        &f("get-bucket-acl"),
        6,
        15,
    );
    // `{}` written by the script for NoSuch... errors, and the CLI's empty output: exported,
    // nothing configured.
    absent(&b.public_access_block, &f("get-public-access-block"), 1);
    absent(&b.policy, &f("get-bucket-policy"), 1);
    absent(&b.logging, &f("get-bucket-logging"), 1);
    absent(&b.versioning, &f("get-bucket-versioning"), 1);
    assert_eq!(
        b.versioning.note.as_deref(),
        Some("versioning never enabled")
    );
}

#[test]
fn member_account_sees_the_organization_trail_as_shadow() {
    let (doc, errors) = adapt_fixture("member-shadow");
    assert_eq!(errors, vec![]);
    assert_eq!(doc.account_id.as_deref(), Some("444455556666"));
    let dt = p("member-shadow", "describe-trails.json");
    let org = trail(
        &doc,
        "arn:aws:cloudtrail:us-east-1:999988887777:trail/acme-org-trail",
    );
    assert!(org.is_shadow);
    known(&org.is_organization_trail, json!(true), &dt, 15, 36);
    let st = p(
        "member-shadow",
        "get-trail-status.arn_aws_cloudtrail_us-east-1_999988887777_trail_acme-org-trail.json",
    );
    known(&org.is_logging, json!(true), &st, 2, 18);
    known(
        &org.status.as_ref().unwrap().latest_digest_delivery_time,
        json!("2024-03-01T09:00:03.112Z"),
        &st,
        5,
        33,
    );
    // HasCustomEventSelectors true but get-event-selectors not exported.
    unknown(
        &org.event_selectors,
        "get-event-selectors not exported",
        &dt,
        3,
    );
    unknown(
        &org.advanced_event_selectors,
        "get-event-selectors not exported",
        &dt,
        3,
    );
    defaulted(&org.insight_selectors, json!([]), &dt, 3);
    // The log archive bucket is in another account: no bucket files, no bucket.
    assert!(org.bucket.is_none());

    let local = trail(
        &doc,
        "arn:aws:cloudtrail:us-east-1:444455556666:trail/dev-local",
    );
    assert!(!local.is_shadow);
    unknown(&local.is_logging, "get-trail-status not exported", &dt, 17);
    assert!(local.status.is_none());
    known(
        &local.include_global_service_events,
        json!(false),
        &dt,
        20,
        43,
    );
}

#[test]
fn member_account_is_inferred_from_its_own_trail() {
    let files: Vec<_> = files_of("member-shadow")
        .into_iter()
        .filter(|(path, _)| !path.ends_with("get-caller-identity.json"))
        .collect();
    let (doc, errors) = document(adapt_dir("member", &files));
    assert_eq!(errors, vec![]);
    assert_eq!(doc.account_id.as_deref(), Some("444455556666"));
    assert_eq!(
        doc.trails.iter().map(|t| t.is_shadow).collect::<Vec<_>>(),
        vec![true, false]
    );
}

#[test]
fn advanced_selectors_and_event_data_stores() {
    let (doc, errors) = adapt_fixture("advanced");
    assert_eq!(errors, vec![]);
    let t = trail(
        &doc,
        "arn:aws:cloudtrail:us-west-2:222233334444:trail/data-events",
    );
    let sel = p("advanced", "get-event-selectors.data-events.json");
    let ops = |field: &str, op: &str, v: &str| {
        let mut m = json!({"field": field, "equals": [], "not_equals": [], "starts_with": [],
            "not_starts_with": [], "ends_with": [], "not_ends_with": []});
        m[op] = json!([v]);
        m
    };
    known(
        &t.advanced_event_selectors,
        json!([
            {"name": "Management events selector",
             "field_selectors": [ops("eventCategory", "equals", "Management")]},
            {"name": "S3 data events except the trail bucket",
             "field_selectors": [
                ops("eventCategory", "equals", "Data"),
                ops("resources.type", "equals", "AWS::S3::Object"),
                ops("resources.ARN", "not_starts_with", "arn:aws:s3:::lake-trail-222233334444/"),
             ]},
        ]),
        &sel,
        3,
        31,
    );
    absent(&t.event_selectors, &sel, 1);
    known(
        &t.is_logging,
        json!(true),
        &p("advanced", "get-trail-status.data-events.json"),
        2,
        18,
    );
    known(
        &t.insight_selectors,
        json!(["ApiErrorRateInsight"]),
        &p("advanced", "get-insight-selectors.data-events.json"),
        3,
        25,
    );

    assert_eq!(doc.event_data_stores.len(), 2);
    let get = p("advanced", "get-event-data-store.short-lived-lake.json");
    let lake = &doc.event_data_stores[0];
    assert_eq!(
        lake.id,
        "arn:aws:cloudtrail:us-west-2:222233334444:eventdatastore/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    );
    assert_eq!(lake.resource_type, "AWS::CloudTrail::EventDataStore");
    known(&lake.name, json!("short-lived-lake"), &get, 3, 13);
    known(&lake.retention_period, json!(90), &get, 20, 24);
    known(
        &lake.termination_protection_enabled,
        json!(false),
        &get,
        21,
        37,
    );
    known(&lake.multi_region_enabled, json!(false), &get, 18, 27);
    known(&lake.organization_enabled, json!(false), &get, 19, 28);
    known(&lake.status, json!("ENABLED"), &get, 4, 15);
    absent(&lake.kms_key_id, &get, 1);
    assert!(lake.kms_key.is_none());
    known(
        &lake.advanced_event_selectors,
        json!([{"name": "Management events",
            "field_selectors": [ops("eventCategory", "equals", "Management")]}]),
        &get,
        5,
        31,
    );

    // Only listed: list-event-data-stores no longer returns the settings.
    let list = p("advanced", "list-event-data-stores.json");
    let listed = &doc.event_data_stores[1];
    known(&listed.name, json!("security-lake"), &list, 9, 21);
    known(
        &listed.arn,
        json!(
            "arn:aws:cloudtrail:us-west-2:222233334444:eventdatastore/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
        ),
        &list,
        8,
        34,
    );
    for f in [
        &listed.retention_period,
        &listed.termination_protection_enabled,
        &listed.kms_key_id,
        &listed.multi_region_enabled,
        &listed.advanced_event_selectors,
        &listed.status,
    ] {
        unknown(f, "get-event-data-store not exported", &list, 7);
    }
}

#[test]
fn corrupt_file_is_reported_and_the_rest_adapted() {
    let (doc, errors) = adapt_fixture("corrupt");
    assert_eq!(
        errors,
        vec![InputError::at(
            &p("corrupt", "get-event-selectors.primary.json"),
            6,
            13,
            "invalid JSON: expected ',' or '}' in object"
        )]
    );
    let t = trail(
        &doc,
        "arn:aws:cloudtrail:ap-southeast-2:333344445555:trail/primary",
    );
    let dt = p("corrupt", "describe-trails.json");
    known(
        &t.is_logging,
        json!(true),
        &p("corrupt", "get-trail-status.primary.json"),
        2,
        18,
    );
    unknown(
        &t.event_selectors,
        "get-event-selectors not exported",
        &dt,
        3,
    );
    defaulted(&t.insight_selectors, json!([]), &dt, 3);
}
