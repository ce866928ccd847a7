//! [`Widget`]: owns the widget's DOM, listeners and timers.

use super::build::{build, Parts};
use super::dom::{attrs, show};
use super::messages::Msgs;
use super::window::Win;
use super::{launcher, style, Launcher, UiActions};
use crate::core::ui::labels::{fill, ClosedLabel, Locale};
use crate::core::ui::model::{UiConfig, UiPhase};
use crate::core::ui::theme;
use crate::core::protocol::config::Theme;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Element;

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
    /// Read receipts (see `read`): the visitor's and the agent's seq.
    pub visitor_read: u64,
    /// The agent has seen up to this seq.
    pub agent_read: u64,
    /// The chat's connection dropped and is being restored.
    pub reconnecting: bool,
    /// The message list keeps its newest message in view: the visitor has
    /// not scrolled up to read older ones (see `scroll::follow`).
    pub follow: bool,
    /// A scroll to the newest message waits for the next frame.
    pub scroll_due: bool,
    /// Where that scroll put the list, until the visitor scrolls: its
    /// `scroll` event is not the visitor's (the list may have grown since).
    pub scrolled_to: Option<i32>,
    /// The "new messages" button, once made (see `scroll::show_jump`).
    pub jump: Option<Element>,
    /// The visitor muted the chime (see `sound`).
    pub muted: bool,
    /// When the last chime was decided (ms since the epoch).
    pub chimed_at: f64,
    /// The visitor has interacted with the page (see `sound`).
    pub activated: bool,
    /// The chime's audio context, once made.
    pub audio: Option<super::sound::Audio>,
    /// The time format of the messages' times, and the language it is for.
    pub time_format: Option<(String, js_sys::Function)>,
}

/// What listeners share (they hold it weakly).
pub struct Shared {
    /// Elements.
    pub parts: Parts,
    /// State.
    pub state: RefCell<State>,
    /// The session's actions (set by [`Widget::attach`]).
    pub actions: OnceCell<Rc<dyn UiActions>>,
    /// The owner, asked to load the window's code.
    pub launcher: Rc<dyn Launcher>,
    /// The window's code, once attached.
    pub win: Cell<Option<&'static Win>>,
    /// Stops visitor typing after a pause.
    pub typing_timer: RefCell<Option<Timeout>>,
    /// The widget's listeners (the launcher's, then the window's).
    pub listeners: RefCell<Vec<EventListener>>,
    /// The page title's count of messages, while shown (see `title`).
    pub title: RefCell<Option<super::title::TitleAlert>>,
}

impl Shared {
    /// Runs `f` with the session's actions (none before the attach).
    pub fn act(&self, f: impl FnOnce(&dyn UiActions)) {
        if let Some(a) = self.actions.get() {
            f(&**a);
        }
    }

