//! Offline messages reach the agents who serve the widget's queue, newest
//! first, and can be marked handled once; older databases are migrated.

mod common;

use common::*;
use lcw_server::config::{AgentConfig, QueueConfig};
use lcw_server::store::sqlite::SqliteStore;
use lcw_server::store::Store;
use serde_json::{json, Value};

async fn get(url: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut r = http().get(url);
    if let Some(t) = bearer {
        r = r.bearer_auth(t);
    }
    let resp = r.send().await.expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn token(base: &str, user: &str, pw: &str) -> String {
    let (st, v) = post(&format!("{base}/v1/agent/login"), json!({ "username": user, "password": pw }), None).await;
    assert_eq!(st, 200, "{v}");
    v["token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn agents_list_and_handle_offline_messages_of_their_queues() {
    let mut cfg = config(":memory:");
    cfg.queues.push(QueueConfig { id: "sales".into(), name: "Sales".into(), timezone: "UTC".into(), hours: vec![] });
    let mut sales = cfg.widgets[0].clone();
    sales.id = "sales".into();
    sales.config.widget_id = "sales".into();
    sales.config.queue_id = "sales".into();
    cfg.widgets.push(sales);
    // carol serves only the demo widget's queue; bob (no queues) serves all.
    cfg.agents.push(AgentConfig { id: "carol".into(), username: "carol".into(), display_name: "Carol".into(), password: Some("pw-carol".into()), capacity: 2, queues: vec!["default".into()], ..Default::default() });
    let s = start(cfg).await;
    let base = base(&s);

    let (code, first) = post(&format!("{base}/v1/widgets/demo/offline-messages"), json!({ "name": "Ann", "email": "ann@x.test", "message": "<b>call</b> me", "fields": { "phone": "+1 555" } }), None).await;
    assert_eq!(code, 201, "{first}");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await; // distinct receive times
    let (code, second) = post(&format!("{base}/v1/widgets/sales/offline-messages"), json!({ "name": "Bo", "email": "bo@x.test", "message": "quote please" }), None).await;
    assert_eq!(code, 201, "{second}");

    assert_eq!(get(&format!("{base}/v1/agent/offline-messages"), None).await.0, 401);
    let carol = token(&base, "carol", "pw-carol").await;
    let bob = token(&base, "bob", "pw-bob").await;

    let (code, mine) = get(&format!("{base}/v1/agent/offline-messages"), Some(&carol)).await;
    assert_eq!(code, 200);
    let list = mine.as_array().expect("array");
    assert_eq!(list.len(), 1, "carol sees only the demo queue: {mine}");
    assert_eq!(list[0]["id"], first["id"]);
    assert_eq!((list[0]["name"].as_str(), list[0]["email"].as_str(), list[0]["message"].as_str()), (Some("Ann"), Some("ann@x.test"), Some("<b>call</b> me")));
    assert_eq!(list[0]["fields"]["phone"], "+1 555");
    assert_eq!(list[0]["handledBy"], Value::Null);

    let (_, all) = get(&format!("{base}/v1/agent/offline-messages"), Some(&bob)).await;
    let ids: Vec<&str> = all.as_array().expect("array").iter().map(|m| m["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, vec![second["id"].as_str().unwrap(), first["id"].as_str().unwrap()], "newest first");

    let handled = |id: &Value| format!("{base}/v1/agent/offline-messages/{}/handled", id.as_str().unwrap_or(""));
    let (code, _) = post(&handled(&second["id"]), json!({}), Some(&carol)).await;
    assert_eq!(code, 403, "carol does not serve the sales queue");
    let (code, done) = post(&handled(&first["id"]), json!({}), Some(&carol)).await;
    assert_eq!(code, 200, "{done}");
    assert_eq!(done["handledBy"], "carol");
    let at = done["handledAt"].as_i64().expect("handledAt");
    let (_, again) = post(&handled(&first["id"]), json!({}), Some(&bob)).await;
    assert_eq!((again["handledBy"].as_str(), again["handledAt"].as_i64()), (Some("carol"), Some(at)), "the first agent is kept");
    let (code, _) = post(&handled(&json!("off_missing")), json!({}), Some(&bob)).await;
    assert_eq!(code, 404);
    let (_, after) = get(&format!("{base}/v1/agent/offline-messages"), Some(&bob)).await;
    assert_eq!(after[1]["handledBy"], "carol");
    s.stop().await;
}

#[tokio::test]
async fn databases_from_before_handled_columns_are_migrated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "CREATE TABLE offline_messages (id TEXT PRIMARY KEY, widget_id TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
             INSERT INTO offline_messages VALUES ('off_old', 'demo', '{\"name\":\"Old\",\"email\":\"\",\"message\":\"hi\",\"fields\":{}}', 5);",
        )
        .expect("old schema");
    }
    let store = SqliteStore::open(path.to_str().expect("utf-8 path")).expect("open migrates");
    let rows = store.offline_messages(vec!["demo".into()], 10).await.expect("list");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].id.as_str(), rows[0].handled_by.as_deref()), ("off_old", None));
    let row = store.mark_offline_handled("off_old", "alice", 9).await.expect("mark").expect("row");
    assert_eq!((row.handled_by.as_deref(), row.handled_at), (Some("alice"), Some(9)));
    store.close().await.expect("close");
    drop(store);
    // Opening again (columns present) is a no-op.
    let again = SqliteStore::open(path.to_str().expect("utf-8 path")).expect("reopen");
    assert_eq!(again.offline_message("off_old").await.expect("get").map(|r| r.handled_at), Some(Some(9)));
}
