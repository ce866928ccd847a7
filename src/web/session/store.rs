//! Where a session is kept between page loads: localStorage under
//! `<visitPrefix>_chat`, only while consent is granted; otherwise nothing is
//! written (the session lives in memory for the page).

use crate::core::session::Persisted;
use crate::web::state::Inner;

fn key(inner: &Inner) -> String {
    format!("{}_chat", inner.config.visits.prefix)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Saves the session when consent allows.
pub fn save(inner: &Inner, p: &Persisted) {
    if !inner.consent.get() {
        return;
    }
    if let Some(s) = storage() {
        let _ = s.set_item(&key(inner), &p.to_json());
    }
}

/// The stored session, if any and still valid.
pub fn load(inner: &Inner) -> Option<Persisted> {
    if !inner.consent.get() {
        return None;
    }
    let raw = storage()?.get_item(&key(inner)).ok()??;
    Persisted::from_json(&raw, js_sys::Date::now() as i64)
}

/// Erases the stored session.
pub fn clear(inner: &Inner) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(inner));
    }
}
