//! The pure parts of the visitor-facing widget UI: label tables and language
//! negotiation ([`labels`]), form validation ([`forms`]), attachment rules
//! ([`files`]), link detection ([`links`]), theme value checks ([`theme`]),
//! the data the DOM layer renders ([`model`]) and the plain-text transcript
//! ([`transcript`]).
//!
//! Nothing here touches the browser: the wasm layer (`web::ui`) feeds in
//! `navigator.languages`, form values and file metadata and renders what
//! comes back, always as text.

pub mod files;
pub mod forms;
pub mod labels;
pub mod links;
pub mod model;
mod tables_a;
mod tables_b;
pub mod theme;
pub mod transcript;

#[cfg(test)]
mod tests;
