//! The default widget's video call (SPEC §4: "a video button offered with
//! or beside chat, shown only when a video-capable agent is available,
//! falling back to chat otherwise"). The header's button shows while the
//! widget has video on, a video agent is available and no call is under
//! way; the call's area is drawn by the chat's code (`Ops::video_ui`) on
//! each of the SDK's video events.

use super::with_widget;
use crate::core::protocol::VideoCallState;
use crate::web::events::report;
use crate::web::state::Inner;
use crate::web::video::VideoCmd;
use std::rc::{Rc, Weak};

/// The events after which the button and the call's area are redrawn.
pub const EVENTS: [&str; 9] = [
    "lcw:videoRequested", "lcw:videoInvite", "lcw:videoCallStarted", "lcw:videoCallConnected", "lcw:videoCallEnded",
    "lcw:onMaximize", "lcw:startChat", "lcw:closeChat", "lcw:threadUpdate",
];

fn call_under_way(inner: &Inner) -> bool {
    inner.video.borrow().as_ref().is_some_and(|c| c.state != VideoCallState::Ended)
}

/// Redraws the call's area, and shows the video button when a video agent
/// is available (asked of the server, cached 5 s).
pub fn refresh(inner: &Rc<Inner>) {
    if let Some(ops) = crate::web::lazy::loaded(inner) {
        (ops.video_ui)(inner);
    }
    let wanted = inner.ui.borrow().as_ref().is_some_and(|u| u.config.get().video) && inner.config.server_url.is_some() && !call_under_way(inner);
    if !wanted {
        with_widget(inner, |w, _| w.show_video_button(false));
        return;
    }
    let inner = inner.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let available = match crate::web::chat::availability(&inner).await {
            Ok(a) => js_sys::Reflect::get(&a, &"isVideoAgentAvailable".into()).ok().and_then(|v| v.as_bool()) == Some(true),
            Err(_) => false,
        };
        let show = available && !call_under_way(&inner);
        with_widget(&inner, |w, _| w.show_video_button(show));
    });
}

/// A click on a video control (`data-act`, see `UiActions::video`).
pub fn act(inner: &Weak<Inner>, act: &str) {
    let cmd = match act {
        "video" => None,
        "video-join" => Some(VideoCmd::Accept),
        "video-decline" => Some(VideoCmd::Decline),
        "video-hangup" => Some(VideoCmd::End),
        "video-cam-on" => Some(VideoCmd::Camera(true)),
        "video-cam-off" => Some(VideoCmd::Camera(false)),
        "video-mic-on" => Some(VideoCmd::Microphone(true)),
        "video-mic-off" => Some(VideoCmd::Microphone(false)),
        _ => return,
    };
    let Some(inner) = inner.upgrade() else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let done = match cmd {
            None => crate::web::video_api::request(&inner).await,
            Some(cmd) => crate::web::video_api::run(&inner, cmd).await,
        };
        if let Err(e) = done {
            report(&e);
        }
        refresh(&inner);
    });
}
