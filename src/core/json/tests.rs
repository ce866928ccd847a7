//! The parser and writer on their own: valid and invalid texts, the depth
//! limit, escapes, surrogate pairs, numbers, repeated keys, error messages.

use super::*;

fn p(s: &str) -> Result<Value, String> {
    parse(s).map_err(|e| e.to_string())
}

fn num(n: Number) -> Result<Value, String> {
    Ok(Value::Number(n))
}

#[test]
fn valid() {
    assert_eq!(p(" null "), Ok(Value::Null));
    assert_eq!(p("true"), Ok(Value::Bool(true)));
    assert_eq!(p("\t\r\n[false]\n"), Ok(Value::Array(vec![Value::Bool(false)])));
    assert_eq!(p("0"), num(Number::U(0)));
    // -0 as serde_json and JSON.parse read it (found by the cross-check
    // proptest `any_text_is_judged_alike`).
    assert!(matches!(p("-0"), Ok(Value::Number(Number::F(z))) if z == 0.0 && z.is_sign_negative()));
    assert_eq!(p("18446744073709551615"), num(Number::U(u64::MAX)));
    assert_eq!(p("18446744073709551616"), num(Number::F(18446744073709551616.0)));
    assert_eq!(p("-9223372036854775808"), num(Number::I(i64::MIN)));
    assert_eq!(p("-1"), num(Number::I(-1)));
    assert_eq!(p("1.5e3"), num(Number::F(1500.0)));
    assert_eq!(p("1E-2"), num(Number::F(0.01)));
    assert_eq!(p("-0.5"), num(Number::F(-0.5)));
    assert_eq!(p("1.0"), num(Number::F(1.0)));
    assert_eq!(p(r#""a\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00""#), Ok(Value::String("a\"\\/\u{8}\u{c}\n\r\tAé😀".into())));
    assert_eq!(p("\"é😀\""), Ok(Value::String("é😀".into())));
    assert_eq!(p("{}"), Ok(Value::Object(vec![])));
    assert_eq!(p(r#"{"a":[1,{"b":null}],"c":"d"}"#).unwrap().get("c").and_then(Value::as_str), Some("d"));
}

#[test]
fn repeated_keys_keep_the_first_position_and_the_last_value() {
    let v = p(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(v, Value::Object(vec![("a".into(), Value::Number(Number::U(3))), ("b".into(), Value::Number(Number::U(2)))]));
}

#[test]
fn invalid() {
    for (s, want) in [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("nul", "EOF while parsing a value at line 1 column 3"),
        ("nulx", "expected ident at line 1 column 4"),
        ("1 2", "trailing characters at line 1 column 2"),
        ("[1,]", "trailing comma at line 1 column 4"),
        ("{\"a\":1,}", "trailing comma at line 1 column 8"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("{1:2}", "key must be a string at line 1 column 1"),
        ("{\"a\" 1}", "expected `:` at line 1 column 5"),
        ("\"a\u{1}\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"),
        ("\"\\x\"", "invalid escape at line 1 column 3"),
        ("\"\\ud800\"", "unexpected end of hex escape at line 1 column 7"),
        ("\"\\udc00\"", "lone leading surrogate in hex escape at line 1 column 7"),
        ("\"\\ud800\\u0041\"", "lone leading surrogate in hex escape at line 1 column 13"),
        ("\"\\u12G4\"", "invalid escape at line 1 column 6"),
        ("01", "invalid number at line 1 column 2"),
        ("-", "invalid number at line 1 column 1"),
        ("1.", "invalid number at line 1 column 2"),
        ("1e", "invalid number at line 1 column 2"),
        (".5", "expected value at line 1 column 1"),
        ("NaN", "expected value at line 1 column 1"),
        ("Infinity", "expected value at line 1 column 1"),
        ("-Infinity", "invalid number at line 1 column 2"),
        ("1e400", "number out of range at line 1 column 5"),
        ("\"abc", "EOF while parsing a string at line 1 column 4"),
        ("[\n1,\n", "EOF while parsing a value at line 3 column 0"),
        ("{\"a\":1", "EOF while parsing an object at line 1 column 6"),
        ("'a'", "expected value at line 1 column 1"),
    ] {
        assert_eq!(p(s), Err(want.to_string()), "{s:?}");
    }
}

#[test]
fn depth_limit() {
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(p(&nest(MAX_DEPTH)).is_ok());
    assert_eq!(p(&nest(MAX_DEPTH + 1)), Err(format!("recursion limit exceeded at line 1 column {}", MAX_DEPTH + 1)));
    let objs = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1));
    assert!(p(&objs).unwrap_err().starts_with("recursion limit exceeded"));
}

#[test]
fn writer() {
    let s = "q\"b\\n\n r\r t\t \u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀 / \u{2028}";
    assert_eq!(to_string(s), "\"q\\\"b\\\\n\\n r\\r t\\t \\b\\f\\u0001\\u001f\u{7f} é 😀 / \u{2028}\"");
    assert_eq!(to_string(&-5i64), "-5");
    assert_eq!(to_string(&i64::MIN), "-9223372036854775808");
    assert_eq!(to_string(&u64::MAX), "18446744073709551615");
    assert_eq!(to_string(&2.5f64), "2.5");
    assert_eq!(to_string(&3.0f64), "3");
    assert_eq!(to_string(&-0.0f64), "0");
    assert_eq!(to_string(&f64::NAN), "null");
    assert_eq!(to_string(&f64::INFINITY), "null");
    assert_eq!(parse(&to_string(&1e300f64)).unwrap(), Value::Number(Number::F(1e300)));
    assert_eq!(parse(&to_string(&1e-300f64)).unwrap(), Value::Number(Number::F(1e-300)));
    let v = parse(r#"{"a":[1,-2,2.5,"x",null,true,{}],"b":{}}"#).unwrap();
    assert_eq!(to_string(&v), r#"{"a":[1,-2,2.5,"x",null,true,{}],"b":{}}"#);
}

#[derive(Debug, Clone, Default, PartialEq)]
struct S {
    id: String,
    n: Option<u32>,
    k: Vec<bool>,
    z: Option<i64>,
    on: bool,
}
macros::json_struct!(S(deny) { id: "id" req, n: "n" req, k: "list" opt, z: "z" skip, on: "on" yes });

#[test]
fn struct_errors_name_the_field() {
    let r = |s: &str| from_str::<S>(s).map_err(|e| e.to_string());
    assert_eq!(r(r#"{"id":"a"}"#), Ok(S { id: "a".into(), on: true, ..S::default() }));
    assert_eq!(r(r#"{"id":"a","n":null,"list":[true],"z":-1,"on":false}"#), Ok(S { id: "a".into(), n: None, k: vec![true], z: Some(-1), on: false }));
    assert_eq!(r("{}"), Err("missing field `id`".into()));
    assert_eq!(r(r#"{"id":1}"#), Err("id: invalid type: integer `1`, expected a string".into()));
    assert_eq!(r(r#"{"id":"a","n":-1}"#), Err("n: invalid value: integer `-1`, expected u32".into()));
    assert_eq!(r(r#"{"id":"a","n":4294967296}"#), Err("n: invalid value: integer `4294967296`, expected u32".into()));
    assert_eq!(r(r#"{"id":"a","n":1.5}"#), Err("n: invalid type: floating point `1.5`, expected u32".into()));
    assert_eq!(r(r#"{"id":"a","list":[true,"x"]}"#), Err("list: invalid type: string \"x\", expected a boolean".into()));
    assert_eq!(r(r#"{"id":"a","x":1}"#), Err("unknown field `x`, expected one of `id`, `n`, `list`, `z`, `on`".into()));
    assert_eq!(r("[]"), Err("invalid type: sequence, expected struct S".into()));
    assert_eq!(to_string(&S { id: "a".into(), ..S::default() }), r#"{"id":"a","n":null,"list":[],"on":false}"#);
    assert_eq!(to_string(&S { z: Some(2), ..S::default() }), r#"{"id":"","n":null,"list":[],"z":2,"on":false}"#);
}

#[test]
fn nested_errors_have_a_path() {
    use crate::core::protocol::ServerFrame;
    let e = from_str::<ServerFrame>(r#"{"type":"welcome","conversation":{"id":"c"}}"#).unwrap_err();
    assert_eq!(e.to_string(), "conversation: missing field `queueId`");
    let e = from_str::<ServerFrame>(r#"{"type":"history","conversationId":"c","messages":[{"seq":"1"}]}"#).unwrap_err();
    assert_eq!(e.to_string(), "messages.seq: invalid type: string \"1\", expected u64");
    let e = from_str::<ServerFrame>(r#"{"type":"nope"}"#).unwrap_err().to_string();
    assert!(e.starts_with("type: unknown variant `nope`, expected one of `welcome`, "), "{e}");
    assert_eq!(from_str::<ServerFrame>(r#"{"x":1}"#).unwrap_err().to_string(), "missing field `type`");
}

#[test]
fn repeated_keys_in_large_objects_keep_first_position_and_last_value() {
    // Over the small-object threshold, with repeats spread out.
    let mut text = String::from("{");
    for i in 0..100 {
        text.push_str(&format!("\"k{}\":{i},", i % 40));
    }
    text.push_str("\"k0\":\"end\"}");
    let Value::Object(o) = parse(&text).unwrap() else { panic!("object") };
    assert_eq!(o.len(), 40);
    for (i, (k, v)) in o.iter().enumerate() {
        assert_eq!(k, &format!("k{i}"), "first position");
        let want = if i == 0 { Value::String("end".into()) } else { Value::Number(Number::U(80 + i as u64 - if i < 20 { 0 } else { 40 })) };
        assert_eq!(v, &want, "last value of {k}");
    }
    // Many distinct keys (a linear search per key made this take 6 s).
    let big: String = std::iter::once("{".to_string())
        .chain((0..50_000).map(|i| format!("{}\"k{i}\":{i}", if i == 0 { "" } else { "," })))
        .chain(std::iter::once("}".to_string()))
        .collect();
    let Value::Object(o) = parse(&big).unwrap() else { panic!("object") };
    assert_eq!(o.len(), 50_000);
    assert_eq!(o[49_999], ("k49999".to_string(), Value::Number(Number::U(49_999))));
}
