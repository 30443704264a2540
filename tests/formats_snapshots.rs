//! Golden snapshots of every CI format (SARIF, JUnit, GitHub annotations, GitLab Code Quality,
//! Markdown) on the shared hand-built report, plus a no-findings golden for each, and the
//! behaviour a user would notice: escaping, ordering, truncation, unique fingerprints.

mod formats_fixture;

use formats_fixture as fx;
use trailguard::contract::ScanReport;
use trailguard::report::markdown::{self, MarkdownOptions};
use trailguard::report::sarif::{self, SarifOptions};
use trailguard::report::{github, gitlab, junit};

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    f(&mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn sarif_text(r: &ScanReport) -> String {
    let opts = SarifOptions {
        include_suppressed: false,
        base_dir: Some(fx::base()),
    };
    render(|out| sarif::write(r, &fx::descriptors(), &opts, out))
}

fn junit_text(r: &ScanReport) -> String {
    render(|out| junit::write(r, &fx::descriptors(), Some(&fx::base()), out))
}

fn github_text(r: &ScanReport) -> String {
    render(|out| github::write(r, Some(&fx::base()), out))
}

fn gitlab_text(r: &ScanReport) -> String {
    render(|out| gitlab::write(r, Some(&fx::base()), out))
}

fn markdown_text(r: &ScanReport, max: usize) -> String {
    let opts = MarkdownOptions {
        max_findings: max,
        base_dir: Some(fx::base()),
    };
    render(|out| markdown::write(r, &opts, out))
}

#[test]
fn sarif_full() {
    insta::assert_snapshot!(sarif_text(&fx::full()));
}

#[test]
fn sarif_clean() {
    insta::assert_snapshot!(sarif_text(&fx::clean()));
}

#[test]
fn junit_full() {
    insta::assert_snapshot!(junit_text(&fx::full()));
}

#[test]
fn junit_clean() {
    insta::assert_snapshot!(junit_text(&fx::clean()));
}

#[test]
fn github_full() {
    insta::assert_snapshot!(github_text(&fx::full()));
}

#[test]
fn github_clean() {
    insta::assert_snapshot!(github_text(&fx::clean()));
}

#[test]
fn gitlab_full() {
    insta::assert_snapshot!(gitlab_text(&fx::full()));
}

#[test]
fn gitlab_clean() {
    assert_eq!(gitlab_text(&fx::clean()), "[]\n");
}

#[test]
fn markdown_full() {
    insta::assert_snapshot!(markdown_text(&fx::full(), 50));
}

#[test]
fn markdown_clean() {
    insta::assert_snapshot!(markdown_text(&fx::clean(), 50));
}

#[test]
fn markdown_truncates_after_the_most_severe_rows() {
    let text = markdown_text(&fx::full(), 2);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| TG")).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].starts_with("| TGC010 trail-bucket-public | critical |"));
    assert!(rows[1].starts_with("| TGE001 root-account-used | critical |"));
    assert!(text.contains("_3 more findings not shown"));
}

#[test]
fn markdown_escapes_input_text() {
    let text = markdown_text(&fx::full(), 50);
    assert!(text.contains(
        "S3 bucket 'logs\\|prod' is public: &lt;b&gt;AllUsers&lt;/b&gt; READ, ask &#64;secops &#35;12"
    ));
    assert!(!text.contains("<b>"));
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let text = github_text(&fx::full());
    let logging = text
        .lines()
        .find(|l| l.contains("TGC001"))
        .expect("an annotation for TGC001");
    assert_eq!(
        logging,
        "::error file=templates/trail.yaml,line=7,endLine=7,col=18,endColumn=23,\
         title=TGC001 trail-logging-disabled [high]::Trail 'Audit' is not logging \
         (IsLogging is false)%0Asecond line: 100%25, done%0Aresource: AuditTrail"
    );
    let event = text.lines().find(|l| l.contains("TGE001")).unwrap();
    assert!(event.starts_with(
        "::error file=logs/111122223333_CloudTrail_us-east-1.json,line=1,endLine=1,col=1,\
         title=TGE001 root-account-used [critical]::"
    ));
    assert!(event.contains("resource: arn:aws:iam::111122223333:root"));
}

#[test]
fn gitlab_fingerprints_are_unique_and_line_independent() {
    let mut r = fx::full();
    let mut moved = r.findings[0].clone();
    moved.location.start_line += 40;
    moved.location.end_line += 40;
    r.findings.push(moved);
    let issues: serde_json::Value = serde_json::from_str(&gitlab_text(&r)).unwrap();
    let fps: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let first = &r.findings[0].fingerprint;
    assert_eq!(fps[0], first);
    assert_eq!(fps[5], format!("{first}-2"));
    let unique: std::collections::BTreeSet<&&str> = fps.iter().collect();
    assert_eq!(unique.len(), fps.len());
    assert_eq!(
        issues[3]["location"]["lines"]["begin"], 1,
        "line 0 becomes 1"
    );
}

#[test]
fn junit_counts_match_the_cases() {
    let text = junit_text(&fx::full());
    // 5 findings in 5 rule x resource pairs, 2 suppressed (skipped), 1 error, and TGC... rules
    // that ran without findings: none of the five loaded rules is finding-free here.
    assert!(text.contains(
        "<testsuites name=\"trailguard\" tests=\"8\" failures=\"5\" errors=\"1\" skipped=\"2\" time=\"0\">"
    ));
    let clean = junit_text(&fx::clean());
    assert!(clean.contains(
        "<testsuites name=\"trailguard\" tests=\"5\" failures=\"0\" errors=\"0\" skipped=\"0\""
    ));
}
