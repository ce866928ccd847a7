//! Router assembly and the server lifecycle (start, graceful stop).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method};
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::config::ServerConfig;
use crate::security::origin_matches;
use crate::state::{App, AppState, SetupError};
use crate::store::sqlite::SqliteStore;
use crate::store::Store;

/// Builds the whole HTTP router.
pub fn router(app: App) -> Router {
    let patterns: Vec<String> = app.cfg.widgets.iter().flat_map(|w| w.allowed_origins.clone()).collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| patterns.iter().any(|p| origin_matches(p, o)))
        }))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let api = crate::http::api_routes()
        .layer(axum::middleware::from_fn_with_state(app.clone(), crate::http::ip_guard))
        .layer(cors);
    let mut router = Router::new().route("/healthz", get(healthz));
    if app.cfg.demo_idp {
        router = router.nest_service("/demo-idp", crate::http::demo_idp::routes());
    }
    router
        .merge(api)
        .merge(crate::web::routes(app.cfg.static_dir.as_deref(), app.cfg.pkg_dir.as_deref()))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

async fn healthz(axum::extract::State(app): axum::extract::State<App>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": if app.shutting_down() { "stopping" } else { "ok" }, "sockets": app.socket_count() }))
}

/// A running server.
pub struct RunningServer {
    /// Bound address.
    pub addr: SocketAddr,
    /// Shared state (for inspection in tests and benchmarks).
    pub app: App,
    stop: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// Graceful stop: refuse new work, close sockets after their current
    /// frame (every acked message is already stored), flush storage.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
    }

    /// Resolves when the server finished (after `stop` or a signal).
    pub async fn wait(self) {
        let _ = self.done.await;
    }

    /// Handle that triggers a graceful stop.
    pub fn stopper(&self) -> watch::Sender<bool> {
        self.stop.clone()
    }
}

/// Opens storage, builds state and starts serving on `listener`.
pub async fn start(cfg: ServerConfig, listener: TcpListener) -> Result<RunningServer, SetupError> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&cfg.db)?);
    start_with_store(cfg, listener, store).await
}

/// Like [`start`] with a given store implementation.
pub async fn start_with_store(cfg: ServerConfig, listener: TcpListener, store: Arc<dyn Store>) -> Result<RunningServer, SetupError> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let app = AppState::new(cfg, store, stop_rx.clone()).await?;
    let addr = listener.local_addr().map_err(|e| SetupError::Config(format!("listener: {e}")))?;
    let router = router(app.clone());
    let grace = Duration::from_secs(app.cfg.shutdown_grace_secs);
    let app2 = app.clone();
    let mut signal = stop_rx;
    let done = tokio::spawn(async move {
        let shutdown = async move {
            while !*signal.borrow() {
                if signal.changed().await.is_err() {
                    break;
                }
            }
        };
        let serve = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown);
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "server error");
        }
        app2.wait_sockets_closed(grace).await;
        if let Err(e) = app2.store.close().await {
            tracing::error!(error = %e, "storage close failed");
        }
        tracing::info!("server stopped");
    });
    Ok(RunningServer { addr, app, stop: stop_tx, done })
}
