//! The malformed-input corpus (issue #5), end to end through the binary: every bad file ends in
//! a diagnostic naming it (with a line or byte offset where one is known), the run exits 2, the
//! findings of the good file scanned alongside are still reported, memory stays bounded and no
//! input makes the scan hang. Large and binary cases are generated at test time.

mod hardening_util;

use flate2::Compression;
use flate2::write::GzEncoder;
use hardening_util::{
    CFN, Run, errors, finding_event_ids, quiet_read, records, scan_json, stop_logging, write,
};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Scan `bad` next to a good event file; check exit 2 and that the good file's findings are
/// there. Returns the run and the diagnostics about `bad`.
fn scan_with_good(dir: &Path, bad: &str, extra: &[&str]) -> (Run, Vec<Value>) {
    let good = write(dir, "good/events.json", records(&[stop_logging("ev-good")]));
    let mut args: Vec<&str> = extra.to_vec();
    args.push(bad);
    args.push(&good);
    let run = scan_json(&args);
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    let report = run.report();
    assert!(
        finding_event_ids(&report).contains(&"ev-good".to_string()),
        "findings of the good file are missing: {}",
        report["findings"]
    );
    let about: Vec<Value> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"] == bad)
        .cloned()
        .collect();
    assert!(
        !about.is_empty(),
        "no diagnostic names {bad}: {}",
        report["errors"]
    );
    (run, about)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn one(about: &[Value]) -> &Value {
    assert_eq!(about.len(), 1, "{about:?}");
    &about[0]
}

#[test]
fn truncated_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<Value> = (0..200).map(|i| quiet_read(&format!("q{i}"))).collect();
    let full = gzip(records(&many).as_bytes());
    let bad = write(dir.path(), "cut.json.gz", &full[..full.len() / 2]);
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::gzip-truncated");
    assert_eq!(e["line"], 1);
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.starts_with("gzip data ends early: the file is truncated after "),
        "{msg}"
    );
    // The records before the cut were read and counted.
    let read = run.report()["summary"]["events"]["records_read"]
        .as_u64()
        .unwrap();
    assert!(read > 1, "{read}");
}

#[test]
fn gzip_bomb_is_stopped_by_the_ratio_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB of whitespace inside a Records array compresses about 1000:1.
    let mut text = b"{\"Records\":[".to_vec();
    text.resize(text.len() + (64 << 20), b' ');
    let bad = write(dir.path(), "bomb.json.gz", gzip(&text));
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::gzip-ratio");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.starts_with("gzip expands more than 250:1 ("), "{msg}");
    // Stopped soon after the 16 MiB check point, never holding the output.
    if let Some(kib) = run.peak_rss_kib {
        assert!(kib < 200 << 10, "peak RSS {kib} KiB");
    }
}

#[test]
fn gzip_size_limit_is_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<Value> = (0..2000).map(|i| quiet_read(&format!("q{i}"))).collect();
    let bad = write(dir.path(), "big.json.gz", gzip(records(&many).as_bytes()));
    let (_, about) = scan_with_good(dir.path(), &bad, &["--max-decompressed-size", "64KiB"]);
    let e = one(&about);
    assert_eq!(e["code"], "events::gzip-limit");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("decompressed data exceeds the limit of 65536 bytes (a gzip bomb?)")
    );
}

#[test]
fn invalid_utf8_in_a_record_and_in_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = records(&[stop_logging("ev-1")]).into_bytes();
    let at = text.windows(4).position(|w| w == b"main").unwrap();
    text[at] = 0xff;
    let bad = write(dir.path(), "utf8.json", &text);
    let (_, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::unparseable-record");
    assert_eq!(e["line"], 1);
    assert_eq!(e["column"].as_u64(), Some(at as u64 + 1));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .ends_with("skipped: invalid UTF-8")
    );

    let yaml = write(
        dir.path(),
        "t.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf\xe9\n".as_slice(),
    );
    let (_, about) = scan_with_good(dir.path(), &yaml, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "input::parse");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(2), Some(17))
    );
    assert_eq!(e["message"], "invalid UTF-8 at byte offset 55");
}

