//! Visitor and agent exchange messages over real sockets on loopback.

mod common;

use common::*;
use lcw_sdk::core::protocol::{ClientFrame, ConversationState, Sender, ServerFrame};
use serde_json::{json, Value};

#[tokio::test]
async fn visitor_and_agent_chat() {
    let s = start(config(":memory:")).await;
    let base = base(&s);

    // Availability before any agent is online.
    let av: Value = http().get(format!("{base}/v1/widgets/demo/availability")).send().await.unwrap().json().await.unwrap();
    assert_eq!(av["isQueueAvailable"], true);
    assert_eq!(av["isAgentAvailable"], false);
    assert_eq!(av["positionInQueue"], 1);

    let start = start_chat(&s, json!({ "preChat": { "name": "Vera" } })).await;
    assert_eq!(start.conversation.state, ConversationState::Waiting);
    assert_eq!(start.conversation.position_in_queue, Some(1));
    let conv_id = start.conversation.id.clone();

    let mut visitor = Ws::visitor(&s, &start.session_token, 0).await;
    assert!(matches!(visitor.next().await, Some(ServerFrame::Welcome { .. })));
    visitor.say(None, "v-1", "Hello, anyone there?").await;
    match visitor.until(|f| matches!(f, ServerFrame::Ack { .. })).await {
        ServerFrame::Ack { seq, duplicate, .. } => assert_eq!((seq, duplicate), (1, false)),
        _ => unreachable!(),
    }

    // The agent signs in: the waiting conversation is routed to them.
    let mut agent = Ws::agent(&s, "alice", "pw-alice").await;
    match agent.next().await {
        Some(ServerFrame::AgentWelcome { agent: a, conversations }) => {
            assert_eq!(a.id, "alice");
            assert!(conversations.iter().any(|c| c.conversation.id == conv_id && c.context.contains_key("page") && c.pre_chat["name"] == "Vera"));
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    visitor.until(|f| matches!(f, ServerFrame::ConversationUpdated { conversation } if conversation.state == ConversationState::Assigned)).await;

    agent.send(&ClientFrame::Accept { conversation_id: conv_id.clone() }).await;
    visitor.until(|f| matches!(f, ServerFrame::Message { message, .. } if message.sender == Sender::System)).await;
    visitor.until(|f| matches!(f, ServerFrame::ConversationUpdated { conversation } if conversation.state == ConversationState::Active && conversation.agent.as_ref().is_some_and(|a| a.display_name == "Alice"))).await;

    // History fetch gives the agent the visitor's first message.
    agent.send(&ClientFrame::Fetch { conversation_id: conv_id.clone(), after_seq: 0 }).await;
    match agent.until(|f| matches!(f, ServerFrame::History { .. })).await {
        ServerFrame::History { messages, .. } => assert_eq!(messages[0].text, "Hello, anyone there?"),
        _ => unreachable!(),
    }

    agent.say(Some(&conv_id), "a-1", "Hi Vera, how can I help?").await;
    let f = visitor.until(|f| is_msg(f, "Hi Vera, how can I help?")).await;
    if let ServerFrame::Message { message, .. } = f {
        assert_eq!(message.sender, Sender::Agent);
        assert_eq!(message.author_name.as_deref(), Some("Alice"));
    }
    visitor.send(&ClientFrame::Typing { conversation_id: None, is_typing: true }).await;
    agent.until(|f| matches!(f, ServerFrame::Typing { sender: Sender::Visitor, is_typing: true, .. })).await;
    visitor.say(None, "v-2", "<b>not html</b>").await;
    agent.until(|f| is_msg(f, "<b>not html</b>")).await;

    // Agent ends; visitor sees it, rates it.
    agent.send(&ClientFrame::Close { conversation_id: Some(conv_id.clone()) }).await;
    visitor.until(|f| matches!(f, ServerFrame::ConversationUpdated { conversation } if conversation.state == ConversationState::Closed && conversation.closed_by == Some(Sender::Agent))).await;
    let (st, _) = post(&format!("{base}/v1/conversations/{conv_id}/rating"), json!({ "rating": "up" }), Some(&start.session_token)).await;
    assert_eq!(st, 204);
    // Sending after close is refused with its code.
    visitor.say(None, "v-3", "still there?").await;
    match visitor.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, client_id, .. } => {
            assert_eq!(code.as_str(), "conversation_closed");
            assert_eq!(client_id.as_deref(), Some("v-3"));
        }
        _ => unreachable!(),
    }
    s.stop().await;
}

