//! Grouping and the order independence of aggregate tallies.

use super::*;
use crate::policy::{self, LoadOptions, PolicySet};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The built-in pack with every burst threshold at 2, so that small cases produce findings.
static PACK: LazyLock<PolicySet> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("p.yaml");
    std::fs::write(
        &params,
        "trailguard:\n  params:\n    authorization_failure_burst: 2\n    console_sign_in_failure_burst: 2\n",
    )
    .unwrap();
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        data_files: vec![params],
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    set
});

fn rule(id: &str) -> &'static Rule {
    PACK.rules.iter().find(|r| r.desc.id == id).unwrap()
}

/// A record that TGE001 (`denied`) or TGE006 (else) fires on.
fn record(i: usize, who: u8, ip: u8, minute: u8, denied: bool) -> String {
    let time = format!("2024-08-01T10:{:02}:{:02}Z", minute % 60, i % 60);
    let who = format!("arn:aws:iam::111122223333:user/u{}", who % 3);
    let ip = format!("198.51.100.{}", ip % 3);
    if denied {
        serde_json::json!({"eventVersion": "1.09", "eventTime": time, "eventID": format!("e{i}"),
            "eventSource": "iam.amazonaws.com", "eventName": "ListUsers", "errorCode": "AccessDenied",
            "sourceIPAddress": ip, "userIdentity": {"type": "IAMUser", "arn": who}})
    } else {
        serde_json::json!({"eventVersion": "1.09", "eventTime": time, "eventID": format!("e{i}"),
            "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
            "sourceIPAddress": ip, "userIdentity": {"type": "IAMUser", "arn": who}})
    }
    .to_string()
}

/// Count `raw` (record `i` of `path`) into `tallies`, as fired on by the event rules `fired`.
fn count(
    tallies: &mut [&mut Tally],
    plan: &Plan<'_>,
    path: &Arc<str>,
    i: usize,
    raw: &str,
    fired: &[usize],
) {
    let header = Header::parse(raw).unwrap();
    let rec = Counted {
        header: &header,
        raw,
        path,
        index: i as u64,
        line: None,
    };
    for t in tallies {
        t.count(plan, fired, &rec);
    }
}

/// `(rule, message, location, fingerprint)` of each finding.
/// Judged on two threads, as a scan with several inputs does (the test with a full tally
/// judges on one).
fn judged(tally: Tally, plan: &Plan<'_>) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let (findings, errors) = pool.install(|| judge(plan, tally, &PACK.engine, None, true));
    assert!(errors.is_empty(), "{errors:?}");
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}#{:?} {} {}",
                f.rule_id,
                f.message,
                f.location.path,
                f.location.record_index,
                f.fingerprint,
                f.evidence.to_json()
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn counts_group_by_principal_and_address_within_windows() {
    let events = [rule("TGE001"), rule("TGE006")];
    let plan = Plan::new(
        vec![rule("TGA001"), rule("TGA002")],
        &events,
        |_| true,
        &PACK.params,
        true,
    );
    let path: Arc<str> = Arc::from("f.json");
    let mut t = Tally::default();
    // u0 denied twice in 10:00-10:10 (a burst at threshold 2) and once at 10:12; two
    // failed sign-ins from .1, one from .2.
    for (i, who, ip, minute, denied) in [
        (0, 0, 0, 1, true),
        (1, 0, 1, 9, true),
        (2, 0, 0, 12, true),
        (3, 1, 1, 3, false),
        (4, 2, 1, 4, false),
        (5, 2, 2, 5, false),
    ] {
        let raw = record(i, who, ip, minute, denied);
        count(
            &mut [&mut t],
            &plan,
            &path,
            i,
            &raw,
            &[usize::from(!denied)],
        );
    }
    assert_eq!(t.len(), 4);
    let got: Vec<String> = judged(t, &plan)
        .iter()
        .map(|l| l.split(" f.json").next().unwrap().to_string())
        .collect();
    assert_eq!(
        got,
        [
            "TGA001 principal arn:aws:iam::111122223333:user/u0 was denied 2 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z",
            "TGA002 2 console sign-ins failed from 198.51.100.1 between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z",
        ]
    );
}

