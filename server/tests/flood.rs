//! One visitor socket flooding frames that carry no message: the agent's
//! socket stays up and gets a bounded number of them, the flooder is told
//! once with `rate_limited`, and the socket works again once its budget
//! refills.

mod common;

use common::*;
use futures_util::SinkExt;
use lcw_sdk::core::protocol::{ClientFrame, ErrorCode, ServerFrame};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as WsMsg;

/// 600 a minute: bursts of 60, one more frame every 100 ms.
const PER_MINUTE: u32 = 600;
const BURST: usize = 60;

/// Queues `n` text frames without waiting for each, then flushes.
async fn flood(ws: &mut Ws, n: usize, text: impl Fn(usize) -> String) {
    for i in 0..n {
        ws.0.feed(WsMsg::Text(text(i).into())).await.expect("feed");
    }
    ws.0.flush().await.expect("flush");
}

/// Frames up to the `Pong` that answers a ping sent now.
async fn until_pong(ws: &mut Ws) -> Vec<ServerFrame> {
    ws.send(&ClientFrame::Ping).await;
    until(ws, |f| matches!(f, ServerFrame::Pong)).await
}

/// Frames before the first that matches `end`.
async fn until(ws: &mut Ws, end: impl Fn(&ServerFrame) -> bool) -> Vec<ServerFrame> {
    let mut seen = Vec::new();
    loop {
        match ws.next().await {
            Some(f) if end(&f) => return seen,
            Some(f) => seen.push(f),
            None => panic!("socket closed or silent after {} frames", seen.len()),
        }
    }
}

/// A chat message: not part of the socket's budget, and handled after
/// every frame sent before it, so its ack marks the end of a flood.
async fn marker(ws: &mut Ws, text: &str) -> Vec<ServerFrame> {
    ws.say(None, text, text).await;
    until(ws, |f| matches!(f, ServerFrame::Ack { .. })).await
}

fn code(f: &ServerFrame) -> Option<ErrorCode> {
    match f {
        ServerFrame::Error { code, .. } => Some(*code),
        _ => None,
    }
}

/// A server with `cfg`; a chat Alice has accepted, with her socket and the
/// visitor's, both past "Alice joined".
async fn accepted(cfg: lcw_server::config::ServerConfig) -> (lcw_server::RunningServer, String, Ws, Ws) {
    let s = start(cfg).await;
    let chat = start_chat(&s, json!({})).await;
    let conv_id = chat.conversation.id.clone();
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    let mut visitor = Ws::visitor(&s, &chat.session_token, 0).await;
    visitor.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    alice.send(&ClientFrame::Accept { conversation_id: conv_id.clone() }).await;
    visitor.until(|f| matches!(f, ServerFrame::Message { .. })).await; // "Alice joined"
    (s, conv_id, alice, visitor)
}

#[tokio::test]
async fn a_typing_flood_is_bounded_and_the_agent_stays_connected() {
    let mut cfg = config(":memory:");
    cfg.rate_limits.per_socket_frames_per_minute = PER_MINUTE;
    let (s, _, mut alice, mut visitor) = accepted(cfg).await;
    until_pong(&mut visitor).await;
    until_pong(&mut alice).await;

    // 20,000 typing frames, as fast as the socket takes them.
    flood(&mut visitor, 20_000, |i| json!({ "type": "typing", "isTyping": i % 2 == 0 }).to_string()).await;
    let answers = marker(&mut visitor, "Still here").await;
    // Told when the budget ran out, then again only after each refill let
    // a frame through (one per 100 ms): not 20,000 times.
    let told = answers.iter().filter(|f| code(f) == Some(ErrorCode::RateLimited)).count();
    assert!(code(&answers[0]) == Some(ErrorCode::RateLimited) && told < 100, "{told} rate_limited answers: {:?}", &answers[..3.min(answers.len())]);
    assert!(answers.iter().all(|f| code(f) == Some(ErrorCode::RateLimited) || is_msg(f, "Still here")), "only those answers");
    // The first says how long until the next frame goes through (a token
    // every 60 s / PER_MINUTE).
    assert!(matches!(answers[0], ServerFrame::Error { retry_after_ms: Some(ms), .. } if ms > 0 && ms <= 60_000 / u64::from(PER_MINUTE)), "{:?}", answers[0]);

    // The agent's socket is still up and saw the burst and the refills,
    // not the flood; the message got through after them.
    let seen = until(&mut alice, |f| is_msg(f, "Still here")).await;
    let typing = seen.iter().filter(|f| matches!(f, ServerFrame::Typing { .. })).count();
    assert!(typing >= BURST && typing <= BURST + 2 * told, "{typing} typing frames reached the agent ({told} refusals)");
    assert!(seen.iter().all(|f| matches!(f, ServerFrame::Typing { .. })), "{seen:?}");
    until_pong(&mut alice).await;

    // After a refill, typing works again.
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    visitor.send(&ClientFrame::Typing { conversation_id: None, is_typing: false }).await;
    visitor.send(&ClientFrame::Typing { conversation_id: None, is_typing: true }).await;
    let last = alice.until(|f| matches!(f, ServerFrame::Typing { .. })).await;
    assert!(matches!(last, ServerFrame::Typing { is_typing: false, .. }), "{last:?}");
    s.stop().await;
}

