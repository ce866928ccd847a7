//! Is the peer still there? A page or a console can vanish without a close
//! (a laptop sleeps, a phone changes network, a NAT drops the mapping): the
//! socket's task would wait for ever, its subscriptions kept, and an
//! agent's vanished console would still count as online and be given
//! chats. So every socket gets a WebSocket ping every `socket_ping_secs`
//! (browsers answer it themselves, so an idle but live page answers), and
//! one nothing came from for `socket_dead_secs` is closed. The SDK does the
//! same from its side with `ping` frames (src/core/session/heartbeat.rs).

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use std::time::Duration;
use tokio::time::Instant;

use crate::config::ServerConfig;

/// One socket's liveness: when it was last heard, when to ping next.
#[derive(Debug)]
pub struct Liveness {
    ping: Option<Duration>,
    dead: Option<Duration>,
    heard: Instant,
    next_ping: Instant,
}

/// What [`Liveness::due`] says at a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Send a ping.
    Ping,
    /// Close it: silent too long.
    Dead,
    /// Nothing (a deadline that moved).
    Nothing,
}

/// Far enough to mean "never" for a timer.
const NEVER: Duration = Duration::from_secs(86_400 * 365);

impl Liveness {
    /// From the configuration, starting now.
    pub fn new(cfg: &ServerConfig) -> Self {
        let secs = |s: u64| (s > 0).then(|| Duration::from_secs(s));
        Self::with(secs(cfg.socket_ping_secs), secs(cfg.socket_dead_secs))
    }

    /// With explicit periods (None: off).
    pub fn with(ping: Option<Duration>, dead: Option<Duration>) -> Self {
        let now = Instant::now();
        Liveness { ping, dead, heard: now, next_ping: now + ping.unwrap_or(NEVER) }
    }

    /// Passes a received message on, noting that the peer was heard.
    pub fn heard<T>(&mut self, m: T) -> T {
        self.heard = Instant::now();
        m
    }

    /// The next time [`Liveness::due`] has something to say.
    pub fn deadline(&self) -> Instant {
        self.next_ping.min(self.heard + self.dead.unwrap_or(NEVER))
    }

    /// At a deadline: ping, close, or nothing.
    pub fn due(&mut self) -> Due {
        let now = Instant::now();
        if self.dead.is_some_and(|d| now >= self.heard + d) {
            return Due::Dead;
        }
        if now >= self.next_ping {
            self.next_ping = now + self.ping.unwrap_or(NEVER);
            return Due::Ping;
        }
        Due::Nothing
    }

    /// Acts on [`Liveness::due`]; false when the socket should end.
    pub async fn act(&mut self, ws: &mut WebSocket) -> bool {
        match self.due() {
            Due::Ping => ws.send(WsMessage::Ping(Default::default())).await.is_ok(),
            Due::Dead => {
                let bye = CloseFrame { code: 1001, reason: "nothing heard from this socket".into() };
                let _ = tokio::time::timeout(Duration::from_secs(1), ws.send(WsMessage::Close(Some(bye)))).await;
                false
            }
            Due::Nothing => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn pinged_while_quiet_closed_when_silent() {
        let s = |n| Some(Duration::from_secs(n));
        let mut l = Liveness::with(s(30), s(75));
        let t0 = Instant::now();
        assert_eq!(l.deadline(), t0 + Duration::from_secs(30));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(l.due(), Due::Ping);
        assert_eq!(l.deadline(), t0 + Duration::from_secs(60));
        tokio::time::advance(Duration::from_secs(20)).await;
        l.heard(()); // the pong, at 50 s
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(l.due(), Due::Ping, "60 s");
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(l.due(), Due::Ping, "90 s: heard at 50, not dead yet");
        assert_eq!(l.deadline(), t0 + Duration::from_secs(120), "the earlier of the next ping and 50 + 75");
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(l.due(), Due::Ping);
        assert_eq!(l.deadline(), t0 + Duration::from_secs(125));
        tokio::time::advance(Duration::from_secs(5)).await;
        assert_eq!(l.due(), Due::Dead, "125 s: nothing since 50 s");
        // Off: never due.
        let off = Liveness::with(None, None);
        assert!(off.deadline() > Instant::now() + Duration::from_secs(86_400));
    }
}