#[test]
fn invalid_json_in_the_middle_of_a_records_array() {
    let dir = tempfile::tempdir().unwrap();
    let first = stop_logging("ev-before").to_string();
    let after = stop_logging("ev-after").to_string();
    let text = format!("{{\"Records\":[{first},{{\"eventVersion\":\"1.08\" \"x\"}},{after}]}}");
    let offset = text.find("\"x\"").unwrap();
    let bad = write(dir.path(), "mid.json", &text);
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::unparseable-record");
    assert_eq!(e["column"].as_u64(), Some(offset as u64 + 1));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("record #1 (byte offset {offset}) skipped: "))
    );
    let ids = finding_event_ids(&run.report());
    assert!(
        ids.contains(&"ev-before".into()) && ids.contains(&"ev-after".into()),
        "{ids:?}"
    );
}

#[test]
fn invalid_json_on_one_line_of_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n{{\"eventVersion\": broken\n{}\n",
        stop_logging("ev-line1"),
        stop_logging("ev-line3")
    );
    let bad = write(dir.path(), "lines.jsonl", &text);
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::unparseable-record");
    assert_eq!(e["line"], 2);
    let report = run.report();
    let ids = finding_event_ids(&report);
    assert!(
        ids.contains(&"ev-line3".into()),
        "record after the bad line lost: {ids:?}"
    );
    let ev = &report["summary"]["events"];
    assert_eq!(ev["records_read"], 4);
    assert_eq!(ev["records_evaluated"], 3);
    assert_eq!(ev["records_skipped"]["unparseable"], 1);
}

#[test]
fn yaml_alias_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let mut text =
        String::from("AWSTemplateFormatVersion: '2010-09-09'\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    let bad = write(dir.path(), "bomb.yaml", &text);
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "input::parse");
    assert_eq!(e["line"], 8, "the alias that crosses the budget");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("aliases expand to more than 1000000 nodes (an alias bomb?)")
    );
    if let Some(kib) = run.peak_rss_kib {
        assert!(kib < 1 << 20, "peak RSS {kib} KiB");
    }
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    // Plain JSON, JSON that looks like a template, flow YAML and an event record.
    let cases = [
        ("deep.json", deep.clone(), "input::parse", 1, 514),
        (
            "deep-template.json",
            format!("{{\"AWSTemplateFormatVersion\": {deep}}}"),
            "input::parse",
            1,
            542,
        ),
        ("deep.yaml", deep.clone(), "input::parse", 1, 256),
        (
            "deep-events.json",
            format!("{{\"Records\":[{{\"eventVersion\":\"1.08\",\"x\":{deep}}}]}}"),
            "events::unparseable-record",
            1,
            13,
        ),
    ];
    for (name, text, code, line, column) in cases {
        let bad = write(dir.path(), name, &text);
        let (_, about) = scan_with_good(dir.path(), &bad, &[]);
        let e = one(&about);
        assert_eq!(e["code"], code, "{name}: {e}");
        assert_eq!(
            (e["line"].as_u64(), e["column"].as_u64()),
            (Some(line), Some(column)),
            "{name}: {e}"
        );
        let msg = e["message"].as_str().unwrap();
        assert!(
            msg.contains("nesting") && msg.contains("deep"),
            "{name}: {msg}"
        );
    }
}

#[test]
fn a_single_100_mb_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut huge = stop_logging("ev-huge");
    huge["userAgent"] = Value::String("A".repeat(100 << 20));
    let text = records(&[stop_logging("ev-before"), huge, stop_logging("ev-after")]);
    let bad = write(dir.path(), "huge.json", &text);
    drop(text);
    let (run, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "events::unparseable-record");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .ends_with("skipped: the record is larger than the limit of 67108864 bytes"),
        "{e}"
    );
    let ids = finding_event_ids(&run.report());
    assert!(
        ids.contains(&"ev-before".into()) && ids.contains(&"ev-after".into()),
        "{ids:?}"
    );
    // The record buffer is capped at the record limit (64 MiB), not the line.
    if let Some(kib) = run.peak_rss_kib {
        assert!(kib < 200 << 10, "peak RSS {kib} KiB");
    }
}

