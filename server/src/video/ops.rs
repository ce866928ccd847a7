//! Video calls applied: the state machine's decisions stored in
//! [`super::Calls`], the call's `video` frame sent to everyone who sees the
//! conversation, `rtc` signalling relayed (never stored), and the system
//! messages of a call that started or ended.
//!
//! Locks: `live` may be locked while `calls` is held (whether the
//! conversation is still open is checked under the calls lock, so no call
//! starts once the conversation closed), never `calls` while `live` is.

use lcw_sdk::core::json::Value;
use lcw_sdk::core::protocol::{ConversationState, ErrorCode, Sender, ServerFrame, VideoAction, VideoCall, VideoCallState};

use super::{decide, join, check_rtc, CallTx, Joined, Slot, Step, CALL_SOCKET_CAPACITY};
use crate::error::{ApiError, ApiResult};
use crate::hub::Outbound;
use crate::live::serves;
use crate::state::AppState;
use crate::store::{new_id, ConversationRow};

/// System message when a call becomes active.
pub const CALL_STARTED: &str = "Video call started";
/// System message when an active call ends.
pub const CALL_ENDED: &str = "Video call ended";

fn closed() -> ApiError {
    ApiError::new(ErrorCode::ConversationClosed, "the conversation is closed")
}

/// Queues a frame for a call socket; a socket that stopped reading loses it.
fn to_call_socket(tx: &CallTx, out: &std::sync::Arc<Outbound>) {
    if tx.try_send(out.clone()).is_err() {
        tracing::warn!("call socket gone or behind: frame dropped");
    }
}

impl AppState {
    /// The agents who see a conversation's calls: its agent, or while it
    /// waits every agent of its queue.
    fn video_agents_of(&self, agent_id: Option<&str>, queue_id: &str) -> Vec<String> {
        match agent_id {
            Some(a) => vec![a.to_string()],
            None => self.cfg.agents.iter().filter(|a| serves(a, queue_id)).map(|a| a.id.clone()).collect(),
        }
    }

    /// [`Self::video_agents_of`] an open conversation.
    fn video_agents(&self, conversation_id: &str) -> Vec<String> {
        let c = self.live().convs.get(conversation_id).map(|c| (c.agent_id.clone(), c.queue_id.clone()));
        c.map(|(a, q)| self.video_agents_of(a.as_deref(), &q)).unwrap_or_default()
    }

    /// Whether the conversation is open (checked under the calls lock).
    fn is_open(&self, conversation_id: &str) -> ApiResult<()> {
        if self.live().convs.contains_key(conversation_id) {
            Ok(())
        } else {
            Err(closed())
        }
    }

    /// Sends the call's `video` frame to the conversation's chat sockets,
    /// its call socket and its agents (under the calls lock: in order).
    fn publish_call(&self, conversation_id: &str, call: &VideoCall, socket: Option<&CallTx>, agents: &[String]) {
        let out = Outbound::new(&ServerFrame::Video { conversation_id: conversation_id.to_string(), call: call.clone() });
        self.hub.to_conv(conversation_id, &out);
        if let Some(tx) = socket {
            to_call_socket(tx, &out);
        }
        for a in agents {
            self.hub.to_agent(a, &out);
        }
    }

    /// Stores a call's system message through the normal message path.
    async fn call_message(&self, conversation_id: &str, text: &str) {
        if let Ok(Some(row)) = self.store.conversation(conversation_id).await {
            self.system_message(&row, text.to_string()).await;
        }
    }

    /// The `video` frame of the conversation's call under way, if any (for
    /// a socket that connects while it is).
    pub fn video_frame(&self, conversation_id: &str) -> Option<ServerFrame> {
        let call = self.calls.current(conversation_id)?;
        Some(ServerFrame::Video { conversation_id: conversation_id.to_string(), call })
    }

