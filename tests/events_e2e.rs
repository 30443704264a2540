//! Event scanning end to end (issue #3): every Stratus Red Team detonation whose technique a
//! rule covers fires that rule; the prefilter and the bytecode VM change nothing; every record
//! read is evaluated or counted as skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use trailguard::contract::{ScanReport, Severity};
use trailguard::policy::{self, LoadOptions, PolicySet};
use trailguard::scan::{self, ScanOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pack() -> PolicySet {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:#?}");
    set
}

/// An empty directory for user policies under `dir`.
fn policy_dir(dir: &std::path::Path) -> PathBuf {
    let pol = dir.join("p");
    std::fs::create_dir_all(&pol).unwrap();
    pol
}

/// The policies of `dirs` (after the built-in pack when `builtin`) with the parameter files
/// `data_files`, and the load's diagnostics.
fn load_pack(
    builtin: bool,
    dirs: Vec<PathBuf>,
    data_files: Vec<PathBuf>,
) -> (PolicySet, Vec<trailguard::contract::Diagnostic>) {
    policy::load(&LoadOptions {
        builtin,
        dirs,
        data_files,
        ..Default::default()
    })
}

fn run(set: &PolicySet, paths: Vec<PathBuf>, tweak: impl FnOnce(&mut ScanOptions)) -> ScanReport {
    let mut opts = ScanOptions {
        paths,
        fail_on: Some(Severity::Info),
        threads: 2,
        selected: set.rules.iter().map(|r| r.desc.id.clone()).collect(),
        ..Default::default()
    };
    tweak(&mut opts);
    scan::scan(&opts, set, Vec::new())
}

/// Stratus technique file -> the rules that must fire on it (docs/event-rules.md).
const STRATUS: &[(&str, &[&str])] = &[
    (
        "aws.credential-access.ec2-get-password-data",
        &["TGA001", "TGE001", "TGE039"],
    ),
    (
        "aws.credential-access.ec2-steal-instance-credentials",
        &["TGE046"],
    ),
    (
        "aws.credential-access.secretsmanager-batch-retrieve-secrets",
        &["TGE040"],
    ),
    (
        "aws.credential-access.secretsmanager-retrieve-secrets",
        &["TGE040"],
    ),
    (
        "aws.credential-access.ssm-retrieve-securestring-parameters",
        &["TGE040"],
    ),
    (
        "aws.defense-evasion.cloudtrail-delete",
        &["TGE005", "TGE018"],
    ),
    (
        "aws.defense-evasion.cloudtrail-event-selectors",
        &["TGE018"],
    ),
    ("aws.defense-evasion.cloudtrail-stop", &["TGE005", "TGE018"]),
    ("aws.defense-evasion.dns-delete-logs", &["TGE042"]),
    (
        "aws.defense-evasion.organizations-leave",
        &["TGE001", "TGE015", "TGE041"],
    ),
    ("aws.defense-evasion.vpc-remove-flow-logs", &["TGE042"]),
    (
        "aws.discovery.ec2-download-user-data",
        &["TGE001", "TGE047"],
    ),
    ("aws.execution.ec2-launch-unusual-instances", &["TGE001"]),
    ("aws.execution.ec2-user-data", &["TGE047"]),
    ("aws.execution.ssm-send-command", &["TGE046"]),
    ("aws.execution.ssm-start-session", &["TGE046"]),
    (
        "aws.exfiltration.ec2-security-group-open-port-22-ingress",
        &["TGE010", "TGE027"],
    ),
    ("aws.exfiltration.ec2-share-ami", &["TGE028"]),
    ("aws.exfiltration.ec2-share-ebs-snapshot", &["TGE029"]),
    ("aws.exfiltration.rds-share-snapshot", &["TGE030"]),
    ("aws.impact.bedrock-invoke-model", &["TGE048"]),
    ("aws.initial-access.console-login-without-mfa", &["TGE002"]),
    ("aws.lateral-movement.ec2-instance-connect", &["TGE045"]),
    (
        "aws.lateral-movement.ec2-serial-console-send-ssh-public-key",
        &["TGE045"],
    ),
    ("aws.persistence.iam-backdoor-role", &["TGE024"]),
    ("aws.persistence.iam-backdoor-user", &["TGE021"]),
    (
        "aws.persistence.iam-create-admin-user",
        &["TGE004", "TGE020", "TGE021", "TGE023"],
    ),
    (
        "aws.persistence.iam-create-backdoor-role",
        &["TGE004", "TGE023", "TGE024"],
    ),
    ("aws.persistence.iam-create-user-login-profile", &["TGE022"]),
    ("aws.persistence.lambda-backdoor-function", &["TGE037"]),
    ("aws.persistence.lambda-layer-extension", &["TGE036"]),
    ("aws.persistence.lambda-overwrite-code", &["TGE036"]),
    (
        "aws.persistence.rolesanywhere-create-trust-anchor",
        &["TGE044"],
    ),
    ("aws.persistence.sts-federation-token", &["TGE043"]),
    (
        "aws.privilege-escalation.iam-update-user-login-profile",
        &["TGE022"],
    ),
];

#[test]
fn every_stratus_detonation_fires_its_rules_exactly() {
    let set = pack();
    let dir = root().join("tests/fixtures/stratus");
    let report = run(&set, vec![dir.clone()], |_| {});
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let mut fired: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &report.findings {
        let file = f
            .location
            .path
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".json")
            .to_string();
        fired.entry(file).or_default().insert(f.rule_id.to_string());
    }
    assert_eq!(
        fired.len(),
        STRATUS.len(),
        "files with findings: {:?}",
        fired.keys()
    );
    for (file, rules) in STRATUS {
        let want: BTreeSet<String> = rules.iter().map(|r| r.to_string()).collect();
        assert_eq!(fired.get(*file), Some(&want), "{file}");
    }
}

