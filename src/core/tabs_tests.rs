//! Tests of `src/core/tabs.rs`: the channel's wire form and a follower's view.
use super::*;
use crate::core::protocol::Sender;

fn msg(seq: u64, client_id: Option<&str>) -> Message {
    let sender = if client_id.is_some() { Sender::Visitor } else { Sender::Agent };
    Message { seq, client_id: client_id.map(String::from), sender, author_name: None, text: format!("m{seq}"), attachment: None, sent_at: 0 }
}

fn stored(history: Vec<Message>) -> Persisted {
    let last_seq = history.iter().map(|m| m.seq).max().unwrap_or(0);
    Persisted { v: 1, conversation_id: "c".into(), session_token: "t".into(), expires_at: 1, last_seq, outbox: Outbox::default(), history, read: Default::default() }
}

/// One message of each kind that needs no conversation state.
fn every_kind() -> [TabMsg; 12] {
    [
        TabMsg::Typing { is_typing: true },
        TabMsg::Read { reader: crate::core::protocol::Sender::Visitor, seq: 2 },
        TabMsg::MarkRead { seq: 2 },
        TabMsg::NeedToken,
        TabMsg::CheckSocket,
        TabMsg::Token { token: "a.b.c".into() },
        TabMsg::Leader,
        TabMsg::Message { message: msg(3, Some("x")) },
        TabMsg::Refused { client_id: "x".into() },
        TabMsg::Ended { by_visitor: true },
        TabMsg::Send { client_id: "x".into(), text: "hi".into(), created_at: 5, attachment: None },
        TabMsg::Video { call: crate::core::protocol::VideoCall { id: "v".into(), state: crate::core::protocol::VideoCallState::Invited,
            by: crate::core::protocol::Sender::Agent, camera_mode: "normal".into(), reason: None } },
    ]
}

#[test]
fn wire_round_trip() {
    for m in every_kind() {
        assert_eq!(TabMsg::from_json(&m.to_json()), Some(m));
    }
    assert!(TabMsg::Send { client_id: "x".into(), text: "hi".into(), created_at: 5, attachment: None }.to_json().contains("\"clientId\""));
    assert!(!TabMsg::Send { client_id: "x".into(), text: "hi".into(), created_at: 5, attachment: None }.to_json().contains("attachment"));
    let file = AttachmentInfo { id: "f1".into(), name: "a.png".into(), mime_type: "image/png".into(), size: 3, url: "/v1/f1".into() };
    let with_file = TabMsg::Send { client_id: "x".into(), text: "a.png".into(), created_at: 5, attachment: Some(file) };
    assert_eq!(TabMsg::from_post(&with_file.post_json("c"), "c"), Some(with_file));
    assert_eq!(TabMsg::from_json("{\"t\":\"nope\"}"), None);
    assert_eq!(TabMsg::from_json("not json"), None);
}

#[test]
fn posts_are_scoped_to_their_conversation() {
    for m in every_kind() {
        let posted = m.post_json("conv_a");
        assert_eq!(TabMsg::from_post(&posted, "conv_a"), Some(m.clone()), "{posted}");
        assert_eq!(TabMsg::from_post(&posted, "conv_b"), None, "a post about another conversation is dropped");
        assert_eq!(TabMsg::from_post(&m.to_json(), "conv_a"), Some(m.clone()), "an older SDK's post (no scope) is read as before");
        assert_eq!(TabMsg::from_json(&posted), Some(m.clone()), "an older SDK reads a scoped post (it ignores `c`)");
    }
    assert_eq!(TabMsg::from_post(r#"{"t":"ended","c":"conv_a","byVisitor":false}"#, "conv_a"), Some(TabMsg::Ended { by_visitor: false }));
    for bad in [r#"{"c":1,"t":"leader"}"#, r#"{"c":null,"t":"leader"}"#, r#"{"c":"conv_a"}"#, r#"{"c":"conv_a","t":"nope"}"#, "[]", "", "\"conv_a\""] {
        assert_eq!(TabMsg::from_post(bad, "conv_a"), None, "{bad}");
    }
}

#[test]
fn own_sends_acked_once_others_shown_once() {
    let mut f = Follower::from_stored(&stored(vec![msg(1, None)]));
    f.pending.push("mine".into(), "m2".into(), 0).unwrap();
    assert_eq!(f.apply(msg(1, None)), FollowerApplied::Duplicate);
    match f.apply(msg(2, Some("mine"))) {
        FollowerApplied::New(s) => assert_eq!(s.own.unwrap().client_id, "mine"),
        other => panic!("{other:?}"),
    }
    assert!(f.pending.is_empty());
    assert_eq!(f.apply(msg(2, Some("mine"))), FollowerApplied::Duplicate);
    assert_eq!(f.apply(msg(4, None)), FollowerApplied::Gap);
    assert_eq!(f.timeline.last_seq(), 2);
}

#[test]
fn a_follower_asks_the_leader_to_mark_read_once_per_new_message() {
    let mut with_read = stored(vec![msg(1, None), msg(2, None)]);
    with_read.read = Receipts { visitor: 1, agent: 2 };
    let mut f = Follower::from_stored(&with_read);
    assert_eq!(f.read, Receipts { visitor: 1, agent: 2 }, "a joining tab starts from the stored receipts");
    assert_eq!(f.mark_read(), Some(TabMsg::MarkRead { seq: 2 }));
    assert_eq!(f.mark_read(), None, "asked already");
    assert!(matches!(f.apply(msg(3, None)), FollowerApplied::New(_)));
    assert_eq!(f.mark_read(), Some(TabMsg::MarkRead { seq: 3 }));
    // The leader (another tab, or this visitor elsewhere) read it all.
    let mut g = Follower::from_stored(&stored(vec![msg(1, None)]));
    assert!(g.read.advance(crate::core::protocol::Sender::Visitor, 1));
    assert_eq!(g.mark_read(), None, "nothing new to say");
}

#[test]
fn catches_up_from_storage_in_order() {
    let mut f = Follower::from_stored(&stored(vec![msg(1, None)]));
    f.pending.push("b".into(), "m3".into(), 0).unwrap();
    let s = stored(vec![msg(1, None), msg(2, None), msg(3, Some("b"))]);
    let seen = f.catch_up(&s);
    assert_eq!(seen.iter().map(|s| s.message.seq).collect::<Vec<_>>(), [2, 3]);
    assert!(seen[1].own.is_some() && f.pending.is_empty());
    assert!(f.catch_up(&s).is_empty(), "nothing twice");
    // Storage trimmed past our position: adopt it, show what is new.
    let mut g = Follower::from_stored(&stored(vec![]));
    let seen = g.catch_up(&stored(vec![msg(5, None), msg(6, None)]));
    assert_eq!(seen.len(), 2);
    assert_eq!(g.timeline.last_seq(), 6);
}
