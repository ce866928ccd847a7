//! The browser layer: a thin wasm-bindgen facade over [`crate::core`].
//!
//! Importing the package touches neither `window` nor `document` (safe under
//! SSR); [`create_sdk`] does.

pub mod args;
pub mod chat;
mod conversation;
mod create;
#[cfg(feature = "ui")]
pub mod default_ui;
pub mod events;
pub mod files;
pub mod globals;
pub mod jar;
pub mod lazy;
pub mod js_error;
pub mod proactive;
pub mod numbers;
pub mod promise;
pub mod providers;
pub mod raw;
pub mod sdk;
pub mod session;
pub mod state;
pub mod tabs;
pub mod video;
pub(crate) mod video_api;
#[cfg(feature = "ui")]
pub mod ui;
pub mod visits;

pub use sdk::LiveChatSdk;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types/sdk.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TS_TRIGGERS: &'static str = include_str!("types/triggers.d.ts");

#[cfg(feature = "ui")]
#[wasm_bindgen(typescript_custom_section)]
const TS_UI_TYPES: &'static str = include_str!("types/ui.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `SdkOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "SdkOptions")]
    pub type SdkOptions;
}

/// Creates the SDK for this page. `lcw:ready` follows in a microtask, after
/// any configuration errors, so handlers added right after this call see it.
#[wasm_bindgen(js_name = createSdk)]
pub fn create_sdk(options: Option<SdkOptions>) -> Result<LiveChatSdk, JsValue> {
    LiveChatSdk::create(options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED))
}

/// `gloo_timers::callback::Timeout::new` for one closure type: every timer
/// of the layer shares one copy of the closure plumbing.
#[inline(never)]
pub(crate) fn timeout(ms: u32, f: Box<dyn FnOnce()>) -> gloo_timers::callback::Timeout {
    gloo_timers::callback::Timeout::new(ms, f)
}

/// The SDK's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
