//! The message list: text segments, links, avatars, attachments, delivery
//! marks, upload progress. Agent and page data only ever become text nodes
//! or attribute values checked by `core::ui::theme::safe_url`.

use super::dom::{add, attrs, el, label, show, text_el};
use super::widget::Shared;
use crate::core::ui::labels::{Label, Locale};
use crate::core::ui::links::{segments, Segment};
use crate::core::ui::model::{Author, MessageStatus, UiAttachment, UiMessage};
use crate::core::ui::theme::safe_url;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// The messages shown and their elements, in the list's order (the
/// messages are kept for the transcript). A list searched linearly rather
/// than a `HashMap`: a conversation holds at most a few hundred messages,
/// and the list reuses `Vec` code the crate has anyway, where a map of its
/// own costs ~2 KB of wasm (hasher, table code).
#[derive(Default)]
pub struct Msgs(Vec<(UiMessage, Element)>);

impl Msgs {
    /// The element of message `id`.
    pub fn get(&self, id: &str) -> Option<&Element> {
        self.0.iter().find(|(m, _)| m.id == id).map(|(_, e)| e)
    }

    /// Sets message `m` and its element; returns the element it replaces.
    pub fn insert(&mut self, m: &UiMessage, e: Element) -> Option<Element> {
        match self.0.iter_mut().find(|(k, _)| k.id == m.id) {
            Some((old_m, old)) => {
                old_m.clone_from(m);
                Some(std::mem::replace(old, e))
            }
            None => {
                self.0.push((m.clone(), e));
                None
            }
        }
    }

    /// Sets the `seq` of message `id` (acknowledged by the server).
    pub fn set_seq(&mut self, id: &str, seq: u64) {
        if let Some((m, _)) = self.0.iter_mut().find(|(m, _)| m.id == id) {
            m.seq = seq;
        }
    }

    /// The messages, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &UiMessage> {
        self.0.iter().map(|(m, _)| m)
    }

    /// Whether no message is shown.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Forgets every message.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// The words of a delivery state.
pub fn status_label(s: MessageStatus) -> Label {
    match s {
        MessageStatus::Sending => Label::Sending,
        MessageStatus::Sent => Label::Sent,
        MessageStatus::Failed => Label::Failed,
        MessageStatus::Seen => Label::Seen,
    }
}

/// Renders `text` into `parent`: text nodes, and `<a>` for http(s) URLs.
pub fn render_text(doc: &Document, parent: &Element, text: &str) {
    for seg in segments(text) {
        match seg {
            Segment::Text(t) => {
                let _ = parent.append_child(&doc.create_text_node(t));
            }
            Segment::Link(url) => {
                let a = add(parent, text_el(doc, "a", "", url));
                attrs(&a, &[("href", url), ("target", "_blank"), ("rel", "noopener noreferrer")]);
            }
        }
    }
}

/// A message's time (hours and minutes) in the widget's language. One
/// `Intl.DateTimeFormat` per language, kept: `toLocaleTimeString` builds
/// one per call, which was 7 % of the widget's time per message.
fn time(shared: &Shared, at_ms: f64, locale: &Locale) -> String {
    if at_ms <= 0.0 {
        return String::new();
    }
    format_time(&time_format(shared, locale), at_ms)
}

/// The `format` function of the messages' time format in `locale`.
pub fn time_format(shared: &Shared, locale: &Locale) -> js_sys::Function {
    let mut st = shared.state.borrow_mut();
    match &st.time_format {
        Some((tag, f)) if tag == locale.tag() => f.clone(),
        _ => {
            let opts = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&opts, &"hour".into(), &"2-digit".into());
            let _ = js_sys::Reflect::set(&opts, &"minute".into(), &"2-digit".into());
            let f = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&locale.tag().into()), &opts).format();
            st.time_format = Some((locale.tag().to_string(), f.clone()));
            f
        }
    }
}

/// `at_ms` through a [`time_format`]; empty when unknown.
pub fn format_time(format: &js_sys::Function, at_ms: f64) -> String {
    if at_ms <= 0.0 {
        return String::new();
    }
    format.call1(&JsValue::UNDEFINED, &js_sys::Date::new(&at_ms.into())).ok().and_then(|t| t.as_string()).unwrap_or_default()
}

fn attachment(doc: &Document, bubble: &Element, a: &UiAttachment) {
    let url = a.url.as_deref().map(str::trim).filter(|u| safe_url(u));
    match url {
        Some(url) if a.mime_type.to_ascii_lowercase().starts_with("image/") => {
            let img = add(bubble, el(doc, "img", "preview"));
            attrs(&img, &[("src", url), ("alt", &a.name)]);
        }
        Some(url) => {
            let link = add(bubble, text_el(doc, "a", "file", &a.name));
            attrs(&link, &[("href", url), ("target", "_blank"), ("rel", "noopener noreferrer"), ("download", &a.name)]);
        }
        None => {
            add(bubble, text_el(doc, "span", "file", &a.name));
        }
    }
}

