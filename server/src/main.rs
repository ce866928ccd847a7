//! `lcw-server`: the reference chat server, agent console and demo web server.
//!
//! ```text
//! cargo run -p lcw-server -- --addr 127.0.0.1:8787 --db lcw.db --static www --pkg pkg
//! ```

use std::path::PathBuf;

use clap::Parser;
use lcw_server::config::ServerConfig;

/// Command line; every flag also reads an `LCW_*` environment variable.
#[derive(Debug, Parser)]
#[command(name = "lcw-server", version, about = "Reference chat server and agent console for lcw-sdk")]
struct Cli {
    /// TOML config file (queues, agents, widgets, security).
    #[arg(long, env = "LCW_CONFIG")]
    config: Option<PathBuf>,
    /// Listen address.
    #[arg(long, env = "LCW_ADDR")]
    addr: Option<String>,
    /// SQLite database file (created on first run), or `:memory:`.
    #[arg(long, env = "LCW_DB")]
    db: Option<String>,
    /// Directory served at `/` (the demo site, e.g. `www`).
    #[arg(long = "static", env = "LCW_STATIC")]
    static_dir: Option<PathBuf>,
    /// Directory served at `/pkg/` (the wasm package, e.g. `pkg`).
    #[arg(long, env = "LCW_PKG")]
    pkg: Option<PathBuf>,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "LCW_LOG_JSON")]
    log_json: bool,
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| "info,tower_http=warn".into());
    let b = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        b.json().init();
    } else {
        b.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_json);
    let mut cfg = match &cli.config {
        Some(path) => match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| ServerConfig::from_toml(&t).map_err(|e| e.to_string())) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: config {}: {e}", path.display());
                return std::process::ExitCode::from(2);
            }
        },
        None => ServerConfig::default(),
    };
    if let Some(a) = cli.addr {
        cfg.addr = a;
    }
    if let Some(d) = cli.db {
        cfg.db = d;
    }
    if cli.static_dir.is_some() {
        cfg.static_dir = cli.static_dir;
    }
    if cli.pkg.is_some() {
        cfg.pkg_dir = cli.pkg;
    }
    let demo = cli.config.is_none();
    let mut cfg = cfg.with_demo_defaults();
    // The toy identity provider only for the demo proper, never beside a
    // config file (even one that lists no widgets).
    cfg.demo_idp &= demo;
    let listener = match tokio::net::TcpListener::bind(&cfg.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", cfg.addr);
            return std::process::ExitCode::from(1);
        }
    };
    let has_static = cfg.static_dir.is_some();
    let agents: Vec<(String, Option<String>)> = cfg.agents.iter().map(|a| (a.username.clone(), a.password.clone())).collect();
    let server = match lcw_server::start(cfg, listener).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let base = format!("http://{}", server.addr);
    if has_static {
        println!("Demo page:     {base}/");
    }
    println!("Agent console: {base}/agent/");
    println!("Health:        {base}/healthz");
    if demo {
        for (u, p) in agents {
            println!("Demo agent:    user {u:?} password {:?}", p.unwrap_or_default());
        }
    }
    let stop = server.stopper();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutdown requested");
        let _ = stop.send(true);
    });
    server.wait().await;
    std::process::ExitCode::SUCCESS
}
