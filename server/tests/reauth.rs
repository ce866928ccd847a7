//! Token expiry mid-chat (`jwt` auth mode): once the visitor JWT has expired,
//! visitor frames are refused with `auth_expired` and nothing is stored; a
//! fresh token for the same `sub` (auth frame, hello, HTTP) lets the resend
//! through once; agents are never affected.

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use lcw_sdk::core::protocol::{AuthMode, ClientFrame, ErrorCode, ServerFrame};
use lcw_server::config::{JwtConfig, ServerConfig};
use serde_json::{json, Value};

const SECRET: &str = "reauth-secret-0123456789";

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

fn token(sub: &str, exp: u64) -> String {
    encode(&Header::new(Algorithm::HS256), &json!({ "sub": sub, "exp": exp }), &EncodingKey::from_secret(SECRET.as_bytes())).unwrap()
}

/// The demo setup plus widget `jwt` (HS256, leeway 0).
fn jwt_config() -> ServerConfig {
    let mut cfg = config(":memory:");
    let mut w = cfg.widgets[0].clone();
    w.id = "jwt".into();
    w.config.widget_id = "jwt".into();
    w.auth_mode = AuthMode::Jwt;
    w.jwt = Some(JwtConfig { alg: "HS256".into(), secret: Some(SECRET.into()), leeway_secs: 0, ..Default::default() });
    cfg.widgets.push(w);
    cfg
}

/// Starts a chat on `widget`; returns (conversation id, session token).
async fn start_with(s: &lcw_server::RunningServer, widget: &str, auth: Option<String>) -> (String, String) {
    let (st, v) = post(&format!("{}/v1/conversations", base(s)), json!({ "widgetId": widget, "authToken": auth }), None).await;
    assert_eq!(st, 201, "{v}");
    (v["conversation"]["id"].as_str().unwrap().into(), v["sessionToken"].as_str().unwrap().into())
}

async fn hello(s: &lcw_server::RunningServer, session: &str, auth_token: Option<String>) -> Ws {
    let mut ws = Ws::connect(s, "/v1/ws", &[]).await.expect("connect");
    ws.send(&ClientFrame::Hello { session_token: Some(session.into()), last_seq: 0, auth_token, call_id: None, call_key: None }).await;
    ws
}

async fn welcome_expiry(ws: &mut Ws) -> Option<i64> {
    match ws.next().await {
        Some(ServerFrame::Welcome { auth_expires_at, .. }) => auth_expires_at,
        other => panic!("expected welcome, got {other:?}"),
    }
}

/// The next `error` or `ack` (skipping messages and updates).
async fn answer(ws: &mut Ws) -> ServerFrame {
    ws.until(|f| matches!(f, ServerFrame::Error { .. } | ServerFrame::Ack { .. } | ServerFrame::AuthOk { .. })).await
}

fn error_of(f: &ServerFrame) -> (ErrorCode, Option<&str>) {
    match f {
        ServerFrame::Error { code, client_id, .. } => (*code, client_id.as_deref()),
        other => panic!("expected an error frame, got {other:?}"),
    }
}

