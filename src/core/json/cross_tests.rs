//! Cross-checks of the SDK's JSON code against the serde impls (feature
//! `serde`, the server's): for every wire type, serde_json's output read by
//! [`crate::core::json`] gives the same value, and our output read by
//! serde_json gives the same value and the same JSON shape.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::core::json::{self, FromJson, ToJson};
use crate::core::protocol::*;

pub(super) fn ours<T: FromJson>(text: &str) -> Result<T, String> {
    json::from_str(text).map_err(|e| e.to_string())
}

pub(super) fn theirs<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Equal JSON values, numbers compared as numbers (`1` and `1.0`).
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.as_f64() == y.as_f64(),
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
        (V::Object(x), V::Object(y)) => x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same_json(a, b))),
        _ => a == b,
    }
}

/// Both directions, for types the SDK reads and writes.
pub(super) fn both_ways<T: Serialize + DeserializeOwned + ToJson + FromJson + PartialEq + Debug>(all: &[T]) {
    for v in all {
        let s = serde_json::to_string(v).unwrap();
        assert_eq!(ours::<T>(&s).as_ref(), Ok(v), "serde's {s}");
        let o = json::to_string(v);
        assert_eq!(theirs::<T>(&o).as_ref(), Ok(v), "ours {o}");
        let (sv, ov) = (serde_json::to_value(v).unwrap(), serde_json::from_str(&o).unwrap());
        assert!(same_json(&sv, &ov), "shape: serde {sv} ours {ov}");
    }
}

/// Both readers accept the same texts with the same result, or both refuse.
pub(super) fn read_same<T: DeserializeOwned + FromJson + PartialEq + Debug>(texts: &[&str]) {
    for t in texts {
        match (ours::<T>(t), theirs::<T>(t)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{t}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{t}: ours {a:?}, serde {b:?}"),
        }
    }
}

pub(super) fn conv() -> ConversationInfo {
    ConversationInfo {
        id: "c".into(),
        queue_id: "q".into(),
        widget_id: "w".into(),
        state: ConversationState::Assigned,
        agent: Some(AgentInfo { id: "a".into(), display_name: "Ann \"A\"\n".into() }),
        customer_id: Some("cu".into()),
        created_at: -5,
        last_seq: u64::MAX,
        position_in_queue: Some(1),
        closed_by: Some(Sender::Agent),
        visitor_read_seq: 7,
        agent_read_seq: 3,
    }
}

pub(super) fn bare_conv() -> ConversationInfo {
    ConversationInfo {
        agent: None, customer_id: None, position_in_queue: None, closed_by: None, state: ConversationState::Waiting, visitor_read_seq: 0, agent_read_seq: 0,
        ..conv()
    }
}

pub(super) fn msg() -> Message {
    let attachment = AttachmentInfo { id: "f".into(), name: "n é 😀".into(), mime_type: "m".into(), size: 1, url: "u".into() };
    Message { seq: 3, client_id: Some("x".into()), sender: Sender::Visitor, author_name: Some("V".into()), text: "hi\u{1}\u{7f}</script>".into(), attachment: Some(attachment), sent_at: 7 }
}

fn agent_conv() -> AgentConversation {
    let mut context = BTreeMap::new();
    context.insert("b".into(), ContextEntry { value: ContextPrimitive::Bool(true), is_displayable: true });
    context.insert("n".into(), ContextEntry { value: ContextPrimitive::Number(2.5), is_displayable: false });
    context.insert("i".into(), ContextEntry { value: ContextPrimitive::Number(-3.0), is_displayable: false });
    context.insert("t".into(), ContextEntry { value: ContextPrimitive::Text("v".into()), is_displayable: true });
    AgentConversation { conversation: conv(), context, pre_chat: [("k".to_string(), "v".to_string())].into(), visitor_away_since: Some(1_700_000_000_000) }
}

