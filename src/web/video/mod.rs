//! Video calls, the visitor's side (SPEC §4, iAdvize's video channel; the
//! protocol is src/core/protocol/video.rs).
//!
//! * Every tab of the chat hears the call's changes: the tab holding the
//!   chat's socket gets the server's `video` frames and relays them to the
//!   others ([`on_call`]), each tab reporting them with the same events.
//! * Any tab may take the call ([`VideoCmd::Accept`]): it opens a call
//!   socket of its own ([`Call`]), so that the call does not depend on
//!   which tab holds the chat's socket.
//! * A tab that asked for the call ([`VideoCmd::Request`]) joins by itself
//!   when the agent invites.
//!
//! Only the chat's code reaches this module (`lazy::Ops::video`), so it is
//! in the chat's chunk of the split build.

mod beat;
mod call;
mod media;
#[cfg(feature = "ui")]
mod ui;

pub use call::Call;

/// Redraws the default widget's view of the call (`Ops::video_ui`; none
/// without the widget).
pub fn render(inner: &Inner) {
    #[cfg(feature = "ui")]
    ui::render(inner);
    #[cfg(not(feature = "ui"))]
    let _ = inner;
}

use crate::core::errors::{quoted, ErrorCode, RuntimeError};
use crate::core::protocol::{VideoAction, VideoCall, VideoCallState, VideoRequest};
use crate::web::args::obj;
use crate::web::events::{dispatch, report};
use crate::web::lazy::Fut;
use crate::web::session::{http, url};
use crate::web::state::Inner;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// What a page asks of the call (the SDK's video methods).
pub enum VideoCmd {
    /// Ask the agent for a call.
    Request,
    /// Join the call the agent invited to, in this tab.
    Accept,
    /// Decline the invitation (or withdraw the request).
    Decline,
    /// Hang up (or withdraw an invitation or request).
    End,
    /// Camera on or off in this tab's call.
    Camera(bool),
    /// Microphone on or off in this tab's call.
    Microphone(bool),
}

pub(crate) fn failed(msg: impl Into<String>) -> RuntimeError {
    RuntimeError::new(ErrorCode::VideoCallFailed, msg)
}

/// The server base, session token and conversation id of the kept chat.
pub(crate) fn chat_of(inner: &Inner) -> Result<(String, String, String), RuntimeError> {
    if let Some(s) = inner.session.borrow().as_ref() {
        let (base, token) = s.credentials();
        return Ok((base, token, s.conversation_id.clone()));
    }
    if let Some(t) = inner.tabs.borrow().as_ref() {
        let (base, token) = t.credentials();
        return Ok((base, token, t.conversation_id().to_owned()));
    }
    Err(failed("no chat is open"))
}

fn current(inner: &Inner) -> Option<VideoCall> {
    inner.video.borrow().clone().filter(|c| c.state != VideoCallState::Ended)
}

/// Runs a page's command (`Ops::video`).
pub fn run(inner: Rc<Inner>, cmd: VideoCmd) -> Fut<Result<(), RuntimeError>> {
    Box::pin(async move {
        match cmd {
            VideoCmd::Request => {
                let call = post(&inner, VideoAction::Request, None).await?;
                *inner.video_asked.borrow_mut() = Some(call.id.clone());
                on_call(&inner, call);
                Ok(())
            }
            VideoCmd::Accept => {
                let call = current(&inner).filter(|c| c.state == VideoCallState::Invited).ok_or_else(|| failed("no video invitation to accept"))?;
                join(&inner, call).await
            }
            VideoCmd::Decline => {
                let call = current(&inner).ok_or_else(|| failed("no video call to decline"))?;
                on_call(&inner, post(&inner, VideoAction::Decline, Some(call.id)).await?);
                Ok(())
            }
            VideoCmd::End => {
                let call = current(&inner).ok_or_else(|| failed("no video call to end"))?;
                // The server first (this tab's call socket closing first would
                // end the call as `disconnected`), then this tab's media stop,
                // whatever the server said.
                let ended = post(&inner, VideoAction::End, Some(call.id)).await;
                let_go(inner.call.borrow_mut().take());
                on_call(&inner, ended?);
                Ok(())
            }
            VideoCmd::Camera(on) => this_call(&inner)?.set_camera(on).await,
            VideoCmd::Microphone(on) => {
                this_call(&inner)?.set_microphone(on);
                Ok(())
            }
        }
    })
}

fn this_call(inner: &Inner) -> Result<Rc<Call>, RuntimeError> {
    inner.call.borrow().clone().ok_or_else(|| failed("this tab is not in a video call"))
}

/// `POST /v1/conversations/{id}/video`: the call as the server has it now.
async fn post(inner: &Inner, action: VideoAction, call_id: Option<String>) -> Result<VideoCall, RuntimeError> {
    let (base, token, conversation) = chat_of(inner)?;
    let body = crate::core::json::to_string(&VideoRequest { action, call_id });
    let path = format!("/v1/conversations/{conversation}/video");
    let text = http::request("POST", &url(&base, &path), Some(&body), Some(&token)).await?;
    http::parse(&text, "video call")
}

