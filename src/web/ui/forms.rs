//! The panel: welcome (Idle), pre-chat and offline forms, the end view with
//! the thumbs rating. Forms are validated by `core::ui::forms`; only valid
//! answers reach the session.

use super::dom::{add, attrs, clear, el, html, icon, icons, label, show, text_el};
use super::widget::Shared;
use crate::core::protocol::config::FormConfig;
use crate::core::ui::forms::{validate, FieldKind};
use crate::core::ui::labels::{Label, Locale};
use crate::core::ui::model::UiPhase;
use js_sys::Reflect;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

fn button(doc: &Document, class: &str, kind: &str) -> Element {
    let b = el(doc, "button", class);
    attrs(&b, &[("type", kind)]);
    b
}

fn field_id(form: &str, i: usize) -> String {
    format!("lcw-{form}-{i}")
}

fn render_form(doc: &Document, panel: &Element, locale: &Locale, which: &str, form: &FormConfig) {
    let (title, submit) = match which {
        "prechat" => (Label::PrechatTitle, Label::StartChat),
        _ => (Label::OfflineTitle, Label::OfflineSubmit),
    };
    let f = add(panel, el(doc, "form", "panel"));
    attrs(&f, &[("data-form", which), ("novalidate", ""), ("aria-labelledby", &format!("lcw-{which}-h"))]);
    let h = add(&f, el(doc, "h3", ""));
    h.set_id(&format!("lcw-{which}-h"));
    label(&h, locale, title);
    if !form.greeting.trim().is_empty() {
        add(&f, text_el(doc, "p", "", form.greeting.trim()));
    }
    let summary = add(&f, el(doc, "p", "form-error"));
    attrs(&summary, &[("role", "alert"), ("data-summary", "")]);
    label(&summary, locale, Label::FixErrors);
    show(&summary, false);
    for (i, fd) in form.fields.iter().enumerate() {
        let id = field_id(which, i);
        let kind = FieldKind::of(fd);
        let wrap = add(&f, el(doc, "div", if kind == FieldKind::Consent { "field consent" } else { "field" }));
        let text = locale.field_label(&fd.name, &fd.label);
        let lab = el(doc, "label", "");
        attrs(&lab, &[("for", &id)]);
        lab.set_text_content(Some(&text));
        if fd.required {
            let _ = lab.append_child(&doc.create_text_node(" "));
            label(&add(&lab, el(doc, "span", "req")), locale, Label::Required);
        }
        let input = match kind {
            FieldKind::Textarea => el(doc, "textarea", ""),
            FieldKind::Select => {
                let s = el(doc, "select", "");
                let empty = add(&s, el(doc, "option", ""));
                attrs(&empty, &[("value", "")]);
                label(&empty, locale, Label::Choose);
                for o in &fd.options {
                    attrs(&add(&s, text_el(doc, "option", "", o)), &[("value", o)]);
                }
                s
            }
            _ => {
                let i = el(doc, "input", "");
                let (ty, auto) = match (kind, fd.name.as_str()) {
                    (FieldKind::Email, _) => ("email", "email"),
                    (FieldKind::Tel, _) => ("tel", "tel"),
                    (FieldKind::Consent, _) => ("checkbox", ""),
                    (_, "name") => ("text", "name"),
                    _ => ("text", ""),
                };
                attrs(&i, &[("type", ty)]);
                if !auto.is_empty() {
                    attrs(&i, &[("autocomplete", auto)]);
                }
                i
            }
        };
        let err_id = format!("{id}-err");
        attrs(&input, &[("id", &id), ("name", &fd.name), ("aria-describedby", &err_id)]);
        if fd.required {
            attrs(&input, &[("aria-required", "true")]);
        }
        if kind == FieldKind::Consent {
            let _ = wrap.append_child(&input);
            let _ = wrap.append_child(&lab);
        } else {
            let _ = wrap.append_child(&lab);
            let _ = wrap.append_child(&input);
        }
        let err = add(&wrap, el(doc, "p", "field-error"));
        err.set_id(&err_id);
        show(&err, false);
    }
    label(&add(&f, button(doc, "primary", "submit")), locale, submit);
}

