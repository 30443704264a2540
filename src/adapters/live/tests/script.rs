//! scripts/export-live.sh run against a stand-in `aws` (tests/fixtures/config/live/fake-aws)
//! that answers from the fixture accounts: the script must write the layout the adapter reads.
#![cfg(unix)]

use super::*;
use std::process::{Command, Output};

fn run_script(fixture: &str, out: &Path, tmp: &Path) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = format!(
        "{}:{}",
        root.join(FIX).join("fake-aws").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg(root.join("scripts/export-live.sh"))
        .args(["--region", "us-east-1"])
        .arg(out)
        .env("PATH", path)
        .env("FAKE_AWS_FIXTURE", root.join(FIX).join(fixture))
        .env("FAKE_AWS_TMP", tmp)
        .output()
        .unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn script_writes_the_layout_the_adapter_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("export");
    let run = run_script("compliant", &out, tmp.path());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The compliant fixture is exactly what the script writes, plus the (empty) store list.
    let mut expected = names(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(FIX)
            .join("compliant"),
    );
    expected.push("list-event-data-stores.json".to_string());
    expected.sort();
    assert_eq!(names(&out), expected);

    let files: Vec<(String, String)> = names(&out)
        .into_iter()
        .map(|n| {
            let path = format!("{FIX}/compliant/{n}");
            (path, std::fs::read_to_string(out.join(&n)).unwrap())
        })
        .collect();
    let (from_script, errors) =
        document(super::super::adapt_dir(&format!("{FIX}/compliant"), &files));
    assert_eq!(errors, vec![]);
    let (from_fixture, _) = adapt_fixture("compliant");
    assert_eq!(from_script, from_fixture);
}

#[test]
fn script_reports_what_it_could_not_export_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("export");
    let run = run_script("member-shadow", &out, tmp.path());
    assert!(run.status.success());
    assert_eq!(
        names(&out),
        vec![
            "describe-trails.json",
            "get-caller-identity.json",
            "get-trail-status.arn_aws_cloudtrail_us-east-1_999988887777_trail_acme-org-trail.json",
            "list-event-data-stores.json",
        ]
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "export-live: get-bucket-acl.acme-org-cloudtrail-999988887777.json not exported: \
             An error occurred (AccessDenied)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("13 output(s) could not be exported"),
        "{stderr}"
    );
}

#[test]
fn script_fails_without_describe_trails() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("no-account");
    std::fs::create_dir(&empty).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("sh")
        .arg(root.join("scripts/export-live.sh"))
        .arg(tmp.path().join("export"))
        .env(
            "PATH",
            format!(
                "{}:{}",
                root.join(FIX).join("fake-aws").display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("FAKE_AWS_FIXTURE", &empty)
        .env("FAKE_AWS_TMP", tmp.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("describe-trails.json not exported"),
        "{stderr}"
    );
}
