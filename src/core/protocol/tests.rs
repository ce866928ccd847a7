//! Wire shapes of the re-authentication frames (docs/PROTOCOL.md, "Token
//! expiry mid-chat"): field names, optional fields omitted, old frames still
//! accepted.

use super::*;
use serde_json::{json, Value};

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("serializes")
}

fn info() -> ConversationInfo {
    ConversationInfo {
        id: "conv_1".into(),
        queue_id: "default".into(),
        widget_id: "demo".into(),
        state: ConversationState::Active,
        agent: None,
        customer_id: Some("cust-1".into()),
        created_at: 1,
        last_seq: 0,
        position_in_queue: None,
        closed_by: None,
        visitor_read_seq: 0,
        agent_read_seq: 0,
    }
}

#[test]
fn hello_carries_the_token_only_when_there_is_one() {
    let with = ClientFrame::Hello { session_token: Some("s".into()), last_seq: 3, auth_token: Some("a.b.c".into()), call_id: None, call_key: None };
    assert_eq!(to_json(&with), json!({ "type": "hello", "sessionToken": "s", "lastSeq": 3, "authToken": "a.b.c" }));
    let without = ClientFrame::Hello { session_token: Some("s".into()), last_seq: 0, auth_token: None, call_id: None, call_key: None };
    assert!(to_json(&without).get("authToken").is_none());
    // A client that predates the field still says hello.
    let old: ClientFrame = serde_json::from_value(json!({ "type": "hello", "sessionToken": "s", "lastSeq": 2 })).unwrap();
    assert_eq!(old, ClientFrame::Hello { session_token: Some("s".into()), last_seq: 2, auth_token: None, call_id: None, call_key: None });
}

#[test]
fn auth_frames_round_trip() {
    let auth: ClientFrame = serde_json::from_value(json!({ "type": "auth", "token": "x.y.z" })).unwrap();
    assert_eq!(auth, ClientFrame::Auth { token: "x.y.z".into() });
    assert!(serde_json::from_value::<ClientFrame>(json!({ "type": "auth" })).is_err(), "token is required");
    assert_eq!(to_json(&ServerFrame::AuthOk { expires_at: 5000 }), json!({ "type": "auth_ok", "expiresAt": 5000 }));
    let err = ServerFrame::Error { code: ErrorCode::AuthExpired, message: "m".into(), client_id: Some("c1".into()), retry_after_ms: None, interval_ms: None };
    assert_eq!(to_json(&err), json!({ "type": "error", "code": "auth_expired", "message": "m", "clientId": "c1" }));
    assert_eq!(ErrorCode::AuthExpired.as_str(), "auth_expired");
}

#[test]
fn welcome_says_when_expiry_is_enforced() {
    let plain = to_json(&ServerFrame::Welcome { conversation: info(), auth_expires_at: None });
    assert!(plain.get("authExpiresAt").is_none());
    let enforced = ServerFrame::Welcome { conversation: info(), auth_expires_at: Some(0) };
    assert_eq!(to_json(&enforced)["authExpiresAt"], 0);
    let back: ServerFrame = serde_json::from_value(json!({ "type": "welcome", "conversation": to_json(&info()) })).unwrap();
    assert_eq!(back, ServerFrame::Welcome { conversation: info(), auth_expires_at: None });
    let req: AuthRequest = serde_json::from_value(json!({ "authToken": "t" })).unwrap();
    assert_eq!(req.auth_token, "t");
}

#[test]
fn read_receipts_have_their_wire_shape_and_old_conversations_read_as_unread() {
    let visitor = ClientFrame::Read { conversation_id: None, seq: 4 };
    assert_eq!(to_json(&visitor), json!({ "type": "read", "conversationId": null, "seq": 4 }));
    let agent: ClientFrame = serde_json::from_value(json!({ "type": "read", "conversationId": "c", "seq": 2 })).unwrap();
    assert_eq!(agent, ClientFrame::Read { conversation_id: Some("c".into()), seq: 2 });
    assert!(serde_json::from_value::<ClientFrame>(json!({ "type": "read" })).is_err(), "seq is required");
    let told = ServerFrame::Read { conversation_id: "c".into(), reader: Sender::Agent, seq: 9 };
    assert_eq!(to_json(&told), json!({ "type": "read", "conversationId": "c", "reader": "agent", "seq": 9 }));
    // A conversation stored by a server or an SDK from before read receipts
    // (localStorage keeps it across an upgrade) reads as nothing read yet,
    // with both readers: serde's and the SDK's own.
    let mut old = to_json(&info());
    let fields = old.as_object_mut().unwrap();
    assert!(fields.remove("visitorReadSeq").is_some() && fields.remove("agentReadSeq").is_some());
    assert_eq!(serde_json::from_value::<ConversationInfo>(old.clone()).unwrap(), info());
    assert_eq!(crate::core::json::from_str::<ConversationInfo>(&old.to_string()).unwrap(), info());
}
