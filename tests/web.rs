//! Binding tests in headless Chromium (`wasm-pack test --headless --chrome`):
//! providers (sync, Promise, callback, twice, timeout), hostile context
//! objects, events and `on()`, typed errors, `exposeAs`, `destroy`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use lcw_sdk::web::create_sdk;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Evaluates a JS function body (test-only helper).
fn js(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::NULL).expect("test JS ran")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

/// Creates an SDK with a short provider timeout and starts recording events.
fn sdk(options: &str) -> lcw_sdk::web::LiveChatSdk {
    js("window.__ev = []; for (const n of ['ready','error','startChat','closeChat','onMaximize']) { \
        if (!window['__l' + n]) { window['__l' + n] = true; \
        window.addEventListener('lcw:' + n, e => window.__ev.push({ name: n, detail: e.detail })); } }");
    let opts = js(&format!("return {options};"));
    create_sdk(Some(opts.unchecked_into())).expect("sdk created")
}

async fn tick(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

fn events(name: &str) -> Vec<JsValue> {
    js("return window.__ev").dyn_into::<js_sys::Array>().unwrap().iter()
        .filter(|e| get(e, "name").as_string().as_deref() == Some(name))
        .map(|e| get(&e, "detail")).collect()
}

fn error_codes() -> Vec<u32> {
    events("error").iter().map(|d| get(d, "errorCode").as_f64().unwrap() as u32).collect()
}

async fn start(sdk: &lcw_sdk::web::LiveChatSdk) {
    JsFuture::from(sdk.start_chat(None).unwrap()).await.unwrap();
}

#[wasm_bindgen_test]
async fn ready_fires_after_create_in_a_microtask() {
    let s = sdk("{}");
    assert!(events("ready").is_empty(), "not synchronously");
    tick(0).await;
    assert_eq!(events("ready").len(), 1);
    s.destroy();
}

#[wasm_bindgen_test]
async fn sync_and_promise_context_providers() {
    let s = sdk("{ providerTimeoutMs: 200 }");
    s.set_context_provider(js("return () => ({ A: { value: 1 } })").unchecked_into()).unwrap();
    start(&s).await;
    let d = &events("startChat")[0];
    assert_eq!(get(&get(&get(d, "context"), "A"), "value").as_f64(), Some(1.0));
    JsFuture::from(s.close_chat().unwrap()).await.unwrap();
    s.set_context_provider(js("return () => new Promise(r => setTimeout(() => r({ B: { value: 'x', isDisplayable: false } }), 20))").unchecked_into()).unwrap();
    start(&s).await;
    let d = &events("startChat")[1];
    assert_eq!(get(&get(&get(d, "context"), "B"), "isDisplayable").as_bool(), Some(false));
    assert!(error_codes().is_empty());
    s.destroy();
}

#[wasm_bindgen_test]
async fn provider_that_never_answers_times_out_with_code_1() {
    let s = sdk("{ providerTimeoutMs: 50 }");
    s.set_context_provider(js("return () => new Promise(() => {})").unchecked_into()).unwrap();
    start(&s).await;
    assert_eq!(error_codes(), vec![1]);
    assert_eq!(events("startChat").len(), 1, "chat starts without context");
    s.destroy();
}

#[wasm_bindgen_test]
async fn cyclic_deep_and_hostile_contexts_are_refused_not_crashed() {
    let s = sdk("{ providerTimeoutMs: 200 }");
    let cases = [
        "const o = { value: 1 }; o.self = o; return () => ({ Loop: o })",
        "let d = { value: 1 }; for (let i = 0; i < 100000; i++) d = { value: d }; return () => ({ Deep: d })",
        "return () => ({ Big: { value: 'x'.repeat(10000000) } })",
        "return () => new Proxy({}, { ownKeys() { throw new Error('trap'); } })",
        "return () => ({ get Getter() { throw new Error('getter'); } })",
        "return () => Object.fromEntries(Array.from({ length: 101 }, (_, i) => ['k' + i, { value: i }]))",
        "return () => ({ Arr: { value: [1, 2] } })",
        "return () => ({ N: { value: NaN } })",
    ];
    for (i, case) in cases.iter().enumerate() {
        s.set_context_provider(js(case).unchecked_into()).unwrap();
        start(&s).await;
        JsFuture::from(s.close_chat().unwrap()).await.unwrap();
        assert_eq!(error_codes().len(), i + 1, "case {i} reported once: {case}");
    }
    assert!(error_codes().iter().all(|c| *c == 1));
    assert_eq!(events("startChat").len(), cases.len());
    s.destroy();
}

#[wasm_bindgen_test]
async fn auth_callback_twice_counts_once_and_bad_tokens_get_codes() {
    let s = sdk("{ providerTimeoutMs: 100 }");
    js("window.__calls = 0; window.__tok = (exp) => { const b = o => btoa(JSON.stringify(o)).replace(/=+$/, ''); \
        return b({ alg: 'HS256' }) + '.' + b({ exp: Math.floor(Date.now() / 1000) + exp }) + '.c2ln'; }");
    s.set_auth_token_provider(js("return cb => { window.__calls++; cb(window.__tok(3600)); cb('garbage'); }").unchecked_into()).unwrap();
    start(&s).await;
    assert!(error_codes().is_empty(), "second callback ignored");
    assert_eq!(get(&events("startChat")[0], "authenticated").as_bool(), Some(true));
    JsFuture::from(s.close_chat().unwrap()).await.unwrap();

    for (provider, code) in [
        ("return cb => { throw new Error('boom'); }", 2),
        ("return () => new Promise(() => {})", 2),
        ("return cb => cb(undefined)", 3),
        ("return () => Promise.resolve('')", 3),
        ("return cb => cb('not.a.jwt')", 4),
        ("return cb => cb(42)", 4),
        ("return cb => cb(window.__tok(-3600))", 4),
    ] {
        js("window.__ev = []");
        s.set_auth_token_provider(js(provider).unchecked_into()).unwrap();
        start(&s).await;
        assert_eq!(error_codes(), vec![code], "{provider}");
        assert!(events("startChat").is_empty(), "{provider}: no chat");
    }
    s.destroy();
}

#[wasm_bindgen_test]
async fn token_is_refreshed_before_expiry() {
    let s = sdk("{}");
    js("window.__calls = 0");
    // Lifetime 6 s: refresh one fifth before exp (at least 1 s) = after ~4.8 s
    // would be too slow for a test, so exp is 2 s away: refresh after 1 s.
    s.set_auth_token_provider(js("return cb => { window.__calls++; const b = o => btoa(JSON.stringify(o)).replace(/=+$/, ''); \
        const now = Math.floor(Date.now() / 1000); cb(b({ alg: 'HS256' }) + '.' + b({ iat: now, exp: now + 2 }) + '.c2ln'); }").unchecked_into()).unwrap();
    start(&s).await;
    assert_eq!(js("return window.__calls").as_f64(), Some(1.0));
    tick(1300).await;
    assert_eq!(js("return window.__calls").as_f64(), Some(2.0), "refreshed once before exp");
    s.destroy();
    tick(1300).await;
    assert_eq!(js("return window.__calls").as_f64(), Some(2.0), "destroy cancels the refresh timer");
}

#[wasm_bindgen_test]
async fn on_subscribes_and_unsubscribes() {
    let s = sdk("{}");
    js("window.__seen = 0");
    let off: Function = JsValue::from(s.on(JsValue::from("startChat").unchecked_into(), js("return () => window.__seen++").unchecked_into()).unwrap()).unchecked_into();
    start(&s).await;
    assert_eq!(js("return window.__seen").as_f64(), Some(1.0));
    let maximized = events("onMaximize").len();
    start(&s).await; // already open: brought up (onMaximize), not started again
    assert_eq!(events("onMaximize").len(), maximized + 1);
    assert_eq!(events("startChat").len(), 1);
    JsFuture::from(s.close_chat().unwrap()).await.unwrap();
    off.call0(&JsValue::NULL).unwrap();
    off.call0(&JsValue::NULL).unwrap(); // twice is harmless
    start(&s).await;
    assert_eq!(js("return window.__seen").as_f64(), Some(1.0));
    let err = s.on(JsValue::from("bogus").unchecked_into(), js("return () => {}").unchecked_into()).err().unwrap();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("LCW_UNKNOWN_EVENT"));
    assert!(err.is_instance_of::<js_sys::Error>());
    s.destroy();
}

