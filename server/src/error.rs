//! Typed errors and their JSON bodies (`{"code": "...", "message": "..."}`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use lcw_sdk::core::protocol::{ErrorBody, ErrorCode};

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// JSON column could not be (de)serialized.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The blocking task failed.
    #[error("storage task failed: {0}")]
    Task(String),
    /// Row missing.
    #[error("not found")]
    NotFound,
}

/// An API error: HTTP status plus a protocol error body.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: ErrorBody,
}

impl ApiError {
    /// Error with the status conventionally used for `code`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { status: status_for(code), body: ErrorBody::new(code, message) }
    }

    /// `rate_limited` with a retry hint.
    pub fn rate_limited(retry_after_ms: u64) -> Self {
        let mut e = ApiError::new(ErrorCode::RateLimited, "too many requests, slow down");
        e.body.retry_after_ms = Some(retry_after_ms);
        e
    }

    /// A `rate_limited` error that also names the limit's pace
    /// (`intervalMs`): the time one more request takes to earn.
    pub fn with_interval(mut self, interval_ms: u64) -> Self {
        self.body.interval_ms = Some(interval_ms);
        self
    }

    /// The error code.
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }
}

/// HTTP status for each error code.
pub fn status_for(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        BadRequest => StatusCode::BAD_REQUEST,
        OriginNotAllowed | CountryBlocked | IpBlocked | Forbidden | AttachmentsDisabled => StatusCode::FORBIDDEN,
        RateLimited => StatusCode::TOO_MANY_REQUESTS,
        MessageTooLarge | AttachmentTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AttachmentTypeNotAllowed => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AuthRequired | InvalidToken | AuthExpired | InvalidSession | Unauthorized | AuthorizationCodeRequired | InvalidAuthorizationCode => StatusCode::UNAUTHORIZED,
        IdentityProviderUnavailable => StatusCode::BAD_GATEWAY,
        NotFound => StatusCode::NOT_FOUND,
        ConversationClosed | AgentAtCapacity | VideoUnavailable => StatusCode::CONFLICT,
        QueueUnavailable | ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::new(ErrorCode::NotFound, "not found"),
            other => {
                tracing::error!(error = %other, "storage failure");
                ApiError::new(ErrorCode::Internal, "internal storage error")
            }
        }
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
