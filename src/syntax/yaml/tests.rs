//! Unit tests for the YAML reader: spans, scalar resolution, tags, aliases and limits.

use super::*;

fn string(s: &str) -> NodeKind {
    NodeKind::String(s.to_string())
}

fn number(s: &str) -> NodeKind {
    NodeKind::Number(s.to_string())
}

fn tagged<'a>(node: &'a Node, expected_tag: &str) -> &'a Node {
    match &node.kind {
        NodeKind::Tagged(tag, inner) if tag == expected_tag => inner,
        other => panic!("expected {expected_tag}, got {other:?}"),
    }
}

const TEMPLATE: &str = "\
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref LogBucket
      KMSKeyId: !GetAtt [TrailKey, Arn]
";

#[test]
fn keys_and_values_carry_line_column_and_byte_spans() {
    let root = parse(TEMPLATE).unwrap();
    let (key, trail) = root.get("Resources").unwrap().entry("Trail").unwrap();
    assert_eq!((key.span.line, key.span.column), (2, 3));
    assert_eq!((key.span.end_line, key.span.end_column), (2, 8));
    assert_eq!(
        &TEMPLATE[key.span.offset..key.span.offset + key.span.len],
        "Trail"
    );
    assert_eq!((trail.span.line, trail.span.column), (3, 5));

    let props = trail.get("Properties").unwrap();
    let (key, value) = props.entry("IsLogging").unwrap();
    assert_eq!((key.span.line, key.span.column), (5, 7));
    assert_eq!(value.kind, NodeKind::Bool(true));
    assert_eq!((value.span.line, value.span.column), (5, 18));
    assert_eq!(
        &TEMPLATE[value.span.offset..value.span.offset + value.span.len],
        "true"
    );

    let bucket = props.get("S3BucketName").unwrap();
    assert_eq!((bucket.span.line, bucket.span.column), (6, 21));
    assert_eq!(
        &TEMPLATE[bucket.span.offset..bucket.span.offset + bucket.span.len],
        "!Ref LogBucket"
    );
    assert_eq!(tagged(bucket, "!Ref").kind, string("LogBucket"));

    let key_id = props.get("KMSKeyId").unwrap();
    assert_eq!(
        &TEMPLATE[key_id.span.offset..key_id.span.offset + key_id.span.len],
        "!GetAtt [TrailKey, Arn]"
    );
    let items: Vec<_> = tagged(key_id, "!GetAtt")
        .items()
        .iter()
        .map(|n| n.kind.clone())
        .collect();
    assert_eq!(items, vec![string("TrailKey"), string("Arn")]);
}

#[test]
fn block_mapping_span_ends_at_its_last_value() {
    let root = parse(TEMPLATE).unwrap();
    let props = root
        .get("Resources")
        .unwrap()
        .get("Trail")
        .unwrap()
        .get("Properties")
        .unwrap();
    assert_eq!((props.span.line, props.span.column), (5, 7));
    assert_eq!((props.span.end_line, props.span.end_column), (7, 40));
}

#[test]
fn plain_scalars_follow_the_yaml_1_2_core_schema() {
    let cases = [
        ("~", NodeKind::Null),
        ("null", NodeKind::Null),
        ("NULL", NodeKind::Null),
        ("", NodeKind::Null),
        ("true", NodeKind::Bool(true)),
        ("True", NodeKind::Bool(true)),
        ("FALSE", NodeKind::Bool(false)),
        ("yes", string("yes")),
        ("42", number("42")),
        ("-007", number("-7")),
        ("+3", number("3")),
        ("0x1F", number("31")),
        ("0o17", number("15")),
        ("1.5", number("1.5")),
        ("1.", number("1.0")),
        (".5", number("0.5")),
        ("-2.5e+3", number("-2.5e3")),
        ("1e5", number("1.0e5")),
        (".inf", number("inf")),
        ("-.Inf", number("-inf")),
        (".NaN", number("NaN")),
        ("2010-09-09", string("2010-09-09")),
        ("1_000", string("1_000")),
        ("0x", string("0x")),
        ("1.2.3", string("1.2.3")),
    ];
    for (text, expected) in cases {
        let root = parse(&format!("v: {text}\n")).unwrap();
        assert_eq!(root.get("v").unwrap().kind, expected, "for {text:?}");
    }
    let root = parse("a: 1e5\nb: 0x10\n").unwrap();
    assert_eq!(root.to_json(), serde_json::json!({"a": 100000.0, "b": 16}));
}

#[test]
fn quoted_scalars_are_strings_and_core_tags_apply() {
    let root = parse("a: 'true'\nb: \"42\"\nc: !!str 42\nd: !!int \"7\"\ne: |\n  x\n").unwrap();
    assert_eq!(root.get("a").unwrap().kind, string("true"));
    assert_eq!(root.get("b").unwrap().kind, string("42"));
    assert_eq!(root.get("c").unwrap().kind, string("42"));
    assert_eq!(root.get("d").unwrap().kind, number("7"));
    assert_eq!(root.get("e").unwrap().kind, string("x\n"));
    let e = parse("a: !!int abc\n").unwrap_err();
    assert_eq!((e.line, e.column), (1, 4));
    assert!(e.message.contains("!!int"), "{}", e.message);
}

