//! Load benchmark for lcw-server, loopback only and bounded in time (< 60 s).
//!
//! Spawns the server as a child process (so each side has its own file
//! descriptors and runtime), signs in agents, starts N conversations, holds N
//! visitor WebSockets, sends messages at a target rate for a fixed time and
//! prints sockets held, messages/s and p50/p99 visitor->agent delivery latency.
//!
//! ```text
//! cargo run --profile server -p lcw-server --bin loadbench -- --visitors 10000 --rate 5000 --secs 15
//! ```
//!
//! The workspace `release` profile is tuned for the wasm (`opt-level = "z"`,
//! fat LTO); the `server` profile (opt-level 3, thin LTO) is the one for
//! server figures.
//! Measured on the 2-core dev machine (client and server share both cores,
//! other builds running): 10,000 visitor + 20 agent sockets held; 3,000 msg/s
//! p50 2.7 ms / p99 45 ms; 5,000 msg/s all delivered, p50 120 ms / p99 1.2 s.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::{sleep_until, Instant};
use tokio_tungstenite::tungstenite::Message as WsMsg;

const AGENTS: usize = 20;
const SETUP_BUDGET: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
struct Opts {
    visitors: usize,
    rate: f64,
    secs: u64,
    db: String,
}

fn parse_opts() -> Result<(Opts, bool), String> {
    let mut o = Opts { visitors: 10_000, rate: 5000.0, secs: 15, db: String::new() };
    let mut serve = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--visitors" => o.visitors = val()?.parse().map_err(|e| format!("--visitors: {e}"))?,
            "--rate" => o.rate = val()?.parse().map_err(|e| format!("--rate: {e}"))?,
            "--secs" => o.secs = val()?.parse::<u64>().map_err(|e| format!("--secs: {e}"))?.clamp(1, 20),
            "--db" => o.db = val()?,
            "--serve" => serve = true,
            "-h" | "--help" => return Err("usage: loadbench [--visitors N] [--rate MSG_PER_S] [--secs S<=20] [--db FILE|:memory:]".into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((o, serve))
}

/// Raises the open-file limit to the hard limit (best effort).
fn raise_nofile() -> u64 {
    unsafe {
        let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) != 0 {
            return 0;
        }
        r.rlim_cur = r.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &r);
        r.rlim_cur
    }
}

/// Child mode: run the server until stdin closes.
async fn serve_child(db: String) {
    let mut cfg = lcw_server::ServerConfig { addr: "127.0.0.1:0".into(), db, ..Default::default() };
    cfg.rate_limits.per_ip_per_minute = 0;
    cfg.rate_limits.per_conversation_per_minute = 0;
    // Every socket comes from this one address, and the sockets opened
    // first are not read until the whole set is up (no pong meanwhile).
    cfg.rate_limits.max_sockets_per_ip = 0;
    cfg.socket_dead_secs = 0;
    for i in 0..AGENTS {
        cfg.agents.push(lcw_server::config::AgentConfig { id: format!("a{i}"), username: format!("a{i}"), password: Some("pw".into()), capacity: 100_000, ..Default::default() });
    }
    let cfg = cfg.with_demo_defaults();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let server = lcw_server::start(cfg, listener).await.expect("server start");
    println!("LISTENING {}", server.addr);
    let mut sink = Vec::new();
    let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    server.stop().await;
}

/// Minimal keep-alive HTTP/1.1 JSON client (the bench has no HTTP client dependency).
struct Http {
    addr: SocketAddr,
    conn: BufReader<TcpStream>,
}

impl Http {
    async fn new(addr: SocketAddr) -> std::io::Result<Http> {
        Ok(Http { addr, conn: BufReader::new(TcpStream::connect(addr).await?) })
    }

    async fn call(&mut self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", self.addr, body.len());
        self.conn.get_mut().write_all(req.as_bytes()).await.map_err(|e| e.to_string())?;
        let mut line = String::new();
        self.conn.read_line(&mut line).await.map_err(|e| e.to_string())?;
        let ok = line.split(' ').nth(1).is_some_and(|c| c.starts_with('2'));
        let mut len = 0usize;
        loop {
            line.clear();
            self.conn.read_line(&mut line).await.map_err(|e| e.to_string())?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut buf = vec![0u8; len];
        self.conn.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_slice(&buf).unwrap_or(Value::Null);
        if ok { Ok(v) } else { Err(format!("HTTP error: {v}")) }
    }
}

#[derive(Default)]
struct Stats {
    sent: AtomicU64,
    acked: AtomicU64,
    delivered: AtomicU64,
    errors: AtomicU64,
    open: AtomicU64,
    latencies_us: Mutex<Vec<u32>>,
}

#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    message: Option<Msg>,
}

