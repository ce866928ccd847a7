//! Server configuration: TOML file, then environment / CLI overrides.

use std::path::PathBuf;

use lcw_sdk::core::protocol::{AuthMode, WidgetConfig};

mod demo;
mod limits;
pub use demo::{demo_oauth_widget, demo_widget};
pub use limits::RateLimits;
use serde::{Deserialize, Serialize};

/// Whole server configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Listen address.
    pub addr: String,
    /// SQLite file path, or `:memory:`.
    pub db: String,
    /// Directory served at `/` (demo site).
    pub static_dir: Option<PathBuf>,
    /// Directory served at `/pkg/` (wasm package).
    pub pkg_dir: Option<PathBuf>,
    /// Header carrying the client IP when behind a trusted proxy (first entry used).
    pub trusted_ip_header: Option<String>,
    /// Header carrying the client's ISO country code, set by a trusted proxy.
    pub country_header: Option<String>,
    /// Blocked IPs / CIDR ranges (`203.0.113.0/24`, `10.1.2.3`).
    pub blocked_ips: Vec<String>,
    /// Rate limits.
    pub rate_limits: RateLimits,
    /// Seconds to wait for sockets to finish on shutdown.
    pub shutdown_grace_secs: u64,
    /// Seconds an active video call waits for its visitor's call socket to
    /// come back after it dropped (the media go peer to peer meanwhile);
    /// 0 ends the call at once (`disconnected`).
    pub call_resume_secs: u64,
    /// Every socket (visitor, call, agent) gets a WebSocket ping this
    /// often, in seconds (browsers answer it themselves); 0: none.
    pub socket_ping_secs: u64,
    /// A socket nothing came from for this many seconds (no frame, no
    /// pong) is closed: the peer is gone without a close (sleep, a network
    /// change, a NAT). An agent's dead console so stops counting as online.
    /// 0: never.
    pub socket_dead_secs: u64,
    /// An open conversation with no visitor chat socket for this many
    /// seconds is closed (the visitor left without ending it; long enough
    /// for a phone put away or a page asleep to keep its chat). 0: never.
    pub visitor_gone_close_secs: u64,
    /// A TURN relay with a shared secret: every widget configuration with
    /// video on, and every agent's video settings, get a short-lived pair
    /// for it in `iceServers` (security/turn.rs).
    pub turn: Option<crate::security::turn::TurnConfig>,
    /// Agent token lifetime in minutes (an open console refreshes its token
    /// halfway through).
    pub agent_token_minutes: u64,
    /// How long an agent sign-in lasts, in hours, however often its token
    /// is refreshed: then the agent signs in again with the password (a
    /// stolen token cannot be kept alive for ever). 0: no limit.
    pub agent_session_hours: u64,
    /// Queues.
    pub queues: Vec<QueueConfig>,
    /// Agents.
    pub agents: Vec<AgentConfig>,
    /// Widgets.
    pub widgets: Vec<WidgetSettings>,
    /// The demo's toy identity provider is mounted at `/demo-idp/` (set by
    /// [`ServerConfig::with_demo_defaults`] with the demo widgets; not in a
    /// config file, and `lcw-server` clears it when run with one).
    #[serde(skip)]
    pub demo_idp: bool,
}

/// A queue with operating hours.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    /// Queue id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// IANA timezone of the hours (e.g. `Europe/Paris`).
    pub timezone: String,
    /// Opening rules; empty means open 24/7.
    pub hours: Vec<HoursRule>,
}

/// Opening rule: on `days`, from `open` to `close` local time (`close` <= `open` spans midnight).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HoursRule {
    /// Weekdays: `mon`..`sun`.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub open: String,
    /// `HH:MM` (`24:00` allowed).
    pub close: String,
}

