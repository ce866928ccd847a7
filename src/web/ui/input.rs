//! Input handling by delegation on the widget root: clicks on
//! `[data-act]`, form submits, keys (Enter sends, Escape minimizes, Tab is
//! trapped in the open window), visitor typing, the file picker and
//! drag-and-drop.

use super::dom::{html, show};
use super::{forms, scroll};
use super::launcher::{on, target};
use super::widget::Shared;
use super::window as widget;
use crate::core::ui::files;
use crate::core::ui::labels::Label;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Event, HtmlElement, KeyboardEvent};

/// How long after the last key the visitor counts as no longer typing.
use crate::core::session::TYPING_IDLE_MS;

/// Installs the open window's listeners (the launcher has its own,
/// `super::launcher`); dropping them removes them.
pub fn listen(shared: &Rc<Shared>) -> Vec<EventListener> {
    let accept = files::accept_attr(&shared.state.borrow().cfg.files);
    if !accept.is_empty() {
        shared.parts.file.set_accept(&accept);
    }
    vec![
        on(shared, "click", click),
        on(shared, "submit", submit),
        on(shared, "keydown", keydown),
        on(shared, "input", input),
        on(shared, "change", change),
        on(shared, "dragover", dragover),
        on(shared, "dragleave", dragleave),
        on(shared, "drop", drop),
    ]
}

fn click(shared: &Rc<Shared>, e: &Event) {
    let Some(el) = target(e).and_then(|t| t.closest("[data-act]").ok().flatten()) else { return };
    let act = el.get_attribute("data-act").unwrap_or_default();
    match act.as_str() {
        "minimize" => widget::close_window(shared, "lcw:onMinimize"),
        "close" => {
            let live = shared.state.borrow().phase.is_live();
            if live {
                stop_typing(shared);
                shared.act(|a| a.end_chat());
            } else {
                widget::close_window(shared, "lcw:onClose");
            }
        }
        "end" => {
            stop_typing(shared);
            shared.act(|a| a.end_chat());
        }
        "popout" => {
            widget::pop_out(shared);
        }
        "attach" => html(&shared.parts.file).click(),
        "jump" => scroll::jump_to_end(shared),
        "retry" => super::messages::retry(shared, &el),
        "transcript" => super::transcript::download(shared),
        "sound" => super::sound::toggle(shared),
        "new-chat" => shared.act(|a| a.launcher_clicked()),
        "thumb-up" => forms::choose_thumb(shared, true),
        "thumb-down" => forms::choose_thumb(shared, false),
        a if a.starts_with("video") => shared.act(|x| x.video(a)),
        _ => {}
    }
}

fn submit(shared: &Rc<Shared>, e: &Event) {
    e.prevent_default();
    let Some(form) = target(e) else { return };
    match form.get_attribute("data-form").as_deref() {
        Some("composer") => send(shared),
        Some(which @ ("prechat" | "offline")) => forms::submit_form(shared, which, &form),
        Some("rating") => forms::submit_rating(shared),
        _ => {}
    }
}

fn notice(shared: &Shared, text: Option<&str>) {
    let n = &shared.parts.notice;
    n.set_text_content(text);
    show(n, text.is_some());
}

fn send(shared: &Rc<Shared>) {
    let input = &shared.parts.input;
    let text = input.value().trim().to_string();
    if text.is_empty() {
        return;
    }
    let max = shared.state.borrow().cfg.max_message_chars;
    if max > 0 && text.chars().count() > max {
        let msg = shared.state.borrow().locale.format(Label::MessageTooLong, &[("max", &max.to_string())]);
        notice(shared, Some(&msg));
        return;
    }
    notice(shared, None);
    input.set_value("");
    stop_typing(shared);
    shared.act(|a| a.send_text(text));
}

fn stop_typing(shared: &Rc<Shared>) {
    shared.typing_timer.borrow_mut().take();
    if std::mem::replace(&mut shared.state.borrow_mut().typing_sent, false) {
        shared.act(|a| a.typing(false));
    }
}

fn input(shared: &Rc<Shared>, e: &Event) {
    if target(e).as_ref() != Some(shared.parts.input.unchecked_ref()) {
        return;
    }
    if shared.parts.input.value().is_empty() {
        stop_typing(shared);
        return;
    }
    if !std::mem::replace(&mut shared.state.borrow_mut().typing_sent, true) {
        shared.act(|a| a.typing(true));
    }
    let weak = Rc::downgrade(shared);
    let timer = Timeout::new(TYPING_IDLE_MS, move || {
        if let Some(s) = weak.upgrade() {
            stop_typing(&s);
        }
    });
    *shared.typing_timer.borrow_mut() = Some(timer);
}

