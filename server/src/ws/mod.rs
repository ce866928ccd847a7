//! WebSocket handlers (visitor and agent) and shared helpers.

use std::time::Duration;

use axum::extract::ws::{Message as WsMessage, WebSocket};
use lcw_sdk::core::protocol::{ClientFrame, ErrorCode, ServerFrame};

use crate::error::ApiError;

pub mod agent;
pub mod bounds;
pub mod call;
pub mod liveness;
pub mod visitor;

/// Largest accepted frame (bytes); longer texts fail the message-size rule anyway.
pub const MAX_FRAME_BYTES: usize = 256 * 1024;
/// Time allowed for the hello frame.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends a frame; false when the socket is gone.
pub async fn send_frame(ws: &mut WebSocket, frame: &ServerFrame) -> bool {
    match serde_json::to_string(frame) {
        Ok(s) => ws.send(WsMessage::Text(s.into())).await.is_ok(),
        Err(_) => false,
    }
}

/// Sends raw JSON text.
pub async fn send_text(ws: &mut WebSocket, json: &str) -> bool {
    ws.send(WsMessage::Text(json.to_string().into())).await.is_ok()
}

/// An `error` frame.
pub fn error_frame(code: ErrorCode, message: impl Into<String>, client_id: Option<String>) -> ServerFrame {
    ServerFrame::Error { code, message: message.into(), client_id, retry_after_ms: None, interval_ms: None }
}

/// The `error` frame of a refused request (with its wait, when rate limited).
pub fn refusal(e: ApiError, client_id: Option<String>) -> ServerFrame {
    let code = e.code();
    ServerFrame::Error { code, message: e.body.message, client_id, retry_after_ms: e.body.retry_after_ms, interval_ms: e.body.interval_ms }
}

/// Outcome of reading one client frame.
pub enum Incoming {
    /// A parsed frame.
    Frame(ClientFrame),
    /// Unparseable text (answer with `bad_request`).
    Bad(String),
    /// Nothing to do (ping/pong/binary).
    Skip,
    /// Socket closed.
    Closed,
}

/// Interprets a received websocket message.
pub fn parse(msg: Option<Result<WsMessage, axum::Error>>) -> Incoming {
    match msg {
        Some(Ok(WsMessage::Text(t))) => match serde_json::from_str::<ClientFrame>(t.as_str()) {
            Ok(f) => Incoming::Frame(f),
            Err(e) => Incoming::Bad(format!("bad frame: {e}")),
        },
        Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => Incoming::Closed,
        Some(Ok(_)) => Incoming::Skip,
    }
}

/// Waits for the first frame.
pub async fn first_frame(ws: &mut WebSocket) -> Option<ClientFrame> {
    let deadline = tokio::time::Instant::now() + HELLO_TIMEOUT;
    loop {
        match tokio::time::timeout_at(deadline, ws.recv()).await {
            Err(_) => return None,
            Ok(m) => match parse(m) {
                Incoming::Frame(f) => return Some(f),
                Incoming::Skip => continue,
                Incoming::Bad(_) | Incoming::Closed => return None,
            },
        }
    }
}

/// Sends `shutting_down` and a close frame.
pub async fn say_goodbye(ws: &mut WebSocket) {
    let _ = send_frame(ws, &error_frame(ErrorCode::ShuttingDown, "server is restarting; reconnect and resume", None)).await;
    let _ = ws.send(WsMessage::Close(Some(axum::extract::ws::CloseFrame { code: 1012, reason: "restart".into() }))).await;
}
