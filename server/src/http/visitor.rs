//! Visitor endpoints: config, availability, start/resume, messages, close,
//! rating, offline messages.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lcw_sdk::core::protocol::{
    Availability, AuthMode, AuthRequest, AuthResponse, ConversationInfo, ErrorCode, IdResponse, OfflineMessageRequest, RatingRequest, ResumeRequest,
    ResumeResponse, SendAck, SendMessageRequest, Sender, StartRequest, StartResponse, WidgetConfig,
};
use serde::Deserialize;

use super::{visitor_conversation, JsonBody, SESSION_COOKIE};
use crate::config::WidgetSettings;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::store::{now_ms, NewMessage};

/// History page size.
pub const PAGE: u32 = 500;

fn widget<'a>(app: &'a App, id: &str, headers: &HeaderMap) -> ApiResult<&'a WidgetSettings> {
    let w = app.widget(id).ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("unknown widget {id}")))?;
    crate::security::check_widget_access(&app.cfg, w, headers)?;
    Ok(w)
}

/// `GET /v1/widgets/{widgetId}/config`
pub async fn config(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Json<WidgetConfig>> {
    let mut config = widget(&app, &id, &headers)?.config.clone();
    config.video.resume_secs = Some(app.cfg.call_resume_secs);
    if let (true, Some(turn)) = (config.video.enabled, &app.cfg.turn) {
        config.video.ice_servers.push(turn.credentials(&format!("visitor-{id}"), now_ms() / 1000));
    }
    Ok(Json(config))
}

/// `GET /v1/widgets/{widgetId}/availability` (bearer session optional: then
/// `positionInQueue` is the caller's own). `isVideoAgentAvailable`: the
/// widget has video on and a video-capable agent of its queue is signed in
/// with spare capacity.
pub async fn availability(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Json<Availability>> {
    let w = widget(&app, &id, &headers)?;
    let queue_id = w.config.queue_id.clone();
    let now = chrono::Utc::now();
    let schedule = app.schedules.get(&queue_id);
    let own = match super::bearer_or_cookie(&headers) {
        Some(t) => app.session_conversation(&t).await.ok().map(|c| c.id),
        None => None,
    };
    let (is_agent_available, is_video_agent_available, position) = {
        let live = app.live();
        let pos = own.and_then(|id| live.position(&id)).unwrap_or(live.waiting_len(&queue_id) as u32 + 1);
        let video = w.config.video.enabled && live.video_agent_available(&app.cfg.agents, &queue_id);
        (live.agent_available(&app.cfg.agents, &queue_id), video, pos)
    };
    let average_wait_time = app.store.average_wait_secs(&queue_id, 50).await?.unwrap_or(0);
    Ok(Json(Availability {
        queue_id,
        is_queue_available: schedule.is_some_and(|s| s.is_open(now)),
        is_agent_available,
        position_in_queue: position,
        average_wait_time,
        next_window: schedule.and_then(|s| s.current_or_next(now)),
        is_video_agent_available,
    }))
}

/// `POST /v1/conversations`
pub async fn start(State(app): State<App>, headers: HeaderMap, JsonBody(mut req): JsonBody<StartRequest>) -> ApiResult<Response> {
    let w = widget(&app, &req.widget_id, &headers)?;
    let verified = match (&req.auth_token, app.verifiers.get(&w.id)) {
        (Some(tok), Some(v)) => Some(v.verify(tok).map_err(|e| ApiError::new(ErrorCode::InvalidToken, e.to_string()))?),
        (Some(_), None) => return Err(ApiError::new(ErrorCode::InvalidToken, "this widget does not accept visitor tokens")),
        (None, _) if w.auth_mode == AuthMode::Jwt => return Err(ApiError::new(ErrorCode::AuthRequired, "this widget requires a visitor JWT")),
        (None, _) => None,
    };
    // `oauth` mode: the code's identity is the customer, as a JWT's `sub`.
    let oauth_id = app.oauth_identity(w, &mut req).await?;
    let exp = verified.as_ref().map(|v| v.exp);
    let (row, resumed) = app.start_conversation(w, req, oauth_id.or(verified.map(|v| v.sub))).await?;
    if !resumed {
        // Closed unless its socket opens in time (the page may die first).
        app.visitor_gone(&row.id, false);
    }
    if let Some(exp) = exp {
        app.record_start_token(&row.id, exp);
    }
    let (token, expires) = app.create_session(&row.id, w.session_lifetime_minutes).await?;
    tracing::info!(conversation = %row.id, widget = %w.id, resumed, "conversation started");
    let secure_cookie = w.auth_mode == AuthMode::SecureCookie;
    let body = StartResponse {
        conversation: app.info(&row),
        session_token: if secure_cookie { String::new() } else { token.clone() },
        session_expires_at: expires,
        resumed,
        ws_path: "/v1/ws".into(),
    };
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if secure_cookie {
        let c = format!("{SESSION_COOKIE}={token}; Path=/v1; Max-Age={}; HttpOnly; Secure; SameSite=None", w.session_lifetime_minutes * 60);
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

/// `POST /v1/conversations/resume`
pub async fn resume(State(app): State<App>, headers: HeaderMap, JsonBody(req): JsonBody<ResumeRequest>) -> ApiResult<Json<ResumeResponse>> {
    let conv = visitor_conversation(&app, &headers, req.session_token, None).await?;
    let messages = app.store.messages_after(&conv.id, req.after_seq, PAGE).await?;
    Ok(Json(ResumeResponse { conversation: app.info(&conv), messages }))
}

/// `?afterSeq=` query.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AfterSeq {
    /// Last seq seen.
    #[serde(default)]
    pub after_seq: u64,
}

/// `GET /v1/conversations/{id}/messages?afterSeq=N`
pub async fn messages(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, Query(q): Query<AfterSeq>) -> ApiResult<Json<ResumeResponse>> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    let messages = app.store.messages_after(&conv.id, q.after_seq, PAGE).await?;
    Ok(Json(ResumeResponse { conversation: app.info(&conv), messages }))
}

/// `POST /v1/conversations/{id}/messages` (HTTP alternative to the socket).
pub async fn send(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, JsonBody(req): JsonBody<SendMessageRequest>) -> ApiResult<Json<SendAck>> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    app.check_visitor_auth(&conv)?;
    let m = NewMessage { client_id: Some(req.client_id.clone()), sender: Sender::Visitor, author_name: None, text: req.text, attachment_id: req.attachment_id, sent_at: 0 };
    let (msg, duplicate) = app.post_message(&conv, m).await?;
    Ok(Json(SendAck { client_id: req.client_id, seq: msg.seq, duplicate, sent_at: msg.sent_at }))
}

/// `POST /v1/conversations/{id}/auth`: a fresh visitor JWT (HTTP
/// equivalent of the socket's `auth` frame).
pub async fn auth(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, JsonBody(req): JsonBody<AuthRequest>) -> ApiResult<Json<AuthResponse>> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    let expires_at = app.reauthenticate(&conv, &req.auth_token)?;
    Ok(Json(AuthResponse { expires_at }))
}

