//! Third-party OAuth 2.0 authorization code exchange (`oauth` auth mode).
//!
//! The site's page gets an authorization code from the site's own OAuth
//! server and hands it to the SDK, which sends it in the start request. The
//! server then makes two calls, each bounded by `timeout_ms`:
//!
//! 1. `POST token_url` (RFC 6749 §4.1.3): `grant_type=authorization_code`,
//!    `code`, `redirect_uri` when configured, `code_verifier` (RFC 7636) when
//!    the request had one, and the client authentication (`basic` or
//!    `post`). Redirects are not followed.
//! 2. `GET userinfo_url` with `Authorization: Bearer <access_token>`; the
//!    answer's `id_field` becomes the visitor's id.
//!
//! The access token is used for that one call and dropped; a refresh token,
//! if the provider sends one, is not kept. The code, the verifier, the
//! tokens and the client secret are never logged.

use std::fmt::Display;
use std::time::Duration;

use lcw_sdk::core::protocol::ErrorCode;
use reqwest::{header, redirect, StatusCode, Url};
use serde_json::{Map, Value};

use crate::config::OAuthConfig;
use crate::error::ApiError;

/// Largest provider answer read (token or user info), in bytes.
const MAX_BODY: usize = 64 * 1024;
/// Longest id, name or email taken from the user info, in characters.
const MAX_FIELD_CHARS: usize = 256;
/// Longest provider `error_description` quoted back, in characters.
const MAX_DESCRIPTION_CHARS: usize = 200;

/// Token-endpoint errors that blame this server's client registration, not
/// the visitor's code (RFC 6749 §5.2): answered as a provider failure.
const CLIENT_SETUP_ERRORS: [&str; 3] = ["invalid_client", "unauthorized_client", "unsupported_grant_type"];

/// The visitor's identity, as the provider's user info gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Stable user id (`id_field`); becomes the conversation's customer id.
    pub id: String,
    /// Display name (`name_field`), trimmed; `None` when absent or empty.
    pub name: Option<String>,
    /// Email address (`email_field`), trimmed; `None` when absent or empty.
    pub email: Option<String>,
}

/// Why a setup or an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// Server-side configuration problem (found at start-up).
    #[error("oauth misconfigured: {0}")]
    Config(String),
    /// The provider refused the authorization code (`invalid_authorization_code`).
    #[error("the identity provider refused the authorization code: {0}")]
    Rejected(String),
    /// The provider could not be reached or answered badly (`identity_provider_unavailable`).
    #[error("identity provider unavailable: {0}")]
    Unavailable(String),
}