#[tokio::test]
async fn routing_least_busy_and_queue_positions() {
    let s = start(config(":memory:")).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.next().await;
    let mut bob = Ws::agent(&s, "bob", "pw-bob").await;
    bob.next().await;
    // Capacity 2 each: the first four go alternately, the fifth waits.
    let mut agents = Vec::new();
    for _ in 0..4 {
        let st = start_chat(&s, json!({})).await;
        agents.push(st.conversation.agent.map(|a| a.id).unwrap_or_default());
    }
    assert_eq!(agents.iter().filter(|a| *a == "alice").count(), 2);
    assert_eq!(agents.iter().filter(|a| *a == "bob").count(), 2);
    let fifth = start_chat(&s, json!({})).await;
    assert_eq!(fifth.conversation.state, ConversationState::Waiting);
    assert_eq!(fifth.conversation.position_in_queue, Some(1));
    let av: Value = http().get(format!("{}/v1/widgets/demo/availability", base(&s))).send().await.unwrap().json().await.unwrap();
    assert_eq!(av["isAgentAvailable"], false);
    assert_eq!(av["positionInQueue"], 2);
    s.stop().await;
}

#[tokio::test]
async fn http_send_offline_message_and_attachments() {
    let s = start(config(":memory:")).await;
    let base = base(&s);
    let st = start_chat(&s, json!({})).await;
    let id = &st.conversation.id;
    let tok = st.session_token.as_str();
    let (code, ack) = post(&format!("{base}/v1/conversations/{id}/messages"), json!({ "clientId": "h-1", "text": "via http" }), Some(tok)).await;
    assert_eq!((code, ack["seq"].as_u64(), ack["duplicate"].as_bool()), (200, Some(1), Some(false)));
    let (_, again) = post(&format!("{base}/v1/conversations/{id}/messages"), json!({ "clientId": "h-1", "text": "via http" }), Some(tok)).await;
    assert_eq!((again["seq"].as_u64(), again["duplicate"].as_bool()), (Some(1), Some(true)));

    let (code, off) = post(&format!("{base}/v1/widgets/demo/offline-messages"), json!({ "name": "N", "email": "n@x.test", "message": "call me" }), None).await;
    assert_eq!(code, 201, "{off}");

    let up = http().post(format!("{base}/v1/conversations/{id}/attachments?name=a.png")).bearer_auth(tok).header("content-type", "image/png").body(vec![1u8, 2, 3]).send().await.unwrap();
    assert_eq!(up.status().as_u16(), 201);
    let att: Value = up.json().await.unwrap();
    let (code, _) = post(&format!("{base}/v1/conversations/{id}/messages"), json!({ "clientId": "h-2", "text": "", "attachmentId": att["id"] }), Some(tok)).await;
    assert_eq!(code, 200);
    let down = http().get(format!("{base}{}", att["url"].as_str().unwrap())).bearer_auth(tok).send().await.unwrap();
    assert_eq!(down.status().as_u16(), 200);
    assert_eq!(down.headers()["content-type"], "image/png");
    assert_eq!(down.bytes().await.unwrap().as_ref(), &[1u8, 2, 3]);
    let other = start_chat(&s, json!({})).await;
    let denied = http().get(format!("{base}{}", att["url"].as_str().unwrap())).bearer_auth(&other.session_token).send().await.unwrap();
    assert_eq!(denied.status().as_u16(), 403);

    let health: Value = http().get(format!("{base}/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    s.stop().await;
}

#[tokio::test]
async fn serves_static_pkg_and_console_with_mime_types() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("www/index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(dir.path().join("pkg/lcw.js"), "export {}").unwrap();
    std::fs::write(dir.path().join("pkg/lcw_bg.wasm"), [0u8, 97, 115, 109]).unwrap();
    let mut cfg = config(":memory:");
    cfg.static_dir = Some(dir.path().join("www"));
    cfg.pkg_dir = Some(dir.path().join("pkg"));
    let s = start(cfg).await;
    let b = base(&s);
    let get = |p: &str| http().get(format!("{b}{p}")).send();
    let r = get("/").await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("demo"));
    assert_eq!(get("/pkg/lcw_bg.wasm").await.unwrap().headers()["content-type"], "application/wasm");
    assert!(get("/pkg/lcw.js").await.unwrap().headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    let console = get("/agent/").await.unwrap();
    assert!(console.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    assert!(console.text().await.unwrap().contains("Agent console"));
    assert!(get("/agent/console.js").await.unwrap().text().await.unwrap().contains("textContent"));
    s.stop().await;
}

/// An ack answers a visitor's send at once, while the hub may still hold
/// messages with lower seqs for the same socket (an agent's, appended just
/// before). Sent first, the ack looks like a gap to the SDK, which then
/// drops its socket and resumes (a needless reconnect). Agent and visitor
/// send in one burst; every ack must come after every lower seq.
#[tokio::test]
async fn an_ack_never_overtakes_an_earlier_message() {
    let s = start(config(":memory:")).await;
    let start = start_chat(&s, json!({})).await;
    let conv_id = start.conversation.id.clone();
    let mut visitor = Ws::visitor(&s, &start.session_token, 0).await;
    visitor.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;
    let mut agent = Ws::agent(&s, "alice", "pw-alice").await;
    agent.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    agent.send(&ClientFrame::Accept { conversation_id: conv_id.clone() }).await;
    // Every seq the visitor has been given so far, from messages and acks.
    let mut seen = std::collections::BTreeSet::new();
    loop {
        match visitor.next().await {
            Some(ServerFrame::Message { message, .. }) => {
                seen.insert(message.seq);
            }
            Some(ServerFrame::ConversationUpdated { conversation }) if conversation.state == ConversationState::Active => break,
            Some(_) => {}
            None => panic!("no accept"),
        }
    }

    const N: usize = 40;
    for i in 0..N {
        agent.say(Some(&conv_id), &format!("a-{i}"), &format!("agent {i}")).await;
        visitor.say(None, &format!("v-{i}"), &format!("visitor {i}")).await;
    }
    let (mut acks, mut overtaken) = (0, Vec::new());
    while acks < N || seen.len() < seen.last().copied().unwrap_or(0) as usize {
        match visitor.next().await {
            Some(ServerFrame::Message { message, .. }) => {
                seen.insert(message.seq);
            }
            Some(ServerFrame::Ack { seq, .. }) => {
                acks += 1;
                if (1..seq).any(|earlier| !seen.contains(&earlier)) {
                    overtaken.push(seq);
                }
                seen.insert(seq);
            }
            Some(_) => {}
            None => panic!("socket closed or timed out; acks {acks}, seen {seen:?}"),
        }
    }
    assert_eq!(overtaken, Vec::<u64>::new(), "acks sent before a lower seq");
    s.stop().await;
}

/// An uploaded file's name loses the characters that would disguise it:
/// a right-to-left override makes `invoice<U+202E>fdp.exe` show as
/// "invoiceexe.pdf" in the console and the widget; controls and path
/// separators go too, and a name with nothing left is "file".
#[tokio::test]
async fn upload_names_lose_bidi_overrides_controls_and_separators() {
    let s = start(config(":memory:")).await;
    let base = base(&s);
    let st = start_chat(&s, json!({})).await;
    let id = &st.conversation.id;
    for (raw, stored) in [
        ("invoice%E2%80%AEfdp.exe", "invoicefdp.exe"),
        ("a%E2%81%A7b%E2%81%A9%E2%80%8F.png", "ab.png"),
        ("..%2F..%2Fetc%5Cpasswd%07", "....etcpasswd"),
        ("%E2%80%AE%E2%80%AC", "file"),
        ("r%C3%A9sum%C3%A9%20%D8%B3%D9%84%D8%A7%D9%85.png", "résumé سلام.png"),
    ] {
        let up = http().post(format!("{base}/v1/conversations/{id}/attachments?name={raw}")).bearer_auth(&st.session_token)
            .header("content-type", "image/png").body(vec![1u8]).send().await.unwrap();
        assert_eq!(up.status().as_u16(), 201, "{raw}");
        let att: Value = up.json().await.unwrap();
        assert_eq!(att["name"], stored, "{raw}");
    }
    s.stop().await;
}
