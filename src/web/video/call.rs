//! This tab's part in a video call: the visitor's microphone (and camera,
//! as the widget's camera mode allows), the `RTCPeerConnection` to the
//! agent, and the call socket that carries its signalling. The agent's side
//! makes the offer; this side answers (src/web/video/media.rs). Dropping a
//! [`Call`] stops the devices, closes the connection and the socket (with a
//! close frame: the server ends the call at once).
//!
//! A call socket that drops while the call is on (no close frame: the
//! network) is opened again with backoff ([`Resume`]) while the media go on
//! peer to peer; the server keeps the call for a while and hands the new
//! socket the agent's signalling sent meanwhile, and this side's waits in
//! [`Call::send`]'s queue. If none gets back in time the call ends here as
//! `disconnected`, as the server ends it.
//!
//! A call socket can also die without a close (sleep, a network change, a
//! NAT): a heartbeat (src/web/video/beat.rs) finds it silent and opens
//! another, which takes the call over on the server with this tab's key
//! (`hello.callKey`) while the server still holds the silent one.
//!
//! A media connection that fails (the network changed under it) is not
//! the call's end either: the agent's side restarts ICE with a new offer,
//! which this side answers ([`Call::answer`]); the call ends here only if
//! the connection is not back within the same window.

use super::media::{get, rtc_config, stop_tracks, user_media};
use super::{failed, on_call};
use crate::core::errors::RuntimeError;
use crate::core::json::{self, Value};
use crate::core::protocol::{ClientFrame, ServerFrame, VideoCall, VideoCallState};
use crate::core::session::Heartbeat;
use crate::core::video::{CameraMode, Resume, Retry, Signal};
use crate::web::args::obj;
use crate::web::events::{dispatch, report};
use crate::web::state::Inner;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{MediaStream, MessageEvent, RtcPeerConnection, WebSocket};

type Handler = Closure<dyn FnMut(JsValue)>;

/// Signalling frames kept for the call socket while it is away.
const MAX_QUEUED: usize = 256;

/// This tab's call.
pub struct Call {
    /// Call id.
    pub id: String,
    inner: Weak<Inner>,
    pub(super) mode: CameraMode,
    pub(super) pc: RtcPeerConnection,
    pub(super) local: MediaStream,
    remote: MediaStream,
    /// The call socket's URL and the hello's session token.
    url: String,
    token: String,
    /// This tab's key for the call (`hello.callKey`): its later call
    /// sockets present it to take the call back.
    key: String,
    pub(super) socket: RefCell<Option<WebSocket>>,
    /// The call socket's liveness, its one timer, and the page's events
    /// that check it early (src/web/video/beat.rs).
    pub(super) beat: Cell<Heartbeat>,
    pub(super) beat_timer: RefCell<Option<Timeout>>,
    pub(super) page: RefCell<Vec<gloo_events::EventListener>>,
    /// `rtc` frames waiting for the server to take a socket (back).
    queued: RefCell<Vec<ClientFrame>>,
    /// The server has taken a socket of this call at least once.
    pub(super) joined: Cell<bool>,
    /// The server refused the socket: it closes, and nothing resumes.
    refused: Cell<bool>,
    resume: RefCell<Resume>,
    retry: RefCell<Option<Timeout>>,
    /// Set while the media connection has failed: ends the call if it is
    /// not back in time.
    media_wait: RefCell<Option<Timeout>>,
    /// The media connection is `disconnected` or `failed`: the call is
    /// reconnecting (`lcw:videoCallReconnecting`, `getVideoCall()`, the
    /// default widget's status line).
    media_down: Cell<bool>,
    pub(super) answered: Cell<bool>,
    pub(super) early_candidates: RefCell<Vec<Value>>,
    handlers: RefCell<Vec<Handler>>,
}

impl Drop for Call {
    fn drop(&mut self) {
        self.retry.get_mut().take();
        self.beat_timer.get_mut().take();
        self.media_wait.get_mut().take();
        if let Some(ws) = self.socket.get_mut().take() {
            unhook(&ws);
            let _ = ws.close();
        }
        self.pc.set_ontrack(None);
        self.pc.set_onicecandidate(None);
        self.pc.set_onconnectionstatechange(None);
        self.pc.close();
        stop_tracks(&self.local);
    }
}

pub(super) fn unhook(ws: &WebSocket) {
    ws.set_onmessage(None);
    ws.set_onclose(None);
    ws.set_onopen(None);
}

