//! Sockets whose peer vanished without a close (sleep, a network change, a
//! NAT) are closed by the server: it pings every `socket_ping_secs`, and one
//! that answers nothing for `socket_dead_secs` goes. An agent's vanished
//! console so stops counting as online; a live socket that only answers the
//! pings stays.

mod common;

use common::*;
use futures_util::StreamExt;
use lcw_sdk::core::protocol::{ClientFrame, ServerFrame};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as WsMsg;

fn quick() -> lcw_server::config::ServerConfig {
    let mut cfg = config(":memory:");
    (cfg.socket_ping_secs, cfg.socket_dead_secs) = (1, 2);
    cfg
}

/// Reads (and so answers pings) for `d`; the pings seen.
async fn answer_for(ws: &mut Ws, d: Duration) -> usize {
    let mut pings = 0;
    let _ = tokio::time::timeout(d, async {
        while let Some(Ok(m)) = ws.0.next().await {
            pings += usize::from(matches!(m, WsMsg::Ping(_)));
        }
    })
    .await;
    pings
}

/// Reads what the server sent while this socket answered nothing: how
/// long after `since` the socket ended, and the pings before.
async fn ended_after(ws: &mut Ws, since: Instant) -> (Duration, usize) {
    let mut pings = 0;
    loop {
        match tokio::time::timeout(WAIT, ws.0.next()).await {
            Ok(Some(Ok(WsMsg::Ping(_)))) => pings += 1,
            Ok(Some(Ok(WsMsg::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return (since.elapsed(), pings),
            Ok(Some(Ok(_))) => {}
            Err(_) => panic!("still open {:?} after the last frame", since.elapsed()),
        }
    }
}

async fn agent_available(s: &lcw_server::RunningServer) -> bool {
    let av: Value = http().get(format!("{}/v1/widgets/demo/availability", base(s))).send().await.unwrap().json().await.unwrap();
    av["isAgentAvailable"].as_bool().expect("isAgentAvailable")
}

#[tokio::test]
async fn silent_sockets_are_closed_and_live_ones_stay() {
    let s = start(quick()).await;
    let chat = start_chat(&s, json!({})).await;
    let mut alice = Ws::agent(&s, "alice", "pw-alice").await;
    alice.until(|f| matches!(f, ServerFrame::AgentWelcome { .. })).await;
    assert!(agent_available(&s).await);
    let mut silent = Ws::visitor(&s, &chat.session_token, 0).await;
    let mut live = Ws::visitor(&s, &chat.session_token, 0).await;
    let t0 = Instant::now();

    // `live` answers the pings (the client library does, as browsers do)
    // while the others say nothing.
    let pings = answer_for(&mut live, Duration::from_millis(3500)).await;
    assert!(pings >= 2, "{pings} pings in 3.5 s");
    live.send(&ClientFrame::Ping).await;
    assert_eq!(live.until(|f| !matches!(f, ServerFrame::ConversationUpdated { .. })).await, ServerFrame::Pong, "still open");

    // The silent ones were closed: between 2 s (nothing heard) and 2 s plus
    // a ping period, after a ping or two.
    let (after, pinged) = ended_after(&mut silent, t0).await;
    assert!(pinged >= 1, "pinged before being closed");
    assert!(after >= Duration::from_secs(2), "closed after {after:?}");
    let (_, _) = ended_after(&mut alice, t0).await;
    // And the agent with them: not online any more.
    assert!(!agent_available(&s).await, "a vanished console is not an available agent");
    s.stop().await;
}
