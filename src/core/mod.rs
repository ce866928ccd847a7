//! The pure core of the SDK: no `wasm_bindgen`, `web_sys`, `js_sys` or
//! `gloo` here. Everything takes its inputs (time, cookie strings, page
//! signals) as arguments and returns decisions.

pub mod authcode;
pub mod config;
pub mod context;
pub mod cookie;
pub mod errors;
pub mod fold;
pub mod json;
pub mod jwt;
pub mod lang;
pub mod protocol;
pub mod session;
pub mod tabs;
pub mod triggers;
pub mod video;
// Only the default widget uses these (feature `ui`, on by default).
#[cfg(feature = "ui")]
pub mod ui;
pub mod visits;