#[derive(Deserialize)]
struct Msg {
    sender: String,
    text: String,
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn ws_hello(addr: SocketAddr, path: &str, hello: Value) -> Result<Ws, String> {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{path}")).await.map_err(|e| e.to_string())?;
    ws.send(WsMsg::Text(hello.to_string().into())).await.map_err(|e| e.to_string())?;
    match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
        Ok(Some(Ok(WsMsg::Text(t)))) if t.contains("welcome") => Ok(ws),
        other => Err(format!("no welcome: {other:?}")),
    }
}

async fn agent_task(mut ws: Ws, t0: Instant, stop: Instant, stats: Arc<Stats>) {
    let mut local = Vec::new();
    loop {
        let m = tokio::select! { m = ws.next() => m, _ = sleep_until(stop) => break };
        match m {
            Some(Ok(WsMsg::Text(t))) => {
                if let Ok(Frame { kind, message: Some(msg) }) = serde_json::from_str::<Frame>(t.as_str()) {
                    if kind == "message" && msg.sender == "visitor" {
                        if let Ok(sent_us) = msg.text.parse::<u64>() {
                            let now_us = t0.elapsed().as_micros() as u64;
                            local.push(now_us.saturating_sub(sent_us).min(u32::MAX as u64) as u32);
                            stats.delivered.fetch_add(1, Relaxed);
                        }
                    }
                } else if t.as_str().starts_with(r#"{"type":"error""#) {
                    stats.errors.fetch_add(1, Relaxed);
                }
            }
            Some(Ok(_)) => {}
            _ => break,
        }
    }
    if let Ok(mut l) = stats.latencies_us.lock() {
        l.extend(local);
    }
}

