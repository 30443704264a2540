//! A closed pipe ends the run quietly and Ctrl-C stops a long scan promptly with exit 130
//! (issue #5).

mod hardening_util;

use hardening_util::{bin, records, stop_logging, wait, write};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// An event file with `n` records that each fire several rules.
fn noisy_events(dir: &std::path::Path, n: usize) -> String {
    let items: Vec<Value> = (0..n)
        .map(|i| stop_logging(&format!("ev-{i:07}")))
        .collect();
    write(dir, "noisy.json", records(&items))
}

#[test]
fn broken_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let events = noisy_events(dir.path(), 400);
    for format in ["human", "json"] {
        let mut child = bin()
            .args(["scan", "--color", "never", "-f", format, &events])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `| head -1` does, then close the pipe.
        let mut first = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        let run = wait(child, Duration::from_secs(120));
        assert_eq!(
            run.stderr, "",
            "{format}: a closed pipe must not be reported"
        );
        // The findings still decide the exit code.
        assert_eq!(run.code, Some(1), "{format}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_long_scan_promptly_with_exit_130() {
    let dir = tempfile::tempdir().unwrap();
    // Thousands of records that each need a full evaluation: far longer than the test waits.
    let events = noisy_events(dir.path(), 60_000);
    let child = bin()
        .args(["scan", "-f", "json", "--threads", "2", &events, &events])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let run = wait(child, Duration::from_secs(30));
    let took = sent.elapsed();
    assert_eq!(run.code, Some(130), "stderr: {}", run.stderr);
    assert!(took < Duration::from_secs(3), "took {took:?} to stop");
    assert_eq!(run.stdout, "", "an interrupted scan prints no report");
    assert_eq!(run.stderr.trim(), "interrupted");
}
