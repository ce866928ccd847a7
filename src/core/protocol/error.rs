//! Error bodies returned by the server (HTTP responses and `error` frames).


/// Stable, machine-readable error codes. Serialized as snake_case strings;
/// new codes may be added in a minor protocol revision, so clients must
/// treat an unknown code as a generic failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ErrorCode {
    /// The request body or a frame is not valid JSON or misses fields.
    BadRequest,
    /// The `Origin` is not in the widget's allowlist.
    OriginNotAllowed,
    /// The client's country is on the blocklist.
    CountryBlocked,
    /// The client's IP address is on the blocklist.
    IpBlocked,
    /// Too many requests or messages; retry after `retryAfterMs`.
    RateLimited,
    /// A message is longer than the configured limit.
    MessageTooLarge,
    /// An attachment exceeds the maximum size.
    AttachmentTooLarge,
    /// An attachment's MIME type is not allowed.
    AttachmentTypeNotAllowed,
    /// Attachments are disabled for this widget.
    AttachmentsDisabled,
    /// The widget requires a visitor JWT and none was given.
    AuthRequired,
    /// The visitor JWT failed verification (signature, `alg`, `exp`, `nbf`...).
    InvalidToken,
    /// The visitor JWT of an open conversation expired: send a fresh one
    /// (`auth` frame) and retry; the refused message was not stored.
    AuthExpired,
    /// The session token is unknown or expired.
    InvalidSession,
    /// Agent credentials or agent token are wrong.
    Unauthorized,
    /// The caller may not act on this resource.
    Forbidden,
    /// The resource does not exist.
    NotFound,
    /// The conversation is closed; no more messages are accepted.
    ConversationClosed,
    /// The agent has no spare capacity.
    AgentAtCapacity,
    /// The queue is closed (outside operating hours) or unknown.
    QueueUnavailable,
    /// The server is shutting down; reconnect and resume.
    ShuttingDown,
    /// Unexpected server failure.
    Internal,
    /// The widget signs visitors in with an OAuth authorization code and
    /// the start request carried none.
    AuthorizationCodeRequired,
    /// The identity provider refused the authorization code (unknown,
    /// expired, already used, or issued for another client or redirect).
    InvalidAuthorizationCode,
    /// The identity provider could not be reached or answered badly.
    IdentityProviderUnavailable,
    /// A video call cannot be had now: video is off for the widget, no
    /// video-capable agent is signed in, or the call is not in a state
    /// that allows the action (another call is under way, the call is
    /// taken in another tab).
    VideoUnavailable,
}


impl ErrorCode {
    /// The snake_case string of the code, as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::OriginNotAllowed => "origin_not_allowed",
            ErrorCode::CountryBlocked => "country_blocked",
            ErrorCode::IpBlocked => "ip_blocked",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::MessageTooLarge => "message_too_large",
            ErrorCode::AttachmentTooLarge => "attachment_too_large",
            ErrorCode::AttachmentTypeNotAllowed => "attachment_type_not_allowed",
            ErrorCode::AttachmentsDisabled => "attachments_disabled",
            ErrorCode::AuthRequired => "auth_required",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::AuthExpired => "auth_expired",
            ErrorCode::InvalidSession => "invalid_session",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::ConversationClosed => "conversation_closed",
            ErrorCode::AgentAtCapacity => "agent_at_capacity",
            ErrorCode::QueueUnavailable => "queue_unavailable",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::Internal => "internal",
            ErrorCode::AuthorizationCodeRequired => "authorization_code_required",
            ErrorCode::InvalidAuthorizationCode => "invalid_authorization_code",
            ErrorCode::IdentityProviderUnavailable => "identity_provider_unavailable",
            ErrorCode::VideoUnavailable => "video_unavailable",
        }
    }
}

/// JSON body of every error response: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation (English); may name what is allowed.
    pub message: String,
    /// For `rate_limited`: how long to wait before retrying.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub retry_after_ms: Option<u64>,
    /// For `rate_limited` from a steady limit: the time one more request
    /// takes to earn (ms), the pace to keep after the wait.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub interval_ms: Option<u64>,
}

impl ErrorBody {
    /// Builds an error body without a retry hint.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), retry_after_ms: None, interval_ms: None }
    }
}
