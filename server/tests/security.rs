//! Every security rule refuses what it should, with its documented error code.

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use lcw_sdk::core::protocol::{AuthMode, ClientFrame, ServerFrame};
use lcw_server::config::{JwtConfig, ServerConfig, WidgetSettings};
use serde_json::{json, Value};

const SECRET: &str = "test-secret-0123456789";
const RSA_PRIV: &str = include_str!("fixtures/rs256_private.pem");
const RSA_PUB: &str = include_str!("fixtures/rs256_public.pem");

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn widget(id: &str, base: &WidgetSettings) -> WidgetSettings {
    let mut w = base.clone();
    w.id = id.into();
    w.config.widget_id = id.into();
    w
}

fn secure_config() -> ServerConfig {
    let mut cfg = config(":memory:");
    cfg.country_header = Some("x-country".into());
    let demo = cfg.widgets[0].clone();
    let mut strict = widget("strict", &demo);
    strict.blocked_countries = vec!["KP".into()];
    strict.config.max_message_chars = 10;
    strict.config.files.allowed_mime_types = vec!["image/*".into(), "application/pdf".into()];
    strict.config.files.max_size_bytes = 10;
    let mut nofiles = widget("nofiles", &demo);
    nofiles.config.files.enabled = false;
    let mut jwt = widget("jwt", &demo);
    jwt.auth_mode = AuthMode::Jwt;
    jwt.jwt = Some(JwtConfig { alg: "HS256".into(), secret: Some(SECRET.into()), leeway_secs: 5, ..Default::default() });
    let mut rsa = widget("rsa", &demo);
    rsa.auth_mode = AuthMode::Jwt;
    rsa.jwt = Some(JwtConfig { alg: "RS256".into(), public_key_pem: Some(RSA_PUB.into()), leeway_secs: 5, ..Default::default() });
    let mut cookie = widget("cookie", &demo);
    cookie.auth_mode = AuthMode::SecureCookie;
    cookie.session_lifetime_minutes = 30;
    cfg.widgets.extend([strict, nofiles, jwt, rsa, cookie]);
    cfg
}

async fn start_status(s: &lcw_server::RunningServer, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut r = http().post(format!("{}/v1/conversations", base(s))).json(&body);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let resp = r.send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null))
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or("")
}

fn hs(claims: Value, alg: Algorithm) -> String {
    encode(&Header::new(alg), &claims, &EncodingKey::from_secret(SECRET.as_bytes())).unwrap()
}

#[tokio::test]
async fn origin_allowlist_and_cors() {
    let s = start(secure_config()).await;
    let b = base(&s);
    let (st, v) = start_status(&s, json!({ "widgetId": "demo" }), &[("origin", "http://evil.test")]).await;
    assert_eq!((st, code(&v)), (403, "origin_not_allowed"));
    let cfg = http().get(format!("{b}/v1/widgets/demo/config")).header("origin", "http://evil.test").send().await.unwrap();
    assert_eq!(cfg.status().as_u16(), 403);
    let (st, _) = start_status(&s, json!({ "widgetId": "demo" }), &[("origin", "https://www.shop.test")]).await;
    assert_eq!(st, 201);
    // CORS follows the allowlist.
    let pre = |origin: &'static str| {
        http()
            .request(reqwest::Method::OPTIONS, format!("{b}/v1/conversations"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = pre("http://shop.test").await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], "http://shop.test");
    assert!(pre("http://evil.test").await.unwrap().headers().get("access-control-allow-origin").is_none());
    // The visitor socket refuses a foreign origin at the upgrade.
    assert!(Ws::connect(&s, "/v1/ws", &[("origin", "http://evil.test")]).await.is_err());
    s.stop().await;
}

