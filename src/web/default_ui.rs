//! The default widget wired to the SDK. The widget learns what happens from
//! the SDK's own window events (as a headless site would) and asks for
//! things through `UiActions`, which call the same paths as the public
//! API. Actions run in a microtask, never inside the widget's own handler.
//!
//! In two stages (`src/web/ui/mod.rs`, "Two stages"): [`mount`] shows the
//! launcher; the window's code and this wiring ([`attach`], in
//! `wiring.rs`) come with the chat's chunk, loaded by the first of a
//! launcher click (or earlier, when the pointer or focus reaches it), an
//! invite shown, a chat started or a stored one picked up.

use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::ui::model::WidgetLook;
use crate::web::events::report;
use crate::web::session::{http, url};
use crate::web::state::{ChatPhase, Inner};
use crate::web::ui::{Launcher, UiConfig, Widget};
use crate::web::proactive::invite::Anchor;
use gloo_events::EventListener;
use js_sys::Reflect;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

mod files;
pub mod sound;
mod video;
mod wiring;

pub use wiring::attach;

/// The mounted default UI: the widget and the listeners that drive it.
pub struct DefaultUi {
    /// The widget.
    pub widget: Widget,
    /// What the default UI needs of the widget's configuration (the
    /// widget keeps the whole of it; a second copy would link the clone
    /// code of its maps). All off until the attach reads it.
    pub config: Cell<Flags>,
    /// The widget configuration's text from the server, read whole at the
    /// attach (none without a server, or when it could not be fetched).
    pub config_text: Option<String>,
    /// Ids of messages the widget itself showed while sending: their ack
    /// only changes the mark (the shown message may carry a preview).
    /// (A list, not a set: it holds the few messages in flight, and a
    /// `BTreeSet<String>` would add ~4 KB of tree code to the wasm.)
    pub own: RefCell<Vec<String>>,
    /// The SDK events that drive the widget (listened to from the attach).
    pub listeners: RefCell<Vec<EventListener>>,
    /// Held while this page shows the chat, so that other tabs of the
    /// conversation do not chime (see `sound::watch`).
    pub watching: RefCell<Option<crate::web::tabs::lock::Lock>>,
}

/// The parts of the widget configuration the default UI acts on.
#[derive(Clone, Copy, Default)]
pub struct Flags {
    /// The pre-chat form is on.
    pub prechat: bool,
    /// The offline form is on.
    pub offline: bool,
    /// Rating is on.
    pub rating: bool,
    /// Video calls are on for the widget.
    pub video: bool,
}

fn with_widget(inner: &Inner, f: impl FnOnce(&Widget, &Flags)) {
    if let Some(ui) = inner.ui.borrow().as_ref() {
        f(&ui.widget, &ui.config.get());
    }
}

fn remember(inner: &Inner, id: &str) {
    if let Some(ui) = inner.ui.borrow().as_ref() {
        ui.own.borrow_mut().push(id.to_string());
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// The launcher of a widget whose window's code is not attached yet.
struct Owner {
    inner: Weak<Inner>,
}

impl Launcher for Owner {
    /// A click may follow: the chat's code (which brings the window's)
    /// starts loading, so that the click does not wait for it.
    fn approached(&self) {
        if self.inner.upgrade().is_some_and(|i| i.phase.get() == ChatPhase::Idle) {
            crate::web::lazy::prefetch(self.inner.clone());
        }
    }

    /// Loads the chat's code, which attaches the window (`lazy::load`),
    /// then opens it. A chunk that cannot be fetched is an `lcw:error`
    /// code 7, and the next click tries again.
    fn clicked(&self) {
        let Some(inner) = self.inner.upgrade() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = crate::web::lazy::load(&inner).await;
            if let Err(e) = &loaded {
                report(e);
            }
            if let Some(ui) = inner.ui.borrow().as_ref() {
                match loaded {
                    Ok(_) => ui.widget.launch(),
                    Err(_) => ui.widget.set_busy(false),
                }
            }
        });
    }
}

/// Mounts the default UI (unless the page chose `ui: "none"`), with the
/// widget configuration from the chat server when there is one.
pub async fn mount(inner: Rc<Inner>) {
    if !inner.config.default_ui || inner.ui.borrow().is_some() {
        return;
    }
    // A closed widget reads only its look; the whole configuration is read
    // from the same text when the window's code is attached (`wiring.rs`).
    let mut look = WidgetLook::default();
    let mut config_text = None;
    if let Some(base) = inner.config.server_url.clone() {
        let path = format!("/v1/widgets/{}/config", inner.config.widget_id);
        let text = http::request("GET", &url(&base, &path), None, None).await;
        // The site's proactive rules come with it (used unless the page has its own).
        if let Ok(t) = &text {
            crate::web::proactive::server::apply_config(&inner, t);
        }
        match text.and_then(|t| http::parse::<WidgetLook>(&t, "widget config").map(|l| (l, t))) {
            Ok((l, t)) => {
                look = l;
                config_text = Some(t);
            }
            Err(e) => report(&e),
        }
    }
    if inner.destroyed.get() {
        return;
    }
    let mut config = UiConfig::from_look(look);
    // setLocale may have run while the configuration was loading.
    if let Some(tag) = inner.locale.borrow().clone() {
        config.locale = Some(tag);
    }
    let owner = Rc::new(Owner { inner: Rc::downgrade(&inner) });
    match Widget::mount(config, owner) {
        Ok(widget) => {
            *inner.ui.borrow_mut() = Some(DefaultUi {
                widget, config: Cell::new(Flags::default()), config_text, own: Default::default(), listeners: Default::default(),
                watching: Default::default(),
            });
            // The chat's code came first (a stored chat picked up): attach now.
            if let Some(ops) = crate::web::lazy::loaded(&inner) {
                (ops.ui_attach)(&inner);
            }
            // An invite shown before the widget came moves above its launcher.
            crate::web::proactive::place_bubble(&inner);
        }
        Err(e) => report(&RuntimeError::new(ErrorCode::SdkLoadFailed, format!("the chat widget could not be shown: {}", crate::web::js_error::describe(&e)))),
    }
}

/// Where the launcher is, for the invite bubble to sit above it; none while
/// the launcher is hidden (window open, theme without launcher) or not laid
/// out.
pub fn launcher_anchor(inner: &Inner) -> Option<Anchor> {
    let ui = inner.ui.borrow();
    let (launcher, left) = ui.as_ref()?.widget.launcher()?;
    let view = web_sys::window()?.document()?.document_element()?;
    let r = launcher.get_bounding_client_rect();
    if r.width() <= 0.0 || r.height() <= 0.0 {
        return None;
    }
    let side = if left { r.left() } else { f64::from(view.client_width()) - r.right() };
    Some(Anchor { left, side, bottom: f64::from(view.client_height()) - r.top() })
}
