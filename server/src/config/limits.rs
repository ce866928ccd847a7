//! The server's rate limits and per-socket frame budgets
//! (docs/PROTOCOL.md, "Security rules applied by the server").

use serde::{Deserialize, Serialize};

/// Rate limits: per client IP and per conversation (token buckets, `per_minute`
/// refill, bursts of the same size), and per socket (bursts of a tenth).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    /// HTTP requests and socket connects per client IP per minute (0 = off).
    pub per_ip_per_minute: u32,
    /// Messages per conversation per minute (0 = off).
    pub per_conversation_per_minute: u32,
    /// Other frames (typing, read receipts, pings, auth, close, unreadable
    /// text) per visitor socket per minute, in bursts of a tenth of it (0 = off).
    pub per_socket_frames_per_minute: u32,
    /// Frames (`rtc` signalling, pings) per visitor call socket per minute,
    /// in bursts of a tenth of it (0 = off). A call's set-up trickles a few
    /// dozen ICE candidates at once.
    pub per_call_socket_frames_per_minute: u32,
    /// Frames other than `send` per agent socket per minute, in bursts of a
    /// tenth of it (0 = off): a console that loops cannot hold the database
    /// or flood its visitors' sockets with typing.
    pub per_agent_socket_frames_per_minute: u32,
    /// Visitor sockets (chat and call) open at once per client IP (0 = no
    /// cap); more are refused with `rate_limited`.
    pub max_sockets_per_ip: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits { per_ip_per_minute: 600, per_conversation_per_minute: 120, per_socket_frames_per_minute: 300, per_call_socket_frames_per_minute: 1200, per_agent_socket_frames_per_minute: 1200, max_sockets_per_ip: 100 }
    }
}
