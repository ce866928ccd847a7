//! Third-party OAuth 2.0 authorization codes (`oauth` auth mode) against a
//! fake identity provider running in the test process: the token endpoint
//! checks the grant, the client authentication, the redirect URI, single
//! use and PKCE; the user-info endpoint checks the bearer token.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post as route_post};
use axum::{Json, Router};
use common::*;
use lcw_sdk::core::protocol::AuthMode;
use lcw_server::config::{OAuthConfig, ServerConfig, WidgetSettings};
use lcw_server::RunningServer;
use serde_json::{json, Value};

/// Client registered for HTTP Basic authentication.
const BASIC_CLIENT: &str = "chat-basic";
/// Its secret: characters that RFC 6749 §2.3.1 form-encodes before Basic.
const BASIC_SECRET: &str = "p@ss:w/rd+1 ";
/// `Basic base64("chat-basic:p%40ss%3Aw%2Frd%2B1+")`.
const BASIC_HEADER: &str = "Basic Y2hhdC1iYXNpYzpwJTQwc3MlM0F3JTJGcmQlMkIxKw==";
/// Client registered for `client_secret_post`.
const POST_CLIENT: &str = "chat-post";
const POST_SECRET: &str = "post-secret";
/// The redirect URI of the site's authorization requests.
const REDIRECT: &str = "https://shop.test/chat/callback";
/// A PKCE code verifier (43 characters, RFC 7636 §4.1).
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// An issued authorization code.
struct Grant {
    client: &'static str,
    user: Value,
    verifier: Option<String>,
    used: bool,
}

/// The fake provider's state.
#[derive(Default)]
struct Idp {
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, Value>,
    token_calls: usize,
}

type Shared = Arc<Mutex<Idp>>;

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    (StatusCode::from_u16(status).unwrap(), Json(json!({ "error": error, "error_description": description }))).into_response()
}

fn accepts_json(headers: &HeaderMap) -> bool {
    headers.get("accept").is_some_and(|v| v == "application/json")
}

/// `POST /token` (RFC 6749 §4.1.3 and §5).
async fn token(State(idp): State<Shared>, headers: HeaderMap, Form(f): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| f.get(k).map(String::as_str);
    if !accepts_json(&headers) {
        return oauth_error(400, "invalid_request", "send Accept: application/json");
    }
    if field("grant_type") != Some("authorization_code") {
        return oauth_error(400, "unsupported_grant_type", "");
    }
    let basic = headers.get("authorization").and_then(|v| v.to_str().ok());
    let client = match (basic, field("client_id"), field("client_secret")) {
        (Some(h), None, None) if h == BASIC_HEADER => BASIC_CLIENT,
        (None, Some(POST_CLIENT), Some(POST_SECRET)) => POST_CLIENT,
        _ => return oauth_error(401, "invalid_client", "client authentication failed"),
    };
    if field("redirect_uri") != Some(REDIRECT) {
        return oauth_error(400, "invalid_grant", "redirect_uri does not match the authorization request");
    }
    let mut idp = idp.lock().unwrap();
    idp.token_calls += 1;
    let Some(grant) = field("code").and_then(|c| idp.codes.get_mut(c)) else {
        return oauth_error(400, "invalid_grant", "unknown authorization code");
    };
    if grant.used {
        return oauth_error(400, "invalid_grant", "Code already used\u{7}\n by an earlier request");
    }
    grant.used = true;
    if grant.client != client {
        return oauth_error(400, "invalid_grant", "code issued to another client");
    }
    if field("code_verifier") != grant.verifier.as_deref() {
        return oauth_error(400, "invalid_grant", "PKCE verification failed");
    }
    let user = grant.user.clone();
    let access_token = format!("at-{}", idp.tokens.len() + 1);
    idp.tokens.insert(access_token.clone(), user);
    // Lower-case "bearer": the type is compared case-insensitively.
    Json(json!({ "access_token": access_token, "token_type": "bearer", "expires_in": 3600, "refresh_token": "rt-not-kept" })).into_response()
}

