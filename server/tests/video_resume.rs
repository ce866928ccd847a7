//! A dropped call socket (no close frame) resumes: the active call waits
//! `call_resume_secs` for another socket of the visitor's, which gets the
//! call and the agent's signalling sent meanwhile; past the wait the call
//! ends (`disconnected`). A socket the page closes ends it at once. The
//! agent's side likewise: calls wait for an agent whose last socket went,
//! and the visitor's signalling sent meanwhile reaches the agent's socket
//! that comes back.

mod common;

use std::time::{Duration, Instant};

use common::video::*;
use common::*;
use lcw_sdk::core::protocol::{ServerFrame, Sender, StartResponse, VideoCallState};
use lcw_server::config::ServerConfig;
use lcw_server::RunningServer;
use serde_json::{json, Value};

const RESUME_SECS: u64 = 2;

/// Lets the server see a dropped socket go before the test goes on.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// The next frame of a resumed call socket: the call, still active.
async fn resumed(socket: &mut Ws, id: &str) {
    match socket.next().await {
        Some(ServerFrame::Video { call, .. }) => assert_eq!((call.id.as_str(), call.state), (id, VideoCallState::Active)),
        other => panic!("expected the active call, got {other:?}"),
    }
}

/// A server waiting `secs` for dropped sockets, Alice signed in, and an
/// active call of an accepted chat: (server, Alice, chat, the visitor's
/// chat socket, call id, call socket).
async fn call_waiting(secs: u64) -> (RunningServer, Ws, StartResponse, Ws, String, Ws) {
    let s = start(ServerConfig { call_resume_secs: secs, ..video_config() }).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    let (id, call) = active_call(&s, &chat, &mut alice, &mut visitor).await;
    (s, alice, chat, visitor, id, call)
}

#[tokio::test]
async fn a_dropped_call_socket_resumes_within_the_wait_then_the_call_ends() {
    let (s, mut alice, chat, mut visitor, id, first) = call_waiting(RESUME_SECS).await;

    // The socket drops; the agent's candidate sent meanwhile is kept.
    drop(first);
    settle().await;
    alice.send(&rtc(Some(&chat), &id, json!({ "type": "candidate", "candidate": { "candidate": "c1" } }))).await;
    let mut second = call_socket(&s, &chat, &id).await;
    resumed(&mut second, &id).await;
    match second.next().await {
        Some(ServerFrame::Rtc { from, payload, .. }) => {
            assert_eq!(from, Sender::Agent);
            assert_eq!(serde_json::to_value(&payload).unwrap()["candidate"]["candidate"], "c1");
        }
        other => panic!("expected the kept candidate, got {other:?}"),
    }
    // Signalling goes both ways again, and the call is this socket's.
    second.send(&rtc(None, &id, json!({ "type": "answer", "sdp": "v=0" }))).await;
    match alice.until(|f| matches!(f, ServerFrame::Rtc { .. })).await {
        ServerFrame::Rtc { from, .. } => assert_eq!(from, Sender::Visitor),
        _ => unreachable!(),
    }
    let mut other_tab = call_socket(&s, &chat, &id).await;
    assert_eq!(error_code(&other_tab.next().await.expect("refusal")), "video_unavailable", "taken");
    let text = transcript(&s, &chat).await;
    assert_eq!(text.matches("Video call started").count(), 1, "a resume is not a new call: {text}");
    assert!(!text.contains("Video call ended"), "{text}");

    // It drops again and nothing comes back: the call ends after the wait.
    let dropped = Instant::now();
    drop(second);
    let ended = call_of(alice.until(|f| is_call(f, VideoCallState::Ended)).await);
    let waited = dropped.elapsed();
    assert_eq!((ended.reason.as_deref(), ended.by), (Some("disconnected"), Sender::Visitor));
    assert!(waited >= Duration::from_secs(RESUME_SECS) - Duration::from_millis(100), "ended after {waited:?}");
    visitor.until(|f| is_call(f, VideoCallState::Ended)).await;
    alice.until(|f| is_msg(f, "Video call ended")).await;
    let mut late = call_socket(&s, &chat, &id).await;
    assert_eq!(error_code(&late.next().await.expect("refusal")), "video_unavailable");
    s.stop().await;
}

#[tokio::test]
async fn the_wait_of_an_earlier_drop_does_not_end_a_resumed_call() {
    let (s, mut alice, chat, _visitor, id, first) = call_waiting(RESUME_SECS).await;

    // Drop A at t=0 (its wait ends at 2 s); resume as B at ~1.2 s, which
    // drops at once (its wait ends at ~3.2 s); resume as C at ~2.5 s.
    let t0 = Instant::now();
    drop(first);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mut b = call_socket(&s, &chat, &id).await;
    resumed(&mut b, &id).await;
    drop(b);
    tokio::time::sleep(Duration::from_millis(2500).saturating_sub(t0.elapsed())).await;
    let mut c = call_socket(&s, &chat, &id).await;
    resumed(&mut c, &id).await;
    // Past B's wait too: C holds the call, which is still on.
    tokio::time::sleep(Duration::from_millis(3600).saturating_sub(t0.elapsed())).await;
    alice.send(&rtc(Some(&chat), &id, json!({ "type": "candidate", "candidate": null }))).await;
    assert!(matches!(c.next().await, Some(ServerFrame::Rtc { from: Sender::Agent, .. })), "the agent still reaches the call");
    assert!(!transcript(&s, &chat).await.contains("Video call ended"));
    s.stop().await;
}

