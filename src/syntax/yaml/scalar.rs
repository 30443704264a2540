//! YAML 1.2 core schema resolution of scalars, with numbers normalized to JSON syntax.

use crate::syntax::NodeKind;

/// A scalar under a core-schema tag (`!!str 1`, `!!int "3"`); `None` when it does not fit.
pub(super) fn core_scalar(tag: &str, value: &str) -> Option<NodeKind> {
    let resolved = resolve_plain(value);
    match (tag, resolved) {
        ("null", kind @ NodeKind::Null)
        | ("bool", kind @ NodeKind::Bool(_))
        | ("float", kind @ NodeKind::Number(_)) => Some(kind),
        ("int", NodeKind::Number(n)) if !n.contains(['.', 'e', 'E', 'i', 'N']) => {
            Some(NodeKind::Number(n))
        }
        ("null" | "bool" | "int" | "float", _) => None,
        // `!!str`, `!!binary`, `!!timestamp` and anything else: keep the text.
        _ => Some(NodeKind::String(value.to_string())),
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
///
/// Numbers are stored as JSON-compatible decimal text (`0x1F` becomes `31`, `+1.` becomes `1.0`)
/// so [`Node::to_json`] keeps them numbers; infinities and NaN become `inf`, `-inf`, `NaN`, which
/// [`Node::as_f64`] reads and JSON cannot hold (they serialize as strings).
pub(super) fn resolve_plain(s: &str) -> NodeKind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => NodeKind::Number("inf".into()),
        "-.inf" | "-.Inf" | "-.INF" => NodeKind::Number("-inf".into()),
        ".nan" | ".NaN" | ".NAN" => NodeKind::Number("NaN".into()),
        _ => match int_text(s).or_else(|| float_text(s)) {
            Some(n) => NodeKind::Number(n),
            None => NodeKind::String(s.to_string()),
        },
    }
}

fn int_text(s: &str) -> Option<String> {
    let radix = |digits: &str, radix: u32| {
        if digits.is_empty() {
            return None;
        }
        u128::from_str_radix(digits, radix)
            .ok()
            .map(|n| n.to_string())
    };
    if let Some(hex) = s.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return radix(oct, 8);
    }
    let (negative, digits) = split_sign(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    Some(format!("{}{trimmed}", if negative { "-" } else { "" }))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, normalized to JSON number syntax.
fn float_text(s: &str) -> Option<String> {
    let (negative, rest) = split_sign(s);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (mantissa, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int)
        || !frac.is_none_or(digits)
        || (int.is_empty() && frac.is_none_or(str::is_empty))
    {
        return None;
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let int = int.trim_start_matches('0');
    out.push_str(if int.is_empty() { "0" } else { int });
    out.push('.');
    out.push_str(match frac {
        Some(f) if !f.is_empty() => f,
        _ => "0",
    });
    if let Some(exp) = exponent {
        let (exp_negative, exp_digits) = split_sign(exp);
        if exp_digits.is_empty() || !digits(exp_digits) {
            return None;
        }
        out.push('e');
        if exp_negative {
            out.push('-');
        }
        out.push_str(exp_digits);
    }
    Some(out)
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}
