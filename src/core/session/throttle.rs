//! Sends the server refused for its rate limit (`rate_limited` with a
//! `retryAfterMs`). A visitor who types fast, or a page that calls
//! `sendMessage()` in a loop, should see the messages go a little later,
//! in order, not "Not sent". So a message refused that way stays queued
//! ("Sending…") and the queue goes on at the server's pace: one message,
//! then the next once it is acknowledged and the server's last wait has
//! passed, so that the messages waiting do not each earn a refusal again.
//! A message that would wait more than [`HOLD_FOR_MS`] from when it was
//! sent, or that the server asks to wait more than [`MAX_WAIT_MS`] at
//! once, is refused for good, as before (lcw:error 14, "Not sent").

/// The longest a message waits for the server's rate limit, from when the
/// visitor sent it (ms).
pub const HOLD_FOR_MS: f64 = 60_000.0;

/// The longest single wait of the server's that a message waits out (ms):
/// a longer one (a strict limit) shows it "Not sent" at once.
pub const MAX_WAIT_MS: f64 = 30_000.0;

/// The shortest wait between two sends while held (ms): a server that says
/// 0 is not asked again in a busy loop.
pub const MIN_WAIT_MS: f64 = 100.0;

/// Whether the session's sends wait for the server's rate limit, and when
/// the next one goes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Throttle {
    /// While held: when the next message may go (ms since epoch).
    next_at: Option<f64>,
    /// The pace of the queue while held: at least the server's
    /// `intervalMs` when it says; the longest of the server's waits, and of
    /// the time from an acknowledgement to the end of the wait of a refusal
    /// that came after it (a send that went too early learns how long a
    /// token really takes).
    pace: f64,
    /// When the last message was acknowledged while held.
    acked_at: Option<f64>,
    /// A message sent while held, not yet answered: the next waits for it.
    in_flight: bool,
}

impl Throttle {
    /// A send of a message sent by the visitor at `created_at` was refused
    /// at `now`, to be tried again after `retry_after_ms`, by a limit whose
    /// pace is one message per `interval_ms` when the server says
    /// (`intervalMs`): how long until the queue goes on (the message stays
    /// queued), or `None` when it would wait past [`HOLD_FOR_MS`] or the
    /// wait is over [`MAX_WAIT_MS`] (refuse it for good). Without the
    /// interval the pace is learnt from the waits, which costs a send or
    /// two that go early.
    pub fn refused(&mut self, created_at: f64, retry_after_ms: u64, interval_ms: Option<u64>, now: f64) -> Option<f64> {
        self.in_flight = false;
        let wait = (retry_after_ms as f64).max(MIN_WAIT_MS);
        if wait > MAX_WAIT_MS || now + wait - created_at > HOLD_FOR_MS {
            return None;
        }
        let at = (now + wait).max(self.next_at.unwrap_or(0.0));
        self.next_at = Some(at);
        let since_ack = self.acked_at.map_or(0.0, |a| (now - a).max(0.0));
        self.pace = self.pace.max(since_ack + wait).max(interval_ms.unwrap_or(0) as f64);
        Some(at - now)
    }

    /// Whether new messages wait in the queue instead of going at once.
    pub fn holding(&self) -> bool {
        self.next_at.is_some()
    }

    /// The timer fired at `now`: whether to send the oldest message now
    /// (then [`Throttle::sent`]), or the ms to wait still (a timer early,
    /// or one message is still unanswered: `None` then, its answer moves
    /// the queue on).
    pub fn due(&self, now: f64) -> Result<(), Option<f64>> {
        match self.next_at {
            _ if self.in_flight => Err(None),
            Some(at) if at > now => Err(Some(at - now)),
            _ => Ok(()),
        }
    }

    /// The oldest message went.
    pub fn sent(&mut self) {
        self.in_flight = true;
    }

    /// A message was acknowledged at `now`, `left` still queued: the ms to
    /// wait before the next (the server's pace), or `None` when nothing is
    /// held any more (the queue is empty, or it was not held).
    pub fn acked(&mut self, left: usize, now: f64) -> Option<f64> {
        self.in_flight = false;
        self.next_at?;
        if left == 0 {
            *self = Throttle::default();
            return None;
        }
        self.next_at = Some(now + self.pace);
        self.acked_at = Some(now);
        Some(self.pace)
    }