/// `GET /userinfo`
async fn userinfo(State(idp): State<Shared>, headers: HeaderMap) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match bearer.and_then(|t| idp.lock().unwrap().tokens.get(t).cloned()) {
        Some(user) if accepts_json(&headers) => Json(user).into_response(),
        Some(_) => StatusCode::NOT_ACCEPTABLE.into_response(),
        None => oauth_error(401, "invalid_token", "unknown access token"),
    }
}

/// Starts the fake provider; returns its base URL and state.
async fn provider() -> (String, Shared) {
    let idp = Shared::default();
    let app = Router::new()
        .route("/token", route_post(token))
        .route("/userinfo", get(userinfo))
        .route("/broken/token", route_post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "upstream exploded") }))
        .route(
            "/slow/token",
            route_post(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                Json(json!({ "access_token": "late", "token_type": "Bearer" }))
            }),
        )
        .with_state(idp.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}"), idp)
}

/// Issues a code to `client` for `user`, optionally bound to a PKCE verifier.
fn issue(idp: &Shared, client: &'static str, user: Value, verifier: Option<&str>) -> String {
    let mut idp = idp.lock().unwrap();
    let code = format!("code-{}", idp.codes.len() + 1);
    idp.codes.insert(code.clone(), Grant { client, user, verifier: verifier.map(String::from), used: false });
    code
}

fn token_calls(idp: &Shared) -> usize {
    idp.lock().unwrap().token_calls
}

/// A port nothing listens on.
async fn closed_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

fn oauth_widget(base: &WidgetSettings, id: &str, oauth: OAuthConfig) -> WidgetSettings {
    let mut w = base.clone();
    w.id = id.into();
    w.config.widget_id = id.into();
    w.auth_mode = AuthMode::Oauth;
    w.oauth = Some(oauth);
    w
}

/// The demo setup (anonymous widget `demo`) plus oauth widgets:
/// `sso` (Basic), `sso-post`, `sso-num` (integer id, other field names),
/// `sso-down` (port closed), `sso-broken` (500), `sso-slow` (300 ms
/// timeout), `sso-badsecret` (wrong client secret).
async fn setup() -> (RunningServer, Shared) {
    let (idp_url, idp) = provider().await;
    let mut cfg: ServerConfig = config(":memory:");
    let demo = cfg.widgets[0].clone();
    let basic = OAuthConfig {
        token_url: format!("{idp_url}/token"),
        userinfo_url: format!("{idp_url}/userinfo"),
        client_id: BASIC_CLIENT.into(),
        client_secret: BASIC_SECRET.into(),
        redirect_uri: Some(REDIRECT.into()),
        ..Default::default()
    };
    let down = format!("http://127.0.0.1:{}", closed_port().await);
    cfg.widgets.extend([
        oauth_widget(&demo, "sso", basic.clone()),
        oauth_widget(&demo, "sso-post", OAuthConfig { client_auth: "post".into(), client_id: POST_CLIENT.into(), client_secret: POST_SECRET.into(), ..basic.clone() }),
        oauth_widget(&demo, "sso-num", OAuthConfig { id_field: "user_id".into(), name_field: "display_name".into(), email_field: "mail".into(), ..basic.clone() }),
        oauth_widget(&demo, "sso-down", OAuthConfig { token_url: format!("{down}/token"), userinfo_url: format!("{down}/userinfo"), ..basic.clone() }),
        oauth_widget(&demo, "sso-broken", OAuthConfig { token_url: format!("{idp_url}/broken/token"), ..basic.clone() }),
        oauth_widget(&demo, "sso-slow", OAuthConfig { token_url: format!("{idp_url}/slow/token"), timeout_ms: 300, ..basic.clone() }),
        oauth_widget(&demo, "sso-badsecret", OAuthConfig { client_secret: "wrong".into(), ..basic }),
    ]);
    (start(cfg).await, idp)
}

