//! Group commit for message appends: one writer thread takes every pending
//! append, runs each in its own savepoint inside one transaction, commits
//! once, and only then answers the callers. An acked message is therefore
//! always on disk, while the commit cost is shared by the whole batch.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};

use lcw_sdk::core::protocol::{AttachmentInfo, Message, API_PREFIX};
use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::oneshot;

use super::sqlite::{enc, finish_msg, msg_from_row, MSG_SQL};
use super::{NewMessage, StoreResult};
use crate::error::StoreError;

/// Most appends committed together.
const MAX_BATCH: usize = 512;

/// One pending append.
pub(super) struct AppendJob {
    pub conv: String,
    pub m: NewMessage,
    pub reply: oneshot::Sender<StoreResult<(Message, bool)>>,
}

/// Starts the writer thread; it ends when every sender is dropped.
pub(super) fn spawn_writer(conn: Arc<Mutex<Connection>>) -> std::io::Result<SyncSender<AppendJob>> {
    let (tx, rx) = sync_channel::<AppendJob>(8192);
    std::thread::Builder::new().name("lcw-sqlite-writer".into()).spawn(move || writer(conn, rx))?;
    Ok(tx)
}

fn writer(conn: Arc<Mutex<Connection>>, rx: Receiver<AppendJob>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let mut guard = match conn.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let results = run_batch(&mut guard, &jobs);
        drop(guard);
        match results {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(r);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for job in jobs {
                    let _ = job.reply.send(Err(StoreError::Task(format!("batch commit failed: {msg}"))));
                }
            }
        }
    }
}

fn run_batch(conn: &mut Connection, jobs: &[AppendJob]) -> StoreResult<Vec<StoreResult<(Message, bool)>>> {
    let mut tx = conn.transaction()?;
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut sp = tx.savepoint()?;
        let r = append_one(&sp, &job.conv, &job.m);
        if r.is_ok() {
            sp.commit()?;
        } else {
            sp.rollback()?;
        }
        out.push(r);
    }
    tx.commit()?;
    Ok(out)
}

fn append_one(conn: &Connection, cid: &str, m: &NewMessage) -> StoreResult<(Message, bool)> {
    if let Some(client_id) = &m.client_id {
        let existing = conn
            .prepare_cached(&format!("{MSG_SQL} WHERE m.conversation_id=?1 AND m.client_id=?2"))?
            .query_row(params![cid, client_id], msg_from_row)
            .optional()?;
        if let Some(e) = existing {
            return Ok((finish_msg(e)?, true));
        }
    }
    let seq: i64 = conn
        .prepare_cached("UPDATE conversations SET last_seq = last_seq + 1 WHERE id=?1 RETURNING last_seq")?
        .query_row(params![cid], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound)?;
    conn.prepare_cached("INSERT INTO messages (conversation_id, seq, client_id, sender, author_name, text, attachment_id, sent_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")?
        .execute(params![cid, seq, m.client_id, enc(&m.sender), m.author_name, m.text, m.attachment_id, m.sent_at])?;
    let attachment = match &m.attachment_id {
        Some(id) => conn
            .prepare_cached("SELECT name, mime_type, size FROM attachments WHERE id=?1")?
            .query_row(params![id], |r| {
                Ok(AttachmentInfo { id: id.clone(), name: r.get(0)?, mime_type: r.get(1)?, size: r.get::<_, i64>(2)? as u64, url: format!("{API_PREFIX}/attachments/{id}") })
            })
            .optional()?,
        None => None,
    };
    let msg = Message {
        seq: seq as u64,
        client_id: m.client_id.clone(),
        sender: m.sender,
        author_name: m.author_name.clone(),
        text: m.text.clone(),
        attachment,
        sent_at: m.sent_at,
    };
    Ok((msg, false))
}
