use super::*;

#[test]
fn dump() {
    for name in [
        "compliant",
        "noncompliant",
        "advanced",
        "kms-unknown",
        "org",
    ] {
        let path = format!(
            "{}/tests/fixtures/config/terraform/plan/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let root = crate::syntax::json::parse(&text).unwrap();
        match adapt(&path, &root) {
            Adapted::Document(doc, errs) => {
                std::fs::write(
                    format!("/tmp/tfx/{name}.out.json"),
                    serde_json::to_string_pretty(&doc).unwrap(),
                )
                .unwrap();
                println!("{name}: {:?}", errs);
            }
            Adapted::Skipped(r) => println!("{name}: skipped {r}"),
        }
    }
}
