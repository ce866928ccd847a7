//! `startChat` with many tabs: one conversation for the browser, created
//! under the start lock by the first tab that finds none stored.

use super::lock::{self, Lock};
use super::{failed, name, Tabs};
use crate::core::context::Context;
use crate::core::errors::RuntimeError;
use crate::core::session::{Outbox, Persisted};
use crate::web::session::{self, Session};
use crate::web::state::Inner;
use std::rc::Rc;

/// How [`start`] went.
pub enum Started {
    /// The browser's conversation, shared by its tabs.
    Shared(Rc<Tabs>),
    /// Created, but localStorage refused it (full, or blocked since the
    /// check): no other tab could join it and no leader could restore it,
    /// so this tab runs it alone, in memory.
    Alone(Rc<Session>),
}

/// Creates the conversation unless a tab already did, then joins it
/// (`startChat`). Only when [`super::available`].
pub async fn start(inner: &Rc<Inner>, base: &str, context: &Context, auth_token: Option<String>) -> Result<Started, RuntimeError> {
    let lock = Lock::request(&format!("{}:start", name(inner))).ok_or_else(|| failed("cannot request the chat start lock"))?;
    if !lock.granted().await {
        return Err(failed("the chat start lock was not granted"));
    }
    let stored = match stored_or_in_use(inner).await {
        Some(p) => p,
        None => {
            let resp = Session::create(inner, base, context, auth_token).await?;
            let p = Persisted {
                v: 1,
                conversation_id: resp.conversation.id.clone(),
                session_token: resp.session_token.clone(),
                expires_at: resp.session_expires_at,
                last_seq: 0,
                outbox: Outbox::default(),
                history: Vec::new(),
                read: Default::default(),
            };
            if !session::store_persisted(inner, &p) {
                return Ok(Started::Alone(Session::begin(inner, base, resp)));
            }
            p
        }
    };
    // Join (request the leader lock) before releasing the start lock: the
    // next tab then sees the conversation exists (see `stored_or_in_use`).
    let t = Tabs::join(inner, base, stored);
    drop(lock);
    Ok(Started::Shared(t))
}

/// The stored session. Another tab's write reaches this tab's localStorage
/// asynchronously: when none is visible yet but some tab holds or awaits
/// the leader lock (a conversation exists), wait for it (up to 3 s).
async fn stored_or_in_use(inner: &Rc<Inner>) -> Option<Persisted> {
    if let Some(p) = session::load_stored(inner) {
        return Some(p);
    }
    if !lock::in_use(&format!("{}:leader", name(inner))).await {
        return None;
    }
    for _ in 0..60 {
        crate::web::promise::Sleep::new(50).await;
        if let Some(p) = session::load_stored(inner) {
            return Some(p);
        }
    }
    None
}
