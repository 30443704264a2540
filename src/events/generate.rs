//! A synthetic but realistic CloudTrail archive for benchmarks: S3-layout `.json.gz` files of
//! 5–10k records each, plus the same files uncompressed, deterministic for a given seed.
//!
//! The mix follows what real archives hold: read-only `Describe*/Get*/List*` management calls
//! (about 55%), S3 data events (20%) and KMS calls (17%), mostly by assumed roles (whose
//! `sessionContext` makes records large), 5% writes, 3% access-denied errors, and rare
//! attacker-looking events (0.2%: StopLogging, DeleteTrail, console sign-in without MFA,
//! CreateAccessKey, AdministratorAccess attached by root, ...). Records average about 1.35 KB and
//! gzip about 12:1, like delivered CloudTrail files.

mod catalog;
pub(crate) mod records;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Bump when the generated content changes, so a reused archive is regenerated.
const FORMAT_VERSION: u32 = 4;

const ACCOUNTS: [&str; 2] = ["111122223333", "444455556666"];
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/// 2024-07-01T00:00:00Z: the archive starts here and runs about 3.5 days per million records.
const START: i64 = 1_719_792_000;

/// A generated archive: the same records as gzip files and as plain files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub dir: PathBuf,
    pub records: u64,
    pub seed: u64,
    pub gz_files: Vec<PathBuf>,
    pub json_files: Vec<PathBuf>,
    /// Total size of the `.json` files (= decompressed size of the `.json.gz` files).
    pub json_bytes: u64,
    pub gz_bytes: u64,
}

/// One file to write: its records' count, identity and first event time.
struct FilePlan {
    account: &'static str,
    region: &'static str,
    records: u64,
    start: i64,
    seed: u64,
}

/// Write `records` records under `dir/gz/AWSLogs/…` and `dir/json/AWSLogs/…` (created, and
/// replaced if present). Files are generated in parallel on the current rayon pool; the content
/// depends only on `records` and `seed`.
pub fn generate_archive(dir: &Path, records: u64, seed: u64) -> io::Result<Archive> {
    for sub in ["gz", "json"] {
        let path = dir.join(sub);
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
    }
    let mut rng = records::Rng::new(seed);
    let mut plans = Vec::new();
    let (mut left, mut time) = (records, START);
    while left > 0 {
        let n = (5_000 + rng.below(5_001)).min(left);
        let (account, region) = (*rng.pick(&ACCOUNTS), *rng.pick(&REGIONS));
        plans.push(FilePlan {
            account,
            region,
            records: n,
            start: time,
            seed: rng.next(),
        });
        // About 0.3 s between events on average.
        time += (n * 3 / 10) as i64;
        left -= n;
    }
    let written: Vec<(PathBuf, PathBuf, u64, u64)> = plans
        .par_iter()
        .map(|plan| write_file(dir, plan))
        .collect::<io::Result<_>>()?;
    let archive = Archive {
        dir: dir.to_path_buf(),
        records,
        seed,
        gz_files: written.iter().map(|w| w.0.clone()).collect(),
        json_files: written.iter().map(|w| w.1.clone()).collect(),
        json_bytes: written.iter().map(|w| w.2).sum(),
        gz_bytes: written.iter().map(|w| w.3).sum(),
    };
    fs::write(dir.join("manifest.txt"), manifest(&archive))?;
    Ok(archive)
}

/// The archive in `dir` if it was generated with these parameters by this version.
pub fn open_archive(dir: &Path, records: u64, seed: u64) -> io::Result<Option<Archive>> {
    let Ok(text) = fs::read_to_string(dir.join("manifest.txt")) else {
        return Ok(None);
    };
    let mut lines = text.lines();
    let header =
        format!("trailguard-bench-archive v{FORMAT_VERSION} records={records} seed={seed}");
    if lines.next() != Some(header.as_str()) {
        return Ok(None);
    }
    let mut archive = Archive {
        dir: dir.to_path_buf(),
        records,
        seed,
        gz_files: Vec::new(),
        json_files: Vec::new(),
        json_bytes: 0,
        gz_bytes: 0,
    };
    for line in lines {
        let Some((gz, json)) = line.split_once('\t') else {
            return Ok(None);
        };
        let (gz, json) = (dir.join(gz), dir.join(json));
        archive.gz_bytes += fs::metadata(&gz)?.len();
        archive.json_bytes += fs::metadata(&json)?.len();
        archive.gz_files.push(gz);
        archive.json_files.push(json);
    }
    Ok(Some(archive))
}

