//! [`Widget`]: owns the widget's DOM, listeners and timers.

use super::build::{build, Parts};
use super::dom::{attrs, relabel, show};
use super::messages::{self, Msgs};
use super::{forms, input, style, UiActions};
use crate::core::ui::labels::{Label, Locale};
use crate::core::ui::model::{MessageStatus, UiConfig, UiMessage, UiPhase};
use crate::core::ui::theme;
use crate::core::protocol::config::Theme;
use crate::web::events::dispatch;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

/// Mutable widget state.
pub struct State {
    /// Configuration (theme replaced by `set_theme`).
    pub cfg: UiConfig,
    /// Current labels.
    pub locale: Locale,
    /// Current phase.
    pub phase: UiPhase,
    /// Whether the window is open.
    pub open: bool,
    /// Message elements by id.
    pub msgs: Msgs,
    /// Object URLs to revoke.
    pub urls: Vec<String>,
    /// Whether `typing(true)` was reported and not yet withdrawn.
    pub typing_sent: bool,
    /// The thumb chosen in the rating view.
    pub thumb: Option<bool>,
    /// Rating sent for this conversation.
    pub rated: bool,
    /// Offline form sent.
    pub offline_sent: bool,
    /// Agent messages that came while the window was closed.
    pub unread: u32,
}

/// What listeners share (they hold it weakly).
pub struct Shared {
    /// Elements.
    pub parts: Parts,
    /// State.
    pub state: RefCell<State>,
    /// The session's actions.
    pub actions: Rc<dyn UiActions>,
    /// Stops visitor typing after a pause.
    pub typing_timer: RefCell<Option<Timeout>>,
    listeners: RefCell<Vec<EventListener>>,
}

/// The mounted widget. Dropping it removes it from the page.
pub struct Widget {
    pub(super) shared: Rc<Shared>,
}

fn languages() -> Vec<String> {
    let Some(w) = web_sys::window() else { return vec![] };
    w.navigator().languages().iter().filter_map(|v| v.as_string()).collect()
}