#[test]
fn the_record_size_limit_is_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = stop_logging("ev-big");
    big["userAgent"] = Value::String("A".repeat(4096));
    let bad = write(dir.path(), "big.json", records(&[big]));
    let (_, about) = scan_with_good(dir.path(), &bad, &["--max-record-size", "1KiB"]);
    assert!(
        one(&about)["message"]
            .as_str()
            .unwrap()
            .ends_with("skipped: the record is larger than the limit of 1024 bytes")
    );
}

#[test]
fn empty_file_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "empty.json", "");
    let (_, about) = scan_with_good(dir.path(), &bad, &[]);
    let e = one(&about);
    assert_eq!(e["code"], "input::unrecognized");
    assert_eq!(e["message"], "empty file: nothing to scan");
}

#[test]
fn json_of_the_wrong_shape() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("numbers.json", "[1, 2, 3]"),
        ("records-not-array.json", "{\"Records\": 5}"),
        ("records-of-numbers.json", "{\"Records\": [1, 2]}"),
    ] {
        let bad = write(dir.path(), name, text);
        let (_, about) = scan_with_good(dir.path(), &bad, &[]);
        let e = one(&about);
        assert_eq!(e["code"], "input::unrecognized", "{name}");
        assert_eq!(
            e["message"],
            "not a CloudFormation template, Terraform plan, live export or CloudTrail log"
        );
    }
}

#[test]
fn binary_files() {
    let dir = tempfile::tempdir().unwrap();
    // Deterministic noise (xorshift), with a NUL and a gzip-looking variant.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let mut fake_gzip = vec![0x1f, 0x8b, 0x08, 0x00];
    fake_gzip.extend_from_slice(&noise);
    for (name, bytes) in [("noise.json", noise.clone()), ("fake.json.gz", fake_gzip)] {
        let bad = write(dir.path(), name, &bytes);
        let (_, about) = scan_with_good(dir.path(), &bad, &[]);
        let e = one(&about);
        assert_eq!(e["code"], "input::parse", "{name}: {e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("invalid UTF-8 at byte offset")
        );
        assert!(e["line"].as_u64().is_some(), "{name}: {e}");
    }
}

#[cfg(unix)]
#[test]
fn file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = write(d, "good/events.json", records(&[stop_logging("ev-good")]));
    let bad = write(d, "secret.json", records(&[stop_logging("ev-secret")]));
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = hardening_util::bin();
    cmd.args(["scan", "-f", "json", &bad, &good]);
    // root reads any file whatever its mode, so as root the scan runs as `nobody` (uid 65534),
    // which needs to reach the tree; if even that is impossible, say so and skip.
    if std::fs::metadata("/proc/self").map(|_| ()).is_ok() && is_root() {
        for p in [d, &d.join("good")] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o644)).unwrap();
        cmd.uid(65534).gid(65534);
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(child) = child else {
        eprintln!("skipped: cannot run the binary as an unprivileged user");
        return;
    };
    let run = hardening_util::wait(child, std::time::Duration::from_secs(60));
    if run.code.is_none()
        || run.stderr.contains("Permission denied (os error 13)") && run.stdout.is_empty()
    {
        eprintln!(
            "skipped: the binary is not reachable by uid 65534: {}",
            run.stderr
        );
        return;
    }
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    assert_eq!(finding_event_ids(&report), vec!["ev-good".to_string()]);
    let about: Vec<_> = errors(&report).into_iter().filter(|e| e.1 == bad).collect();
    // An unreadable file cannot be sniffed, so it is reported by the generic read path.
    assert_eq!(about, vec![("input::read".to_string(), bad.clone(), None)]);
    let msg = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == bad.as_str())
        .map(|e| e["message"].as_str().unwrap().to_string())
        .unwrap();
    assert!(msg.contains("Permission denied"), "{msg}");
}

