//! Property tests (issue #5) for the two files users write by hand: `trailguard.toml` and the
//! waiver file. Whatever the text, parsing ends in settings/waivers plus diagnostics, never a
//! panic. Inputs: valid files mutated byte-wise, spliced with syntax fragments, and free text.
//! Cases: 256 by default (`PROPTEST_CASES` for long runs, as for the other property tests).

use proptest::prelude::*;
use trailguard::policy::{self, LoadOptions};
use trailguard::suppress::{rules::RuleNames, waivers};

const TOML_SEED: &str = r#"select = ["TGC", "TGE001"]
ignore = ["TGC009"]
fail-on = "high"
format = "json"
exclude = ["vendor/**"]
policy-dirs = ["policies-extra"]
data-files = ["params.yaml"]
waivers = ".trailguard/waivers.yaml"
no-ignores = false

[severity]
TGC009 = "info"
"#;

const WAIVER_SEED: &str = r#"waivers:
  - rule: TGC002
    resource: "Trail*"
    path: "infra/**"
    reason: regional trail by design
    owner: platform-team
    expires: 2027-01-31
  - rule: "TGE0*"
    reason: lab account
"#;

/// Rule names of the built-in pack, loaded once for all cases.
static NAMES: std::sync::LazyLock<RuleNames> = std::sync::LazyLock::new(|| {
    let (set, _) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    RuleNames::new(&set.rules)
});

const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "=",
    "\"",
    "'''",
    "\n",
    ":",
    "- ",
    "&a",
    "*a",
    "!!binary",
    "\u{0}",
    "\u{feff}",
    "#",
    "[[x]]",
    "2027-13-45",
    "\t",
];

fn mutate(seed: &str, ops: Vec<(usize, u8, usize)>) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for (pos, op, frag) in ops {
        let at = if bytes.is_empty() {
            0
        } else {
            pos % (bytes.len() + 1)
        };
        match op % 4 {
            0 => bytes.truncate(at),
            1 => {
                let f = FRAGMENTS[frag % FRAGMENTS.len()].as_bytes();
                bytes.splice(at..at, f.iter().copied());
            }
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {
                if at < bytes.len() {
                    bytes[at] = bytes[at].wrapping_add(frag as u8);
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn ops() -> impl Strategy<Value = Vec<(usize, u8, usize)>> {
    proptest::collection::vec((0usize..4096, any::<u8>(), 0usize..64), 0..12)
}

proptest! {
    #[test]
    fn settings_file_never_panics(ops in ops(), free in ".{0,200}") {
        let dir = tempfile::tempdir().unwrap();
        for text in [mutate(TOML_SEED, ops), free] {
            let file = dir.path().join("trailguard.toml");
            std::fs::write(&file, &text).unwrap();
            if let Ok((_, problems)) = trailguard::settings::load(&file) {
                for p in problems {
                    prop_assert!(p.line.is_none_or(|l| l >= 1), "{p:?}");
                }
            }
        }
    }

    #[test]
    fn waiver_file_never_panics(ops in ops(), free in ".{0,200}") {
        for text in [mutate(WAIVER_SEED, ops), free] {
            let (_, problems) = waivers::parse("waivers.yaml", &text, &NAMES);
            for p in problems {
                prop_assert!(p.line.is_none_or(|l| l >= 1), "{p:?}");
            }
        }
    }
}

#[test]
fn seeds_are_valid() {
    let (set, _) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    let (waivers, problems) =
        waivers::parse("waivers.yaml", WAIVER_SEED, &RuleNames::new(&set.rules));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(waivers.len(), 2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trailguard.toml");
    std::fs::write(&file, TOML_SEED).unwrap();
    let (_, problems) = trailguard::settings::load(&file).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}