impl Widget {
    /// Mounts the widget (launcher visible unless the theme hides it).
    pub fn mount(cfg: UiConfig, actions: Rc<dyn UiActions>) -> Result<Widget, JsValue> {
        let doc = web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))?;
        let body = doc.body().ok_or_else(|| JsValue::from_str("no <body>"))?;
        let preferred = cfg.locale.clone().map(|l| vec![l]).unwrap_or_else(languages);
        let locale = Locale::negotiate(&preferred, &cfg.fallback_language, &cfg.translations);
        let parts = build(&doc)?;
        style::adopt(&parts.shadow)?;
        let state = State {
            cfg, locale, phase: UiPhase::Idle, open: false, msgs: Msgs::default(), urls: vec![], typing_sent: false,
            thumb: None, rated: false, offline_sent: false, unread: 0,
        };
        let shared = Rc::new(Shared {
            parts, state: RefCell::new(state), actions, typing_timer: RefCell::new(None), listeners: RefCell::new(vec![]),
        });
        *shared.listeners.borrow_mut() = input::listen(&shared);
        let widget = Widget { shared };
        let theme = widget.shared.state.borrow().cfg.theme.clone();
        widget.apply_locale();
        widget.set_theme(&theme);
        widget.render();
        body.append_child(&widget.shared.parts.host)?;
        Ok(widget)
    }

    /// Opens the window, moves focus into it, dispatches `lcw:onMaximize`.
    pub fn open(&self) {
        open(&self.shared);
    }

    /// Closes the window to the launcher (the conversation goes on),
    /// returns focus to the launcher, dispatches `lcw:onMinimize`.
    pub fn minimize(&self) {
        close_window(&self.shared, "lcw:onMinimize");
    }

    /// Closes the window, returns focus to the launcher, dispatches
    /// `lcw:onClose`.
    pub fn hide(&self) {
        close_window(&self.shared, "lcw:onClose");
    }

    /// An agent message came: counted on the launcher while the window is
    /// closed (cleared when it opens).
    pub fn note_unread(&self) {
        let mut st = self.shared.state.borrow_mut();
        if st.open {
            return;
        }
        st.unread = st.unread.saturating_add(1);
        drop(st);
        show_unread(&self.shared);
    }

    /// The launcher while it is shown, and whether it sits on the left.
    pub fn launcher(&self) -> Option<(Element, bool)> {
        let st = self.shared.state.borrow();
        (!st.open && !st.cfg.theme.hide_launcher).then(|| (self.shared.parts.launcher.clone(), theme::is_left(&st.cfg.theme)))
    }

    /// Whether the window is open.
    pub fn is_open(&self) -> bool {
        self.shared.state.borrow().open
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

    /// Adds a message (or replaces the one with the same id).
    pub fn add_message(&self, m: &UiMessage) {
        messages::add_message(&self.shared, m);
    }

    /// Updates the delivery mark of a visitor message.
    pub fn set_status(&self, id: &str, status: MessageStatus) {
        messages::set_status(&self.shared, id, status);
    }

    /// Shows a progress bar (0..1) on a message; 1 or more removes it.
    pub fn set_upload_progress(&self, id: &str, fraction: f64) {
        messages::set_progress(&self.shared, id, fraction);
    }

    /// An object URL for `file` (to preview an image the visitor sent),
    /// revoked when the conversation clears or the widget is dropped.
    pub fn local_url(&self, file: &web_sys::File) -> Result<String, JsValue> {
        self.blob_url(file)
    }

    /// An object URL for downloaded bytes (a received file), revoked when
    /// its message is replaced, the conversation clears or the widget is
    /// dropped.
    pub fn blob_url(&self, blob: &web_sys::Blob) -> Result<String, JsValue> {
        let url = web_sys::Url::create_object_url_with_blob(blob)?;
        self.shared.state.borrow_mut().urls.push(url.clone());
        Ok(url)
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

    /// Shows or hides "the agent is typing".
    pub fn set_typing(&self, agent_typing: bool) {
        show(&self.shared.parts.typing, agent_typing);
    }

    /// Switches the language (negotiated against the built-in and site
    /// languages, e.g. `fr-BE` -> `fr`) and relabels everything.
    pub fn set_locale(&self, tag: &str) {
        {
            let mut st = self.shared.state.borrow_mut();
            st.locale = Locale::negotiate(&[tag.to_string()], &st.cfg.fallback_language, &st.cfg.translations);
        }
        self.apply_locale();
        let theme = self.shared.state.borrow().cfg.theme.clone();
        self.set_theme(&theme);
        render(&self.shared);
    }

    /// The current language tag.
    pub fn locale(&self) -> String {
        self.shared.state.borrow().locale.tag().to_string()
    }

    /// Applies a theme: colours, font, radius, position, offsets, launcher,
    /// concierge header, avatars.
    pub fn set_theme(&self, t: &Theme) {
        let p = &self.shared.parts;
        let style = p.host.style();
        for (name, value) in theme::custom_properties(t) {
            let _ = match value {
                Some(v) => style.set_property(name, &v),
                None => style.remove_property(name).map(|_| ()),
            };
        }
        let locale = self.shared.state.borrow().locale.clone();
        attrs(&p.root, &[("data-position", if theme::is_left(t) { "left" } else { "right" })]);
        let _ = p.root.class_list().toggle_with_force("avatars", t.show_avatars);
        let text = if t.launcher_text.trim().is_empty() { locale.text(Label::LauncherText) } else { t.launcher_text.trim() };
        p.launcher_text.set_text_content(Some(text));
        set_img(&p.launcher_img, t.launcher_image.as_deref());
        let name = if t.header_name.trim().is_empty() { locale.text(Label::LauncherText) } else { t.header_name.trim() };
        p.head_name.set_text_content(Some(name));
        p.head_title.set_text_content(Some(t.header_title.trim()));
        show(&p.head_title, !t.header_title.trim().is_empty());
        set_img(&p.head_avatar, t.header_avatar.as_deref());
        self.shared.state.borrow_mut().cfg.theme = t.clone();
        show_launcher(&self.shared);
    }

    /// Opens `UiConfig::popout_url` in a new window, calls
    /// [`UiActions::popped_out`] and minimizes. False when there is no URL
    /// or the browser blocked the window.
    pub fn pop_out(&self) -> bool {
        pop_out(&self.shared)
    }

    fn apply_locale(&self) {
        let p = &self.shared.parts;
        let locale = self.shared.state.borrow().locale.clone();
        attrs(&p.root, &[("lang", locale.tag()), ("dir", if locale.is_rtl() { "rtl" } else { "ltr" })]);
        relabel(&p.root, &locale);
        show_unread(&self.shared);
    }

    fn render(&self) {
        render(&self.shared);
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.shared.listeners.borrow_mut().clear();
        self.shared.typing_timer.borrow_mut().take();
        for url in self.shared.state.borrow_mut().urls.drain(..) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        self.shared.parts.host.remove();
    }
}

fn set_img(img: &Element, src: Option<&str>) {
    match src.map(str::trim).filter(|s| theme::safe_url(s)) {
        Some(src) => {
            let _ = img.set_attribute("src", src);
            show(img, true);
        }
        None => {
            let _ = img.remove_attribute("src");
            show(img, false);
        }
    }
}

fn show_launcher(shared: &Shared) {
    let st = shared.state.borrow();
    show(&shared.parts.launcher, !st.open && !st.cfg.theme.hide_launcher);
}

/// The launcher's unread count: a badge (`99+` past 99) and its words.
fn show_unread(shared: &Shared) {
    let st = shared.state.borrow();
    let (badge, words) = match st.unread {
        0 => (String::new(), String::new()),
        n => (if n > 99 { "99+".into() } else { n.to_string() }, st.locale.format(Label::Unread, &[("count", &n.to_string())])),
    };
    let p = &shared.parts;
    p.unread.set_text_content(Some(&badge));
    p.unread_text.set_text_content(Some(&words));
    show(&p.unread, st.unread > 0);
}

/// Opens the window.
pub fn open(shared: &Rc<Shared>) {
    shared.state.borrow_mut().unread = 0;
    show_unread(shared);
    let was_open = std::mem::replace(&mut shared.state.borrow_mut().open, true);
    show(&shared.parts.window, true);
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
    shared.actions.popped_out();
    close_window(shared, "lcw:onMinimize");
    true
}

/// Shows what the phase needs: status line, log, panel, composer.
pub fn render(shared: &Rc<Shared>) {
    let p = &shared.parts;
    let (phase, locale, files_on, popout) = {
        let st = shared.state.borrow();
        (st.phase.clone(), st.locale.clone(), st.cfg.files.enabled, st.cfg.popout_url.is_some())
    };
    let status = match &phase {
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
    let live = matches!(phase, UiPhase::Connecting | UiPhase::Queued { .. } | UiPhase::Chatting { .. });
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
