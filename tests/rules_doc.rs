//! docs/rules.md is where every SARIF `helpUri` points: it must hold every rule's anchor and
//! current title (regenerate with `scripts/gen-rules-doc.py`).

use trailguard::policy::{self, LoadOptions};

#[test]
fn rules_doc_lists_every_rule_with_its_title() {
    let (set, errors) = policy::load(&LoadOptions {
        builtin: true,
        ..Default::default()
    });
    assert!(errors.is_empty(), "{errors:?}");
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    for r in &set.rules {
        let anchor = format!("<a id=\"{}\"></a>", r.desc.id.to_lowercase());
        assert!(
            doc.contains(&anchor),
            "docs/rules.md lacks {anchor}: run scripts/gen-rules-doc.py"
        );
        assert!(
            doc.contains(&format!("**{}**", r.desc.title)),
            "docs/rules.md has a stale title for {}: run scripts/gen-rules-doc.py",
            r.desc.id
        );
    }
}
