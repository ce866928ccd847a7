//! Agent endpoints for offline messages: the forms visitors left while no
//! agent was available, listed in the console and marked handled there.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use lcw_sdk::core::protocol::{ErrorCode, Millis};
use serde::Serialize;

use super::agent_from_headers;
use crate::error::{ApiError, ApiResult};
use crate::live::serves;
use crate::state::App;
use crate::store::{now_ms, OfflineMessageRow};

/// How many offline messages one list returns (newest first).
pub const LIST_LIMIT: u32 = 200;

/// One offline message as the console shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentOfflineMessage {
    /// Id.
    pub id: String,
    /// Widget the form was sent from.
    pub widget_id: String,
    /// When it was received (ms since the epoch).
    pub at: Millis,
    /// Visitor name.
    pub name: String,
    /// Visitor e-mail.
    pub email: String,
    /// The message.
    pub message: String,
    /// Other form answers.
    pub fields: BTreeMap<String, String>,
    /// Agent who marked it handled.
    pub handled_by: Option<String>,
    /// When it was marked handled.
    pub handled_at: Option<Millis>,
}

impl From<OfflineMessageRow> for AgentOfflineMessage {
    fn from(r: OfflineMessageRow) -> Self {
        let text = |k: &str| r.body.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let fields = r
            .body
            .get("fields")
            .and_then(|f| f.as_object())
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default();
        AgentOfflineMessage { name: text("name"), email: text("email"), message: text("message"), fields, id: r.id, widget_id: r.widget_id, at: r.at, handled_by: r.handled_by, handled_at: r.handled_at }
    }
}

/// Widgets whose queue the agent serves (an agent without queues serves all).
fn widgets_of(app: &App, agent_id: &str) -> ApiResult<Vec<String>> {
    let agent = app.agent(agent_id).ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown agent"))?;
    Ok(app.cfg.widgets.iter().filter(|w| serves(agent, &w.config.queue_id)).map(|w| w.id.clone()).collect())
}

/// `GET /v1/agent/offline-messages`: newest first, handled ones included.
pub async fn list(State(app): State<App>, headers: HeaderMap) -> ApiResult<Json<Vec<AgentOfflineMessage>>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    let widgets = widgets_of(&app, &agent_id)?;
    let rows = app.store.offline_messages(widgets, LIST_LIMIT).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// `POST /v1/agent/offline-messages/{id}/handled`: idempotent; the first
/// agent to mark it is kept.
pub async fn mark_handled(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Json<AgentOfflineMessage>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    let row = app.store.offline_message(&id).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such offline message"))?;
    if !widgets_of(&app, &agent_id)?.contains(&row.widget_id) {
        return Err(ApiError::new(ErrorCode::Forbidden, "this offline message is for a queue you do not serve"));
    }
    let row = app.store.mark_offline_handled(&id, &agent_id, now_ms()).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such offline message"))?;
    tracing::info!(offline_message = %id, agent = %agent_id, "offline message handled");
    Ok(Json(row.into()))
}