/// Findings as comparable text (order included).
fn digest(r: &ScanReport) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {:?} {} {}",
                f.rule_id, f.location.path, f.location.record_index, f.fingerprint, f.message
            )
        })
        .collect()
}

fn corpus() -> Vec<PathBuf> {
    vec![
        root().join("tests/fixtures/stratus"),
        root().join("tests/fixtures/events"),
        root().join("tests/fixtures/bursts"),
        root().join("examples/events"),
    ]
}

#[test]
fn prefilter_is_an_optimisation_never_a_semantic() {
    let set = pack();
    let with = run(&set, corpus(), |_| {});
    let without = run(&set, corpus(), |o| o.no_prefilter = true);
    assert!(with.findings.len() > 150);
    assert_eq!(digest(&with), digest(&without));
    assert_eq!(with.errors, without.errors);
}

/// With one finding listed per rule, nearly every finding is only counted, TGE001's and TGE036's
/// by their `condition` on a value of the members it reads: the counts per rule are those of a
/// full evaluation of every rule on every record.
#[test]
fn findings_counted_past_the_cap_are_the_findings_of_a_full_evaluation() {
    let set = pack();
    let with = run(&set, corpus(), |o| o.max_findings_per_rule = 1);
    let without = run(&set, corpus(), |o| {
        o.max_findings_per_rule = 1;
        o.no_prefilter = true;
    });
    let counts = |r: &ScanReport| r.summary.not_listed.clone().map(|n| n.rules);
    assert!(counts(&with).is_some_and(|c| c.get("TGE001") > Some(&20)));
    assert_eq!(counts(&with), counts(&without));
    assert_eq!(with.summary.by_severity, without.summary.by_severity);
    assert_eq!(digest(&with), digest(&without));
    assert_eq!(with.errors, without.errors);
}

#[test]
fn bytecode_vm_agrees_with_the_interpreter() {
    let set = pack();
    let vm = run(&set, corpus(), |_| {});
    let interp = run(&set, corpus(), |o| {
        o.interpreter_only = true;
        o.no_prefilter = true;
    });
    assert_eq!(digest(&vm), digest(&interp));
}

#[test]
fn every_record_read_is_evaluated_or_skipped_with_a_reason() {
    let set = pack();
    let r = run(&set, corpus(), |_| {});
    let ev = r.summary.events.as_ref().expect("event stats");
    let skipped: u64 = ev.records_skipped.values().sum();
    assert!(ev.records_read > 300);
    assert_eq!(ev.records_read, ev.records_evaluated + skipped, "{ev:?}");
    // The malformed fixtures are counted, not silently dropped.
    assert!(
        ev.records_skipped.get("unparseable").copied().unwrap_or(0) > 0,
        "{ev:?}"
    );
}

