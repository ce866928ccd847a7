//! Wire protocol between the SDK and a chat server (see `docs/PROTOCOL.md`).
//!
//! Plain types (JSON through `crate::core::json`; serde impls with the
//! feature `serde`) shared by the browser SDK and the reference server
//! (`lcw-server`). JSON field names are camelCase; enums are tagged with a
//! `type` field (WebSocket frames) or serialized as snake_case strings.
//!
//! Delivery contract: at-least-once on the wire, exactly-once visible. A
//! client gives every message a `clientId`; the server dedupes on it and
//! assigns a per-conversation sequence number `seq`; a client that
//! reconnects sends the last `seq` it saw and gets everything after it.

pub mod config;
pub mod error;
pub mod http;
mod json;
pub mod video;
pub mod ws;

pub use config::*;
pub use error::*;
pub use http::*;
pub use video::*;
pub use ws::*;

/// Protocol version; HTTP paths are prefixed with `/v{PROTOCOL_VERSION}`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Path prefix of every protocol endpoint.
pub const API_PREFIX: &str = "/v1";

/// Milliseconds since the Unix epoch (UTC). Every timestamp on the wire uses it.
pub type Millis = i64;

#[cfg(all(test, feature = "serde"))]
mod tests;