#[test]
fn local_tags_wrap_scalars_sequences_and_mappings() {
    let src = "\
a: !Sub 'arn:${AWS::Partition}:s3:::${B}'
b: !If
  - IsProd
  - !GetAtt Key.Arn
  - !Ref AWS::NoValue
c: !Transform {Name: 'AWS::Include'}
d: !Ref
";
    let root = parse(src).unwrap();
    assert_eq!(
        tagged(root.get("a").unwrap(), "!Sub").kind,
        string("arn:${AWS::Partition}:s3:::${B}")
    );
    let branches = tagged(root.get("b").unwrap(), "!If").items();
    assert_eq!(branches.len(), 3);
    assert_eq!(tagged(&branches[1], "!GetAtt").kind, string("Key.Arn"));
    assert_eq!(branches[1].span.line, 4);
    assert_eq!(tagged(&branches[2], "!Ref").kind, string("AWS::NoValue"));
    let c = tagged(root.get("c").unwrap(), "!Transform");
    assert_eq!(c.get("Name").unwrap().kind, string("AWS::Include"));
    assert_eq!(tagged(root.get("d").unwrap(), "!Ref").kind, NodeKind::Null);
    assert_eq!(
        root.get("b").unwrap().to_json(),
        serde_json::json!({"!If": ["IsProd", {"!GetAtt": "Key.Arn"}, {"!Ref": "AWS::NoValue"}]})
    );
}

#[test]
fn aliases_clone_the_anchored_node_and_merge_keys_merge() {
    let src = "\
base: &base
  Type: AWS::S3::Bucket
  DeletionPolicy: Retain
copy: *base
merged:
  <<: *base
  DeletionPolicy: Delete
quoted:
  '<<': not a merge
";
    let root = parse(src).unwrap();
    let copy = root.get("copy").unwrap();
    assert_eq!(copy.to_json(), root.get("base").unwrap().to_json());
    assert_eq!((copy.span.line, copy.span.column), (4, 7));
    // Inner nodes keep the anchor's positions.
    assert_eq!(copy.entry("Type").unwrap().0.span.line, 2);

    let merged = root.get("merged").unwrap();
    assert_eq!(
        merged.get("Type").unwrap().as_str(),
        Some("AWS::S3::Bucket")
    );
    assert_eq!(
        merged.get("DeletionPolicy").unwrap().as_str(),
        Some("Delete")
    );
    assert_eq!(merged.entries().len(), 2);
    assert_eq!(
        root.get("quoted").unwrap().get("<<").unwrap().as_str(),
        Some("not a merge")
    );
}

#[test]
fn merge_of_a_list_prefers_earlier_mappings() {
    let root = parse("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n").unwrap();
    assert_eq!(
        root.get("c").unwrap().to_json(),
        serde_json::json!({"x": 1, "y": 1, "z": 2})
    );
    let e = parse("a: &a [1]\nc:\n  <<: *a\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 7));
}

#[test]
fn alias_bomb_is_rejected_with_a_position() {
    let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for name in names {
        src.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, \
             *{prev}, *{prev}, *{prev}]\n"
        ));
        prev = name;
    }
    let e = parse(&src).unwrap_err();
    assert!(e.message.contains("alias bomb"), "{}", e.message);
    // Five levels (111,110 copied nodes) fit; the eighth copy of "e" on line 6 crosses 1,000,000.
    assert_eq!((e.line, e.column), (6, 36));
}

#[test]
fn recursive_alias_is_an_error() {
    let e = parse("a: &x [1, *x]\n").unwrap_err();
    assert_eq!((e.line, e.column), (1, 11));
}

#[test]
fn deep_nesting_is_rejected_not_overflowing_the_stack() {
    // Block nesting: one level per `- `; the scalar at level 513 is one too deep.
    let e = parse(&("- ".repeat(MAX_DEPTH + 1) + "x")).unwrap_err();
    assert!(
        e.message.contains("nesting deeper than 512"),
        "{}",
        e.message
    );
    assert_eq!((e.line, e.column), (1, 2 * 513 + 1));
    assert!(parse(&("- ".repeat(MAX_DEPTH) + "x")).is_ok());
    assert!(parse(&"- ".repeat(100_000)).is_err());

    // Flow nesting: saphyr's scanner stops at 255 flow levels, before our limit.
    let flow = "[".repeat(100_000) + &"]".repeat(100_000);
    let e = parse(&flow).unwrap_err();
    assert_eq!((e.line, e.column), (1, 256));

    // Aliases cannot stack a deep anchor under a deep parent.
    let half = MAX_DEPTH / 2 + 1;
    let src = format!(
        "a: &a\n{}x\nb:\n{}*a\n",
        "- ".repeat(half),
        "- ".repeat(half)
    );
    let e = parse(&src).unwrap_err();
    assert!(e.message.contains("nesting deeper"), "{}", e.message);
    assert_eq!((e.line, e.column as usize), (4, 2 * half + 1));
}