    /// A visitor's (`POST …/video`) or agent's (`video` frame) action on
    /// the conversation's call; returns the call as it is now.
    pub async fn video_action(&self, conv: &ConversationRow, by: Sender, action: VideoAction, call_id: Option<&str>) -> ApiResult<VideoCall> {
        self.is_open(&conv.id)?;
        let widget = self.widget(&conv.widget_id).filter(|w| w.config.video.enabled);
        let camera_mode = widget.ok_or_else(|| ApiError::new(ErrorCode::VideoUnavailable, "video calls are off for this widget"))?.config.video.camera_mode.clone();
        let agents = self.video_agents(&conv.id);
        let (call, active_ended) = {
            let mut calls = self.calls.lock();
            self.is_open(&conv.id)?;
            let before = calls.get(&conv.id).map(|s| s.call.clone());
            match decide(before.as_ref(), by, action, call_id)? {
                Step::Same => return before.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such video call")),
                Step::New(state) => {
                    let call = VideoCall { id: new_id("call"), state, by, camera_mode, reason: None };
                    calls.insert(conv.id.clone(), Slot::new(call));
                }
                Step::To(state, reason) => {
                    if let Some(s) = calls.get_mut(&conv.id) {
                        s.call.state = state;
                        s.call.by = by;
                        s.call.reason = reason.map(String::from);
                    }
                }
            }
            let Some(slot) = calls.get_mut(&conv.id) else { return Err(ApiError::new(ErrorCode::Internal, "call lost")) };
            // An ended call lets go of its socket: that socket closes after the frame.
            let socket = if slot.call.state == VideoCallState::Ended { slot.socket.take() } else { slot.socket.clone() };
            self.publish_call(&conv.id, &slot.call, socket.as_ref().map(|(_, tx)| tx), &agents);
            let was_active = before.is_some_and(|b| b.state == VideoCallState::Active);
            (slot.call.clone(), was_active && slot.call.state == VideoCallState::Ended)
        };
        if active_ended {
            self.call_message(&conv.id, CALL_ENDED).await;
        }
        Ok(call)
    }

    /// An agent's `video` frame: `invite` (a video-capable agent, on their
    /// own conversation, which an invitation accepts when only assigned) or
    /// `end`.
    pub async fn agent_video(&self, agent_id: &str, conversation_id: &str, action: VideoAction, call_id: Option<&str>) -> ApiResult<()> {
        let row = self.store.conversation(conversation_id).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
        if row.state == ConversationState::Closed {
            return Err(closed());
        }
        if row.agent_id.as_deref() != Some(agent_id) {
            return Err(ApiError::new(ErrorCode::Forbidden, "accept the conversation first"));
        }
        if action == VideoAction::Invite {
            if !self.agent(agent_id).is_some_and(|a| a.video) {
                return Err(ApiError::new(ErrorCode::Forbidden, "you are not set up for video calls"));
            }
            if !self.widget(&row.widget_id).is_some_and(|w| w.config.video.enabled) {
                return Err(ApiError::new(ErrorCode::VideoUnavailable, "video calls are off for this widget"));
            }
            if row.state == ConversationState::Assigned {
                self.accept(agent_id, conversation_id).await?;
            }
        }
        self.video_action(&row, Sender::Agent, action, call_id).await.map(|_| ())
    }

    /// A call socket's `hello`: the `Invited` call becomes `Active` with
    /// this socket bound (and `key` as the call's), or an `Active` call
    /// whose socket dropped takes this one instead (a resume), or, with
    /// the call's key, whose socket is still bound (a take-over: that one
    /// is let go and closes); returns the socket's id. The socket's first
    /// frame is the call's `video` frame, queued on `tx`; on a resume or a
    /// take-over only this socket gets it, followed by the agent's `rtc`
    /// frames sent while it was away.
    pub async fn join_call(&self, conv: &ConversationRow, call_id: &str, key: Option<String>, tx: CallTx) -> ApiResult<u64> {
        let agents = self.video_agents(&conv.id);
        let socket = self.calls.socket_id();
        let joined = {
            let mut calls = self.calls.lock();
            self.is_open(&conv.id)?;
            let slot = calls.get_mut(&conv.id);
            let joined = join(slot.as_deref(), call_id, key.as_deref())?;
            let Some(slot) = slot else { return Err(ApiError::new(ErrorCode::NotFound, "no such video call")) };
            match joined {
                Joined::Start => {
                    slot.call.state = VideoCallState::Active;
                    slot.call.by = Sender::Visitor;
                    slot.call.reason = None;
                    slot.key = key;
                    slot.socket = Some((socket, tx));
                    self.publish_call(&conv.id, &slot.call, slot.socket.as_ref().map(|(_, tx)| tx), &agents);
                }
                Joined::Resume | Joined::TakeOver => {
                    to_call_socket(&tx, &Outbound::new(&ServerFrame::Video { conversation_id: conv.id.clone(), call: slot.call.clone() }));
                    for out in slot.backlog.drain(..) {
                        to_call_socket(&tx, &out);
                    }
                    slot.left = None;
                    // (A take-over drops the old socket's sender: it closes.)
                    slot.socket = Some((socket, tx));
                }
            }
            joined
        };
        if joined == Joined::Start {
            self.call_message(&conv.id, CALL_STARTED).await;
        }
        Ok(socket)
    }

