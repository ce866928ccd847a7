//! The open window's code (see the module docs, "Two stages"): reached
//! only from [`Widget::attach`] and through [`Win`], so that in the split
//! build it loads with the chunk that calls the attach.

use super::dom::{attrs, relabel, show};
use super::{messages, scroll};
use super::widget::{show_launcher, show_unread, Shared, Widget};
use super::{forms, input, style, UiActions};
use crate::core::ui::labels::Label;
use crate::core::ui::model::{MessageStatus, UiConfig, UiMessage, UiPhase};
use crate::core::ui::theme;
use crate::web::events::dispatch;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// The window operations that code of a closed widget calls (the rest are
/// reached from the attached code alone).
pub struct Win {
    /// Opens the window and calls [`UiActions::launcher_clicked`].
    pub launch: fn(&Rc<Shared>),
    /// See [`Widget::open`].
    pub open: fn(&Rc<Shared>),
    /// Closes the window, dispatching the event.
    pub close: fn(&Rc<Shared>, &str),
    /// Labels the window in the current language and redraws the phase.
    pub relabel: fn(&Rc<Shared>),
    /// See [`Widget::pop_out`].
    pub pop_out: fn(&Rc<Shared>) -> bool,
    /// See [`Widget::set_upload_progress`].
    pub progress: fn(&Rc<Shared>, &str, f64),
}

static WIN: Win = Win { launch, open, close: close_window, relabel: relabel_window, pop_out, progress: messages::set_progress };

fn launch(shared: &Rc<Shared>) {
    open(shared);
    shared.act(|a| a.launcher_clicked());
}

impl Widget {
    /// The whole configuration, for a widget mounted with its look only
    /// (`UiConfig::from_look`): the theme, the language chosen and the
    /// pop-out URL the widget has stay.
    pub fn configure(&self, mut cfg: UiConfig) {
        let mut st = self.shared.state.borrow_mut();
        cfg.theme = std::mem::take(&mut st.cfg.theme);
        cfg.locale = st.cfg.locale.take();
        cfg.popout_url = st.cfg.popout_url.take();
        st.cfg = cfg;
    }

    /// Attaches the window's code (once; later calls do nothing): the
    /// window's listeners, the session's `actions`, and the current phase
    /// drawn.
    pub fn attach(&self, actions: Rc<dyn UiActions>) {
        let shared = &self.shared;
        if shared.win.get().is_some() {
            return;
        }
        let _ = shared.actions.set(actions);
        let _ = style::adopt_window(&shared.parts.shadow);
        let more = input::listen(shared);
        shared.listeners.borrow_mut().extend(more);
        let weak = Rc::downgrade(shared);
        let scroll = gloo_events::EventListener::new(&shared.parts.body, "scroll", move |_| {
            if let Some(s) = weak.upgrade() {
                scroll::scrolled(&s);
            }
        });
        shared.listeners.borrow_mut().push(scroll);
        let weak = Rc::downgrade(shared);
        let shown = gloo_events::EventListener::new(&shared.parts.doc, "visibilitychange", move |_| {
            if let Some(s) = weak.upgrade().filter(|s| !s.parts.doc.hidden()) {
                super::read::shown(&s);
            }
        });
        shared.listeners.borrow_mut().push(shown);
        super::sound::mount(shared);
        shared.win.set(Some(&WIN));
        relabel_window(shared);
    }

    /// Shows `phase` (see the module docs).
    pub fn set_phase(&self, phase: UiPhase) {
        let shared = &self.shared;
        {
            let mut st = shared.state.borrow_mut();
            let ended = matches!(st.phase, UiPhase::Ended { .. });
            if matches!(phase, UiPhase::Idle) || (ended && !matches!(phase, UiPhase::Ended { .. })) {
                st.rated = false;
                st.thumb = None;
            }
            if !matches!(phase, UiPhase::Offline) {
                st.offline_sent = false;
            }
            if !phase.is_live() {
                st.reconnecting = false; // the next chat starts connected
            }
            st.phase = phase.clone();
        }
        if matches!(phase, UiPhase::Idle) {
            messages::clear(shared);
            show(&shared.parts.typing, false);
            if shared.state.borrow().open {
                shared.state.borrow_mut().open = false;
                show(&shared.parts.window, false);
                show_launcher(shared);
            }
        }
        render(shared);
    }

    /// The chat's connection dropped (`true`) or is back: while it is down
    /// in a live phase, the status line says it is reconnecting.
    pub fn set_reconnecting(&self, on: bool) {
        self.shared.state.borrow_mut().reconnecting = on;
        render(&self.shared);
    }

    /// Adds a message (or replaces the one with the same id).
    pub fn add_message(&self, m: &UiMessage) {
        messages::add_message(&self.shared, m);
    }

    /// Mutes or unmutes the chime for agent messages: the visitor's choice
    /// from an earlier page (see [`UiActions::sound_muted`]).
    pub fn set_muted(&self, muted: bool) {
        super::sound::set_muted(&self.shared, muted);
    }

    /// Whether an agent's message that came now should chime in this page
    /// (see `sound::may_chime`); [`Widget::chime`] plays it.
    pub fn may_chime(&self) -> bool {
        super::sound::may_chime(&self.shared)
    }