#[wasm_bindgen_test]
fn typed_errors_and_expose_as() {
    let s = sdk("{}");
    let e = s.set_context_provider(JsValue::from(5).unchecked_into()).unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("LiveChatSdkError"));
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("LCW_INVALID_ARGUMENT"));
    s.expose_as("Test.Nested.SDK".into()).unwrap();
    assert!(js("return typeof window.Test.Nested.SDK.startChat").as_string().as_deref() == Some("function"));
    js("window.Taken = 5");
    let e = s.expose_as("Taken.SDK".into()).unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("LCW_INVALID_PATH"));
    // Not a string: a typed error (a `&str` parameter trapped the module).
    let e = s.expose_as(JsValue::from(5)).unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("LCW_INVALID_ARGUMENT"));
    let e = s.reset_visits(JsValue::from(true)).unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("LCW_INVALID_ARGUMENT"));
    s.destroy();
    let e = s.set_context_provider(js("return () => ({})").unchecked_into()).unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("LCW_DESTROYED"));
}

// ---- proactive engine host services and rule loading ----

#[wasm_bindgen_test]
fn intl_timezone_offsets_and_unknown_zone() {
    use lcw_sdk::core::triggers::TimeZoneDb;
    let tz = lcw_sdk::web::proactive::host::IntlTz::default();
    // 2025-01-15T12:00Z (winter) and 2025-07-15T12:00Z (summer).
    let (winter, summer) = (1_736_942_400_000i64, 1_752_580_800_000i64);
    assert_eq!(tz.utc_offset_minutes("Europe/Paris", winter), Ok(60));
    assert_eq!(tz.utc_offset_minutes("Europe/Paris", summer), Ok(120));
    assert_eq!(tz.utc_offset_minutes("America/New_York", winter), Ok(-300));
    assert_eq!(tz.utc_offset_minutes("Asia/Kolkata", summer), Ok(330));
    assert_eq!(tz.utc_offset_minutes("UTC", summer), Ok(0));
    assert!(tz.utc_offset_minutes("Mars/Olympus", winter).is_err());
}