#[cfg(unix)]
fn is_root() -> bool {
    // The owner of a file we just created is our effective uid.
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().uid() == 0
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tree = d.join("tree");
    write(&tree, "events.json", records(&[stop_logging("ev-tree")]));
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up-loop")).unwrap();
    std::os::unix::fs::symlink(&tree, tree.join("self-loop")).unwrap();
    let shown = tree.to_string_lossy().to_string();
    // Followed on request: each loop is a diagnostic naming the link, the rest is scanned.
    let (_, about) = {
        let good = write(d, "good/events.json", records(&[stop_logging("ev-good")]));
        let run = scan_json(&["--follow-links", &shown, &good]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        let report = run.report();
        let ids = finding_event_ids(&report);
        assert_eq!(ids, vec!["ev-good".to_string(), "ev-tree".to_string()]);
        let walk: Vec<Value> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["code"] == "input::walk")
            .cloned()
            .collect();
        (run, walk)
    };
    let paths: Vec<&str> = about.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        vec![format!("{shown}/self-loop"), format!("{shown}/sub/up-loop")]
    );
    assert!(
        about
            .iter()
            .all(|e| e["message"].as_str().unwrap().starts_with("symlink loop: "))
    );
    // Not followed by default: listed as skipped, no error.
    let run = scan_json(&[&shown]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report = run.report();
    assert_eq!(report["errors"], serde_json::json!([]));
    let skipped: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        vec![format!("{shown}/self-loop"), format!("{shown}/sub/up-loop")]
    );
}

#[test]
fn a_bad_file_in_a_walked_directory_does_not_hide_the_others() {
    // Unreadable *content* found by walking is an error too; an unknown format is a skip.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "tree/a-good.json", records(&[stop_logging("ev-a")]));
    write(
        d,
        "tree/b-deep.json",
        format!("{}{}", "[".repeat(600), "]".repeat(600)),
    );
    write(d, "tree/c-package.json", "{\"name\": \"not-ours\"}");
    write(
        d,
        "tree/d-good.jsonl",
        format!("{}\n", stop_logging("ev-d")),
    );
    // A log whose first record is damaged is still a log: its other records are read.
    let damaged = format!(
        "{{\"Records\":[{{\"eventVersion\":\"1.08\" broken}},{}]}}",
        stop_logging("ev-e")
    );
    write(d, "tree/e-damaged.json", damaged);
    let run = scan_json(&[&d.join("tree").to_string_lossy(), CFN]);
    assert_eq!(run.code, Some(2));
    let report = run.report();
    assert_eq!(
        finding_event_ids(&report),
        vec!["ev-a".to_string(), "ev-d".to_string(), "ev-e".to_string()]
    );
    let mut codes: Vec<String> = errors(&report).into_iter().map(|e| e.0).collect();
    codes.sort();
    assert_eq!(codes, vec!["events::unparseable-record", "input::parse"]);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1);
}

#[test]
#[ignore = "creates 100,000 files (about 70 s in a debug build); run with --ignored"]
fn a_directory_with_100_000_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("many");
    std::fs::create_dir_all(&d).unwrap();
    for i in 0..100_000 {
        let name = format!("{:03}/{i:06}.json", i % 1000);
        let text = if i == 77_777 {
            "{\"Records\":[{\"eventVersion\":\"1.08\" broken}]}".to_string()
        } else {
            records(&[quiet_read(&format!("q{i}"))])
        };
        write(&d, &name, text);
    }
    let run = hardening_util::run(
        &["scan", "-f", "json", &d.to_string_lossy()],
        std::time::Duration::from_secs(600),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let report = run.report();
    let ev = &report["summary"]["events"];
    assert_eq!(ev["files"], 100_000);
    assert_eq!(ev["records_read"], 100_000);
    assert_eq!(ev["records_evaluated"], 99_999);
    let errs = errors(&report);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].1.ends_with("/777/077777.json"), "{errs:?}");
    if let Some(kib) = run.peak_rss_kib {
        assert!(kib < 1 << 20, "peak RSS {kib} KiB");
    }
    eprintln!(
        "100,000 files: {:?}, peak RSS {:?} KiB",
        run.elapsed, run.peak_rss_kib
    );
}