fn keydown(shared: &Rc<Shared>, e: &Event) {
    let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
    let open = shared.state.borrow().open;
    match k.key().as_str() {
        "Escape" if open => {
            e.prevent_default();
            widget::close_window(shared, "lcw:onMinimize");
        }
        "Enter" if !k.shift_key() && !k.is_composing() && target(e).as_ref() == Some(shared.parts.input.unchecked_ref()) => {
            e.prevent_default();
            send(shared);
        }
        "Tab" if open => trap(shared, k),
        _ => {}
    }
}

/// The window's focusable, visible controls in order.
fn focusables(shared: &Shared) -> Vec<HtmlElement> {
    let mut out = Vec::new();
    let sel = "button:not([disabled]),a[href],input:not([disabled]):not([type=file]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex='-1'])";
    super::dom::for_each(&shared.parts.window, sel, |e| {
        let h: HtmlElement = e.unchecked_into();
        if h.offset_parent().is_some() {
            out.push(h);
        }
    });
    out
}

fn trap(shared: &Rc<Shared>, k: &KeyboardEvent) {
    let list = focusables(shared);
    let (Some(first), Some(last)) = (list.first(), list.last()) else { return };
    let active = shared.parts.shadow.active_element();
    let at = |h: &HtmlElement| active.as_ref() == Some(h.unchecked_ref());
    let outside = !list.iter().any(&at);
    if k.shift_key() && (at(first) || outside) {
        k.prevent_default();
        let _ = last.focus();
    } else if !k.shift_key() && (at(last) || outside) {
        k.prevent_default();
        let _ = first.focus();
    }
}

/// Focuses the best control for the phase: the first form field, the
/// message input, the first panel button, else the window.
pub fn focus_default(shared: &Rc<Shared>) {
    let p = &shared.parts;
    let candidates = [
        p.panel.query_selector("input:not([type=file]),textarea,select").ok().flatten(),
        (!p.composer.has_attribute("hidden")).then(|| p.input.clone().unchecked_into()),
        p.panel.query_selector("button").ok().flatten(),
    ];
    let el = candidates.into_iter().flatten().find(|e| html(e).offset_parent().is_some());
    let _ = html(el.as_ref().unwrap_or(&p.window)).focus();
}

/// After a re-render: if the window is open and focus fell out of it,
/// put it back on the default control.
pub fn ensure_focus(shared: &Rc<Shared>) {
    if !shared.state.borrow().open {
        return;
    }
    let inside = shared.parts.shadow.active_element().is_some_and(|a| {
        a.is_connected() && shared.parts.window.contains(Some(&a)) && html(&a).offset_parent().is_some()
    });
    if !inside {
        focus_default(shared);
    }
}

/// Checks a file and hands it to the session, or shows the refusal.
fn take_file(shared: &Rc<Shared>, file: web_sys::File) {
    let verdict = {
        let st = shared.state.borrow();
        files::check(&st.cfg.files, &file.type_(), file.size() as u64).map_err(|r| r.message(&st.locale, &file.name()))
    };
    match verdict {
        Ok(()) => {
            notice(shared, None);
            shared.act(|a| a.send_file(file));
        }
        Err(msg) => notice(shared, Some(&msg)),
    }
}

fn change(shared: &Rc<Shared>, e: &Event) {
    if target(e).as_ref() != Some(shared.parts.file.unchecked_ref()) {
        return;
    }
    let file = shared.parts.file.files().and_then(|l| l.get(0));
    shared.parts.file.set_value("");
    if let Some(f) = file {
        take_file(shared, f);
    }
}

fn accepts_drop(shared: &Shared) -> bool {
    !shared.parts.composer.has_attribute("hidden")
}

fn dragover(shared: &Rc<Shared>, e: &Event) {
    if accepts_drop(shared) {
        e.prevent_default();
        show(&shared.parts.drop, true);
    }
}

fn dragleave(shared: &Rc<Shared>, e: &Event) {
    let Some(d) = e.dyn_ref::<DragEvent>() else { return };
    let still_inside = d.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_some_and(|n| shared.parts.window.contains(Some(&n)));
    if !still_inside {
        show(&shared.parts.drop, false);
    }
}

fn drop(shared: &Rc<Shared>, e: &Event) {
    show(&shared.parts.drop, false);
    if !accepts_drop(shared) {
        return;
    }
    e.prevent_default();
    let file = e.dyn_ref::<DragEvent>().and_then(|d| d.data_transfer()).and_then(|t| t.files()).and_then(|l| l.get(0));
    if let Some(f) = file {
        take_file(shared, f);
    }
}
