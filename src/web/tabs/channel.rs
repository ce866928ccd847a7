//! The `BroadcastChannel` the tabs of one browser share, carrying
//! [`TabMsg`] as JSON scoped to one conversation ([`TabMsg::post_json`]:
//! posts about any other conversation are dropped). Closed (and its handler
//! detached) on drop.

use crate::core::tabs::TabMsg;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// Whether the browser has `BroadcastChannel`.
pub fn supported() -> bool {
    crate::web::args::get(&js_sys::global(), "BroadcastChannel").is_ok_and(|v| v.is_function())
}

/// An open channel with its message handler, for one conversation.
pub struct Channel {
    bc: BroadcastChannel,
    conversation_id: String,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    /// Opens `name`; `on` is called with every message other tabs post
    /// about `conversation_id`.
    pub fn open(name: &str, conversation_id: &str, mut on: impl FnMut(TabMsg) + 'static) -> Option<Channel> {
        let bc = BroadcastChannel::new(name).ok()?;
        let id = conversation_id.to_string();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(m) = e.data().as_string().and_then(|s| TabMsg::from_post(&s, &id)) {
                on(m);
            }
        });
        bc.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Channel { bc, conversation_id: conversation_id.to_string(), _on_message: on_message })
    }

    /// Posts to every other channel of this name (never to this one).
    pub fn post(&self, m: &TabMsg) {
        let _ = self.bc.post_message(&m.post_json(&self.conversation_id).into());
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.bc.set_onmessage(None);
        self.bc.close();
    }
}
