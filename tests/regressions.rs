//! Regression tests: trailguard does not repeat the mistakes peers are known for
//! (reference/trail-controls.md, "Known peer mistakes"; issue #2).

mod common;
use common::*;

fn scan(paths: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(paths);
    let o = trailguard(&args);
    assert_ne!(code(&o), 2, "{}", stdout(&o));
    json(&o)
}

fn fired(r: &serde_json::Value, rule: &str, resource: &str) -> bool {
    findings(r)
        .iter()
        .any(|(id, res, _)| id == rule && res == resource)
}

/// checkov#800: `kms_key_id` known only after apply is unknown, not absent: no CMK finding.
#[test]
fn unknown_after_apply_kms_key_is_not_missing_encryption() {
    let r = scan(&[
        "tests/fixtures/config/terraform/plan/kms-unknown.json",
        "tests/fixtures/config/terraform/hcl/kms-unknown",
    ]);
    assert!(!rule_ids(&r).contains("TGC006"), "{:?}", findings(&r));
}

/// cfn-guard: `KMSKeyId: !GetAtt Key.Arn` is encryption with a customer managed key.
#[test]
fn getatt_kms_key_counts_as_cmk() {
    let r = scan(&[
        "tests/fixtures/config/cloudformation/compliant.yaml",
        "tests/fixtures/config/cloudformation/cdk-synth.json",
    ]);
    assert!(!rule_ids(&r).contains("TGC006"));
    assert!(!rule_ids(&r).contains("TGC007"));
}

/// Trivy reads `KmsKeyId` on a Trail (the property is `KMSKeyId`): the wrong casing is not
/// encryption, and the right casing is.
#[test]
fn kms_key_id_casing_follows_the_resource_schema() {
    let r = scan(&["tests/fixtures/config/cloudformation/noncompliant.yaml"]);
    assert!(
        findings(&r).iter().any(|(id, _, _)| id == "TGC006"),
        "KmsKeyId on a Trail must not count"
    );
    let r = scan(&["tests/fixtures/config/cloudformation/parameters.yaml"]);
    // `KMSKeyId: !Ref TrailKeyArn` (parameter default) is a key; the EDS's `KmsKeyId` is its own
    // property name and `!ImportValue` leaves it unknown.
    assert!(!rule_ids(&r).contains("TGC006"), "{:?}", findings(&r));
    assert!(!rule_ids(&r).contains("TGC020"), "{:?}", findings(&r));
}

/// cfn-guard demands one exact selector layout; Trivy's CloudFormation adapter reads no
/// selectors. Advanced selectors recording S3 data events satisfy the data-event rules.
#[test]
fn data_events_via_advanced_selectors_are_recognised() {
    let r = scan(&[
        "tests/fixtures/config/terraform/plan/advanced.json",
        "tests/fixtures/config/live/advanced",
    ]);
    for rule in ["TGC013", "TGC014", "TGC003"] {
        assert!(!fired(&r, rule, "aws_cloudtrail.data_events"), "{rule}");
        assert!(
            !fired(
                &r,
                rule,
                "arn:aws:cloudtrail:us-west-2:222233334444:trail/data-events"
            ),
            "{rule}"
        );
    }
}

/// prowler#2438 and friends: an organization trail seen from a member account (a shadow trail)
/// is owned by the management account and never reported as misconfigured there.
#[test]
fn shadow_organization_trails_are_not_flagged_in_member_accounts() {
    let r = scan(&["tests/fixtures/config/live/member-shadow"]);
    let resources: std::collections::BTreeSet<String> =
        findings(&r).into_iter().map(|(_, res, _)| res).collect();
    assert!(
        resources.iter().all(|r| !r.contains("acme-org-trail")),
        "{resources:?}"
    );
    // The member's own local trail is still checked.
    assert!(resources.iter().any(|r| r.ends_with("trail/dev-local")));
    assert!(
        !rule_ids(&r).contains("TGC021"),
        "the org trail covers the account"
    );
}

/// Checkov: an unknown `--check` id runs nothing and exits 0.
#[test]
fn unknown_rule_id_fails_loudly() {
    let o = trailguard(&["scan", "--select", "CKV_AWS_35", "examples/cloudformation/"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown rule `CKV_AWS_35`"));
}
