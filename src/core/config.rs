//! Page configuration: script-tag `data-*` attributes or the options object
//! given to `createSdk`, both seen as `(name, string value)` pairs.
//!
//! A bad value never stops the SDK: it is reported (code 10,
//! [`ErrorCode::InvalidConfig`](super::errors::ErrorCode)) and the default is
//! used. Unknown names are reported too, because they are usually typos.

use crate::core::errors::quoted;
use super::errors::{ErrorCode, RuntimeError};
use super::visits::{VisitConfig, VisitMode, MAX_LIFETIME_DAYS};

/// Whether the SDK may write cookies and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentMode {
    /// Storage is used from the start (the default).
    Granted,
    /// Nothing is written until the page calls `setConsent(true)`; counts
    /// live in memory for the page until then.
    Required,
}

/// When the chat's code (the chunk with the conversation and the widget's
/// open window) is fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefetch {
    /// When the visitor shows intent to chat: an invite shown, the pointer
    /// or focus on the launcher, a chat started (the default).
    Intent,
    /// Also once the page is idle after `lcw:ready`, for every visitor: the
    /// first open or chat never waits for it, at the cost of its download
    /// on visits that never chat.
    Idle,
}

/// The SDK configuration after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Name of the global command function the loader installs (`lcw`).
    pub global: String,
    /// Dotted global path where the SDK object is exposed, if any.
    pub expose_as: Option<String>,
    /// Dotted global path of a context provider function.
    pub context_provider: Option<String>,
    /// Dotted global path of an auth token provider function.
    pub auth_token_provider: Option<String>,
    /// Visit counter settings.
    pub visits: VisitConfig,
    /// Consent mode.
    pub consent: ConsentMode,
    /// How long a provider may take before it counts as failed.
    pub provider_timeout_ms: u32,
    /// Clock-skew leeway for JWT `exp`/`nbf`.
    pub jwt_leeway_secs: u32,
    /// Base URL of the chat server, if any (`""` = this page's origin).
    pub server_url: Option<String>,
    /// Widget id on the chat server.
    pub widget_id: String,
    /// Whether the SDK shows its own widget (`ui: "default"`), or the page
    /// draws its own from the events (`ui: "none"`).
    pub default_ui: bool,
    /// When the chat's code is fetched.
    pub prefetch: Prefetch,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            global: "lcw".into(),
            expose_as: None,
            context_provider: None,
            auth_token_provider: None,
            visits: VisitConfig::default(),
            consent: ConsentMode::Granted,
            provider_timeout_ms: 10_000,
            jwt_leeway_secs: 60,
            server_url: None,
            widget_id: "default".into(),
            default_ui: true,
            prefetch: Prefetch::Intent,
        }
    }
}

/// True for a JS identifier made of ASCII letters, digits, `_` and `$`.
pub fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        && s.len() <= 64
}

/// True for `A.B.C`: identifiers joined by dots, none of them reserved.
pub fn is_global_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').count() <= 8
        && s.split('.').all(|seg| is_identifier(seg) && !super::context::RESERVED_KEYS.contains(&seg))
}

fn bad(name: &str, value: &str, why: &str) -> RuntimeError {
    RuntimeError::new(ErrorCode::InvalidConfig, format!("config {name}={value_q}: {why}; using the default", value_q = quoted(value)))
}

fn number(name: &str, value: &str, min: u32, max: u32, errors: &mut Vec<RuntimeError>) -> Option<u32> {
    match value.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.push(bad(name, value, &format!("expected a whole number from {min} to {max}")));
            None
        }
    }
}

fn path(name: &str, value: &str, errors: &mut Vec<RuntimeError>) -> Option<String> {
    if is_global_path(value) {
        Some(value.to_string())
    } else {
        errors.push(bad(name, value, "expected a global name like A.B.c"));
        None
    }
}