#[allow(clippy::too_many_arguments)]
async fn visitor_task(ws: Ws, id: usize, t0: Instant, first: Instant, period: Duration, end: Instant, stop: Instant, stats: Arc<Stats>) {
    let (mut tx, mut rx) = ws.split();
    let mut next = first;
    let mut n = 0u64;
    loop {
        tokio::select! {
            _ = sleep_until(next), if next < end => {
                let us = t0.elapsed().as_micros() as u64;
                let frame = format!(r#"{{"type":"send","clientId":"{id}-{n}","text":"{us}"}}"#);
                if tx.send(WsMsg::Text(frame.into())).await.is_err() { break }
                stats.sent.fetch_add(1, Relaxed);
                n += 1;
                next += period;
            }
            m = rx.next() => match m {
                Some(Ok(WsMsg::Text(t))) => {
                    if t.as_str().starts_with(r#"{"type":"ack""#) { stats.acked.fetch_add(1, Relaxed); }
                    else if t.as_str().starts_with(r#"{"type":"error""#) { stats.errors.fetch_add(1, Relaxed); }
                }
                Some(Ok(_)) => {}
                _ => break,
            },
            _ = sleep_until(stop) => break,
        }
    }
    stats.open.fetch_sub(1, Relaxed);
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let (opts, serve) = match parse_opts() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let nofile = raise_nofile();
    if serve {
        return serve_child(opts.db).await;
    }
    let wall = Instant::now();
    let tmp = std::env::temp_dir().join(format!("lcw-loadbench-{}.db", std::process::id()));
    let db = if opts.db.is_empty() { tmp.to_string_lossy().to_string() } else { opts.db.clone() };
    let exe = std::env::current_exe().expect("current exe");
    let mut child = tokio::process::Command::new(exe)
        .args(["--serve", "--db", &db])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn server child");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), out.read_line(&mut line)).await;
    let addr: SocketAddr = line.trim().strip_prefix("LISTENING ").and_then(|a| a.parse().ok()).expect("server address from child");
    let visitors = opts.visitors.min(nofile.saturating_sub(200) as usize);
    println!("loadbench: server {addr} (child pid {:?}), open-file limit {nofile}, visitors {visitors}, rate {} msg/s, {} s", child.id(), opts.rate, opts.secs);

    // Agents.
    let stats = Arc::new(Stats::default());
    let mut agent_ws = Vec::new();
    let mut http = Http::new(addr).await.expect("http connect");
    for i in 0..AGENTS {
        let v = http.call("POST", "/v1/agent/login", Some(&json!({ "username": format!("a{i}"), "password": "pw" }))).await.expect("agent login");
        let token = v["token"].as_str().unwrap_or_default().to_string();
        agent_ws.push(ws_hello(addr, "/v1/agent/ws", json!({ "type": "agent_hello", "token": token })).await.expect("agent socket"));
    }

    // Conversations and visitor sockets, 128 at a time, within the setup budget.
    let setup_deadline = wall + SETUP_BUDGET;
    let t_setup = Instant::now();
    let sem = Arc::new(tokio::sync::Semaphore::new(128));
    let mut joins = Vec::with_capacity(visitors);
    for _ in 0..visitors {
        let sem = sem.clone();
        joins.push(tokio::spawn(async move {
            let _p = sem.acquire().await.ok()?;
            if Instant::now() > setup_deadline {
                return None;
            }
            let mut h = Http::new(addr).await.ok()?;
            let v = h.call("POST", "/v1/conversations", Some(&json!({ "widgetId": "demo" }))).await.ok()?;
            let token = v["sessionToken"].as_str()?.to_string();
            drop(h);
            ws_hello(addr, "/v1/ws", json!({ "type": "hello", "sessionToken": token, "lastSeq": 0 })).await.ok()
        }));
    }
    let mut sockets = Vec::with_capacity(visitors);
    for j in joins {
        if let Ok(Some(ws)) = j.await {
            sockets.push(ws);
        }
    }
    let setup_secs = t_setup.elapsed().as_secs_f64();
    let held = sockets.len();
    stats.open.store(held as u64, Relaxed);
    let health = http.call("GET", "/healthz", None).await.unwrap_or(Value::Null);
    println!("setup: {held} visitor sockets + {AGENTS} agent sockets in {setup_secs:.1} s; server reports {} sockets", health["sockets"]);

    // Messaging phase.
    let t0 = Instant::now();
    let start = t0 + Duration::from_millis(200);
    let end = start + Duration::from_secs(opts.secs);
    let stop = end + Duration::from_secs(3);
    let per_visitor = Duration::from_secs_f64((held.max(1) as f64 / opts.rate.max(1.0)).max(0.001));
    let mut tasks = Vec::new();
    for ws in agent_ws {
        tasks.push(tokio::spawn(agent_task(ws, t0, stop, stats.clone())));
    }
    for (i, ws) in sockets.into_iter().enumerate() {
        let first = start + per_visitor.mul_f64(i as f64 / held.max(1) as f64);
        tasks.push(tokio::spawn(visitor_task(ws, i, t0, first, per_visitor, end, stop, stats.clone())));
    }
    let mid = http.call("GET", "/healthz", None).await.ok();
    tokio::time::sleep_until(end).await;
    let still_open = stats.open.load(Relaxed);
    let health_end = http.call("GET", "/healthz", None).await.unwrap_or(Value::Null);
    for t in tasks {
        let _ = t.await;
    }
    let _ = mid;

    let mut lat = stats.latencies_us.lock().map(|l| l.clone()).unwrap_or_default();
    lat.sort_unstable();
    let secs = opts.secs as f64;
    let (sent, acked, delivered, errors) = (stats.sent.load(Relaxed), stats.acked.load(Relaxed), stats.delivered.load(Relaxed), stats.errors.load(Relaxed));
    println!("---- results ({} s of messaging on {} cores) ----", opts.secs, std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0));
    println!("sockets held      : {} visitor (open at end: {still_open}) + {AGENTS} agent; server-side count {}", held, health_end["sockets"]);
    println!("messages sent     : {sent} ({:.0} msg/s offered)", sent as f64 / secs);
    println!("messages acked    : {acked} ({:.0} msg/s)", acked as f64 / secs);
    println!("delivered to agent: {delivered} ({:.0} msg/s), errors {errors}", delivered as f64 / secs);
    println!("delivery latency  : p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", pct(&lat, 0.50), pct(&lat, 0.99), pct(&lat, 1.0));
    println!("wall time         : {:.1} s", wall.elapsed().as_secs_f64());

    drop(child.stdin.take()); // child stops gracefully on EOF
    let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
    if opts.db.is_empty() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", tmp.to_string_lossy()));
        }
    }
}