#[test]
fn time_window_skips_and_prunes() {
    let set = pack();
    let bound = |s: &str| trailguard::events::Timestamp::parse_bound(s).unwrap();
    let r = run(&set, vec![root().join("examples/events")], |o| {
        o.window.since = Some(bound("2024-08-01"));
        o.window.until = Some(bound("2024-08-02"));
    });
    let ev = r.summary.events.as_ref().unwrap();
    // A file under day D holds records from [D-1, D+1) (one day of delivery slack): the files
    // under 07/30 and 07/31 cannot hold 08-01 records and are never opened; 08/01 and 08/02 are.
    assert_eq!(ev.files_pruned, 2, "{ev:?}");
    assert_eq!(ev.files, 3, "two S3 files and the JSON Lines file are read");
    assert!(
        ev.records_skipped
            .get("outside-time-window")
            .copied()
            .unwrap_or(0)
            > 0
    );
    for f in &r.findings {
        let evidence = f.evidence.value();
        let when = evidence["when"].as_str().unwrap();
        assert!(when.starts_with("2024-08-01"), "{when}");
    }
}

#[test]
fn an_event_read_twice_gives_one_finding_per_rule() {
    // The same denied call in an S3 log file and again in a second export of the day: one
    // TGE001 finding, the one from the first file in sorted order.
    let dir = tempfile::tempdir().unwrap();
    let record = r#"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},"eventTime":"2024-08-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","errorMessage":"Access Denied","eventID":"0f3c9a0e-1111-2222-3333-444455556666","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#;
    let other = record
        .replace("0f3c9a0e-1111", "7a7a7a7a-1111")
        .replace("10:00:00", "10:00:01");
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(&a, format!(r#"{{"Records":[{record}]}}"#)).unwrap();
    std::fs::write(&b, format!(r#"{{"Records":[{other},{record}]}}"#)).unwrap();
    let r = run(&pack(), vec![dir.path().to_path_buf()], |o| {
        o.selected = ["TGE001".to_string()].into();
    });
    let got: Vec<(String, Option<u64>, Option<String>)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.location.path.rsplit('/').next().unwrap_or("").to_string(),
                f.location.record_index,
                f.location.event_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "a.json".to_string(),
                Some(0),
                Some("0f3c9a0e-1111-2222-3333-444455556666".to_string())
            ),
            (
                "b.json".to_string(),
                Some(0),
                Some("7a7a7a7a-1111-2222-3333-444455556666".to_string())
            ),
        ]
    );
}

/// A user rule whose selector names alternatives and fields the reader's header does not carry
/// (`requestParameters.*`): those are read from the record's text, so the rule sees exactly
/// the records its selector admits, and fires on the same ones with the prefilter off.
#[test]
fn selectors_with_alternatives_and_request_parameter_fields() {
    let dir = tempfile::tempdir().unwrap();
    let pol = policy_dir(dir.path());
    std::fs::write(
        pol.join("secret_reads.rego"),
        r#"# METADATA
# title: Decrypted secret read
# description: A secret value or a decrypted parameter was read.
# custom:
#   id: USR040
#   name: decrypted-secret-read
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: Check that the reader is expected to hold the secret.
#   selector:
#     any_of:
#       - eventSource: [secretsmanager.amazonaws.com]
#         eventName: [GetSecretValue]
#       - eventSource: [ssm.amazonaws.com]
#         eventName: [GetParameter]
#         fields:
#           requestParameters.withDecryption: [true]
#           requestParameters.name: ["/app/db", "/app/\u00e9"]
package user.secret_reads

import rego.v1

deny contains {"msg": sprintf("%s read", [input.eventID])} if {
	input.eventSource == "secretsmanager.amazonaws.com"
	input.eventName == "GetSecretValue"
}

deny contains {"msg": sprintf("%s read", [input.eventID])} if {
	input.eventSource == "ssm.amazonaws.com"
	input.eventName == "GetParameter"
	input.requestParameters.withDecryption == true
	input.requestParameters.name in {"/app/db", "/app/\u00e9"}
}
"#,
    )
    .unwrap();
    let rec = |id: &str, source: &str, name: &str, params: &str| {
        format!(
            r#"{{"eventVersion":"1.09","eventTime":"2024-08-01T10:00:00Z","eventSource":"{source}","eventName":"{name}","eventID":"{id}","awsRegion":"eu-west-1","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}},"requestParameters":{params}}}"#
        )
    };
    let lines = [
        rec(
            "sm",
            "secretsmanager.amazonaws.com",
            "GetSecretValue",
            r#"{"secretId":"db"}"#,
        ),
        rec(
            "ssm-decrypted",
            "ssm.amazonaws.com",
            "GetParameter",
            r#"{"name":"/app/db","withDecryption":true}"#,
        ),
        rec(
            "ssm-escaped",
            "ssm.amazonaws.com",
            "GetParameter",
            r#"{"name":"/app/\u00e9","with\u0044ecryption":true}"#,
        ),
        rec(
            "ssm-plain",
            "ssm.amazonaws.com",
            "GetParameter",
            r#"{"name":"/app/db","withDecryption":false}"#,
        ),
        rec(
            "ssm-text-true",
            "ssm.amazonaws.com",
            "GetParameter",
            r#"{"name":"/app/db","withDecryption":"true"}"#,
        ),
        rec(
            "ssm-other-name",
            "ssm.amazonaws.com",
            "GetParameter",
            r#"{"name":"/app/x","withDecryption":true}"#,
        ),
        rec("ssm-no-params", "ssm.amazonaws.com", "GetParameter", "null"),
        rec(
            "sm-wrong-source",
            "ssm.amazonaws.com",
            "GetSecretValue",
            r#"{"secretId":"db"}"#,
        ),
    ];
    let events = dir.path().join("events.jsonl");
    std::fs::write(&events, lines.join("\n")).unwrap();
    let (set, errors) = load_pack(false, vec![pol], vec![]);
    assert!(errors.is_empty(), "{errors:#?}");
    for no_prefilter in [false, true] {
        let r = run(&set, vec![events.clone()], |o| {
            o.no_prefilter = no_prefilter
        });
        assert!(r.errors.is_empty(), "{:#?}", r.errors);
        let ids: Vec<_> = r
            .findings
            .iter()
            .filter_map(|f| f.location.event_id.clone())
            .collect();
        assert_eq!(
            ids,
            ["sm", "ssm-decrypted", "ssm-escaped"],
            "no_prefilter {no_prefilter}"
        );
    }
}

/// With a listing cap the evidence of event findings is made when a report reads it, from the
/// record's text; without one it is made during the scan. Both give the same findings, byte
/// for byte, on the whole corpus.
#[test]
fn evidence_made_on_demand_is_the_evidence_made_during_the_scan() {
    let set = pack();
    let eager = run(&set, corpus(), |o| o.max_findings_per_rule = 0);
    let deferred = run(&set, corpus(), |o| o.max_findings_per_rule = 100_000);
    assert!(eager.findings.len() > 150);
    let json = |r: &ScanReport| serde_json::to_string(&r.findings).unwrap();
    assert_eq!(json(&eager), json(&deferred));
    assert!(
        deferred
            .findings
            .iter()
            .any(|f| f.evidence.value()["details"].is_object())
    );
}

/// `memoize` rules (TGE001 here) are evaluated on the record without its identity fields, and
/// records equal in everything else get the first one's result: the findings are those of
/// evaluating every record, each with its own eventID, location and evidence.
#[test]
fn memoized_rules_reuse_results_and_change_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let record = |i: usize, user: &str| {
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","userName":"{user}","arn":"arn:aws:iam::111122223333:user/{user}","accountId":"111122223333"}},"eventTime":"2024-08-01T10:00:{:02}Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","errorMessage":"Access Denied","requestID":"req-{i}","eventID":"ev-{i}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#,
            i % 60
        )
    };
    let lines: Vec<String> = (0..40)
        .map(|i| record(i, if i % 3 == 0 { "alice" } else { "bob" }))
        .collect();
    std::fs::write(dir.path().join("a.jsonl"), lines.join("\n")).unwrap();
    let set = pack();
    let runs: Vec<ScanReport> = [false, true]
        .into_iter()
        .map(|off| {
            run(&set, vec![dir.path().to_path_buf()], |o| {
                o.no_prefilter = off;
                o.selected = ["TGE001".to_string()].into();
            })
        })
        .collect();
    let json = |r: &ScanReport| serde_json::to_string(&r.findings).unwrap();
    assert_eq!(json(&runs[0]), json(&runs[1]));
    let ids: Vec<_> = runs[0]
        .findings
        .iter()
        .map(|f| f.location.event_id.clone().unwrap())
        .collect();
    assert_eq!(ids.len(), 40);
    assert_eq!(ids[0], "ev-0");
    let f = &runs[0].findings[39];
    assert_eq!(f.location.record_index, Some(39));
    assert_eq!(f.evidence.value()["eventID"], "ev-39");
    assert!(
        f.message
            .starts_with("IAM user 'alice' was denied s3:GetObject"),
        "{}",
        f.message
    );
}

