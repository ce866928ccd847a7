//! Agent socket: hello (agent token), snapshot, then live frames and
//! commands, until the token is revoked (sign-out) or expires.

use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use lcw_sdk::core::protocol::{ClientFrame, ConversationState, ErrorCode, Sender, ServerFrame};
use tokio::sync::broadcast::error::RecvError;

use super::liveness::Liveness;
use super::bounds::{gate, FrameBudget, Gate};
use super::{error_frame, refusal, first_frame, parse, say_goodbye, send_frame, send_text, Incoming, MAX_FRAME_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::http::agent::{agent_conversations, can_read};
use crate::security::agents::{sha256_hex, Revoked};
use crate::state::App;
use crate::store::{now_ms, NewMessage};

/// `GET /v1/agent/ws`
pub async fn upgrade(State(app): State<App>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(MAX_FRAME_BYTES).on_upgrade(move |socket| run(app, socket))
}

async fn run(app: App, mut ws: WebSocket) {
    let _guard = app.track_socket();
    // Watching before the check: a sign-out just after it is not missed.
    let mut revoked = app.agent_tokens.watch();
    let (agent_id, token, expiry) = match first_frame(&mut ws).await {
        Some(ClientFrame::AgentHello { token }) => match app.agent_tokens.check_until(&token, now_ms()) {
            Some((a, expires_at)) => (a, token, expires_at),
            None => {
                let _ = send_frame(&mut ws, &error_frame(ErrorCode::Unauthorized, "invalid or expired agent token", None)).await;
                return;
            }
        },
        _ => {
            let _ = send_frame(&mut ws, &error_frame(ErrorCode::BadRequest, "first frame must be agent_hello", None)).await;
            return;
        }
    };
    let mut rx = app.hub.agent(&agent_id).subscribe();
    app.agent_online(&agent_id).await;
    let conversations = agent_conversations(&app, &agent_id).await.unwrap_or_default();
    // Calls under way follow the snapshot (a visitor asking for video, a call to end).
    let calls: Vec<ServerFrame> = conversations.iter().filter_map(|c| app.video_frame(&c.conversation.id)).collect();
    // Then what the visitors' call sockets signalled while this agent had no socket.
    let theirs: Vec<&str> = conversations.iter().filter(|c| c.conversation.agent.as_ref().is_some_and(|a| a.id == agent_id)).map(|c| c.conversation.id.as_str()).collect();
    let missed = app.calls.take_agent_backlog(&theirs);
    let mut ok = send_frame(&mut ws, &ServerFrame::AgentWelcome { agent: app.agent_info(&agent_id), conversations }).await;
    for frame in &calls {
        ok = ok && send_frame(&mut ws, frame).await;
    }
    for out in &missed {
        ok = ok && send_text(&mut ws, &out.json).await;
    }
    if ok {
        let mut shutdown = app.shutdown.clone();
        let mut watching = true;
        // The token's expiry ends the socket too, not only the next hello;
        // a refresh of the token (POST /v1/agent/refresh) moves both.
        let mut hash = sha256_hex(token.as_bytes());
        let until = |expiry: i64| tokio::time::Instant::now() + std::time::Duration::from_millis(expiry.saturating_sub(now_ms()).max(0) as u64);
        let expired = tokio::time::sleep_until(until(expiry));
        tokio::pin!(expired);
        // Sends have the conversation's limit; the rest spend this budget.
        let mut budget = FrameBudget::new(app.cfg.rate_limits.per_agent_socket_frames_per_minute);
        let mut alive = Liveness::new(&app.cfg);
        loop {
            tokio::select! {
                m = ws.recv() => match parse(alive.heard(m)) {
                    Incoming::Frame(f) => {
                        if !matches!(f, ClientFrame::Send { .. }) {
                            match gate(&mut ws, &mut budget).await {
                                Gate::Handle => {}
                                Gate::Skip => continue,
                                Gate::Gone => break,
                            }
                        }
                        let reply = handle(&app, &agent_id, f).await;
                        if let Some(frame) = reply {
                            if !send_frame(&mut ws, &frame).await { break }
                        }
                    }
                    Incoming::Bad(msg) => match gate(&mut ws, &mut budget).await {
                        Gate::Handle => if !send_frame(&mut ws, &error_frame(ErrorCode::BadRequest, msg, None)).await { break },
                        Gate::Skip => {}
                        Gate::Gone => break,
                    },
                    Incoming::Skip => {}
                    Incoming::Closed => break,
                },
                ev = rx.recv() => match ev {
                    Ok(out) => if !send_text(&mut ws, &out.json).await { break },
                    Err(RecvError::Lagged(_)) => {
                        let _ = send_frame(&mut ws, &error_frame(ErrorCode::Internal, "fell behind; reconnect", None)).await;
                        break;
                    }
                    Err(RecvError::Closed) => break,
                },
                r = revoked.recv(), if watching => {
                    let mine = match r {
                        Ok(Revoked { hash: gone, successor: Some((next, until_ms)) }) if gone == hash => {
                            hash = next;
                            expired.as_mut().reset(until(until_ms));
                            false
                        }
                        Ok(r) => r.hash == hash,
                        Err(RecvError::Lagged(_)) => !app.agent_tokens.valid_hash(&hash, now_ms()),
                        Err(RecvError::Closed) => { watching = false; false }
                    };
                    if mine {
                        let _ = send_frame(&mut ws, &error_frame(ErrorCode::Unauthorized, "this sign-in was ended (signed out)", None)).await;
                        break;
                    }
                },
                () = &mut expired => {
                    let _ = send_frame(&mut ws, &error_frame(ErrorCode::Unauthorized, "this sign-in has expired", None)).await;
                    break;
                },
                () = tokio::time::sleep_until(alive.deadline()) => if !alive.act(&mut ws).await { break },
                _ = shutdown.changed() => { say_goodbye(&mut ws).await; break }
            }
        }
    }
    app.agent_offline(&agent_id).await;
}

fn need_id(id: Option<String>) -> ApiResult<String> {
    id.ok_or_else(|| ApiError::new(ErrorCode::BadRequest, "conversationId is required"))
}

/// Handles one agent frame; returns the reply frame, if any.
async fn handle(app: &App, agent_id: &str, f: ClientFrame) -> Option<ServerFrame> {
    let err = |e: ApiError, client_id: Option<String>| Some(refusal(e, client_id));
    match f {
        ClientFrame::Accept { conversation_id } => app.accept(agent_id, &conversation_id).await.err().and_then(|e| err(e, None)),
        ClientFrame::Send { conversation_id, client_id, text, attachment_id } => {
            let r: ApiResult<ServerFrame> = async {
                let id = need_id(conversation_id)?;
                let row = can_read(app, agent_id, &id).await?;
                if row.agent_id.as_deref() != Some(agent_id) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "accept the conversation first"));
                }
                if row.state == ConversationState::Assigned {
                    app.accept(agent_id, &id).await?;
                }
                let name = app.agent_info(agent_id).display_name;
                let m = NewMessage { client_id: Some(client_id.clone()), sender: Sender::Agent, author_name: Some(name), text, attachment_id, sent_at: 0 };
                let (msg, duplicate) = app.post_message(&row, m).await?;
                Ok(ServerFrame::Ack { conversation_id: id, client_id: client_id.clone(), seq: msg.seq, duplicate })
            }
            .await;
            match r {
                Ok(f) => Some(f),
                Err(e) => err(e, Some(client_id)),
            }
        }
        ClientFrame::Typing { conversation_id: Some(id), is_typing } => {
            if app.live().convs.get(&id).is_some_and(|c| c.agent_id.as_deref() == Some(agent_id)) {
                app.typing(&id, Sender::Agent, is_typing);
            }
            None
        }
        ClientFrame::Close { conversation_id } => {
            let r: ApiResult<()> = async {
                let id = need_id(conversation_id)?;
                let row = can_read(app, agent_id, &id).await?;
                if row.agent_id.as_deref() != Some(agent_id) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "not your conversation"));
                }
                app.close(&id, Sender::Agent).await
            }
            .await;
            r.err().and_then(|e| err(e, None))
        }
        ClientFrame::Fetch { conversation_id, after_seq } => {
            let r: ApiResult<ServerFrame> = async {
                can_read(app, agent_id, &conversation_id).await?;
                let messages = app.store.messages_after(&conversation_id, after_seq, crate::http::visitor::PAGE).await?;
                Ok(ServerFrame::History { conversation_id, messages })
            }
            .await;
            r.or_else(|e| err(e, None).ok_or(())).ok()
        }
        ClientFrame::Video { conversation_id, action, call_id } => app.agent_video(agent_id, &conversation_id, action, call_id.as_deref()).await.err().and_then(|e| err(e, None)),
        ClientFrame::Rtc { conversation_id, call_id, payload } => app.agent_rtc(agent_id, conversation_id, &call_id, payload).err().and_then(|e| err(e, None)),
        ClientFrame::Read { conversation_id, seq } => {
            let r: ApiResult<()> = async {
                let id = need_id(conversation_id)?;
                let row = can_read(app, agent_id, &id).await?;
                // Only the conversation's own agent reads for "the agent".
                if row.agent_id.as_deref() != Some(agent_id) {
                    return Err(ApiError::new(ErrorCode::Forbidden, "not your conversation"));
                }
                app.read(&row, Sender::Agent, seq).await
            }
            .await;
            r.err().and_then(|e| err(e, None))
        }
        ClientFrame::Ping => Some(ServerFrame::Pong),
        _ => err(ApiError::new(ErrorCode::BadRequest, "frame not allowed on the agent socket"), None),
    }
}
