//! Is the chat socket still there? A socket can die without a close: a
//! laptop wakes from sleep, a phone changes network, a NAT or proxy drops
//! an idle connection without telling either end. The browser then shows
//! the socket open while nothing arrives, and the agent's messages are not
//! seen until the visitor happens to send. So after [`PING_AFTER_MS`] with
//! nothing heard the SDK sends a `ping` (the server answers `pong`; any
//! frame counts), and a socket that stays silent [`DEAD_AFTER_MS`] after
//! it is dropped and the chat reconnects (and resumes after its last seq).
//! The same limit covers a socket that never opens or is never welcomed.
//! One timer, at the next deadline: no polling.

/// Quiet this long (ms): ping.
pub const PING_AFTER_MS: f64 = 25_000.0;
/// Silent this long after a ping (ms): the socket is dead.
pub const DEAD_AFTER_MS: f64 = 10_000.0;

/// One socket's liveness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heartbeat {
    heard: f64,
    pinged: Option<f64>,
}

/// What to do when the timer fires ([`Heartbeat::check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// Send a `ping`.
    Ping,
    /// Nothing yet.
    Wait,
    /// Drop the socket and reconnect.
    Dead,
}

impl Heartbeat {
    /// A socket opened at `now` (ms): as if it had just been heard.
    pub fn new(now: f64) -> Self {
        Heartbeat { heard: now, pinged: None }
    }

    /// A frame came at `now`.
    pub fn heard(&mut self, now: f64) {
        self.heard = now;
        self.pinged = None;
    }

    /// The network just came back (`online`): the socket may have died with
    /// the old one, so ask now rather than after the quiet period. `Ping`
    /// and the ms to the verdict, or `Wait` when a ping is already out.
    pub fn probe(&mut self, now: f64) -> (Beat, Option<f64>) {
        match self.pinged {
            Some(p) => (Beat::Wait, Some((p + DEAD_AFTER_MS - now).max(0.0))),
            None => {
                self.pinged = Some(now);
                (Beat::Ping, Some(DEAD_AFTER_MS))
            }
        }
    }

    /// The timer fired at `now`: what to do, and when to look next (ms
    /// from now; none once dead). A timer that fires late (a hidden page's
    /// timers are throttled) only finds out later; frames that came
    /// meanwhile count.
    pub fn check(&mut self, now: f64) -> (Beat, Option<f64>) {
        if let Some(p) = self.pinged {
            if now - p >= DEAD_AFTER_MS {
                return (Beat::Dead, None);
            }
            return (Beat::Wait, Some(p + DEAD_AFTER_MS - now));
        }
        // A clock that went back: count from now.
        if now < self.heard {
            self.heard = now;
        }
        if now - self.heard >= PING_AFTER_MS {
            self.pinged = Some(now);
            return (Beat::Ping, Some(DEAD_AFTER_MS));
        }
        (Beat::Wait, Some(self.heard + PING_AFTER_MS - now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_socket_is_pinged_and_a_silent_one_is_dead() {
        let mut h = Heartbeat::new(0.0);
        assert_eq!(h.check(0.0), (Beat::Wait, Some(25_000.0)), "the first deadline");
        h.heard(10_000.0);
        // The timer set for 25 s finds a frame heard since: the next deadline moves.
        assert_eq!(h.check(25_000.0), (Beat::Wait, Some(10_000.0)));
        assert_eq!(h.check(35_000.0), (Beat::Ping, Some(10_000.0)));
        // The pong comes: quiet again.
        h.heard(35_050.0);
        assert_eq!(h.check(45_000.0), (Beat::Wait, Some(15_050.0)));
        assert_eq!(h.check(60_050.0), (Beat::Ping, Some(10_000.0)));
        assert_eq!(h.check(65_000.0), (Beat::Wait, Some(5_050.0)), "early: still waiting for the pong");
        assert_eq!(h.check(70_050.0), (Beat::Dead, None));
    }

    #[test]
    fn a_late_timer_counts_what_came_meanwhile_and_a_clock_going_back_is_no_death() {
        let mut h = Heartbeat::new(0.0);
        assert_eq!(h.check(30_000.0).0, Beat::Ping);
        h.heard(30_100.0); // the pong, while the (throttled) timer slept a minute
        assert_eq!(h.check(90_000.0).0, Beat::Ping, "quiet since: ping again, not dead");
        let mut back = Heartbeat::new(100_000.0);
        assert_eq!(back.check(50_000.0), (Beat::Wait, Some(25_000.0)));
        // A socket that never hears anything (never opens, never welcomed) is dead after both limits.
        // The network came back: a ping at once, whatever the quiet; the
        // answer resets it, no answer is death 10 s later.
        let mut probed = Heartbeat::new(0.0);
        assert_eq!(probed.probe(1_000.0), (Beat::Ping, Some(10_000.0)));
        assert_eq!(probed.probe(4_000.0), (Beat::Wait, Some(7_000.0)), "one ping out is enough");
        probed.heard(1_200.0);
        assert_eq!(probed.check(2_000.0), (Beat::Wait, Some(24_200.0)));
        assert_eq!(probed.probe(3_000.0).0, Beat::Ping);
        assert_eq!(probed.check(13_000.0).0, Beat::Dead);
        let mut never = Heartbeat::new(0.0);
        assert_eq!(never.check(25_000.0).0, Beat::Ping);
        assert_eq!(never.check(35_000.0).0, Beat::Dead);
    }
}
