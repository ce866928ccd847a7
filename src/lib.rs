//! # lcw-sdk
//!
//! A live-chat widget SDK for the web, written in Rust and compiled to
//! WebAssembly.
//!
//! The crate has two layers:
//!
//! * [`core`]: pure Rust with no browser imports: cookie parsing, the visit
//!   counter, JWT claim checks, context validation, the proactive trigger
//!   engine and the wire protocol. It takes time, cookie strings and page
//!   signals as inputs and returns decisions, so `cargo test` covers it on the
//!   host.
//! * `web` (wasm32 only): the thin wasm-bindgen layer: the JS facade, DOM
//!   events, `document.cookie`, timers and listeners, storage and the UI.
//!
//! The browser crates are declared only for `target_arch = "wasm32"`, so the
//! core cannot depend on them by accident: a host build would fail.
//!
//! Feature `ui` (on by default) adds the default widget: `web::ui`,
//! `web::default_ui` and `core::ui`. Without it the crate is the core
//! build (`lcw_core` in the npm package): the same SDK, headless.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;