#[tokio::test]
async fn unreadable_frames_and_receipts_spend_the_same_budget() {
    let mut cfg = config(":memory:");
    cfg.rate_limits.per_socket_frames_per_minute = PER_MINUTE;
    let s = start(cfg).await;
    let chat = start_chat(&s, json!({})).await;
    let mut visitor = Ws::visitor(&s, &chat.session_token, 0).await;
    visitor.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    visitor.say(None, "v-1", "Hello").await; // seq 1
    visitor.until(|f| matches!(f, ServerFrame::Ack { .. })).await;

    flood(&mut visitor, 1_000, |i| if i % 2 == 0 { "not json".into() } else { json!({ "type": "read", "seq": i }).to_string() }).await;
    let seen = marker(&mut visitor, "v-2").await;
    let bad = seen.iter().filter(|f| code(f) == Some(ErrorCode::BadRequest)).count();
    let limited = seen.iter().filter(|f| code(f) == Some(ErrorCode::RateLimited)).count();
    // Half the burst answered as unreadable; the receipts in the burst
    // record seq 1 once (the only message this socket was shown).
    let reads: Vec<_> = seen.iter().filter_map(|f| match f { ServerFrame::Read { seq, .. } => Some(*seq), _ => None }).collect();
    assert!(bad >= BURST / 2 && bad <= BURST / 2 + limited, "{bad} bad_request answers");
    assert!((1..20).contains(&limited), "{limited} rate_limited answers");
    assert_eq!(reads, vec![1], "{seen:?}");
    s.stop().await;
}

#[tokio::test]
async fn an_rtc_flood_on_a_call_socket_is_bounded_too() {
    use common::video::*;
    use lcw_sdk::core::protocol::VideoCallState;
    let mut cfg = video_config();
    cfg.rate_limits.per_call_socket_frames_per_minute = PER_MINUTE;
    let s = start(cfg).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    let (call_id, mut call) = active_call(&s, &chat, &mut alice, &mut visitor).await;

    let began = std::time::Instant::now();
    flood(&mut call, 5_000, |i| json!({ "type": "rtc", "callId": call_id, "payload": { "candidate": i } }).to_string()).await;
    call.until(|f| code(f) == Some(ErrorCode::RateLimited)).await;
    // The page hangs up: its close frame is handled after the flood, and
    // the agent hears the call end after every rtc frame that got through.
    call.close().await;
    let seen = until(&mut alice, |f| is_call(f, VideoCallState::Ended)).await;
    let refills = began.elapsed().as_millis() as usize / 100;
    let rtc = seen.iter().filter(|f| matches!(f, ServerFrame::Rtc { .. })).count();
    assert!(rtc >= BURST && rtc <= BURST + refills + 2, "{rtc} rtc frames reached the agent in {refills} refills");
    until_pong(&mut alice).await;
    s.stop().await;
}

#[tokio::test]
async fn an_agent_socket_has_a_budget_too() {
    let mut cfg = config(":memory:");
    cfg.rate_limits.per_agent_socket_frames_per_minute = PER_MINUTE;
    let (s, conv_id, mut alice, mut visitor) = accepted(cfg).await;

    // A console in a loop: typing frames to the visitor's sockets.
    flood(&mut alice, 5_000, |i| json!({ "type": "typing", "conversationId": conv_id, "isTyping": i % 2 == 0 }).to_string()).await;
    alice.say(Some(&conv_id), "a-1", "Sorry about that").await;
    let answers = until(&mut alice, |f| matches!(f, ServerFrame::Ack { .. })).await;
    let told = answers.iter().filter(|f| code(f) == Some(ErrorCode::RateLimited)).count();
    assert!((1..100).contains(&told), "{told} rate_limited answers");
    // The visitor's socket saw the burst and the refills, then the message.
    let seen = until(&mut visitor, |f| is_msg(f, "Sorry about that")).await;
    let typing = seen.iter().filter(|f| matches!(f, ServerFrame::Typing { .. })).count();
    assert!(typing >= BURST && typing <= BURST + 2 * told, "{typing} typing frames reached the visitor ({told} refusals)");
    s.stop().await;
}

#[tokio::test]
async fn sockets_open_at_once_per_address_are_capped() {
    let mut cfg = config(":memory:");
    cfg.rate_limits.max_sockets_per_ip = 2;
    let s = start(cfg).await;
    let chat = start_chat(&s, json!({})).await;
    let mut open = Vec::new();
    for _ in 0..2 {
        let mut ws = Ws::visitor(&s, &chat.session_token, 0).await;
        ws.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
        open.push(ws);
    }
    // A third from the same address: refused before the upgrade.
    match Ws::connect(&s, "/v1/ws", &[]).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status(), 429);
            let body: serde_json::Value = serde_json::from_slice(resp.body().as_deref().unwrap_or_default()).expect("json body");
            assert_eq!(body["code"], "rate_limited");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| "a socket")),
    }
    // One closes: its place is given back once the server has let it go.
    open.pop().expect("one").close().await;
    let mut back = None;
    for _ in 0..50 {
        if let Ok(ws) = Ws::connect(&s, "/v1/ws", &[]).await {
            back = Some(ws);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut ws = back.expect("a socket again after one closed");
    ws.send(&ClientFrame::Hello { session_token: Some(chat.session_token.clone()), last_seq: 0, auth_token: None, call_id: None, call_key: None }).await;
    ws.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    s.stop().await;
}