async fn start_with(s: &RunningServer, body: Value) -> (u16, Value) {
    post(&format!("{}/v1/conversations", base(s)), body, None).await
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or("")
}

fn message(v: &Value) -> &str {
    v["message"].as_str().unwrap_or("")
}

/// Pre-chat answers of a conversation, as the agent console reads them.
async fn agent_pre_chat(s: &RunningServer, conv: &str) -> Value {
    let (st, login) = post(&format!("{}/v1/agent/login", base(s)), json!({ "username": "alice", "password": "pw-alice" }), None).await;
    assert_eq!(st, 200, "{login}");
    let r = http().get(format!("{}/v1/agent/conversations", base(s))).bearer_auth(login["token"].as_str().unwrap()).send().await.unwrap();
    let list: Value = r.json().await.unwrap();
    let c = list.as_array().unwrap().iter().find(|c| c["conversation"]["id"] == conv).expect("conversation listed for the agent");
    c["preChat"].clone()
}

#[tokio::test]
async fn code_starts_as_the_verified_user_and_a_second_code_resumes() {
    let (s, idp) = setup().await;
    let user = json!({ "sub": "user-42", "name": "  Vera Verified ", "email": "vera@shop.test", "locale": "fr" });
    let c1 = issue(&idp, BASIC_CLIENT, user.clone(), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c1, "preChat": { "name": "Mallory", "message": "Where is my order?" } })).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["conversation"]["customerId"], "user-42");
    assert_eq!(v["resumed"], false);
    let conv = v["conversation"]["id"].as_str().unwrap().to_string();
    let session = v["sessionToken"].as_str().unwrap().to_string();
    assert!(!session.is_empty(), "the session token is in the body, as in anonymous mode");
    let r = http().get(format!("{}/v1/conversations/{conv}/messages", base(&s))).bearer_auth(&session).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);

    // The verified name and email replace what the visitor typed; other answers stay.
    let pre_chat = agent_pre_chat(&s, &conv).await;
    assert_eq!(pre_chat, json!({ "name": "Vera Verified", "email": "vera@shop.test", "message": "Where is my order?" }));

    // Another code for the same user (with PKCE this time): the open conversation.
    let c2 = issue(&idp, BASIC_CLIENT, user, Some(VERIFIER));
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c2, "codeVerifier": VERIFIER })).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!((v["conversation"]["id"].as_str(), v["resumed"].as_bool()), (Some(conv.as_str()), Some(true)));
    assert_ne!(v["sessionToken"].as_str().unwrap(), session);

    // Another user gets another conversation.
    let c3 = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-7" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c3 })).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!((v["conversation"]["customerId"].as_str(), v["resumed"].as_bool()), (Some("user-7"), Some(false)));
    assert_ne!(v["conversation"]["id"].as_str(), Some(conv.as_str()));
    s.stop().await;
}

#[tokio::test]
async fn missing_unknown_used_and_misbound_codes_are_refused() {
    let (s, idp) = setup().await;
    for body in [json!({ "widgetId": "sso" }), json!({ "widgetId": "sso", "authorizationCode": "  " })] {
        let (st, v) = start_with(&s, body).await;
        assert_eq!((st, code(&v)), (401, "authorization_code_required"), "{v}");
    }
    assert_eq!(token_calls(&idp), 0);

    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": "never-issued" })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");
    assert!(message(&v).contains("invalid_grant") && message(&v).contains("unknown authorization code"), "{v}");

    // Single use: the second presentation is refused; the provider's text is cleaned.
    let c = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-1" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
    assert_eq!(st, 201, "{v}");
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");
    assert!(message(&v).contains("invalid_grant (Code already used by an earlier request)"), "{v}");

    // PKCE: a wrong or missing verifier is refused.
    let c = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-2" }), Some(VERIFIER));
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c, "codeVerifier": "x".repeat(43) })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");
    assert!(message(&v).contains("PKCE"), "{v}");
    let c = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-2" }), Some(VERIFIER));
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");

    // A code issued to another client.
    let c = issue(&idp, POST_CLIENT, json!({ "sub": "user-3" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");

    // A widget in another mode takes no code, and never calls a provider.
    let calls = token_calls(&idp);
    let c = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-4" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "demo", "authorizationCode": c })).await;
    assert_eq!((st, code(&v)), (401, "invalid_authorization_code"), "{v}");
    assert!(message(&v).contains("does not accept authorization codes"), "{v}");
    assert_eq!(token_calls(&idp), calls);

    // A request refused on its own merits does not use the code up.
    let context: serde_json::Map<String, Value> = (0..101).map(|i| (format!("k{i}"), json!({ "value": i }))).collect();
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c, "context": context })).await;
    assert_eq!((st, code(&v)), (400, "bad_request"), "{v}");
    let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
    assert_eq!(st, 201, "{v}");
    s.stop().await;
}

