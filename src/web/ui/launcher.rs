//! The launcher's listeners, part of the closed widget: a click opens the
//! window when its code is attached, else asks the owner to load it
//! ([`Launcher::clicked`](super::Launcher::clicked)); the pointer or focus
//! reaching the launcher tells the owner a click may follow.

use super::dom::attrs;
use super::widget::Shared;
use gloo_events::{EventListener, EventListenerOptions};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// A listener on the widget's root calling `f` while the widget lives.
pub fn on(shared: &Rc<Shared>, ty: &'static str, f: fn(&Rc<Shared>, &Event)) -> EventListener {
    let weak: Weak<Shared> = Rc::downgrade(shared);
    let opts = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&shared.parts.root, ty, opts, move |e| {
        if let Some(s) = weak.upgrade() {
            f(&s, e);
        }
    })
}

/// The event's target element.
pub fn target(e: &Event) -> Option<Element> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok())
}

fn on_launcher(e: &Event) -> bool {
    target(e).and_then(|t| t.closest("[data-act=launcher]").ok().flatten()).is_some()
}

/// Installs the launcher's listeners; dropping them removes them.
pub fn listen(shared: &Rc<Shared>) -> Vec<EventListener> {
    vec![on(shared, "click", click), on(shared, "pointerover", approach), on(shared, "focusin", approach)]
}

fn approach(shared: &Rc<Shared>, e: &Event) {
    if shared.win.get().is_none() && on_launcher(e) {
        shared.launcher.approached();
    }
}

fn click(shared: &Rc<Shared>, e: &Event) {
    if !on_launcher(e) {
        return;
    }
    if let Some(w) = shared.win.get() {
        (w.launch)(shared);
    } else if !shared.parts.launcher.has_attribute("aria-busy") {
        set_busy(shared, true);
        shared.launcher.clicked();
    }
}

/// Marks the launcher busy (`aria-busy`) or not.
pub fn set_busy(shared: &Shared, busy: bool) {
    let l = &shared.parts.launcher;
    if busy {
        attrs(l, &[("aria-busy", "true")]);
    } else {
        let _ = l.remove_attribute("aria-busy");
    }
}
