//! Deterministic output (issue #5): human and JSON reports are byte-identical for 1, 2 and 8
//! worker threads and across repeated runs, over a mixed corpus (every config format, every
//! event format, broken files included so diagnostics are compared too).

mod hardening_util;

use hardening_util::run;
use std::time::Duration;

#[test]
fn reports_do_not_depend_on_threads_or_runs() {
    let corpus = ["tests/fixtures/config", "tests/fixtures/events"];
    for format in ["json", "human"] {
        let mut outputs: Vec<(String, String)> = Vec::new();
        for threads in ["1", "2", "8", "8"] {
            let mut args = vec![
                "scan",
                "--color",
                "never",
                "-f",
                format,
                "--threads",
                threads,
            ];
            args.extend(corpus);
            let r = run(&args, Duration::from_secs(300));
            assert_eq!(r.code, Some(2), "the corpus has broken files: {}", r.stderr);
            outputs.push((threads.to_string(), r.stdout));
        }
        let (first_threads, first) = &outputs[0];
        assert!(first.len() > 10_000, "{format}: suspiciously small report");
        for (threads, out) in &outputs[1..] {
            assert!(
                out == first,
                "{format}: --threads {threads} differs from --threads {first_threads}"
            );
        }
    }
}
