//! Attachments: upload (raw body, MIME allowlist, size limit) and download.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lcw_sdk::core::protocol::{mime_allowed, AttachmentInfo, ConversationState, ErrorCode, API_PREFIX};
use serde::Deserialize;

use super::agent::can_read;
use super::visitor_conversation;
use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::store::{new_id, now_ms, AttachmentRow, ConversationRow};

/// `?name=` query of an upload.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// File name.
    #[serde(default)]
    pub name: Option<String>,
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(ErrorCode::AttachmentTooLarge, format!("file larger than the maximum of {max} bytes"))
}

/// `POST /v1/conversations/{id}/attachments?name=file.png`, body = file bytes,
/// `Content-Type` = the file's MIME type.
pub async fn upload(State(app): State<App>, Path(id): Path<String>, Query(q): Query<UploadQuery>, headers: HeaderMap, body: Body) -> ApiResult<(StatusCode, Json<AttachmentInfo>)> {
    let conv = visitor_conversation(&app, &headers, None, Some(&id)).await?;
    app.check_visitor_auth(&conv)?;
    store_upload(&app, &conv, q, &headers, body).await
}

/// `POST /v1/agent/conversations/{id}/attachments?name=file.png` with the
/// agent bearer token: the same rules as a visitor upload (the widget's
/// enabled flag, MIME allowlist and size limit), for a conversation the
/// agent may read (theirs, or waiting in a queue they serve).
pub async fn agent_upload(State(app): State<App>, Path(id): Path<String>, Query(q): Query<UploadQuery>, headers: HeaderMap, body: Body) -> ApiResult<(StatusCode, Json<AttachmentInfo>)> {
    let agent_id = super::agent_from_headers(&app, &headers)?;
    let conv = can_read(&app, &agent_id, &id).await?;
    if conv.state == ConversationState::Closed {
        return Err(ApiError::new(ErrorCode::ConversationClosed, "the conversation is closed"));
    }
    store_upload(&app, &conv, q, &headers, body).await
}

/// Checks the widget's file rules, reads the body and stores it for `conv`.
async fn store_upload(app: &App, conv: &ConversationRow, q: UploadQuery, headers: &HeaderMap, body: Body) -> ApiResult<(StatusCode, Json<AttachmentInfo>)> {
    let rules = app.widget(&conv.widget_id).map(|w| w.config.files.clone()).unwrap_or_default();
    if !rules.enabled {
        return Err(ApiError::new(ErrorCode::AttachmentsDisabled, "attachments are disabled"));
    }
    let mime = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !mime_allowed(&rules.allowed_mime_types, &mime) {
        return Err(ApiError::new(
            ErrorCode::AttachmentTypeNotAllowed,
            format!("type {:?} is not allowed; allowed: {}", mime, rules.allowed_mime_types.join(", ")),
        ));
    }
    let max = rules.max_size_bytes;
    if let Some(len) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()) {
        if len > max {
            return Err(too_large(max));
        }
    }
    let bytes = axum::body::to_bytes(body, max as usize).await.map_err(|_| too_large(max))?;
    if bytes.is_empty() {
        return Err(ApiError::new(ErrorCode::BadRequest, "empty file"));
    }
    let name = file_name(q.name.as_deref().unwrap_or("file"));
    let row = AttachmentRow { id: new_id("att"), conversation_id: conv.id.clone(), name, mime_type: mime, size: bytes.len() as u64 };
    app.store.insert_attachment(row.clone(), bytes.to_vec(), now_ms()).await?;
    let info = AttachmentInfo { url: format!("{API_PREFIX}/attachments/{}", row.id), id: row.id, name: row.name, mime_type: row.mime_type, size: row.size };
    Ok((StatusCode::CREATED, Json(info)))
}

/// An upload's name as stored and shown: no control characters, no path
/// separators, and no bidirectional formatting characters, which would let
/// `invoice\u{202E}fdp.exe` show as "invoiceexe.pdf" to whoever downloads
/// it; at most 200 characters, "file" when nothing is left.
pub fn file_name(raw: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let name: String = raw.chars().filter(|&c| !c.is_control() && c != '/' && c != '\\' && !bidi(c)).take(200).collect();
    if name.trim().is_empty() { "file".into() } else { name }
}

/// `GET /v1/attachments/{id}` with the session of the conversation's
/// visitor, or the token of an agent who may read the conversation.
pub async fn download(State(app): State<App>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let (meta, data) = app.store.attachment(&id, true).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such attachment"))?;
    let allowed = match super::agent_from_headers(&app, &headers) {
        // An agent reads the files of the conversations they may read.
        Ok(agent_id) => can_read(&app, &agent_id, &meta.conversation_id).await.is_ok(),
        Err(_) => visitor_conversation(&app, &headers, None, Some(&meta.conversation_id)).await.is_ok(),
    };
    if !allowed {
        return Err(ApiError::new(ErrorCode::Forbidden, "no access to this attachment"));
    }
    let mut resp = Body::from(data).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&meta.mime_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    let safe: String = meta.name.chars().filter(|c| c.is_ascii_alphanumeric() || "._- ".contains(*c)).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
