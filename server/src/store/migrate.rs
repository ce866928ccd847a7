//! Columns added since the first schema: a database made by an older
//! server is brought up to date when it is opened.

use rusqlite::Connection;

/// Every migration, in order (each one is a no-op once done).
pub(super) fn run(conn: &Connection) -> rusqlite::Result<()> {
    super::offline::migrate(conn)?;
    migrate_agent_tokens(conn)?;
    migrate_read_receipts(conn)
}

/// The columns of `table`.
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt.query_map([], |r| r.get::<_, String>(1))?.collect::<Result<_, _>>()?;
    Ok(cols)
}

/// A database from before sign-ins had a time limit: its agent tokens get
/// `signed_in_at` 0 (they last until they expire, and are not refreshed).
fn migrate_agent_tokens(conn: &Connection) -> rusqlite::Result<()> {
    let cols = columns(conn, "agent_tokens")?;
    if !cols.iter().any(|c| c == "signed_in_at") {
        conn.execute_batch("ALTER TABLE agent_tokens ADD COLUMN signed_in_at INTEGER NOT NULL DEFAULT 0;")?;
    }
    Ok(())
}

/// A database from before read receipts: its conversations count as read
/// by both sides up to their last message (no receipt was ever asked for,
/// and 0 would show every visitor of a chat going on at the upgrade all
/// its agent messages as unread).
fn migrate_read_receipts(conn: &Connection) -> rusqlite::Result<()> {
    let cols = columns(conn, "conversations")?;
    for col in ["visitor_read_seq", "agent_read_seq"] {
        if !cols.iter().any(|c| c == col) {
            conn.execute_batch(&format!("ALTER TABLE conversations ADD COLUMN {col} INTEGER NOT NULL DEFAULT 0; UPDATE conversations SET {col} = last_seq;"))?;
        }
    }
    Ok(())
}
