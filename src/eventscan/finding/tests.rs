//! The fast evidence path (from the regorus record, written as text) against the former one
//! (the record parsed again into `serde_json`, evidence built as a tree), kept here verbatim as
//! the reference: every output byte must stay the same.

use super::*;
use proptest::prelude::*;
use serde_json::json;

/// The evidence block exactly as it was built before the fast path existed.
fn reference_context(record: &Value) -> Value {
    let mut who = Map::new();
    let put = |m: &mut Map<String, Value>, k: &str, path: &[&str]| {
        if let Some(v) = pick(record, path) {
            m.insert(k.to_string(), v);
        }
    };
    put(&mut who, "type", &["userIdentity", "type"]);
    put(&mut who, "arn", &["userIdentity", "arn"]);
    put(&mut who, "principalId", &["userIdentity", "principalId"]);
    put(&mut who, "accountId", &["userIdentity", "accountId"]);
    put(&mut who, "userName", &["userIdentity", "userName"]);
    put(&mut who, "accessKeyId", &["userIdentity", "accessKeyId"]);
    put(&mut who, "invokedBy", &["userIdentity", "invokedBy"]);
    put(
        &mut who,
        "sessionIssuer",
        &["userIdentity", "sessionContext", "sessionIssuer", "arn"],
    );
    put(
        &mut who,
        "mfaAuthenticated",
        &[
            "userIdentity",
            "sessionContext",
            "attributes",
            "mfaAuthenticated",
        ],
    );
    let mut what = Map::new();
    for k in [
        "eventSource",
        "eventName",
        "eventType",
        "readOnly",
        "errorCode",
        "errorMessage",
    ] {
        put(&mut what, k, &[k]);
    }
    let mut whence = Map::new();
    for k in [
        "sourceIPAddress",
        "userAgent",
        "awsRegion",
        "recipientAccountId",
    ] {
        put(&mut whence, k, &[k]);
    }
    json!({
        "who": who,
        "what": what,
        "when": pick(record, &["eventTime"]).unwrap_or(Value::Null),
        "where": whence,
        "eventID": pick(record, &["eventID"]).unwrap_or(Value::Null),
    })
}

/// The former evidence of a finding with deny-entry evidence `details`, as JSON text.
fn reference_evidence(raw: &str, details: Option<&Value>) -> String {
    let record: Value = serde_json::from_str(raw).unwrap_or_default();
    let mut evidence = reference_context(&record);
    if let (Some(d), Value::Object(m)) = (details, &mut evidence) {
        m.insert("details".into(), d.clone());
    }
    evidence.to_string()
}

fn fast_evidence(raw: &str, details: Option<&Value>) -> (String, bool) {
    let record: RValue = serde_json::from_str(raw).unwrap();
    let mut interner = Interner::default();
    let ctx = Context::of(&record, raw, &mut interner);
    let fast = matches!(ctx, Context::Pieces(_));
    let e = ctx.evidence(details, &mut interner);
    (serde_json::to_string(&e).unwrap(), fast)
}

const DENIED: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA:x","arn":"arn:aws:sts::111122223333:assumed-role/R/x","accountId":"111122223333","accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/R"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2024-07-01T13:19:59Z","eventSource":"monitoring.amazonaws.com","eventName":"DescribeAlarms","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2 \"quoted\" \u00e9\t","errorCode":"AccessDenied","errorMessage":"You are not authorized","requestParameters":{"maxRecords":100},"eventID":"357908bb-34ba","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#;

#[test]
fn context_keys_are_in_the_order_serde_json_writes_them() {
    for group in [WHAT, WHERE, WHO] {
        let keys: Vec<&str> = group.iter().map(|(k, _)| *k).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
    }
    let top = ["details", "eventID", "what", "when", "where", "who"];
    let mut sorted = top;
    sorted.sort_unstable();
    assert_eq!(top, sorted);
}