/// An agent account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgentConfig {
    /// Agent id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Shown to visitors.
    pub display_name: String,
    /// Plain password (demo only).
    pub password: Option<String>,
    /// `salt$hex(sha256(salt + password))`, preferred over `password`.
    pub password_sha256: Option<String>,
    /// Maximum simultaneous conversations.
    pub capacity: u32,
    /// Queues served; empty = all.
    pub queues: Vec<String>,
    /// Video-capable: may invite visitors to video calls (`video` frames).
    pub video: bool,
}

/// JWT verification settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    /// Pinned algorithm: `HS256` or `RS256`.
    pub alg: String,
    /// HS256 shared secret.
    pub secret: Option<String>,
    /// RS256 public key (PEM).
    pub public_key_pem: Option<String>,
    /// Expected `iss`, if set.
    pub issuer: Option<String>,
    /// Expected `aud`, if set.
    pub audience: Option<String>,
    /// Clock-skew leeway in seconds for `exp`/`nbf`.
    pub leeway_secs: u64,
}

/// Third-party OAuth 2.0 authorization-code settings (`[widgets.oauth]`,
/// required when `auth_mode = "oauth"`): where and how the server exchanges
/// a visitor's authorization code for their identity. Checked at start-up
/// by [`crate::security::oauth::OAuthClient::new`].
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthConfig {
    /// The provider's token endpoint (absolute `http`/`https` URL).
    pub token_url: String,
    /// The provider's user-info endpoint (absolute `http`/`https` URL).
    pub userinfo_url: String,
    /// This server's client id at the provider.
    pub client_id: String,
    /// This server's client secret at the provider (never logged).
    pub client_secret: String,
    /// Sent as `redirect_uri` in the token request when set; must be the
    /// one of the site's authorization request (RFC 6749 §4.1.3).
    pub redirect_uri: Option<String>,
    /// Client authentication at the token endpoint: `basic` (HTTP Basic,
    /// RFC 6749 §2.3.1) or `post` (`client_id`/`client_secret` in the body).
    pub client_auth: String,
    /// User-info field holding the visitor's id (string or integer).
    pub id_field: String,
    /// User-info field holding the display name (optional in the answer).
    pub name_field: String,
    /// User-info field holding the email address (optional in the answer).
    pub email_field: String,
    /// Timeout of each of the two calls, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        OAuthConfig {
            token_url: String::new(),
            userinfo_url: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            redirect_uri: None,
            client_auth: "basic".into(),
            id_field: "sub".into(),
            name_field: "name".into(),
            email_field: "email".into(),
            timeout_ms: 5000,
        }
    }
}

impl std::fmt::Debug for OAuthConfig {
    // Hand-written so that the client secret never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthConfig")
            .field("token_url", &self.token_url)
            .field("userinfo_url", &self.userinfo_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_uri", &self.redirect_uri)
            .field("client_auth", &self.client_auth)
            .field("id_field", &self.id_field)
            .field("name_field", &self.name_field)
            .field("email_field", &self.email_field)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Per-widget settings: security plus the config sent to the SDK.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WidgetSettings {
    /// Widget id.
    pub id: String,
    /// Allowed page origins (`https://shop.example`, `https://*.example.com`, `*`).
    pub allowed_origins: Vec<String>,
    /// ISO country codes refused.
    pub blocked_countries: Vec<String>,
    /// Visitor auth mode.
    pub auth_mode: AuthMode,
    /// Session lifetime in minutes.
    pub session_lifetime_minutes: u64,
    /// JWT settings (used when a token is given; required in `jwt` mode).
    pub jwt: Option<JwtConfig>,
    /// Third-party OAuth 2.0 settings (required in `oauth` mode).
    pub oauth: Option<OAuthConfig>,
    /// Config sent to the SDK (camelCase keys, see the protocol).
    pub config: WidgetConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8787".into(),
            db: "lcw.db".into(),
            static_dir: None,
            pkg_dir: None,
            trusted_ip_header: None,
            country_header: None,
            blocked_ips: vec![],
            rate_limits: RateLimits::default(),
            shutdown_grace_secs: 10,
            call_resume_secs: 15,
            socket_ping_secs: 30,
            socket_dead_secs: 75,
            visitor_gone_close_secs: 30 * 60,
            turn: None,
            agent_token_minutes: 12 * 60,
            agent_session_hours: 24,
            queues: vec![],
            agents: vec![],
            widgets: vec![],
            demo_idp: false,
        }
    }
}

