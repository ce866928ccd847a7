//! The visitor's choice for the widget's chime, kept across pages in
//! localStorage as `<visitPrefix>_sound` = `off` (nothing while the chime
//! is on), and only while storage consent is granted: without it the
//! choice lasts for the page. Withdrawing consent erases it.

use crate::web::state::Inner;

fn key(inner: &Inner) -> String {
    [inner.config.visits.prefix.as_str(), "_sound"].concat()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the visitor muted the chime on an earlier page.
pub fn muted(inner: &Inner) -> bool {
    inner.consent.get() && storage().and_then(|s| s.get_item(&key(inner)).ok().flatten()).as_deref() == Some("off")
}

/// Keeps the visitor's choice, if consent allows.
pub fn remember(inner: &Inner, muted: bool) {
    let Some(s) = storage().filter(|_| inner.consent.get()) else { return };
    let _ = if muted { s.set_item(&key(inner), "off") } else { s.remove_item(&key(inner)) };
}

/// Storage consent was withdrawn: erases the choice.
pub fn forget(inner: &Inner) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(inner));
    }
}