/// A `memoize` rule does not see the record's identity fields: that is what makes reusing its
/// result sound, whatever the rule reads.
#[test]
fn a_memoized_rule_cannot_read_identity_fields() {
    let dir = tempfile::tempdir().unwrap();
    let pol = policy_dir(dir.path());
    for (file, id, memoize) in [("a.rego", "USR001", true), ("b.rego", "USR002", false)] {
        let pkg = file.trim_end_matches(".rego");
        std::fs::write(
            pol.join(file),
            format!(
                "# METADATA\n# title: Names the event\n# description: d\n# custom:\n#   id: {id}\n#   name: names-the-event-{pkg}\n#   severity: low\n#   kind: event\n#   applies_to: [events]\n#   memoize: {memoize}\n#   remediation:\n#     events: r\npackage user.{pkg}\n\nimport rego.v1\n\ndeny contains {{\"msg\": sprintf(\"event %s at %s\", [input.eventID, input.eventTime])}} if input.eventName == \"GetObject\"\n"
            ),
        )
        .unwrap();
    }
    let events = dir.path().join("e.json");
    std::fs::write(
        &events,
        r#"{"Records":[{"eventVersion":"1.09","eventTime":"2024-08-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"ev-1"}]}"#,
    )
    .unwrap();
    let (set, errors) = load_pack(false, vec![pol], vec![]);
    assert!(errors.is_empty(), "{errors:#?}");
    let r = run(&set, vec![events], |_| {});
    let got: Vec<_> = r
        .findings
        .iter()
        .map(|f| (&*f.rule_id, f.message.as_str()))
        .collect();
    assert_eq!(got, [("USR002", "event ev-1 at 2024-08-01T10:00:00Z")]);
}

