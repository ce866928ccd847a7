//! Received messages, in sequence order, each shown once.

use crate::core::protocol::Message;

/// What applying a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// New and next in sequence: show it.
    New,
    /// Already seen (a replay after reconnect): ignore it.
    Duplicate,
    /// Ahead of the next expected `seq`: messages are missing; resync from
    /// [`Timeline::last_seq`]. The message is not applied.
    Gap {
        /// The sequence number that was expected.
        expected: u64,
    },
}

/// The visible conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    messages: Vec<Message>,
    last_seq: u64,
    limit: usize,
}

impl Timeline {
    /// An empty timeline keeping at most `limit` recent messages in memory.
    pub fn new(limit: usize) -> Self {
        Timeline { messages: Vec::new(), last_seq: 0, limit: limit.max(1) }
    }

    /// A timeline restored from persisted messages (sorted, deduplicated).
    pub fn restore(mut messages: Vec<Message>, last_seq: u64, limit: usize) -> Self {
        messages.sort_by_key(|m| m.seq);
        messages.dedup_by_key(|m| m.seq);
        messages.retain(|m| m.seq <= last_seq);
        let mut t = Timeline { messages, last_seq, limit: limit.max(1) };
        t.trim();
        t
    }

    /// Applies a message from the server.
    pub fn apply(&mut self, m: Message) -> Applied {
        if m.seq <= self.last_seq {
            return Applied::Duplicate;
        }
        if m.seq != self.last_seq + 1 {
            return Applied::Gap { expected: self.last_seq + 1 };
        }
        self.last_seq = m.seq;
        self.messages.push(m);
        self.trim();
        Applied::New
    }

    fn trim(&mut self) {
        if self.messages.len() > self.limit {
            let extra = self.messages.len() - self.limit;
            self.messages.drain(..extra);
        }
    }

    /// Highest contiguous sequence number seen.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// The kept messages, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::protocol::Sender;
    use proptest::prelude::*;

    fn msg(seq: u64) -> Message {
        Message { seq, client_id: None, sender: Sender::Agent, author_name: None, text: format!("m{seq}"), attachment: None, sent_at: 0 }
    }

    #[test]
    fn dedupes_and_detects_gaps() {
        let mut t = Timeline::new(100);
        assert_eq!(t.apply(msg(1)), Applied::New);
        assert_eq!(t.apply(msg(1)), Applied::Duplicate);
        assert_eq!(t.apply(msg(3)), Applied::Gap { expected: 2 });
        assert_eq!(t.apply(msg(2)), Applied::New);
        assert_eq!(t.apply(msg(3)), Applied::New);
        assert_eq!(t.last_seq(), 3);
    }

    proptest! {
        /// Any delivery order with duplicates, resynced on gaps, shows every
        /// message exactly once and in order.
        #[test]
        fn exactly_once_in_order(n in 1u64..40, noise in proptest::collection::vec(0u64..60, 0..120)) {
            let mut t = Timeline::new(1000);
            let mut wire: Vec<u64> = noise.into_iter().map(|x| x % n + 1).collect();
            wire.extend(1..=n);
            for seq in wire {
                if let Applied::Gap { expected } = t.apply(msg(seq)) {
                    for s in expected..=seq { t.apply(msg(s)); } // resync
                }
            }
            let seqs: Vec<u64> = t.messages().iter().map(|m| m.seq).collect();
            prop_assert_eq!(seqs, (1..=n).collect::<Vec<_>>());
        }
    }
}
