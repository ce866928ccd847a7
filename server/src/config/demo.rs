//! The demo setup's widget (`ServerConfig::with_demo_defaults`).

use lcw_sdk::core::protocol::{FormConfig, FormField, VideoConfig, WidgetConfig};

use lcw_sdk::core::protocol::AuthMode;

use super::{OAuthConfig, WidgetSettings};

fn field(name: &str, label: &str, kind: &str, required: bool) -> FormField {
    FormField { name: name.into(), label: label.into(), kind: kind.into(), required, options: vec![] }
}

/// The demo widget: origins of the server itself, pre-chat and offline
/// forms, attachments and video calls.
pub fn demo_widget(addr: &str, queue_id: &str) -> WidgetSettings {
    let port = addr.rsplit(':').next().unwrap_or("8787");
    let mut config = WidgetConfig { widget_id: "demo".into(), queue_id: queue_id.into(), rating_enabled: true, ..Default::default() };
    // Attachments on in the demo: images, PDF and plain text up to 10 MB.
    config.files = lcw_sdk::core::protocol::FileRules {
        enabled: true,
        allowed_mime_types: vec!["image/*".into(), "application/pdf".into(), "text/plain".into()],
        max_size_bytes: 10 * 1024 * 1024,
    };
    config.theme.color = "#2563eb".into();
    config.theme.text_color = "#ffffff".into();
    config.theme.position = "right".into();
    config.theme.offset_x = 20;
    config.theme.offset_y = 20;
    config.theme.launcher_text = "Chat with us".into();
    config.theme.header_name = "Demo Support".into();
    config.theme.header_title = "We usually reply in a minute".into();
    // Video calls on in the demo (the demo agent is video-capable); no ICE
    // servers: host candidates are enough on one machine or network.
    config.video = VideoConfig { enabled: true, camera_mode: "normal".into(), ..VideoConfig::default() };
    config.pre_chat = FormConfig {
        enabled: true,
        greeting: "Hi! Tell us a bit about you.".into(),
        fields: vec![field("name", "Name", "text", false), field("email", "Email", "email", false), field("message", "Your question", "textarea", false)],
    };
    config.offline_form = FormConfig {
        enabled: true,
        greeting: "We are away. Leave a message and we will get back to you.".into(),
        fields: vec![field("name", "Name", "text", true), field("email", "Email", "email", true), field("message", "Message", "textarea", true)],
    };
    WidgetSettings {
        id: "demo".into(),
        allowed_origins: vec![format!("http://localhost:{port}"), format!("http://127.0.0.1:{port}")],
        config,
        ..Default::default()
    }
}

/// The demo's OAuth widget (`demo-oauth`, page `oauth.html`): visitors are
/// signed in with an authorization code of the server's own toy provider
/// (src/http/demo_idp.rs), which the server exchanges at itself.
pub fn demo_oauth_widget(addr: &str, queue_id: &str) -> WidgetSettings {
    let port = addr.rsplit(':').next().unwrap_or("8787");
    let idp = format!("http://127.0.0.1:{port}/demo-idp");
    let mut w = demo_widget(addr, queue_id);
    w.id = "demo-oauth".into();
    w.config.widget_id = "demo-oauth".into();
    // The provider says who the visitor is: no pre-chat form to fill.
    w.config.pre_chat = FormConfig::default();
    w.config.theme.header_title = "Signed in with the demo identity provider".into();
    w.auth_mode = AuthMode::Oauth;
    w.oauth = Some(OAuthConfig {
        token_url: format!("{idp}/token"),
        userinfo_url: format!("{idp}/userinfo"),
        client_id: crate::http::demo_idp::CLIENT_ID.into(),
        client_secret: crate::http::demo_idp::CLIENT_SECRET.into(),
        ..Default::default()
    });
    w
}