/// Parses configuration pairs. Names may be camelCase (`visitPrefix`, as in
/// `dataset`) or kebab-case (`visit-prefix`).
pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Config, Vec<RuntimeError>) {
    let mut c = Config::default();
    let mut errors = Vec::new();
    for (raw_name, value) in pairs {
        let name: String = raw_name.split('-').enumerate().map(|(i, part)| {
            if i == 0 { part.to_string() } else {
                let mut ch = part.chars();
                ch.next().map(|f| f.to_ascii_uppercase().to_string() + ch.as_str()).unwrap_or_default()
            }
        }).collect();
        let e = &mut errors;
        match name.as_str() {
            "global" => match is_identifier(value) {
                true => c.global = value.into(),
                false => e.push(bad(&name, value, "expected a JS identifier")),
            },
            "exposeAs" => c.expose_as = path(&name, value, e),
            "contextProvider" => c.context_provider = path(&name, value, e),
            "authTokenProvider" => c.auth_token_provider = path(&name, value, e),
            "visitPrefix" => match super::cookie::is_valid_name(&format!("{value}_sv")) && value.len() <= 32 {
                true => c.visits.prefix = value.into(),
                false => e.push(bad(&name, value, "expected letters, digits, _ or - (at most 32)")),
            },
            "visitLifetimeDays" => {
                if let Some(n) = number(&name, value, 1, MAX_LIFETIME_DAYS, e) {
                    c.visits.lifetime_days = n;
                }
            }
            "visitMode" => match value {
                "pageLoad" => c.visits.mode = VisitMode::EveryLoad,
                "inactivity" => {
                    if c.visits.mode == VisitMode::EveryLoad {
                        c.visits.mode = VisitMode::Inactivity { minutes: 30 };
                    }
                }
                _ => e.push(bad(&name, value, "expected pageLoad or inactivity")),
            },
            "visitInactivityMinutes" => {
                if let Some(minutes) = number(&name, value, 1, 7 * 24 * 60, e) {
                    c.visits.mode = VisitMode::Inactivity { minutes };
                }
            }
            "consent" => match value {
                "granted" => c.consent = ConsentMode::Granted,
                "required" => c.consent = ConsentMode::Required,
                _ => e.push(bad(&name, value, "expected granted or required")),
            },
            "providerTimeoutMs" => {
                if let Some(n) = number(&name, value, 10, 120_000, e) {
                    c.provider_timeout_ms = n;
                }
            }
            "jwtLeewaySecs" => {
                if let Some(n) = number(&name, value, 0, 600, e) {
                    c.jwt_leeway_secs = n;
                }
            }
            "server" => match value.starts_with("https://") || value.starts_with("http://") || value.starts_with('/') {
                true => c.server_url = Some(value.trim_end_matches('/').to_string()),
                false => e.push(bad(&name, value, "expected an http(s) URL or a path")),
            },
            "widget" => match !value.is_empty() && value.len() <= 64 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                true => c.widget_id = value.into(),
                false => e.push(bad(&name, value, "expected letters, digits, - or _ (at most 64)")),
            },
            "ui" => match value {
                "default" => c.default_ui = true,
                "none" => c.default_ui = false,
                _ => e.push(bad(&name, value, "expected default or none")),
            },
            "prefetch" => match value {
                "intent" => c.prefetch = Prefetch::Intent,
                "idle" => c.prefetch = Prefetch::Idle,
                _ => e.push(bad(&name, value, "expected intent or idle")),
            },
            // Read by the loader, not the SDK.
            "wasm" => {}
            _ => e.push(RuntimeError::new(ErrorCode::InvalidConfig, format!("unknown config {raw_name_q}; ignored", raw_name_q = quoted(raw_name)))),
        }
    }
    (c, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dataset_and_kebab_names() {
        let (c, errs) = parse([
            ("visitPrefix", "acme"), ("visit-lifetime-days", "30"), ("visitInactivityMinutes", "45"),
            ("consent", "required"), ("exposeAs", "Microsoft.Omnichannel.LiveChatWidget.SDK"),
            ("authTokenProvider", "auth.getToken"), ("server", "http://127.0.0.1:8787/"), ("prefetch", "idle"),
        ]);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(c.visits.prefix, "acme");
        assert_eq!(c.visits.lifetime_days, 30);
        assert_eq!(c.visits.mode, VisitMode::Inactivity { minutes: 45 });
        assert_eq!(c.consent, ConsentMode::Required);
        assert_eq!(c.server_url.as_deref(), Some("http://127.0.0.1:8787"));
        assert_eq!(c.prefetch, Prefetch::Idle);
    }

    #[test]
    fn bad_values_are_reported_and_defaulted() {
        let (c, errs) = parse([
            ("visitPrefix", "a;b"), ("visitLifetimeDays", "-1"), ("providerTimeoutMs", "1e3"),
            ("exposeAs", "a..b"), ("contextProvider", "__proto__.x"), ("global", "1x"), ("prefetch", "eager"), ("colour", "red"),
        ]);
        assert_eq!(errs.len(), 8);
        assert!(errs[6].description.contains("prefetch=\"eager\": expected intent or idle"), "{}", errs[6].description);
        assert!(errs.iter().all(|e| e.code == ErrorCode::InvalidConfig));
        assert!(errs[7].description.contains("unknown config \"colour\""));
        assert_eq!(c, Config::default());
    }
}