impl From<OAuthError> for ApiError {
    fn from(e: OAuthError) -> Self {
        let code = match e {
            OAuthError::Rejected(_) => ErrorCode::InvalidAuthorizationCode,
            OAuthError::Unavailable(_) => ErrorCode::IdentityProviderUnavailable,
            OAuthError::Config(_) => ErrorCode::Internal,
        };
        ApiError::new(code, e.to_string())
    }
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientAuth {
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
}

/// One widget's prepared OAuth client (built once at start-up).
pub struct OAuthClient {
    widget: String,
    http: reqwest::Client,
    token_url: Url,
    userinfo_url: Url,
    client_id: String,
    client_secret: String,
    redirect_uri: Option<String>,
    client_auth: ClientAuth,
    id_field: String,
    name_field: String,
    email_field: String,
}

impl OAuthClient {
    /// Checks `cfg` and builds the HTTP client for widget `widget`.
    pub fn new(widget: &str, cfg: &OAuthConfig) -> Result<Self, OAuthError> {
        let token_url = http_url("token_url", &cfg.token_url)?;
        let userinfo_url = http_url("userinfo_url", &cfg.userinfo_url)?;
        if let Some(r) = &cfg.redirect_uri {
            Url::parse(r).map_err(|e| OAuthError::Config(format!("redirect_uri {r:?} is not an absolute URL: {e}")))?;
        }
        let client_auth = match cfg.client_auth.as_str() {
            "basic" => ClientAuth::Basic,
            "post" => ClientAuth::Post,
            other => return Err(OAuthError::Config(format!("unknown client_auth {other:?}; use \"basic\" or \"post\""))),
        };
        for (key, value) in [("client_id", &cfg.client_id), ("client_secret", &cfg.client_secret), ("id_field", &cfg.id_field), ("name_field", &cfg.name_field), ("email_field", &cfg.email_field)] {
            if value.trim().is_empty() {
                return Err(OAuthError::Config(format!("`{key}` must not be empty")));
            }
        }
        if cfg.timeout_ms == 0 {
            return Err(OAuthError::Config("`timeout_ms` must be above 0".into()));
        }
        for u in [&token_url, &userinfo_url] {
            if u.scheme() == "http" && !is_loopback(u) {
                tracing::warn!(widget, "oauth endpoint {} is plain http: codes and tokens travel unencrypted", u.origin().ascii_serialization());
            }
        }
        let timeout = Duration::from_millis(cfg.timeout_ms);
        let http = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("lcw-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OAuthError::Config(format!("HTTP client: {e}")))?;
        Ok(OAuthClient {
            widget: widget.to_string(),
            http,
            token_url,
            userinfo_url,
            client_id: cfg.client_id.clone(),
            client_secret: cfg.client_secret.clone(),
            redirect_uri: cfg.redirect_uri.clone(),
            client_auth,
            id_field: cfg.id_field.clone(),
            name_field: cfg.name_field.clone(),
            email_field: cfg.email_field.clone(),
        })
    }

    /// Exchanges an authorization code (and its PKCE verifier, if any) for
    /// the visitor's identity: token call, then user-info call.
    pub async fn exchange(&self, code: &str, code_verifier: Option<&str>) -> Result<Identity, OAuthError> {
        let access_token = self.access_token(code, code_verifier).await?;
        self.user_info(&access_token).await
    }

    async fn access_token(&self, code: &str, code_verifier: Option<&str>) -> Result<String, OAuthError> {
        const CALL: &str = "token";
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "authorization_code"), ("code", code)];
        if let Some(r) = &self.redirect_uri {
            form.push(("redirect_uri", r));
        }
        if let Some(v) = code_verifier {
            form.push(("code_verifier", v));
        }
        let mut req = self.http.post(self.token_url.clone()).header(header::ACCEPT, "application/json");
        match self.client_auth {
            ClientAuth::Basic => req = req.basic_auth(form_encode(&self.client_id), Some(form_encode(&self.client_secret))),
            ClientAuth::Post => form.extend([("client_id", self.client_id.as_str()), ("client_secret", self.client_secret.as_str())]),
        }
        let resp = req.form(&form).send().await.map_err(|e| self.transport(CALL, e))?;
        let status = resp.status();
        let body = self.read(CALL, resp).await?;
        if status.is_client_error() {
            return Err(self.refused(status, &body));
        }
        if !status.is_success() {
            return Err(self.fail(CALL, format!("answered HTTP {}", status.as_u16())));
        }
        let answer = json_object(&body).ok_or_else(|| self.fail(CALL, "answer is not a JSON object"))?;
        let token = answer.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty());
        let token = token.ok_or_else(|| self.fail(CALL, "answer has no access_token"))?;
        match answer.get("token_type") {
            None => {}
            Some(Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
            Some(other) => return Err(self.fail(CALL, format!("unsupported token_type {}", clean(&other.to_string(), 40)))),
        }
        Ok(token.to_string())
    }