fn bursts() -> Vec<PathBuf> {
    vec![root().join("tests/fixtures/bursts")]
}

/// (rule, message, file name, record index, eventID) of each finding of the given rules.
fn located(r: &ScanReport, prefix: &str) -> Vec<(String, String, String, u64, String)> {
    let mut got: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with(prefix))
        .map(|f| {
            let file = std::path::Path::new(&*f.location.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f.rule_id.to_string(),
                f.message.clone(),
                file,
                f.location.record_index.unwrap_or(u64::MAX),
                f.location.event_id.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    got
}

#[test]
fn aggregate_rules_count_bursts_across_files_and_threads() {
    let set = pack();
    let r = run(&set, bursts(), |_| {});
    let want = vec![
        (
            "TGA001".to_string(),
            "principal arn:aws:iam::111122223333:user/mallory was denied 25 times between \
             2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z (none in the scan's 6 other windows)"
                .to_string(),
            "recon.json".to_string(),
            0,
            "deny-mallory-00".to_string(),
        ),
        (
            "TGA002".to_string(),
            "6 console sign-ins failed from 198.51.100.23 between 2024-08-01T11:00:00Z and \
             2024-08-01T11:10:00Z (none in the scan's 6 other windows)"
                .to_string(),
            "recon-and-spray.jsonl".to_string(),
            34,
            "login-00".to_string(),
        ),
    ];
    // bob (19 denials) stays below the threshold, and carol's 24 fall 12 and 12 into two windows.
    assert_eq!(located(&r, "TGA"), want);
    let burst = r.findings.iter().find(|f| &*f.rule_id == "TGA001").unwrap();
    assert_eq!(burst.resource, "arn:aws:iam::111122223333:user/mallory");
    assert_eq!(
        burst.evidence.value(),
        serde_json::json!({
            "window": {"start": "2024-08-01T10:00:00Z", "end": "2024-08-01T10:10:00Z", "seconds": 600},
            "group": {"principal": "arn:aws:iam::111122223333:user/mallory"},
            "count": 25,
            "outside": {"count": 0, "windows": 6},
            "rules": {"TGE001": 25},
            "first_seen": "2024-08-01T10:01:00Z",
            "last_seen": "2024-08-01T10:03:48Z",
            "first_event_id": "deny-mallory-00",
        })
    );
    // Every denial is still its own TGE001 finding.
    assert_eq!(located(&r, "TGE001").len(), 25 + 19 + 24);
    let one = run(&set, bursts(), |o| o.threads = 1);
    assert_eq!(digest(&one), digest(&r));
    let ev = r.summary.events.as_ref().expect("event stats");
    assert_eq!(ev.records_read, 25 + 19 + 24 + 6);
    assert!(r.summary.failed && r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn an_aggregate_rule_alone_runs_the_rules_it_counts_without_reporting_them() {
    let set = pack();
    let r = run(&set, bursts(), |o| {
        o.selected = ["TGA001".to_string()].into_iter().collect();
    });
    let ids: Vec<&str> = r.findings.iter().map(|f| &*f.rule_id).collect();
    assert_eq!(ids, ["TGA001"]);
}

#[test]
fn aggregate_thresholds_are_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("params.yaml");
    std::fs::write(
        &params,
        "trailguard:\n  params:\n    authorization_failure_burst: 12\n    console_sign_in_failure_burst: 7\n",
    )
    .unwrap();
    let (set, errors) = load_pack(true, vec![], vec![params]);
    assert!(errors.is_empty(), "{errors:#?}");
    let r = run(&set, bursts(), |_| {});
    let got: Vec<String> = located(&r, "TGA")
        .into_iter()
        .map(|(id, msg, ..)| format!("{id} {msg}"))
        .collect();
    // At 12, bob and both halves of carol's run reach it; 6 sign-in failures no longer do.
    // The scan covers 10:01 to 11:00, seven windows: each finding says how its principal did
    // in the other six.
    assert_eq!(
        got,
        [
            "TGA001 principal arn:aws:iam::111122223333:user/bob was denied 19 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z (none in the scan's 6 other windows)",
            "TGA001 principal arn:aws:iam::111122223333:user/carol was denied 12 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z (12 in the scan's 6 other windows)",
            "TGA001 principal arn:aws:iam::111122223333:user/carol was denied 12 times between 2024-08-01T10:10:00Z and 2024-08-01T10:20:00Z (12 in the scan's 6 other windows)",
            "TGA001 principal arn:aws:iam::111122223333:user/mallory was denied 25 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z (none in the scan's 6 other windows)",
        ]
    );
}

#[test]
fn aggregate_rule_metadata_is_checked_against_the_loaded_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pol = policy_dir(dir.path());
    std::fs::write(
        pol.join("a.rego"),
        "# METADATA\n# title: Bursts\n# description: d\n# custom:\n#   id: USR010\n#   name: bursts\n#   severity: low\n#   kind: aggregate\n#   applies_to: [events]\n#   window:\n#     counts: [TGE999]\n#     by: [principal]\n#     length: 5m\n#     at_least: no_such_param\n#   remediation:\n#     events: r\npackage user.a\n\nimport rego.v1\n\ndeny contains {\"msg\": \"x\"} if input.count > 1\n",
    )
    .unwrap();
    let (_, errors) = load_pack(true, vec![pol], vec![]);
    let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "rule USR010: `window.counts` names `TGE999`, which is not a loaded event rule",
            "rule USR010: `window.at_least` names `no_such_param`, which is not a parameter holding a count",
        ]
    );
}

