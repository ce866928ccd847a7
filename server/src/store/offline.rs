//! Offline messages (left through the widget's offline form when no agent
//! was available): the rows agents read in the console and mark handled.

use lcw_sdk::core::protocol::Millis;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreResult;

/// A stored offline message.
#[derive(Debug, Clone, PartialEq)]
pub struct OfflineMessageRow {
    /// Id (`off_…`).
    pub id: String,
    /// Widget the form was sent from.
    pub widget_id: String,
    /// The form as sent (`OfflineMessageRequest` JSON).
    pub body: serde_json::Value,
    /// When it was received.
    pub at: Millis,
    /// Agent who marked it handled.
    pub handled_by: Option<String>,
    /// When it was marked handled.
    pub handled_at: Option<Millis>,
}

/// Adds the columns that databases created before they existed lack.
pub(super) fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA table_info(offline_messages)")?;
    let cols: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(1))?.collect::<Result<_, _>>()?;
    if !cols.iter().any(|c| c == "handled_by") {
        conn.execute_batch("ALTER TABLE offline_messages ADD COLUMN handled_by TEXT; ALTER TABLE offline_messages ADD COLUMN handled_at INTEGER;")?;
    }
    conn.execute_batch("CREATE INDEX IF NOT EXISTS offline_widget_at ON offline_messages(widget_id, at)")
}

fn row(r: &Row<'_>) -> rusqlite::Result<OfflineMessageRow> {
    let body: String = r.get(2)?;
    Ok(OfflineMessageRow {
        id: r.get(0)?,
        widget_id: r.get(1)?,
        body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        at: r.get(3)?,
        handled_by: r.get(4)?,
        handled_at: r.get(5)?,
    })
}

const COLUMNS: &str = "id, widget_id, body, at, handled_by, handled_at";

/// Newest first, from the given widgets, at most `limit`.
pub(super) fn list(conn: &Connection, widget_ids: &[String], limit: u32) -> StoreResult<Vec<OfflineMessageRow>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM offline_messages WHERE widget_id=?1 ORDER BY at DESC, id LIMIT ?2"))?;
    for w in widget_ids {
        for r in stmt.query_map(params![w, limit], row)? {
            out.push(r?);
        }
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    out.truncate(limit as usize);
    Ok(out)
}

/// One message by id.
pub(super) fn get(conn: &Connection, id: &str) -> StoreResult<Option<OfflineMessageRow>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM offline_messages WHERE id=?1"), params![id], row).optional()?)
}

/// Marks a message handled; the first agent and time are kept when it
/// already was. Returns the row, or None when there is no such message.
pub(super) fn mark_handled(conn: &Connection, id: &str, agent_id: &str, at: Millis) -> StoreResult<Option<OfflineMessageRow>> {
    conn.execute("UPDATE offline_messages SET handled_by=?2, handled_at=?3 WHERE id=?1 AND handled_at IS NULL", params![id, agent_id, at])?;
    get(conn, id)
}
