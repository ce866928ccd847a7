//! The default widget's view of the call (full build): an invitation with
//! Join / Not now, a waiting line while the call this tab asked for is set
//! up, and the call itself: the agent's video, this tab's camera preview,
//! microphone and camera switches and Hang up, and "Reconnecting the
//! video…" while the media connection is down. Every text is a label of the
//! widget (by key); the controls' `data-act` go to the default UI's
//! actions (src/web/default_ui/video.rs).

use super::Call;
use crate::core::protocol::VideoCallState;
use crate::core::video::CameraMode;
use crate::web::state::Inner;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MediaStreamTrack};

const WAITING: &str = "p|data-l=videoWaiting\nbutton|class=link-btn|type=button|data-act=video-hangup|data-l=videoHangUp\n";
const INVITE: &str = "p|data-l=videoInvite\ndiv|class=row\n button|class=primary|type=button|data-act=video-join|data-l=videoJoin\n button|class=link-btn|type=button|data-act=video-decline|data-l=videoDecline\n";
const STAGE: &str = "div|class=stage\n *video|class=remote|autoplay|playsinline\n *video|class=local|autoplay|playsinline|muted\np|class=reconnecting|role=status|data-l=videoReconnecting|hidden\ndiv|class=row\n *button|class=secondary|type=button|data-l=videoMicrophone\n *button|class=secondary|type=button|data-l=videoCamera\n button|class=primary end|type=button|data-act=video-hangup|data-l=videoHangUp\n";

enum View {
    None,
    Waiting,
    Invite,
    Call(Rc<Call>),
}

/// Redraws the call's area for the call as this tab knows it.
pub fn render(inner: &Inner) {
    let ui = inner.ui.borrow();
    let Some(w) = ui.as_ref().map(|u| &u.widget) else { return };
    let call = inner.video.borrow().clone();
    let here = inner.call.borrow().clone();
    let asked = inner.video_asked.borrow().clone();
    let (view, key) = match &call {
        Some(c) if c.state == VideoCallState::Active => match here.filter(|h| h.id == c.id) {
            Some(h) => (View::Call(h), format!("call {}", c.id)),
            None => (View::None, String::new()),
        },
        Some(c) if matches!(c.state, VideoCallState::Requested | VideoCallState::Invited) && asked.as_deref() == Some(c.id.as_str()) => (View::Waiting, format!("waiting {}", c.id)),
        Some(c) if c.state == VideoCallState::Invited => (View::Invite, format!("invite {}", c.id)),
        _ => (View::None, String::new()),
    };
    let root = w.video_root();
    let same = root.get_attribute("data-view").unwrap_or_default() == key;
    match view {
        View::Call(c) if same => controls(root, &c),
        _ if same => {}
        View::None => drop(w.video_area("")),
        View::Waiting => drop(w.video_area(WAITING)),
        View::Invite => drop(w.video_area(INVITE)),
        View::Call(c) => {
            let marked = w.video_area(STAGE);
            let (local, remote) = c.streams();
            if let [remote_video, local_video, ..] = marked.as_slice() {
                set(remote_video, "srcObject", &remote);
                set(local_video, "srcObject", &local);
                set(local_video, "muted", &JsValue::TRUE);
            }
            controls(root, &c);
        }
    }
    let _ = root.set_attribute("data-view", &key);
}

fn set(e: &Element, key: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(e, &key.into(), v);
}

/// The switches say what a click does next (`aria-pressed`: on now); the
/// camera's is gone in `one_way` mode, and the preview shows only with a
/// camera.
fn controls(root: &Element, c: &Call) {
    let (local, _) = c.streams();
    let stream: web_sys::MediaStream = local.unchecked_into();
    let mic_on = stream.get_audio_tracks().iter().any(|t| t.unchecked_into::<MediaStreamTrack>().enabled());
    let cam_on = stream.get_video_tracks().length() > 0;
    let buttons = root.query_selector_all(".row .secondary").ok();
    let get = |i: u32| buttons.as_ref().and_then(|b| b.item(i)).and_then(|n| n.dyn_into::<Element>().ok());
    for (el, on, act) in [(get(0), mic_on, "video-mic"), (get(1), cam_on, "video-cam")] {
        if let Some(el) = el {
            let _ = el.set_attribute("data-act", &format!("{act}-{}", if on { "off" } else { "on" }));
            let _ = el.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    }
    if let Some(cam) = get(1) {
        let _ = cam.toggle_attribute_with_force("hidden", !c.mode().may_send_video());
    }
    if let Ok(Some(preview)) = root.query_selector("video.local") {
        let _ = preview.toggle_attribute_with_force("hidden", !cam_on);
    }
    if let Ok(Some(line)) = root.query_selector(".reconnecting") {
        let _ = line.toggle_attribute_with_force("hidden", !c.media_down());
    }
}

impl Call {
    /// The widget's camera mode for this call.
    pub fn mode(&self) -> CameraMode {
        self.mode
    }
}