/// Adds (or replaces) a message and scrolls to it.
pub fn add_message(shared: &Rc<Shared>, m: &UiMessage) {
    let doc = &shared.parts.doc;
    let locale = shared.state.borrow().locale.clone();
    let (kind, name, avatar) = match &m.from {
        Author::Visitor => ("visitor", None, None),
        Author::Agent { name, avatar } => ("agent", Some(name.trim()), avatar.as_deref()),
        Author::System => ("system", None, None),
    };
    let li = el(doc, "div", &format!("msg msg-{kind}"));
    attrs(&li, &[("data-id", &m.id)]);
    if kind == "agent" {
        let shown = name.filter(|n| !n.is_empty()).unwrap_or(locale.text(Label::Agent));
        match avatar.map(str::trim).filter(|u| safe_url(u)) {
            Some(src) => attrs(&add(&li, el(doc, "img", "avatar")), &[("src", src), ("alt", "")]),
            None => {
                // JS upper-casing: Rust's char::to_uppercase would link a 12 KB table.
                let first = shown.chars().next().map(String::from).unwrap_or_default();
                let initial = String::from(js_sys::JsString::from(first).to_upper_case());
                attrs(&add(&li, text_el(doc, "span", "avatar", &initial)), &[("aria-hidden", "true")]);
            }
        }
    }
    let bubble = add(&li, el(doc, "div", "bubble"));
    match (kind, name) {
        ("agent", Some(n)) if !n.is_empty() => {
            attrs(&add(&bubble, text_el(doc, "p", "author", n)), &[("dir", "auto")]);
        }
        ("agent", _) => label(&add(&bubble, el(doc, "p", "author")), &locale, Label::Agent),
        ("visitor", _) => label(&add(&bubble, el(doc, "span", "sr-only")), &locale, Label::You),
        _ => {}
    }
    if !m.text.is_empty() {
        // dir=auto: a Latin message in an Arabic widget keeps its punctuation in place.
        let p = add(&bubble, el(doc, "p", "text"));
        attrs(&p, &[("dir", "auto")]);
        render_text(doc, &p, &m.text);
    }
    if let Some(a) = &m.attachment {
        attachment(doc, &bubble, a);
    }
    let t = time(shared, m.at_ms, &locale);
    if kind != "system" && (!t.is_empty() || kind == "visitor") {
        let meta = add(&bubble, el(doc, "p", "meta"));
        if !t.is_empty() {
            attrs(&add(&meta, text_el(doc, "time", "", &t)), &[("datetime", &iso(m.at_ms))]);
        }
        if kind == "visitor" {
            label(&add(&meta, el(doc, "span", "mark")), &locale, status_label(m.status));
            attrs(&li, &[("data-status", m.status.as_str())]);
            if m.status == MessageStatus::Failed {
                retry_button(doc, &li, &locale, m);
            }
        }
    }
    let old = shared.state.borrow_mut().msgs.insert(m, li.clone());
    match old {
        Some(old) => {
            revoke_replaced(shared, &old, m.attachment.as_ref().and_then(|a| a.url.as_deref()));
            let _ = old.replace_with_with_node_1(&li);
        }
        None => {
            let _ = shared.parts.log.append_child(&li);
            let mut st = shared.state.borrow_mut();
            if kind == "visitor" {
                st.follow = true; // the visitor's own message is always shown
            } else if !st.follow && st.open {
                drop(st);
                super::scroll::show_jump(shared, true); // the visitor reads older messages: point out the new one
            }
        }
    }
    super::scroll::follow(shared);
}

/// The element showing a message's file: `img.preview`, `a.file` or, with
/// no usable URL, `span.file`.
fn file_el(li: &Element) -> Option<Element> {
    li.query_selector("img.preview, .file").ok().flatten()
}

/// The `blob:` URL a message's file is shown through, if any.
fn blob_of(e: &Element) -> Option<String> {
    e.get_attribute("src").or_else(|| e.get_attribute("href")).filter(|u| u.starts_with("blob:"))
}