#[tokio::test]
async fn provider_failures_are_bad_gateway() {
    let (s, idp) = setup().await;
    let unavailable = |st: u16, v: &Value| {
        assert_eq!((st, code(v)), (502, "identity_provider_unavailable"), "{v}");
        assert!(!message(v).contains(BASIC_SECRET) && !message(v).contains("127.0.0.1"), "no secret or address in {v}");
    };
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-down", "authorizationCode": "c" })).await;
    unavailable(st, &v);
    assert!(message(&v).contains("connection failed"), "{v}");
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-broken", "authorizationCode": "c" })).await;
    unavailable(st, &v);
    assert!(message(&v).contains("HTTP 500"), "{v}");

    let t0 = Instant::now();
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-slow", "authorizationCode": "c" })).await;
    let took = t0.elapsed();
    unavailable(st, &v);
    assert!(message(&v).contains("timed out"), "{v}");
    assert!(took < Duration::from_secs(2), "answered after {took:?}");

    // User info without the id field, or with an unusable one.
    for user in [json!({ "name": "No Id" }), json!({ "sub": "" }), json!({ "sub": 1.5 }), json!({ "sub": null })] {
        let c = issue(&idp, BASIC_CLIENT, user, None);
        let (st, v) = start_with(&s, json!({ "widgetId": "sso", "authorizationCode": c })).await;
        unavailable(st, &v);
        assert!(message(&v).contains("\"sub\""), "{v}");
    }

    // The provider refuses this server's client credentials: not the code's fault.
    let c = issue(&idp, BASIC_CLIENT, json!({ "sub": "user-9" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-badsecret", "authorizationCode": c })).await;
    unavailable(st, &v);
    assert!(message(&v).contains("invalid_client"), "{v}");
    s.stop().await;
}

#[tokio::test]
async fn integer_ids_other_field_names_and_post_client_auth() {
    let (s, idp) = setup().await;
    let c = issue(&idp, BASIC_CLIENT, json!({ "user_id": 4242, "display_name": "Nina Num", "mail": "nina@shop.test", "sub": "ignored" }), None);
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-num", "authorizationCode": c })).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["conversation"]["customerId"], "4242");
    let conv = v["conversation"]["id"].as_str().unwrap().to_string();
    assert_eq!(agent_pre_chat(&s, &conv).await, json!({ "name": "Nina Num", "email": "nina@shop.test" }));

    // `post`: id and secret in the form body; the provider refuses Basic for this client.
    let c = issue(&idp, POST_CLIENT, json!({ "sub": "post-user", "name": "" }), Some(VERIFIER));
    let (st, v) = start_with(&s, json!({ "widgetId": "sso-post", "authorizationCode": c, "codeVerifier": VERIFIER, "preChat": { "name": "Typed" } })).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["conversation"]["customerId"], "post-user");
    let conv = v["conversation"]["id"].as_str().unwrap().to_string();
    // An empty verified name does not replace the typed one.
    assert_eq!(agent_pre_chat(&s, &conv).await, json!({ "name": "Typed" }));
    s.stop().await;
}