#[test]
fn invalid_yaml_reports_its_position() {
    let e = parse("Resources:\n  Trail:\n    Type: [a, b\n").unwrap_err();
    assert_eq!((e.line, e.column), (4, 1));
    assert!(e.message.starts_with("invalid YAML:"), "{}", e.message);

    let e = parse("a: b\n  c: d\n").unwrap_err();
    assert_eq!((e.line, e.column, e.offset), (2, 4, 8));

    let e = parse("a: [1]\nb: {x: 1}\n? [k]\n: v\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 3));
}

#[test]
fn crlf_line_endings_keep_lines_and_byte_offsets() {
    let src = "A: 1\r\nB:\r\n  C: 'x'\r\n";
    let root = parse(src).unwrap();
    let (key, value) = root.get("B").unwrap().entry("C").unwrap();
    assert_eq!((key.span.line, key.span.column), (3, 3));
    assert_eq!(key.span.offset, 12);
    assert_eq!((value.span.line, value.span.column), (3, 6));
    assert_eq!(
        &src[value.span.offset..value.span.offset + value.span.len],
        "'x'"
    );
    assert_eq!(value.as_str(), Some("x"));
}

#[test]
fn utf8_bom_and_multibyte_text_use_byte_offsets_and_character_columns() {
    let src = "\u{feff}Name: \"é😀\"\nNext: ok\n";
    let root = parse(src).unwrap();
    let (key, value) = root.entry("Name").unwrap();
    assert_eq!((key.span.line, key.span.column, key.span.offset), (1, 1, 3));
    assert_eq!(value.as_str(), Some("é😀"));
    assert_eq!((value.span.column, value.span.end_column), (7, 11));
    assert_eq!(
        &src[value.span.offset..value.span.offset + value.span.len],
        "\"é😀\""
    );
    let (key, _) = root.entry("Next").unwrap();
    assert_eq!((key.span.line, key.span.column), (2, 1));
    assert_eq!(
        &src[key.span.offset..key.span.offset + key.span.len],
        "Next"
    );

    // Past the first checkpoint of the character-to-byte table.
    let long = format!("{}\nkey: v\n", "#".to_string() + &"é".repeat(200));
    let root = parse(&long).unwrap();
    let (key, _) = root.entry("key").unwrap();
    assert_eq!(
        &long[key.span.offset..key.span.offset + key.span.len],
        "key"
    );
}

#[test]
fn one_document_is_expected_and_streams_are_available() {
    assert_eq!(parse("").unwrap().kind, NodeKind::Null);
    assert_eq!(
        parse("--- \na: 1\n...\n").unwrap().get("a").unwrap().kind,
        number("1")
    );
    assert!(parse("a: 1\n---\n").is_ok());

    let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.contains("second YAML document"), "{}", e.message);

    let docs = parse_stream("a: 1\n---\nb: 2\n").unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].get("b").unwrap().span.line, 3);
}

#[test]
fn json_is_read_as_yaml_too() {
    let root =
        parse("{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\", \"N\": 1.5}}}").unwrap();
    let b = root.get("Resources").unwrap().get("B").unwrap();
    assert_eq!(b.get("N").unwrap().kind, number("1.5"));
    assert_eq!(b.get("Type").unwrap().span.column, 30);
}

#[test]
fn block_scalar_spans_end_at_their_last_character() {
    let src = "a: |\n  line one\n  line two\n\nb: 1\n";
    let root = parse(src).unwrap();
    let a = root.get("a").unwrap();
    assert_eq!(a.as_str(), Some("line one\nline two\n"));
    assert_eq!((a.span.line, a.span.column), (2, 3));
    assert_eq!((a.span.end_line, a.span.end_column), (3, 11));
    assert_eq!(
        &src[a.span.offset..a.span.offset + a.span.len],
        "line one\n  line two"
    );
}

#[test]
fn arbitrary_input_never_panics() {
    // A deterministic xorshift over YAML's syntax characters: every input either parses or
    // yields an error with a position inside the input.
    const ALPHABET: &[u8] = b"[]{}:-?,&*!|>'\"#%@` \n\t\r.~a0<=";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..30_000 {
        let len = (next() % 48) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let src = String::from_utf8(bytes).unwrap();
        if let Err(e) = parse(&src) {
            assert!(e.offset <= src.len(), "{src:?}: {e}");
            assert!(e.line >= 1 && e.column >= 1, "{src:?}: {e}");
        }
    }
}