    /// Runs `f` with the window's code when it is attached.
    pub fn win(self: &Rc<Self>, f: impl FnOnce(&'static Win, &Rc<Shared>)) {
        if let Some(w) = self.win.get() {
            f(w, self);
        }
    }
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
    /// Mounts the widget (launcher visible unless the theme hides it), with
    /// the code of a closed widget only: see [`Widget::attach`].
    pub fn mount(cfg: UiConfig, owner: Rc<dyn Launcher>) -> Result<Widget, JsValue> {
        let doc = web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))?;
        let body = doc.body().ok_or_else(|| JsValue::from_str("no <body>"))?;
        let preferred = cfg.locale.clone().map(|l| vec![l]).unwrap_or_else(languages);
        let locale = Locale::negotiate(&preferred, &cfg.fallback_language, &cfg.translations);
        let parts = build(&doc)?;
        style::adopt(&parts.shadow)?;
        let state = State {
            cfg, locale, phase: UiPhase::Idle, open: false, msgs: Msgs::default(), urls: vec![], typing_sent: false, reconnecting: false,
            thumb: None, rated: false, offline_sent: false, unread: 0, visitor_read: 0, agent_read: 0, follow: true, scroll_due: false, scrolled_to: None, jump: None, time_format: None,
            muted: false, chimed_at: 0.0, activated: false, audio: None,
        };
        let shared = Rc::new(Shared {
            parts, state: RefCell::new(state), actions: OnceCell::new(), launcher: owner, win: Cell::new(None),
            typing_timer: RefCell::new(None), listeners: RefCell::new(vec![]), title: RefCell::new(None),
        });
        *shared.listeners.borrow_mut() = launcher::listen(&shared);
        let widget = Widget { shared };
        let theme = widget.shared.state.borrow().cfg.theme.clone();
        widget.apply_locale();
        widget.set_theme(&theme);
        body.append_child(&widget.shared.parts.host)?;
        Ok(widget)
    }

    /// Whether [`Widget::attach`] ran.
    pub fn attached(&self) -> bool {
        self.shared.win.get().is_some()
    }

    /// Marks the launcher busy (a click is loading the window's code) or
    /// not; a busy launcher ignores clicks.
    pub fn set_busy(&self, busy: bool) {
        launcher::set_busy(&self.shared, busy);
    }

    /// What a launcher click does once the window's code is attached: opens
    /// the window and calls [`UiActions::launcher_clicked`].
    pub fn launch(&self) {
        self.set_busy(false);
        self.shared.win(|w, s| (w.launch)(s));
    }

    /// Opens the window, moves focus into it, dispatches `lcw:onMaximize`.
    pub fn open(&self) {
        self.shared.win(|w, s| (w.open)(s));
    }

    /// Closes the window to the launcher (the conversation goes on),
    /// returns focus to the launcher, dispatches `lcw:onMinimize`.
    pub fn minimize(&self) {
        self.shared.win(|w, s| (w.close)(s, "lcw:onMinimize"));
    }

    /// Closes the window, returns focus to the launcher, dispatches
    /// `lcw:onClose`.
    pub fn hide(&self) {
        self.shared.win(|w, s| (w.close)(s, "lcw:onClose"));
    }

    /// An agent message came: counted on the launcher while the window is
    /// closed (cleared when it opens), and in the page's title while the
    /// page is hidden (see `title`). (Its chime: [`Widget::may_chime`].)
    pub fn note_unread(&self) {
        super::title::note(&self.shared);
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

    /// Shows a progress bar (0..1) on a message; 1 or more removes it.
    pub fn set_upload_progress(&self, id: &str, fraction: f64) {
        self.shared.win(|w, s| (w.progress)(s, id, fraction));
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

    /// Shows or hides "the agent is typing".
    pub fn set_typing(&self, agent_typing: bool) {
        show(&self.shared.parts.typing, agent_typing);
    }

    /// Switches the language (negotiated against the built-in and site
    /// languages, e.g. `fr-BE` -> `fr`) and relabels everything (the
    /// window once its code is attached).
    pub fn set_locale(&self, tag: &str) {
        {
            let mut st = self.shared.state.borrow_mut();
            st.locale = Locale::negotiate(&[tag.to_string()], &st.cfg.fallback_language, &st.cfg.translations);
        }
        self.apply_locale();
        let theme = self.shared.state.borrow().cfg.theme.clone();
        self.set_theme(&theme);
        self.shared.win(|w, s| (w.relabel)(s));
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
        let text = if t.launcher_text.trim().is_empty() { locale.closed_text(ClosedLabel::LauncherText) } else { t.launcher_text.trim() };
        p.launcher_text.set_text_content(Some(text));
        set_img(&p.launcher_img, t.launcher_image.as_deref());
        let name = if t.header_name.trim().is_empty() { locale.closed_text(ClosedLabel::LauncherText) } else { t.header_name.trim() };
        p.head_name.set_text_content(Some(name));
        p.head_title.set_text_content(Some(t.header_title.trim()));
        show(&p.head_title, !t.header_title.trim().is_empty());
        set_img(&p.head_avatar, t.header_avatar.as_deref());
        self.shared.state.borrow_mut().cfg.theme = t.clone();
        if !t.title_alert {
            super::title::clear(&self.shared);
        }
        show_launcher(&self.shared);
    }

    /// Opens `UiConfig::popout_url` in a new window, calls
    /// [`UiActions::popped_out`] and minimizes. False when there is no URL
    /// or the browser blocked the window.
    pub fn pop_out(&self) -> bool {
        let mut done = false;
        self.shared.win(|w, s| done = (w.pop_out)(s));
        done
    }

    /// The language and direction, and the closed widget's labels; the
    /// window's are filled by its code (`Win::relabel`), so that a closed
    /// widget's code reaches only [`ClosedLabel`]'s tables.
    fn apply_locale(&self) {
        let p = &self.shared.parts;
        let locale = self.shared.state.borrow().locale.clone();
        attrs(&p.root, &[("lang", locale.tag()), ("dir", if locale.is_rtl() { "rtl" } else { "ltr" })]);
        show_unread(&self.shared);
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.shared.listeners.borrow_mut().clear();
        self.shared.typing_timer.borrow_mut().take();
        super::title::clear(&self.shared);
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

/// Shows the launcher unless the window is open or the theme hides it.
pub fn show_launcher(shared: &Shared) {
    let st = shared.state.borrow();
    show(&shared.parts.launcher, !st.open && !st.cfg.theme.hide_launcher);
}

/// The launcher's unread count: a badge (`99+` past 99) and its words.
pub fn show_unread(shared: &Shared) {
    let st = shared.state.borrow();
    let (badge, words) = match st.unread {
        0 => (String::new(), String::new()),
        n => (if n > 99 { "99+".into() } else { n.to_string() }, fill(st.locale.closed_text(ClosedLabel::Unread), &[("count", &n.to_string())])),
    };
    let p = &shared.parts;
    p.unread.set_text_content(Some(&badge));
    p.unread_text.set_text_content(Some(&words));
    show(&p.unread, st.unread > 0);
}