    /// Ends the conversation's call under way when `pred` holds, telling
    /// `agents`; the system message is stored when it was active.
    async fn end_call_if(&self, conversation_id: &str, by: Sender, reason: &str, agents: &[String], pred: impl FnOnce(&Slot) -> bool) {
        let was_active = {
            let mut calls = self.calls.lock();
            let Some(slot) = calls.get_mut(conversation_id).filter(|s| s.call.state != VideoCallState::Ended && pred(s)) else { return };
            let was_active = slot.call.state == VideoCallState::Active;
            slot.call.state = VideoCallState::Ended;
            slot.call.by = by;
            slot.call.reason = Some(reason.to_string());
            slot.left = None;
            slot.backlog.clear();
            slot.agent_backlog.clear();
            let socket = slot.socket.take();
            self.publish_call(conversation_id, &slot.call, socket.as_ref().map(|(_, tx)| tx), agents);
            was_active
        };
        if was_active {
            self.call_message(conversation_id, CALL_ENDED).await;
        }
    }

    /// The conversation `row` (as it was open) is closing: its call under
    /// way ends (`closed`). Called before the conversation leaves the live
    /// state, and again with `forget` after, which also ends a call started
    /// in between and drops the conversation's calls.
    pub async fn close_call(&self, row: &ConversationRow, by: Sender, forget: bool) {
        let agents = self.video_agents_of(row.agent_id.as_deref(), &row.queue_id);
        self.end_call_if(&row.id, by, "closed", &agents, |_| true).await;
        if forget {
            self.calls.forget(&row.id);
        }
    }

