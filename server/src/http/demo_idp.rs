//! A toy OAuth 2.0 identity provider, mounted at `/demo-idp/` only when the
//! server runs the demo setup (no config file), so that the demo page
//! `oauth.html` can show the `oauth` auth mode (CXone's
//! `setAuthorizationCode`) end to end: the page sends the visitor here, the
//! visitor picks one of two demo users, the page gets a code and hands it
//! to the SDK, and the chat server exchanges it at `/demo-idp/token` and
//! reads `/demo-idp/userinfo` as it would at a site's own provider
//! (src/security/oauth.rs). Codes are single use for a minute, PKCE (`S256`
//! or `plain`) is checked when the page used it, the client authenticates
//! with HTTP Basic. Never for real use: anyone may sign in as either user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The demo widget's client id at this provider.
pub const CLIENT_ID: &str = "lcw-demo";
/// The demo widget's client secret at this provider.
pub const CLIENT_SECRET: &str = "lcw-demo-secret";
/// The demo users: id, name, email.
pub const USERS: [(&str, &str, &str); 2] = [("u-ada", "Ada Lovelace", "ada@example.com"), ("u-grace", "Grace Hopper", "grace@example.com")];
const CODE_LIFETIME: Duration = Duration::from_secs(60);
/// Codes or tokens kept at most (a flood cannot grow memory without end).
const MAX_KEPT: usize = 1000;

struct Grant {
    user: usize,
    redirect_uri: String,
    challenge: Option<(String, String)>,
    expires: Instant,
}

#[derive(Default)]
struct Idp {
    codes: Mutex<HashMap<String, Grant>>,
    tokens: Mutex<HashMap<String, usize>>,
}

/// The provider's routes, to nest at `/demo-idp`.
pub fn routes() -> Router {
    Router::new()
        .route("/authorize", get(authorize_page).post(authorize))
        .route("/token", post(token))
        .route("/userinfo", get(userinfo))
        .with_state(Arc::new(Idp::default()))
}

fn random() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Text for an HTML attribute or element.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn refuse(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

#[derive(Deserialize)]
struct AuthRequest {
    client_id: String,
    redirect_uri: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    /// `POST` only: the index of the chosen user.
    user: Option<usize>,
}

/// The redirect URI must be a page of an `http(s)` origin on this machine
/// (the demo's own pages).
fn local_page(uri: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:", "https://127.0.0.1:", "https://localhost:"].iter().any(|p| uri.starts_with(p))
}

#[allow(clippy::result_large_err)] // the refusal is the response, built once
fn check(r: &AuthRequest) -> Result<(), Response> {
    if r.client_id != CLIENT_ID {
        return Err(refuse(StatusCode::BAD_REQUEST, "unauthorized_client"));
    }
    if !local_page(&r.redirect_uri) {
        return Err(refuse(StatusCode::BAD_REQUEST, "invalid_request: redirect_uri must be a page of this machine"));
    }
    if !matches!(r.code_challenge_method.as_str(), "" | "S256" | "plain") {
        return Err(refuse(StatusCode::BAD_REQUEST, "invalid_request: code_challenge_method"));
    }
    Ok(())
}

/// `GET /authorize`: a sign-in page with a button per demo user.
async fn authorize_page(Query(r): Query<AuthRequest>) -> Response {
    if let Err(e) = check(&r) {
        return e;
    }
    let hidden: String = [("client_id", &r.client_id), ("redirect_uri", &r.redirect_uri), ("state", &r.state), ("code_challenge", &r.code_challenge), ("code_challenge_method", &r.code_challenge_method)]
        .iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v)))
        .collect();
    let buttons: String = USERS.iter().enumerate().map(|(i, (_, name, email))| format!("<button name=\"user\" value=\"{i}\">{} <small>{}</small></button>", esc(name), esc(email))).collect();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Demo identity provider</title>\
         <style>body{{font:16px system-ui;max-width:30em;margin:3em auto}}button{{display:block;margin:.5em 0;padding:.6em 1em;font:inherit}}</style></head>\
         <body><h1>Demo identity provider</h1><p>Sign in to the demo shop as:</p><form method=\"post\">{hidden}{buttons}</form>\
         <p><small>A toy provider of the reference server's demo: no passwords.</small></p></body></html>"
    ))
    .into_response()
}

/// `POST /authorize`: the chosen user gets a code, back to the page.
async fn authorize(State(idp): State<Arc<Idp>>, Form(r): Form<AuthRequest>) -> Response {
    if let Err(e) = check(&r) {
        return e;
    }
    let Some(user) = r.user.filter(|u| *u < USERS.len()) else { return refuse(StatusCode::BAD_REQUEST, "invalid_request: user") };
    let code = random();
    let challenge = (!r.code_challenge.is_empty()).then(|| (r.code_challenge.clone(), if r.code_challenge_method.is_empty() { "plain".into() } else { r.code_challenge_method.clone() }));
    {
        let mut codes = idp.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes.retain(|_, g| g.expires > Instant::now());
        if codes.len() >= MAX_KEPT {
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable");
        }
        codes.insert(code.clone(), Grant { user, redirect_uri: r.redirect_uri.clone(), challenge, expires: Instant::now() + CODE_LIFETIME });
    }
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("code", &code).append_pair("state", &r.state).finish();
    let sep = if r.redirect_uri.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{}{sep}{query}", r.redirect_uri)).into_response()
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    #[serde(default)]
    code: String,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
}

/// Whether the request carries this provider's client in HTTP Basic.
fn client_ok(headers: &HeaderMap) -> bool {
    let Some(b64) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic ")) else { return false };
    let Ok(raw) = STANDARD.decode(b64.trim()) else { return false };
    raw == format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes()
}

/// `POST /token`: a code (once) for an access token.
async fn token(State(idp): State<Arc<Idp>>, headers: HeaderMap, Form(t): Form<TokenRequest>) -> Response {
    if !client_ok(&headers) {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if t.grant_type != "authorization_code" {
        return refuse(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let Some(grant) = idp.codes.lock().unwrap_or_else(|p| p.into_inner()).remove(&t.code) else { return refuse(StatusCode::BAD_REQUEST, "invalid_grant") };
    let redirect_ok = t.redirect_uri.as_ref().is_none_or(|u| *u == grant.redirect_uri);
    let pkce_ok = match (&grant.challenge, &t.code_verifier) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some((c, m)), Some(v)) if m == "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())) == *c,
        (Some((c, _)), Some(v)) => v == c,
    };
    if grant.expires <= Instant::now() || !redirect_ok || !pkce_ok {
        return refuse(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let access = random();
    {
        let mut tokens = idp.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if tokens.len() >= MAX_KEPT {
            tokens.clear(); // a toy: old tokens are not needed after their exchange
        }
        tokens.insert(access.clone(), grant.user);
    }
    Json(json!({ "access_token": access, "token_type": "Bearer", "expires_in": 300 })).into_response()
}

/// `GET /userinfo`: the signed-in user of a bearer token.
async fn userinfo(State(idp): State<Arc<Idp>>, headers: HeaderMap) -> Response {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let user = bearer.and_then(|b| idp.tokens.lock().unwrap_or_else(|p| p.into_inner()).get(b.trim()).copied());
    match user {
        Some(i) => {
            let (sub, name, email) = USERS[i];
            Json(json!({ "sub": sub, "name": name, "email": email })).into_response()
        }
        None => refuse(StatusCode::UNAUTHORIZED, "invalid_token"),
    }
}
