//! Memory held per event finding: an event scan keeps every finding until the report is
//! written, so their size sets the peak memory of big scans (the 1,000,000-record benchmark
//! archive gives ~40,000 findings). This binary counts heap bytes with the allocator's own
//! per-thread live-byte counter (regorus's mimalloc is the global allocator) and holds a
//! typical AccessDenied finding (TGE001, the bulk of real findings) to a budget.
//!
//! The scan runs on this thread (`--threads 1`), so the thread's counter sees every byte.

use trailguard::contract::Severity;
use trailguard::policy::{self, LoadOptions};
use trailguard::scan::{self, ScanOptions};

/// Budget for a typical event finding: one principal denied the same call again and again.
/// Its struct (~230 bytes), message, resource, eventID and fingerprint are its own; rule data
/// and the who/what/where/details evidence fragments are shared with the other findings. It
/// was ~5,800 bytes when evidence was a `serde_json::Value` tree and every finding copied its
/// rule's strings and controls.
const REPEATED_BUDGET: usize = 900;

/// Budget when no two findings share a principal, client or message: the whole evidence text
/// (~1.2 KB here) is the finding's own.
const DISTINCT_BUDGET: usize = 2_100;

const RECORDS: usize = 400;

/// A denied API call as the benchmark generator writes them (field sizes of real logs);
/// `who` varies the principal, client and message (`0` for all: the repeated case).
fn record(i: usize, who: usize) -> String {
    format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","principalId":"AROAFW2T24DHL2X62HQFJ:DatadogAWSIntegration{who}","arn":"arn:aws:sts::111122223333:assumed-role/DatadogIntegrationRole/DatadogAWSIntegration{who}","accountId":"111122223333","accessKeyId":"ASIAPQ45GZIRFBKVTXKH","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"AROAFW2T24DHL2X62HQFJ","arn":"arn:aws:iam::111122223333:role/DatadogIntegrationRole","accountId":"111122223333","userName":"DatadogIntegrationRole"}},"attributes":{{"creationDate":"2024-06-30T23:10:42Z","mfaAuthenticated":"false"}}}}}},"eventTime":"2024-07-01T13:{:02}:{:02}Z","eventSource":"monitoring.amazonaws.com","eventName":"DescribeAlarms","awsRegion":"eu-west-1","sourceIPAddress":"198.113.250.233","userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 aws-sdk-go-v2/1.26.{who}","errorCode":"AccessDenied","errorMessage":"You are not authorized to perform: monitoring:DescribeAlarms because no identity-based policy allows the monitoring:DescribeAlarms action {who}","requestParameters":{{"maxRecords":100}},"responseElements":null,"requestID":"2dcfbc5d-15ce-4a58-be71-0244f8774c39","eventID":"357908bb-34ba-4fbe-a330-{i:012}","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}}"#,
        i / 60 % 60,
        i % 60
    )
}

/// Heap bytes held per finding after scanning `RECORDS` records with TGE001 alone.
fn bytes_per_finding(distinct: bool) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("111122223333_CloudTrail_eu-west-1_20240701T1320Z_a.json");
    let records: Vec<String> = (0..RECORDS)
        .map(|i| record(i, if distinct { i } else { 0 }))
        .collect();
    std::fs::write(&path, format!(r#"{{"Records":[{}]}}"#, records.join(","))).unwrap();
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let opts = ScanOptions {
        paths: vec![path],
        fail_on: Some(Severity::Info),
        threads: 1,
        selected: ["TGE001".to_string()].into(),
        ..Default::default()
    };
    let mut report = scan::scan(&opts, &set, Vec::new());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.findings.len(), RECORDS);
    assert!(report.findings.iter().all(|f| &*f.rule_id == "TGE001"));
    // Exactly what the findings hold (the worker that shared fragments among them is gone):
    // freeing them, vector included, returns it.
    let findings = std::mem::take(&mut report.findings);
    let before = regorus_mimalloc::current_thread_live_bytes();
    drop(findings);
    (before - regorus_mimalloc::current_thread_live_bytes()) as usize / RECORDS
}

#[test]
fn event_findings_stay_within_their_memory_budget() {
    let repeated = bytes_per_finding(false);
    let distinct = bytes_per_finding(true);
    eprintln!("bytes per finding: {repeated} repeated principal, {distinct} all distinct");
    assert!(
        repeated <= REPEATED_BUDGET,
        "{repeated} bytes per finding (budget {REPEATED_BUDGET})"
    );
    assert!(
        distinct <= DISTINCT_BUDGET,
        "{distinct} bytes per finding (budget {DISTINCT_BUDGET})"
    );
}
