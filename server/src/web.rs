//! Static serving: the demo site at `/`, the wasm package at `/pkg/`, and
//! the embedded agent console at `/agent/`.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

use crate::state::App;

const CONSOLE_HTML: &str = include_str!("../console/index.html");
const CONSOLE_JS: &str = include_str!("../console/console.js");
const OFFLINE_JS: &str = include_str!("../console/offline.js");
const FILES_JS: &str = include_str!("../console/files.js");
const VIDEO_JS: &str = include_str!("../console/video.js");
const CONSOLE_CSS: &str = include_str!("../console/console.css");
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// MIME type by extension for the types browsers are strict about.
pub fn strict_mime(path: &str) -> Option<&'static str> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// Longest file name (a path segment) and path the static directories can
/// hold on Linux (`NAME_MAX`, `PATH_MAX`).
const NAME_MAX: usize = 255;
const PATH_MAX: usize = 4096;

/// Whether `path` cannot name a file: `ServeDir` answers such a request
/// with a 500 and logs an ERROR ("File name too long"), so that any
/// client could fill the log by asking for `/aaaa…`.
pub fn too_long_for_a_file(path: &str) -> bool {
    path.len() > PATH_MAX || path.split('/').any(|s| s.len() > NAME_MAX)
}

async fn fix_mime(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if too_long_for_a_file(&path) {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let mut resp = next.run(req).await;
    if resp.status().is_success() {
        if let Some(m) = strict_mime(&path) {
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(m));
        }
    }
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp
}

fn console_asset(body: &'static str, mime: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONSOLE_CSP));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Routes for the console and the optional static directories.
pub fn routes(static_dir: Option<&Path>, pkg_dir: Option<&Path>) -> Router<App> {
    let mut r = Router::new()
        .route("/agent", get(|| async { Redirect::permanent("/agent/") }))
        .route("/agent/", get(|| async { console_asset(CONSOLE_HTML, "text/html; charset=utf-8") }))
        .route("/agent/console.js", get(|| async { console_asset(CONSOLE_JS, "text/javascript; charset=utf-8") }))
        .route("/agent/offline.js", get(|| async { console_asset(OFFLINE_JS, "text/javascript; charset=utf-8") }))
        .route("/agent/files.js", get(|| async { console_asset(FILES_JS, "text/javascript; charset=utf-8") }))
        .route("/agent/video.js", get(|| async { console_asset(VIDEO_JS, "text/javascript; charset=utf-8") }))
        .route("/agent/console.css", get(|| async { console_asset(CONSOLE_CSS, "text/css; charset=utf-8") }));
    if let Some(p) = pkg_dir {
        r = r.nest_service("/pkg", ServeDir::new(p));
    }
    if let Some(s) = static_dir {
        r = r.fallback_service(ServeDir::new(s).append_index_html_on_directories(true));
    }
    r.layer(axum::middleware::from_fn(fix_mime))
}
