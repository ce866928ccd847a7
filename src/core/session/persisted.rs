//! What survives a reload: the session token, the last sequence number, the
//! outbox and recent history. Stored by the browser layer (localStorage,
//! only with consent). Corrupt or foreign data reads as "no session".

use super::outbox::Outbox;
use crate::core::json::json_struct;
use crate::core::protocol::Message;

/// Most messages of history kept in storage.
pub const MAX_HISTORY: usize = 200;

/// A chat session as stored between page loads.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Persisted {
    /// Format version (1).
    pub v: u32,
    /// Conversation id.
    pub conversation_id: String,
    /// Bearer token for the conversation.
    pub session_token: String,
    /// When the token expires (ms since epoch).
    pub expires_at: i64,
    /// Highest contiguous sequence number seen.
    pub last_seq: u64,
    /// Messages not yet acknowledged.
    #[cfg_attr(feature = "serde", serde(default))]
    pub outbox: Outbox,
    /// Recent history, oldest first.
    #[cfg_attr(feature = "serde", serde(default))]
    pub history: Vec<Message>,
    /// Read receipts as last heard (a tab that joins shows them before the
    /// leader hears of the next one).
    #[cfg_attr(feature = "serde", serde(default))]
    pub read: super::Receipts,
}

impl Persisted {
    /// Serialises, keeping at most [`MAX_HISTORY`] recent messages.
    pub fn to_json(&self) -> String {
        self.borrowed().to_json()
    }

    /// This session as a [`PersistedRef`].
    pub fn borrowed(&self) -> PersistedRef<'_> {
        PersistedRef {
            conversation_id: &self.conversation_id,
            session_token: &self.session_token,
            expires_at: self.expires_at,
            last_seq: self.last_seq,
            outbox: &self.outbox,
            history: &self.history,
            read: self.read,
        }
    }

    /// Parses stored data; `None` when missing, corrupt, of another version,
    /// or expired at `now`.
    pub fn from_json(s: &str, now: i64) -> Option<Persisted> {
        let p: Persisted = crate::core::json::from_str(s).ok()?;
        (p.v == 1 && !p.conversation_id.is_empty() && !p.session_token.is_empty() && p.expires_at > now).then_some(p)
    }
}

/// A session to store, borrowed from the live one: what [`Persisted`]
/// holds (format version 1), written without copying the outbox or the
/// history first. A live chat writes it after each change, so the copy
/// would double the work of every save.
#[derive(Debug, Clone, Copy)]
pub struct PersistedRef<'a> {
    /// Conversation id.
    pub conversation_id: &'a str,
    /// Bearer token for the conversation.
    pub session_token: &'a str,
    /// When the token expires (ms since epoch).
    pub expires_at: i64,
    /// Highest contiguous sequence number seen.
    pub last_seq: u64,
    /// Messages not yet acknowledged.
    pub outbox: &'a Outbox,
    /// Recent history, oldest first (only the last [`MAX_HISTORY`] are written).
    pub history: &'a [Message],
    /// Read receipts.
    pub read: super::Receipts,
}

impl PersistedRef<'_> {
    /// The stored text: the same as [`Persisted`]'s JSON, keeping at most
    /// [`MAX_HISTORY`] recent messages.
    pub fn to_json(&self) -> String {
        use crate::core::json::{write_i64, write_u64, ObjWriter, ToJson};
        let history = &self.history[self.history.len().saturating_sub(MAX_HISTORY)..];
        let mut out = String::with_capacity(128 + 96 * (history.len() + self.outbox.items().len()));
        let mut w = ObjWriter::new(&mut out);
        w.key("v").push('1');
        w.field("conversationId", self.conversation_id);
        w.field("sessionToken", self.session_token);
        write_i64(self.expires_at, w.key("expiresAt"));
        write_u64(self.last_seq, w.key("lastSeq"));
        self.outbox.write_json(w.key("outbox"));
        history.write_json(w.key("history"));
        self.read.write_json(w.key("read"));
        w.end();
        out
    }
}

/// What a page needs to know of a stored session before the chat's code
/// has loaded: whose conversation it is and whether it is still valid.
/// Its reader skips the outbox and history, so the full reader (and the
/// message reader it needs) loads with the chat's code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredHead {
    /// Format version (1).
    pub v: u32,
    /// Conversation id.
    pub conversation_id: String,
    /// Bearer token for the conversation.
    pub session_token: String,
    /// When the token expires (ms since epoch).
    pub expires_at: i64,
}

