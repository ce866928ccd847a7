//! Video endpoints: the visitor's `POST /v1/conversations/{id}/video`
//! (request, decline, end) and the agent console's `GET /v1/agent/video`
//! (whether the agent may invite, and the widgets' call settings).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use lcw_sdk::core::protocol::{ErrorCode, Sender, VideoAction, VideoCall, VideoConfig, VideoRequest};
use serde::Serialize;

use super::{agent_from_headers, visitor_conversation, JsonBody};
use crate::error::{ApiError, ApiResult};
use crate::live::serves;
use crate::state::App;

/// `POST /v1/conversations/{id}/video` (session bearer or cookie): the
/// visitor's `request`, `decline` or `end`; answers the call as it is now.
/// A request needs the unexpired visitor JWT in `jwt` mode, like a send.
pub async fn visitor_video(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap, JsonBody(req): JsonBody<VideoRequest>) -> ApiResult<Json<VideoCall>> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    if req.action == VideoAction::Invite {
        return Err(ApiError::new(ErrorCode::BadRequest, "invite is the agent's (a video frame on the agent socket)"));
    }
    if req.action == VideoAction::Request && app.live().convs.contains_key(&conv.id) {
        app.check_visitor_auth(&conv)?;
    }
    Ok(Json(app.video_action(&conv, Sender::Visitor, req.action, req.call_id.as_deref()).await?))
}

/// `GET /v1/agent/video` answer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentVideoSettings {
    /// Whether the agent is video-capable (may invite).
    pub video_agent: bool,
    /// The video settings (enabled, camera mode, ICE servers) of the
    /// widgets whose queue the agent serves, by widget id.
    pub widgets: BTreeMap<String, VideoConfig>,
}

/// `GET /v1/agent/video` (agent bearer): what the console needs to offer
/// and run calls.
pub async fn agent_video(State(app): State<App>, headers: HeaderMap) -> ApiResult<Json<AgentVideoSettings>> {
    let agent_id = agent_from_headers(&app, &headers)?;
    let agent = app.agent(&agent_id);
    let widgets = app
        .cfg
        .widgets
        .iter()
        .filter(|w| agent.is_some_and(|a| serves(a, &w.config.queue_id)))
        .map(|w| {
            let mut video = w.config.video.clone();
            if let (true, Some(turn)) = (video.enabled, &app.cfg.turn) {
                video.ice_servers.push(turn.credentials(&format!("agent-{agent_id}"), crate::store::now_ms() / 1000));
            }
            (w.id.clone(), video)
        })
        .collect();
    Ok(Json(AgentVideoSettings { video_agent: agent.is_some_and(|a| a.video), widgets }))
}