#[test]
fn typical_denied_call_takes_the_fast_path_with_the_former_bytes() {
    let details = json!({"errorCode": "AccessDenied", "eventName": "DescribeAlarms"});
    let (text, fast) = fast_evidence(DENIED, Some(&details));
    assert!(fast);
    assert_eq!(text, reference_evidence(DENIED, Some(&details)));
    assert_eq!(
        text,
        r#"{"details":{"errorCode":"AccessDenied","eventName":"DescribeAlarms"},"eventID":"357908bb-34ba","what":{"errorCode":"AccessDenied","errorMessage":"You are not authorized","eventName":"DescribeAlarms","eventSource":"monitoring.amazonaws.com","eventType":"AwsApiCall","readOnly":true},"when":"2024-07-01T13:19:59Z","where":{"awsRegion":"eu-west-1","recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2 \"quoted\" é\t"},"who":{"accessKeyId":"ASIA1","accountId":"111122223333","arn":"arn:aws:sts::111122223333:assumed-role/R/x","mfaAuthenticated":"false","principalId":"AROA:x","sessionIssuer":"arn:aws:iam::111122223333:role/R","type":"AssumedRole"}}"#
    );
    // A `null` evidence entry is kept as `details: null`; no entry means no key.
    assert_eq!(
        fast_evidence(DENIED, Some(&Value::Null)).0,
        reference_evidence(DENIED, Some(&Value::Null))
    );
    assert!(!fast_evidence(DENIED, None).0.contains("details"));
}

#[test]
fn numbers_and_objects_in_context_fields_take_the_exact_path() {
    for raw in [
        r#"{"eventID":"e","readOnly":1}"#,
        r#"{"eventID":"e","eventTime":1.5e3}"#,
        r#"{"eventID":7,"userIdentity":{"type":{"nested":[1,2.0]}}}"#,
        r#"{"eventID":"e","awsRegion":["us-east-1"]}"#,
    ] {
        let (text, fast) = fast_evidence(raw, Some(&json!(1.0)));
        assert!(!fast, "{raw}");
        assert_eq!(text, reference_evidence(raw, Some(&json!(1.0))), "{raw}");
    }
}

#[test]
fn missing_and_null_fields_are_left_out_and_when_and_event_id_are_null() {
    let raw = r#"{"userIdentity":null,"eventTime":null,"eventSource":"s3.amazonaws.com","errorCode":null}"#;
    let (text, fast) = fast_evidence(raw, None);
    assert!(fast);
    assert_eq!(
        text,
        r#"{"eventID":null,"what":{"eventSource":"s3.amazonaws.com"},"when":null,"where":{},"who":{}}"#
    );
    assert_eq!(text, reference_evidence(raw, None));
}

#[test]
fn details_too_deep_for_text_still_give_the_former_output() {
    let mut deep = json!("leaf");
    for _ in 0..130 {
        deep = json!({"k": deep});
    }
    let (text, _) = fast_evidence(DENIED, Some(&deep));
    assert_eq!(text, reference_evidence(DENIED, Some(&deep)));
}