#[test]
fn a_broken_deny_entry_is_reported_and_takes_no_listing_place() {
    let dir = tempfile::tempdir().unwrap();
    let pol = policy_dir(dir.path());
    std::fs::write(
        pol.join("a.rego"),
        "# METADATA\n# title: Names the event\n# description: d\n# custom:\n#   id: USR003\n#   name: names-the-event\n#   severity: low\n#   kind: event\n#   applies_to: [events]\n#   remediation:\n#     events: r\npackage user.a\n\nimport rego.v1\n\ndeny contains {\"msg\": 5} if input.eventID == \"a\"\n\ndeny contains {\"msg\": sprintf(\"event %s\", [input.eventID])} if input.eventID != \"a\"\n",
    )
    .unwrap();
    let events = dir.path().join("e.jsonl");
    let rec = |id: &str| {
        format!(
            r#"{{"eventVersion":"1.09","eventTime":"2024-08-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"{id}"}}"#
        )
    };
    std::fs::write(&events, [rec("a"), rec("b"), rec("c")].join("\n")).unwrap();
    let (set, errors) = load_pack(false, vec![pol], vec![]);
    assert!(errors.is_empty(), "{errors:#?}");
    for cap in [0, 1] {
        let r = run(&set, vec![events.clone()], |o| {
            o.max_findings_per_rule = cap
        });
        let listed: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        let want: &[&str] = if cap == 1 {
            &["event b"]
        } else {
            &["event b", "event c"]
        };
        assert_eq!(listed, want, "cap {cap}");
        assert_eq!(r.summary.findings, 2, "cap {cap}");
        let codes: Vec<&str> = r.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["policy::result"], "cap {cap}");
    }
}
