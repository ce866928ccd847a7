//! Delivery guarantees: resume loses and duplicates nothing; SQLite keeps
//! conversations across a restart; graceful stop loses no acked message.

mod common;

use common::*;
use lcw_sdk::core::protocol::{ClientFrame, ConversationState, ServerFrame};
use serde_json::{json, Value};

async fn active_chat(s: &lcw_server::RunningServer) -> (String, String, Ws) {
    let mut agent = Ws::agent(s, "alice", "pw-alice").await;
    agent.next().await;
    let st = start_chat(s, json!({})).await;
    agent.send(&ClientFrame::Accept { conversation_id: st.conversation.id.clone() }).await;
    agent.until(|f| matches!(f, ServerFrame::AgentConversationUpdated { conversation } if conversation.conversation.state == ConversationState::Active)).await;
    (st.conversation.id, st.session_token, agent)
}

fn message_seqs(frames: &[ServerFrame]) -> Vec<(u64, String)> {
    frames.iter().filter_map(|f| match f { ServerFrame::Message { message, .. } => Some((message.seq, message.text.clone())), _ => None }).collect()
}

#[tokio::test]
async fn reconnect_with_resume_loses_and_duplicates_nothing() {
    let s = start(config(":memory:")).await;
    let (conv, token, mut agent) = active_chat(&s).await;

    let mut v = Ws::visitor(&s, &token, 0).await;
    v.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    v.say(None, "c1", "one").await;
    let mut last_seen = 0;
    // Drain what the visitor saw so far (system join + its own message,
    // which comes before its ack: acks never overtake earlier frames).
    while let Ok(Some(f)) = tokio::time::timeout(std::time::Duration::from_millis(200), v.next()).await {
        if let ServerFrame::Message { message, .. } = f {
            last_seen = last_seen.max(message.seq);
        }
    }
    assert_eq!(last_seen, 2);
    drop(v); // connection lost

    for i in 0..5 {
        agent.say(Some(&conv), &format!("a{i}"), &format!("while away {i}")).await;
        agent.until(|f| matches!(f, ServerFrame::Ack { .. })).await;
    }

    // Resume from last seen: exactly the five missed messages, in order.
    let mut v = Ws::visitor(&s, &token, last_seen).await;
    let mut frames = Vec::new();
    while frames.len() < 6 {
        frames.push(v.next().await.expect("frame"));
    }
    assert!(matches!(frames[0], ServerFrame::Welcome { .. }));
    let got = message_seqs(&frames);
    assert_eq!(got, (0..5).map(|i| (3 + i as u64, format!("while away {i}"))).collect::<Vec<_>>());

    // The client retries a send whose ack it never saw: acked as duplicate,
    // stored once, delivered once.
    v.say(None, "c1", "one").await;
    match v.until(|f| matches!(f, ServerFrame::Ack { .. })).await {
        ServerFrame::Ack { seq, duplicate, .. } => assert_eq!((seq, duplicate), (2, true)),
        _ => unreachable!(),
    }
    let r: Value = http()
        .get(format!("{}/v1/conversations/{conv}/messages?afterSeq=0", base(&s)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seqs: Vec<u64> = r["messages"].as_array().unwrap().iter().map(|m| m["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=7).collect::<Vec<_>>());
    assert_eq!(r["messages"].as_array().unwrap().iter().filter(|m| m["clientId"] == "c1").count(), 1);
    s.stop().await;
}

#[tokio::test]
async fn restart_with_sqlite_keeps_conversations_and_acked_messages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(config(&db)).await;
    let (conv, token, agent) = active_chat(&s).await;
    let mut v = Ws::visitor(&s, &token, 0).await;
    for i in 0..20 {
        v.say(None, &format!("m{i}"), &format!("msg {i}")).await;
    }
    let mut acked = 0;
    while acked < 20 {
        if let ServerFrame::Ack { .. } = v.until(|f| matches!(f, ServerFrame::Ack { .. })).await {
            acked += 1;
        }
    }
    // Graceful stop while sockets are open: they get `shutting_down`.
    let stopping = tokio::spawn(async move { s.stop().await });
    v.until(|f| matches!(f, ServerFrame::Error { code, .. } if code.as_str() == "shutting_down")).await;
    stopping.await.unwrap();
    drop(agent);

    let s2 = start(config(&db)).await;
    let mut v2 = Ws::visitor(&s2, &token, 0).await;
    match v2.next().await {
        Some(ServerFrame::Welcome { conversation, .. }) => {
            assert_eq!(conversation.id, conv);
            assert_eq!(conversation.state, ConversationState::Active);
            assert_eq!(conversation.last_seq, 21);
        }
        other => panic!("{other:?}"),
    }
    let mut texts = Vec::new();
    while texts.len() < 21 {
        if let Some(ServerFrame::Message { message, .. }) = v2.next().await {
            texts.push(message.text);
        }
    }
    assert_eq!(texts[1..], (0..20).map(|i| format!("msg {i}")).collect::<Vec<_>>());
    // The agent sees the conversation again after restart.
    let mut agent = Ws::agent(&s2, "alice", "pw-alice").await;
    match agent.next().await {
        Some(ServerFrame::AgentWelcome { conversations, .. }) => assert!(conversations.iter().any(|c| c.conversation.id == conv)),
        other => panic!("{other:?}"),
    }
    s2.stop().await;
}

/// An agent socket's answer to a hello with `token`: welcome or refusal.
async fn agent_hello(s: &lcw_server::RunningServer, token: &str) -> Option<ServerFrame> {
    let mut ws = Ws::connect(s, "/v1/agent/ws", &[]).await.expect("connect");
    ws.send(&ClientFrame::AgentHello { token: token.into() }).await;
    ws.next().await
}

#[tokio::test]
async fn an_agent_stays_signed_in_across_a_restart_unless_their_password_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(config(&db)).await;
    let (st, v) = post(&format!("{}/v1/agent/login", base(&s)), json!({ "username": "alice", "password": "pw-alice" }), None).await;
    assert_eq!(st, 200, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    assert!(matches!(agent_hello(&s, &token).await, Some(ServerFrame::AgentWelcome { .. })));
    s.stop().await;
    // The database (and its WAL) keeps the token's hash, not the token.
    // The stop has checkpointed the WAL into lcw.db; the WAL and shm files
    // go when the last connection closes, which may be while they are read
    // (the writer thread lets go of it after the stop), so a file that has
    // gone is skipped.
    let hash = lcw_server::security::agents::sha256_hex(token.as_bytes());
    let mut files = vec![std::fs::read(&db).unwrap()];
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy() == db {
            continue;
        }
        match std::fs::read(&path) {
            Ok(raw) => files.push(raw),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    let has = |needle: &str| files.iter().any(|raw| raw.windows(needle.len()).any(|w| w == needle.as_bytes()));
    assert!(has(&hash), "the hash is stored");
    assert!(!has(&token), "the token is not");

    // Restarted: the console's stored token still works, socket and HTTP.
    let s = start(config(&db)).await;
    assert!(matches!(agent_hello(&s, &token).await, Some(ServerFrame::AgentWelcome { .. })), "signed in after a restart");
    let list = http().get(format!("{}/v1/agent/conversations", base(&s))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(list.status(), 200);
    s.stop().await;

    // Alice's password changed in the configuration: her old token is refused.
    let mut changed = config(&db);
    changed.agents.iter_mut().find(|a| a.id == "alice").unwrap().password = Some("new-pw".into());
    let s = start(changed).await;
    match agent_hello(&s, &token).await {
        Some(ServerFrame::Error { code, .. }) => assert_eq!(code.as_str(), "unauthorized"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn a_signed_out_token_stays_refused_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(config(&db)).await;
    let url = format!("{}/v1/agent/login", base(&s));
    let (_, kept) = post(&url, json!({ "username": "alice", "password": "pw-alice" }), None).await;
    let (_, gone) = post(&url, json!({ "username": "alice", "password": "pw-alice" }), None).await;
    let (kept, gone) = (kept["token"].as_str().unwrap().to_string(), gone["token"].as_str().unwrap().to_string());
    let logout = |s: &lcw_server::RunningServer, t: &str| http().post(format!("{}/v1/agent/logout", base(s))).bearer_auth(t).send();
    // A socket of each sign-in, open when one of them signs out.
    let mut open_gone = Ws::connect(&s, "/v1/agent/ws", &[]).await.unwrap();
    open_gone.send(&ClientFrame::AgentHello { token: gone.clone() }).await;
    assert!(matches!(open_gone.next().await, Some(ServerFrame::AgentWelcome { .. })));
    let mut open_kept = Ws::connect(&s, "/v1/agent/ws", &[]).await.unwrap();
    open_kept.send(&ClientFrame::AgentHello { token: kept.clone() }).await;
    assert!(matches!(open_kept.next().await, Some(ServerFrame::AgentWelcome { .. })));
    assert_eq!(logout(&s, &gone).await.unwrap().status(), 204);
    match open_gone.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, message, .. } => assert_eq!((code.as_str(), message.as_str()), ("unauthorized", "this sign-in was ended (signed out)")),
        _ => unreachable!(),
    }
    assert!(open_gone.next().await.is_none(), "the signed-out socket closes");
    open_kept.send(&ClientFrame::Ping).await;
    assert!(matches!(open_kept.until(|f| matches!(f, ServerFrame::Pong | ServerFrame::Error { .. })).await, ServerFrame::Pong), "the other stays");
    assert_eq!(logout(&s, &gone).await.unwrap().status(), 401, "a revoked token is no token");
    assert!(matches!(agent_hello(&s, &gone).await, Some(ServerFrame::Error { .. })));
    assert!(matches!(agent_hello(&s, &kept).await, Some(ServerFrame::AgentWelcome { .. })), "the other sign-in is untouched");
    s.stop().await;

    let s = start(config(&db)).await;
    assert!(matches!(agent_hello(&s, &gone).await, Some(ServerFrame::Error { .. })), "still refused after a restart");
    assert!(matches!(agent_hello(&s, &kept).await, Some(ServerFrame::AgentWelcome { .. })));
    s.stop().await;
}

/// A sign-in of Alice's that lasts 1.5 s (a real one lasts
/// agent_token_minutes), and an agent socket opened with it (welcomed).
async fn short_sign_in(s: &lcw_server::RunningServer) -> (String, Ws) {
    let alice = s.app.cfg.agents.iter().find(|a| a.id == "alice").unwrap().clone();
    let now = lcw_server::store::now_ms();
    let (token, _) = s.app.agent_tokens.issue(&alice, now + 1_500, now);
    let mut socket = Ws::connect(s, "/v1/agent/ws", &[]).await.unwrap();
    socket.send(&ClientFrame::AgentHello { token: token.clone() }).await;
    assert!(matches!(socket.next().await, Some(ServerFrame::AgentWelcome { .. })));
    (token, socket)
}

#[tokio::test]
async fn an_agent_socket_closes_when_its_token_expires() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(config(&db)).await;
    let t0 = std::time::Instant::now();
    let (token, mut socket) = short_sign_in(&s).await;
    match socket.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, message, .. } => assert_eq!((code.as_str(), message.as_str()), ("unauthorized", "this sign-in has expired")),
        _ => unreachable!(),
    }
    let took = t0.elapsed();
    assert!(took >= std::time::Duration::from_millis(1_400), "not before the expiry: {took:?}");
    assert!(socket.next().await.is_none(), "the socket closes");
    assert!(matches!(agent_hello(&s, &token).await, Some(ServerFrame::Error { .. })), "and the token opens no other");
    s.stop().await;
}

#[tokio::test]
async fn a_refreshed_token_keeps_its_socket_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(config(&db)).await;
    let now = lcw_server::store::now_ms();
    let (old, mut socket) = short_sign_in(&s).await;

    let refresh = |t: &str| http().post(format!("{}/v1/agent/refresh", base(&s))).bearer_auth(t).send();
    let r = refresh(&old).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let new = body["token"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert_eq!(body["agent"]["id"], "alice");
    let expires = body["expiresAt"].as_i64().unwrap();
    assert!(expires >= now + 12 * 3_600_000 - 60_000, "a full lifetime from now: {expires}");

    // Past the old expiry the socket is still open and answers.
    tokio::time::sleep(std::time::Duration::from_millis(2_000)).await;
    socket.send(&ClientFrame::Ping).await;
    assert!(matches!(socket.until(|f| matches!(f, ServerFrame::Pong | ServerFrame::Error { .. })).await, ServerFrame::Pong), "the socket carried on");
    // The old token is gone; the new one works, once (a spent token is refused).
    assert_eq!(refresh(&old).await.unwrap().status(), 401);
    assert!(matches!(agent_hello(&s, &old).await, Some(ServerFrame::Error { .. })));
    assert!(matches!(agent_hello(&s, &new).await, Some(ServerFrame::AgentWelcome { .. })));
    s.stop().await;

    // The refreshed sign-in survives a restart; the old one does not come back.
    let s = start(config(&db)).await;
    assert!(matches!(agent_hello(&s, &new).await, Some(ServerFrame::AgentWelcome { .. })));
    assert!(matches!(agent_hello(&s, &old).await, Some(ServerFrame::Error { .. })));
    s.stop().await;
}
