//! The default widget wired to the SDK. The widget learns what happens from
//! the SDK's own window events (as a headless site would) and asks for
//! things through [`UiActions`], which call the same paths as the public
//! API. Actions run in a microtask, never inside the widget's own handler.

use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::{self as p, WidgetConfig};
use crate::web::events::report;
use crate::web::session::{http, url};
use crate::web::state::{ChatPhase, Inner};
use crate::web::ui::{Author, MessageStatus, UiActions, UiConfig, UiMessage, UiPhase, Widget};
use crate::web::chat;
use crate::web::proactive::invite::Anchor;
use gloo_events::EventListener;
use js_sys::Reflect;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

mod files;
mod video;

/// The mounted default UI: the widget and the listeners that drive it.
pub struct DefaultUi {
    /// The widget.
    pub widget: Widget,
    /// What the default UI needs of the widget's configuration (the
    /// widget keeps the whole of it; a second copy would link the clone
    /// code of its maps).
    pub config: Flags,
    /// Ids of messages the widget itself showed while sending: their ack
    /// only changes the mark (the shown message may carry a preview).
    /// (A list, not a set: it holds the few messages in flight, and a
    /// `BTreeSet<String>` would add ~4 KB of tree code to the wasm.)
    pub own: std::cell::RefCell<Vec<String>>,
    _listeners: Vec<EventListener>,
}

/// The parts of the widget configuration the default UI acts on.
#[derive(Clone, Copy)]
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

struct Actions {
    inner: Weak<Inner>,
}

/// Runs `f` with the live SDK state and its widget, in a microtask.
fn later(inner: &Weak<Inner>, f: impl FnOnce(Rc<Inner>) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> + 'static) {
    if let Some(i) = inner.upgrade() {
        spawn_local(f(i));
    }
}