impl StoredHead {
    /// The head of stored data; `None` when missing, of another version or
    /// expired at `now`, as [`Persisted::from_json`] (which may still refuse
    /// data whose outbox or history is corrupt).
    pub fn from_json(s: &str, now: i64) -> Option<StoredHead> {
        let h: StoredHead = crate::core::json::from_str(s).ok()?;
        (h.v == 1 && !h.conversation_id.is_empty() && !h.session_token.is_empty() && h.expires_at > now).then_some(h)
    }
}

json_struct!(StoredHead { v: "v" req, conversation_id: "conversationId" req, session_token: "sessionToken" req, expires_at: "expiresAt" req });

json_struct!(Persisted {
    v: "v" req, conversation_id: "conversationId" req, session_token: "sessionToken" req, expires_at: "expiresAt" req,
    last_seq: "lastSeq" req, outbox: "outbox" opt, history: "history" opt, read: "read" opt,
});

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Persisted {
        let mut outbox = Outbox::default();
        outbox.push("c1".into(), "queued while offline".into(), 5).unwrap();
        Persisted { v: 1, conversation_id: "conv".into(), session_token: "tok".into(), expires_at: 1000, last_seq: 4, outbox, history: vec![],
            read: super::super::Receipts { visitor: 2, agent: 3 } }
    }

    #[test]
    fn the_head_agrees_with_the_whole_on_what_it_reads() {
        let mut p = sample();
        p.history = vec![crate::core::protocol::Message { seq: 4, client_id: None, sender: crate::core::protocol::Sender::Agent, author_name: None, text: "hi".into(), attachment: None, sent_at: 3 }];
        let text = p.to_json();
        let head = StoredHead::from_json(&text, 999).expect("valid");
        assert_eq!((head.conversation_id.as_str(), head.session_token.as_str(), head.expires_at), ("conv", "tok", 1000));
        assert!(Persisted::from_json(&text, 999).is_some());
        for now in [1000, 2000] {
            assert!(StoredHead::from_json(&text, now).is_none(), "expired at {now}");
            assert!(Persisted::from_json(&text, now).is_none());
        }
        for bad in ["", "{}", "not json", r#"{"v":2,"conversationId":"c","sessionToken":"t","expiresAt":5000,"lastSeq":0}"#,
            r#"{"v":1,"conversationId":"","sessionToken":"t","expiresAt":5000,"lastSeq":0}"#] {
            assert!(StoredHead::from_json(bad, 0).is_none(), "{bad}");
            assert!(Persisted::from_json(bad, 0).is_none(), "{bad}");
        }
    }

    #[test]
    fn round_trip_and_expiry() {
        let s = sample().to_json();
        assert_eq!(Persisted::from_json(&s, 999), Some(sample()));
        assert_eq!(Persisted::from_json(&s, 1000), None);
        assert_eq!(Persisted::from_json(&s.replace("\"v\":1", "\"v\":2"), 0), None);
    }

    #[test]
    fn the_borrowed_writer_writes_what_the_struct_writes() {
        use crate::core::protocol::{Message, Sender};
        for n in [0usize, 3, MAX_HISTORY, MAX_HISTORY + 7] {
            let mut p = sample();
            p.expires_at = -3;
            p.history = (0..n as u64)
                .map(|i| Message {
                    seq: i + 1,
                    client_id: (i % 2 == 0).then(|| format!("c{i}")),
                    sender: if i % 3 == 0 { Sender::Visitor } else { Sender::Agent },
                    author_name: (i % 5 == 0).then(|| "Ann \"A\"".into()),
                    text: format!("line {i}\n\u{1}é"),
                    attachment: None,
                    sent_at: i as i64 * 1000,
                })
                .collect();
            let mut trimmed = p.clone();
            trimmed.history.drain(..n.saturating_sub(MAX_HISTORY));
            let text = p.to_json();
            assert_eq!(text, crate::core::json::to_string(&trimmed), "{n} messages");
            p.expires_at = 1000;
            let back = Persisted::from_json(&p.to_json(), 999).expect("reads back");
            assert_eq!(back.history.len(), n.min(MAX_HISTORY));
            assert_eq!(back.history.last(), p.history.last());
            assert_eq!(back.outbox, p.outbox);
        }
    }

    proptest! {
        #[test]
        fn corrupt_input_is_no_session(s in ".{0,200}") {
            let _ = Persisted::from_json(&s, 0);
        }
    }
}