#[test]
fn a_full_tally_opens_no_group_and_says_its_results_are_incomplete() {
    let events = [rule("TGE001"), rule("TGE006")];
    let plan = Plan::new(vec![rule("TGA001")], &events, |_| true, &PACK.params, true);
    let path: Arc<str> = Arc::from("f.json");
    let denied = |t: &mut Tally, i: usize, who: u8| {
        count(&mut [t], &plan, &path, i, &record(i, who, 0, 1, true), &[0]);
    };
    let mut t = Tally::with_limit(2);
    // Principals u0 and u1 open the two groups; u2 finds the tally full, u0 still counts.
    for (i, who) in [(0, 0), (1, 1), (2, 2), (3, 2), (4, 0)] {
        denied(&mut t, i, who);
    }
    assert_eq!((t.len(), t.overflow), (2, 2));
    // Merging a tally with another group: left out, and counted as left out.
    let mut other = Tally::with_limit(2);
    denied(&mut other, 5, 2);
    t.merge(other);
    assert_eq!((t.len(), t.overflow), (2, 3));
    let (findings, errors) = judge(&plan, t, &PACK.engine, None, false);
    assert_eq!(
        findings.len(),
        1,
        "u0's two denials still make a burst at threshold 2"
    );
    let e: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        e,
        [(
            "events::aggregate-limit",
            "aggregate rules stopped opening groups at 2 (principal or address and window): 3 \
             counted records were left out, so their results are incomplete"
        )]
    );
}

proptest! {
    #![proptest_config(crate::events::testdata::cases(64))]

    /// Workers count separately and their tallies are added up in whatever order rayon
    /// reduces them: the findings must be those of one worker counting everything.
    #[test]
    fn tallies_add_up_to_the_same_findings_in_any_split_and_order(
        records in proptest::collection::vec((any::<u8>(), any::<u8>(), 0u8..25, any::<bool>(), 0usize..4), 1..60),
        order in any::<u64>(),
    ) {
        let (tga1, tga2) = (rule("TGA001"), rule("TGA002"));
        let events = [rule("TGE001"), rule("TGE006")];
        let plan = Plan::new(vec![tga1, tga2], &events, |_| true, &PACK.params, true);
        let paths: Vec<Arc<str>> = (0..4).map(|i| Arc::from(format!("f{i}.json"))).collect();
        let mut one = Tally::default();
        let mut parts: Vec<Tally> = (0..4).map(|_| Tally::default()).collect();
        for (i, &(who, ip, minute, denied, part)) in records.iter().enumerate() {
            let raw = record(i, who, ip, minute, denied);
            count(&mut [&mut one, &mut parts[part]], &plan, &paths[part], i, &raw, &[usize::from(!denied)]);
        }
        // Merge the parts in an order drawn from `order`.
        let mut merged = Tally::default();
        let mut left: Vec<Tally> = parts;
        let mut seed = order;
        while !left.is_empty() {
            let k = (seed % left.len() as u64) as usize;
            seed /= 4;
            let mut t = left.swap_remove(k);
            if seed % 2 == 0 {
                t.merge(std::mem::take(&mut merged));
                merged = t;
            } else {
                merged.merge(t);
            }
        }
        prop_assert_eq!(judged(merged, &plan), judged(one, &plan));
    }
}

/// A rule that fails on some groups reports its first failure in group order, once, and keeps
/// what it said of the groups before: judged one by one or on two threads alike.
#[test]
fn a_failing_aggregate_rule_reports_its_first_failure_in_order_on_any_thread_count() {
    let events = [rule("TGE001"), rule("TGE006")];
    let tga = rule("TGA001");
    let plan = Plan::new(vec![tga], &events, |_| true, &PACK.params, true);
    let package = tga
        .entry
        .trim_start_matches("data.")
        .trim_end_matches(".deny");
    let mut engine = PACK.engine.clone();
    // A second `deny` body in the rule's package: undefined, unless the group counted 3,
    // where the rule it reads has two values (an evaluation error).
    engine
        .add_policy(
            "breaks.rego".into(),
            format!(
                "package {package}\nimport rego.v1\ndeny contains {{\"msg\": sprintf(\"%v\", [x]), \"resource\": \"r\"}} if {{\n\tx := boom\n}}\nboom := 1 if input.count == 3\nboom := 2 if input.count == 3\n"
            ),
        )
        .unwrap();
    let path: Arc<str> = Arc::from("f.json");
    let tally = || {
        let mut t = Tally::default();
        let mut i = 0;
        // Principals u0, u1, u2 denied 2, 3 and 4 times in one window.
        for (who, times) in [(0u8, 2), (1, 3), (2, 4)] {
            for _ in 0..times {
                count(
                    &mut [&mut t],
                    &plan,
                    &path,
                    i,
                    &record(i, who, 0, 1, true),
                    &[0],
                );
                i += 1;
            }
        }
        t
    };
    let show = |(findings, errors): (Vec<Finding>, Vec<Diagnostic>)| {
        let f: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
        let e: Vec<String> = errors
            .iter()
            .map(|e| format!("{} {}", e.code, e.message))
            .collect();
        (f, e)
    };
    let one = show(judge(&plan, tally(), &engine, None, false));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let two = show(pool.install(|| judge(&plan, tally(), &engine, None, true)));
    assert_eq!(one, two);
    let (findings, errors) = one;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("policy::eval aggregate rule TGA001 failed"),
        "{errors:?}"
    );
    // u0's group, before the failure in order, was judged; u1's failed; u2's was not judged.
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("user/u0"), "{findings:?}");
}