fn manifest(a: &Archive) -> String {
    let mut text = format!(
        "trailguard-bench-archive v{FORMAT_VERSION} records={} seed={}\n",
        a.records, a.seed
    );
    for (gz, json) in a.gz_files.iter().zip(&a.json_files) {
        let rel = |p: &PathBuf| p.strip_prefix(&a.dir).unwrap_or(p).display().to_string();
        text.push_str(&format!("{}\t{}\n", rel(gz), rel(json)));
    }
    text
}

/// Generate one file's records and write them as `.json.gz` and `.json`.
fn write_file(dir: &Path, plan: &FilePlan) -> io::Result<(PathBuf, PathBuf, u64, u64)> {
    let mut rng = records::Rng::new(plan.seed);
    let ctx = records::Context::new(plan.account, plan.region, &mut rng);
    let mut text = String::with_capacity(plan.records as usize * 1400 + 16);
    text.push_str("{\"Records\":[");
    let mut time = plan.start;
    for i in 0..plan.records {
        if i > 0 {
            text.push(',');
        }
        time += rng.below(7) as i64 / 10 + i64::from(rng.below(10) < 3);
        records::write_record(&mut text, &ctx, &mut rng, time);
    }
    text.push_str("]}");
    // Delivered a few minutes after the last event, named and dated by delivery time.
    let delivered = time + 300;
    let (y, m, d, hh, mm, _) = records::civil(delivered);
    let day_dir = format!(
        "AWSLogs/{}/CloudTrail/{}/{y:04}/{m:02}/{d:02}",
        plan.account, plan.region
    );
    let name = format!(
        "{}_CloudTrail_{}_{y:04}{m:02}{d:02}T{hh:02}{mm:02}Z_{}.json",
        plan.account,
        plan.region,
        rng.token(16)
    );
    let json_path = dir.join("json").join(&day_dir).join(&name);
    let gz_path = dir.join("gz").join(&day_dir).join(format!("{name}.gz"));
    fs::create_dir_all(json_path.parent().unwrap_or(dir))?;
    fs::create_dir_all(gz_path.parent().unwrap_or(dir))?;
    fs::write(&json_path, &text)?;
    let mut gz = GzEncoder::new(
        BufWriter::new(File::create(&gz_path)?),
        Compression::default(),
    );
    gz.write_all(text.as_bytes())?;
    gz.finish()?.flush()?;
    let gz_len = fs::metadata(&gz_path)?.len();
    Ok((gz_path, json_path, text.len() as u64, gz_len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{FileOutcome, ReadOptions, read_path, s3_key_date};
    use std::ops::ControlFlow;

    #[test]
    fn archive_is_deterministic_readable_and_realistic() {
        let dir = tempfile::tempdir().unwrap();
        let a = generate_archive(dir.path(), 12_000, 7).unwrap();
        assert_eq!(a.gz_files.len(), 2);
        assert_eq!(
            open_archive(dir.path(), 12_000, 7).unwrap(),
            Some(a.clone())
        );
        assert_eq!(open_archive(dir.path(), 12_000, 8).unwrap(), None);
        let again = tempfile::tempdir().unwrap();
        let b = generate_archive(again.path(), 12_000, 7).unwrap();
        assert_eq!(
            fs::read(&a.json_files[1]).unwrap(),
            fs::read(&b.json_files[1]).unwrap()
        );

        let mut names = std::collections::BTreeMap::<String, u64>::new();
        let mut read_only = 0;
        let mut total = 0;
        for (gz, json) in a.gz_files.iter().zip(&a.json_files) {
            assert!(s3_key_date(gz).is_some(), "{}", gz.display());
            for path in [gz, json] {
                let outcome = read_path(path, &ReadOptions::default(), |r| {
                    if path == gz {
                        *names
                            .entry(r.header.event_name.unwrap().into_owned())
                            .or_default() += 1;
                        read_only += u64::from(r.header.read_only == Some(true));
                    }
                    ControlFlow::Continue(())
                })
                .unwrap();
                let FileOutcome::Read { stats, .. } = outcome else {
                    panic!("{outcome:?}");
                };
                assert_eq!(stats.skipped.total(), 0);
                total += stats.records_passed;
            }
        }
        assert_eq!(total, 24_000);
        let avg = a.json_bytes as f64 / 12_000.0;
        assert!(
            (1_100.0..1_500.0).contains(&avg),
            "average record {avg} bytes"
        );
        let ratio = a.json_bytes as f64 / a.gz_bytes as f64;
        assert!((6.0..20.0).contains(&ratio), "gzip ratio {ratio}");
        assert!(read_only * 100 / 12_000 >= 60, "{read_only} read-only");
        assert!(names.len() > 30, "{names:?}");
    }
}