    /// Plays the chime for an agent's message.
    pub fn chime(&self) {
        super::sound::chime(&self.shared);
    }

    /// Whether this page shows the chat: the window open, the page visible
    /// and focused.
    pub fn shows_chat(&self) -> bool {
        super::sound::shows_chat(&self.shared)
    }

    /// Updates the delivery mark of a visitor message.
    pub fn set_status(&self, id: &str, status: MessageStatus) {
        messages::set_status(&self.shared, id, status);
    }

    /// Whether message `id` is shown.
    pub fn has_message(&self, id: &str) -> bool {
        messages::has_message(&self.shared, id)
    }

    /// The `blob:` URL message `id` already shows its file through.
    pub fn attachment_url(&self, id: &str) -> Option<String> {
        messages::attachment_url(&self.shared, id)
    }

    /// Shows that the file of message `id` could not be fetched.
    pub fn attachment_unavailable(&self, id: &str) {
        messages::attachment_unavailable(&self.shared, id);
    }

}

/// Opens the window.
pub fn open(shared: &Rc<Shared>) {
    shared.state.borrow_mut().unread = 0;
    show_unread(shared);
    let was_open = std::mem::replace(&mut shared.state.borrow_mut().open, true);
    show(&shared.parts.window, true);
    if !was_open {
        // A closed window kept no scroll position: it opens on the newest
        // message (those that came while it was closed included).
        shared.state.borrow_mut().follow = true;
        scroll::follow(shared);
    }
    attrs(&shared.parts.launcher, &[("aria-expanded", "true")]);
    show_launcher(shared);
    if !was_open {
        input::focus_default(shared);
    }
    dispatch("lcw:onMaximize", &JsValue::UNDEFINED);
}

/// Closes the window, returns focus to the launcher, dispatches `event`.
pub fn close_window(shared: &Rc<Shared>, event: &str) {
    shared.state.borrow_mut().open = false;
    show(&shared.parts.window, false);
    show(&shared.parts.drop, false);
    attrs(&shared.parts.launcher, &[("aria-expanded", "false")]);
    show_launcher(shared);
    if !shared.parts.launcher.has_attribute("hidden") {
        let _ = shared.parts.launcher.unchecked_ref::<HtmlElement>().focus();
    }
    dispatch(event, &JsValue::UNDEFINED);
}

/// See [`Widget::pop_out`].
pub fn pop_out(shared: &Rc<Shared>) -> bool {
    let url = shared.state.borrow().cfg.popout_url.clone().filter(|u| theme::safe_url(u));
    let Some(url) = url else { return false };
    let opened = web_sys::window()
        .and_then(|w| w.open_with_url_and_target_and_features(&url, "lcw-popout", "popup,width=420,height=640").ok().flatten());
    if opened.is_none() {
        return false;
    }
    shared.act(|a| a.popped_out());
    close_window(shared, "lcw:onMinimize");
    true
}

/// Fills the window's labels (its static DOM's `data-l`, `data-la` and
/// `data-lp` keys) in the current language and redraws the phase.
fn relabel_window(shared: &Rc<Shared>) {
    let locale = shared.state.borrow().locale.clone();
    relabel(&shared.parts.window, &locale);
    render(shared);
}

/// Shows what the phase needs: status line, log, panel, composer.
pub fn render(shared: &Rc<Shared>) {
    let p = &shared.parts;
    let (phase, locale, files_on, popout, reconnecting) = {
        let st = shared.state.borrow();
        (st.phase.clone(), st.locale.clone(), st.cfg.files.enabled, st.cfg.popout_url.is_some(), st.reconnecting)
    };
    let live = phase.is_live();
    let _ = p.status.class_list().toggle_with_force("down", live && reconnecting);
    let status = match &phase {
        _ if live && reconnecting => locale.text(Label::Reconnecting).to_string(),
        UiPhase::Connecting => locale.text(Label::Connecting).to_string(),
        UiPhase::Queued { position, wait_secs } => {
            let mut s = locale.format(Label::QueuePosition, &[("position", &position.to_string())]);
            if let Some(w) = wait_secs {
                let minutes = w.div_ceil(60).max(1).to_string();
                s = format!("{s} {}", locale.format(Label::QueueWait, &[("minutes", &minutes)]));
            }
            s
        }
        UiPhase::Chatting { agent_name: Some(n) } if !n.trim().is_empty() => locale.format(Label::ChattingWith, &[("name", n.trim())]),
        UiPhase::Ended { .. } => locale.text(Label::ChatEnded).to_string(),
        _ => String::new(),
    };
    p.status.set_text_content(Some(&status));
    show(&p.status, !status.is_empty());
    let has_log = live || matches!(phase, UiPhase::Ended { .. });
    show(&p.log, has_log);
    show(&p.composer, live);
    show(&p.actions, live);
    show(&p.attach, live && files_on);
    show(&p.popout, popout);
    if !live {
        show(&p.typing, false);
        show(&p.notice, false);
    }
    forms::render_panel(shared);
    input::ensure_focus(shared);
}
