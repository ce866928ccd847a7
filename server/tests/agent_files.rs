//! Agents send files to visitors: upload with the agent token, send with
//! `attachmentId`, the visitor receives and downloads it; everyone else is
//! refused.

mod common;

use common::*;
use lcw_sdk::core::protocol::{ClientFrame, Sender, ServerFrame};
use lcw_server::config::AgentConfig;
use serde_json::{json, Value};

async fn login(base: &str, user: &str, pw: &str) -> String {
    let (st, v) = post(&format!("{base}/v1/agent/login"), json!({ "username": user, "password": pw }), None).await;
    assert_eq!(st, 200, "{v}");
    v["token"].as_str().expect("token").to_string()
}

/// `POST /v1/agent/conversations/{id}/attachments`: (status, body).
async fn agent_upload(base: &str, conv: &str, token: &str, name: &str, mime: &str, bytes: &[u8]) -> (u16, Value) {
    let r = http()
        .post(format!("{base}/v1/agent/conversations/{conv}/attachments?name={name}"))
        .bearer_auth(token)
        .header("content-type", mime)
        .body(bytes.to_vec())
        .send()
        .await
        .expect("upload");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn download(base: &str, url: &str, token: &str) -> (u16, Vec<u8>) {
    let r = http().get(format!("{base}{url}")).bearer_auth(token).send().await.expect("download");
    (r.status().as_u16(), r.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
}

#[tokio::test]
async fn agent_sends_a_file_the_visitor_downloads() {
    let mut cfg = config(":memory:");
    // Carol serves another queue only: the demo conversation is not hers.
    cfg.agents.push(AgentConfig { id: "carol".into(), username: "carol".into(), display_name: "Carol".into(), password: Some("pw-carol".into()), capacity: 2, queues: vec!["vip".into()], ..Default::default() });
    let s = start(cfg).await;
    let base = base(&s);

    let alice_token = login(&base, "alice", "pw-alice").await;
    let mut alice = Ws::connect(&s, "/v1/agent/ws", &[]).await.expect("connect");
    alice.send(&ClientFrame::AgentHello { token: alice_token.clone() }).await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;

    let chat = start_chat(&s, json!({})).await;
    let conv = chat.conversation.id.clone();
    let mut visitor = Ws::visitor(&s, &chat.session_token, 0).await;
    visitor.until(|f| matches!(f, ServerFrame::Welcome { .. })).await;

    // Upload: the widget's rules apply (type, then the stored info).
    let png = [0x89u8, b'P', b'N', b'G', 1, 2, 3];
    let (st, att) = agent_upload(&base, &conv, &alice_token, "chart.png", "image/png", &png).await;
    assert_eq!(st, 201, "{att}");
    assert_eq!((att["name"].as_str(), att["mimeType"].as_str(), att["size"].as_u64()), (Some("chart.png"), Some("image/png"), Some(png.len() as u64)));
    let att_id = att["id"].as_str().unwrap().to_string();
    let url = att["url"].as_str().unwrap().to_string();

    let (st, err) = agent_upload(&base, &conv, &alice_token, "setup.exe", "application/x-msdownload", b"MZ").await;
    assert_eq!(st, 415, "{err}");
    assert_eq!(err["code"], "attachment_type_not_allowed");
    assert!(err["message"].as_str().unwrap().contains("image/*"), "names what is allowed: {err}");

    // Without a token, and by an agent not serving the queue: refused.
    let r = http().post(format!("{base}/v1/agent/conversations/{conv}/attachments?name=a.png")).header("content-type", "image/png").body(vec![1u8]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let carol_token = login(&base, "carol", "pw-carol").await;
    let (st, err) = agent_upload(&base, &conv, &carol_token, "a.png", "image/png", &png).await;
    assert_eq!((st, err["code"].as_str()), (403, Some("forbidden")));
    assert_eq!(download(&base, &url, &carol_token).await.0, 403, "carol may not read this conversation's files");

    // Send: the visitor receives the message with the attachment info.
    alice.send(&ClientFrame::Send { conversation_id: Some(conv.clone()), client_id: "a-file".into(), text: "here is the chart".into(), attachment_id: Some(att_id.clone()) }).await;
    alice.until(|f| matches!(f, ServerFrame::Ack { client_id, .. } if client_id == "a-file")).await;
    let got = visitor.until(|f| is_msg(f, "here is the chart")).await;
    let ServerFrame::Message { message, .. } = got else { unreachable!() };
    assert_eq!(message.sender, Sender::Agent);
    let a = message.attachment.expect("attachment info");
    assert_eq!((a.id.as_str(), a.name.as_str(), a.mime_type.as_str(), a.size, a.url.as_str()), (att_id.as_str(), "chart.png", "image/png", png.len() as u64, url.as_str()));

    // History carries it too.
    let hist: Value = http().get(format!("{base}/v1/conversations/{conv}/messages?afterSeq=0")).bearer_auth(&chat.session_token).send().await.unwrap().json().await.unwrap();
    assert!(hist["messages"].as_array().unwrap().iter().any(|m| m["attachment"]["id"] == att_id.as_str()), "{hist}");

    // The visitor downloads it with the session token; the agent too.
    assert_eq!(download(&base, &url, &chat.session_token).await, (200, png.to_vec()));
    assert_eq!(download(&base, &url, &alice_token).await.0, 200);

    // Another conversation's visitor is refused; its file cannot be sent here.
    let other = start_chat(&s, json!({})).await;
    assert_eq!(download(&base, &url, &other.session_token).await.0, 403);
    let up = http().post(format!("{base}/v1/conversations/{}/attachments?name=b.png", other.conversation.id)).bearer_auth(&other.session_token).header("content-type", "image/png").body(vec![1u8]).send().await.unwrap();
    let foreign: Value = up.json().await.unwrap();
    alice.send(&ClientFrame::Send { conversation_id: Some(conv.clone()), client_id: "a-foreign".into(), text: String::new(), attachment_id: foreign["id"].as_str().map(String::from) }).await;
    match alice.until(|f| matches!(f, ServerFrame::Error { client_id: Some(c), .. } if c == "a-foreign")).await {
        ServerFrame::Error { code, .. } => assert_eq!(code.as_str(), "not_found"),
        _ => unreachable!(),
    }
    s.stop().await;
}

#[tokio::test]
async fn agent_upload_follows_the_widget_rules() {
    let mut cfg = config(":memory:");
    cfg.widgets[0].config.files.enabled = false;
    let s = start(cfg).await;
    let base = base(&s);
    let token = login(&base, "alice", "pw-alice").await;
    let chat = start_chat(&s, json!({})).await;
    let (st, err) = agent_upload(&base, &chat.conversation.id, &token, "a.png", "image/png", &[1, 2]).await;
    assert_eq!((st, err["code"].as_str()), (403, Some("attachments_disabled")));
    let (st, err) = agent_upload(&base, "conv_nope", &token, "a.png", "image/png", &[1, 2]).await;
    assert_eq!((st, err["code"].as_str()), (404, Some("not_found")));
    s.stop().await;
}
