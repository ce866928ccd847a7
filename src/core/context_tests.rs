use super::*;
use proptest::prelude::*;

fn entry(v: Raw) -> Raw {
    Raw::Object(vec![("value".into(), v)])
}

#[test]
fn accepts_the_documented_shape() {
    let raw = Raw::Object(vec![
        ("Case".into(), entry(Raw::Str("C-42".into()))),
        ("Score".into(), Raw::Object(vec![("value".into(), Raw::Number(3.5)), ("isDisplayable".into(), Raw::Bool(false))])),
        ("Vip".into(), entry(Raw::Bool(true))),
    ]);
    let ctx = validate(&raw).unwrap();
    assert_eq!(ctx.len(), 3);
    assert!(!ctx.get("Score").unwrap().is_displayable);
    assert_eq!(ctx.to_json(), r#"{"Case":{"value":"C-42","isDisplayable":true},"Score":{"value":3.5,"isDisplayable":false},"Vip":{"value":true,"isDisplayable":true}}"#);
}

#[test]
fn refuses_bad_shapes_naming_the_key() {
    let cases: Vec<(Raw, &str)> = vec![
        (Raw::Str("x".into()), "must be an object"),
        (Raw::Object(vec![("__proto__".into(), entry(Raw::Bool(true)))]), "reserved"),
        (Raw::Object(vec![("constructor".into(), entry(Raw::Bool(true)))]), "reserved"),
        (Raw::Object(vec![("".into(), entry(Raw::Bool(true)))]), "empty"),
        (Raw::Object(vec![("k".repeat(101), entry(Raw::Bool(true)))]), "longer than 100"),
        (Raw::Object(vec![("a".into(), entry(Raw::Str("v".repeat(4097))))]), "\"a\": value longer"),
        (Raw::Object(vec![("n".into(), entry(Raw::Number(f64::NAN)))]), "finite"),
        (Raw::Object(vec![("o".into(), entry(Raw::Object(vec![])))]), "string, number or boolean"),
        (Raw::Object(vec![("f".into(), entry(Raw::Other("function")))]), "string, number or boolean"),
        (Raw::Object(vec![("d".into(), entry(Raw::TooDeep))]), "too deep"),
        (Raw::Object(vec![("p".into(), Raw::Str("bare".into()))]), "must be an object"),
        (Raw::Object(vec![("m".into(), Raw::Object(vec![]))]), "value is missing"),
        (Raw::Object(vec![("x".into(), Raw::Object(vec![("value".into(), Raw::Bool(true)), ("extra".into(), Raw::Bool(true))]))]), "unknown property"),
        (Raw::TooDeep, "too deep"),
        (Raw::TooLarge, "more than 100"),
    ];
    for (raw, needle) in cases {
        let e = validate(&raw).unwrap_err();
        assert!(e.0.contains(needle), "{e} should contain {needle}");
    }
}

#[test]
fn entry_limit() {
    let mk = |n: usize| Raw::Object((0..n).map(|i| (format!("k{i}"), entry(Raw::Number(i as f64)))).collect());
    assert_eq!(validate(&mk(100)).unwrap().len(), 100);
    assert!(validate(&mk(101)).is_err());
}

#[test]
fn merge_overrides() {
    let mut a = validate(&Raw::Object(vec![("x".into(), entry(Raw::Number(1.0)))])).unwrap();
    let b = validate(&Raw::Object(vec![("x".into(), entry(Raw::Number(2.0))), ("y".into(), entry(Raw::Bool(false)))])).unwrap();
    a.merge(&b);
    assert_eq!(a.get("x").unwrap().value, Value::Number(2.0));
    assert_eq!(a.len(), 2);
}

fn arb_raw() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        Just(Raw::Null),
        any::<bool>().prop_map(Raw::Bool),
        any::<f64>().prop_map(Raw::Number),
        ".{0,10}".prop_map(Raw::Str),
        Just(Raw::TooDeep),
        Just(Raw::Other("function")),
    ];
    leaf.prop_recursive(3, 30, 5, |inner| {
        proptest::collection::vec((".{0,8}", inner), 0..5).prop_map(Raw::Object)
    })
}

proptest! {
    #[test]
    fn validation_never_panics_and_output_is_within_limits(raw in arb_raw()) {
        if let Ok(ctx) = validate(&raw) {
            prop_assert!(ctx.len() <= MAX_ENTRIES);
            for (k, _) in &ctx.0 { prop_assert!(!RESERVED_KEYS.contains(&k.as_str())); }
            let _: serde_json::Value = serde_json::from_str(&ctx.to_json()).unwrap();
        }
    }
}
