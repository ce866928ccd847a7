//! Video call helpers shared by the video test files.

use super::*;
use lcw_sdk::core::protocol::{ClientFrame, ServerFrame, StartResponse, VideoAction, VideoCall, VideoCallState};
use lcw_server::config::ServerConfig;
use lcw_server::RunningServer;
use serde_json::{json, Value};

/// Alice is video-capable, Bob is not; widget `novideo` has video off.
pub fn video_config() -> ServerConfig {
    let mut cfg = config(":memory:");
    cfg.agents[0].video = true;
    let mut off = cfg.widgets[0].clone();
    off.id = "novideo".into();
    off.config.widget_id = "novideo".into();
    off.config.video.enabled = false;
    cfg.widgets.push(off);
    cfg
}

pub fn rtc_payload(v: Value) -> lcw_sdk::core::json::Value {
    serde_json::from_value(v).expect("json value")
}

pub fn is_call(f: &ServerFrame, state: VideoCallState) -> bool {
    matches!(f, ServerFrame::Video { call, .. } if call.state == state)
}

pub fn call_of(f: ServerFrame) -> VideoCall {
    match f {
        ServerFrame::Video { call, .. } => call,
        other => panic!("expected a video frame, got {other:?}"),
    }
}

pub fn error_code(f: &ServerFrame) -> &'static str {
    match f {
        ServerFrame::Error { code, .. } => code.as_str(),
        _ => "",
    }
}

/// The conversation's transcript as text.
pub async fn transcript(s: &RunningServer, chat: &StartResponse) -> String {
    let url = format!("{}/v1/conversations/{}/messages", base(s), chat.conversation.id);
    let v: Value = http().get(url).bearer_auth(&chat.session_token).send().await.unwrap().json().await.unwrap();
    v.to_string()
}

/// `POST /v1/conversations/{id}/video`.
pub async fn video(s: &RunningServer, chat: &StartResponse, action: &str, call_id: Option<&str>) -> (u16, Value) {
    let url = format!("{}/v1/conversations/{}/video", base(s), chat.conversation.id);
    post(&url, json!({ "action": action, "callId": call_id }), Some(&chat.session_token)).await
}

/// A call socket: a hello with the call id.
pub async fn call_socket(s: &RunningServer, chat: &StartResponse, call_id: &str) -> Ws {
    keyed_call_socket(s, chat, call_id, None).await
}

/// A call socket presenting `key` (`hello.callKey`).
pub async fn keyed_call_socket(s: &RunningServer, chat: &StartResponse, call_id: &str, key: Option<&str>) -> Ws {
    let mut ws = Ws::connect(s, "/v1/ws", &[]).await.expect("connect");
    let hello = ClientFrame::Hello { session_token: Some(chat.session_token.clone()), last_seq: 0, auth_token: None, call_id: Some(call_id.into()), call_key: key.map(String::from) };
    ws.send(&hello).await;
    ws
}

/// An agent frame about a call.
pub fn agent_video(chat: &StartResponse, action: VideoAction, call_id: Option<&str>) -> ClientFrame {
    ClientFrame::Video { conversation_id: chat.conversation.id.clone(), action, call_id: call_id.map(String::from) }
}

pub fn rtc(chat: Option<&StartResponse>, call_id: &str, payload: Value) -> ClientFrame {
    ClientFrame::Rtc { conversation_id: chat.map(|c| c.conversation.id.clone()), call_id: call_id.into(), payload: rtc_payload(payload) }
}

/// A chat routed to `agent` (the only one online with room), accepted; the
/// visitor's chat socket after its welcome.
pub async fn accepted_chat(s: &RunningServer, agent: &mut Ws, widget: &str) -> (StartResponse, Ws) {
    let chat = start_chat(s, json!({ "widgetId": widget })).await;
    let mut visitor = Ws::visitor(s, &chat.session_token, 0).await;
    assert!(matches!(visitor.next().await, Some(ServerFrame::Welcome { .. })));
    agent.send(&ClientFrame::Accept { conversation_id: chat.conversation.id.clone() }).await;
    visitor.until(|f| matches!(f, ServerFrame::ConversationUpdated { conversation } if conversation.agent.is_some() && conversation.state == lcw_sdk::core::protocol::ConversationState::Active)).await;
    (chat, visitor)
}

/// An active call of `chat` (agent invite, call socket hello), both sides
/// past the "Video call started" message.
pub async fn active_call(s: &RunningServer, chat: &StartResponse, agent: &mut Ws, visitor: &mut Ws) -> (String, Ws) {
    keyed_active_call(s, chat, agent, visitor, None).await
}

/// [`active_call`], joined by a call socket presenting `key`.
pub async fn keyed_active_call(s: &RunningServer, chat: &StartResponse, agent: &mut Ws, visitor: &mut Ws, key: Option<&str>) -> (String, Ws) {
    agent.send(&agent_video(chat, VideoAction::Invite, None)).await;
    let call = call_of(visitor.until(|f| is_call(f, VideoCallState::Invited)).await);
    let mut socket = keyed_call_socket(s, chat, &call.id, key).await;
    assert!(matches!(socket.next().await, Some(ServerFrame::Video { call: c, .. }) if c.state == VideoCallState::Active && c.id == call.id));
    agent.until(|f| is_msg(f, "Video call started")).await;
    visitor.until(|f| is_msg(f, "Video call started")).await;
    (call.id, socket)
}
