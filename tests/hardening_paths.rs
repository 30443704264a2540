//! Paths are safe and reports escape what they print (issue #5): symlinks are not followed out
//! of the scanned tree unless `--follow-links`, and terminal escapes in log fields or file names
//! never reach the terminal raw.

mod hardening_util;

use hardening_util::{finding_event_ids, records, run, scan_json, stop_logging, write};
use std::time::Duration;

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_followed_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "outside/secret.json",
        records(&[stop_logging("ev-outside")]),
    );
    write(d, "tree/own.json", records(&[stop_logging("ev-own")]));
    std::os::unix::fs::symlink(d.join("outside/secret.json"), d.join("tree/link.json")).unwrap();
    std::os::unix::fs::symlink(d.join("outside"), d.join("tree/linked-dir")).unwrap();
    let tree = d.join("tree").to_string_lossy().to_string();

    let report = scan_json(&[&tree]).report();
    assert_eq!(finding_event_ids(&report), vec!["ev-own".to_string()]);
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    let reason = "symbolic link not followed (pass --follow-links to follow links)";
    assert_eq!(
        skipped,
        vec![
            (format!("{tree}/link.json").as_str(), reason),
            (format!("{tree}/linked-dir").as_str(), reason),
        ]
    );

    let report = scan_json(&["--follow-links", &tree]).report();
    assert_eq!(
        finding_event_ids(&report),
        vec!["ev-outside".to_string(), "ev-own".to_string()]
    );
}

/// Sequences that recolour, clear the screen, set the window title or reorder text.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}[31mred\u{9b}1m\u{202e}txt";

#[test]
fn escape_sequences_from_log_fields_and_file_names_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = stop_logging("ev-esc");
    rec["userAgent"] = HOSTILE.into();
    rec["requestParameters"]["name"] = format!("trail{HOSTILE}").into();
    let name = if cfg!(unix) {
        "evil\u{1b}[31m.json"
    } else {
        "evil.json"
    };
    let f = write(dir.path(), name, records(&[rec]));
    for color in ["never", "always"] {
        let r = run(
            &["scan", "--color", color, "-f", "human", &f],
            Duration::from_secs(120),
        );
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        for bad in [
            "\u{1b}[2J",
            "\u{1b}]0;",
            "\u{7}",
            "\u{9b}",
            "\u{202e}",
            "\u{1b}[31mred",
        ] {
            assert!(
                !r.stdout.contains(bad),
                "--color {color}: raw {bad:?} in output"
            );
        }
        // What was there is still visible, as control pictures.
        assert!(r.stdout.contains("␛[2J␛]0;pwned␇␛[31mred"), "{}", r.stdout);
        if cfg!(unix) {
            assert!(r.stdout.contains("evil␛[31m.json"), "{}", r.stdout);
        }
    }
    // JSON keeps the exact text, escaped as JSON.
    let r = scan_json(&[&f]);
    assert!(!r.stdout.contains('\u{1b}'));
    let report = r.report();
    let agent = report["findings"][0]["evidence"]["where"]["userAgent"]
        .as_str()
        .map(str::to_string);
    assert_eq!(agent.as_deref(), Some(HOSTILE));
}
