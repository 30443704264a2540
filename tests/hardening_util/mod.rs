//! Shared helpers of the hardening tests: run the real binary with a deadline, read its JSON
//! report, and write small CloudTrail records and policies.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary produced.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// Peak resident memory in KiB as last seen in `/proc/<pid>/status` (Linux only).
    pub peak_rss_kib: Option<u64>,
}

impl Run {
    /// The JSON report on stdout.
    pub fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON report ({e}); stderr:\n{}\nstdout:\n{}",
                self.stderr,
                &self.stdout[..self.stdout.len().min(2000)]
            )
        })
    }
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trailguard"))
}

/// Wait for `child` at most `limit`; a run that does not end in time is killed and fails the
/// test: no input may hang the scan.
pub fn wait(mut child: Child, limit: Duration) -> Run {
    let start = Instant::now();
    // Drain the pipes on threads so a large report cannot block the child.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        String::from_utf8_lossy(&s).into_owned()
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        String::from_utf8_lossy(&s).into_owned()
    });
    let pid = child.id();
    let mut peak = None;
    let status = loop {
        // VmHWM is the high-water mark: the last read before exit is (nearly) the peak.
        if let Some(hwm) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
        {
            peak = Some(hwm);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("trailguard did not finish within {limit:?}: the scan hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
        elapsed: start.elapsed(),
        peak_rss_kib: peak,
    }
}

/// `trailguard <args>` with a deadline.
pub fn run(args: &[&str], limit: Duration) -> Run {
    let child = bin()
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn trailguard");
    wait(child, limit)
}

/// `trailguard scan -f json <args>`.
pub fn scan_json(args: &[&str]) -> Run {
    let mut all = vec!["scan", "-f", "json"];
    all.extend_from_slice(args);
    run(&all, Duration::from_secs(120))
}

/// A CloudTrail record that fires built-in rules (root stopping a trail), with its own id.
pub fn stop_logging(event_id: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "eventSource": "cloudtrail.amazonaws.com",
        "eventName": "StopLogging",
        "eventTime": "2024-01-01T00:00:00Z",
        "eventID": event_id,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root",
                         "accountId": "111122223333"},
        "sourceIPAddress": "203.0.113.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"name": "main"},
        "recipientAccountId": "111122223333"
    })
}

/// A record that matches no built-in rule.
pub fn quiet_read(event_id: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets",
        "eventTime": "2024-01-01T00:00:01Z",
        "eventID": event_id,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"},
        "sourceIPAddress": "203.0.113.8",
        "readOnly": true,
        "recipientAccountId": "111122223333"
    })
}

/// `{"Records": [...]}` text.
pub fn records(items: &[Value]) -> String {
    json!({ "Records": items }).to_string()
}

/// Event ids of the findings in a report, sorted and deduplicated.
pub fn finding_event_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["location"]["event_id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The report's errors as (code, path, line) triples.
pub fn errors(report: &Value) -> Vec<(String, String, Option<u64>)> {
    report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_string(),
                e["path"].as_str().unwrap_or_default().to_string(),
                e["line"].as_u64(),
            )
        })
        .collect()
}

/// Write `text` to `dir/name`, creating parent directories.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

/// A user policy file with a complete METADATA block.
pub fn policy(
    id: &str,
    name: &str,
    kind: &str,
    selector: &str,
    package: &str,
    body: &str,
) -> String {
    let (applies, format) = if kind == "event" {
        ("events", "events")
    } else {
        ("cloudformation", "cloudformation")
    };
    format!(
        "# METADATA\n# title: {name}\n# description: hardening test policy\n# custom:\n\
         #   id: {id}\n#   name: {name}\n#   severity: low\n#   kind: {kind}\n\
         #   applies_to: [{applies}]\n#   remediation:\n#     {format}: none\n{selector}\
         package {package}\n\nimport rego.v1\n\n{body}\n"
    )
}

/// The CloudFormation fixture with a trail, for config rules.
pub const CFN: &str = "tests/fixtures/config/cloudformation/compliant.yaml";