/// `POST /v1/conversations/{id}/close`
pub async fn close(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Json<ConversationInfo>> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    app.close(&conv.id, Sender::Visitor).await?;
    let row = app.store.conversation(&conv.id).await?.unwrap_or(conv);
    Ok(Json(app.info(&row)))
}

/// `POST /v1/conversations/{id}/rating`
pub async fn rate(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, JsonBody(req): JsonBody<RatingRequest>) -> ApiResult<StatusCode> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    if req.comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(ApiError::new(ErrorCode::MessageTooLarge, "comment longer than 2000 characters"));
    }
    app.store.insert_rating(&conv.id, req.rating, req.comment, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/widgets/{widgetId}/offline-messages`
pub async fn offline_message(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, JsonBody(req): JsonBody<OfflineMessageRequest>) -> ApiResult<(StatusCode, Json<IdResponse>)> {
    let w = widget(&app, &id, &headers)?;
    if req.message.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::BadRequest, "message is required"));
    }
    let total: usize = req.message.len() + req.name.len() + req.email.len() + req.fields.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    if total > 16 * 1024 || req.message.chars().count() > w.config.max_message_chars {
        return Err(ApiError::new(ErrorCode::MessageTooLarge, "offline message too large"));
    }
    let body = serde_json::to_value(&req).map_err(|_| ApiError::new(ErrorCode::Internal, "encode"))?;
    let id = app.store.insert_offline_message(&w.id, body, now_ms()).await?;
    tracing::info!(widget = %w.id, offline_message = %id, "offline message stored");
    Ok((StatusCode::CREATED, Json(IdResponse { id })))
}
