//! JSON of the protocol types for the SDK's own reader and writer
//! (`crate::core::json`): the same shapes as their serde impls (feature
//! `serde`, used by the server), which `src/core/json/cross_tests.rs` checks.

use super::*;
use crate::core::json::{json_struct, json_unit_enum, Error, FromJson, Obj, ObjWriter, ToJson, Value};

json_struct!(Availability {
    queue_id: "queueId" req, is_queue_available: "isQueueAvailable" req, is_agent_available: "isAgentAvailable" req,
    position_in_queue: "positionInQueue" req, average_wait_time: "averageWaitTime" req, next_window: "nextWindow" req,
    is_video_agent_available: "isVideoAgentAvailable" opt,
});
json_struct!(TimeWindow { start: "start" req, end: "end" req });
json_struct!(ContextEntry { value: "value" req, is_displayable: "isDisplayable" yes });
json_struct!(StartRequest {
    widget_id: "widgetId" opt, context: "context" opt, auth_token: "authToken" opt, pre_chat: "preChat" opt, locale: "locale" opt,
    authorization_code: "authorizationCode" opt, code_verifier: "codeVerifier" opt,
});
json_unit_enum!(ConversationState, [Waiting = "waiting", Assigned = "assigned", Active = "active", Closed = "closed"]);
json_struct!(AgentInfo { id: "id" req, display_name: "displayName" req });
json_struct!(ConversationInfo {
    id: "id" req, queue_id: "queueId" req, widget_id: "widgetId" req, state: "state" req, agent: "agent" req,
    customer_id: "customerId" req, created_at: "createdAt" req, last_seq: "lastSeq" req,
    position_in_queue: "positionInQueue" req, closed_by: "closedBy" req, visitor_read_seq: "visitorReadSeq" opt,
    agent_read_seq: "agentReadSeq" opt,
});
json_struct!(StartResponse {
    conversation: "conversation" req, session_token: "sessionToken" req, session_expires_at: "sessionExpiresAt" req,
    resumed: "resumed" req, ws_path: "wsPath" req,
});
json_struct!(ResumeRequest { session_token: "sessionToken" opt, after_seq: "afterSeq" opt });
json_struct!(AuthRequest { auth_token: "authToken" req });
json_struct!(AuthResponse { expires_at: "expiresAt" req });
json_struct!(ResumeResponse { conversation: "conversation" req, messages: "messages" req });
json_unit_enum!(Sender, [Visitor = "visitor", Agent = "agent", System = "system"]);
json_struct!(Message {
    seq: "seq" req, client_id: "clientId" req, sender: "sender" req, author_name: "authorName" req, text: "text" req,
    attachment: "attachment" req, sent_at: "sentAt" req,
});
json_struct!(AttachmentInfo { id: "id" req, name: "name" req, mime_type: "mimeType" req, size: "size" req, url: "url" req });
json_struct!(SendMessageRequest { client_id: "clientId" opt, text: "text" opt, attachment_id: "attachmentId" opt });
json_struct!(SendAck { client_id: "clientId" req, seq: "seq" req, duplicate: "duplicate" req, sent_at: "sentAt" req });
json_unit_enum!(Rating, [Up = "up", Down = "down"]);
json_struct!(RatingRequest { rating: "rating" req, comment: "comment" opt });
json_struct!(OfflineMessageRequest { name: "name" opt, email: "email" opt, message: "message" opt, fields: "fields" opt });
json_struct!(IdResponse { id: "id" req });
json_struct!(AgentLoginRequest { username: "username" req, password: "password" req });
json_struct!(AgentLoginResponse { token: "token" req, agent: "agent" req, expires_at: "expiresAt" req, signed_in_until: "signedInUntil" skip });
json_struct!(AgentConversation { conversation: "conversation" req, context: "context" req, pre_chat: "preChat" req, visitor_away_since: "visitorAwaySince" skip });

