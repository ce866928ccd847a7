//! A conversation whose visitor left (every chat socket gone, or never
//! opened) for `visitor_gone_close_secs` is closed by the server with
//! "Conversation ended: the visitor left"; a socket back in time, or
//! another tab's still open, keeps it; 0 never closes it; a server stop is
//! not the visitor leaving, and a restart starts the clock again.

mod common;

use std::time::{Duration, Instant};

use common::*;
use lcw_sdk::core::protocol::{ConversationState, Sender, ServerFrame, StartResponse};
use lcw_server::config::ServerConfig;
use lcw_server::RunningServer;
use serde_json::{json, Value};

const LEFT: &str = "Conversation ended: the visitor left";

fn gone_after(secs: u64, db: &str) -> ServerConfig {
    ServerConfig { visitor_gone_close_secs: secs, ..config(db) }
}

/// The conversation as its visitor sees it over HTTP: (state, message texts by the system).
async fn seen(s: &RunningServer, chat: &StartResponse) -> (String, Vec<String>) {
    let url = format!("{}/v1/conversations/{}/messages?afterSeq=0", base(s), chat.conversation.id);
    let v: Value = http().get(url).bearer_auth(&chat.session_token).send().await.expect("get").json().await.expect("json");
    let state = v["conversation"]["state"].as_str().expect("state").to_string();
    let system = v["messages"].as_array().expect("messages").iter().filter(|m| m["sender"] == "system").map(|m| m["text"].as_str().unwrap_or_default().to_string()).collect();
    (state, system)
}

