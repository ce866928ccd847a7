//! `LiveChatSdk`'s video-call methods (SPEC §4, iAdvize's video channel).
//! The calls' code is the chat's (src/web/video, reached through
//! `lazy::Ops`): these methods only check and forward.

use crate::core::errors::{ErrorCode, RuntimeError};
use crate::web::args::bool_arg;
use crate::web::js_error::runtime;
use crate::web::lazy;
use crate::web::promise::promise;
use crate::web::sdk::LiveChatSdk;
use crate::web::state::Inner;
use crate::web::video::VideoCmd;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `VideoCallInfo | null` in TypeScript.
    #[wasm_bindgen(typescript_type = "VideoCallInfo | null")]
    pub type MaybeVideoCall;
}

/// Runs a command on the kept chat (code 16 when there is none).
pub(crate) async fn run(inner: &Rc<Inner>, cmd: VideoCmd) -> Result<(), RuntimeError> {
    let ops = lazy::kept(inner).ok_or_else(|| RuntimeError::new(ErrorCode::VideoCallFailed, "no chat is open"))?;
    (ops.video)(inner.clone(), cmd).await
}

/// Asks for a call, starting the chat first when none is open.
pub(crate) async fn request(inner: &Rc<Inner>) -> Result<(), RuntimeError> {
    if lazy::kept(inner).is_none() {
        crate::web::chat::start(inner.clone(), None, None).await;
    }
    run(inner, VideoCmd::Request).await
}

/// [`run`] as a `Promise`: rejects with an `Error` whose `code` is 16 when
/// there is no chat or the call cannot do it.
fn command(inner: &Rc<Inner>, cmd: VideoCmd) -> Promise {
    let inner = inner.clone();
    promise(async move { run(&inner, cmd).await.map(|()| JsValue::UNDEFINED).map_err(|e| runtime(&e)) })
}

#[wasm_bindgen]
impl LiveChatSdk {
    /// Asks the agent for a video call, starting the chat first when none
    /// is open; this tab joins when the agent invites. Rejects (code 16)
    /// when video is off for the widget, no video agent is on, or a call is
    /// already under way.
    #[wasm_bindgen(js_name = requestVideoCall)]
    pub fn request_video_call(&self) -> Result<Promise, JsValue> {
        let inner = self.live()?.clone();
        Ok(promise(async move { request(&inner).await.map(|()| JsValue::UNDEFINED).map_err(|e| runtime(&e)) }))
    }

    /// Joins the call the agent invited to, in this tab: asks for the
    /// microphone (and the camera in the `normal` camera mode).
    #[wasm_bindgen(js_name = acceptVideoCall)]
    pub fn accept_video_call(&self) -> Result<Promise, JsValue> {
        Ok(command(self.live()?, VideoCmd::Accept))
    }

    /// Declines the agent's invitation (or withdraws this visitor's request).
    #[wasm_bindgen(js_name = declineVideoCall)]
    pub fn decline_video_call(&self) -> Result<Promise, JsValue> {
        Ok(command(self.live()?, VideoCmd::Decline))
    }

    /// Hangs up (in whichever tab the call is).
    #[wasm_bindgen(js_name = endVideoCall)]
    pub fn end_video_call(&self) -> Result<Promise, JsValue> {
        Ok(command(self.live()?, VideoCmd::End))
    }

    /// Turns this tab's camera on (asking for it then) or off. Rejects in
    /// the `one_way` camera mode.
    #[wasm_bindgen(js_name = setVideoCamera)]
    pub fn set_video_camera(&self, on: JsValue) -> Result<Promise, JsValue> {
        let inner = self.live()?;
        Ok(command(inner, VideoCmd::Camera(bool_arg(&on, "setVideoCamera: on must be true or false")?)))
    }

    /// Mutes or unmutes this tab's microphone in the call.
    #[wasm_bindgen(js_name = setVideoMicrophone)]
    pub fn set_video_microphone(&self, on: JsValue) -> Result<Promise, JsValue> {
        let inner = self.live()?;
        Ok(command(inner, VideoCmd::Microphone(bool_arg(&on, "setVideoMicrophone: on must be true or false")?)))
    }

    /// The conversation's video call as this tab knows it, with this tab's
    /// local and remote streams when the call is here; `null` when none.
    #[wasm_bindgen(js_name = getVideoCall)]
    pub fn get_video_call(&self) -> MaybeVideoCall {
        lazy::kept(&self.inner).map_or(JsValue::NULL, |ops| (ops.video_info)(&self.inner)).unchecked_into()
    }
}
