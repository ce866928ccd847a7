//! Where a session is kept between page loads: localStorage under
//! `<visitPrefix>_chat`, only while consent is granted; otherwise nothing is
//! written (the session lives in memory for the page). A live session
//! writes itself once per task that changed it ([`Session::save`]).

use super::Session;
use crate::core::session::{Persisted, PersistedRef};
use crate::web::state::Inner;

impl Session {
    /// Stores the session once this task's changes are made: in a
    /// microtask, so that a page that queues 100 messages in one task (or a
    /// welcome that flushes the outbox) writes the whole session once, not
    /// once per message. Nothing runs between the task and its microtasks,
    /// so a reload or another tab finds what this task did, as before. The
    /// microtask holds the session: a change made just before `detach`
    /// (the SDK destroyed in the same task) is still written.
    pub(super) fn save(&self) {
        if self.ended.get() || self.save_due.replace(true) {
            return;
        }
        let Some(me) = self.me.upgrade() else { return };
        wasm_bindgen_futures::spawn_local(async move { me.save_now() });
    }

    /// Writes the session now if a change waits (see [`Session::save`]).
    pub(super) fn save_now(&self) {
        if !self.save_due.replace(false) || self.erased.get() {
            return;
        }
        let Some(inner) = self.inner.upgrade() else { return };
        let timeline = self.timeline.borrow();
        let outbox = self.outbox.borrow();
        let saved = save(&inner, PersistedRef {
            conversation_id: &self.conversation_id,
            session_token: &self.token,
            expires_at: self.expires_at,
            last_seq: timeline.last_seq(),
            outbox: &outbox,
            history: timeline.messages(),
            read: self.read.get(),
        });
        // Told once each time saving stops working: the chat goes on, but a
        // reload would miss what was not saved. (A session never saved, with
        // storage blocked or full from the start, was reported then.)
        if self.stored.replace(saved) && !saved {
            crate::web::events::report(&crate::core::errors::RuntimeError::new(
                crate::core::errors::ErrorCode::SdkLoadFailed,
                "browser storage is full: this chat is no longer saved, and messages not sent yet are lost if the page is reloaded or closed before they go",
            ));
        }
    }
}

fn key(inner: &Inner) -> String {
    format!("{}_chat", inner.config.visits.prefix)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Saves the session when consent allows; whether it was written
/// (localStorage may be blocked, or full: `QuotaExceededError`).
///
/// When the whole session does not fit (the site's own data, or a long
/// conversation), it is saved without its history: the messages the
/// server has are read again from it at the next load (`lastSeq` 0), and
/// what only this browser has, the messages not yet sent, is kept.
pub fn save(inner: &Inner, p: PersistedRef<'_>) -> bool {
    if !inner.consent.get() {
        return false;
    }
    let Some(s) = storage() else { return false };
    let key = key(inner);
    s.set_item(&key, &p.to_json()).is_ok()
        || (!p.history.is_empty() && s.set_item(&key, &PersistedRef { history: &[], last_seq: 0, ..p }.to_json()).is_ok())
}

/// The stored session, if any and still valid.
pub fn load(inner: &Inner) -> Option<Persisted> {
    if !inner.consent.get() {
        return None;
    }
    let raw = storage()?.get_item(&key(inner)).ok()??;
    Persisted::from_json(&raw, js_sys::Date::now() as i64)
}

/// The head of the stored session (see `StoredHead`): what the main module
/// reads, leaving the whole session's reader to the chat's code.
pub fn load_head(inner: &Inner) -> Option<crate::core::session::StoredHead> {
    if !inner.consent.get() {
        return None;
    }
    let raw = storage()?.get_item(&key(inner)).ok()??;
    crate::core::session::StoredHead::from_json(&raw, js_sys::Date::now() as i64)
}

/// Erases the stored session.
pub fn clear(inner: &Inner) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(inner));
    }
}

/// Calls `f` when another tab of this browser stores a session (the
/// window's `storage` event, which never fires for this tab's own writes).
/// Dropping the listener stops it.
pub fn on_stored_elsewhere(inner: &Inner, f: impl Fn() + 'static) -> Option<gloo_events::EventListener> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let key = key(inner);
    Some(gloo_events::EventListener::new(&window, "storage", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
        if e.key().as_deref() == Some(key.as_str()) && e.new_value().is_some() {
            f();
        }
    }))
}
