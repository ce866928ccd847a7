//! The engine's state between page loads: localStorage under
//! `<visitPrefix>_proactive`, only while storage consent is granted.

use crate::web::state::Inner;

/// The saved state, when consent allows.
pub fn load(inner: &Inner) -> Option<String> {
    if !inner.consent.get() {
        return None;
    }
    storage().and_then(|s| s.get_item(&storage_key(inner)).ok().flatten())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn storage_key(inner: &Inner) -> String {
    format!("{}_proactive", inner.config.visits.prefix)
}

/// Saves the engine state while consent allows.
pub fn save(inner: &Inner) {
    if !inner.consent.get() {
        return;
    }
    let json = match inner.proactive.engine.borrow().as_ref() {
        Some(e) => e.state().to_json(),
        None => return,
    };
    if let Some(s) = storage() {
        let _ = s.set_item(&storage_key(inner), &json);
    }
}

/// Storage consent was withdrawn: erases the saved state.
pub fn erase(inner: &Inner) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&storage_key(inner));
    }
}