#[tokio::test]
async fn a_call_socket_closed_by_the_page_ends_the_call_at_once() {
    let (s, mut alice, chat, _visitor, id, first) = call_waiting(60).await;
    // A close frame: the page hung up or went away, nothing will resume.
    let t0 = Instant::now();
    first.close().await;
    let ended = call_of(alice.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!(ended.reason.as_deref(), Some("disconnected"));
    assert!(t0.elapsed() < Duration::from_secs(5), "no wait: {:?}", t0.elapsed());
    let mut late = call_socket(&s, &chat, &id).await;
    assert_eq!(error_code(&late.next().await.expect("refusal")), "video_unavailable");
    s.stop().await;
}

#[tokio::test]
async fn an_agent_back_within_the_wait_keeps_the_call() {
    let (s, alice, chat, _visitor, id, mut call) = call_waiting(RESUME_SECS).await;
    let t0 = Instant::now();
    drop(alice);
    settle().await;
    // The visitor's side signals meanwhile: kept for the agent.
    call.send(&rtc(None, &id, json!({ "type": "candidate", "candidate": { "candidate": "v1" } }))).await;
    call.send(&rtc(None, &id, json!({ "type": "candidate", "candidate": { "candidate": "v2" } }))).await;
    settle().await;
    let mut again = Ws::agent(&s, "alice", "pw-alice").await;
    assert!(matches!(again.next().await, Some(ServerFrame::AgentWelcome { .. })));
    // The call, then what the visitor sent while the agent was away, in order.
    assert!(matches!(again.next().await, Some(ServerFrame::Video { call, .. }) if call.id == id && call.state == VideoCallState::Active));
    for want in ["v1", "v2"] {
        match again.next().await {
            Some(ServerFrame::Rtc { from: Sender::Visitor, call_id, payload, .. }) => {
                assert_eq!(call_id, id);
                assert_eq!(serde_json::to_value(&payload).unwrap()["candidate"]["candidate"], want);
            }
            other => panic!("expected the visitor's {want}, got {other:?}"),
        }
    }
    // Past the wait: the call is on, and the agent's signalling reaches it.
    tokio::time::sleep((Duration::from_secs(RESUME_SECS) + Duration::from_millis(500)).saturating_sub(t0.elapsed())).await;
    again.send(&rtc(Some(&chat), &id, json!({ "type": "candidate", "candidate": null }))).await;
    assert!(matches!(call.next().await, Some(ServerFrame::Rtc { from: Sender::Agent, .. })), "the call is on");
    assert!(!transcript(&s, &chat).await.contains("Video call ended"));
    s.stop().await;
}

#[tokio::test]
async fn an_agent_gone_past_the_wait_ends_their_active_and_invited_calls() {
    let s = start(ServerConfig { call_resume_secs: RESUME_SECS, ..video_config() }).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (one, mut visitor_one) = accepted_chat(&s, &mut alice, "demo").await;
    let (_, mut call) = active_call(&s, &one, &mut alice, &mut visitor_one).await;
    let (two, mut visitor_two) = accepted_chat(&s, &mut alice, "demo").await;
    alice.send(&agent_video(&two, lcw_sdk::core::protocol::VideoAction::Invite, None)).await;
    let invited = call_of(visitor_two.until(|f| is_call(f, VideoCallState::Invited)).await);
    let t0 = Instant::now();
    drop(alice);
    let ended = call_of(call.next().await.expect("the active call's end"));
    assert_eq!((ended.reason.as_deref(), ended.by), (Some("disconnected"), Sender::Agent));
    assert!(t0.elapsed() >= Duration::from_secs(RESUME_SECS) - Duration::from_millis(100), "after the wait: {:?}", t0.elapsed());
    // Nobody would make the invited call's offer: it ends too.
    let ended = call_of(visitor_two.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!((ended.id.as_str(), ended.reason.as_deref()), (invited.id.as_str(), Some("disconnected")));
    visitor_one.until(|f| is_msg(f, "Video call ended")).await;
    s.stop().await;
}

#[tokio::test]
async fn the_widget_configuration_says_how_long_a_call_waits() {
    for secs in [0, RESUME_SECS, 90] {
        let s = start(ServerConfig { call_resume_secs: secs, ..video_config() }).await;
        let v: Value = http().get(format!("{}/v1/widgets/demo/config", base(&s))).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["video"]["resumeSecs"], json!(secs), "{v}");
        s.stop().await;
    }
}
