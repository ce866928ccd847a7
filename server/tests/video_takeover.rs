//! A call socket can die without a close (sleep, a network change, a NAT):
//! the page notices first (its heartbeat) and opens another, while the
//! server still holds the silent one for up to `socket_dead_secs`. The
//! tab's key (`hello.callKey`, chosen when it joined) lets the new socket
//! take the call over at once; another tab's key (or none) is still
//! refused. A page that gives up on a silent socket closes it with code
//! 4000, which is not a hang-up.

mod common;

use std::time::Duration;

use common::video::*;
use common::*;
use lcw_sdk::core::protocol::{ClientFrame, Sender, ServerFrame, StartResponse, VideoCallState};
use lcw_server::config::ServerConfig;
use lcw_server::RunningServer;
use serde_json::json;

/// A server waiting 60 s for dropped call sockets, Alice signed in, and an
/// active call joined with key `k1`: (server, Alice, chat, the visitor's
/// chat socket, call id, call socket).
async fn keyed_call() -> (RunningServer, Ws, StartResponse, Ws, String, Ws) {
    let s = start(ServerConfig { call_resume_secs: 60, ..video_config() }).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    let (id, call) = keyed_active_call(&s, &chat, &mut alice, &mut visitor, Some("k1")).await;
    (s, alice, chat, visitor, id, call)
}

/// The agent's candidate `tag` reaches `socket`.
async fn reaches(alice: &mut Ws, chat: &StartResponse, id: &str, socket: &mut Ws, tag: &str) {
    alice.send(&rtc(Some(chat), id, json!({ "type": "candidate", "candidate": { "candidate": tag } }))).await;
    match socket.next().await {
        Some(ServerFrame::Rtc { from: Sender::Agent, payload, .. }) => assert_eq!(serde_json::to_value(&payload).unwrap()["candidate"]["candidate"], tag),
        other => panic!("expected the agent's {tag}, got {other:?}"),
    }
}

#[tokio::test]
async fn the_joining_tab_takes_its_silent_socket_over_and_no_other_tab_can() {
    let (s, mut alice, chat, mut visitor, id, mut old) = keyed_call().await;

    // Another tab (its own key, or an older SDK with none) is refused while
    // the call's socket is bound, as before.
    for key in [Some("k2"), None] {
        let mut other = keyed_call_socket(&s, &chat, &id, key).await;
        assert_eq!(error_code(&other.next().await.expect("refusal")), "video_unavailable", "{key:?}");
        assert!(other.next().await.is_none(), "the refused socket is closed");
    }
    let mut bad = keyed_call_socket(&s, &chat, &id, Some(&"k".repeat(129))).await;
    assert_eq!(error_code(&bad.next().await.expect("refusal")), "bad_request");

    // The old socket stays open on the server (silent: it never closes);
    // the tab's new one, with its key, takes over at once.
    let mut new = keyed_call_socket(&s, &chat, &id, Some("k1")).await;
    match new.next().await {
        Some(ServerFrame::Video { call, .. }) => assert_eq!((call.id.as_str(), call.state), (id.as_str(), VideoCallState::Active)),
        other => panic!("expected the active call, got {other:?}"),
    }
    assert!(old.next().await.is_none(), "the server let go of the old socket (closed)");
    // Signalling goes through the new socket, both ways; the old one's
    // would be refused as not the call's socket.
    reaches(&mut alice, &chat, &id, &mut new, "a1").await;
    new.send(&ClientFrame::Ping).await;
    assert!(matches!(new.next().await, Some(ServerFrame::Pong)), "the page's heartbeat is answered");
    new.send(&rtc(None, &id, json!({ "type": "answer", "sdp": "v=0" }))).await;
    assert!(matches!(alice.until(|f| matches!(f, ServerFrame::Rtc { .. })).await, ServerFrame::Rtc { from: Sender::Visitor, .. }));
    // The old socket going away later (its TCP finally drops) ends nothing.
    drop(old);
    tokio::time::sleep(Duration::from_millis(300)).await;
    reaches(&mut alice, &chat, &id, &mut new, "a2").await;
    let text = transcript(&s, &chat).await;
    assert_eq!(text.matches("Video call started").count(), 1, "a take-over is not a new call: {text}");
    assert!(!text.contains("Video call ended"), "{text}");

    // Still the call's key that counts: once more, then the agent ends it.
    let mut third = keyed_call_socket(&s, &chat, &id, Some("k1")).await;
    assert!(matches!(third.next().await, Some(ServerFrame::Video { .. })));
    alice.send(&agent_video(&chat, lcw_sdk::core::protocol::VideoAction::End, Some(&id))).await;
    assert!(is_call(&third.next().await.expect("the end"), VideoCallState::Ended));
    visitor.until(|f| is_msg(f, "Video call ended")).await;
    s.stop().await;
}

#[tokio::test]
async fn a_socket_the_page_closes_as_gone_quiet_waits_for_the_resume() {
    let (s, mut alice, chat, _visitor, id, old) = keyed_call().await;
    // Code 4000: the page gave up on it (not a hang-up). The call waits.
    old.close_with(Some(4000)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    alice.send(&rtc(Some(&chat), &id, json!({ "type": "candidate", "candidate": { "candidate": "kept" } }))).await;
    let mut new = keyed_call_socket(&s, &chat, &id, Some("k1")).await;
    assert!(matches!(new.next().await, Some(ServerFrame::Video { call, .. }) if call.state == VideoCallState::Active));
    assert!(matches!(new.next().await, Some(ServerFrame::Rtc { from: Sender::Agent, .. })), "what the agent sent meanwhile");
    // Another code is a hang-up, as before: the call ends at once.
    new.close_with(Some(1000)).await;
    let ended = call_of(alice.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!(ended.reason.as_deref(), Some("disconnected"));
    s.stop().await;
}
