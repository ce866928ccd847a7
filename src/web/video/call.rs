//! This tab's part in a video call: the visitor's microphone (and camera,
//! as the widget's camera mode allows), the `RTCPeerConnection` to the
//! agent, and the call socket that carries its signalling. The agent's side
//! makes the offer; this side answers. Dropping a [`Call`] stops the
//! devices, closes the connection and the socket.

use super::{device_error, failed, on_call};
use crate::core::errors::RuntimeError;
use crate::core::json::{self, Value};
use crate::core::protocol::{ClientFrame, ServerFrame, VideoCall};
use crate::core::video::{CameraMode, Signal};
use crate::web::args::obj;
use crate::web::events::{dispatch, report};
use crate::web::state::Inner;
use js_sys::Array;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamTrack, MessageEvent, RtcPeerConnection, RtcRtpTransceiver, RtcRtpTransceiverDirection, RtcSdpType, RtcSessionDescriptionInit, WebSocket};

/// `target[key]` when it is neither `undefined` nor `null`.
fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    crate::web::args::get(target, key).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

type Handler = Closure<dyn FnMut(JsValue)>;

/// This tab's call.
pub struct Call {
    /// Call id.
    pub id: String,
    inner: Weak<Inner>,
    pub(super) mode: CameraMode,
    pc: RtcPeerConnection,
    local: MediaStream,
    remote: MediaStream,
    socket: RefCell<Option<WebSocket>>,
    answered: Cell<bool>,
    early_candidates: RefCell<Vec<Value>>,
    handlers: RefCell<Vec<Handler>>,
}

impl Drop for Call {
    fn drop(&mut self) {
        if let Some(ws) = self.socket.get_mut().take() {
            ws.set_onmessage(None);
            ws.set_onclose(None);
            ws.set_onopen(None);
            let _ = ws.close();
        }
        self.pc.set_ontrack(None);
        self.pc.set_onicecandidate(None);
        self.pc.set_onconnectionstatechange(None);
        self.pc.close();
        stop_tracks(&self.local);
    }
}