fn render_rating(doc: &Document, panel: &Element, locale: &Locale, thumb: Option<bool>) {
    let f = add(panel, el(doc, "form", "panel"));
    attrs(&f, &[("data-form", "rating"), ("novalidate", ""), ("aria-labelledby", "lcw-rate-h")]);
    let h = add(&f, el(doc, "h3", ""));
    h.set_id("lcw-rate-h");
    label(&h, locale, Label::RatePrompt);
    let thumbs = add(&f, el(doc, "div", "thumbs"));
    attrs(&thumbs, &[("role", "group"), ("aria-labelledby", "lcw-rate-h")]);
    for (up, class, act, l) in [(true, "thumb up", "thumb-up", Label::ThumbsUp), (false, "thumb down", "thumb-down", Label::ThumbsDown)] {
        let b = add(&thumbs, button(doc, class, "button"));
        attrs(&b, &[("data-act", act), ("aria-pressed", if thumb == Some(up) { "true" } else { "false" })]);
        let _ = b.append_child(&icon(doc, icons::THUMB));
        label(&add(&b, el(doc, "span", "")), locale, l);
    }
    let more = add(&f, el(doc, "div", "panel"));
    attrs(&more, &[("data-rate-more", "")]);
    show(&more, thumb.is_some());
    let wrap = add(&more, el(doc, "div", "field"));
    let lab = add(&wrap, el(doc, "label", ""));
    attrs(&lab, &[("for", "lcw-rate-comment")]);
    label(&lab, locale, Label::Comment);
    attrs(&add(&wrap, el(doc, "textarea", "")), &[("id", "lcw-rate-comment"), ("maxlength", "1000")]);
    label(&add(&more, button(doc, "primary", "submit")), locale, Label::SendFeedback);
}

fn new_chat(doc: &Document, panel: &Element, locale: &Locale, class: &str, l: Label) {
    let b = add(panel, button(doc, class, "button"));
    attrs(&b, &[("data-act", "new-chat")]);
    label(&b, locale, l);
}

/// Answers currently typed in the panel's form, by field name.
fn snapshot(shared: &Shared) -> Vec<(String, String)> {
    let mut out = Vec::new();
    super::dom::for_each(&shared.parts.panel, "input[name],textarea[name],select[name]", |e| {
        let name = e.get_attribute("name").unwrap_or_default();
        out.push((name, value(&e)));
    });
    out
}

