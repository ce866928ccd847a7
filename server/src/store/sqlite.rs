//! SQLite implementation of [`Store`] (WAL mode, one connection behind a mutex,
//! calls run on the blocking pool).

use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use lcw_sdk::core::protocol::{AttachmentInfo, Message, Millis, Rating, Sender, API_PREFIX};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{de::DeserializeOwned, Serialize};

use super::batch::{spawn_writer, AppendJob};
use super::{AgentTokenRow, AttachmentRow, ConversationRow, NewMessage, OfflineMessageRow, SessionRow, Store, StoreResult};
use crate::error::StoreError;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY, widget_id TEXT NOT NULL, queue_id TEXT NOT NULL, state TEXT NOT NULL,
  agent_id TEXT, customer_id TEXT, context TEXT NOT NULL, pre_chat TEXT NOT NULL,
  created_at INTEGER NOT NULL, assigned_at INTEGER, closed_at INTEGER, closed_by TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0, visitor_read_seq INTEGER NOT NULL DEFAULT 0, agent_read_seq INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS conv_customer ON conversations(widget_id, customer_id, state);
CREATE INDEX IF NOT EXISTS conv_state ON conversations(state);
CREATE INDEX IF NOT EXISTS conv_queue_assigned ON conversations(queue_id, assigned_at);
CREATE TABLE IF NOT EXISTS messages (
  conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT, sender TEXT NOT NULL,
  author_name TEXT, text TEXT NOT NULL, attachment_id TEXT, sent_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq));