#[test]
fn server_frames() {
    let agent = AgentInfo { id: "a".into(), display_name: "Ann".into() };
    both_ways(&[
        ServerFrame::Welcome { conversation: conv(), auth_expires_at: None },
        ServerFrame::Welcome { conversation: bare_conv(), auth_expires_at: Some(1_700_000_000_000) },
        ServerFrame::AuthOk { expires_at: 1_700_000_000_000 },
        ServerFrame::AgentWelcome { agent, conversations: vec![agent_conv()] },
        ServerFrame::Message { conversation_id: "c".into(), message: msg() },
        ServerFrame::Message { conversation_id: "c".into(), message: Message { client_id: None, author_name: None, attachment: None, ..msg() } },
        ServerFrame::Ack { conversation_id: "c".into(), client_id: "x".into(), seq: 4, duplicate: true },
        ServerFrame::Typing { conversation_id: "c".into(), sender: Sender::Agent, is_typing: true },
        ServerFrame::ConversationUpdated { conversation: conv() },
        ServerFrame::AgentConversationUpdated { conversation: agent_conv() },
        ServerFrame::AgentConversationUpdated { conversation: AgentConversation { visitor_away_since: None, ..agent_conv() } },
        ServerFrame::History { conversation_id: "c".into(), messages: vec![msg(), msg()] },
        ServerFrame::Error { code: ErrorCode::RateLimited, message: "m".into(), client_id: Some("x".into()), retry_after_ms: Some(1200), interval_ms: Some(500) },
        ServerFrame::Error { code: ErrorCode::RateLimited, message: "m".into(), client_id: None, retry_after_ms: Some(1200), interval_ms: None },
        ServerFrame::Error { code: ErrorCode::AuthExpired, message: "m".into(), client_id: None, retry_after_ms: None, interval_ms: None },
        ServerFrame::Video { conversation_id: "c".into(), call: VideoCall { id: "v".into(), state: VideoCallState::Invited, by: Sender::Agent, camera_mode: "one_way".into(), reason: None } },
        ServerFrame::Video { conversation_id: "c".into(), call: VideoCall { id: "v".into(), state: VideoCallState::Ended, by: Sender::Visitor, camera_mode: "normal".into(), reason: Some("declined".into()) } },
        ServerFrame::Rtc { conversation_id: "c".into(), call_id: "v".into(), from: Sender::Agent, payload: crate::core::json::parse(r#"{"sdp":"v=0\r\n","type":"offer"}"#).unwrap() },
        ServerFrame::Read { conversation_id: "c".into(), reader: Sender::Visitor, seq: 12 },
        ServerFrame::Pong,
    ]);
    read_same::<ServerFrame>(&[
        r#"{"type":"ack","conversationId":"c","clientId":"x","seq":4,"duplicate":false,"new":1}"#,
        r#"{"seq":4,"duplicate":false,"type":"ack","conversationId":"c","clientId":"x"}"#,
        r#"{"type":"pong","seq":1}"#,
        r#"{"type":"welcome","conversation":{"id":"c"}}"#,
        r#"{"type":"ack","conversationId":"c","clientId":"x","seq":"4","duplicate":false}"#,
        r#"{"type":"ack","conversationId":"c","clientId":"x","seq":-4,"duplicate":false}"#,
        r#"{"type":"ack","conversationId":"c","clientId":"x","seq":4.5,"duplicate":false}"#,
        r#"{"type":"typing","conversationId":"c","sender":"bot","isTyping":true}"#,
        r#"{"type":"nope"}"#, r#"{"seq":1}"#, r#""x""#, "null", "[]", r#"{"type":1}"#,
        r#"{"type":"error","code":"internal","message":"m","clientId":null}"#,
    ]);
}

#[test]
fn client_frames() {
    both_ways(&[
        ClientFrame::Hello { session_token: Some("s".into()), last_seq: 3, auth_token: Some("a.b.c".into()), call_id: Some("call_1".into()), call_key: Some("k1".into()) },
        ClientFrame::Hello { session_token: None, last_seq: 0, auth_token: None, call_id: None, call_key: None },
        ClientFrame::Auth { token: "t".into() },
        ClientFrame::AgentHello { token: "t".into() },
        ClientFrame::Send { conversation_id: Some("c".into()), client_id: "x".into(), text: "\u{2028}\\/".into(), attachment_id: Some("f".into()) },
        ClientFrame::Send { conversation_id: None, client_id: "x".into(), text: String::new(), attachment_id: None },
        ClientFrame::Typing { conversation_id: None, is_typing: false },
        ClientFrame::Accept { conversation_id: "c".into() },
        ClientFrame::Close { conversation_id: Some("c".into()) },
        ClientFrame::Fetch { conversation_id: "c".into(), after_seq: 9 },
        ClientFrame::Video { conversation_id: "c".into(), action: VideoAction::Invite, call_id: None },
        ClientFrame::Video { conversation_id: "c".into(), action: VideoAction::End, call_id: Some("v".into()) },
        ClientFrame::Rtc { conversation_id: None, call_id: "v".into(), payload: crate::core::json::parse(r#"{"candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0"},"type":"candidate"}"#).unwrap() },
        ClientFrame::Read { conversation_id: None, seq: 3 },
        ClientFrame::Read { conversation_id: Some("c".into()), seq: 0 },
        ClientFrame::Ping,
    ]);
    read_same::<ClientFrame>(&[r#"{"type":"hello"}"#, r#"{"type":"auth"}"#, r#"{"type":"fetch","conversationId":"c"}"#, r#"{"type":"send","clientId":"x"}"#]);
}

#[test]
fn http_bodies() {
    let ctx = agent_conv().context;
    both_ways(&[
        StartRequest { widget_id: "w".into(), context: ctx.clone(), auth_token: Some("j".into()), pre_chat: [("a".into(), "b".into())].into(), locale: Some("fr".into()), ..Default::default() },
        StartRequest { authorization_code: Some("c0de".into()), code_verifier: Some("v".repeat(43)), ..Default::default() },
        StartRequest::default(),
    ]);
    both_ways(&[StartResponse { conversation: conv(), session_token: "s".into(), session_expires_at: 9, resumed: true, ws_path: "/v1/ws".into() }]);
    both_ways(&[ResumeRequest { session_token: Some("s".into()), after_seq: 2 }, ResumeRequest::default()]);
    both_ways(&[ResumeResponse { conversation: conv(), messages: vec![msg()] }]);
    both_ways(&[AuthRequest { auth_token: "t".into() }]);
    both_ways(&[AuthResponse { expires_at: 1 }]);
    both_ways(&[SendMessageRequest { client_id: "x".into(), text: "t".into(), attachment_id: Some("f".into()) }, SendMessageRequest::default()]);
    both_ways(&[SendAck { client_id: "x".into(), seq: 1, duplicate: false, sent_at: 2 }]);
    both_ways(&[RatingRequest { rating: Rating::Up, comment: Some("c".into()) }, RatingRequest { rating: Rating::Down, comment: None }]);
    both_ways(&[OfflineMessageRequest { name: "n".into(), email: "e".into(), message: "m".into(), fields: [("f".into(), "v".into())].into() }]);
    both_ways(&[IdResponse { id: "i".into() }]);
    both_ways(&[AgentLoginRequest { username: "u".into(), password: "p".into() }]);
    both_ways(&[
        AgentLoginResponse { token: "t".into(), agent: AgentInfo { id: "a".into(), display_name: "A".into() }, expires_at: 3, signed_in_until: None },
        AgentLoginResponse { token: "t".into(), agent: AgentInfo { id: "a".into(), display_name: "A".into() }, expires_at: 3, signed_in_until: Some(9) },
    ]);
    both_ways(&[Availability { queue_id: "q".into(), is_queue_available: true, is_agent_available: false, position_in_queue: 2, average_wait_time: 30, next_window: Some(TimeWindow { start: 1, end: 2 }), is_video_agent_available: true }, Availability::default()]);
    both_ways(&[ErrorBody::new(ErrorCode::NotFound, "gone"), ErrorBody { retry_after_ms: Some(500), ..ErrorBody::new(ErrorCode::RateLimited, "slow") }, ErrorBody { retry_after_ms: Some(500), interval_ms: Some(1000), ..ErrorBody::new(ErrorCode::RateLimited, "slow") }]);
    both_ways(&[ContextPrimitive::Bool(false), ContextPrimitive::Number(-2.5), ContextPrimitive::Number(1e300), ContextPrimitive::Number(0.1), ContextPrimitive::Text("x".into())]);
    read_same::<ContextEntry>(&[r#"{"value":"v"}"#, r#"{"value":1,"isDisplayable":false}"#, r#"{"value":null}"#, r#"{"value":[]}"#, "{}"]);
    read_same::<StartRequest>(&["{}", r#"{"widgetId":"w","context":{"a":{"value":2}}}"#, r#"{"widgetId":null}"#]);
    read_same::<ErrorBody>(&[r#"{"code":"bad_request","message":"m"}"#, r#"{"code":"nope","message":"m"}"#, r#"{"code":"internal"}"#]);
}

#[test]
fn widget_config() {
    // Keys in order: serde_json's map sorts them.
    let rules = r#"[{"id":"r","when":{"ms":5,"type":"timeOnPage"},"x":[1,-2,2.5,1e-7,true,null,"s",{}]}]"#;
    let mut c = WidgetConfig {
        widget_id: "w".into(),
        proactive_rules: json::from_str(rules).unwrap(),
        rating_enabled: true,
        translations: [("fr".to_string(), [("hi".to_string(), "salut".to_string())].into())].into(),
        max_message_chars: 4000,
        ..WidgetConfig::default()
    };
    c.theme.launcher_image = Some("i".into());
    c.theme.offset_x = -3;
    c.theme.corner_radius = Some(4);
    c.pre_chat.fields.push(FormField { name: "n".into(), label: "l".into(), kind: "select".into(), required: true, options: vec!["a".into()] });
    c.security.auth_mode = AuthMode::SecureCookie;
    c.files.allowed_mime_types = vec!["image/*".into()];
    c.video = VideoConfig { enabled: true, camera_mode: "camera_off".into(), ice_servers: vec![IceServer { urls: vec!["stun:s".into()], ..IceServer::default() }], resume_secs: Some(15) };
    both_ways(&[c, WidgetConfig::default()]);
    read_same::<WidgetConfig>(&["{}", r#"{"files":{}}"#, r#"{"files":{"enabled":false}}"#, r#"{"security":{"authMode":"jwt"}}"#, r#"{"theme":{"offsetX":1.5}}"#]);
    both_ways(&[AuthMode::Anonymous, AuthMode::SecureCookie, AuthMode::Jwt, AuthMode::Oauth]);
    both_ways(&[VideoAction::Request, VideoAction::Invite, VideoAction::Decline, VideoAction::End]);
    both_ways(&[VideoRequest { action: VideoAction::Request, call_id: None }, VideoRequest { action: VideoAction::End, call_id: Some("v".into()) }]);
    both_ways(&[IceServer { urls: vec!["stun:stun.example:3478".into()], username: None, credential: None },
        IceServer { urls: vec!["turn:t.example".into()], username: Some("u".into()), credential: Some("c".into()) }]);
    both_ways(&[ConversationState::Waiting, ConversationState::Assigned, ConversationState::Active, ConversationState::Closed]);
    both_ways(&[ErrorCode::BadRequest, ErrorCode::AttachmentTypeNotAllowed, ErrorCode::Internal, ErrorCode::ShuttingDown, ErrorCode::AuthorizationCodeRequired, ErrorCode::InvalidAuthorizationCode, ErrorCode::IdentityProviderUnavailable, ErrorCode::VideoUnavailable]);
}
