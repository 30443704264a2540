//! Nothing is lost (issue #5): for event scans every record read is either evaluated or skipped
//! with a reason, across the whole fixture corpus, and the summary agrees with an independent
//! count made by the reader library.

mod hardening_util;

use hardening_util::{finding_event_ids, records, scan_json, stop_logging, write};
use serde_json::Value;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

fn assert_balanced(ev: &Value) -> u64 {
    let read = ev["records_read"].as_u64().unwrap();
    let evaluated = ev["records_evaluated"].as_u64().unwrap();
    let skipped: u64 = ev["records_skipped"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(read, evaluated + skipped, "records lost: {ev}");
    read
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Records the reader sees in `dir`, counted file by file with the library.
fn library_count(dir: &Path) -> u64 {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let opts = trailguard::events::ReadOptions::default();
    files
        .iter()
        .map(
            |f| match trailguard::events::read_path(f, &opts, |_| ControlFlow::Continue(())) {
                Ok(trailguard::events::FileOutcome::Read { stats, .. }) => {
                    assert_eq!(
                        stats.records_read,
                        stats.records_passed + stats.skipped.total()
                    );
                    stats.records_read
                }
                Ok(_) => 0,
                Err(failure) => failure.stats.records_read,
            },
        )
        .sum()
}

#[test]
fn every_record_of_the_fixture_corpus_is_evaluated_or_skipped() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/events");
    let run = scan_json(&[&corpus.to_string_lossy()]);
    let report = run.report();
    let ev = &report["summary"]["events"];
    let read = assert_balanced(ev);
    assert_eq!(read, library_count(&corpus));
    // The corpus has broken files on purpose: each unparseable record is reported.
    assert!(ev["records_skipped"]["unparseable"].as_u64().unwrap() > 0);
    // The same holds when a time window skips records.
    let run = scan_json(&["--since", "2024-08-01", &corpus.to_string_lossy()]);
    let ev = &run.report()["summary"]["events"];
    assert_eq!(assert_balanced(ev), read);
    assert!(
        ev["records_skipped"]["outside-time-window"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn the_stratus_detonation_logs_balance_too() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stratus");
    let data = root.as_path();
    let run = scan_json(&[&data.to_string_lossy()]);
    let read = assert_balanced(&run.report()["summary"]["events"]);
    assert_eq!(read, library_count(data));
}

#[test]
fn a_record_after_a_bad_json_lines_line_is_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n{{\"eventVersion\":\"1.08\",\"eventName\":\n{}\n",
        stop_logging("ev-1"),
        stop_logging("ev-3")
    );
    let f = write(dir.path(), "l.jsonl", text);
    let report = scan_json(&[&f]).report();
    assert_eq!(
        finding_event_ids(&report),
        vec!["ev-1".to_string(), "ev-3".to_string()]
    );
    let ev = &report["summary"]["events"];
    assert_eq!(assert_balanced(ev), 3);
    assert_eq!(ev["records_evaluated"], 2);
}

#[test]
fn a_record_that_cannot_be_evaluated_is_counted_as_skipped_not_evaluated() {
    // Nesting the reader accepts (< 512) but the evaluator cannot take (serde_json stops at
    // 128 levels): the record is skipped with a diagnostic, the next one is evaluated.
    let dir = tempfile::tempdir().unwrap();
    let text = records(&[stop_logging("ev-deep"), stop_logging("ev-next")]).replacen(
        "\"requestParameters\":{\"name\":\"main\"}",
        &format!(
            "\"requestParameters\":{}{}",
            "[".repeat(200),
            "]".repeat(200)
        ),
        1,
    );
    let f = write(dir.path(), "d.json", text);
    let run = scan_json(&[&f]);
    assert_eq!(run.code, Some(2));
    let report = run.report();
    assert_eq!(finding_event_ids(&report), vec!["ev-next".to_string()]);
    let ev = &report["summary"]["events"];
    assert_eq!(assert_balanced(ev), 2);
    assert_eq!(ev["records_evaluated"], 1);
    assert_eq!(ev["records_skipped"]["unparseable"], 1);
    let e = &report["errors"][0];
    assert_eq!(e["code"], "events::record-value");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("record #0 (byte offset 12) skipped: it could not be converted")
    );
}