fn with_widget(inner: &Inner, f: impl FnOnce(&Widget, &Flags)) {
    if let Some(ui) = inner.ui.borrow().as_ref() {
        f(&ui.widget, &ui.config);
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

impl UiActions for Actions {
    fn send_text(&self, text: String) {
        later(&self.inner, move |inner| Box::pin(async move {
            let sent = chat::send_text(&inner, text.clone());
            let (id, status) = match sent {
                Ok(id) => (id, MessageStatus::Sending),
                Err(e) => {
                    report(&e);
                    (crate::web::session::random_id(), MessageStatus::Failed)
                }
            };
            remember(&inner, &id);
            with_widget(&inner, |w, _| w.add_message(&UiMessage { id, from: Author::Visitor, text, at_ms: now(), status, attachment: None }));
        }));
    }

    fn send_file(&self, file: web_sys::File) {
        later(&self.inner, move |inner| Box::pin(files::send(inner, file)));
    }

    fn submit_prechat(&self, answers: Vec<(String, String)>) {
        later(&self.inner, move |inner| Box::pin(async move {
            {
                // Inserted one by one: `collect` would add BTreeMap's
                // bulk-build code (a sort) to the wasm for this one map.
                let mut kept = inner.prechat_answers.borrow_mut();
                kept.clear();
                for (k, v) in answers {
                    kept.insert(k, v);
                }
            }
            with_widget(&inner, |w, _| w.set_phase(UiPhase::Connecting));
            chat::start(inner, None, None).await;
        }));
    }

    fn submit_offline(&self, answers: Vec<(String, String)>) {
        later(&self.inner, move |inner| Box::pin(async move {
            let Some(base) = inner.config.server_url.clone() else { return };
            // Sorted out in one pass (no BTreeMap collect/remove code).
            let mut req = p::OfflineMessageRequest { name: String::new(), email: String::new(), message: String::new(), fields: BTreeMap::new() };
            for (k, v) in answers {
                match k.as_str() {
                    "name" => req.name = v,
                    "email" => req.email = v,
                    "message" => req.message = v,
                    _ => {
                        req.fields.insert(k, v);
                    }
                }
            }
            let body = crate::core::json::to_string(&req);
            let path = format!("/v1/widgets/{}/offline-messages", inner.config.widget_id);
            if let Err(e) = http::request("POST", &url(&base, &path), Some(&body), None).await {
                report(&e);
            }
        }));
    }

    fn rate(&self, thumbs_up: bool, comment: Option<String>) {
        later(&self.inner, move |inner| Box::pin(async move {
            let Some((base, id, token)) = inner.last_conversation.borrow().clone() else { return };
            let req = p::RatingRequest { rating: if thumbs_up { p::Rating::Up } else { p::Rating::Down }, comment };
            let body = crate::core::json::to_string(&req);
            if let Err(e) = http::request("POST", &url(&base, &format!("/v1/conversations/{id}/rating")), Some(&body), Some(&token)).await {
                report(&e);
            }
        }));
    }

    fn end_chat(&self) {
        later(&self.inner, move |inner| Box::pin(async move { chat::close(&inner).await }));
    }

    fn typing(&self, is_typing: bool) {
        if let Some(inner) = self.inner.upgrade() {
            if let Some(ops) = crate::web::lazy::loaded(&inner) {
                (ops.typing)(&inner, is_typing);
            }
        }
    }

    /// A click on the launcher may follow: the chat's code starts loading
    /// (`lazy::prefetch`), so the chat it starts does not wait for it.
    fn launcher_approached(&self) {
        if self.inner.upgrade().is_some_and(|i| i.phase.get() == ChatPhase::Idle) {
            crate::web::lazy::prefetch(self.inner.clone());
        }
    }

    fn video(&self, act: &str) {
        video::act(&self.inner, act);
    }

    fn launcher_clicked(&self) {
        later(&self.inner, move |inner| Box::pin(async move {
            if inner.phase.get() != ChatPhase::Idle {
                return;
            }
            let (prechat, offline) = inner.ui.borrow().as_ref().map_or((false, false), |u| (u.config.prechat, u.config.offline));
            if offline && inner.config.server_url.is_some() {
                if let Ok(a) = chat::availability(&inner).await {
                    if Reflect::get(&a, &"isAgentAvailable".into()).ok().and_then(|v| v.as_bool()) == Some(false) {
                        with_widget(&inner, |w, _| w.set_phase(UiPhase::Offline));
                        return;
                    }
                }
            }
            if prechat {
                with_widget(&inner, |w, _| w.set_phase(UiPhase::Prechat));
                // The chat's code loads while the visitor fills the form.
                crate::web::lazy::prefetch(Rc::downgrade(&inner));
            } else {
                with_widget(&inner, |w, _| w.set_phase(UiPhase::Connecting));
                chat::start(inner, None, None).await;
            }
        }));
    }
}

fn detail(e: &web_sys::Event) -> JsValue {
    e.dyn_ref::<web_sys::CustomEvent>().map_or(JsValue::UNDEFINED, |c| c.detail())
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn ui_message(m: &JsValue) -> UiMessage {
    let text = field(m, "text").as_string().unwrap_or_default();
    let name = field(m, "authorName").as_string();
    let from = match field(m, "sender").as_string().as_deref() {
        Some("visitor") => Author::Visitor,
        Some("agent") => Author::Agent { name: name.unwrap_or_else(|| "Agent".into()), avatar: None },
        _ => Author::System,
    };
    let status = if field(m, "status").as_string().as_deref() == Some("sending") { MessageStatus::Sending } else { MessageStatus::Sent };
    UiMessage { id: field(m, "id").as_string().unwrap_or_default(), from, text, at_ms: field(m, "timestamp").as_f64().unwrap_or_else(now), status, attachment: files::ui_attachment(m) }
}

/// Keeps the widget in step with the SDK's events.
fn listen(inner: &Rc<Inner>) -> Vec<EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let mut out = Vec::new();
    let mut on = |name: &'static str, f: fn(&Rc<Inner>, &Widget, &Flags, JsValue)| {
        let weak = Rc::downgrade(inner);
        out.push(EventListener::new(&window, name, move |e| {
            let d = detail(e);
            if let Some(i) = weak.upgrade() {
                with_widget(&i, |w, c| f(&i, w, c, d));
            }
        }));
    };
    on("lcw:startChat", |_, w, _, _| {
        w.open();
        w.set_phase(UiPhase::Connecting);
    });
    on("lcw:chatQueued", |_, w, _, d| {
        let position = field(&d, "positionInQueue").as_f64().map_or(1, |p| p as u32);
        w.set_phase(UiPhase::Queued { position, wait_secs: None });
    });
    on("lcw:agentJoined", |_, w, _, d| w.set_phase(UiPhase::Chatting { agent_name: field(&d, "agentName").as_string() }));
    on("lcw:chatRetrieved", |i, w, _, _| {
        w.set_phase(UiPhase::Chatting { agent_name: None });
        // The session or, in many-tabs mode, the tabs hub holds the history.
        for m in crate::web::chat::messages_js(i).iter() {
            files::show(i, w, ui_message(&m), &m);
        }
    });
    on("lcw:onMessageReceived", |i, w, _, d| {
        let m = ui_message(&d);
        if matches!(m.from, Author::Agent { .. }) {
            w.note_unread();
        }
        files::show(i, w, m, &d);
    });
    on("lcw:onMessageSent", |i, w, _, d| {
        let m = ui_message(&d);
        let own = i.ui.borrow().as_ref().is_some_and(|u| {
            let mut own = u.own.borrow_mut();
            let at = own.iter().position(|o| *o == m.id);
            at.map(|at| own.swap_remove(at)).is_some()
        });
        if own {
            w.set_status(&m.id, MessageStatus::Sent);
        } else {
            w.add_message(&m);
        }
    });
    on("lcw:agentTyping", |_, w, _, d| w.set_typing(field(&d, "isTyping").as_bool() == Some(true)));
    // The launcher shows or hides: an invite on screen moves with it.
    for name in ["lcw:onMaximize", "lcw:onMinimize", "lcw:onClose"] {
        on(name, |i, _, _, _| crate::web::proactive::place_bubble(i));
    }
    on("lcw:threadUpdate", |_, w, c, _| w.set_phase(UiPhase::Ended { can_rate: c.rating }));
    on("lcw:closeChat", |_, w, c, _| w.set_phase(UiPhase::Ended { can_rate: c.rating }));
    for name in video::EVENTS {
        on(name, |i, _, _, _| video::refresh(i));
    }
    out
}

/// Mounts the default UI (unless the page chose `ui: "none"`), with the
/// widget configuration from the chat server when there is one.
pub async fn mount(inner: Rc<Inner>) {
    if !inner.config.default_ui || inner.ui.borrow().is_some() {
        return;
    }
    let mut widget_config = WidgetConfig::default();
    if let Some(base) = inner.config.server_url.clone() {
        let path = format!("/v1/widgets/{}/config", inner.config.widget_id);
        let text = http::request("GET", &url(&base, &path), None, None).await;
        // The site's proactive rules come with it (used unless the page has its own).
        if let Ok(t) = &text {
            crate::web::proactive::server::apply_config(&inner, t);
        }
        match text.and_then(|t| http::parse::<WidgetConfig>(&t, "widget config")) {
            Ok(c) => widget_config = c,
            Err(e) => report(&e),
        }
    }
    if inner.destroyed.get() {
        return;
    }
    let video_on = widget_config.video.enabled;
    let mut config = UiConfig::from_widget(widget_config);
    // setLocale may have run while the configuration was loading.
    if let Some(tag) = inner.locale.borrow().clone() {
        config.locale = Some(tag);
    }
    let actions = Rc::new(Actions { inner: Rc::downgrade(&inner) });
    let flags = Flags { prechat: config.pre_chat.enabled, offline: config.offline_form.enabled, rating: config.rating_enabled, video: video_on };
    match Widget::mount(config, actions) {
        Ok(widget) => {
            let listeners = listen(&inner);
            *inner.ui.borrow_mut() = Some(DefaultUi { widget, config: flags, own: Default::default(), _listeners: listeners });
            // An invite shown before the widget came moves above its launcher.
            crate::web::proactive::place_bubble(&inner);
        }
        Err(e) => report(&RuntimeError::new(ErrorCode::SdkLoadFailed, format!("the chat widget could not be shown: {}", crate::web::js_error::describe(&e)))),
    }
}

use wasm_bindgen::JsCast as _;

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