/// Polls until the conversation is closed (panics after `within`); how long it took.
async fn closed_within(s: &RunningServer, chat: &StartResponse, within: Duration) -> Duration {
    let t0 = Instant::now();
    loop {
        let (state, system) = seen(s, chat).await;
        if state == "closed" {
            assert_eq!(system.last().map(String::as_str), Some(LEFT), "{system:?}");
            return t0.elapsed();
        }
        assert!(t0.elapsed() < within, "still {state} after {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn assert_open(s: &RunningServer, chat: &StartResponse, why: &str) {
    let (state, system) = seen(s, chat).await;
    assert_ne!(state, "closed", "{why}");
    assert!(!system.iter().any(|t| t == LEFT), "{why}: {system:?}");
}

/// A visitor socket, welcomed (so the server counts it).
async fn welcomed(s: &RunningServer, chat: &StartResponse) -> Ws {
    let mut ws = Ws::visitor(s, &chat.session_token, 0).await;
    ws.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    ws
}

#[tokio::test]
async fn the_last_socket_gone_closes_the_conversation_for_the_agent_too() {
    let s = start(gone_after(1, ":memory:")).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    let chat = start_chat(&s, json!({})).await;
    let id = chat.conversation.id.clone();
    let visitor = welcomed(&s, &chat).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_open(&s, &chat, "its socket is open").await;

    drop(visitor); // The tab is closed: no close frame, no `close`.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_open(&s, &chat, "not before the window").await;
    let took = closed_within(&s, &chat, Duration::from_secs(3)).await;
    assert!(took >= Duration::from_millis(500), "closed {took:?} after the check");
    let (_, system) = seen(&s, &chat).await;
    assert!(!system.iter().any(|t| t == "Conversation ended by the system"), "{system:?}");

    // The agent sees it the usual way: the message, then the closed view.
    alice.until(|f| matches!(f, ServerFrame::Message { conversation_id, message } if *conversation_id == id && message.sender == Sender::System && message.text == LEFT)).await;
    alice.until(|f| matches!(f, ServerFrame::AgentConversationUpdated { conversation } if conversation.conversation.id == id && conversation.conversation.state == ConversationState::Closed && conversation.conversation.closed_by == Some(Sender::System))).await;
    s.stop().await;
}

#[tokio::test]
async fn a_socket_back_within_the_window_keeps_the_conversation() {
    let s = start(gone_after(1, ":memory:")).await;
    let chat = start_chat(&s, json!({})).await;
    let first = welcomed(&s, &chat).await;
    drop(first);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let back = welcomed(&s, &chat).await; // A reload, a network change.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_open(&s, &chat, "a socket came back within the window").await;

    // Its clock starts anew when that one goes (closed, not just stopped).
    back.close().await;
    closed_within(&s, &chat, Duration::from_secs(3)).await;
    s.stop().await;
}

#[tokio::test]
async fn another_tab_keeps_the_conversation_until_it_goes_too() {
    let s = start(gone_after(1, ":memory:")).await;
    let chat = start_chat(&s, json!({})).await;
    let (tab1, tab2) = (welcomed(&s, &chat).await, welcomed(&s, &chat).await);
    tab1.close().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_open(&s, &chat, "the other tab's socket is open").await;
    drop(tab2);
    closed_within(&s, &chat, Duration::from_secs(3)).await;
    s.stop().await;
}

#[tokio::test]
async fn a_conversation_whose_socket_never_opens_is_closed() {
    let s = start(gone_after(1, ":memory:")).await;
    let chat = start_chat(&s, json!({})).await;
    let took = closed_within(&s, &chat, Duration::from_secs(3)).await;
    assert!(took >= Duration::from_millis(500), "closed after {took:?}");
    // A waiting conversation so gives up its place in line.
    let av: Value = http().get(format!("{}/v1/widgets/demo/availability", base(&s))).send().await.unwrap().json().await.unwrap();
    assert_eq!(av["positionInQueue"], 1, "{av}");
    s.stop().await;
}

#[tokio::test]
async fn zero_never_closes() {
    let s = start(gone_after(0, ":memory:")).await;
    let (never, dropped) = (start_chat(&s, json!({})).await, start_chat(&s, json!({})).await);
    drop(welcomed(&s, &dropped).await);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_open(&s, &never, "0: no socket ever, still open").await;
    assert_open(&s, &dropped, "0: socket gone, still open").await;
    s.stop().await;
}

#[tokio::test]
async fn a_stop_is_not_the_visitor_leaving_and_a_restart_starts_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lcw.db").to_string_lossy().to_string();
    let s = start(gone_after(1, &db)).await;
    let chat = start_chat(&s, json!({})).await;
    let mut visitor = welcomed(&s, &chat).await;
    s.stop().await; // Closes the socket: not the visitor leaving.
    while visitor.next().await.is_some() {}
    // Past the window: a clock started by the stop would have run out.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // Back with the feature off: nothing closed it meanwhile.
    let s = start(gone_after(0, &db)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_open(&s, &chat, "the stop closed it").await;
    s.stop().await;

    // Back with it on: no socket after the restart, so the clock runs.
    let s = start(gone_after(1, &db)).await;
    closed_within(&s, &chat, Duration::from_secs(3)).await;
    s.stop().await;
}

/// Agents see whether the visitor is there: the view is sent again with
/// `visitorAwaySince` when the last socket goes, and without it when one
/// is back. With closing off (0), agents still see it.
#[tokio::test]
async fn agents_see_since_when_the_visitor_is_away() {
    for secs in [60, 0] {
        let s = start(gone_after(secs, ":memory:")).await;
        let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
        alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
        let chat = start_chat(&s, json!({})).await;
        let id = chat.conversation.id.clone();
        let view = |f: &ServerFrame| match f {
            ServerFrame::AgentConversationUpdated { conversation } if conversation.conversation.id == id => Some(conversation.visitor_away_since),
            _ => None,
        };
        let first = welcomed(&s, &chat).await;
        let before = lcw_server::store::now_ms();
        drop(first);
        let away = view(&alice.until(|f| view(f).flatten().is_some()).await).flatten().expect("away");
        assert!(away >= before && away <= lcw_server::store::now_ms(), "away since {away}, dropped at {before}");
        let _back = welcomed(&s, &chat).await;
        alice.until(|f| view(f) == Some(None)).await;
        s.stop().await;
    }
}
