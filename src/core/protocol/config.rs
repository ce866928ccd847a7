//! Widget configuration returned by `GET /v1/widgets/{widgetId}/config`.

use std::collections::BTreeMap;

/// Everything the SDK needs to render and run a widget.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct WidgetConfig {
    /// Widget identifier.
    pub widget_id: String,
    /// Queue conversations of this widget go to.
    pub queue_id: String,
    /// Appearance.
    pub theme: Theme,
    /// Proactive rules; opaque JSON objects interpreted by the SDK's trigger engine.
    pub proactive_rules: Vec<crate::core::json::Value>,
    /// Pre-chat survey shown before a conversation starts.
    pub pre_chat: FormConfig,
    /// Offline form shown when no agent is available.
    pub offline_form: FormConfig,
    /// Whether the thumbs up/down rating is offered after a conversation.
    pub rating_enabled: bool,
    /// Label overrides: language tag -> (label key -> text).
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    /// Language used when the browser language has no translation.
    pub fallback_language: String,
    /// Attachment rules (also enforced by the server).
    pub files: FileRules,
    /// Security rules the client should know about.
    pub security: SecurityInfo,
    /// Video channel.
    pub video: VideoConfig,
    /// Maximum message length in characters (enforced by the server).
    pub max_message_chars: usize,
}

/// Widget appearance.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct Theme {
    /// Theme (background) colour, CSS colour string.
    pub color: String,
    /// Text colour on the theme colour.
    pub text_color: String,
    /// `"right"` or `"left"`.
    pub position: String,
    /// Horizontal offset from the edge in px.
    pub offset_x: i32,
    /// Vertical offset from the bottom in px.
    pub offset_y: i32,
    /// Launcher badge text.
    pub launcher_text: String,
    /// Optional launcher image URL.
    pub launcher_image: Option<String>,
    /// Concierge header: name.
    pub header_name: String,
    /// Concierge header: title.
    pub header_title: String,
    /// Concierge header: avatar URL.
    pub header_avatar: Option<String>,
    /// Whether avatars are shown beside messages.
    pub show_avatars: bool,
    /// Font family list (CSS `font-family`); empty: the system UI font.
    pub font_family: String,
    /// Corner radius of the window and bubbles in px; `None`: the default.
    pub corner_radius: Option<u32>,
    /// Hide the launcher badge (the page opens the chat with `startChat`).
    pub hide_launcher: bool,
    /// While the page is hidden, its title counts the agent's messages
    /// that came (`(2) Shop`), until the visitor comes back to the page.
    /// On by default; `false` leaves the page's title alone.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub title_alert: bool,
    /// A short chime for an agent's message the visitor may not see (the
    /// window closed, the page hidden or out of focus), with a toggle in
    /// the window's header. On by default; `false`: no chime, no toggle.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub sound: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: String::new(), text_color: String::new(), position: String::new(), offset_x: 0, offset_y: 0,
            launcher_text: String::new(), launcher_image: None, header_name: String::new(), header_title: String::new(),
            header_avatar: None, show_avatars: false, font_family: String::new(), corner_radius: None, hide_launcher: false,
            title_alert: true, sound: true,
        }
    }
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

/// A form (pre-chat or offline).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct FormConfig {
    /// Whether the form is shown.
    pub enabled: bool,
    /// Greeting text above the form.
    pub greeting: String,
    /// Fields, in display order.
    pub fields: Vec<FormField>,
}

/// One form field.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct FormField {
    /// Key of the answer (`name`, `email`, `department`, `message`, `phone`...).
    pub name: String,
    /// Label shown to the visitor.
    pub label: String,
    /// Input kind: `text`, `email`, `tel`, `textarea`, `select`, `consent`.
    pub kind: String,
    /// Whether an answer is required.
    pub required: bool,
    /// Choices for `select`.
    pub options: Vec<String>,
}

/// Attachment rules.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct FileRules {
    /// Whether attachments are accepted at all.
    pub enabled: bool,
    /// Allowed MIME types; wildcards `image/*` and `*` are accepted.
    pub allowed_mime_types: Vec<String>,
    /// Maximum size in bytes (default and maximum 40 MB).
    pub max_size_bytes: u64,
}