    async fn user_info(&self, access_token: &str) -> Result<Identity, OAuthError> {
        const CALL: &str = "user info";
        let req = self.http.get(self.userinfo_url.clone()).bearer_auth(access_token).header(header::ACCEPT, "application/json");
        let resp = req.send().await.map_err(|e| self.transport(CALL, e))?;
        let status = resp.status();
        let body = self.read(CALL, resp).await?;
        if !status.is_success() {
            return Err(self.fail(CALL, format!("answered HTTP {}", status.as_u16())));
        }
        let info = json_object(&body).ok_or_else(|| self.fail(CALL, "answer is not a JSON object"))?;
        let id = match info.get(&self.id_field) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            _ => return Err(self.fail(CALL, format!("answer has no usable {:?} (a non-empty string or an integer)", self.id_field))),
        };
        if id.chars().count() > MAX_FIELD_CHARS {
            return Err(self.fail(CALL, format!("{:?} is longer than {MAX_FIELD_CHARS} characters", self.id_field)));
        }
        let text = |field: &str| info.get(field).and_then(Value::as_str).map(|s| clean(s, MAX_FIELD_CHARS)).filter(|s| !s.is_empty());
        Ok(Identity { id, name: text(&self.name_field), email: text(&self.email_field) })
    }

    /// Reads an answer body, at most [`MAX_BODY`] bytes.
    async fn read(&self, call: &'static str, mut resp: reqwest::Response) -> Result<Vec<u8>, OAuthError> {
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport(call, e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(self.fail(call, format!("answer larger than {MAX_BODY} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// A 4xx token answer: the code is refused, unless the provider blames
    /// this server's client registration (then it is a provider failure).
    fn refused(&self, status: StatusCode, body: &[u8]) -> OAuthError {
        let answer = json_object(body);
        let field = |k: &str, max: usize| answer.as_ref().and_then(|m| m.get(k)).and_then(Value::as_str).map(|s| clean(s, max)).filter(|s| !s.is_empty());
        let error = field("error", 64);
        let reason = match (&error, field("error_description", MAX_DESCRIPTION_CHARS)) {
            (Some(e), Some(d)) => format!("{e} ({d})"),
            (Some(e), None) => e.clone(),
            (None, _) => format!("HTTP {}", status.as_u16()),
        };
        if error.as_deref().is_some_and(|e| CLIENT_SETUP_ERRORS.contains(&e)) {
            return self.fail("token", format!("answered HTTP {}: {reason}; check this widget's client_id, client_secret and client_auth", status.as_u16()));
        }
        tracing::info!(widget = %self.widget, status = status.as_u16(), "identity provider refused an authorization code: {reason}");
        OAuthError::Rejected(reason)
    }

    /// A provider failure: logged, then answered as `identity_provider_unavailable`.
    fn fail(&self, call: &'static str, what: impl Display) -> OAuthError {
        tracing::warn!(widget = %self.widget, call, "identity provider failure: {what}");
        OAuthError::Unavailable(format!("{call} endpoint: {what}"))
    }

    /// A transport failure (connect, timeout, body): logged with its cause,
    /// answered with its kind only.
    fn transport(&self, call: &'static str, e: reqwest::Error) -> OAuthError {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_body() || e.is_decode() {
            "reading the answer failed"
        } else {
            "request failed"
        };
        let mut cause = String::new();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            cause = format!("{cause}: {s}");
            source = s.source();
        }
        tracing::warn!(widget = %self.widget, call, "identity provider failure: {kind}{cause}");
        OAuthError::Unavailable(format!("{call} endpoint: {kind}"))
    }
}

/// Parses an absolute `http`/`https` URL.
fn http_url(key: &str, value: &str) -> Result<Url, OAuthError> {
    let bad = |why: String| OAuthError::Config(format!("{key} {value:?} {why}"));
    let url = Url::parse(value).map_err(|e| bad(format!("is not an absolute URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("must be an http or https URL with a host".into()));
    }
    Ok(url)
}

fn is_loopback(u: &Url) -> bool {
    u.host_str().is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

/// `application/x-www-form-urlencoded` encoding of one value (RFC 6749
/// §2.3.1 encodes the Basic user and password this way).
fn form_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Provider text made safe to quote: control characters removed, trimmed,
/// at most `max` characters (then `…`).
fn clean(s: &str, max: usize) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    let s = s.trim();
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max).collect::<String>().trim_end())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> OAuthConfig {
        OAuthConfig {
            token_url: "https://idp.example/token".into(),
            userinfo_url: "https://idp.example/userinfo".into(),
            client_id: "chat".into(),
            client_secret: "s".into(),
            ..Default::default()
        }
    }

    #[test]
    fn setup_checks() {
        assert!(OAuthClient::new("w", &cfg()).is_ok());
        for bad in ["", "/token", "ftp://idp.example/token", "idp.example/token", "https://"] {
            let c = OAuthConfig { token_url: bad.into(), ..cfg() };
            assert!(matches!(OAuthClient::new("w", &c), Err(OAuthError::Config(_))), "{bad:?}");
        }
        let c = OAuthConfig { client_auth: "Basic ".into(), ..cfg() };
        assert!(OAuthClient::new("w", &c).is_err());
        assert!(OAuthClient::new("w", &OAuthConfig { client_auth: "post".into(), ..cfg() }).is_ok());
        assert!(OAuthClient::new("w", &OAuthConfig { client_secret: String::new(), ..cfg() }).is_err());
        assert!(OAuthClient::new("w", &OAuthConfig { timeout_ms: 0, ..cfg() }).is_err());
        assert!(OAuthClient::new("w", &OAuthConfig { redirect_uri: Some("not a url".into()), ..cfg() }).is_err());
    }

    #[test]
    fn provider_text_is_cleaned() {
        assert_eq!(clean(" bad\u{7}\ncode\t ", 200), "badcode");
        assert_eq!(clean(&"x".repeat(300), 200).chars().count(), 201);
        assert_eq!(form_encode("a b:&/+é"), "a+b%3A%26%2F%2B%C3%A9");
    }
}
