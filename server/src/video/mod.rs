//! Video calls (SPEC §4, iAdvize; the flow is in
//! `lcw_sdk::core::protocol::video`): at most one call under way per
//! conversation, kept in memory (a restart ends every call, as it drops the
//! peer connections' signalling anyway).
//!
//! [`decide`], [`join`] and [`check_rtc`] are the state machine, pure:
//! what an action does to the conversation's call, or why it is refused.
//! [`Calls`] holds each conversation's latest call and its bound call
//! socket; [`ops`] applies the decisions and tells everyone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use lcw_sdk::core::json::Value;
use lcw_sdk::core::protocol::{ErrorCode, Sender, VideoAction, VideoCall, VideoCallState};
use tokio::sync::mpsc;

use crate::error::ApiError;
use crate::hub::Outbound;

pub mod ops;

/// The camera modes a widget may set (`video.cameraMode`).
pub const CAMERA_MODES: [&str; 3] = ["normal", "one_way", "camera_off"];

/// Frames queued for one call socket (`video` and `rtc` only).
pub const CALL_SOCKET_CAPACITY: usize = 256;

/// Sender to a bound call socket's task.
pub type CallTx = mpsc::Sender<Arc<Outbound>>;

/// What an action does to a conversation's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A new call starts, in this state (`Requested` or `Invited`).
    New(VideoCallState),
    /// The current call moves to this state (`Invited`, or `Ended` with the reason).
    To(VideoCallState, Option<&'static str>),
    /// Nothing changes: the call had already ended (a repeated `decline` or `end`).
    Same,
}

fn unavailable(message: &str) -> ApiError {
    ApiError::new(ErrorCode::VideoUnavailable, message)
}

fn bad(message: &str) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

fn no_call() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such video call in this conversation")
}

/// What `action` by `by` does to the conversation's latest call `current`
/// (`call_id` names the call for `decline` and `end`), or the refusal:
/// `video_unavailable` when a call is already under way or the call's
/// state does not allow it, `not_found` for another call id, `bad_request`
/// for an action of the other side or a missing call id.
pub fn decide(current: Option<&VideoCall>, by: Sender, action: VideoAction, call_id: Option<&str>) -> Result<Step, ApiError> {
    use VideoCallState::*;
    let under_way = current.map(|c| c.state).filter(|s| *s != Ended);
    match (action, by) {
        (VideoAction::Request, Sender::Visitor) => match under_way {
            None => Ok(Step::New(Requested)),
            Some(_) => Err(unavailable("a video call is already requested or under way")),
        },
        (VideoAction::Invite, Sender::Agent) => match under_way {
            None => Ok(Step::New(Invited)),
            Some(Requested) => Ok(Step::To(Invited, None)),
            Some(_) => Err(unavailable("a video call is already under way")),
        },
        (VideoAction::Decline, Sender::Visitor) | (VideoAction::End, Sender::Visitor | Sender::Agent) => {
            let id = call_id.filter(|id| !id.is_empty()).ok_or_else(|| bad("callId is required"))?;
            let call = current.filter(|c| c.id == id).ok_or_else(no_call)?;
            match (action, call.state) {
                (_, Ended) => Ok(Step::Same),
                (VideoAction::Decline, Active) => Err(unavailable("the call is under way: end it instead")),
                (VideoAction::Decline, _) => Ok(Step::To(Ended, Some("declined"))),
                _ => Ok(Step::To(Ended, Some(if by == Sender::Visitor { "visitor" } else { "agent" }))),
            }
        }
        (VideoAction::Request | VideoAction::Decline, _) => Err(bad("request and decline are the visitor's (POST /v1/conversations/{id}/video)")),
        (VideoAction::Invite, _) => Err(bad("only the conversation's agent invites to a video call")),
        (VideoAction::End, Sender::System) => Err(bad("end is the visitor's or the agent's")),
    }
}

/// How a call socket's hello joins its call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// The invitation is taken: the call becomes active.
    Start,
    /// The active call's socket had dropped and this one takes its place
    /// (within `call_resume_secs`).
    Resume,
    /// The active call's socket is still bound, but this one presents the
    /// call's key: the joining tab's old socket went silent (it cannot
    /// tell the server), so this one replaces it at once.
    TakeOver,
}

/// Longest call key (`hello.callKey`) taken, in bytes.
pub const MAX_CALL_KEY: usize = 128;

