//! Read receipts: how far each side of a conversation has read
//! (docs/PROTOCOL.md, `read` frames). A receipt only ever moves forward, so
//! one that arrives late, or twice (the server's echo and another tab's
//! relay), changes nothing.

use crate::core::json::json_struct;
use crate::core::protocol::{ConversationInfo, Message, Sender};

/// The seq each side has read up to (0: nothing yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct Receipts {
    /// The visitor (in any tab or device) has seen up to this seq.
    pub visitor: u64,
    /// The conversation's agent has seen up to this seq.
    pub agent: u64,
}

json_struct!(Receipts { visitor: "visitor" opt, agent: "agent" opt });

impl Receipts {
    /// What a conversation's state says.
    pub fn of(c: &ConversationInfo) -> Receipts {
        Receipts { visitor: c.visitor_read_seq, agent: c.agent_read_seq }
    }

    /// `reader`'s seq (0 for the system, which reads nothing).
    pub fn get(&self, reader: Sender) -> u64 {
        match reader {
            Sender::Visitor => self.visitor,
            Sender::Agent => self.agent,
            Sender::System => 0,
        }
    }

    /// Moves `reader` forward to `seq`; true when it moved.
    pub fn advance(&mut self, reader: Sender, seq: u64) -> bool {
        let slot = match reader {
            Sender::Visitor => &mut self.visitor,
            Sender::Agent => &mut self.agent,
            Sender::System => return false,
        };
        let moved = seq > *slot;
        if moved {
            *slot = seq;
        }
        moved
    }

    /// What the visitor's receipt should say once `messages` (oldest
    /// first) are all seen: the newest seq, when a message from someone
    /// else came after what was read or already asked for (`asked`); `None`
    /// when there is nothing new to say (the visitor's own messages need
    /// no receipt).
    pub fn visitor_receipt(&self, messages: &[Message], asked: u64) -> Option<u64> {
        let known = self.visitor.max(asked);
        let news = messages.iter().rev().take_while(|m| m.seq > known).any(|m| m.sender != Sender::Visitor);
        news.then(|| messages.last().map_or(0, |m| m.seq))
    }
}

/// The visitor's `read` frames that go at once, back to back.
pub const READ_BURST: f64 = 5.0;
/// Then one per this many ms.
pub const READ_GAP_MS: f64 = 1000.0;

/// Paces the visitor's `read` frames: up to [`READ_BURST`] at once, then
/// one per [`READ_GAP_MS`], the newest receipt going out at the end of the
/// gap. A page that marks every message read as it comes (100 agent
/// messages in a burst) so stays inside the server's frame budget
/// (docs/PROTOCOL.md: 300 a minute in bursts of 30), where refused frames
/// would leave the agent with an old receipt; a visitor reading at a
/// human pace never waits (a delayed receipt is lost if the page goes
/// first, unless the page flushes it: [`ReadPace::flush`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadPace {
    tokens: f64,
    at: Option<f64>,
    waiting: bool,
}

impl Default for ReadPace {
    fn default() -> Self {
        ReadPace { tokens: READ_BURST, at: None, waiting: false }
    }
}

/// What [`ReadPace::ask`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceStep {
    /// Send the receipt now.
    Now,
    /// Send the newest receipt after this many ms (then call [`ReadPace::sent`]).
    After(u32),
    /// A send is already due: it will carry this one.
    Waiting,
}

impl ReadPace {
    fn refill(&mut self, now: f64) {
        // A clock that went back refills nothing.
        let gone = self.at.map_or(0.0, |t| (now - t).max(0.0));
        self.tokens = (self.tokens + gone / READ_GAP_MS).min(READ_BURST);
        self.at = Some(now);
    }

    /// A receipt is to go out at `now` (ms).
    pub fn ask(&mut self, now: f64) -> PaceStep {
        if self.waiting {
            return PaceStep::Waiting;
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return PaceStep::Now;
        }
        self.waiting = true;
        PaceStep::After(((1.0 - self.tokens) * READ_GAP_MS).ceil() as u32)
    }

    /// The delayed send went out at `now` (or found nothing to send).
    pub fn sent(&mut self, now: f64) {
        self.waiting = false;
        self.refill(now);
        self.tokens = (self.tokens - 1.0).max(0.0);
    }