/// Stops every track of `stream` (the camera's light goes off).
fn stop_tracks(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        t.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// `navigator.mediaDevices.getUserMedia({audio, video})`.
async fn user_media(audio: bool, video: bool) -> Result<MediaStream, RuntimeError> {
    let devices = web_sys::window()
        .and_then(|w| w.navigator().media_devices().ok())
        .ok_or_else(|| failed("the browser gives no camera or microphone here (a secure context, https, is needed)"))?;
    let c = web_sys::MediaStreamConstraints::new();
    c.set_audio(&audio.into());
    c.set_video(&video.into());
    let what = if video { "the camera and microphone" } else if audio { "the microphone" } else { "the camera" };
    let p = devices.get_user_media_with_constraints(&c).map_err(|e| device_error(what, &e))?;
    let stream = JsFuture::from(p).await.map_err(|e| device_error(what, &e))?;
    Ok(stream.unchecked_into())
}

/// `{iceServers}` from the widget's configuration (`video.iceServers`);
/// none when it cannot be read (host candidates still work on one network).
async fn rtc_config(inner: &Inner, base: &str) -> JsValue {
    let path = format!("/v1/widgets/{}/config", inner.config.widget_id);
    let servers = match crate::web::session::http::request("GET", &crate::web::session::url(base, &path), None, None).await {
        Ok(text) => js_sys::JSON::parse(&text).ok().and_then(|c| get(&c, "video")).and_then(|v| get(&v, "iceServers")),
        Err(_) => None,
    };
    obj(&[("iceServers", servers.filter(|s| s.is_object()).unwrap_or_else(|| Array::new().into()))])
}

impl Call {
    /// Gets the devices, connects to the agent through a call socket, and
    /// keeps the call in `inner` (the server makes it active on the hello).
    pub async fn join(inner: &Rc<Inner>, base: String, token: String, conversation: String, call: VideoCall) -> Result<(), RuntimeError> {
        let mode = CameraMode::parse(&call.camera_mode);
        let local = user_media(true, mode.camera_at_join()).await?;
        // The devices are let go again when the call cannot be set up.
        let give_back = |e: RuntimeError| {
            stop_tracks(&local);
            e
        };
        let config: web_sys::RtcConfiguration = rtc_config(inner, &base).await.unchecked_into();
        let pc = RtcPeerConnection::new_with_configuration(&config)
            .map_err(|e| give_back(failed(format!("cannot make the call's connection: {}", crate::web::js_error::describe(&e)))))?;
        let remote = MediaStream::new().map_err(|_| give_back(failed("cannot make a media stream")))?;
        let url = crate::web::session::socket_url(&base).ok_or_else(|| give_back(failed("no socket URL for the chat server")))?;
        let ws = WebSocket::new(&url).map_err(|_| give_back(failed(format!("cannot open {url}"))))?;
        let c = Rc::new(Call {
            id: call.id.clone(),
            inner: Rc::downgrade(inner),
            mode,
            pc,
            local,
            remote,
            socket: RefCell::new(Some(ws)),
            answered: Cell::new(false),
            early_candidates: RefCell::new(Vec::new()),
            handlers: RefCell::new(Vec::new()),
        });
        if inner.call.borrow().is_some() || inner.destroyed.get() {
            return Ok(()); // joined meanwhile (a second accept)
        }
        *inner.call.borrow_mut() = Some(c.clone());
        c.wire(token, conversation);
        Ok(())
    }

    /// The call's local and remote streams (`getVideoCall()`).
    pub fn streams(&self) -> (JsValue, JsValue) {
        // (`Clone::clone`: `MediaStream::clone` is the DOM's, a new stream.)
        (JsValue::from(&*self.local), JsValue::from(&*self.remote))
    }

    fn handler(&self, f: impl FnMut(JsValue) + 'static) -> js_sys::Function {
        let h = Closure::<dyn FnMut(JsValue)>::new(f);
        let func = h.as_ref().unchecked_ref::<js_sys::Function>().clone();
        self.handlers.borrow_mut().push(h);
        func
    }

    /// Connection and socket handlers; the hello goes when the socket opens.
    fn wire(self: &Rc<Self>, token: String, _conversation: String) {
        let weak = Rc::downgrade(self);
        let remote = Clone::clone(&self.remote); // not the DOM's `MediaStream.clone()`
        self.pc.set_ontrack(Some(&self.handler(move |e| {
            if let Some(track) = get(&e, "track") {
                remote.add_track(&track.unchecked_into());
            }
        })));
        let w = weak.clone();
        self.pc.set_onicecandidate(Some(&self.handler(move |e| {
            let Some(c) = w.upgrade() else { return };
            // The end of candidates (`null`) is sent too.
            let cand = get(&e, "candidate").map(|v| js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()).and_then(|s| json::parse(&s).ok()));
            let payload = Value::Object(vec![("type".into(), Value::String("candidate".into())), ("candidate".into(), cand.flatten().unwrap_or(Value::Null))]);
            c.send(&ClientFrame::Rtc { conversation_id: None, call_id: c.id.clone(), payload });
        })));
        let w = weak.clone();
        self.pc.set_onconnectionstatechange(Some(&self.handler(move |_| {
            let Some(c) = w.upgrade() else { return };
            let state = get(&c.pc, "connectionState").and_then(|s| s.as_string()).unwrap_or_default();
            match state.as_str() {
                "connected" => dispatch("lcw:videoCallConnected", &obj(&[("callId", c.id.as_str().into())])),
                "failed" => c.fail(failed("the video connection to the agent failed")),
                _ => {}
            }
        })));
        let Some(ws) = self.socket.borrow().clone() else { return };
        let w = weak.clone();
        let id = self.id.clone();
        ws.set_onopen(Some(&self.handler(move |_| {
            if let Some(c) = w.upgrade() {
                c.send(&ClientFrame::Hello { session_token: Some(token.clone()), last_seq: 0, auth_token: None, call_id: Some(id.clone()) });
            }
        })));
        let w = weak.clone();
        ws.set_onmessage(Some(&self.handler(move |e| {
            let (Some(c), Some(text)) = (w.upgrade(), e.unchecked_into::<MessageEvent>().data().as_string()) else { return };
            if let Ok(frame) = json::from_str::<ServerFrame>(&text) {
                c.on_frame(frame);
            }
        })));
        ws.set_onclose(Some(&self.handler(move |_| {
            // The server ends the call when its socket goes; here the media stop.
            if let Some(c) = weak.upgrade() {
                c.leave();
            }
        })));
    }

    fn send(&self, frame: &ClientFrame) {
        if let Some(ws) = self.socket.borrow().as_ref().filter(|ws| ws.ready_state() == WebSocket::OPEN) {
            let _ = ws.send_with_str(&json::to_string(frame));
        }
    }

    fn on_frame(self: &Rc<Self>, frame: ServerFrame) {
        let Some(inner) = self.inner.upgrade() else { return };
        match frame {
            ServerFrame::Video { call, .. } => on_call(&inner, call),
            ServerFrame::Rtc { payload, .. } => match Signal::read(&payload) {
                Some(Signal::Offer(sdp)) => {
                    let c = self.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = c.answer(sdp).await {
                            c.fail(failed(format!("the agent's video offer could not be answered: {}", crate::web::js_error::describe(&e))));
                        }
                    });
                }
                Some(Signal::Candidate(cand)) => self.candidate(cand),
                Some(Signal::Answer(_)) | None => {}
            },
            ServerFrame::Error { message, .. } => self.fail(failed(format!("the chat server refused the video call: {message}"))),
            _ => {}
        }
    }

    /// Answers the agent's offer with this tab's microphone (and camera).
    async fn answer(&self, sdp: String) -> Result<(), JsValue> {
        let offer = RtcSessionDescriptionInit::new(RtcSdpType::Offer);
        offer.set_sdp(&sdp);
        JsFuture::from(self.pc.set_remote_description(&offer)).await?;
        let mut tracks: Vec<MediaStreamTrack> = self.local.get_tracks().iter().map(|t| t.unchecked_into()).collect();
        for t in self.pc.get_transceivers().iter() {
            let t: RtcRtpTransceiver = t.unchecked_into();
            let kind = t.receiver().track().kind();
            let send = kind != "video" || self.mode.may_send_video();
            t.set_direction(if send { RtcRtpTransceiverDirection::Sendrecv } else { RtcRtpTransceiverDirection::Recvonly });
            if let Some(i) = tracks.iter().position(|track| track.kind() == kind) {
                let track = tracks.remove(i);
                let _ = JsFuture::from(t.sender().replace_track(Some(&track))).await;
            }
        }
        let answer = JsFuture::from(self.pc.create_answer()).await?;
        let sdp = get(&answer, "sdp").and_then(|s| s.as_string()).unwrap_or_default();
        let desc = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
        desc.set_sdp(&sdp);
        JsFuture::from(self.pc.set_local_description(&desc)).await?;
        self.answered.set(true);
        for c in std::mem::take(&mut *self.early_candidates.borrow_mut()) {
            self.add_candidate(&c);
        }
        let payload = Value::Object(vec![("type".into(), Value::String("answer".into())), ("sdp".into(), Value::String(sdp))]);
        self.send(&ClientFrame::Rtc { conversation_id: None, call_id: self.id.clone(), payload });
        Ok(())
    }

    fn candidate(&self, cand: Option<Value>) {
        let Some(cand) = cand else { return };
        if self.answered.get() {
            self.add_candidate(&cand);
        } else {
            self.early_candidates.borrow_mut().push(cand);
        }
    }

    fn add_candidate(&self, cand: &Value) {
        if let Ok(init) = js_sys::JSON::parse(&json::to_string(cand)) {
            let _ = self.pc.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(init.unchecked_ref()));
        }
    }

    /// Camera on (asked for now if it was not) or off (the device is let
    /// go, so its light goes off). Not in `one_way` mode.
    pub async fn set_camera(&self, on: bool) -> Result<(), RuntimeError> {
        if !self.mode.may_send_video() {
            return Err(failed("the widget's camera mode is one_way: the visitor's camera is not used"));
        }
        let camera = self.local.get_video_tracks().iter().next().map(|t| t.unchecked_into::<MediaStreamTrack>());
        let sender = self.pc.get_transceivers().iter().map(|t| t.unchecked_into::<RtcRtpTransceiver>()).find(|t| t.receiver().track().kind() == "video").map(|t| t.sender());
        match (on, camera) {
            (true, Some(_)) | (false, None) => Ok(()),
            (true, None) => {
                let stream = user_media(false, true).await?;
                let Some(track) = stream.get_video_tracks().iter().next().map(|t| t.unchecked_into::<MediaStreamTrack>()) else { return Err(failed("the camera gave no video")) };
                self.local.add_track(&track);
                if let Some(s) = sender {
                    let _ = JsFuture::from(s.replace_track(Some(&track))).await;
                }
                Ok(())
            }
            (false, Some(track)) => {
                if let Some(s) = sender {
                    let _ = JsFuture::from(s.replace_track(None)).await;
                }
                track.stop();
                self.local.remove_track(&track);
                Ok(())
            }
        }
    }

    /// Microphone on or off (muted: the track stays, sending silence).
    pub fn set_microphone(&self, on: bool) {
        for t in self.local.get_audio_tracks().iter() {
            t.unchecked_into::<MediaStreamTrack>().set_enabled(on);
        }
    }

    /// Something went wrong: report it (code 16), hang up on the server
    /// and stop here.
    fn fail(&self, e: RuntimeError) {
        report(&e);
        if let Some(inner) = self.inner.upgrade() {
            let mine = inner.call.borrow().as_ref().is_some_and(|c| c.id == self.id);
            if mine {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = super::run(inner, super::VideoCmd::End).await;
                });
            }
        }
    }

    /// The call socket closed: this tab is out of the call.
    fn leave(&self) {
        if let Some(inner) = self.inner.upgrade() {
            let mine = inner.call.borrow().as_ref().is_some_and(|c| c.id == self.id);
            if mine {
                super::let_go(inner.call.borrow_mut().take());
            }
        }
    }
}