/// Default and maximum attachment size: 40 MB.
pub const MAX_ATTACHMENT_BYTES: u64 = 40 * 1024 * 1024;

impl Default for FileRules {
    fn default() -> Self {
        FileRules { enabled: true, allowed_mime_types: vec!["*".into()], max_size_bytes: MAX_ATTACHMENT_BYTES }
    }
}

/// Returns whether `mime` matches one of `patterns` (`*`, `type/*` or exact,
/// case-insensitive; parameters such as `; charset=` are ignored).
pub fn mime_allowed(patterns: &[String], mime: &str) -> bool {
    let mime = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let Some((top, _)) = mime.split_once('/') else { return false };
    patterns.iter().any(|p| {
        let p = p.trim().to_ascii_lowercase();
        p == "*" || p == "*/*" || p == mime || p.strip_suffix("/*").is_some_and(|t| t == top)
    })
}

/// Visitor authentication mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AuthMode {
    /// No visitor identity; the session token is returned in the body.
    #[default]
    Anonymous,
    /// The session token is also set as an HttpOnly secure cookie that
    /// expires after `sessionLifetimeMinutes`.
    SecureCookie,
    /// A JWT from the page's auth token provider is required to start.
    Jwt,
    /// Third-party OAuth 2.0: the page hands the SDK an authorization code
    /// from the site's identity provider (`setAuthorizationCode`); the
    /// server exchanges it (token endpoint, then user info) for the
    /// visitor's identity before the chat starts.
    Oauth,
}


/// Security information the SDK needs.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct SecurityInfo {
    /// Visitor authentication mode.
    pub auth_mode: AuthMode,
    /// Session lifetime in minutes.
    pub session_lifetime_minutes: u64,
}

/// Video channel settings.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct VideoConfig {
    /// Whether a video button may be offered.
    pub enabled: bool,
    /// `normal`, `one_way` (visitor camera never requested) or `camera_off`.
    pub camera_mode: String,
    /// STUN/TURN servers for the calls (none: host candidates only, enough
    /// on one network).
    pub ice_servers: Vec<super::video::IceServer>,
    /// How long the server keeps an active call whose call socket dropped,
    /// in seconds (its `call_resume_secs`; set by the server when it serves
    /// the configuration, whatever a configuration file says): the SDK
    /// tries to get its socket back for that long.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub resume_secs: Option<u64>,
}

/// The `proactiveRules` of a widget configuration's JSON text, as the JSON
/// text of an array for the trigger engine (`triggers::Config::from_json`
/// reads a bare array of rules); `None` when there are none, the field is
/// not an array, or the text is not a JSON object. Reads only that field,
/// so a page without the widget need not read the whole configuration.
pub fn proactive_rules_text(config_json: &str) -> Option<String> {
    use crate::core::json::Value;
    let Ok(Value::Object(fields)) = crate::core::json::parse(config_json) else { return None };
    let (_, rules) = fields.into_iter().find(|(k, _)| k == "proactiveRules")?;
    match rules {
        Value::Array(a) if !a.is_empty() => Some(crate::core::json::to_string(&Value::Array(a))),
        _ => None,
    }
}

#[cfg(test)]
mod rules_tests {
    use super::proactive_rules_text;

    #[test]
    fn the_rules_array_is_taken_as_it_is() {
        let text = r#"{"widgetId":"w","proactiveRules":[{"id":"a","when":{"type":"timeOnPage","ms":20000},"action":{"message":"Hi <b>"}}],"theme":{}}"#;
        let rules = proactive_rules_text(text).expect("rules");
        assert_eq!(rules, r#"[{"id":"a","when":{"type":"timeOnPage","ms":20000},"action":{"message":"Hi <b>"}}]"#);
        let (cfg, errors) = crate::core::triggers::Config::from_json(&rules);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cfg.rules.len(), 1);
    }

    #[test]
    fn no_rules_or_bad_text_is_none() {
        for text in [r#"{"widgetId":"w"}"#, r#"{"proactiveRules":[]}"#, r#"{"proactiveRules":{"id":"a"}}"#, r#"{"proactiveRules":null}"#, "[1]", "not json", ""] {
            assert_eq!(proactive_rules_text(text), None, "{text}");
        }
    }
}