json_struct!(WidgetConfig {
    widget_id: "widgetId" opt, queue_id: "queueId" opt, theme: "theme" opt, proactive_rules: "proactiveRules" opt,
    pre_chat: "preChat" opt, offline_form: "offlineForm" opt, rating_enabled: "ratingEnabled" opt,
    translations: "translations" opt, fallback_language: "fallbackLanguage" opt, files: "files" opt,
    security: "security" opt, video: "video" opt, max_message_chars: "maxMessageChars" opt,
});
json_struct!(Theme {
    color: "color" opt, text_color: "textColor" opt, position: "position" opt, offset_x: "offsetX" opt,
    offset_y: "offsetY" opt, launcher_text: "launcherText" opt, launcher_image: "launcherImage" opt,
    header_name: "headerName" opt, header_title: "headerTitle" opt, header_avatar: "headerAvatar" opt,
    show_avatars: "showAvatars" opt, font_family: "fontFamily" opt, corner_radius: "cornerRadius" opt,
    hide_launcher: "hideLauncher" opt, title_alert: "titleAlert" yes, sound: "sound" yes,
});
json_struct!(FormConfig { enabled: "enabled" opt, greeting: "greeting" opt, fields: "fields" opt });
json_struct!(FormField { name: "name" opt, label: "label" opt, kind: "kind" opt, required: "required" opt, options: "options" opt });
json_struct!(FileRules { enabled: "enabled" def, allowed_mime_types: "allowedMimeTypes" def, max_size_bytes: "maxSizeBytes" def });
json_unit_enum!(AuthMode, [Anonymous = "anonymous", SecureCookie = "secure_cookie", Jwt = "jwt", Oauth = "oauth"]);
json_struct!(SecurityInfo { auth_mode: "authMode" opt, session_lifetime_minutes: "sessionLifetimeMinutes" opt });
json_struct!(VideoConfig { enabled: "enabled" opt, camera_mode: "cameraMode" opt, ice_servers: "iceServers" opt, resume_secs: "resumeSecs" skip });
json_struct!(IceServer { urls: "urls" opt, username: "username" skip, credential: "credential" skip });
json_unit_enum!(VideoAction, [Request = "request", Invite = "invite", Decline = "decline", End = "end"]);
json_unit_enum!(VideoCallState, [Requested = "requested", Invited = "invited", Active = "active", Ended = "ended"]);
json_struct!(VideoCall { id: "id" req, state: "state" req, by: "by" req, camera_mode: "cameraMode" req, reason: "reason" req });
json_struct!(VideoRequest { action: "action" req, call_id: "callId" opt });

json_unit_enum!(ErrorCode, [BadRequest = "bad_request", OriginNotAllowed = "origin_not_allowed", CountryBlocked = "country_blocked", IpBlocked = "ip_blocked", RateLimited = "rate_limited", MessageTooLarge = "message_too_large", AttachmentTooLarge = "attachment_too_large", AttachmentTypeNotAllowed = "attachment_type_not_allowed", AttachmentsDisabled = "attachments_disabled", AuthRequired = "auth_required", InvalidToken = "invalid_token", AuthExpired = "auth_expired", InvalidSession = "invalid_session", Unauthorized = "unauthorized", Forbidden = "forbidden", NotFound = "not_found", ConversationClosed = "conversation_closed", AgentAtCapacity = "agent_at_capacity", QueueUnavailable = "queue_unavailable", ShuttingDown = "shutting_down", Internal = "internal", AuthorizationCodeRequired = "authorization_code_required", InvalidAuthorizationCode = "invalid_authorization_code", IdentityProviderUnavailable = "identity_provider_unavailable", VideoUnavailable = "video_unavailable"]);
json_struct!(ErrorBody { code: "code" req, message: "message" req, retry_after_ms: "retryAfterMs" skip, interval_ms: "intervalMs" skip });

impl FromJson for ContextPrimitive {
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Bool(b) => Ok(ContextPrimitive::Bool(b)),
            Value::Number(n) => Ok(ContextPrimitive::Number(n.as_f64())),
            Value::String(s) => Ok(ContextPrimitive::Text(s)),
            _ => Err(Error::new("data did not match any variant of untagged enum ContextPrimitive")),
        }
    }
}

impl ToJson for ContextPrimitive {
    fn write_json(&self, out: &mut String) {
        match self {
            ContextPrimitive::Bool(b) => b.write_json(out),
            ContextPrimitive::Number(n) => n.write_json(out),
            ContextPrimitive::Text(s) => s.write_json(out),
        }
    }
}

const CLIENT_FRAME: &[&str] = &["hello", "auth", "agent_hello", "send", "typing", "accept", "close", "fetch", "ping", "video", "rtc", "read"];

