//! The video channel (SPEC §4, iAdvize): a call inside a conversation.
//!
//! * The agent invites (`video` frame, action `invite`), or the visitor asks
//!   first (`POST /v1/conversations/{id}/video`, action `request`) and the
//!   agent invites then.
//! * The visitor accepts by opening a **call socket**: `GET /v1/ws` whose
//!   `hello` carries the `callId`. It gets only `video` and `rtc` frames;
//!   the call is the tab's that opened it (in many tabs, any tab may take
//!   the call, not only the one holding the chat's socket).
//! * WebRTC signalling (`rtc` frames, the payload opaque to the server)
//!   goes between the agent's socket and that call socket; media flows peer
//!   to peer. The agent's side makes the offer.
//! * Either side ends it; closing the conversation, or the call socket
//!   going away, ends it too.

use super::http::Sender;

/// What a client asks of a call (the agent's `video` frame, the visitor's
/// `POST …/video`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VideoAction {
    /// Visitor: asks for a video call (the agent invites, or not).
    Request,
    /// Agent: invites the visitor to a call.
    Invite,
    /// Visitor: declines an invitation (or withdraws a request).
    Decline,
    /// Either side: hangs up (or withdraws an invitation).
    End,
}

/// Where a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VideoCallState {
    /// The visitor asked; no agent has invited yet.
    Requested,
    /// The agent invited; the visitor has not joined yet.
    Invited,
    /// The visitor joined (a call socket is bound): signalling and media.
    Active,
    /// Over; `reason` says why.
    Ended,
}

/// A conversation's video call, as both sides see it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct VideoCall {
    /// Call id (a new one for each call of the conversation).
    pub id: String,
    /// State.
    pub state: VideoCallState,
    /// Who made the last change.
    pub by: Sender,
    /// The widget's camera mode for the visitor: `normal`, `one_way` (the
    /// visitor's camera is never requested) or `camera_off` (the visitor
    /// joins with the camera off and may turn it on).
    pub camera_mode: String,
    /// Why it ended: `declined`, `visitor`, `agent`, `closed` (the
    /// conversation ended), `disconnected` (a side's socket went away).
    pub reason: Option<String>,
}

/// `POST /v1/conversations/{id}/video` body (visitor).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct VideoRequest {
    /// `request`, `decline` or `end` (`invite` is the agent's).
    pub action: VideoAction,
    /// The call it is about (`decline`, `end`); none for `request`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub call_id: Option<String>,
}

/// A STUN or TURN server for the calls (`RTCIceServer`).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct IceServer {
    /// `stun:` / `turn:` URLs.
    pub urls: Vec<String>,
    /// TURN user name.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub username: Option<String>,
    /// TURN credential.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub credential: Option<String>,
}