/// A message is being replaced: revokes the object URL its old version
/// showed (unless the new version keeps it).
fn revoke_replaced(shared: &Shared, old: &Element, keep: Option<&str>) {
    let Some(url) = file_el(old).and_then(|e| blob_of(&e)) else { return };
    if Some(url.as_str()) == keep {
        return;
    }
    let mut st = shared.state.borrow_mut();
    if let Some(i) = st.urls.iter().position(|u| *u == url) {
        st.urls.swap_remove(i);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Whether message `id` is in the list.
pub fn has_message(shared: &Shared, id: &str) -> bool {
    shared.state.borrow().msgs.get(id).is_some()
}

/// The `blob:` URL message `id` shows its file through, if loaded.
pub fn attachment_url(shared: &Shared, id: &str) -> Option<String> {
    let st = shared.state.borrow();
    file_el(st.msgs.get(id)?).and_then(|e| blob_of(&e))
}

/// Marks the file of message `id` as unavailable (it could not be
/// fetched): its name stays, followed by a localized notice.
pub fn attachment_unavailable(shared: &Shared, id: &str) {
    let st = shared.state.borrow();
    let Some(file) = st.msgs.get(id).and_then(file_el) else { return };
    if file.tag_name().eq_ignore_ascii_case("span") && !file.class_list().contains("unavailable") {
        let _ = file.class_list().add_1("unavailable");
        label(&add(&file, el(&shared.parts.doc, "span", "why")), &st.locale, Label::FileUnavailable);
    }
}

fn iso(at_ms: f64) -> String {
    js_sys::Date::new(&at_ms.into()).to_iso_string().into()
}

/// Updates the delivery mark of message `id`.
pub fn set_status(shared: &Rc<Shared>, id: &str, status: MessageStatus) {
    let mut guard = shared.state.borrow_mut();
    let st = &mut *guard;
    let Some((m, li)) = st.msgs.0.iter_mut().find(|(m, _)| m.id == id) else { return };
    let was = std::mem::replace(&mut m.status, status);
    let _ = li.set_attribute("data-status", status.as_str());
    if let Ok(Some(mark)) = li.query_selector(".mark") {
        label(&mark, &st.locale, status_label(status));
    }
    if MessageStatus::Failed == was || MessageStatus::Failed == status {
        retry_button(&shared.parts.doc, li, &st.locale, m);
    }
}

/// Marks "Seen" the visitor's sent messages stored at or before `upto`
/// (the agent has read that far).
pub fn mark_seen(shared: &Shared, upto: u64) {
    let mut guard = shared.state.borrow_mut();
    let st = &mut *guard;
    for (m, li) in st.msgs.0.iter_mut() {
        if m.from == Author::Visitor && m.status == MessageStatus::Sent && m.seq > 0 && m.seq <= upto {
            m.status = MessageStatus::Seen;
            let _ = li.set_attribute("data-status", "seen");
            if let Ok(Some(mark)) = li.query_selector(".mark") {
                label(&mark, &st.locale, Label::Seen);
            }
        }
    }
}

/// A text message that was not sent gets a "Try again" button after its
/// mark (a file's message cannot: the file is no longer at hand); any
/// other state removes it.
fn retry_button(doc: &Document, li: &Element, locale: &Locale, m: &UiMessage) {
    let old = li.query_selector(".retry").ok().flatten();
    let wanted = m.status == MessageStatus::Failed && m.attachment.is_none() && !m.text.trim().is_empty();
    match (old, li.query_selector(".meta").ok().flatten()) {
        (Some(b), _) if !wanted => b.remove(),
        (None, Some(meta)) if wanted => {
            let b = add(&meta, el(doc, "button", "link-btn retry"));
            attrs(&b, &[("type", "button"), ("data-act", "retry")]);
            label(&b, locale, Label::Retry);
        }
        _ => {}
    }
}

/// "Try again" on a message that was not sent: it leaves the list and its
/// text is sent again, as a new message at the end.
pub fn retry(shared: &Rc<Shared>, button: &Element) {
    let Some(id) = button.closest("[data-id]").ok().flatten().and_then(|li| li.get_attribute("data-id")) else { return };
    let removed = {
        let mut st = shared.state.borrow_mut();
        let at = st.msgs.0.iter().position(|(m, _)| m.id == id && m.status == MessageStatus::Failed);
        at.map(|at| st.msgs.0.remove(at))
    };
    let Some((m, li)) = removed else { return };
    li.remove();
    super::input::focus_default(shared); // focus was on the removed button
    shared.act(|a| a.send_text(m.text));
}

/// Shows upload progress on message `id`; `fraction >= 1` removes it.
pub fn set_progress(shared: &Rc<Shared>, id: &str, fraction: f64) {
    let st = shared.state.borrow();
    let Some(li) = st.msgs.get(id) else { return };
    let Ok(Some(bubble)) = li.query_selector(".bubble") else { return };
    let existing = bubble.query_selector("progress").ok().flatten();
    // NaN removes it too.
    if fraction.partial_cmp(&1.0) != Some(std::cmp::Ordering::Less) {
        if let Some(p) = existing {
            p.remove();
        }
        return;
    }
    let bar = existing.unwrap_or_else(|| {
        let p = add(&bubble, el(&shared.parts.doc, "progress", "upload"));
        attrs(&p, &[("max", "1"), ("aria-label", st.locale.text(Label::Uploading)), ("data-la", Label::Uploading.key())]);
        p
    });
    // Thousandths by integer formatting (no float printing in the wasm).
    let milli = (fraction.max(0.0) * 1000.0).round() as u64;
    let _ = bar.set_attribute("value", &format!("{}.{:03}", milli / 1000, milli % 1000));
}

/// Removes every message and revokes the object URLs.
pub fn clear(shared: &Rc<Shared>) {
    let mut st = shared.state.borrow_mut();
    st.msgs.clear();
    st.follow = true;
    if let Some(b) = &st.jump {
        show(b, false);
    }
    for url in st.urls.drain(..) {
        let _ = web_sys::Url::revoke_object_url(&url);
    }
    super::dom::clear(&shared.parts.log);
}