#[tokio::test]
async fn country_message_size_and_attachment_rules() {
    let s = start(secure_config()).await;
    let b = base(&s);
    let (st, v) = start_status(&s, json!({ "widgetId": "strict" }), &[("x-country", "KP")]).await;
    assert_eq!((st, code(&v)), (403, "country_blocked"));
    let (st, v) = start_status(&s, json!({ "widgetId": "strict" }), &[("x-country", "FR")]).await;
    assert_eq!(st, 201);
    let id = v["conversation"]["id"].as_str().unwrap().to_string();
    let tok = v["sessionToken"].as_str().unwrap().to_string();

    let mut ws = Ws::visitor(&s, &tok, 0).await;
    ws.say(None, "long", "01234567890").await;
    match ws.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, client_id, .. } => assert_eq!((code.as_str(), client_id.as_deref()), ("message_too_large", Some("long"))),
        _ => unreachable!(),
    }
    let up = |mime: &'static str, body: Vec<u8>, id: String, tok: String| {
        http().post(format!("{b}/v1/conversations/{id}/attachments?name=f")).bearer_auth(tok).header("content-type", mime).body(body).send()
    };
    let r = up("text/html", vec![1], id.clone(), tok.clone()).await.unwrap();
    assert_eq!(r.status().as_u16(), 415);
    let v: Value = r.json().await.unwrap();
    assert_eq!(code(&v), "attachment_type_not_allowed");
    assert!(v["message"].as_str().unwrap().contains("image/*"), "names what is allowed");
    let r = up("image/png", vec![0; 11], id.clone(), tok.clone()).await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(code(&r.json().await.unwrap()), "attachment_too_large");
    assert_eq!(up("image/png", vec![0; 10], id.clone(), tok.clone()).await.unwrap().status().as_u16(), 201);
    assert_eq!(up("application/pdf", vec![0; 3], id.clone(), tok.clone()).await.unwrap().status().as_u16(), 201);

    let (_, v) = start_status(&s, json!({ "widgetId": "nofiles" }), &[]).await;
    let r = up("image/png", vec![1], v["conversation"]["id"].as_str().unwrap().into(), v["sessionToken"].as_str().unwrap().into()).await.unwrap();
    assert_eq!(code(&r.json().await.unwrap()), "attachments_disabled");

    // Unknown session token; session of another conversation.
    let (st, v) = post(&format!("{b}/v1/conversations/resume"), json!({ "sessionToken": "nope" }), None).await;
    assert_eq!((st, code(&v)), (401, "invalid_session"));
    let (st, v) = post(&format!("{b}/v1/conversations/other/close"), json!({}), Some(&tok)).await;
    assert_eq!((st, code(&v)), (403, "forbidden"));
    s.stop().await;
}

#[tokio::test]
async fn jwt_hs256_and_rs256_rules() {
    let s = start(secure_config()).await;
    let exp = now() + 600;
    let (st, v) = start_status(&s, json!({ "widgetId": "jwt" }), &[]).await;
    assert_eq!((st, code(&v)), (401, "auth_required"));
    let bad_sig = encode(&Header::new(Algorithm::HS256), &json!({ "sub": "c1", "exp": exp }), &EncodingKey::from_secret(b"other")).unwrap();
    let cases = [
        ("bad signature", bad_sig),
        ("expired", hs(json!({ "sub": "c1", "exp": now() - 600 }), Algorithm::HS256)),
        ("not yet valid", hs(json!({ "sub": "c1", "exp": exp, "nbf": now() + 600 }), Algorithm::HS256)),
        ("alg not pinned one", hs(json!({ "sub": "c1", "exp": exp }), Algorithm::HS512)),
        ("no sub", hs(json!({ "exp": exp }), Algorithm::HS256)),
        ("garbage", "a.b.c".to_string()),
    ];
    for (what, tok) in cases {
        let (st, v) = start_status(&s, json!({ "widgetId": "jwt", "authToken": tok }), &[]).await;
        assert_eq!((st, code(&v)), (401, "invalid_token"), "{what}: {v}");
    }
    // Valid: sub becomes the customer id; another device gets the same conversation.
    let good = hs(json!({ "sub": "cust-42", "exp": exp }), Algorithm::HS256);
    let (st, first) = start_status(&s, json!({ "widgetId": "jwt", "authToken": good }), &[]).await;
    assert_eq!(st, 201);
    assert_eq!(first["conversation"]["customerId"], "cust-42");
    let (_, second) = start_status(&s, json!({ "widgetId": "jwt", "authToken": hs(json!({ "sub": "cust-42", "exp": exp }), Algorithm::HS256) }), &[]).await;
    assert_eq!(second["resumed"], true);
    assert_eq!(second["conversation"]["id"], first["conversation"]["id"]);
    assert_ne!(second["sessionToken"], first["sessionToken"]);

    // RS256 pinned: a real RS256 token passes, an HS256 token keyed with the public key does not.
    let rs = encode(&Header::new(Algorithm::RS256), &json!({ "sub": "r1", "exp": exp }), &EncodingKey::from_rsa_pem(RSA_PRIV.as_bytes()).unwrap()).unwrap();
    let (st, _) = start_status(&s, json!({ "widgetId": "rsa", "authToken": rs }), &[]).await;
    assert_eq!(st, 201);
    let confused = encode(&Header::new(Algorithm::HS256), &json!({ "sub": "r1", "exp": exp }), &EncodingKey::from_secret(RSA_PUB.as_bytes())).unwrap();
    let (st, v) = start_status(&s, json!({ "widgetId": "rsa", "authToken": confused }), &[]).await;
    assert_eq!((st, code(&v)), (401, "invalid_token"));
    // A token sent to an anonymous widget without JWT settings is refused, not ignored.
    let (_, v) = start_status(&s, json!({ "widgetId": "demo", "authToken": good_token() }), &[]).await;
    assert_eq!(code(&v), "invalid_token");
    s.stop().await;
}

