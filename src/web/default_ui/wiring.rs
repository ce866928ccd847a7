//! The default widget's wiring to the SDK, reached only from [`attach`]
//! (`Ops::ui_attach`, src/web/lazy.rs), so that it loads with the chat's
//! chunk together with the widget's open window: the visitor's actions
//! ([`UiActions`]) and the SDK events that drive the widget.

use super::{field, files, now, remember, video, with_widget, Flags};
use crate::core::protocol::{self as p, WidgetConfig};
use crate::web::chat;
use crate::web::events::report;
use crate::web::session::{http, url};
use crate::web::state::{ChatPhase, Inner};
use crate::web::ui::{Author, MessageStatus, UiActions, UiConfig, UiMessage, UiPhase, Widget};
use gloo_events::EventListener;
use js_sys::Reflect;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::spawn_local;

/// Attaches the widget's window code with the default UI's actions and
/// the whole widget configuration, and starts listening to the SDK's
/// events (once).
pub fn attach(inner: &Rc<Inner>) {
    let ui = inner.ui.borrow();
    let Some(ui) = ui.as_ref().filter(|u| !u.widget.attached()) else { return };
    let whole = ui.config_text.as_deref().map(|t| http::parse::<WidgetConfig>(t, "widget config"));
    let config = match whole {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            report(&e);
            WidgetConfig::default()
        }
        None => WidgetConfig::default(),
    };
    ui.config.set(Flags { prechat: config.pre_chat.enabled, offline: config.offline_form.enabled, rating: config.rating_enabled, video: config.video.enabled });
    ui.widget.configure(UiConfig::from_widget(config));
    ui.widget.set_muted(super::sound::muted(inner));
    ui.widget.attach(Rc::new(Actions { inner: Rc::downgrade(inner) }));
    *ui.listeners.borrow_mut() = listen(inner);
}

struct Actions {
    inner: Weak<Inner>,
}

/// Runs `f` with the live SDK state and its widget, in a microtask.
fn later(inner: &Weak<Inner>, f: impl FnOnce(Rc<Inner>) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> + 'static) {
    // Not after destroy() (which a page may call from a handler of the
    // event this action follows).
    if let Some(i) = inner.upgrade().filter(|i| !i.destroyed.get()) {
        spawn_local(f(i));
    }
}

impl UiActions for Actions {
    fn seen(&self) {
        if let Some(inner) = self.inner.upgrade().filter(|i| !i.destroyed.get()) {
            if let Some(ops) = crate::web::lazy::kept(&inner) {
                (ops.mark_read)(&inner);
            }
        }
    }

    fn sound_muted(&self, muted: bool) {
        if let Some(inner) = self.inner.upgrade() {
            super::sound::remember(&inner, muted);
        }
    }

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
            with_widget(&inner, |w, _| w.add_message(&UiMessage { id, from: Author::Visitor, text, at_ms: now(), status, attachment: None, seq: 0 }));
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

    fn video(&self, act: &str) {
        video::act(&self.inner, act);
    }

    fn launcher_clicked(&self) {
        later(&self.inner, move |inner| Box::pin(async move {
            if inner.phase.get() != ChatPhase::Idle {
                return;
            }
            let (prechat, offline) = inner.ui.borrow().as_ref().map_or((false, false), |u| { let c = u.config.get(); (c.prechat, c.offline) });
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

fn ui_message(m: &JsValue) -> UiMessage {
    let text = field(m, "text").as_string().unwrap_or_default();
    let name = field(m, "authorName").as_string();
    let from = match field(m, "sender").as_string().as_deref() {
        Some("visitor") => Author::Visitor,
        Some("agent") => Author::Agent { name: name.unwrap_or_else(|| "Agent".into()), avatar: None },
        _ => Author::System,
    };
    let status = if field(m, "status").as_string().as_deref() == Some("sending") { MessageStatus::Sending } else { MessageStatus::Sent };
    UiMessage { id: field(m, "id").as_string().unwrap_or_default(), from, text, at_ms: field(m, "timestamp").as_f64().unwrap_or_else(now), status, attachment: files::ui_attachment(m),
        seq: field(m, "seq").as_f64().map_or(0, |s| s as u64) }
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
        // What was read before this page (or in another tab).
        if let Some(r) = crate::web::lazy::kept(i).and_then(|ops| (ops.read_state)(i)) {
            w.read_up_to(r.visitor);
            w.seen_up_to(r.agent);
        }
    });
    on("lcw:messagesRead", |_, w, _, d| {
        let seq = field(&d, "seq").as_f64().map_or(0, |s| s as u64);
        if field(&d, "reader").as_string().as_deref() == Some("agent") {
            w.seen_up_to(seq);
        } else {
            w.read_up_to(seq);
        }
    });
    on("lcw:onMessageReceived", |i, w, _, d| {
        let m = ui_message(&d);
        if matches!(m.from, Author::Agent { .. }) {
            w.note_unread();
            super::sound::agent_message(i);
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
            w.acked(&m.id, m.seq);
        } else {
            w.add_message(&m);
        }
    });
    // A message the chat server refused: "Not sent" instead of "Sending…".
    on("lcw:error", |i, w, _, d| {
        let Some(id) = field(&d, "clientId").as_string() else { return };
        if let Some(u) = i.ui.borrow().as_ref() {
            u.own.borrow_mut().retain(|o| *o != id);
        }
        w.set_status(&id, MessageStatus::Failed);
    });
    on("lcw:agentTyping", |_, w, _, d| w.set_typing(field(&d, "isTyping").as_bool() == Some(true)));
    on("lcw:chatReconnecting", |_, w, _, _| w.set_reconnecting(true));
    on("lcw:chatReconnected", |_, w, _, _| w.set_reconnecting(false));
    // The launcher shows or hides: an invite on screen moves with it.
    for name in ["lcw:onMaximize", "lcw:onMinimize", "lcw:onClose"] {
        on(name, |i, _, _, _| {
            crate::web::proactive::place_bubble(i);
            super::sound::watch(i);
        });
    }
    // Whether this page shows the chat, for the other tabs' chimes.
    for name in ["focus", "blur"] {
        on(name, |i, _, _, _| super::sound::watch(i));
    }
    on("lcw:threadUpdate", |_, w, c, _| w.set_phase(UiPhase::Ended { can_rate: c.rating }));
    on("lcw:closeChat", |_, w, c, _| w.set_phase(UiPhase::Ended { can_rate: c.rating }));
    for name in video::EVENTS {
        on(name, |i, _, _, _| video::refresh(i));
    }
    if let Some(doc) = window.document() {
        let weak = Rc::downgrade(inner);
        out.push(EventListener::new(&doc, "visibilitychange", move |_| {
            if let Some(i) = weak.upgrade() {
                super::sound::watch(&i);
            }
        }));
    }
    out
}

