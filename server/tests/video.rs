//! Video calls over real sockets: request, invite, the call socket, rtc
//! relaying, the ends, the refusals and availability.

mod common;

use common::video::*;
use common::*;
use lcw_sdk::core::protocol::{ClientFrame, ServerFrame, Sender, VideoAction, VideoCallState};
use lcw_server::config::ServerConfig;
use serde_json::{json, Value};

#[tokio::test]
async fn request_invite_call_socket_rtc_and_visitor_end() {
    let s = start(video_config()).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;

    // The visitor asks; both sides see the request.
    let (st, v) = video(&s, &chat, "request", None).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!((v["state"].as_str(), v["by"].as_str(), v["cameraMode"].as_str(), v["reason"].is_null()), (Some("requested"), Some("visitor"), Some("normal"), true));
    let id = v["id"].as_str().expect("call id").to_string();
    assert!(id.starts_with("call_"), "{id}");
    visitor.until(|f| is_call(f, VideoCallState::Requested)).await;
    alice.until(|f| is_call(f, VideoCallState::Requested)).await;

    // The agent invites: the same call, now invited.
    alice.send(&agent_video(&chat, VideoAction::Invite, None)).await;
    let invited = call_of(visitor.until(|f| is_call(f, VideoCallState::Invited)).await);
    assert_eq!((invited.id.as_str(), invited.by), (id.as_str(), Sender::Agent));
    alice.until(|f| is_call(f, VideoCallState::Invited)).await;

    // The call socket takes it: its first frame is the active call.
    let mut call = call_socket(&s, &chat, &id).await;
    let first = call_of(call.next().await.expect("first frame"));
    assert_eq!((first.id.as_str(), first.state, first.by), (id.as_str(), VideoCallState::Active, Sender::Visitor));
    let active = call_of(alice.until(|f| is_call(f, VideoCallState::Active)).await);
    assert_eq!(active.id, id);
    alice.until(|f| is_msg(f, "Video call started")).await;
    visitor.until(|f| is_call(f, VideoCallState::Active)).await;
    visitor.until(|f| is_msg(f, "Video call started")).await;

    // Signalling: the offer to the call socket only, the answer and a candidate back to the agent.
    let offer = json!({ "type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" });
    alice.send(&rtc(Some(&chat), &id, offer.clone())).await;
    match call.next().await {
        Some(ServerFrame::Rtc { conversation_id, call_id, from, payload }) => {
            assert_eq!((conversation_id.as_str(), call_id.as_str(), from), (chat.conversation.id.as_str(), id.as_str(), Sender::Agent));
            assert_eq!(serde_json::to_value(&payload).unwrap(), offer);
        }
        other => panic!("expected the offer, got {other:?}"),
    }
    let answer = json!({ "type": "answer", "sdp": "v=0\r\n" });
    let candidate = json!({ "type": "candidate", "candidate": { "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0 } });
    call.send(&rtc(None, &id, answer.clone())).await;
    call.send(&rtc(None, &id, candidate.clone())).await;
    for expected in [answer, candidate] {
        match alice.until(|f| matches!(f, ServerFrame::Rtc { .. })).await {
            ServerFrame::Rtc { from, payload, call_id, .. } => {
                assert_eq!((from, call_id.as_str()), (Sender::Visitor, id.as_str()));
                assert_eq!(serde_json::to_value(&payload).unwrap(), expected);
            }
            _ => unreachable!(),
        }
    }
    call.send(&ClientFrame::Ping).await;
    assert!(matches!(call.next().await, Some(ServerFrame::Pong)));

    // The visitor hangs up: ended everywhere, the call socket closed after its frame.
    let (st, v) = video(&s, &chat, "end", Some(&id)).await;
    assert_eq!((st, v["state"].as_str(), v["reason"].as_str(), v["by"].as_str()), (200, Some("ended"), Some("visitor"), Some("visitor")));
    let ended = call_of(call.next().await.expect("ended frame"));
    assert_eq!((ended.state, ended.reason.as_deref()), (VideoCallState::Ended, Some("visitor")));
    assert!(call.next().await.is_none(), "the call socket is closed");
    alice.until(|f| is_call(f, VideoCallState::Ended)).await;
    alice.until(|f| is_msg(f, "Video call ended")).await;
    // The chat socket never saw signalling.
    visitor.until(|f| { assert!(!matches!(f, ServerFrame::Rtc { .. }), "rtc on the chat socket"); is_call(f, VideoCallState::Ended) }).await;
    visitor.until(|f| is_msg(f, "Video call ended")).await;
    let (st, _) = video(&s, &chat, "end", Some(&id)).await;
    assert_eq!(st, 200, "a repeated end is answered with the ended call");

    // Both system messages are in the transcript; a new call gets a new id.
    let history: Value = http().get(format!("{}/v1/conversations/{}/messages", base(&s), chat.conversation.id)).bearer_auth(&chat.session_token).send().await.unwrap().json().await.unwrap();
    let texts: Vec<&str> = history["messages"].as_array().unwrap().iter().filter(|m| m["sender"] == "system").filter_map(|m| m["text"].as_str()).collect();
    assert!(texts.contains(&"Video call started") && texts.contains(&"Video call ended"), "{texts:?}");
    let (st, v) = video(&s, &chat, "request", None).await;
    assert_eq!(st, 200);
    assert_ne!(v["id"].as_str(), Some(id.as_str()));
    s.stop().await;
}

#[tokio::test]
async fn agent_invites_and_visitor_declines() {
    let s = start(video_config()).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    alice.send(&agent_video(&chat, VideoAction::Invite, None)).await;
    let call = call_of(visitor.until(|f| is_call(f, VideoCallState::Invited)).await);
    assert_eq!(call.by, Sender::Agent);

    // A tab that connects now learns of the invitation after its replay.
    let mut other_tab = Ws::visitor(&s, &chat.session_token, 0).await;
    assert!(matches!(other_tab.next().await, Some(ServerFrame::Welcome { .. })));
    let seen = call_of(other_tab.until(|f| matches!(f, ServerFrame::Video { .. })).await);
    assert_eq!((seen.id.as_str(), seen.state), (call.id.as_str(), VideoCallState::Invited));

    let (st, v) = video(&s, &chat, "decline", Some("call_unknown")).await;
    assert_eq!((st, v["code"].as_str()), (404, Some("not_found")));
    let (st, v) = video(&s, &chat, "decline", None).await;
    assert_eq!((st, v["code"].as_str()), (400, Some("bad_request")));
    let (st, v) = video(&s, &chat, "decline", Some(&call.id)).await;
    assert_eq!((st, v["state"].as_str(), v["reason"].as_str()), (200, Some("ended"), Some("declined")), "{v}");
    let ended = call_of(alice.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!(ended.reason.as_deref(), Some("declined"));
    other_tab.until(|f| is_call(f, VideoCallState::Ended)).await;
    // Joining a declined call is refused.
    let mut late = call_socket(&s, &chat, &call.id).await;
    assert_eq!(error_code(&late.next().await.expect("refusal")), "video_unavailable");
    // No "Video call ended" for a call that never started.
    let history: Value = http().get(format!("{}/v1/conversations/{}/messages", base(&s), chat.conversation.id)).bearer_auth(&chat.session_token).send().await.unwrap().json().await.unwrap();
    assert!(!history.to_string().contains("Video call"), "{history}");
    s.stop().await;
}

#[tokio::test]
async fn refusals() {
    let s = start(video_config()).await;
    // Video off for the widget.
    let off = start_chat(&s, json!({ "widgetId": "novideo" })).await;
    let (st, v) = video(&s, &off, "request", None).await;
    assert_eq!((st, v["code"].as_str()), (409, Some("video_unavailable")));
    let (st, v) = video(&s, &off, "invite", None).await;
    assert_eq!((st, v["code"].as_str()), (400, Some("bad_request")), "invite is the agent's");

    // Bob is not video-capable.
    let mut bob = Ws::agent(&s, "bob", "pw-bob").await;
    bob.next().await;
    let (bobs, _bobs_visitor) = accepted_chat(&s, &mut bob, "demo").await;
    bob.send(&agent_video(&bobs, VideoAction::Invite, None)).await;
    assert_eq!(error_code(&bob.until(|f| matches!(f, ServerFrame::Error { .. })).await), "forbidden");
    bob.send(&rtc(Some(&bobs), "call_x", json!({ "type": "offer", "sdp": "" }))).await;
    assert_eq!(error_code(&bob.until(|f| matches!(f, ServerFrame::Error { .. })).await), "not_found");

    // Alice (video) gets the next chat: an active call, then every misuse.
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    let (id, mut call) = active_call(&s, &chat, &mut alice, &mut visitor).await;
    // Alice may not act on Bob's conversation.
    alice.send(&agent_video(&bobs, VideoAction::Invite, None)).await;
    assert_eq!(error_code(&alice.until(|f| matches!(f, ServerFrame::Error { .. })).await), "forbidden");
    // A second call socket: the call is taken.
    let mut second = call_socket(&s, &chat, &id).await;
    match second.next().await {
        Some(ServerFrame::Error { code, message, .. }) => assert_eq!((code.as_str(), message.as_str()), ("video_unavailable", "the call is taken in another tab")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(second.next().await.is_none(), "the refused socket is closed");
    let mut unknown = call_socket(&s, &chat, "call_nope").await;
    assert_eq!(error_code(&unknown.next().await.expect("refusal")), "not_found");
    // Another call while this one is under way; a decline of an active call.
    let (st, v) = video(&s, &chat, "request", None).await;
    assert_eq!((st, v["code"].as_str()), (409, Some("video_unavailable")));
    alice.send(&agent_video(&chat, VideoAction::Invite, None)).await;
    assert_eq!(error_code(&alice.until(|f| matches!(f, ServerFrame::Error { .. })).await), "video_unavailable");
    let (st, v) = video(&s, &chat, "decline", Some(&id)).await;
    assert_eq!((st, v["code"].as_str()), (409, Some("video_unavailable")));
    // rtc: a wrong call id, a payload that is not an object, on either side.
    alice.send(&rtc(Some(&chat), "call_other", json!({ "type": "offer", "sdp": "" }))).await;
    assert_eq!(error_code(&alice.until(|f| matches!(f, ServerFrame::Error { .. })).await), "not_found");
    alice.send(&rtc(Some(&chat), &id, json!("offer"))).await;
    assert_eq!(error_code(&alice.until(|f| matches!(f, ServerFrame::Error { .. })).await), "bad_request");
    call.send(&rtc(None, "call_other", json!({ "type": "answer", "sdp": "" }))).await;
    assert_eq!(error_code(&call.next().await.expect("refusal")), "not_found");
    call.send(&rtc(None, &id, json!([1, 2]))).await;
    assert_eq!(error_code(&call.next().await.expect("refusal")), "bad_request");
    // A call socket takes only rtc and ping; the chat socket takes no rtc.
    call.say(None, "c-1", "hello from the call socket").await;
    assert_eq!(error_code(&call.next().await.expect("refusal")), "bad_request");
    visitor.send(&rtc(None, &id, json!({ "type": "answer", "sdp": "" }))).await;
    assert_eq!(error_code(&visitor.until(|f| matches!(f, ServerFrame::Error { .. })).await), "bad_request");
    // Nothing of that reached the agent as signalling.
    alice.send(&ClientFrame::Ping).await;
    alice.until(|f| { assert!(!matches!(f, ServerFrame::Rtc { .. }), "refused rtc relayed: {f:?}"); matches!(f, ServerFrame::Pong) }).await;
    s.stop().await;
}

#[tokio::test]
async fn closing_the_conversation_ends_the_call() {
    let s = start(video_config()).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;
    let (id, mut call) = active_call(&s, &chat, &mut alice, &mut visitor).await;
    alice.send(&ClientFrame::Close { conversation_id: Some(chat.conversation.id.clone()) }).await;
    let ended = call_of(call.next().await.expect("ended frame"));
    assert_eq!((ended.id.as_str(), ended.state, ended.reason.as_deref(), ended.by), (id.as_str(), VideoCallState::Ended, Some("closed"), Sender::Agent));
    assert!(call.next().await.is_none(), "the call socket is closed");
    let ended = call_of(visitor.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!(ended.reason.as_deref(), Some("closed"));
    visitor.until(|f| is_msg(f, "Video call ended")).await;
    visitor.until(|f| is_msg(f, "Conversation ended by the agent")).await;
    visitor.until(|f| matches!(f, ServerFrame::ConversationUpdated { conversation } if conversation.state == lcw_sdk::core::protocol::ConversationState::Closed)).await;
    let (st, v) = video(&s, &chat, "request", None).await;
    assert_eq!((st, v["code"].as_str()), (409, Some("conversation_closed")));
    let mut late = call_socket(&s, &chat, &id).await;
    assert_eq!(error_code(&late.next().await.expect("refusal")), "conversation_closed");
    s.stop().await;
}

#[tokio::test]
async fn a_side_going_away_ends_the_call() {
    // No wait for a resume here (server/tests/video_resume.rs has it).
    let s = start(ServerConfig { call_resume_secs: 0, ..video_config() }).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let (chat, mut visitor) = accepted_chat(&s, &mut alice, "demo").await;

    // The call socket goes away.
    let (_, call) = active_call(&s, &chat, &mut alice, &mut visitor).await;
    drop(call);
    let ended = call_of(alice.until(|f| is_call(f, VideoCallState::Ended)).await);
    assert_eq!(ended.reason.as_deref(), Some("disconnected"));
    alice.until(|f| is_msg(f, "Video call ended")).await;
    visitor.until(|f| is_call(f, VideoCallState::Ended)).await;

    // The agent's last socket goes away.
    let (_, mut call) = active_call(&s, &chat, &mut alice, &mut visitor).await;
    drop(alice);
    let ended = call_of(call.next().await.expect("ended frame"));
    assert_eq!((ended.reason.as_deref(), ended.by), (Some("disconnected"), Sender::Agent));
    visitor.until(|f| is_msg(f, "Video call ended")).await;
    s.stop().await;
}

#[tokio::test]
async fn waiting_requests_reach_the_queue_and_the_snapshot() {
    let s = start(video_config()).await;
    // Nobody online: the request waits with the conversation.
    let chat = start_chat(&s, json!({})).await;
    let (st, v) = video(&s, &chat, "request", None).await;
    assert_eq!(st, 200, "{v}");
    // Bob serves the queue but is full: the next request reaches him while waiting.
    // Bob signs in: the first chat is his, its request follows his snapshot.
    let mut bob = Ws::agent(&s, "bob", "pw-bob").await;
    assert!(matches!(bob.next().await, Some(ServerFrame::AgentWelcome { .. })));
    match bob.next().await {
        Some(ServerFrame::Video { conversation_id, call }) => assert_eq!((conversation_id.as_str(), call.state), (chat.conversation.id.as_str(), VideoCallState::Requested)),
        other => panic!("expected the request after the snapshot, got {other:?}"),
    }
    let _second = start_chat(&s, json!({})).await;
    let third = start_chat(&s, json!({})).await;
    assert_eq!(third.conversation.state, lcw_sdk::core::protocol::ConversationState::Waiting);
    let (st, _) = video(&s, &third, "request", None).await;
    assert_eq!(st, 200);
    let third_id = third.conversation.id.clone();
    match bob.until(|f| matches!(f, ServerFrame::Video { conversation_id, .. } if *conversation_id == third_id)).await {
        ServerFrame::Video { conversation_id, call } => assert_eq!((conversation_id.as_str(), call.state), (third.conversation.id.as_str(), VideoCallState::Requested)),
        _ => unreachable!(),
    }
    // Alice signs in: the third chat is hers, and its request follows her snapshot.
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    assert!(matches!(alice.next().await, Some(ServerFrame::AgentWelcome { .. })));
    match alice.next().await {
        Some(ServerFrame::Video { conversation_id, call }) => assert_eq!((conversation_id.as_str(), call.state), (third.conversation.id.as_str(), VideoCallState::Requested)),
        other => panic!("expected the request after the snapshot, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn availability_and_agent_settings() {
    let s = start(video_config()).await;
    let b = base(&s);
    let availability = |widget: &'static str| {
        let url = format!("{b}/v1/widgets/{widget}/availability");
        async move { http().get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let av = availability("demo").await;
    assert_eq!((av["isAgentAvailable"].as_bool(), av["isVideoAgentAvailable"].as_bool()), (Some(false), Some(false)));
    let mut bob = Ws::agent(&s, "bob", "pw-bob").await;
    bob.next().await;
    let av = availability("demo").await;
    assert_eq!((av["isAgentAvailable"].as_bool(), av["isVideoAgentAvailable"].as_bool()), (Some(true), Some(false)), "bob is not video-capable");
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    assert_eq!(availability("demo").await["isVideoAgentAvailable"], true);
    assert_eq!(availability("novideo").await["isVideoAgentAvailable"], false, "video off for the widget");
    // Alice at capacity (2): no video agent with room.
    for _ in 0..3 {
        start_chat(&s, json!({})).await;
    }
    assert_eq!(availability("demo").await["isVideoAgentAvailable"], false);

    // What the console learns.
    let settings = |user: &'static str, pw: &'static str| {
        let b = b.clone();
        async move {
            let (_, login) = post(&format!("{b}/v1/agent/login"), json!({ "username": user, "password": pw }), None).await;
            let token = login["token"].as_str().unwrap().to_string();
            http().get(format!("{b}/v1/agent/video")).bearer_auth(token).send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let a = settings("alice", "pw-alice").await;
    assert_eq!((a["videoAgent"].as_bool(), a["widgets"]["demo"]["enabled"].as_bool(), a["widgets"]["novideo"]["enabled"].as_bool()), (Some(true), Some(true), Some(false)), "{a}");
    assert_eq!(a["widgets"]["demo"]["cameraMode"], "normal");
    assert_eq!(settings("bob", "pw-bob").await["videoAgent"], false);
    let anon = http().get(format!("{b}/v1/agent/video")).send().await.unwrap();
    assert_eq!(anon.status().as_u16(), 401);
    // The console loads its video part.
    assert!(http().get(format!("{b}/agent/")).send().await.unwrap().text().await.unwrap().contains("/agent/video.js"));
    let js = http().get(format!("{b}/agent/video.js")).send().await.unwrap();
    assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(js.text().await.unwrap().contains("RTCPeerConnection"));
    s.stop().await;
}

#[tokio::test]
async fn a_turn_relay_gets_a_short_lived_pair_in_every_video_configuration_and_never_its_secret() {
    let mut cfg = video_config();
    let secret = "shared-with-the-relay-only";
    cfg.turn = Some(lcw_server::security::turn::TurnConfig {
        urls: vec!["turn:relay.test:3478?transport=udp".into(), "turns:relay.test:5349".into()],
        shared_secret: secret.into(),
        ttl_secs: 600,
    });
    let s = start(cfg).await;
    let b = base(&s);
    let now = lcw_server::store::now_ms() / 1000;
    let check = |servers: &Value, who: &str| {
        let turn: Vec<&Value> = servers.as_array().unwrap().iter().filter(|s| s["urls"][0] == "turn:relay.test:3478?transport=udp").collect();
        assert_eq!(turn.len(), 1, "{servers}");
        let user = turn[0]["username"].as_str().unwrap();
        let (expiry, name) = user.split_once(':').unwrap();
        let expiry: i64 = expiry.parse().unwrap();
        assert!((now + 600..=now + 605).contains(&expiry), "valid ttl_secs from now: {user}");
        assert_eq!(name, who);
        // The relay recomputes it from the user name and the shared secret.
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.as_bytes());
        let tag = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, turn[0]["credential"].as_str().unwrap()).unwrap();
        assert!(ring::hmac::verify(&key, user.as_bytes(), &tag).is_ok(), "{user}");
    };
    let widget = |id: &'static str| {
        let b = b.clone();
        async move { http().get(format!("{b}/v1/widgets/{id}/config")).send().await.unwrap().text().await.unwrap() }
    };
    let demo = widget("demo").await;
    assert!(!demo.contains(secret), "the secret stays on the server");
    check(&serde_json::from_str::<Value>(&demo).unwrap()["video"]["iceServers"], "visitor-demo");
    let novideo: Value = serde_json::from_str(&widget("novideo").await).unwrap();
    assert!(!novideo.to_string().contains("relay.test"), "no pair where video is off: {novideo}");

    let (_, login) = post(&format!("{b}/v1/agent/login"), json!({ "username": "alice", "password": "pw-alice" }), None).await;
    let settings = http().get(format!("{b}/v1/agent/video")).bearer_auth(login["token"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(!settings.contains(secret));
    check(&serde_json::from_str::<Value>(&settings).unwrap()["widgets"]["demo"]["iceServers"], "agent-alice");
    s.stop().await;

    // A relay without a usable secret does not start.
    let mut bad = video_config();
    bad.turn = Some(lcw_server::security::turn::TurnConfig { urls: vec!["turn:relay.test".into()], shared_secret: "short".into(), ttl_secs: 0 });
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = lcw_server::start(bad, l).await.err().expect("refused").to_string();
    assert!(err.contains("shared_secret"), "{err}");
}