fn good_token() -> String {
    hs(json!({ "sub": "x", "exp": now() + 60 }), Algorithm::HS256)
}

#[tokio::test]
async fn secure_cookie_mode_and_agent_auth() {
    let s = start(secure_config()).await;
    let b = base(&s);
    let r = http().post(format!("{b}/v1/conversations")).json(&json!({ "widgetId": "cookie" })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    for part in ["lcw_session=", "HttpOnly", "Secure", "SameSite=None", "Max-Age=1800"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sessionToken"], "", "token not exposed to page script");
    let pair = cookie.split(';').next().unwrap().to_string();
    let r = http().post(format!("{b}/v1/conversations/resume")).header("cookie", pair.clone()).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let mut ws = Ws::connect(&s, "/v1/ws", &[("cookie", &pair)]).await.unwrap();
    ws.send(&ClientFrame::Hello { session_token: None, last_seq: 0, auth_token: None, call_id: None, call_key: None }).await;
    assert!(matches!(ws.next().await, Some(ServerFrame::Welcome { .. })));

    let (st, v) = post(&format!("{b}/v1/agent/login"), json!({ "username": "alice", "password": "wrong" }), None).await;
    assert_eq!((st, code(&v)), (401, "unauthorized"));
    let r = http().get(format!("{b}/v1/agent/conversations")).bearer_auth("forged").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let mut ws = Ws::connect(&s, "/v1/agent/ws", &[]).await.unwrap();
    ws.send(&ClientFrame::AgentHello { token: "forged".into() }).await;
    assert!(matches!(ws.next().await, Some(ServerFrame::Error { code, .. }) if code.as_str() == "unauthorized"));
    s.stop().await;
}

#[tokio::test]
async fn ip_blocklist_rate_limits_and_closed_queue() {
    let mut cfg = config(":memory:");
    cfg.trusted_ip_header = Some("x-forwarded-for".into());
    cfg.blocked_ips = vec!["203.0.113.0/24".into()];
    cfg.rate_limits.per_ip_per_minute = 8;
    cfg.rate_limits.per_conversation_per_minute = 3;
    let s = start(cfg).await;
    let b = base(&s);
    let r = http().get(format!("{b}/v1/widgets/demo/config")).header("x-forwarded-for", "203.0.113.7, 10.0.0.1").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(code(&r.json().await.unwrap()), "ip_blocked");

    let st = start_chat(&s, json!({})).await; // request 1 from 127.0.0.1
    let mut ws = Ws::visitor(&s, &st.session_token, 0).await; // request 2
    for i in 0..4 {
        ws.say(None, &format!("r{i}"), "hi").await;
    }
    match ws.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, client_id, retry_after_ms, interval_ms, .. } => {
            assert_eq!((code.as_str(), client_id.as_deref()), ("rate_limited", Some("r3")));
            // 3 a minute: the next token in about 20 s, said in the frame,
            // and the pace after it: one every 20 s.
            assert!(retry_after_ms.is_some_and(|ms| (15_000..=20_000).contains(&ms)), "{retry_after_ms:?}");
            assert_eq!(interval_ms, Some(20_000));
        }
        _ => unreachable!(),
    }
    let mut last = None;
    for _ in 0..10 {
        let r = http().get(format!("{b}/v1/widgets/demo/config")).send().await.unwrap();
        if r.status().as_u16() == 429 {
            last = Some(r.json::<Value>().await.unwrap());
            break;
        }
    }
    let v = last.expect("per-IP limit reached");
    assert_eq!(code(&v), "rate_limited");
    assert!(v["retryAfterMs"].as_u64().unwrap() > 0);
    s.stop().await;

    // Without a trusted header configured, X-Forwarded-For cannot spoof or dodge.
    let mut cfg = config(":memory:");
    cfg.blocked_ips = vec!["203.0.113.0/24".into()];
    let mut q = cfg.queues[0].clone();
    let closed_day = (chrono::Utc::now() + chrono::Duration::days(3)).format("%a").to_string();
    q.hours = vec![lcw_server::config::HoursRule { days: vec![closed_day], open: "00:00".into(), close: "24:00".into() }];
    cfg.queues[0] = q;
    let s = start(cfg).await;
    let b = base(&s);
    let r = http().get(format!("{b}/v1/widgets/demo/availability")).header("x-forwarded-for", "203.0.113.7").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let av: Value = r.json().await.unwrap();
    assert_eq!(av["isQueueAvailable"], false);
    assert!(av["nextWindow"]["start"].as_i64().unwrap() > chrono::Utc::now().timestamp_millis());
    let (st, v) = start_status(&s, json!({ "widgetId": "demo" }), &[]).await;
    assert_eq!((st, code(&v)), (503, "queue_unavailable"));
    s.stop().await;
}
