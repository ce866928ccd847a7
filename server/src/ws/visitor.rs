//! Visitor socket: hello (session + lastSeq), replay, then live frames; a
//! hello with a `callId` opens a call socket instead ([`super::call`]).

use std::net::SocketAddr;

use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use lcw_sdk::core::protocol::{ClientFrame, ErrorCode, Sender, ServerFrame};
use std::sync::Arc;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;

use super::liveness::Liveness;
use super::bounds::{gate, FrameBudget, Gate, ReadBound};
use super::{error_frame, refusal, first_frame, parse, say_goodbye, send_frame, send_text, Incoming, MAX_FRAME_BYTES};
use crate::error::ApiError;
use crate::hub::Outbound;
use crate::http::{bearer_or_cookie, visitor_conversation};
use crate::security::origin_matches;
use crate::state::App;
use crate::store::{ConversationRow, NewMessage};

/// `GET /v1/ws`
pub async fn upgrade(State(app): State<App>, ws: WebSocketUpgrade, headers: HeaderMap, ConnectInfo(peer): ConnectInfo<SocketAddr>) -> Response {
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
        if !app.cfg.widgets.iter().any(|w| w.allowed_origins.iter().any(|p| origin_matches(p, origin))) {
            return ApiError::new(ErrorCode::OriginNotAllowed, format!("origin {origin} is not allowed")).into_response();
        }
    }
    // Held for the socket's life ([`crate::security::limits::SocketCap`]).
    let ip = crate::security::client_ip(&app.cfg, &headers, peer);
    let Some(slot) = app.ip_sockets.take(ip) else {
        let mut e = ApiError::rate_limited(5_000);
        e.body.message = "too many open chat sockets from your address".into();
        return e.into_response();
    };
    ws.max_message_size(MAX_FRAME_BYTES).on_upgrade(move |socket| async move {
        run(app, socket, headers).await;
        drop(slot);
    })
}

async fn replay(app: &App, ws: &mut WebSocket, conv_id: &str, mut after: u64) -> Option<u64> {
    loop {
        let page = app.store.messages_after(conv_id, after, crate::http::visitor::PAGE).await.ok()?;
        let done = page.len() < crate::http::visitor::PAGE as usize;
        for m in page {
            after = m.seq;
            if !send_frame(ws, &ServerFrame::Message { conversation_id: conv_id.to_string(), message: m }).await {
                return None;
            }
        }
        if done {
            return Some(after);
        }
    }
}

async fn run(app: App, mut ws: WebSocket, headers: HeaderMap) {
    let _guard = app.track_socket();
    let Some(ClientFrame::Hello { session_token, last_seq, auth_token, call_id, call_key }) = first_frame(&mut ws).await else {
        let _ = send_frame(&mut ws, &error_frame(ErrorCode::BadRequest, "first frame must be hello", None)).await;
        return;
    };
    let token = session_token.filter(|t| !t.is_empty()).or_else(|| bearer_or_cookie(&headers));
    let conv = match visitor_conversation(&app, &headers, token, None).await {
        Ok(c) => c,
        Err(e) => {
            let _ = send_frame(&mut ws, &refusal(e, None)).await;
            return;
        }
    };
    if let Some(call_id) = call_id {
        return super::call::run(&app, ws, conv, call_id, call_key).await;
    }
    // The visitor is here while this socket is (crate::presence).
    let _present = app.visitor_socket(&conv.id);
    // The hello's JWT renews the visitor's auth like an `auth` frame (ignored
    // by widgets without JWT settings). A refused one is reported after the
    // replay: reading needs only the session, so the socket stays open.
    let hello_auth = auth_token.filter(|t| !t.is_empty() && app.verifiers.contains_key(&conv.widget_id)).map(|t| app.reauthenticate(&conv, &t));
    // Subscribe before reading history so nothing falls between the two.
    let rx = app.hub.conv(&conv.id).tx.subscribe();
    let conversation = app.info(&conv);
    let reads = ReadBound::new(conversation.last_seq, conversation.visitor_read_seq);
    if !send_frame(&mut ws, &ServerFrame::Welcome { conversation, auth_expires_at: app.auth_expires_at(&conv) }).await {
        return;
    }
    let Some(last_sent) = replay(&app, &mut ws, &conv.id, last_seq).await else { return };
    let budget = FrameBudget::new(app.cfg.rate_limits.per_socket_frames_per_minute);
    let mut live = Live { rx, last_sent, reads, budget };
    // A call under way (an invitation this tab may take) after the replay.
    if let Some(frame) = app.video_frame(&conv.id) {
        if !send_frame(&mut ws, &frame).await {
            return;
        }
    }
    if let Some(Err(e)) = hello_auth {
        if !send_frame(&mut ws, &refusal(e, None)).await {
            return;
        }
    }
    let mut shutdown = app.shutdown.clone();
    let mut alive = Liveness::new(&app.cfg);
    loop {
        tokio::select! {
            m = ws.recv() => match parse(alive.heard(m)) {
                Incoming::Frame(f) => if !handle(&app, &mut ws, &conv, f, &mut live).await { break },
                Incoming::Bad(msg) => match gate(&mut ws, &mut live.budget).await {
                    Gate::Handle => if !send_frame(&mut ws, &error_frame(ErrorCode::BadRequest, msg, None)).await { break },
                    Gate::Skip => {}
                    Gate::Gone => break,
                },
                Incoming::Skip => {}
                Incoming::Closed => break,
            },
            ev = live.rx.recv() => match ev {
                Ok(out) => if !forward(&mut ws, &out, &mut live).await { break },
                Err(RecvError::Lagged(_)) => {
                    fell_behind(&mut ws).await;
                    break;
                }
                Err(RecvError::Closed) => break,
            },
            () = tokio::time::sleep_until(alive.deadline()) => if !alive.act(&mut ws).await { break },
            _ = shutdown.changed() => { say_goodbye(&mut ws).await; break }
        }
    }
}