/// Joins `call` in this tab (the page's accept, or the tab that asked).
async fn join(inner: &Rc<Inner>, call: VideoCall) -> Result<(), RuntimeError> {
    if inner.call.borrow().is_some() {
        return Ok(());
    }
    let (base, token, _) = chat_of(inner)?;
    Call::join(inner, base, token, call).await
}

/// A change of the conversation's call, from the server (the chat's socket
/// or this tab's call socket) or from the leader tab: reported once per
/// change in every tab.
pub fn on_call(inner: &Rc<Inner>, call: VideoCall) {
    if let Some(call) = note(inner, call) {
        let inner = inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = join(&inner, call).await {
                report(&e);
            }
        });
    }
}

/// [`on_call`]'s reporting; returns the call when this tab asked for it
/// and should join it now.
fn note(inner: &Inner, call: VideoCall) -> Option<VideoCall> {
    let seen = inner.video.borrow().as_ref().is_some_and(|c| c.id == call.id && c.state == call.state);
    *inner.video.borrow_mut() = Some(call.clone());
    if seen {
        return None;
    }
    let id: JsValue = call.id.as_str().into();
    match call.state {
        VideoCallState::Requested => dispatch("lcw:videoRequested", &obj(&[("callId", id)])),
        VideoCallState::Invited => {
            dispatch("lcw:videoInvite", &obj(&[("callId", id), ("cameraMode", call.camera_mode.as_str().into())]));
            if inner.video_asked.borrow().as_deref() == Some(call.id.as_str()) {
                return Some(call);
            }
        }
        VideoCallState::Active => {
            let here = inner.call.borrow().as_ref().is_some_and(|c| c.id == call.id);
            dispatch("lcw:videoCallStarted", &obj(&[("callId", id), ("inThisTab", here.into())]));
        }
        VideoCallState::Ended => {
            let mine = inner.call.borrow().as_ref().is_some_and(|c| c.id == call.id);
            if mine {
                let_go(inner.call.borrow_mut().take());
            }
            inner.video_asked.borrow_mut().take();
            let reason = call.reason.as_deref().unwrap_or("ended");
            dispatch("lcw:videoCallEnded", &obj(&[("callId", id), ("reason", reason.into())]));
        }
    }
    None
}

/// The chat is over: a call still under way ends with it here (the server
/// ends it too; its frame may not reach a socket that is closing).
pub fn chat_over(inner: &Inner) {
    if let Some(mut call) = current(inner) {
        call.state = VideoCallState::Ended;
        call.reason = Some("closed".into());
        note(inner, call);
    }
    let_go(inner.call.borrow_mut().take());
    inner.video.borrow_mut().take();
}

/// This tab's call socket did not get back in time (or the server had
/// ended the call meanwhile): the call is over here, `disconnected`, as the
/// server ends it (its own frame may come too; it is reported once).
pub(super) fn lost(inner: &Inner, id: &str) {
    if let Some(mut call) = current(inner).filter(|c| c.id == id) {
        call.state = VideoCallState::Ended;
        call.reason = Some("disconnected".into());
        note(inner, call);
    }
    let mine = inner.call.borrow().as_ref().is_some_and(|c| c.id == id);
    if mine {
        let_go(inner.call.borrow_mut().take());
    }
}

/// Drops a call after the current task: the frame or event handler that
/// ends it may be one of the call's own closures, which must not be freed
/// while it runs.
pub(crate) fn let_go(call: Option<Rc<Call>>) {
    if let Some(c) = call {
        wasm_bindgen_futures::spawn_local(async move { drop(c) });
    }
}

/// `getVideoCall()`: the call as this tab knows it, or `null`.
pub fn info(inner: &Inner) -> JsValue {
    let Some(call) = inner.video.borrow().clone() else { return JsValue::NULL };
    let here = inner.call.borrow().clone().filter(|c| c.id == call.id);
    let (local, remote) = here.as_ref().map_or((JsValue::NULL, JsValue::NULL), |c| c.streams());
    obj(&[
        ("callId", call.id.as_str().into()),
        ("state", state_name(call.state).into()),
        ("cameraMode", call.camera_mode.as_str().into()),
        ("reason", call.reason.as_deref().map_or(JsValue::NULL, JsValue::from)),
        ("inThisTab", here.is_some().into()),
        ("reconnecting", here.as_ref().is_some_and(|c| c.media_down()).into()),
        ("localStream", local),
        ("remoteStream", remote),
    ])
}

fn state_name(s: VideoCallState) -> &'static str {
    match s {
        VideoCallState::Requested => "requested",
        VideoCallState::Invited => "invited",
        VideoCallState::Active => "active",
        VideoCallState::Ended => "ended",
    }
}

/// The description of a refused device or browser API (`NotAllowedError`
/// and the like).
pub(crate) fn device_error(what: &str, e: &JsValue) -> RuntimeError {
    let name = js_sys::Reflect::get(e, &"name".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let why = match name.as_str() {
        "NotAllowedError" => "the visitor or the browser refused it".to_string(),
        "NotFoundError" => "there is no such device".to_string(),
        "NotReadableError" => "the device is in use elsewhere".to_string(),
        _ => crate::web::js_error::describe(e),
    };
    failed(format!("cannot use {what}: {why} ({name_q})", name_q = quoted(&name)))
}