    /// A call socket went away. Dropped (`resumable`: no close frame, the
    /// network), its active call waits `call_resume_secs` for another
    /// socket of the visitor's (the peer connection carries the media
    /// meanwhile), then ends (`disconnected`); closed by the page, or with
    /// no wait configured, it ends at once.
    pub async fn call_socket_gone(self: &std::sync::Arc<Self>, conversation_id: &str, call_id: &str, socket: u64, resumable: bool) {
        let bound = |s: &Slot| s.call.id == call_id && s.call.state == VideoCallState::Active && s.socket.as_ref().is_some_and(|(id, _)| *id == socket);
        let grace = std::time::Duration::from_secs(self.cfg.call_resume_secs);
        if grace.is_zero() || !resumable {
            let agents = self.video_agents(conversation_id);
            return self.end_call_if(conversation_id, Sender::Visitor, "disconnected", &agents, bound).await;
        }
        {
            let mut calls = self.calls.lock();
            let Some(slot) = calls.get_mut(conversation_id).filter(|s| bound(s)) else { return };
            slot.socket = None;
            slot.left = Some(socket);
        }
        let (app, conv, call) = (self.clone(), conversation_id.to_string(), call_id.to_string());
        let mut shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(grace) => {}
                _ = shutdown.changed() => return,
            }
            let agents = app.video_agents(&conv);
            let still_away = |s: &Slot| s.call.id == call && s.call.state == VideoCallState::Active && s.socket.is_none() && s.left == Some(socket);
            app.end_call_if(&conv, Sender::Visitor, "disconnected", &agents, still_away).await;
        });
    }

    /// An agent's last socket went away. Their calls (active, or invited
    /// and so waiting for this agent's offer) wait `call_resume_secs` for
    /// the agent to be back (the console reconnects by itself and keeps its
    /// peer connection), then end (`disconnected`); at once when that is 0.
    pub async fn agent_calls_gone(self: &std::sync::Arc<Self>, agent_id: &str) {
        let grace = std::time::Duration::from_secs(self.cfg.call_resume_secs);
        if grace.is_zero() {
            return self.end_agent_calls(agent_id).await;
        }
        let mark = self.calls.agent_left(agent_id);
        let (app, agent) = (self.clone(), agent_id.to_string());
        let mut shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(grace) => {}
                _ = shutdown.changed() => return,
            }
            let back = app.live().is_online(&agent);
            if app.calls.agent_still_away(&agent, mark) && !back {
                app.end_agent_calls(&agent).await;
            }
        });
    }

    async fn end_agent_calls(&self, agent_id: &str) {
        let ids: Vec<String> = self.live().convs.iter().filter(|(_, c)| c.agent_id.as_deref() == Some(agent_id)).map(|(id, _)| id.clone()).collect();
        for id in ids {
            let agents = self.video_agents(&id);
            let theirs = |s: &Slot| matches!(s.call.state, VideoCallState::Active | VideoCallState::Invited);
            self.end_call_if(&id, Sender::Agent, "disconnected", &agents, theirs).await;
        }
    }

    /// Relays an `rtc` payload of the active call: from its call socket
    /// (`socket`) to the conversation's agent, or from the agent to the
    /// call socket. Nothing is stored.
    pub fn relay_rtc(&self, conversation_id: &str, call_id: &str, payload: Value, from: Sender, socket: Option<u64>) -> ApiResult<()> {
        let agent = self.live().convs.get(conversation_id).and_then(|c| c.agent_id.clone());
        let mut calls = self.calls.lock();
        let slot = calls.get(conversation_id);
        check_rtc(slot.map(|s| &s.call), call_id, &payload)?;
        let bound = slot.and_then(|s| s.socket.clone());
        let out = Outbound::new(&ServerFrame::Rtc { conversation_id: conversation_id.to_string(), call_id: call_id.to_string(), from, payload });
        match from {
            Sender::Visitor => {
                if socket.is_none() || bound.as_ref().map(|(id, _)| *id) != socket {
                    return Err(ApiError::new(ErrorCode::VideoUnavailable, "rtc frames go on the call's own socket"));
                }
                if let Some(a) = agent {
                    if self.live().is_online(&a) {
                        self.hub.to_agent(&a, &out);
                    } else if let Some(slot) = calls.get_mut(conversation_id) {
                        // Kept for the agent's socket that comes back within the wait.
                        if slot.agent_backlog.len() < CALL_SOCKET_CAPACITY {
                            slot.agent_backlog.push(out);
                        } else {
                            tracing::warn!("agent away and the call's backlog full: rtc frame dropped");
                        }
                    }
                }
            }
            _ => {
                if let Some((_, tx)) = &bound {
                    to_call_socket(tx, &out);
                } else if let Some(slot) = calls.get_mut(conversation_id).filter(|s| s.left.is_some()) {
                    // Kept for the socket that resumes.
                    if slot.backlog.len() < CALL_SOCKET_CAPACITY {
                        slot.backlog.push(out);
                    } else {
                        tracing::warn!("call socket away and its backlog full: rtc frame dropped");
                    }
                }
            }
        }
        Ok(())
    }

    /// An agent's `rtc` frame: only on their own conversation.
    pub fn agent_rtc(&self, agent_id: &str, conversation_id: Option<String>, call_id: &str, payload: Value) -> ApiResult<()> {
        let id = conversation_id.ok_or_else(|| ApiError::new(ErrorCode::BadRequest, "conversationId is required"))?;
        let agent = self.live().convs.get(&id).map(|c| c.agent_id.clone()).ok_or_else(closed)?;
        if agent.as_deref() != Some(agent_id) {
            return Err(ApiError::new(ErrorCode::Forbidden, "not your conversation"));
        }
        self.relay_rtc(&id, call_id, payload, Sender::Agent, None)
    }
}