impl ServerConfig {
    /// Parses a TOML config file body.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Fills in the demo setup where the config has none: one 24/7 queue,
    /// video-capable agent `demo`/`demo`, widget `demo` allowing the
    /// server's own origins.
    pub fn with_demo_defaults(mut self) -> Self {
        if self.queues.is_empty() {
            self.queues.push(QueueConfig { id: "default".into(), name: "Support".into(), timezone: "UTC".into(), hours: vec![] });
        }
        if self.agents.is_empty() {
            self.agents.push(AgentConfig {
                id: "demo".into(),
                username: "demo".into(),
                display_name: "Demo Agent".into(),
                password: Some("demo".into()),
                capacity: 5,
                video: true,
                ..Default::default()
            });
        }
        if self.widgets.is_empty() {
            self.widgets.push(demo_widget(&self.addr, &self.queues[0].id));
            self.widgets.push(demo_oauth_widget(&self.addr, &self.queues[0].id));
            self.demo_idp = true;
        }
        self
    }

    /// Applies defaults that depend on other fields, and clamps limits.
    pub fn normalize(&mut self) {
        for w in &mut self.widgets {
            if w.config.widget_id.is_empty() {
                w.config.widget_id = w.id.clone();
            }
            if w.config.queue_id.is_empty() {
                w.config.queue_id = self.queues.first().map(|q| q.id.clone()).unwrap_or_default();
            }
            if w.session_lifetime_minutes == 0 {
                w.session_lifetime_minutes = 24 * 60;
            }
            if w.config.max_message_chars == 0 {
                w.config.max_message_chars = 4000;
            }
            let max = lcw_sdk::core::protocol::MAX_ATTACHMENT_BYTES;
            if w.config.files.max_size_bytes == 0 || w.config.files.max_size_bytes > max {
                w.config.files.max_size_bytes = max;
            }
            if w.config.fallback_language.is_empty() {
                w.config.fallback_language = "en".into();
            }
            if w.config.video.camera_mode.is_empty() {
                w.config.video.camera_mode = "normal".into();
            }
            w.config.security.auth_mode = w.auth_mode;
            w.config.security.session_lifetime_minutes = w.session_lifetime_minutes;
        }
        for a in &mut self.agents {
            if a.capacity == 0 {
                a.capacity = 3;
            }
            if a.display_name.is_empty() {
                a.display_name = a.username.clone();
            }
            if a.id.is_empty() {
                a.id = a.username.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_and_password_hash_matches() {
        let mut cfg = ServerConfig::from_toml(include_str!("../lcw.example.toml")).expect("example parses");
        cfg.normalize();
        assert_eq!(cfg.queues[0].hours.len(), 2);
        assert_eq!(cfg.widgets[0].config.files.max_size_bytes, 10 * 1024 * 1024);
        assert_eq!(cfg.widgets[0].config.widget_id, "shop");
        assert!(crate::security::agents::password_ok(&cfg.agents[0], "change-me"));
        assert!(!crate::security::agents::password_ok(&cfg.agents[0], "nope"));
        assert!(cfg.agents[0].video);
        let video = &cfg.widgets[0].config.video;
        assert!(video.enabled && video.camera_mode == "normal" && video.ice_servers.len() == 2, "{video:?}");
        assert_eq!(video.ice_servers[1].username.as_deref(), Some("lcw"));
        assert!(ServerConfig::from_toml("unknown_key = 1").is_err());
        assert!(cfg.widgets[0].config.theme.title_alert, "a theme without titleAlert counts messages in the page's title");
        let quiet = "[[widgets]]\nid = \"q\"\n[widgets.config]\ntheme = { titleAlert = false }\n";
        assert!(!ServerConfig::from_toml(quiet).unwrap().widgets[0].config.theme.title_alert);
        assert!(cfg.widgets[0].config.theme.sound && ServerConfig::from_toml(quiet).unwrap().widgets[0].config.theme.sound);
        let silent = quiet.replace("titleAlert", "sound");
        assert!(!ServerConfig::from_toml(&silent).unwrap().widgets[0].config.theme.sound);
    }

    /// The example's commented-out `[widgets.oauth]` block, uncommented.
    fn example_oauth_block() -> String {
        let example = include_str!("../lcw.example.toml");
        let lines = example.lines().skip_while(|l| !l.starts_with("# [widgets.oauth]")).take_while(|l| l.starts_with('#'));
        lines.map(|l| l.trim_start_matches('#').trim_start()).collect::<Vec<_>>().join("\n")
    }

    async fn setup(toml: &str) -> Result<(), String> {
        let cfg = ServerConfig::from_toml(toml).map_err(|e| format!("parse: {e}"))?.with_demo_defaults();
        let store = std::sync::Arc::new(crate::store::sqlite::SqliteStore::open(":memory:").expect("store"));
        let (_tx, rx) = tokio::sync::watch::channel(false);
        crate::state::AppState::new(cfg, store, rx).await.map(|_| ()).map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn oauth_settings_are_checked_at_start_up() {
        let block = example_oauth_block();
        assert!(block.starts_with("[widgets.oauth]") && block.contains("client_auth = \"basic\""), "{block}");
        let widget = |mode: &str, oauth: &str| format!("[[widgets]]\nid = \"sso\"\nauth_mode = \"{mode}\"\n{oauth}\n");
        // The documented example is a working setup, and its keys are the defaults' names.
        setup(&widget("oauth", &block)).await.expect("example [widgets.oauth] works");
        let cfg = ServerConfig::from_toml(&widget("oauth", &block)).unwrap();
        let o = cfg.widgets[0].oauth.as_ref().unwrap();
        assert_eq!((o.client_auth.as_str(), o.id_field.as_str(), o.timeout_ms), ("basic", "sub", 5000));
        assert!(!format!("{o:?}").contains("change-me"), "Debug hides the client secret");
        let minimal = "[widgets.oauth]\ntoken_url = \"https://idp.example/token\"\nuserinfo_url = \"https://idp.example/me\"\nclient_id = \"c\"\nclient_secret = \"s\"";
        let o = ServerConfig::from_toml(&widget("oauth", minimal)).unwrap().widgets[0].oauth.clone().unwrap();
        assert_eq!((o.client_auth.as_str(), o.id_field.as_str(), o.name_field.as_str(), o.email_field.as_str(), o.timeout_ms, o.redirect_uri), ("basic", "sub", "name", "email", 5000, None));
        setup(&widget("oauth", minimal)).await.expect("minimal works");

        let err = setup(&widget("oauth", "")).await.unwrap_err();
        assert!(err.contains("widget sso") && err.contains("no [oauth]"), "{err}");
        let err = setup(&widget("oauth", &minimal.replace("https://idp.example/me", "idp.example/me"))).await.unwrap_err();
        assert!(err.contains("widget sso") && err.contains("userinfo_url"), "{err}");
        let err = setup(&widget("oauth", &minimal.replace("https://idp.example/token", "ftp://idp.example/token"))).await.unwrap_err();
        assert!(err.contains("token_url"), "{err}");
        let err = setup(&widget("oauth", &format!("{minimal}\nclient_auth = \"jwt\""))).await.unwrap_err();
        assert!(err.contains("widget sso") && err.contains("client_auth"), "{err}");
        // Checked even when the widget is not (yet) in oauth mode.
        assert!(setup(&widget("anonymous", &format!("{minimal}\nclient_auth = \"jwt\""))).await.is_err());
        assert!(ServerConfig::from_toml(&widget("oauth", &format!("{minimal}\nscope = \"openid\""))).is_err(), "unknown keys refused");
    }
}