CREATE UNIQUE INDEX IF NOT EXISTS msg_client ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS agent_tokens (token_hash TEXT PRIMARY KEY, agent_id TEXT NOT NULL, credential TEXT NOT NULL, expires_at INTEGER NOT NULL,
  signed_in_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS ratings (conversation_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS offline_messages (id TEXT PRIMARY KEY, widget_id TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, name TEXT NOT NULL,
  mime_type TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, at INTEGER NOT NULL);
"#;

/// SQLite-backed store.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    writer: SyncSender<AppendJob>,
}

pub(super) fn enc<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn dec<T: DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    Ok(serde_json::from_value(serde_json::Value::String(s.to_string()))?)
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`; `:memory:` for tests.
    pub fn open(path: &str) -> StoreResult<Self> {
        let conn = if path == ":memory:" { Connection::open_in_memory()? } else { Connection::open(path)? };
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;")?;
        conn.execute_batch(SCHEMA)?;
        super::migrate::run(&conn)?;
        let conn = Arc::new(Mutex::new(conn));
        let writer = spawn_writer(conn.clone()).map_err(|e| StoreError::Task(format!("writer thread: {e}")))?;
        Ok(SqliteStore { conn, writer })
    }

    async fn run<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| StoreError::Task("connection mutex poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn conv_from_row(r: &Row<'_>) -> rusqlite::Result<(ConversationRow, String, String, String, Option<String>)> {
    Ok((
        ConversationRow {
            id: r.get(0)?,
            widget_id: r.get(1)?,
            queue_id: r.get(2)?,
            state: lcw_sdk::core::protocol::ConversationState::Waiting,
            agent_id: r.get(4)?,
            customer_id: r.get(5)?,
            context: Default::default(),
            pre_chat: Default::default(),
            created_at: r.get(8)?,
            assigned_at: r.get(9)?,
            closed_at: r.get(10)?,
            closed_by: None,
            last_seq: r.get::<_, i64>(12)? as u64,
            visitor_read_seq: r.get::<_, i64>(13)? as u64,
            agent_read_seq: r.get::<_, i64>(14)? as u64,
        },
        r.get(3)?,
        r.get(6)?,
        r.get(7)?,
        r.get(11)?,
    ))
}

const CONV_COLS: &str = "id, widget_id, queue_id, state, agent_id, customer_id, context, pre_chat, created_at, assigned_at, closed_at, closed_by, last_seq, visitor_read_seq, agent_read_seq";

fn finish_conv(t: (ConversationRow, String, String, String, Option<String>)) -> StoreResult<ConversationRow> {
    let (mut c, state, ctx, pre, closed_by) = t;
    c.state = dec(&state)?;
    c.context = serde_json::from_str(&ctx)?;
    c.pre_chat = serde_json::from_str(&pre)?;
    c.closed_by = closed_by.as_deref().map(dec).transpose()?;
    Ok(c)
}

fn query_convs(conn: &Connection, sql: &str, p: &[&dyn rusqlite::ToSql]) -> StoreResult<Vec<ConversationRow>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map(p, conv_from_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(finish_conv).collect()
}

pub(super) const MSG_SQL: &str = "SELECT m.seq, m.client_id, m.sender, m.author_name, m.text, m.sent_at, a.id, a.name, a.mime_type, a.size \
     FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id";

pub(super) fn msg_from_row(r: &Row<'_>) -> rusqlite::Result<(Message, String)> {
    let attachment = match r.get::<_, Option<String>>(6)? {
        Some(id) => Some(AttachmentInfo {
            url: format!("{API_PREFIX}/attachments/{id}"),
            id,
            name: r.get(7)?,
            mime_type: r.get(8)?,
            size: r.get::<_, i64>(9)? as u64,
        }),
        None => None,
    };
    Ok((
        Message {
            seq: r.get::<_, i64>(0)? as u64,
            client_id: r.get(1)?,
            sender: Sender::System,
            author_name: r.get(3)?,
            text: r.get(4)?,
            attachment,
            sent_at: r.get(5)?,
        },
        r.get(2)?,
    ))
}

pub(super) fn finish_msg((mut m, sender): (Message, String)) -> StoreResult<Message> {
    m.sender = dec(&sender)?;
    Ok(m)
}

#[async_trait]
impl Store for SqliteStore {
    async fn insert_conversation(&self, c: ConversationRow) -> StoreResult<()> {
        self.run(move |conn| {
            conn.prepare_cached(&format!("INSERT INTO conversations ({CONV_COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"))?
                .execute(params![
                    c.id, c.widget_id, c.queue_id, enc(&c.state), c.agent_id, c.customer_id,
                    serde_json::to_string(&c.context)?, serde_json::to_string(&c.pre_chat)?,
                    c.created_at, c.assigned_at, c.closed_at, c.closed_by.map(|s| enc(&s)), c.last_seq as i64,
                    c.visitor_read_seq as i64, c.agent_read_seq as i64
                ])?;
            Ok(())
        })
        .await
    }

    async fn conversation(&self, id: &str) -> StoreResult<Option<ConversationRow>> {
        let id = id.to_string();
        self.run(move |conn| Ok(query_convs(conn, &format!("SELECT {CONV_COLS} FROM conversations WHERE id = ?1"), &[&id])?.pop()))
            .await
    }

    async fn open_conversation_for_customer(&self, widget_id: &str, customer_id: &str) -> StoreResult<Option<ConversationRow>> {
        let (w, c) = (widget_id.to_string(), customer_id.to_string());
        self.run(move |conn| {
            let sql = format!("SELECT {CONV_COLS} FROM conversations WHERE widget_id=?1 AND customer_id=?2 AND state!='closed' ORDER BY created_at DESC LIMIT 1");
            Ok(query_convs(conn, &sql, &[&w, &c])?.pop())
        })
        .await
    }

    async fn open_conversations(&self) -> StoreResult<Vec<ConversationRow>> {
        self.run(|conn| query_convs(conn, &format!("SELECT {CONV_COLS} FROM conversations WHERE state!='closed' ORDER BY created_at"), &[]))
            .await
    }

    async fn update_conversation(&self, c: &ConversationRow) -> StoreResult<()> {
        let c = c.clone();
        self.run(move |conn| {
            let n = conn
                .prepare_cached("UPDATE conversations SET state=?2, agent_id=?3, assigned_at=?4, closed_at=?5, closed_by=?6 WHERE id=?1")?
                .execute(params![c.id, enc(&c.state), c.agent_id, c.assigned_at, c.closed_at, c.closed_by.map(|s| enc(&s))])?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn mark_read(&self, conversation_id: &str, reader: Sender, seq: u64) -> StoreResult<Option<u64>> {
        let id = conversation_id.to_string();
        let col = if reader == Sender::Agent { "agent_read_seq" } else { "visitor_read_seq" };
        self.run(move |conn| {
            let sql = format!("UPDATE conversations SET {col} = MIN(?2, last_seq) WHERE id=?1 AND {col} < MIN(?2, last_seq) RETURNING {col}");
            let seq = i64::try_from(seq).unwrap_or(i64::MAX);
            let now = conn.prepare_cached(&sql)?.query_row(params![id, seq], |r| r.get::<_, i64>(0)).optional()?;
            Ok(now.map(|n| n as u64))
        })
        .await
    }

    async fn append_message(&self, conversation_id: &str, m: NewMessage) -> StoreResult<(Message, bool)> {
        let (reply, rx) = tokio::sync::oneshot::channel();
        let job = AppendJob { conv: conversation_id.to_string(), m, reply };
        match self.writer.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => {
                // Writer saturated: wait for room off the async runtime.
                let sender = self.writer.clone();
                tokio::task::spawn_blocking(move || sender.send(job).map_err(|_| ()))
                    .await
                    .map_err(|e| StoreError::Task(e.to_string()))?
                    .map_err(|_| StoreError::Task("writer stopped".into()))?;
            }
            Err(TrySendError::Disconnected(_)) => return Err(StoreError::Task("writer stopped".into())),
        }
        rx.await.map_err(|_| StoreError::Task("writer dropped the request".into()))?
    }

    async fn messages_after(&self, conversation_id: &str, after_seq: u64, limit: u32) -> StoreResult<Vec<Message>> {
        let cid = conversation_id.to_string();
        self.run(move |conn| {
            let mut st = conn.prepare_cached(&format!("{MSG_SQL} WHERE m.conversation_id=?1 AND m.seq>?2 ORDER BY m.seq LIMIT ?3"))?;
            let rows = st.query_map(params![cid, after_seq as i64, limit], msg_from_row)?.collect::<Result<Vec<_>, _>>()?;
            rows.into_iter().map(finish_msg).collect()
        })
        .await
    }

    async fn insert_session(&self, token_hash: &str, s: SessionRow) -> StoreResult<()> {
        let h = token_hash.to_string();
        self.run(move |conn| {
            conn.prepare_cached("INSERT INTO sessions (token_hash, conversation_id, expires_at) VALUES (?1,?2,?3)")?
                .execute(params![h, s.conversation_id, s.expires_at])?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRow>> {
        let h = token_hash.to_string();
        self.run(move |conn| {
            Ok(conn
                .prepare_cached("SELECT conversation_id, expires_at FROM sessions WHERE token_hash=?1")?
                .query_row(params![h], |r| Ok(SessionRow { conversation_id: r.get(0)?, expires_at: r.get(1)? }))
                .optional()?)
        })
        .await
    }

    async fn insert_agent_token(&self, t: AgentTokenRow, now: Millis) -> StoreResult<()> {
        self.run(move |conn| {
            conn.prepare_cached("DELETE FROM agent_tokens WHERE expires_at <= ?1")?.execute(params![now])?;
            conn.prepare_cached("INSERT OR REPLACE INTO agent_tokens (token_hash, agent_id, credential, expires_at, signed_in_at) VALUES (?1,?2,?3,?4,?5)")?
                .execute(params![t.token_hash, t.agent_id, t.credential, t.expires_at, t.signed_in_at])?;
            Ok(())
        })
        .await
    }

    async fn delete_agent_token(&self, token_hash: &str) -> StoreResult<()> {
        let h = token_hash.to_string();
        self.run(move |conn| {
            conn.prepare_cached("DELETE FROM agent_tokens WHERE token_hash=?1")?.execute(params![h])?;
            Ok(())
        })
        .await
    }

    async fn agent_tokens(&self, now: Millis) -> StoreResult<Vec<AgentTokenRow>> {
        self.run(move |conn| {
            let mut st = conn.prepare_cached("SELECT token_hash, agent_id, credential, expires_at, signed_in_at FROM agent_tokens WHERE expires_at > ?1")?;
            let rows = st.query_map(params![now], |r| {
                Ok(AgentTokenRow { token_hash: r.get(0)?, agent_id: r.get(1)?, credential: r.get(2)?, expires_at: r.get(3)?, signed_in_at: r.get(4)? })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn average_wait_secs(&self, queue_id: &str, n: u32) -> StoreResult<Option<u64>> {
        let q = queue_id.to_string();
        self.run(move |conn| {
            let avg: Option<f64> = conn
                .prepare_cached("SELECT AVG(w) FROM (SELECT assigned_at - created_at AS w FROM conversations WHERE queue_id=?1 AND assigned_at IS NOT NULL ORDER BY assigned_at DESC LIMIT ?2)")?
                .query_row(params![q, n], |r| r.get(0))?;
            Ok(avg.map(|ms| (ms.max(0.0) / 1000.0).round() as u64))
        })
        .await
    }

    async fn insert_rating(&self, conversation_id: &str, rating: Rating, comment: Option<String>, at: Millis) -> StoreResult<()> {
        let cid = conversation_id.to_string();
        self.run(move |conn| {
            conn.execute("INSERT INTO ratings (conversation_id, rating, comment, at) VALUES (?1,?2,?3,?4)", params![cid, enc(&rating), comment, at])?;
            Ok(())
        })
        .await
    }

    async fn insert_offline_message(&self, widget_id: &str, body: serde_json::Value, at: Millis) -> StoreResult<String> {
        let w = widget_id.to_string();
        self.run(move |conn| {
            let id = super::new_id("off");
            conn.execute("INSERT INTO offline_messages (id, widget_id, body, at) VALUES (?1,?2,?3,?4)", params![id, w, body.to_string(), at])?;
            Ok(id)
        })
        .await
    }

    async fn offline_messages(&self, widget_ids: Vec<String>, limit: u32) -> StoreResult<Vec<OfflineMessageRow>> {
        self.run(move |conn| super::offline::list(conn, &widget_ids, limit)).await
    }

    async fn offline_message(&self, id: &str) -> StoreResult<Option<OfflineMessageRow>> {
        let id = id.to_string();
        self.run(move |conn| super::offline::get(conn, &id)).await
    }

    async fn mark_offline_handled(&self, id: &str, agent_id: &str, at: Millis) -> StoreResult<Option<OfflineMessageRow>> {
        let (id, agent) = (id.to_string(), agent_id.to_string());
        self.run(move |conn| super::offline::mark_handled(conn, &id, &agent, at)).await
    }

    async fn insert_attachment(&self, a: AttachmentRow, data: Vec<u8>, at: Millis) -> StoreResult<()> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO attachments (id, conversation_id, name, mime_type, size, data, at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                params![a.id, a.conversation_id, a.name, a.mime_type, a.size as i64, data, at],
            )?;
            Ok(())
        })
        .await
    }

    async fn attachment(&self, id: &str, with_data: bool) -> StoreResult<Option<(AttachmentRow, Vec<u8>)>> {
        let id = id.to_string();
        self.run(move |conn| {
            let sql = if with_data {
                "SELECT id, conversation_id, name, mime_type, size, data FROM attachments WHERE id=?1"
            } else {
                "SELECT id, conversation_id, name, mime_type, size, x'' FROM attachments WHERE id=?1"
            };
            Ok(conn
                .prepare_cached(sql)?
                .query_row(params![id], |r| {
                    Ok((
                        AttachmentRow { id: r.get(0)?, conversation_id: r.get(1)?, name: r.get(2)?, mime_type: r.get(3)?, size: r.get::<_, i64>(4)? as u64 },
                        r.get::<_, Vec<u8>>(5)?,
                    ))
                })
                .optional()?)
        })
        .await
    }

    async fn close(&self) -> StoreResult<()> {
        self.run(|conn| {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })
        .await
    }
}