/// This socket's live state: the hub's receiver, the last seq sent, and
/// its bounds on frames that carry no message.
struct Live {
    rx: Receiver<Arc<Outbound>>,
    last_sent: u64,
    reads: ReadBound,
    budget: FrameBudget,
}

/// Sends a live frame unless the replay or an earlier frame already sent
/// its seq; false when the socket is gone.
async fn forward(ws: &mut WebSocket, out: &Outbound, live: &mut Live) -> bool {
    if let Some(seq) = out.seq {
        if seq <= live.last_sent {
            return true;
        }
        live.last_sent = seq;
        live.reads.shown(seq);
    }
    send_text(ws, &out.json).await
}

async fn fell_behind(ws: &mut WebSocket) {
    let _ = send_frame(ws, &error_frame(ErrorCode::Internal, "fell behind; reconnect and resume", None)).await;
}

/// Sends what the hub already holds for this socket, in order. Called
/// before an ack: the messages appended before the acked one are in the
/// hub by then (appends are ordered per conversation), and an ack that
/// overtook them would look like a lost frame to the SDK, which then drops
/// its socket and resumes. False when the socket should close.
async fn drain(ws: &mut WebSocket, live: &mut Live) -> bool {
    loop {
        match live.rx.try_recv() {
            Ok(out) => {
                if !forward(ws, &out, live).await {
                    return false;
                }
            }
            Err(TryRecvError::Empty | TryRecvError::Closed) => return true,
            Err(TryRecvError::Lagged(_)) => {
                fell_behind(ws).await;
                return false;
            }
        }
    }
}

/// Handles one visitor frame; false when the socket should close. Sends and
/// typing need an unexpired visitor JWT in `jwt` mode (`auth_expired`, the
/// socket stays open for an `auth` frame and the resend). Frames other than
/// sends spend the socket's budget ([`gate`]); sends have the
/// conversation's own limit.
async fn handle(app: &App, ws: &mut WebSocket, conv: &ConversationRow, f: ClientFrame, live: &mut Live) -> bool {
    if !matches!(f, ClientFrame::Send { .. }) {
        match gate(ws, &mut live.budget).await {
            Gate::Handle => {}
            Gate::Skip => return true,
            Gate::Gone => return false,
        }
    }
    match f {
        ClientFrame::Send { client_id, text, attachment_id, .. } => {
            let m = NewMessage { client_id: Some(client_id.clone()), sender: Sender::Visitor, author_name: None, text, attachment_id, sent_at: 0 };
            let posted = match app.check_visitor_auth(conv) {
                Ok(()) => app.post_message(conv, m).await,
                Err(e) => Err(e),
            };
            let frame = match posted {
                Ok((msg, duplicate)) => ServerFrame::Ack { conversation_id: conv.id.clone(), client_id, seq: msg.seq, duplicate },
                Err(e) => refusal(e, Some(client_id)),
            };
            drain(ws, live).await && send_frame(ws, &frame).await
        }
        ClientFrame::Typing { is_typing, .. } => {
            if let Err(e) = app.check_visitor_auth(conv) {
                return send_frame(ws, &refusal(e, None)).await;
            }
            app.typing(&conv.id, Sender::Visitor, is_typing);
            true
        }
        ClientFrame::Auth { token } => {
            let frame = match app.reauthenticate(conv, &token) {
                Ok(expires_at) => ServerFrame::AuthOk { expires_at },
                Err(e) => refusal(e, None),
            };
            send_frame(ws, &frame).await
        }
        ClientFrame::Close { .. } => {
            if let Err(e) = app.close(&conv.id, Sender::Visitor).await {
                return send_frame(ws, &refusal(e, None)).await;
            }
            true
        }
        // Reading needs only the session (as the replay does), no fresh JWT.
        // A receipt past what this socket was shown, or one it already
        // recorded, writes nothing ([`ReadBound`]).
        ClientFrame::Read { seq, .. } => match live.reads.ask(seq) {
            None => true,
            Some(seq) => match app.read(conv, Sender::Visitor, seq).await {
                Ok(()) => true,
                Err(e) => send_frame(ws, &refusal(e, None)).await,
            },
        },
        ClientFrame::Ping => send_frame(ws, &ServerFrame::Pong).await,
        ClientFrame::Rtc { .. } => send_frame(ws, &error_frame(ErrorCode::BadRequest, "rtc frames go on the call socket (a hello with callId)", None)).await,
        ClientFrame::Video { .. } => send_frame(ws, &error_frame(ErrorCode::BadRequest, "visitors use POST /v1/conversations/{id}/video", None)).await,
        _ => send_frame(ws, &error_frame(ErrorCode::BadRequest, "frame not allowed on the visitor socket", None)).await,
    }
}