/// Whether a call socket may join `call_id` of the conversation's call
/// `current`, presenting `key`: an `Invited` call (the key becomes the
/// call's), or an `Active` one presenting the call's key (or either, when
/// the call has none: a client that sends no key), whose socket dropped
/// (a resume) or is still bound (a take-over). An `Active` one with
/// another key is taken (by another tab).
pub fn join(current: Option<&Slot>, call_id: &str, key: Option<&str>) -> Result<Joined, ApiError> {
    if key.is_some_and(|k| k.is_empty() || k.len() > MAX_CALL_KEY) {
        return Err(bad("callKey is 1 to 128 bytes"));
    }
    let Some(slot) = current.filter(|s| s.call.id == call_id) else { return Err(no_call()) };
    let taken = || unavailable("the call is taken in another tab");
    let keyed = slot.key.as_deref();
    match (slot.call.state, slot.socket.is_some()) {
        (VideoCallState::Invited, _) => Ok(Joined::Start),
        (VideoCallState::Active, _) if keyed.is_some() && keyed != key => Err(taken()),
        (VideoCallState::Active, false) => Ok(Joined::Resume),
        (VideoCallState::Active, true) if keyed.is_some() => Ok(Joined::TakeOver),
        (VideoCallState::Active, true) => Err(taken()),
        (VideoCallState::Requested, _) => Err(unavailable("the agent has not invited to this call yet")),
        (VideoCallState::Ended, _) => Err(unavailable("the call has ended")),
    }
}

/// Whether an `rtc` payload for `call_id` may be relayed: a JSON object,
/// for the conversation's `Active` call.
pub fn check_rtc(current: Option<&VideoCall>, call_id: &str, payload: &Value) -> Result<(), ApiError> {
    if !matches!(payload, Value::Object(_)) {
        return Err(bad("an rtc payload is a JSON object"));
    }
    match current.filter(|c| c.id == call_id).map(|c| c.state) {
        None => Err(no_call()),
        Some(VideoCallState::Active) => Ok(()),
        Some(_) => Err(unavailable("the call is not active")),
    }
}

/// A conversation's latest call and the call socket bound to it.
#[derive(Debug)]
pub struct Slot {
    /// The call (an ended one is kept until the conversation closes).
    pub call: VideoCall,
    /// The bound call socket: its id and its sender.
    pub socket: Option<(u64, CallTx)>,
    /// The key the joining call socket presented (`hello.callKey`): a
    /// later socket must present it to resume or take over.
    pub key: Option<String>,
    /// While an active call's socket is away: the id of the socket that
    /// dropped (its wait for a resume ends the call unless another socket
    /// came and went meanwhile).
    pub left: Option<u64>,
    /// The agent's `rtc` frames sent while the socket is away, for the
    /// socket that resumes (at most [`CALL_SOCKET_CAPACITY`]).
    pub backlog: Vec<Arc<Outbound>>,
    /// The visitor's `rtc` frames sent while the conversation's agent had
    /// no socket, for the agent's socket that comes back (at most
    /// [`CALL_SOCKET_CAPACITY`]).
    pub agent_backlog: Vec<Arc<Outbound>>,
}

impl Slot {
    /// A new call with no socket.
    pub fn new(call: VideoCall) -> Self {
        Slot { call, socket: None, key: None, left: None, backlog: Vec::new(), agent_backlog: Vec::new() }
    }
}

/// Every conversation's latest call.
#[derive(Debug, Default)]
pub struct Calls {
    slots: Mutex<HashMap<String, Slot>>,
    next_socket: AtomicU64,
    /// Agents whose last socket went: the mark of their latest going (the
    /// wait it started ends their calls unless they came back meanwhile).
    agents_away: Mutex<HashMap<String, u64>>,
}

