//! # lcw-server
//!
//! Reference chat server and agent console for `lcw-sdk`: HTTP + WebSocket
//! JSON protocol (`docs/PROTOCOL.md`, types in `lcw_sdk::core::protocol`),
//! SQLite storage behind the [`store::Store`] trait, queues with operating
//! hours, least-busy routing, and the security rules of the SDK spec.
#![deny(missing_docs)]

pub mod app;
pub mod config;
pub mod error;
pub mod hours;
pub mod http;
pub mod hub;
pub mod live;
pub mod presence;
pub mod security;
pub mod service;
pub mod state;
pub mod store;
pub mod video;
pub mod web;
pub mod ws;

pub use app::{start, RunningServer};
pub use config::ServerConfig;
