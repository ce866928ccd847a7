//! Messages the visitor sent that the server has not acknowledged yet.


use crate::core::json::{json_struct, json_unit_enum};
use crate::core::protocol::AttachmentInfo;

/// Most messages waiting at once; more are refused with a clear error.
pub const MAX_OUTBOX: usize = 200;
/// Longest message text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Where a sent message stands, as the visitor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum SendStatus {
    /// Waiting for the server's acknowledgement (retried on reconnect).
    Sending,
    /// Stored by the server.
    Sent,
    /// Refused by the server for good (too large, conversation closed...).
    Failed,
}

/// One message waiting for its acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Pending {
    /// Idempotency key, kept across retries and reloads.
    pub client_id: String,
    /// Text.
    pub text: String,
    /// When the visitor sent it (ms since epoch).
    pub created_at: i64,
    /// How many times it went on the wire.
    pub attempts: u32,
    /// An uploaded attachment this message carries.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub attachment_id: Option<String>,
    /// That attachment's metadata, so the sent message keeps its file in
    /// the timeline (and after a reload) once acknowledged.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub attachment: Option<AttachmentInfo>,
}

/// The queue of unacknowledged messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outbox {
    items: Vec<Pending>,
}

impl Outbox {
    /// Queues a message. Refuses empty, too long, or too many.
    pub fn push(&mut self, client_id: String, text: String, now: i64) -> Result<(), String> {
        if text.trim().is_empty() {
            return Err("the message is empty".into());
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(format!("the message is longer than {MAX_TEXT_CHARS} characters"));
        }
        if self.items.len() >= MAX_OUTBOX {
            return Err(format!("{MAX_OUTBOX} messages are already waiting to be sent"));
        }
        if self.items.iter().any(|p| p.client_id == client_id) {
            return Err("duplicate client id".into());
        }
        self.items.push(Pending { client_id, text, created_at: now, attempts: 0, attachment_id: None, attachment: None });
        Ok(())
    }

    /// Queues a message carrying an uploaded attachment (`text` is its
    /// caption, usually the file name).
    pub fn push_attachment(&mut self, client_id: String, text: String, attachment: AttachmentInfo, now: i64) -> Result<(), String> {
        self.push(client_id, text, now)?;
        if let Some(p) = self.items.last_mut() {
            p.attachment_id = Some(attachment.id.clone());
            p.attachment = Some(attachment);
        }
        Ok(())
    }

    /// Marks every waiting message as being sent once more and returns them
    /// in order (after a (re)connect).
    pub fn take_for_sending(&mut self) -> Vec<Pending> {
        for p in &mut self.items {
            p.attempts = p.attempts.saturating_add(1);
        }
        self.items.clone()
    }

    /// Marks the oldest waiting message as being sent once more and returns
    /// it (the queue goes one at a time while the server's rate limit holds
    /// it).
    pub fn take_first_for_sending(&mut self) -> Option<Pending> {
        let p = self.items.first_mut()?;
        p.attempts = p.attempts.saturating_add(1);
        Some(p.clone())
    }

    /// When the visitor sent `client_id` (ms since epoch), if it waits here.
    pub fn created_at(&self, client_id: &str) -> Option<i64> {
        self.items.iter().find(|p| p.client_id == client_id).map(|p| p.created_at)
    }

    /// The server acknowledged `client_id`: it leaves the outbox. Returns the
    /// message, or `None` for an unknown id (a duplicate ack).
    pub fn ack(&mut self, client_id: &str) -> Option<Pending> {
        let i = self.items.iter().position(|p| p.client_id == client_id)?;
        Some(self.items.remove(i))
    }

    /// Waiting messages, oldest first.
    pub fn items(&self) -> &[Pending] {
        &self.items
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Drops everything (the chat was closed).
    pub fn clear(&mut self) {
        self.items.clear();
    }
}

json_unit_enum!(SendStatus, [Sending = "sending", Sent = "sent", Failed = "failed"]);
json_struct!(Pending {
    client_id: "clientId" req, text: "text" req, created_at: "createdAt" req, attempts: "attempts" req,
    attachment_id: "attachmentId" skip, attachment: "attachment" skip,
});
json_struct!(Outbox { items: "items" req });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ids_across_retries_and_acks_once() {
        let mut o = Outbox::default();
        o.push("a".into(), "hello".into(), 1).unwrap();
        o.push("b".into(), "world".into(), 2).unwrap();
        assert!(o.push("a".into(), "again".into(), 3).is_err());
        assert!(o.push("c".into(), "  ".into(), 3).is_err());
        assert!(o.push("c".into(), "x".repeat(4001), 3).is_err());
        let first = o.take_for_sending();
        let second = o.take_for_sending();
        assert_eq!(first.iter().map(|p| &p.client_id).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(second[0].attempts, 2);
        assert_eq!(o.ack("a").unwrap().text, "hello");
        assert!(o.ack("a").is_none());
        assert_eq!(o.items().len(), 1);
    }

    #[test]
    fn bounded() {
        let mut o = Outbox::default();
        for i in 0..MAX_OUTBOX {
            o.push(i.to_string(), "m".into(), 0).unwrap();
        }
        assert!(o.push("x".into(), "m".into(), 0).unwrap_err().contains("already waiting"));
    }

    #[test]
    fn an_attachment_survives_persistence_and_the_ack() {
        let att = AttachmentInfo { id: "att_1".into(), name: "a.png".into(), mime_type: "image/png".into(), size: 3, url: "/v1/attachments/att_1".into() };
        let mut o = Outbox::default();
        o.push_attachment("a".into(), "a.png".into(), att.clone(), 1).unwrap();
        let json = crate::core::json::to_string(&o);
        let mut back: Outbox = crate::core::json::from_str(&json).unwrap();
        assert_eq!(back, o);
        let acked = back.ack("a").unwrap();
        assert_eq!((acked.attachment_id.as_deref(), acked.attachment), (Some("att_1"), Some(att)));
        // An outbox stored before the metadata was kept still loads.
        let old = r#"{"items":[{"clientId":"b","text":"f","createdAt":1,"attempts":0,"attachmentId":"att_2"}]}"#;
        let old: Outbox = crate::core::json::from_str(old).unwrap();
        assert_eq!((old.items()[0].attachment_id.as_deref(), old.items()[0].attachment.as_ref()), (Some("att_2"), None));
    }
}
