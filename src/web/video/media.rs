//! The media side of this tab's call: the visitor's devices, the agent's
//! offer answered, ICE candidates, the camera and microphone switches.

use super::call::Call;
use super::{device_error, failed};
use crate::core::errors::RuntimeError;
use crate::core::json::{self, Value};
use crate::core::protocol::ClientFrame;
use crate::web::args::obj;
use crate::web::state::Inner;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamTrack, RtcRtpTransceiver, RtcRtpTransceiverDirection, RtcSdpType, RtcSessionDescriptionInit};

/// `target[key]` when it is neither `undefined` nor `null`.
pub(super) fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    crate::web::args::get(target, key).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Stops every track of `stream` (the camera's light goes off).
pub(super) fn stop_tracks(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        t.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// `navigator.mediaDevices.getUserMedia({audio, video})`.
pub(super) async fn user_media(audio: bool, video: bool) -> Result<MediaStream, RuntimeError> {
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

/// `{iceServers}` from the widget's configuration (`video.iceServers`),
/// and how long to try to get a dropped call socket back
/// (`video.resumeSecs`, [`crate::core::video::resume_window_ms`]); no
/// servers and the default window when it cannot be read (host candidates
/// still work on one network).
pub(super) async fn rtc_config(inner: &Inner, base: &str) -> (JsValue, f64) {
    let path = format!("/v1/widgets/{}/config", inner.config.widget_id);
    let video = match crate::web::session::http::request("GET", &crate::web::session::url(base, &path), None, None).await {
        Ok(text) => js_sys::JSON::parse(&text).ok().and_then(|c| get(&c, "video")),
        Err(_) => None,
    };
    let servers = video.as_ref().and_then(|v| get(v, "iceServers"));
    // A whole number of seconds; anything else is as if the server said nothing.
    let secs = video.as_ref().and_then(|v| get(v, "resumeSecs")).and_then(|s| s.as_f64()).filter(|s| *s >= 0.0 && s.fract() == 0.0);
    let window = crate::core::video::resume_window_ms(secs.map(|s| s as u64));
    (obj(&[("iceServers", servers.filter(|s| s.is_object()).unwrap_or_else(|| Array::new().into()))]), window)
}

impl Call {
    /// Answers the agent's offer with this tab's microphone (and camera):
    /// the first, and any later one (an ICE restart after the network
    /// changed). The agent's candidates wait until it is answered: those
    /// of a restart belong to the new offer.
    pub(super) async fn answer(&self, sdp: String) -> Result<(), JsValue> {
        self.answered.set(false);
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
        self.send(ClientFrame::Rtc { conversation_id: None, call_id: self.id.clone(), payload });
        Ok(())
    }

    /// An ICE candidate of the agent's (kept until the offer is answered).
    pub(super) fn candidate(&self, cand: Option<Value>) {
        let Some(cand) = cand else { return };
        if self.answered.get() {
            self.add_candidate(&cand);
        } else {
            self.early_candidates.borrow_mut().push(cand);
        }
    }

    /// Adds a candidate of the agent's. One the connection refuses (of an
    /// offer that a restart replaced) is dropped, not left as an unhandled
    /// rejection.
    fn add_candidate(&self, cand: &Value) {
        if let Ok(init) = js_sys::JSON::parse(&json::to_string(cand)) {
            let added = self.pc.add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(init.unchecked_ref()));
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(added).await;
            });
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
}