#[wasm_bindgen_test]
fn json_floats_use_the_browsers_exact_conversions() {
    use lcw_sdk::core::json::{self, Number, Value};
    lcw_sdk::web::numbers::install();
    // Numbers a 1-ulp error would change; each must read back exactly.
    for x in [0.1, 0.30000000000000004, 19.99, 1.5e-7, 6.02214076e23, 1e21, 2.2250738585072014e-308, 1.7976931348623157e308, -1.0 / 3.0] {
        let text = json::to_string(&x);
        assert_eq!(json::parse(&text).unwrap(), Value::Number(Number::F(x)), "{text}");
    }
    assert_eq!(json::to_string(&0.1), "0.1", "shortest form");
    assert_eq!(json::to_string(&2.5e-7), "2.5e-7");
    assert_eq!(json::parse("1e400").map_err(|e| e.to_string().contains("out of range")), Err(true));
}

#[wasm_bindgen_test]
fn js_regexp_engine() {
    use lcw_sdk::core::triggers::RegexEngine;
    let mut re = lcw_sdk::web::proactive::host::JsRegex::default();
    let id = re.compile("^/cases/\\d+$", false).unwrap();
    assert!(re.is_match(id, "/cases/42"));
    assert!(!re.is_match(id, "/cases/x"));
    let ci = re.compile("pricing", true).unwrap();
    assert!(re.is_match(ci, "/PRICING"));
    assert!(re.compile("(", false).unwrap_err().contains("invalid regex"));
    assert!(!re.is_match(99, "anything"), "unknown handle");
    // Each regex remembers its last text and answer: the same answers when
    // a text is asked again, and when texts and regexes alternate.
    for _ in 0..2 {
        assert!(re.is_match(id, "/cases/42"));
        assert!(re.is_match(id, "/cases/42"));
        assert!(!re.is_match(id, "/cases/x"));
        assert!(re.is_match(ci, "/PRICING"));
        assert!(!re.is_match(ci, "/about"));
        assert!(!re.is_match(id, "/cases/42/"), "a longer text is not the remembered one");
    }
}

#[wasm_bindgen_test]
async fn proactive_rules_from_options_string_and_cyclic_object() {
    let s = sdk("{ proactiveRules: '[{\"id\":\"ok\",\"when\":{\"type\":\"timeOnPage\",\"ms\":600000}},{\"id\":\"typo\",\"when\":{\"type\":\"timeOnPages\",\"ms\":1}}]' }");
    tick(0).await;
    let errs = events("error");
    assert_eq!(error_codes(), vec![11]);
    assert!(get(&errs[0], "errorDescription").as_string().unwrap().contains("typo"));
    s.destroy();
    let s = sdk("(() => { const r = [{ id: 'x', when: { type: 'timeOnPage', ms: 1000 } }]; r[0].self = r; return { proactiveRules: r }; })()");
    tick(0).await;
    assert_eq!(error_codes(), vec![11], "a cyclic rules object is reported, not a crash");
    assert_eq!(events("ready").len(), 1);
    s.destroy();
}

/// The debug build's wasm shadow stack is 256 KiB (.cargo/config.toml; the
/// release build's, smaller, is checked by tests/e2e/stack.test.mjs): rules nested as
/// deep as serde_json parses (128) are read in full and refused by the
/// engine's nesting limit, deeper ones by the parser; neither crashes.
#[wasm_bindgen_test]
async fn deeply_nested_rules_fit_the_stack() {
    for (depth, ok) in [(8, true), (120, false), (100_000, false)] {
        let rules = format!(
            "{{ proactiveRules: '[{{\"id\":\"deep\",\"when\":' + '{{\"type\":\"not\",\"of\":'.repeat({depth}) \
             + '{{\"type\":\"timeOnPage\",\"ms\":600000}}' + '}}'.repeat({depth}) + '}}]' }}"
        );
        let s = sdk(&rules);
        tick(0).await;
        assert_eq!(error_codes().is_empty(), ok, "depth {depth}: {:?}", error_codes());
        assert_eq!(events("ready").len(), 1, "depth {depth}: ready, not a crash");
        s.destroy();
    }
}
