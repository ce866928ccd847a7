//! The widget's chime across tabs, and the visitor's choice for it.
//!
//! * One conversation in many tabs (`tabs`): every tab gets each message,
//!   but one chime is enough, and none while a tab shows the chat to the
//!   visitor. That tab holds the shared Web Lock `<conversation>:watching`;
//!   otherwise, when other tabs are in the conversation (they wait for its
//!   `leader` lock), the first tab to take `<conversation>:chime` (held two
//!   seconds) chimes. Alone, the page decides by itself.
//! * The choice is kept across pages in localStorage as
//!   `<visitPrefix>_sound` = `off` (nothing while the chime is on), and
//!   only while storage consent is granted: without it the choice lasts
//!   for the page. Withdrawing consent erases it.

use super::with_widget;
use crate::web::state::Inner;
use crate::web::tabs::{self, lock};
use std::rc::Rc;

/// An agent's message came: a chime, here or in one other tab, if the
/// visitor may not see the message.
pub fn agent_message(inner: &Rc<Inner>) {
    let mut may = false;
    with_widget(inner, |w, _| may = w.may_chime());
    if !may {
        return;
    }
    if !tabs::available(inner) {
        with_widget(inner, |w, _| w.chime());
        return;
    }
    let base = tabs::name(inner);
    let weak = Rc::downgrade(inner);
    wasm_bindgen_futures::spawn_local(async move {
        let locks = lock::query().await;
        if locks.as_ref().is_some_and(|l| l.held(&[base.as_str(), ":watching"].concat())) {
            return; // another tab shows the chat
        }
        let alone = locks.is_none_or(|l| !l.pending(&[base.as_str(), ":leader"].concat()));
        if !alone && !lock::claim(&[base.as_str(), ":chime"].concat(), 2000).await {
            return; // another tab chimes
        }
        if let Some(i) = weak.upgrade() {
            with_widget(&i, |w, _| w.chime());
        }
    });
}

/// Holds the conversation's `watching` lock while this page shows the
/// chat (window open, page visible and focused), and releases it when not.
pub fn watch(inner: &Inner) {
    let ui = inner.ui.borrow();
    let Some(ui) = ui.as_ref() else { return };
    let shows = ui.widget.attached() && ui.widget.shows_chat() && tabs::available(inner);
    let mut held = ui.watching.borrow_mut();
    if shows && held.is_none() {
        *held = lock::Lock::request_mode(&[tabs::name(inner).as_str(), ":watching"].concat(), "shared");
    } else if !shows {
        *held = None;
    }
}

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