#[test]
fn findings_share_repeated_fragments() {
    let mut interner = Interner::default();
    let a = interner.intern(r#"{"arn":"x"}"#);
    let b = interner.intern(&String::from(r#"{"arn":"x"}"#));
    assert!(Arc::ptr_eq(&a, &b));
    assert!(!Arc::ptr_eq(&a, &interner.intern(r#"{"arn":"y"}"#)));
    // Two records of one principal: who, what and where are one copy; eventID and time not.
    let second = DENIED
        .replace("357908bb-34ba", "9f00-11")
        .replace("13:19:59", "13:20:00");
    let record: RValue = serde_json::from_str(DENIED).unwrap();
    let other: RValue = serde_json::from_str(&second).unwrap();
    let (Context::Pieces(p), Context::Pieces(q)) = (
        Context::of(&record, DENIED, &mut interner),
        Context::of(&other, &second, &mut interner),
    ) else {
        panic!("both records take the fast path");
    };
    let shared: Vec<bool> = p.iter().zip(&q).map(|(x, y)| Arc::ptr_eq(x, y)).collect();
    assert_eq!(shared, [false, true, false, true, true]);
    assert_eq!(&*q[0], r#""eventID":"9f00-11","what":"#);
    assert_eq!(&*q[2], r#","when":"2024-07-01T13:20:00Z","where":"#);
}

fn facts() -> RuleFacts {
    RuleFacts {
        id: "TGE001".into(),
        name: "unauthorized-api-call".into(),
        title: "API call denied".into(),
        severity: crate::contract::Severity::Low,
        kind: crate::contract::RuleKind::Event,
        compliance: Default::default(),
    }
}

fn build_on(raw: &str, item: Value) -> Finding {
    let record: RValue = serde_json::from_str(raw).unwrap();
    let loc = RecordLoc {
        path: "logs/a.json".into(),
        index: 4,
        line: Some(9),
    };
    let mut interner = Interner::default();
    let context = Context::of(&record, raw, &mut interner);
    let header = crate::events::Header::parse(raw).unwrap();
    build(
        &facts(),
        &item,
        &RecordIds::of(&header),
        &context,
        &loc,
        &mut interner,
    )
    .unwrap()
}

#[test]
fn build_takes_identity_from_the_record() {
    let f = build_on(DENIED, json!({"msg": "m", "key": "k"}));
    assert_eq!(f.resource, "arn:aws:sts::111122223333:assumed-role/R/x");
    assert_eq!(f.location.event_id.as_deref(), Some("357908bb-34ba"));
    assert_eq!(&*f.location.path, "logs/a.json");
    assert_eq!(
        (f.location.start_line, f.location.record_index),
        (9, Some(4))
    );
    assert_eq!(
        f.fingerprint,
        fingerprint(&["TGE001", "357908bb-34ba", "k"])
    );
    assert_eq!(f.evidence.to_json(), reference_evidence(DENIED, None));

    let f = build_on(
        r#"{"recipientAccountId":"123","userIdentity":{"arn":5}}"#,
        json!({"msg": "m"}),
    );
    assert_eq!(f.resource, "account 123");
    assert_eq!(f.location.event_id, None);
    assert_eq!(f.fingerprint, fingerprint(&["TGE001", "logs/a.json#4", ""]));

    let f = build_on(r#"{"eventID":3}"#, json!({"msg": "m", "resource": "r"}));
    assert_eq!((f.resource.as_str(), f.location.event_id), ("r", None));
    assert_eq!(
        build_on("{}", json!({"msg": "m"})).resource,
        "unknown principal"
    );
}

/// A JSON value for a context field: absent (None), or one of the shapes records carry.
fn field_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        4 => Just(None),
        1 => Just(Some(Value::Null)),
        6 => "[a-zA-Z0-9 :/\"\\\\é\u{1F600}\t\n-]{0,12}".prop_map(|s| Some(json!(s))),
        2 => any::<bool>().prop_map(|b| Some(json!(b))),
        1 => any::<i64>().prop_map(|n| Some(json!(n))),
        1 => (-1e6f64..1e6).prop_map(|f| Some(json!(f))),
        1 => Just(Some(json!({"x": [1, "y"]}))),
    ]
}

/// Sets `value` at `path` in `record`, making objects on the way (a non-object on the way is
/// left alone: the field is then simply unreachable, as in a malformed record).
fn set(record: &mut Value, path: &[&str], value: Value) {
    let Some((last, init)) = path.split_last() else {
        return;
    };
    let mut cur = record;
    for seg in init {
        let Value::Object(m) = cur else { return };
        cur = m.entry(seg.to_string()).or_insert_with(|| json!({}));
    }
    if let Value::Object(m) = cur {
        m.insert(last.to_string(), value);
    }
}

fn all_paths() -> Vec<&'static [&'static str]> {
    [WHAT, WHERE, WHO]
        .into_iter()
        .flatten()
        .map(|(_, p)| *p)
        .chain([WHEN, EVENT_ID])
        .collect()
}

proptest! {
    #[test]
    fn fast_path_matches_the_former_evidence_byte_for_byte(
        values in proptest::collection::vec(field_value(), 21),
        identity_is_scalar in proptest::bool::weighted(0.05),
        details in proptest::option::of(field_value()),
    ) {
        let mut record = json!({"eventVersion": "1.08"});
        if identity_is_scalar {
            record["userIdentity"] = json!("odd");
        }
        for (path, v) in all_paths().into_iter().zip(values) {
            if let Some(v) = v {
                set(&mut record, path, v);
            }
        }
        let raw = record.to_string();
        let details = details.map(|d| d.unwrap_or(json!({"k": [true]})));
        let (text, _) = fast_evidence(&raw, details.as_ref());
        prop_assert_eq!(text, reference_evidence(&raw, details.as_ref()));
    }
}
