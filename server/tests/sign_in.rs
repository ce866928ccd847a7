//! Agent sign-ins have a time limit (`agent_session_hours`): a refreshed
//! token never outlives the password login it descends from.

mod common;

use common::*;
use lcw_sdk::core::protocol::{ClientFrame, ServerFrame};
use serde_json::{json, Value};

const HOUR: i64 = 3_600_000;

async fn login(s: &lcw_server::RunningServer) -> Value {
    let (st, v) = post(&format!("{}/v1/agent/login", base(s)), json!({ "username": "alice", "password": "pw-alice" }), None).await;
    assert_eq!(st, 200, "{v}");
    v
}

async fn refresh(s: &lcw_server::RunningServer, token: &str) -> (u16, Value) {
    post(&format!("{}/v1/agent/refresh", base(s)), json!({}), Some(token)).await
}

fn field(v: &Value, name: &str) -> i64 {
    v[name].as_i64().unwrap_or_else(|| panic!("{name} in {v}"))
}

async fn welcomed(s: &lcw_server::RunningServer, token: &str) -> bool {
    let mut ws = Ws::connect(s, "/v1/agent/ws", &[]).await.expect("connect");
    ws.send(&ClientFrame::AgentHello { token: token.into() }).await;
    matches!(ws.next().await, Some(ServerFrame::AgentWelcome { .. }))
}

#[tokio::test]
async fn login_and_refresh_say_when_the_sign_in_ends_and_no_token_outlives_it() {
    // Defaults: tokens last 12 h, a sign-in 24 h.
    let s = start(config(":memory:")).await;
    let first = login(&s).await;
    let until = field(&first, "signedInUntil");
    assert_eq!(until - field(&first, "expiresAt"), 12 * HOUR, "both from the login's time: {first}");
    let (st, second) = refresh(&s, first["token"].as_str().unwrap()).await;
    assert_eq!(st, 200, "{second}");
    assert_eq!(field(&second, "signedInUntil"), until, "a refresh keeps the sign-in's end");
    assert!(field(&second, "expiresAt") >= field(&first, "expiresAt"));
    s.stop().await;

    // A sign-in shorter than a token's lifetime: every token ends with it.
    let mut cfg = config(":memory:");
    cfg.agent_session_hours = 1;
    let s = start(cfg).await;
    let first = login(&s).await;
    let until = field(&first, "signedInUntil");
    assert_eq!(field(&first, "expiresAt"), until, "the token is cut to the sign-in's end");
    let (st, second) = refresh(&s, first["token"].as_str().unwrap()).await;
    assert_eq!(st, 200, "{second}");
    assert_eq!((field(&second, "expiresAt"), field(&second, "signedInUntil")), (until, until), "and so is a refreshed one");
    s.stop().await;

    // No limit: no end to tell.
    let mut cfg = config(":memory:");
    cfg.agent_session_hours = 0;
    let s = start(cfg).await;
    let first = login(&s).await;
    assert!(first.get("signedInUntil").is_none(), "{first}");
    let (st, second) = refresh(&s, first["token"].as_str().unwrap()).await;
    assert_eq!(st, 200);
    assert!(second.get("signedInUntil").is_none(), "{second}");
    s.stop().await;
}

#[tokio::test]
async fn a_token_stored_before_sign_ins_had_a_limit_works_until_it_expires_and_is_not_refreshed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let cfg = config(&db);
    let alice = cfg.agents.iter().find(|a| a.id == "alice").unwrap().clone();
    // The agent_tokens table as the previous release created it, with a
    // token of Alice's in it.
    let token = "a".repeat(64);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE agent_tokens (token_hash TEXT PRIMARY KEY, agent_id TEXT NOT NULL, credential TEXT NOT NULL, expires_at INTEGER NOT NULL);",
        )
        .unwrap();
        let expires = lcw_server::store::now_ms() + HOUR;
        conn.execute(
            "INSERT INTO agent_tokens VALUES (?1, 'alice', ?2, ?3)",
            rusqlite::params![lcw_server::security::agents::sha256_hex(token.as_bytes()), lcw_server::security::agents::credential_tag(&alice), expires],
        )
        .unwrap();
    }
    let s = start(cfg).await;
    assert!(welcomed(&s, &token).await, "the stored sign-in still works after the upgrade");
    let (st, body) = refresh(&s, &token).await;
    assert_eq!(st, 401, "its sign-in time is unknown, so it is not refreshed: {body}");
    assert!(welcomed(&s, &token).await, "a refused refresh does not end the token");
    let fresh = login(&s).await;
    let (st, _) = refresh(&s, fresh["token"].as_str().unwrap()).await;
    assert_eq!(st, 200, "a new sign-in is");
    s.stop().await;
}