impl Calls {
    /// Locks the calls (recovering from a poisoned lock). Frames about a
    /// change are sent while it is held, so they go out in order.
    pub fn lock(&self) -> MutexGuard<'_, HashMap<String, Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new call socket id.
    pub fn socket_id(&self) -> u64 {
        self.next_socket.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The conversation's call, when one is under way (not ended).
    pub fn current(&self, conversation_id: &str) -> Option<VideoCall> {
        self.lock().get(conversation_id).map(|s| s.call.clone()).filter(|c| c.state != VideoCallState::Ended)
    }

    /// Marks an agent's last socket gone; returns the mark of this going.
    pub fn agent_left(&self, agent_id: &str) -> u64 {
        let mark = self.socket_id();
        self.agents_away.lock().unwrap_or_else(|p| p.into_inner()).insert(agent_id.to_string(), mark);
        mark
    }

    /// Whether `mark` is still the agent's latest going (they did not come
    /// back and go again meanwhile); forgets it when so.
    pub fn agent_still_away(&self, agent_id: &str, mark: u64) -> bool {
        let mut away = self.agents_away.lock().unwrap_or_else(|p| p.into_inner());
        let latest = away.get(agent_id) == Some(&mark);
        if latest {
            away.remove(agent_id);
        }
        latest
    }

    /// The visitor's `rtc` frames kept for the agent while they were away,
    /// in order, for these conversations' active calls (taken: a later
    /// socket does not get them again).
    pub fn take_agent_backlog(&self, conversation_ids: &[&str]) -> Vec<Arc<Outbound>> {
        let mut calls = self.lock();
        let mut out = Vec::new();
        for id in conversation_ids {
            if let Some(slot) = calls.get_mut(*id).filter(|s| s.call.state == VideoCallState::Active) {
                out.append(&mut slot.agent_backlog);
            }
        }
        out
    }

    /// Drops a closed conversation's call.
    pub fn forget(&self, conversation_id: &str) {
        self.lock().remove(conversation_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VideoAction::*;
    use VideoCallState::*;

    fn call(state: VideoCallState) -> VideoCall {
        VideoCall { id: "call_1".into(), state, by: Sender::Agent, camera_mode: "normal".into(), reason: None }
    }

    fn code(r: Result<Step, ApiError>) -> &'static str {
        r.err().map_or("ok", |e| e.code().as_str())
    }

    #[test]
    fn visitor_requests_when_no_call_is_under_way() {
        assert_eq!(decide(None, Sender::Visitor, Request, None).ok(), Some(Step::New(Requested)));
        assert_eq!(decide(Some(&call(Ended)), Sender::Visitor, Request, None).ok(), Some(Step::New(Requested)));
        for s in [Requested, Invited, Active] {
            assert_eq!(code(decide(Some(&call(s)), Sender::Visitor, Request, None)), "video_unavailable", "{s:?}");
        }
    }

    #[test]
    fn agent_invites_fresh_or_answers_a_request() {
        assert_eq!(decide(None, Sender::Agent, Invite, None).ok(), Some(Step::New(Invited)));
        assert_eq!(decide(Some(&call(Ended)), Sender::Agent, Invite, None).ok(), Some(Step::New(Invited)));
        assert_eq!(decide(Some(&call(Requested)), Sender::Agent, Invite, None).ok(), Some(Step::To(Invited, None)));
        assert_eq!(code(decide(Some(&call(Invited)), Sender::Agent, Invite, None)), "video_unavailable");
        assert_eq!(code(decide(Some(&call(Active)), Sender::Agent, Invite, None)), "video_unavailable");
    }

    #[test]
    fn decline_before_the_call_only() {
        let id = Some("call_1");
        assert_eq!(decide(Some(&call(Invited)), Sender::Visitor, Decline, id).ok(), Some(Step::To(Ended, Some("declined"))));
        assert_eq!(decide(Some(&call(Requested)), Sender::Visitor, Decline, id).ok(), Some(Step::To(Ended, Some("declined"))));
        assert_eq!(code(decide(Some(&call(Active)), Sender::Visitor, Decline, id)), "video_unavailable");
        assert_eq!(decide(Some(&call(Ended)), Sender::Visitor, Decline, id).ok(), Some(Step::Same));
    }

    #[test]
    fn either_side_ends_with_its_reason() {
        let id = Some("call_1");
        for s in [Requested, Invited, Active] {
            assert_eq!(decide(Some(&call(s)), Sender::Visitor, End, id).ok(), Some(Step::To(Ended, Some("visitor"))));
            assert_eq!(decide(Some(&call(s)), Sender::Agent, End, id).ok(), Some(Step::To(Ended, Some("agent"))));
        }
        assert_eq!(decide(Some(&call(Ended)), Sender::Agent, End, id).ok(), Some(Step::Same), "a repeated end is a no-op");
    }

    #[test]
    fn call_ids_and_sides_are_checked() {
        assert_eq!(code(decide(Some(&call(Invited)), Sender::Visitor, Decline, Some("call_2"))), "not_found");
        assert_eq!(code(decide(None, Sender::Visitor, End, Some("call_1"))), "not_found");
        assert_eq!(code(decide(Some(&call(Invited)), Sender::Visitor, End, None)), "bad_request");
        assert_eq!(code(decide(Some(&call(Invited)), Sender::Agent, End, Some(""))), "bad_request");
        assert_eq!(code(decide(None, Sender::Visitor, Invite, None)), "bad_request");
        assert_eq!(code(decide(None, Sender::Agent, Request, None)), "bad_request");
        assert_eq!(code(decide(Some(&call(Invited)), Sender::Agent, Decline, Some("call_1"))), "bad_request");
    }

    #[test]
    fn a_call_socket_joins_an_invitation_once_and_resumes_a_dropped_one() {
        let slot = |s: VideoCallState, bound: bool| {
            let mut slot = Slot::new(call(s));
            if bound {
                slot.socket = Some((1, mpsc::channel(1).0));
            }
            slot
        };
        let code = |r: Result<Joined, ApiError>| r.err().map(|e| e.code().as_str());
        assert_eq!(join(Some(&slot(Invited, false)), "call_1", None).ok(), Some(Joined::Start));
        assert_eq!(code(join(Some(&slot(Active, true)), "call_1", None)), Some("video_unavailable"), "taken");
        assert_eq!(join(Some(&slot(Active, false)), "call_1", None).ok(), Some(Joined::Resume));
        for s in [Requested, Ended] {
            assert_eq!(code(join(Some(&slot(s, false)), "call_1", None)), Some("video_unavailable"));
        }
        assert_eq!(code(join(Some(&slot(Active, false)), "call_2", None)), Some("not_found"));
        assert_eq!(code(join(None, "call_1", None)), Some("not_found"));
    }

    #[test]
    fn the_call_key_lets_the_joining_tab_take_its_socket_over_and_no_other() {
        let keyed = |bound: bool| {
            let mut slot = Slot::new(call(Active));
            slot.key = Some("k1".into());
            if bound {
                slot.socket = Some((1, mpsc::channel(1).0));
            }
            slot
        };
        let code = |r: Result<Joined, ApiError>| r.err().map(|e| e.code().as_str());
        assert_eq!(join(Some(&Slot::new(call(Invited))), "call_1", Some("k1")).ok(), Some(Joined::Start));
        // Its old socket still bound (gone silent): the key takes it over.
        assert_eq!(join(Some(&keyed(true)), "call_1", Some("k1")).ok(), Some(Joined::TakeOver));
        assert_eq!(join(Some(&keyed(false)), "call_1", Some("k1")).ok(), Some(Joined::Resume));
        // Another tab's key, or none, neither takes over nor resumes.
        for other in [Some("k2"), None] {
            assert_eq!(code(join(Some(&keyed(true)), "call_1", other)), Some("video_unavailable"), "{other:?}");
            assert_eq!(code(join(Some(&keyed(false)), "call_1", other)), Some("video_unavailable"), "{other:?}");
        }
        let long = "k".repeat(MAX_CALL_KEY + 1);
        for bad in ["", long.as_str()] {
            assert_eq!(code(join(Some(&keyed(true)), "call_1", Some(bad))), Some("bad_request"));
        }
        assert_eq!(join(Some(&Slot::new(call(Invited))), "call_1", Some(&long[1..])).ok(), Some(Joined::Start), "128 bytes is fine");
    }

    /// Starts the server state on a TOML config (with the demo defaults).
    async fn setup(toml: &str) -> Result<(), String> {
        let cfg = crate::config::ServerConfig::from_toml(toml).map_err(|e| format!("parse: {e}"))?.with_demo_defaults();
        let store = std::sync::Arc::new(crate::store::sqlite::SqliteStore::open(":memory:").expect("store"));
        let (_tx, rx) = tokio::sync::watch::channel(false);
        crate::state::AppState::new(cfg, store, rx).await.map(|_| ()).map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn camera_mode_defaults_to_normal_and_unknown_ones_are_refused() {
        let mut demo = crate::config::ServerConfig::default().with_demo_defaults();
        demo.normalize();
        assert!(demo.agents[0].video && demo.widgets[0].config.video.enabled && demo.widgets[0].config.video.camera_mode == "normal");
        let widget = |video: &str| format!("[[widgets]]\nid = \"cam\"\n[widgets.config.video]\n{video}\n");
        let mut cfg = crate::config::ServerConfig::from_toml(&widget("enabled = true")).expect("parses");
        cfg.normalize();
        assert_eq!(cfg.widgets[0].config.video.camera_mode, "normal");
        for mode in CAMERA_MODES {
            setup(&widget(&format!("cameraMode = \"{mode}\""))).await.expect(mode);
        }
        let err = setup(&widget("cameraMode = \"sideways\"")).await.unwrap_err();
        assert!(err.contains("widget cam") && err.contains("sideways"), "{err}");
    }

    #[test]
    fn rtc_needs_an_object_and_the_active_call() {
        let offer = Value::Object(vec![("type".into(), Value::String("offer".into()))]);
        assert!(check_rtc(Some(&call(Active)), "call_1", &offer).is_ok());
        let code = |r: Result<(), ApiError>| r.err().map(|e| e.code().as_str());
        assert_eq!(code(check_rtc(Some(&call(Active)), "call_1", &Value::String("offer".into()))), Some("bad_request"));
        assert_eq!(code(check_rtc(Some(&call(Active)), "call_1", &Value::Null)), Some("bad_request"));
        assert_eq!(code(check_rtc(Some(&call(Active)), "call_2", &offer)), Some("not_found"));
        assert_eq!(code(check_rtc(Some(&call(Invited)), "call_1", &offer)), Some("video_unavailable"));
        assert_eq!(code(check_rtc(None, "call_1", &offer)), Some("not_found"));
    }
}
