//! Per-socket bounds on the visitor frames that carry no message but still
//! cost something: typing indicators and read receipts reach the agent's
//! socket, receipts write to the database, `auth` verifies a JWT. Sends have
//! their own per-conversation limit ([`crate::security::limits`]); without
//! these, one visitor socket flooding typing frames could fill the agent's
//! channel until the console is dropped as "fell behind", and one flooding
//! ever-higher receipts would hold the shared database connection.

use axum::extract::ws::WebSocket;
use tokio::time::Instant;

use super::{refusal, send_frame};
use crate::error::ApiError;

/// What [`FrameBudget::take`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Handle the frame.
    Go,
    /// Refuse it and tell the client once: the budget just ran out; retry
    /// after this many milliseconds.
    Refuse(u64),
    /// Refuse it without another answer (the client was told already), so a
    /// flood does not get a flood of errors back.
    Drop,
}

/// A token bucket owned by one socket: `per_minute` refill, bursts of a
/// tenth of that (at least 1). 0 disables it.
#[derive(Debug)]
pub struct FrameBudget {
    per_sec: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
    told: bool,
}

impl FrameBudget {
    /// A full budget.
    pub fn new(per_minute: u32) -> Self {
        let burst = if per_minute == 0 { 0.0 } else { (per_minute as f64 / 10.0).max(1.0) };
        FrameBudget { per_sec: per_minute as f64 / 60.0, burst, tokens: burst, at: Instant::now(), told: false }
    }

    /// Takes one frame's worth.
    pub fn take(&mut self) -> Take {
        if self.burst <= 0.0 {
            return Take::Go;
        }
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * self.per_sec).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.told = false;
            return Take::Go;
        }
        if std::mem::replace(&mut self.told, true) {
            return Take::Drop;
        }
        Take::Refuse((((1.0 - self.tokens) / self.per_sec) * 1000.0).ceil() as u64)
    }
}

/// Which visitor receipts are worth a database write: never past the last
/// message this socket has been shown (the welcome's `lastSeq`, then every
/// message frame it was sent), and never one this socket already recorded.
/// So the writes a socket can cause are bounded by the messages it was
/// given, however many `read` frames it sends.
#[derive(Debug, Clone, Copy)]
pub struct ReadBound {
    given: u64,
    recorded: u64,
}

impl ReadBound {
    /// From the conversation as the welcome frame showed it.
    pub fn new(last_seq: u64, visitor_read_seq: u64) -> Self {
        ReadBound { given: last_seq, recorded: visitor_read_seq }
    }

    /// A message frame with this seq went out on the socket.
    pub fn shown(&mut self, seq: u64) {
        self.given = self.given.max(seq);
    }

    /// The seq to record for a `read {seq}` frame, or `None` when it would
    /// change nothing this socket can know of.
    pub fn ask(&mut self, seq: u64) -> Option<u64> {
        let seq = seq.min(self.given);
        if seq <= self.recorded {
            return None;
        }
        self.recorded = seq;
        Some(seq)
    }
}

/// What to do with a frame after [`gate`].
pub enum Gate {
    /// Handle it.
    Handle,
    /// Skip it (the client was told).
    Skip,
    /// The socket is gone.
    Gone,
}

/// Spends one frame of the socket's budget. The first refused frame of a
/// run is answered with `rate_limited`; the rest are skipped unanswered.
pub async fn gate(ws: &mut WebSocket, budget: &mut FrameBudget) -> Gate {
    match budget.take() {
        Take::Go => Gate::Handle,
        Take::Drop => Gate::Skip,
        Take::Refuse(ms) => {
            let mut e = ApiError::rate_limited(ms);
            e.body.message = format!("too many frames on this socket; frames are skipped for {ms} ms");
            let frame = refusal(e, None);
            if send_frame(ws, &frame).await {
                Gate::Skip
            } else {
                Gate::Gone
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_flood_is_told_once_then_dropped_until_the_budget_refills() {
        let mut b = FrameBudget::new(60); // 1 a second, bursts of 6
        for _ in 0..6 {
            assert_eq!(b.take(), Take::Go);
        }
        assert_eq!(b.take(), Take::Refuse(1000));
        for _ in 0..100 {
            assert_eq!(b.take(), Take::Drop);
        }
        tokio::time::advance(Duration::from_millis(1000)).await;
        assert_eq!(b.take(), Take::Go);
        // Told again on the next run-out, with the time to the next token.
        tokio::time::advance(Duration::from_millis(250)).await;
        assert_eq!(b.take(), Take::Refuse(750));
        assert_eq!(b.take(), Take::Drop);
        // Refills up to the burst only.
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert_eq!((0..10).filter(|_| b.take() == Take::Go).count(), 6);
        // 0 turns it off.
        let mut off = FrameBudget::new(0);
        assert!((0..10_000).all(|_| off.take() == Take::Go));
    }

    #[test]
    fn receipts_stop_at_what_the_socket_was_shown_and_are_written_once() {
        let mut r = ReadBound::new(3, 1);
        assert_eq!(r.ask(1), None, "already recorded");
        assert_eq!(r.ask(99), Some(3), "clamped to the welcome's lastSeq");
        // Ever-higher seqs past what was shown: no more writes.
        assert!((4..10_000).all(|s| r.ask(s).is_none()));
        r.shown(5);
        assert_eq!(r.ask(4), Some(4));
        assert_eq!(r.ask(10_000), Some(5));
        assert_eq!(r.ask(5), None);
        r.shown(2); // an older frame (a replay) does not move it back
        assert_eq!(r.ask(6), None);
    }
}
