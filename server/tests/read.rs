//! Read receipts: each side says how far it has read; the server keeps the
//! highest seq (never past the last message), tells the visitor's sockets
//! and the conversation's agent, and hands it back on every welcome.

mod common;

use common::*;
use lcw_sdk::core::protocol::{ClientFrame, ConversationInfo, ErrorCode, Sender, ServerFrame};
use lcw_server::store::sqlite::SqliteStore;
use lcw_server::store::Store;
use serde_json::json;

fn read(conversation_id: Option<&str>, seq: u64) -> ClientFrame {
    ClientFrame::Read { conversation_id: conversation_id.map(str::to_string), seq }
}

fn is_read(f: &ServerFrame, who: Sender, at: u64) -> bool {
    matches!(f, ServerFrame::Read { reader, seq, .. } if *reader == who && *seq == at)
}

/// The next frame that is not a typing indicator, after a ping: `Pong`
/// when nothing else was sent in between.
async fn after_ping(ws: &mut Ws) -> ServerFrame {
    ws.send(&ClientFrame::Ping).await;
    ws.until(|f| !matches!(f, ServerFrame::Typing { .. })).await
}

fn welcome_info(f: Option<ServerFrame>) -> ConversationInfo {
    match f {
        Some(ServerFrame::Welcome { conversation, .. }) => conversation,
        other => panic!("expected welcome, got {other:?}"),
    }
}

#[tokio::test]
async fn read_receipts_reach_both_sides_and_stay() {
    let s = start(config(":memory:")).await;
    let start = start_chat(&s, json!({})).await;
    let conv_id = start.conversation.id.clone();
    assert_eq!((start.conversation.visitor_read_seq, start.conversation.agent_read_seq), (0, 0));
    let mut visitor = Ws::visitor(&s, &start.session_token, 0).await;
    welcome_info(visitor.next().await);
    visitor.say(None, "v-1", "Hello").await; // seq 1
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    alice.send(&ClientFrame::Accept { conversation_id: conv_id.clone() }).await; // seq 2: "Alice joined"
    alice.say(Some(&conv_id), "a-1", "Hi, how can I help?").await; // seq 3
    visitor.until(|f| is_msg(f, "Hi, how can I help?")).await;

    // The visitor claims more than there is: kept at the last seq, and
    // both sides hear it.
    visitor.send(&read(None, 99)).await;
    visitor.until(|f| is_read(f, Sender::Visitor, 3)).await;
    alice.until(|f| is_read(f, Sender::Visitor, 3)).await;
    // Going back, or saying it again, changes nothing and tells no one.
    visitor.send(&read(None, 2)).await;
    visitor.send(&read(None, 3)).await;
    assert_eq!(after_ping(&mut visitor).await, ServerFrame::Pong);
    assert_eq!(after_ping(&mut alice).await, ServerFrame::Pong);

    // The agent reads the visitor's message.
    alice.send(&read(Some(&conv_id), 1)).await;
    visitor.until(|f| is_read(f, Sender::Agent, 1)).await;
    // Without a conversation id, or by another agent: refused with a code.
    alice.send(&read(None, 3)).await;
    match alice.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::BadRequest),
        _ => unreachable!(),
    }
    let mut bob = Ws::agent(&s, "bob", "pw-bob").await;
    bob.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    bob.send(&read(Some(&conv_id), 3)).await;
    match bob.until(|f| matches!(f, ServerFrame::Error { .. })).await {
        ServerFrame::Error { code, .. } => assert!(matches!(code, ErrorCode::Forbidden), "{code:?}"),
        _ => unreachable!(),
    }

    // A new socket (another page of the visit) starts from what was read.
    let mut again = Ws::visitor(&s, &start.session_token, 3).await;
    let info = welcome_info(again.next().await);
    assert_eq!((info.visitor_read_seq, info.agent_read_seq), (3, 1));
    // And the resume answer carries it too.
    let (st, body) = post(&format!("{}/v1/conversations/resume", base(&s)), json!({ "sessionToken": start.session_token }), None).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!((body["conversation"]["visitorReadSeq"].as_u64(), body["conversation"]["agentReadSeq"].as_u64()), (Some(3), Some(1)));
    s.stop().await;
}

#[tokio::test]
async fn databases_from_before_read_receipts_are_migrated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "CREATE TABLE conversations (
               id TEXT PRIMARY KEY, widget_id TEXT NOT NULL, queue_id TEXT NOT NULL, state TEXT NOT NULL,
               agent_id TEXT, customer_id TEXT, context TEXT NOT NULL, pre_chat TEXT NOT NULL,
               created_at INTEGER NOT NULL, assigned_at INTEGER, closed_at INTEGER, closed_by TEXT,
               last_seq INTEGER NOT NULL DEFAULT 0);
             INSERT INTO conversations VALUES ('conv_old', 'demo', 'general', 'active', 'alice', NULL, '{}', '{}', 5, 6, NULL, NULL, 4);",
        )
        .expect("old schema");
    }
    let store = SqliteStore::open(path.to_str().expect("utf-8 path")).expect("open migrates");
    // A chat going on at the upgrade counts as read so far (no phantom
    // unread messages); what comes after is counted as usual.
    let row = store.conversation("conv_old").await.expect("get").expect("row");
    assert_eq!((row.last_seq, row.visitor_read_seq, row.agent_read_seq), (4, 4, 4));
    assert_eq!(store.mark_read("conv_old", Sender::Agent, 3).await.expect("mark"), None);
    assert_eq!(store.mark_read("conv_old", Sender::Visitor, 9).await.expect("mark"), None, "never past the last message");
    store.close().await.expect("close");
    drop(store);
    // Opening again (columns present) changes nothing.
    let again = SqliteStore::open(path.to_str().expect("utf-8 path")).expect("reopen");
    let row = again.conversation("conv_old").await.expect("get").expect("row");
    assert_eq!((row.visitor_read_seq, row.agent_read_seq), (4, 4));
}