async fn visitor_texts(s: &lcw_server::RunningServer, conv: &str, session: &str) -> Vec<String> {
    let r = http().get(format!("{}/v1/conversations/{conv}/messages", base(s))).bearer_auth(session).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    v["messages"].as_array().unwrap().iter().filter(|m| m["sender"] == "visitor").map(|m| m["text"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn expired_token_refuses_visitor_frames_until_a_fresh_one() {
    let s = start(jwt_config()).await;
    let b = base(&s);
    let exp = now() + 1;
    let (conv, session) = start_with(&s, "jwt", Some(token("cust-1", exp))).await;
    let mut v = hello(&s, &session, None).await;
    assert_eq!(welcome_expiry(&mut v).await, Some(exp as i64 * 1000), "welcome says the expiry is enforced");
    v.say(None, "c-0", "before").await;
    assert!(matches!(answer(&mut v).await, ServerFrame::Ack { seq: 1, .. }));
    let mut agent = Ws::agent(&s, "alice", "pw-alice").await;
    agent.next().await;
    agent.send(&ClientFrame::Accept { conversation_id: conv.clone() }).await;

    // Leeway 0: expired once the clock passes exp (to the second, as at start).
    let wait_ms = ((exp + 1) * 1000).saturating_sub(chrono::Utc::now().timestamp_millis() as u64) + 50;
    tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;

    v.say(None, "c-1", "late").await;
    assert_eq!(error_of(&answer(&mut v).await), (ErrorCode::AuthExpired, Some("c-1")), "refused, not dropped");
    v.send(&ClientFrame::Typing { conversation_id: None, is_typing: true }).await;
    assert_eq!(error_of(&answer(&mut v).await), (ErrorCode::AuthExpired, None));
    let (st, body) = post(&format!("{b}/v1/conversations/{conv}/messages"), json!({ "clientId": "c-2", "text": "over http" }), Some(&session)).await;
    assert_eq!((st, body["code"].as_str()), (401, Some("auth_expired")));
    let up = http().post(format!("{b}/v1/conversations/{conv}/attachments?name=a.png")).bearer_auth(&session).header("content-type", "image/png").body(vec![1u8]).send().await.unwrap();
    assert_eq!(up.status().as_u16(), 401);
    // The agent side is unaffected; reading stays open to the session.
    agent.say(Some(&conv), "a-1", "agent still talks").await;
    v.until(|f| is_msg(f, "agent still talks")).await;
    assert_eq!(visitor_texts(&s, &conv, &session).await, ["before"], "nothing refused was stored");

    // Refused tokens: another visitor, a bad signature, an expired one.
    let forged = encode(&Header::new(Algorithm::HS256), &json!({ "sub": "cust-1", "exp": now() + 600 }), &EncodingKey::from_secret(b"other")).unwrap();
    for (what, t) in [("other sub", token("cust-2", now() + 600)), ("bad signature", forged), ("expired", token("cust-1", now() - 10))] {
        v.send(&ClientFrame::Auth { token: t }).await;
        assert_eq!(error_of(&answer(&mut v).await), (ErrorCode::InvalidToken, None), "{what}");
    }
    v.say(None, "c-1", "late").await;
    assert_eq!(error_of(&answer(&mut v).await), (ErrorCode::AuthExpired, Some("c-1")), "a refused token changes nothing");

    // A fresh token for the same sub: accepted; the resend goes through once.
    let fresh = now() + 600;
    v.send(&ClientFrame::Auth { token: token("cust-1", fresh) }).await;
    assert_eq!(answer(&mut v).await, ServerFrame::AuthOk { expires_at: fresh as i64 * 1000 });
    v.say(None, "c-1", "late").await;
    let first = answer(&mut v).await;
    assert!(matches!(&first, ServerFrame::Ack { client_id, duplicate: false, .. } if client_id == "c-1"), "{first:?}");
    v.say(None, "c-1", "late").await;
    assert!(matches!(answer(&mut v).await, ServerFrame::Ack { duplicate: true, .. }), "a second resend is a duplicate");
    agent.until(|f| is_msg(f, "late")).await;
    assert_eq!(visitor_texts(&s, &conv, &session).await, ["before", "late"]);
    s.stop().await;
}

#[tokio::test]
async fn hello_and_http_renew_the_token_and_anonymous_widgets_are_unaffected() {
    let s = start(jwt_config()).await;
    let b = base(&s);
    let exp = now() + 300;
    let (conv, session) = start_with(&s, "jwt", Some(token("cust-9", exp))).await;

    // A hello with another visitor's token: welcome, then invalid_token; the
    // recorded (valid) token still lets messages through.
    let mut v = hello(&s, &session, Some(token("someone-else", now() + 900))).await;
    assert_eq!(welcome_expiry(&mut v).await, Some(exp as i64 * 1000));
    assert_eq!(error_of(&answer(&mut v).await), (ErrorCode::InvalidToken, None));
    v.say(None, "h-1", "still fine").await;
    assert!(matches!(answer(&mut v).await, ServerFrame::Ack { .. }));

    // A hello with a newer token of the same sub records its expiry.
    let later = now() + 900;
    let mut v2 = hello(&s, &session, Some(token("cust-9", later))).await;
    assert_eq!(welcome_expiry(&mut v2).await, Some(later as i64 * 1000));
    // An older token never shortens the recorded expiry.
    let mut v3 = hello(&s, &session, Some(token("cust-9", exp))).await;
    assert_eq!(welcome_expiry(&mut v3).await, Some(later as i64 * 1000));

    // HTTP equivalent of the auth frame.
    let url = format!("{b}/v1/conversations/{conv}/auth");
    let (st, body) = post(&url, json!({ "authToken": token("someone-else", later) }), Some(&session)).await;
    assert_eq!((st, body["code"].as_str()), (401, Some("invalid_token")));
    let newest = now() + 1200;
    let (st, body) = post(&url, json!({ "authToken": token("cust-9", newest) }), Some(&session)).await;
    assert_eq!((st, body["expiresAt"].as_i64()), (200, Some(newest as i64 * 1000)));
    let (st, body) = post(&url, json!({ "authToken": token("cust-9", newest) }), Some("not-a-session")).await;
    assert_eq!((st, body["code"].as_str()), (401, Some("invalid_session")));

    // An anonymous widget: nothing enforced, tokens not accepted.
    let (_, anon) = start_with(&s, "demo", None).await;
    let mut a = hello(&s, &anon, None).await;
    assert_eq!(welcome_expiry(&mut a).await, None);
    a.send(&ClientFrame::Auth { token: token("cust-9", newest) }).await;
    assert_eq!(error_of(&answer(&mut a).await), (ErrorCode::InvalidToken, None));
    a.say(None, "a-1", "anonymous").await;
    assert!(matches!(answer(&mut a).await, ServerFrame::Ack { .. }));
    s.stop().await;
}