impl FromJson for ClientFrame {
    fn from_json(v: Value) -> Result<Self, Error> {
        use ClientFrame as F;
        let (i, mut o) = Obj::tagged(v, "type", CLIENT_FRAME, "internally tagged enum ClientFrame")?;
        Ok(match CLIENT_FRAME[i] {
            "hello" => F::Hello { session_token: o.opt("sessionToken")?, last_seq: o.opt("lastSeq")?, auth_token: o.opt("authToken")?, call_id: o.opt("callId")?, call_key: o.opt("callKey")? },
            "auth" => F::Auth { token: o.req("token")? },
            "agent_hello" => F::AgentHello { token: o.req("token")? },
            "send" => F::Send {
                conversation_id: o.opt("conversationId")?,
                client_id: o.req("clientId")?,
                text: o.req("text")?,
                attachment_id: o.opt("attachmentId")?,
            },
            "typing" => F::Typing { conversation_id: o.opt("conversationId")?, is_typing: o.req("isTyping")? },
            "accept" => F::Accept { conversation_id: o.req("conversationId")? },
            "close" => F::Close { conversation_id: o.opt("conversationId")? },
            "fetch" => F::Fetch { conversation_id: o.req("conversationId")?, after_seq: o.opt("afterSeq")? },
            "video" => F::Video { conversation_id: o.req("conversationId")?, action: o.req("action")?, call_id: o.opt("callId")? },
            "rtc" => F::Rtc { conversation_id: o.opt("conversationId")?, call_id: o.req("callId")?, payload: o.req("payload")? },
            "read" => F::Read { conversation_id: o.opt("conversationId")?, seq: o.req("seq")? },
            _ => F::Ping,
        })
    }
}

impl ToJson for ClientFrame {
    fn write_json(&self, out: &mut String) {
        use ClientFrame as F;
        let mut w = ObjWriter::new(out);
        match self {
            F::Hello { session_token, last_seq, auth_token, call_id, call_key } => {
                w.field("type", "hello");
                w.field("sessionToken", session_token);
                w.field("lastSeq", last_seq);
                w.some("authToken", auth_token);
                w.some("callId", call_id);
                w.some("callKey", call_key);
            }
            F::Auth { token } => {
                w.field("type", "auth");
                w.field("token", token);
            }
            F::AgentHello { token } => {
                w.field("type", "agent_hello");
                w.field("token", token);
            }
            F::Send { conversation_id, client_id, text, attachment_id } => {
                w.field("type", "send");
                w.field("conversationId", conversation_id);
                w.field("clientId", client_id);
                w.field("text", text);
                w.field("attachmentId", attachment_id);
            }
            F::Typing { conversation_id, is_typing } => {
                w.field("type", "typing");
                w.field("conversationId", conversation_id);
                w.field("isTyping", is_typing);
            }
            F::Accept { conversation_id } => {
                w.field("type", "accept");
                w.field("conversationId", conversation_id);
            }
            F::Close { conversation_id } => {
                w.field("type", "close");
                w.field("conversationId", conversation_id);
            }
            F::Fetch { conversation_id, after_seq } => {
                w.field("type", "fetch");
                w.field("conversationId", conversation_id);
                w.field("afterSeq", after_seq);
            }
            F::Video { conversation_id, action, call_id } => {
                w.field("type", "video");
                w.field("conversationId", conversation_id);
                w.field("action", action);
                w.field("callId", call_id);
            }
            F::Rtc { conversation_id, call_id, payload } => {
                w.field("type", "rtc");
                w.field("conversationId", conversation_id);
                w.field("callId", call_id);
                w.field("payload", payload);
            }
            F::Read { conversation_id, seq } => {
                w.field("type", "read");
                w.field("conversationId", conversation_id);
                w.field("seq", seq);
            }
            F::Ping => w.field("type", "ping"),
        }
        w.end();
    }
}

const SERVER_FRAME: &[&str] = &[
    "welcome", "auth_ok", "agent_welcome", "message", "ack", "typing", "conversation_updated",
    "agent_conversation_updated", "history", "error", "pong", "video", "rtc", "read",
];

