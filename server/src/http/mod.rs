//! HTTP API: routes, shared extractors and the IP guard middleware.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use lcw_sdk::core::protocol::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::store::ConversationRow;

pub mod agent;
pub mod demo_idp;
pub mod files;
pub mod offline;
pub mod video;
pub mod visitor;

/// Name of the session cookie in secure-cookie mode.
pub const SESSION_COOKIE: &str = "lcw_session";

/// The `/v1` API router (visitor, agent, sockets).
pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/v1/widgets/{widget_id}/config", get(visitor::config))
        .route("/v1/widgets/{widget_id}/availability", get(visitor::availability))
        .route("/v1/widgets/{widget_id}/offline-messages", post(visitor::offline_message))
        .route("/v1/conversations", post(visitor::start))
        .route("/v1/conversations/resume", post(visitor::resume))
        .route("/v1/conversations/{id}/messages", get(visitor::messages).post(visitor::send))
        .route("/v1/conversations/{id}/auth", post(visitor::auth))
        .route("/v1/conversations/{id}/close", post(visitor::close))
        .route("/v1/conversations/{id}/rating", post(visitor::rate))
        .route("/v1/conversations/{id}/video", post(video::visitor_video))
        .route("/v1/conversations/{id}/attachments", post(files::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/v1/attachments/{id}", get(files::download))
        .route("/v1/ws", get(crate::ws::visitor::upgrade))
        .route("/v1/agent/login", post(agent::login))
        .route("/v1/agent/logout", post(agent::logout))
        .route("/v1/agent/refresh", post(agent::refresh))
        .route("/v1/agent/conversations", get(agent::list))
        .route("/v1/agent/conversations/{id}/messages", get(agent::messages))
        .route("/v1/agent/conversations/{id}/attachments", post(files::agent_upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/v1/agent/video", get(video::agent_video))
        .route("/v1/agent/offline-messages", get(offline::list))
        .route("/v1/agent/offline-messages/{id}/handled", post(offline::mark_handled))
        .route("/v1/agent/ws", get(crate::ws::agent::upgrade))
}

/// Middleware on `/v1`: IP blocklist, then the per-IP rate limit.
pub async fn ip_guard(State(app): State<App>, ConnectInfo(peer): ConnectInfo<SocketAddr>, req: Request, next: Next) -> Response {
    let ip = crate::security::client_ip(&app.cfg, req.headers(), peer);
    if app.ip_block.contains(ip) {
        tracing::info!(%ip, path = %req.uri().path(), "refused: ip blocked");
        return ApiError::new(ErrorCode::IpBlocked, "your IP address is blocked").into_response();
    }
    if let Err(retry) = app.ip_limiter.check(&ip.to_string()) {
        return ApiError::rate_limited(retry).into_response();
    }
    next.run(req).await
}

/// Bearer token from `Authorization`, else the session cookie.
pub fn bearer_or_cookie(headers: &HeaderMap) -> Option<String> {
    if let Some(t) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
    {
        return Some(t.trim().to_string());
    }
    cookie(headers, SESSION_COOKIE)
}

/// Value of a cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The conversation of the visitor's session; checks the widget's origin
/// and country rules and, when `path_id` is given, that it matches.
pub async fn visitor_conversation(app: &App, headers: &HeaderMap, token: Option<String>, path_id: Option<&str>) -> ApiResult<ConversationRow> {
    let token = token.or_else(|| bearer_or_cookie(headers)).ok_or_else(|| ApiError::new(ErrorCode::InvalidSession, "missing session token"))?;
    let conv = app.session_conversation(&token).await?;
    if let Some(w) = app.widget(&conv.widget_id) {
        crate::security::check_widget_access(&app.cfg, w, headers)?;
    }
    if path_id.is_some_and(|p| p != conv.id) {
        return Err(ApiError::new(ErrorCode::Forbidden, "the session does not belong to this conversation"));
    }
    Ok(conv)
}

/// Agent id of a valid agent bearer token.
pub fn agent_from_headers(app: &App, headers: &HeaderMap) -> ApiResult<String> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "agent token required"))?;
    app.agent_tokens.check(token.trim(), crate::store::now_ms()).ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "invalid or expired agent token"))
}

/// JSON extractor whose rejection is a protocol error body.
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(e) => Err(ApiError::new(ErrorCode::BadRequest, e.body_text())),
        }
    }
}