    /// Whether a delayed send waits; the page is going away, so the caller
    /// sends it now (and calls [`ReadPace::sent`]).
    pub fn flush(&self) -> bool {
        self.waiting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_only_move_forward() {
        let mut r = Receipts::default();
        assert!(r.advance(Sender::Visitor, 3));
        assert!(!r.advance(Sender::Visitor, 3), "the same receipt again");
        assert!(!r.advance(Sender::Visitor, 2), "a late, older one");
        assert!(!r.advance(Sender::System, 9));
        assert_eq!((r.get(Sender::Visitor), r.get(Sender::Agent), r.get(Sender::System)), (3, 0, 0));
        assert!(r.advance(Sender::Agent, 5));
        assert_eq!(r, Receipts { visitor: 3, agent: 5 });
        assert_eq!(Receipts::of(&ConversationInfo {
            id: String::new(), queue_id: String::new(), widget_id: String::new(), state: crate::core::protocol::ConversationState::Active,
            agent: None, customer_id: None, created_at: 0, last_seq: 9, position_in_queue: None, closed_by: None, visitor_read_seq: 7, agent_read_seq: 8,
        }), Receipts { visitor: 7, agent: 8 });
    }

    fn msg(seq: u64, sender: Sender) -> Message {
        Message { seq, client_id: None, sender, author_name: None, text: String::new(), attachment: None, sent_at: 0 }
    }

    #[test]
    fn the_visitor_says_what_it_read_only_when_someone_else_wrote_since() {
        let r = Receipts { visitor: 2, agent: 0 };
        let agent_then_visitor = [msg(1, Sender::System), msg(2, Sender::Agent), msg(3, Sender::Agent), msg(4, Sender::Visitor)];
        assert_eq!(r.visitor_receipt(&agent_then_visitor, 0), Some(4), "the newest seq, the visitor's own included");
        assert_eq!(r.visitor_receipt(&agent_then_visitor, 4), None, "asked already");
        assert_eq!(r.visitor_receipt(&agent_then_visitor[..2], 0), None, "read already");
        let own_only = [msg(1, Sender::Agent), msg(2, Sender::Agent), msg(3, Sender::Visitor), msg(4, Sender::Visitor)];
        assert_eq!(r.visitor_receipt(&own_only, 0), None, "the visitor's own messages need no receipt");
        assert_eq!(Receipts::default().visitor_receipt(&[msg(1, Sender::System)], 0), Some(1), "a system message counts");
        assert_eq!(Receipts::default().visitor_receipt(&[], 0), None);
    }

    #[test]
    fn json_round_trip_and_missing_fields() {
        let r = Receipts { visitor: 4, agent: 1 };
        assert_eq!(crate::core::json::to_string(&r), r#"{"visitor":4,"agent":1}"#);
        assert_eq!(crate::core::json::from_str::<Receipts>(r#"{"agent":2}"#).unwrap(), Receipts { visitor: 0, agent: 2 });
    }

    #[test]
    fn read_frames_go_at_once_in_small_bursts_then_once_a_second_and_the_last_is_not_lost() {
        let mut p = ReadPace::default();
        assert!((0..5).all(|i| p.ask(10_000.0 + i as f64) == PaceStep::Now), "a human pace: at once");
        assert!(!p.flush());
        assert_eq!(p.ask(10_250.0), PaceStep::After(750), "then at the end of the gap");
        assert!(p.flush());
        // A burst meanwhile rides on that one send.
        assert!((0..100).all(|i| p.ask(10_300.0 + i as f64) == PaceStep::Waiting));
        p.sent(11_000.0);
        assert!(!p.flush());
        assert_eq!(p.ask(11_400.0), PaceStep::After(600));
        p.sent(12_000.0);
        // Quiet for a while: a full burst again, never more.
        assert_eq!((0..10).filter(|_| p.ask(60_000.0) == PaceStep::Now).count(), 5);
        let mut back = ReadPace::default();
        (0..5).for_each(|_| assert_eq!(back.ask(50_000.0), PaceStep::Now));
        assert_eq!(back.ask(40_000.0), PaceStep::After(1000), "a clock that went back refills nothing");
    }
}