impl Call {
    /// Gets the devices, connects to the agent through a call socket, and
    /// keeps the call in `inner` (the server makes it active on the hello).
    pub async fn join(inner: &Rc<Inner>, base: String, token: String, call: VideoCall) -> Result<(), RuntimeError> {
        let mode = CameraMode::parse(&call.camera_mode);
        let local = user_media(true, mode.camera_at_join()).await?;
        // The devices are let go again when the call cannot be set up.
        let give_back = |e: RuntimeError| {
            stop_tracks(&local);
            e
        };
        let (config, resume_window) = rtc_config(inner, &base).await;
        let config: web_sys::RtcConfiguration = config.unchecked_into();
        let pc = RtcPeerConnection::new_with_configuration(&config)
            .map_err(|e| give_back(failed(format!("cannot make the call's connection: {}", crate::web::js_error::describe(&e)))))?;
        let remote = MediaStream::new().map_err(|_| give_back(failed("cannot make a media stream")))?;
        let url = crate::web::session::socket_url(&base).ok_or_else(|| give_back(failed("no socket URL for the chat server")))?;
        let c = Rc::new(Call {
            id: call.id.clone(),
            inner: Rc::downgrade(inner),
            mode,
            pc,
            local,
            remote,
            url,
            token,
            key: crate::web::session::random_id(),
            socket: RefCell::new(None),
            beat: Cell::new(Heartbeat::new(0.0)),
            beat_timer: RefCell::new(None),
            page: RefCell::new(Vec::new()),
            queued: RefCell::new(Vec::new()),
            joined: Cell::new(false),
            refused: Cell::new(false),
            resume: RefCell::new(Resume::within(resume_window)),
            retry: RefCell::new(None),
            media_wait: RefCell::new(None),
            media_down: Cell::new(false),
            answered: Cell::new(false),
            early_candidates: RefCell::new(Vec::new()),
            handlers: RefCell::new(Vec::new()),
        });
        if inner.call.borrow().is_some() || inner.destroyed.get() {
            return Ok(()); // joined meanwhile (a second accept)
        }
        *inner.call.borrow_mut() = Some(c.clone());
        c.wire_connection();
        c.watch_page();
        c.connect().inspect_err(|_| super::let_go(inner.call.borrow_mut().take()))
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

    /// The peer connection's handlers (once per call).
    fn wire_connection(self: &Rc<Self>) {
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
            c.send(ClientFrame::Rtc { conversation_id: None, call_id: c.id.clone(), payload });
        })));
        self.pc.set_onconnectionstatechange(Some(&self.handler(move |_| {
            let Some(c) = weak.upgrade() else { return };
            let state = c.connection_state();
            let down = matches!(state.as_str(), "disconnected" | "failed");
            let was_down = c.media_down.replace(down);
            let goes_on = match state.as_str() {
                "connected" => {
                    c.media_wait.borrow_mut().take();
                    dispatch("lcw:videoCallConnected", &obj(&[("callId", c.id.as_str().into())]));
                    true
                }
                "failed" => c.wait_for_media(),
                _ => true,
            };
            if was_down != down {
                // Not when the call ends at once (no resume window).
                if down && goes_on {
                    dispatch("lcw:videoCallReconnecting", &obj(&[("callId", c.id.as_str().into())]));
                }
                if let Some(inner) = c.inner.upgrade() {
                    super::render(&inner);
                }
            }
        })));
    }

    /// The peer connection's `connectionState`.
    fn connection_state(&self) -> String {
        get(&self.pc, "connectionState").and_then(|s| s.as_string()).unwrap_or_default()
    }

    /// Whether the media connection is down (`disconnected` or `failed`)
    /// while it may come back.
    pub fn media_down(&self) -> bool {
        self.media_down.get()
    }

    /// The media connection failed: the agent's side restarts ICE (a new
    /// offer, answered as the first); the call ends here if the connection
    /// is not back within the call's resume window. False when the call
    /// ends at once (no window).
    fn wait_for_media(self: &Rc<Self>) -> bool {
        if self.media_wait.borrow().is_some() {
            return true;
        }
        let window = self.resume.borrow().window_ms();
        if window <= 0.0 {
            self.fail(failed("the video connection to the agent failed"));
            return false;
        }
        let weak = Rc::downgrade(self);
        let ms = window.min(f64::from(u32::MAX)) as u32;
        *self.media_wait.borrow_mut() = Some(crate::web::timeout(ms, Box::new(move || {
            let Some(c) = weak.upgrade() else { return };
            c.media_wait.borrow_mut().take();
            if c.connection_state() != "connected" {
                c.fail(failed("the video connection to the agent failed and did not come back"));
            }
        })));
        true
    }

    /// Opens a call socket; its hello goes when it opens.
    fn connect(self: &Rc<Self>) -> Result<(), RuntimeError> {
        let ws = WebSocket::new(&self.url).map_err(|_| failed(format!("cannot open {}", self.url)))?;
        let weak = Rc::downgrade(self);
        let w = weak.clone();
        ws.set_onopen(Some(&self.handler(move |_| {
            if let Some(c) = w.upgrade() {
                let key = Some(c.key.clone());
                c.send_now(&ClientFrame::Hello { session_token: Some(c.token.clone()), last_seq: 0, auth_token: None, call_id: Some(c.id.clone()), call_key: key });
            }
        })));
        let w = weak.clone();
        ws.set_onmessage(Some(&self.handler(move |e| {
            let (Some(c), Some(text)) = (w.upgrade(), e.unchecked_into::<MessageEvent>().data().as_string()) else { return };
            c.heard();
            if let Ok(frame) = json::from_str::<ServerFrame>(&text) {
                c.on_frame(frame);
            }
        })));
        ws.set_onclose(Some(&self.handler(move |_| {
            if let Some(c) = weak.upgrade() {
                c.on_closed();
            }
        })));
        if let Some(old) = self.socket.borrow_mut().replace(ws) {
            unhook(&old);
        }
        self.watch_socket();
        Ok(())
    }

    /// Sends `frame` on the call socket once the server has taken it; until
    /// then (connecting, or away after a drop) it waits, in order.
    pub(super) fn send(&self, frame: ClientFrame) {
        if self.joined.get() && !self.resume.borrow().away() && self.send_now(&frame) {
            return;
        }
        let mut q = self.queued.borrow_mut();
        if q.len() < MAX_QUEUED {
            q.push(frame);
        }
    }

    pub(super) fn send_now(&self, frame: &ClientFrame) -> bool {
        let socket = self.socket.borrow();
        let Some(ws) = socket.as_ref().filter(|ws| ws.ready_state() == WebSocket::OPEN) else { return false };
        ws.send_with_str(&json::to_string(frame)).is_ok()
    }

    fn on_frame(self: &Rc<Self>, frame: ServerFrame) {
        let Some(inner) = self.inner.upgrade() else { return };
        match frame {
            ServerFrame::Video { call, .. } => {
                if call.id == self.id && call.state == VideoCallState::Active {
                    // The server took this socket (first join or back after a drop).
                    self.joined.set(true);
                    self.resume.borrow_mut().resumed();
                    for f in std::mem::take(&mut *self.queued.borrow_mut()) {
                        self.send_now(&f);
                    }
                }
                on_call(&inner, call);
            }
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
            ServerFrame::Error { message, .. } => {
                self.refused.set(true);
                if self.resume.borrow().away() {
                    // Too late to come back: the server has ended the call.
                    super::lost(&inner, &self.id);
                } else {
                    self.fail(failed(format!("the chat server refused the video call: {message}")));
                }
            }
            _ => {}
        }
    }

    /// The call socket closed. After the call's end or a refusal this tab
    /// is out of the call; dropped while the call is on, it is opened again.
    pub(super) fn on_closed(self: &Rc<Self>) {
        self.beat_timer.borrow_mut().take();
        let Some(inner) = self.inner.upgrade() else { return };
        let mine = inner.call.borrow().as_ref().is_some_and(|c| c.id == self.id);
        if !mine {
            return;
        }
        if self.refused.get() || !self.joined.get() {
            return super::let_go(inner.call.borrow_mut().take());
        }
        match self.resume.borrow_mut().dropped(js_sys::Date::now(), js_sys::Math::random()) {
            Retry::GiveUp => super::lost(&inner, &self.id),
            Retry::In(ms) => {
                let weak = Rc::downgrade(self);
                *self.retry.borrow_mut() = Some(crate::web::timeout(ms, Box::new(move || {
                    if let Some(c) = weak.upgrade() {
                        if c.connect().is_err() {
                            c.on_closed();
                        }
                    }
                })));
            }
        }
    }

    /// Something went wrong: report it (code 16), hang up on the server
    /// and stop here.
    pub(super) fn fail(&self, e: RuntimeError) {
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
}