fn value(e: &Element) -> String {
    if e.get_attribute("type").as_deref() == Some("checkbox") {
        let checked = Reflect::get(e, &"checked".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
        return if checked { "true".into() } else { String::new() };
    }
    Reflect::get(e, &"value".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

fn set_value(e: &Element, v: &str) {
    let (key, val) = if e.get_attribute("type").as_deref() == Some("checkbox") {
        ("checked", JsValue::from_bool(v == "true"))
    } else {
        ("value", JsValue::from_str(v))
    };
    let _ = Reflect::set(e, &key.into(), &val);
}

/// Re-renders the panel for the current phase, keeping typed answers.
pub fn render_panel(shared: &Rc<Shared>) {
    let p = &shared.parts;
    let kept = snapshot(shared);
    clear(&p.panel);
    let st = shared.state.borrow();
    let (doc, locale) = (&p.doc, &st.locale);
    let visible = match &st.phase {
        UiPhase::Idle => {
            label(&add(&p.panel, el(doc, "p", "")), locale, Label::Welcome);
            new_chat(doc, &p.panel, locale, "primary", Label::StartChat);
            true
        }
        UiPhase::Prechat => {
            render_form(doc, &p.panel, locale, "prechat", &st.cfg.pre_chat);
            true
        }
        UiPhase::Offline if st.offline_sent => {
            let t = add(&p.panel, el(doc, "p", ""));
            attrs(&t, &[("role", "status")]);
            label(&t, locale, Label::OfflineSent);
            true
        }
        UiPhase::Offline => {
            render_form(doc, &p.panel, locale, "offline", &st.cfg.offline_form);
            true
        }
        UiPhase::Ended { can_rate } => {
            if st.rated {
                let t = add(&p.panel, el(doc, "p", ""));
                attrs(&t, &[("role", "status")]);
                label(&t, locale, Label::Thanks);
            } else if *can_rate && st.cfg.rating_enabled {
                render_rating(doc, &p.panel, locale, st.thumb);
            }
            if !st.msgs.is_empty() {
                let b = add(&p.panel, button(doc, "link-btn transcript", "button"));
                attrs(&b, &[("data-act", "transcript")]);
                label(&b, locale, Label::Transcript);
            }
            new_chat(doc, &p.panel, locale, "secondary", Label::NewChat);
            true
        }
        _ => false,
    };
    show(&p.panel, visible);
    for (name, v) in kept {
        super::dom::for_each(&p.panel, "[name]", |e| {
            if e.get_attribute("name").as_deref() == Some(name.as_str()) {
                set_value(&e, &v);
            }
        });
    }
}

/// Validates and submits the pre-chat or offline form.
pub fn submit_form(shared: &Rc<Shared>, which: &str, form_el: &Element) {
    let (form, locale) = {
        let st = shared.state.borrow();
        let form = if which == "prechat" { st.cfg.pre_chat.clone() } else { st.cfg.offline_form.clone() };
        (form, st.locale.clone())
    };
    let answers = snapshot(shared);
    let result = validate(&form, &answers);
    let problems = result.as_ref().err().cloned().unwrap_or_default();
    let mut first: Option<Element> = None;
    for (i, fd) in form.fields.iter().enumerate() {
        let id = field_id(which, i);
        let Some(input) = shared.parts.shadow.get_element_by_id(&id) else { continue };
        let Some(err) = shared.parts.shadow.get_element_by_id(&format!("{id}-err")) else { continue };
        match problems.iter().find(|p| p.field == fd.name) {
            Some(p) => {
                err.set_text_content(Some(&p.message(&locale, &locale.field_label(&fd.name, &fd.label))));
                show(&err, true);
                attrs(&input, &[("aria-invalid", "true")]);
                first.get_or_insert(input);
            }
            None => {
                show(&err, false);
                let _ = input.remove_attribute("aria-invalid");
            }
        }
    }
    if let Ok(Some(summary)) = form_el.query_selector("[data-summary]") {
        show(&summary, !problems.is_empty());
    }
    match result {
        Err(_) => {
            if let Some(e) = first {
                let _ = html(&e).focus();
            }
        }
        Ok(clean) if which == "prechat" => shared.act(|a| a.submit_prechat(clean)),
        Ok(clean) => {
            shared.state.borrow_mut().offline_sent = true;
            shared.act(|a| a.submit_offline(clean));
            render_panel(shared);
            super::input::focus_default(shared);
        }
    }
}

/// A thumb was chosen: mark it and reveal the comment and send button.
pub fn choose_thumb(shared: &Rc<Shared>, up: bool) {
    shared.state.borrow_mut().thumb = Some(up);
    super::dom::for_each(&shared.parts.panel, ".thumb", |b| {
        let pressed = b.class_list().contains(if up { "up" } else { "down" });
        attrs(&b, &[("aria-pressed", if pressed { "true" } else { "false" })]);
    });
    if let Ok(Some(more)) = shared.parts.panel.query_selector("[data-rate-more]") {
        show(&more, true);
    }
}

/// Sends the rating.
pub fn submit_rating(shared: &Rc<Shared>) {
    let Some(up) = shared.state.borrow().thumb else { return };
    let comment = shared.parts.shadow.get_element_by_id("lcw-rate-comment").map(|e| value(&e).trim().to_string());
    shared.state.borrow_mut().rated = true;
    shared.act(|a| a.rate(up, comment.filter(|c| !c.is_empty())));
    render_panel(shared);
    super::input::focus_default(shared);
}
