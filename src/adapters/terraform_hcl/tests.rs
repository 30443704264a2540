use super::*;

#[test]
fn dump() {
    for name in ["compliant", "noncompliant", "advanced", "kms-unknown", "org", "org/modules/audit", "org/modules/audit/lake"] {
        let dir = format!("{}/tests/fixtures/config/terraform/hcl/{name}", env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "tf") {
                files.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
        match adapt_module(&dir, &files) {
            Adapted::Document(doc, errs) => {
                std::fs::write(format!("/tmp/tfx/hcl-{}.out.json", name.replace('/', "-")), serde_json::to_string_pretty(&doc).unwrap()).unwrap();
                println!("{name}: {:?}", errs);
            }
            Adapted::Skipped(r) => println!("{name}: skipped {r}"),
        }
    }
}
