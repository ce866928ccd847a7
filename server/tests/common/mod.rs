//! Test helpers: a server on 127.0.0.1:0, HTTP and WebSocket clients.
#![allow(dead_code)]

pub mod video;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lcw_sdk::core::protocol::{ClientFrame, ServerFrame, StartResponse};
use lcw_server::config::{AgentConfig, ServerConfig};
use lcw_server::RunningServer;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as WsMsg;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Timeout for anything a test waits for.
pub const WAIT: Duration = Duration::from_secs(5);

/// Demo config on a given db, with an ephemeral port.
pub fn config(db: &str) -> ServerConfig {
    let mut cfg = ServerConfig { addr: "127.0.0.1:0".into(), db: db.into(), ..Default::default() };
    cfg.agents.push(AgentConfig { id: "alice".into(), username: "alice".into(), display_name: "Alice".into(), password: Some("pw-alice".into()), capacity: 2, ..Default::default() });
    cfg.agents.push(AgentConfig { id: "bob".into(), username: "bob".into(), display_name: "Bob".into(), password: Some("pw-bob".into()), capacity: 2, ..Default::default() });
    let mut cfg = cfg.with_demo_defaults();
    cfg.widgets[0].allowed_origins = vec!["http://shop.test".into(), "https://*.shop.test".into()];
    cfg
}

/// Starts a server.
pub async fn start(cfg: ServerConfig) -> RunningServer {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    lcw_server::start(cfg, l).await.expect("start")
}

/// Base URL.
pub fn base(s: &RunningServer) -> String {
    format!("http://{}", s.addr)
}

/// HTTP client.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(WAIT).build().expect("client")
}

/// POST JSON, returns (status, body).
pub async fn post(url: &str, body: Value, bearer: Option<&str>) -> (u16, Value) {
    let mut r = http().post(url).json(&body);
    if let Some(t) = bearer {
        r = r.bearer_auth(t);
    }
    let resp = r.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Starts a conversation on the demo widget.
pub async fn start_chat(s: &RunningServer, extra: Value) -> StartResponse {
    let mut body = json!({ "widgetId": "demo", "context": { "page": { "value": "/pricing" } } });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (status, v) = post(&format!("{}/v1/conversations", base(s)), body, None).await;
    assert_eq!(status, 201, "start failed: {v}");
    serde_json::from_value(v).expect("start response")
}

/// A WebSocket client speaking protocol frames.
pub struct Ws(pub WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Ws {
    /// Connects to `path` with optional extra headers.
    pub async fn connect(s: &RunningServer, path: &str, headers: &[(&str, &str)]) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
        let mut req = format!("ws://{}{}", s.addr, path).into_client_request()?;
        for (k, v) in headers {
            req.headers_mut().insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                v.parse().expect("value"),
            );
        }
        let (ws, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Ws(ws))
    }

    /// Visitor socket after hello.
    pub async fn visitor(s: &RunningServer, token: &str, last_seq: u64) -> Ws {
        let mut ws = Ws::connect(s, "/v1/ws", &[]).await.expect("connect");
        ws.send(&ClientFrame::Hello { session_token: Some(token.into()), last_seq, auth_token: None, call_id: None, call_key: None }).await;
        ws
    }

    /// Agent socket after hello.
    pub async fn agent(s: &RunningServer, user: &str, pw: &str) -> Ws {
        let (st, v) = post(&format!("{}/v1/agent/login", base(s)), json!({ "username": user, "password": pw }), None).await;
        assert_eq!(st, 200, "{v}");
        let mut ws = Ws::connect(s, "/v1/agent/ws", &[]).await.expect("connect");
        ws.send(&ClientFrame::AgentHello { token: v["token"].as_str().expect("token").into() }).await;
        ws
    }

    /// Closes the socket with a close frame (as a page does), then waits
    /// for the server's answer.
    pub async fn close(self) {
        self.close_with(None).await
    }

    /// Closes the socket with a close frame of this code, then waits for
    /// the server's answer.
    pub async fn close_with(mut self, code: Option<u16>) {
        use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
        let _ = self.0.close(code.map(|c| CloseFrame { code: CloseCode::from(c), reason: "".into() })).await;
        while let Ok(Some(Ok(_))) = tokio::time::timeout(WAIT, self.0.next()).await {}
    }

    /// Sends a frame.
    pub async fn send(&mut self, f: &ClientFrame) {
        self.0.send(WsMsg::Text(serde_json::to_string(f).expect("ser").into())).await.expect("ws send");
    }

    /// Next protocol frame, or None on close/timeout.
    pub async fn next(&mut self) -> Option<ServerFrame> {
        loop {
            match tokio::time::timeout(WAIT, self.0.next()).await {
                Ok(Some(Ok(WsMsg::Text(t)))) => return Some(serde_json::from_str(t.as_str()).expect("frame")),
                Ok(Some(Ok(WsMsg::Close(_)))) | Ok(None) | Ok(Some(Err(_))) | Err(_) => return None,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Waits for the first frame matching `pred` (skipping others).
    pub async fn until(&mut self, mut pred: impl FnMut(&ServerFrame) -> bool) -> ServerFrame {
        loop {
            match self.next().await {
                Some(f) if pred(&f) => return f,
                Some(_) => continue,
                None => panic!("socket closed or timed out while waiting"),
            }
        }
    }

    /// Sends a chat message.
    pub async fn say(&mut self, conv: Option<&str>, client_id: &str, text: &str) {
        self.send(&ClientFrame::Send { conversation_id: conv.map(String::from), client_id: client_id.into(), text: text.into(), attachment_id: None }).await;
    }
}

/// Is this a message frame with the given text?
pub fn is_msg(f: &ServerFrame, text: &str) -> bool {
    matches!(f, ServerFrame::Message { message, .. } if message.text == text)
}