    /// Lets go (a new socket sends the whole queue again; a closed chat).
    pub fn clear(&mut self) {
        *self = Throttle::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_message_waits_and_the_queue_goes_at_the_server_pace() {
        let mut t = Throttle::default();
        assert!(!t.holding());
        assert_eq!(t.acked(3, 0.0), None, "not held: acks change nothing");
        // Message 61 (sent at 1000) refused at 1100: try again in 1 s.
        assert_eq!(t.refused(1_000.0, 1_000, None, 1_100.0), Some(1_000.0));
        assert!(t.holding());
        // Message 62, sent at once after it, refused too: same deadline.
        assert_eq!(t.refused(1_010.0, 950, None, 1_150.0), Some(950.0));
        assert_eq!(t.due(1_500.0), Err(Some(600.0)), "early");
        assert_eq!(t.due(2_100.0), Ok(()));
        t.sent();
        assert_eq!(t.due(2_200.0), Err(None), "one at a time: its answer moves the queue");
        // 61 acknowledged: 62 after the server's pace (its longest wait).
        assert_eq!(t.acked(1, 2_150.0), Some(1_000.0));
        assert_eq!(t.due(3_150.0), Ok(()));
        t.sent();
        // 62 refused once more (a little early): wait again; a token
        // takes the time from the ack to the end of this wait.
        assert_eq!(t.refused(1_010.0, 120, None, 3_160.0), Some(120.0));
        assert_eq!(t.due(3_280.0), Ok(()));
        t.sent();
        assert_eq!(t.acked(1, 3_300.0), Some(1_130.0), "2150 -> 3280: the pace learnt");
        assert_eq!(t.due(4_430.0), Ok(()));
        t.sent();
        // Acknowledged, nothing left: sends go at once again.
        assert_eq!(t.acked(0, 3_600.0), None);
        assert!(!t.holding());
        assert_eq!(t, Throttle::default());
    }

    #[test]
    fn the_servers_interval_is_the_pace_from_the_first_refusal() {
        // A burst's refusal waits less than a token takes (the bucket
        // refills while the burst is read): 150 ms. The server says a
        // token takes 1 s: the queue keeps 1 s after each acknowledgement
        // from the start, instead of learning it from sends that go early.
        let mut t = Throttle::default();
        assert_eq!(t.refused(0.0, 150, Some(1_000), 10.0), Some(150.0));
        assert_eq!(t.due(160.0), Ok(()));
        t.sent();
        assert_eq!(t.acked(2, 180.0), Some(1_000.0));
        assert_eq!(t.due(1_179.0), Err(Some(1.0)));
        assert_eq!(t.due(1_180.0), Ok(()));
        // Without it, the same refusal sets a pace of 150 ms: the next send
        // goes early and is refused again (what the interval saves).
        let mut u = Throttle::default();
        u.refused(0.0, 150, None, 10.0);
        u.sent();
        assert_eq!(u.acked(2, 180.0), Some(150.0));
        // A longer wait than the interval still counts.
        let mut t = Throttle::default();
        assert_eq!(t.refused(0.0, 2_000, Some(1_000), 10.0), Some(2_000.0));
        t.sent();
        assert_eq!(t.acked(1, 2_020.0), Some(2_000.0));
    }

    #[test]
    fn a_message_is_refused_for_good_past_the_hold_and_a_zero_wait_is_not_a_busy_loop() {
        let mut t = Throttle::default();
        // A wait over 30 s (a strict limit): not sent, at once.
        assert_eq!(t.refused(0.0, 30_001, None, 5.0), None);
        assert!(!t.holding(), "nothing held for it");
        assert_eq!(t.refused(0.0, 30_000, None, 5.0), Some(30_000.0));
        // Waited 59 s already: one more second is too much.
        let mut t = Throttle::default();
        assert_eq!(t.refused(0.0, 1_001, None, 59_000.0), None);
        assert_eq!(t.refused(0.0, 1_000, None, 59_000.0), Some(1_000.0), "exactly the minute is fine");
        let mut z = Throttle::default();
        assert_eq!(z.refused(0.0, 0, None, 0.0), Some(MIN_WAIT_MS));
        assert_eq!(z.acked(2, 50.0), Some(MIN_WAIT_MS));
        z.clear();
        assert!(!z.holding());
    }
}
