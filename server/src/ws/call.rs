//! Call socket: a visitor `hello` with a `callId` (the session is already
//! checked) takes the invited call of its conversation. It gets the call's
//! `video` frame first (state `active`), then only that call's `video` and
//! `rtc` frames, no welcome and no replay; it may send `rtc` and `ping`.
//! The server closes it (1000) after the call's `ended` frame, or when a
//! socket with the call's key takes over. Closed by the page while the
//! call is active (a close frame: hung up, unloaded), the call ends
//! (`disconnected`); dropped without one (the network), or closed with
//! [`GONE_QUIET`] (the page found it silent), the call waits
//! `call_resume_secs` for another call socket.

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use lcw_sdk::core::protocol::{ClientFrame, ErrorCode, Sender, ServerFrame};
use tokio::sync::mpsc;

use super::liveness::Liveness;
use super::bounds::{gate, FrameBudget, Gate};
use super::{error_frame, refusal, parse, say_goodbye, send_frame, send_text, Incoming};
use crate::state::App;
use crate::store::ConversationRow;
use crate::video::CALL_SOCKET_CAPACITY;

/// The close code of a page that gave up on a call socket that went
/// silent: not a hang-up, the page is getting its call back on a new one.
pub const GONE_QUIET: u16 = 4000;

/// Runs a call socket for `call_id` of `conv` until either side ends it.
pub async fn run(app: &App, mut ws: WebSocket, conv: ConversationRow, call_id: String, key: Option<String>) {
    let (tx, mut rx) = mpsc::channel(CALL_SOCKET_CAPACITY);
    let socket = match app.join_call(&conv, &call_id, key, tx).await {
        Ok(socket) => socket,
        Err(e) => {
            let _ = send_frame(&mut ws, &refusal(e, None)).await;
            return;
        }
    };
    let mut shutdown = app.shutdown.clone();
    let mut closed_by_page = false;
    // Every frame the page sends spends this socket's budget: each `rtc`
    // one goes on to the agent's socket.
    let mut budget = FrameBudget::new(app.cfg.rate_limits.per_call_socket_frames_per_minute);
    let mut alive = Liveness::new(&app.cfg);
    loop {
        tokio::select! {
            m = ws.recv() => {
                let incoming = parse(closed(alive.heard(m), &mut closed_by_page));
                if matches!(incoming, Incoming::Frame(_) | Incoming::Bad(_)) {
                    match gate(&mut ws, &mut budget).await {
                        Gate::Handle => {}
                        Gate::Skip => continue,
                        Gate::Gone => break,
                    }
                }
                match incoming {
                    Incoming::Frame(ClientFrame::Rtc { call_id: id, payload, .. }) => {
                        if let Err(e) = app.relay_rtc(&conv.id, &id, payload, Sender::Visitor, Some(socket)) {
                            if !send_frame(&mut ws, &refusal(e, None)).await { break }
                        }
                    }
                    Incoming::Frame(ClientFrame::Ping) => if !send_frame(&mut ws, &ServerFrame::Pong).await { break },
                    Incoming::Frame(_) => {
                        let refusal = error_frame(ErrorCode::BadRequest, "a call socket takes only rtc and ping frames", None);
                        if !send_frame(&mut ws, &refusal).await { break }
                    }
                    Incoming::Bad(msg) => if !send_frame(&mut ws, &error_frame(ErrorCode::BadRequest, msg, None)).await { break },
                    Incoming::Skip => {}
                    Incoming::Closed => break,
                }
            }
            out = rx.recv() => match out {
                Some(out) => if !send_text(&mut ws, &out.json).await { break },
                // The call let go of this socket: it ended (its last frame
                // said so), or a socket with its key took over.
                None => {
                    let _ = ws.send(WsMessage::Close(Some(CloseFrame { code: 1000, reason: "call socket let go".into() }))).await;
                    break;
                }
            },
            () = tokio::time::sleep_until(alive.deadline()) => if !alive.act(&mut ws).await { break },
            _ = shutdown.changed() => { say_goodbye(&mut ws).await; break }
        }
    }
    app.call_socket_gone(&conv.id, &call_id, socket, !closed_by_page).await;
}

/// Notes a close frame (the page hung up) and passes `m` on; one with
/// [`GONE_QUIET`] is not a hang-up.
fn closed(m: Option<Result<WsMessage, axum::Error>>, by_page: &mut bool) -> Option<Result<WsMessage, axum::Error>> {
    *by_page |= matches!(&m, Some(Ok(WsMessage::Close(f))) if f.as_ref().is_none_or(|f| f.code != GONE_QUIET));
    m
}
