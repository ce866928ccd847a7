//! Chat session state on the client, pure: what was received (deduplicated
//! by sequence number), what is waiting to be sent (each message keeps its
//! client id across retries and reloads), reconnect backoff, and the
//! persisted form that lets a reload or another tab pick the chat up.
//!
//! Delivery contract with the server (docs/PROTOCOL.md): at-least-once on the
//! wire, exactly-once visible. The outbox resends until acknowledged; the
//! server dedupes by client id; the timeline dedupes by `seq` and notices a
//! gap (then the client resyncs from its last contiguous `seq`).

mod backoff;
mod heartbeat;
mod outbox;
mod persisted;
mod receipts;
mod throttle;
mod timeline;

pub use backoff::{Backoff, BASE_MS, CAP_MS};
pub use heartbeat::{Beat, Heartbeat, DEAD_AFTER_MS, PING_AFTER_MS};
pub use outbox::{Outbox, Pending, SendStatus, MAX_OUTBOX, MAX_TEXT_CHARS};
pub use persisted::{Persisted, PersistedRef, StoredHead, MAX_HISTORY};

/// The visitor counts as no longer typing this long (ms) after the last
/// keystroke (the default widget) or `sendTyping()` call: the SDK tells the
/// agent so by itself.
pub const TYPING_IDLE_MS: u32 = 3000;
pub use receipts::{PaceStep, ReadPace, Receipts};
pub use throttle::{Throttle, HOLD_FOR_MS, MAX_WAIT_MS, MIN_WAIT_MS};
pub use timeline::{Applied, Timeline};
