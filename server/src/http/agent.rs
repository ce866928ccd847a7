//! Agent endpoints: login, conversation list, history.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use lcw_sdk::core::protocol::{AgentConversation, AgentLoginRequest, AgentLoginResponse, ErrorCode, ResumeResponse};

use super::visitor::{AfterSeq, PAGE};
use super::{agent_from_headers, JsonBody};
use crate::error::{ApiError, ApiResult};
use crate::live::serves;
use crate::security::agents::{password_ok, Lifetimes};
use crate::state::App;
use crate::store::now_ms;

/// `POST /v1/agent/login`
pub async fn login(State(app): State<App>, JsonBody(req): JsonBody<AgentLoginRequest>) -> ApiResult<Json<AgentLoginResponse>> {
    let agent = app.cfg.agents.iter().find(|a| a.username == req.username && password_ok(a, &req.password));
    let Some(agent) = agent else {
        tracing::info!(username = %req.username, "agent login refused");
        return Err(ApiError::new(ErrorCode::Unauthorized, "wrong user name or password"));
    };
    let now = now_ms();
    let lifetimes = Lifetimes::of(&app.cfg);
    let expires_at = lifetimes.token_expiry(now, now).unwrap_or(now);
    let (token, row) = app.agent_tokens.issue(agent, expires_at, now);
    // Kept so that a restart does not sign the agent out; a store failure
    // only costs that.
    if let Err(e) = app.store.insert_agent_token(row, now).await {
        tracing::warn!("agent token not stored: {e}");
    }
    let signed_in_until = lifetimes.sign_in_end(now);
    Ok(Json(AgentLoginResponse { token, agent: app.agent_info(&agent.id), expires_at, signed_in_until }))
}

/// `POST /v1/agent/refresh`: a new token for the bearer's agent, valid for
/// `agent_token_minutes` from now but not past the sign-in's end
/// (`agent_session_hours` after the password login), in place of the
/// bearer token (which stops working). The agent sockets the old token
/// opened carry on under the new one, so a console that stays open stays
/// signed in until then. Once the sign-in has ended: 401, and the bearer
/// token lasts until it expires.
pub async fn refresh(State(app): State<App>, headers: HeaderMap) -> ApiResult<Json<AgentLoginResponse>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    let token = super::bearer_or_cookie(&headers).unwrap_or_default();
    let agent = app.agent(&agent_id).ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown agent"))?;
    let now = now_ms();
    let lifetimes = Lifetimes::of(&app.cfg);
    let (token, row, old) = app
        .agent_tokens
        .refresh(token.trim(), agent, &lifetimes, now)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "invalid or expired agent token, or the sign-in has reached its time limit"))?;
    let (expires_at, signed_in_until) = (row.expires_at, lifetimes.sign_in_end(row.signed_in_at));
    if let Err(e) = app.store.insert_agent_token(row, now).await {
        tracing::warn!("agent token not stored: {e}");
    }
    app.store.delete_agent_token(&old).await?;
    Ok(Json(AgentLoginResponse { token, agent: app.agent_info(&agent_id), expires_at, signed_in_until }))
}

/// `POST /v1/agent/logout`: the bearer token stops working, here and
/// after a restart (204); the agent sockets it opened get `unauthorized`
/// and close.
pub async fn logout(State(app): State<App>, headers: HeaderMap) -> ApiResult<axum::http::StatusCode> {
    agent_from_headers(&app, &headers)?;
    let token = super::bearer_or_cookie(&headers).unwrap_or_default();
    if let Some(hash) = app.agent_tokens.revoke(token.trim()) {
        app.store.delete_agent_token(&hash).await?;
    }
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Conversations an agent sees: waiting ones of their queues, and their own.
pub async fn agent_conversations(app: &App, agent_id: &str) -> ApiResult<Vec<AgentConversation>> {
    let Some(agent) = app.agent(agent_id) else { return Ok(vec![]) };
    let ids: Vec<String> = {
        let live = app.live();
        let mut v: Vec<(i64, String)> = live
            .convs
            .iter()
            .filter(|(_, c)| c.agent_id.as_deref() == Some(agent_id) || (c.agent_id.is_none() && serves(agent, &c.queue_id)))
            .map(|(id, c)| (c.created_at, id.clone()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id).take(500).collect()
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = app.store.conversation(&id).await? {
            out.push(app.agent_view(&row));
        }
    }
    Ok(out)
}

/// `GET /v1/agent/conversations`
pub async fn list(State(app): State<App>, headers: HeaderMap) -> ApiResult<Json<Vec<AgentConversation>>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    Ok(Json(agent_conversations(&app, &agent_id).await?))
}

/// Whether the agent may read a conversation.
pub async fn can_read(app: &App, agent_id: &str, conv_id: &str) -> ApiResult<crate::store::ConversationRow> {
    let row = app.store.conversation(conv_id).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
    let agent = app.agent(agent_id).ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown agent"))?;
    if row.agent_id.as_deref() == Some(agent_id) || (row.agent_id.is_none() && serves(agent, &row.queue_id)) {
        Ok(row)
    } else {
        Err(ApiError::new(ErrorCode::Forbidden, "not your conversation"))
    }
}

/// `GET /v1/agent/conversations/{id}/messages?afterSeq=N`
pub async fn messages(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, Query(q): Query<AfterSeq>) -> ApiResult<Json<ResumeResponse>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    let row = can_read(&app, &agent_id, &id).await?;
    let messages = app.store.messages_after(&id, q.after_seq, PAGE).await?;
    Ok(Json(ResumeResponse { conversation: app.info(&row), messages }))
}
