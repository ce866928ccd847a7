use super::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::prelude::*;

const NOW: u64 = 1_800_000_000;

fn token(header: &str, payload: &str) -> String {
    format!("{}.{}.c2ln", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload))
}

#[test]
fn accepts_a_valid_token() {
    let t = token(r#"{"alg":"RS256","typ":"JWT"}"#, &format!(r#"{{"sub":"c-1","exp":{},"nbf":{}}}"#, NOW + 600, NOW - 5));
    let c = check(&t, NOW, 60).unwrap();
    assert_eq!(c.sub.as_deref(), Some("c-1"));
    assert_eq!(c.exp, Some(NOW + 600));
}

#[test]
fn time_claims_with_leeway() {
    let exp = |e: u64| token(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{e}}}"#));
    assert!(check(&exp(NOW - 30), NOW, 60).is_ok(), "within leeway");
    assert_eq!(check(&exp(NOW - 60), NOW, 60), Err(JwtError::Expired { exp: NOW - 60 }));
    let nbf = |n: u64| token(r#"{"alg":"HS256"}"#, &format!(r#"{{"nbf":{n}}}"#));
    assert!(check(&nbf(NOW + 60), NOW, 60).is_ok());
    assert_eq!(check(&nbf(NOW + 61), NOW, 60), Err(JwtError::NotYetValid { nbf: NOW + 61 }));
    let frac = token(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}.5}}"#, NOW + 100));
    assert_eq!(check(&frac, NOW, 0).unwrap().exp, Some(NOW + 100));
}

#[test]
fn refuses_malformed_tokens() {
    let good_h = r#"{"alg":"HS256"}"#;
    let cases = [
        String::new(),
        "abc".into(),
        "a.b".into(),
        "a.b.c.d".into(),
        format!("{}.", token(good_h, "{}")),
        token(good_h, "{}").trim_end_matches("c2ln").to_string(),
        token(r#"{"alg":"none"}"#, "{}"),
        token(r#"{"typ":"JWT"}"#, "{}"),
        token(good_h, "[1,2]"),
        token(good_h, r#"{"exp":"tomorrow"}"#),
        token(good_h, r#"{"exp":-5}"#),
        token(good_h, r#"{"exp":1e300}"#),
        "!!!.e30.c2ln".into(),
        "x".repeat(9000),
    ];
    for t in cases {
        assert!(check(&t, NOW, 60).is_err(), "accepted {t:?}");
    }
}

#[test]
fn refresh_schedule() {
    let c = Claims { exp: Some(NOW + 3600), nbf: None, iat: Some(NOW), sub: None };
    assert_eq!(refresh_delay_ms(&c, NOW * 1000), Some((3600 - 300) * 1000));
    let short = Claims { exp: Some(NOW + 10), iat: Some(NOW), ..c.clone() };
    assert_eq!(refresh_delay_ms(&short, NOW * 1000), Some(8000));
    let past = Claims { exp: Some(NOW - 10), iat: None, ..c.clone() };
    assert_eq!(refresh_delay_ms(&past, NOW * 1000), Some(1000));
    assert_eq!(refresh_delay_ms(&Claims { exp: None, ..c }, NOW * 1000), None);
}

proptest! {
    #[test]
    fn never_panics_on_any_string(s in ".{0,200}") {
        let _ = check(&s, NOW, 60);
    }

    #[test]
    fn never_panics_on_any_payload_bytes(h in proptest::collection::vec(any::<u8>(), 0..60),
                                          p in proptest::collection::vec(any::<u8>(), 0..60)) {
        let t = format!("{}.{}.c2ln", URL_SAFE_NO_PAD.encode(&h), URL_SAFE_NO_PAD.encode(&p));
        let _ = check(&t, NOW, 60);
    }

    #[test]
    fn base64url_decodes_like_the_base64_crate(s in "[A-Za-z0-9_=+/ -]{0,40}", bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        prop_assert_eq!(base64url(&s), URL_SAFE_NO_PAD.decode(&s).ok(), "{:?}", s);
        let encoded = URL_SAFE_NO_PAD.encode(&bytes);
        prop_assert_eq!(base64url(&encoded), Some(bytes));
    }

    #[test]
    fn exp_decides_validity(offset in -10_000i64..10_000) {
        let exp = (NOW as i64 + offset) as u64;
        let t = token(r#"{"alg":"ES256"}"#, &format!(r#"{{"exp":{exp}}}"#));
        prop_assert_eq!(check(&t, NOW, 60).is_ok(), offset > -60);
    }
}

#[test]
fn json_parts_must_be_utf8() {
    // The parts are read as text (one JSON reader in the wasm build): bytes
    // that are not UTF-8 are refused even inside a claim nobody reads, as
    // RFC 7519 / RFC 8259 require (serde_json's byte reader skipped them).
    let h = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#);
    let p = URL_SAFE_NO_PAD.encode(b"{\"x\":\"\xff\"}");
    assert_eq!(check(&format!("{h}.{p}.c2ln"), NOW, 60), Err(JwtError::BadJson("payload is not a JSON object of claims")));
    assert!(check(&token(r#"{"alg":"HS256"}"#, r#"{"x":"é"}"#), NOW, 60).is_ok());
}
