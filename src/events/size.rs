//! Byte sizes as users write them on the command line (`64MiB`, `16G`, `1048576`), for the
//! reading limits (`--max-record-size`, `--max-decompressed-size`).

/// Parse a byte count: a whole number with an optional unit. `K`/`M`/`G`/`T` and their `KiB`…
/// forms are powers of 1024 (sizes of buffers and files, as `ls -h` shows them); `KB`… are
/// powers of 1000; `B` or no unit is bytes. Case does not matter.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    if digits.is_empty() {
        return Err(format!(
            "`{text}` is not a size (expected e.g. 64MiB, 16G or 1048576)"
        ));
    }
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}`: number too large"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        other => {
            return Err(format!(
                "`{text}`: unknown unit `{other}` (use B, KiB, MiB, GiB, TiB or KB, MB, GB, TB)"
            ));
        }
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{text}`: size too large"))
}

/// [`parse_size`] for a limit: zero would refuse every record or file, so it is rejected.
pub fn parse_limit(text: &str) -> Result<u64, String> {
    match parse_size(text)? {
        0 => Err(format!("`{text}`: a limit must be at least 1")),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_limit, parse_size};

    #[test]
    fn units_and_errors() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("16G"), Ok(16 << 30));
        assert_eq!(parse_size("2 KB"), Ok(2000));
        assert_eq!(parse_size("0"), Ok(0));
        assert!(parse_size("MiB").unwrap_err().contains("not a size"));
        assert!(
            parse_size("3 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_size("99999999999T")
                .unwrap_err()
                .contains("too large")
        );
        assert!(parse_size("-5").is_err());
        assert!(parse_limit("0").unwrap_err().contains("at least 1"));
        assert_eq!(parse_limit("1k"), Ok(1024));
    }
}