impl FromJson for ServerFrame {
    fn from_json(v: Value) -> Result<Self, Error> {
        use ServerFrame as F;
        let (i, mut o) = Obj::tagged(v, "type", SERVER_FRAME, "internally tagged enum ServerFrame")?;
        Ok(match SERVER_FRAME[i] {
            "welcome" => F::Welcome { conversation: o.req("conversation")?, auth_expires_at: o.opt("authExpiresAt")? },
            "auth_ok" => F::AuthOk { expires_at: o.req("expiresAt")? },
            // Only agent sockets get the two agent frames; the SDK's socket is
            // a visitor's, so the wasm build leaves their readers out (6 KB).
            #[cfg(not(target_arch = "wasm32"))]
            "agent_welcome" => F::AgentWelcome { agent: o.req("agent")?, conversations: o.req("conversations")? },
            "message" => F::Message { conversation_id: o.req("conversationId")?, message: o.req("message")? },
            "ack" => F::Ack {
                conversation_id: o.req("conversationId")?,
                client_id: o.req("clientId")?,
                seq: o.req("seq")?,
                duplicate: o.req("duplicate")?,
            },
            "typing" => F::Typing { conversation_id: o.req("conversationId")?, sender: o.req("sender")?, is_typing: o.req("isTyping")? },
            "conversation_updated" => F::ConversationUpdated { conversation: o.req("conversation")? },
            #[cfg(not(target_arch = "wasm32"))]
            "agent_conversation_updated" => F::AgentConversationUpdated { conversation: o.req("conversation")? },
            #[cfg(target_arch = "wasm32")]
            "agent_welcome" | "agent_conversation_updated" => return Err(Error::new("agent frames are not read on a visitor socket")),
            "history" => F::History { conversation_id: o.req("conversationId")?, messages: o.req("messages")? },
            "error" => F::Error { code: o.req("code")?, message: o.req("message")?, client_id: o.opt("clientId")?, retry_after_ms: o.opt("retryAfterMs")?, interval_ms: o.opt("intervalMs")? },
            "video" => F::Video { conversation_id: o.req("conversationId")?, call: o.req("call")? },
            "rtc" => F::Rtc { conversation_id: o.req("conversationId")?, call_id: o.req("callId")?, from: o.req("from")?, payload: o.req("payload")? },
            "read" => F::Read { conversation_id: o.req("conversationId")?, reader: o.req("reader")?, seq: o.req("seq")? },
            _ => F::Pong,
        })
    }
}

impl ToJson for ServerFrame {
    fn write_json(&self, out: &mut String) {
        use ServerFrame as F;
        let mut w = ObjWriter::new(out);
        match self {
            F::Welcome { conversation, auth_expires_at } => {
                w.field("type", "welcome");
                w.field("conversation", conversation);
                w.some("authExpiresAt", auth_expires_at);
            }
            F::AuthOk { expires_at } => {
                w.field("type", "auth_ok");
                w.field("expiresAt", expires_at);
            }
            F::AgentWelcome { agent, conversations } => {
                w.field("type", "agent_welcome");
                w.field("agent", agent);
                w.field("conversations", conversations);
            }
            F::Message { conversation_id, message } => {
                w.field("type", "message");
                w.field("conversationId", conversation_id);
                w.field("message", message);
            }
            F::Ack { conversation_id, client_id, seq, duplicate } => {
                w.field("type", "ack");
                w.field("conversationId", conversation_id);
                w.field("clientId", client_id);
                w.field("seq", seq);
                w.field("duplicate", duplicate);
            }
            F::Typing { conversation_id, sender, is_typing } => {
                w.field("type", "typing");
                w.field("conversationId", conversation_id);
                w.field("sender", sender);
                w.field("isTyping", is_typing);
            }
            F::ConversationUpdated { conversation } => {
                w.field("type", "conversation_updated");
                w.field("conversation", conversation);
            }
            F::AgentConversationUpdated { conversation } => {
                w.field("type", "agent_conversation_updated");
                w.field("conversation", conversation);
            }
            F::History { conversation_id, messages } => {
                w.field("type", "history");
                w.field("conversationId", conversation_id);
                w.field("messages", messages);
            }
            F::Error { code, message, client_id, retry_after_ms, interval_ms } => {
                w.field("type", "error");
                w.field("code", code);
                w.field("message", message);
                w.some("clientId", client_id);
                w.some("retryAfterMs", retry_after_ms);
                w.some("intervalMs", interval_ms);
            }
            F::Video { conversation_id, call } => {
                w.field("type", "video");
                w.field("conversationId", conversation_id);
                w.field("call", call);
            }
            F::Rtc { conversation_id, call_id, from, payload } => {
                w.field("type", "rtc");
                w.field("conversationId", conversation_id);
                w.field("callId", call_id);
                w.field("from", from);
                w.field("payload", payload);
            }
            F::Read { conversation_id, reader, seq } => {
                w.field("type", "read");
                w.field("conversationId", conversation_id);
                w.field("reader", reader);
                w.field("seq", seq);
            }
            F::Pong => w.field("type", "pong"),
        }
        w.end();
    }
}

