//! The invite bubble: a shadow root on a host element appended to
//! `document.body`, styled by a constructed `CSSStyleSheet` adopted by the
//! shadow root (no inline `style`, so it works under a CSP without
//! `'unsafe-inline'`). All text goes in as text nodes (`textContent`), never
//! as HTML.
//!
//! Accessibility: a non-modal `role="dialog"` labelled by its title and
//! described by the message (and question); real `<button>`s; Escape inside
//! the bubble dismisses; focus stays where it is on show, and the bubble is
//! last in the Tab order. Motion is off under `prefers-reduced-motion`.
//! Theme through CSS custom properties set on the page (they inherit into
//! the shadow root): `--lcw-invite-bg`, `--lcw-invite-fg`, `--lcw-accent`,
//! `--lcw-accent-fg`, `--lcw-invite-radius`, `--lcw-invite-font`,
//! `--lcw-invite-offset`, `--lcw-invite-z`, `--lcw-invite-gap`.
//!
//! Placement: in the corner (`--lcw-invite-offset` from the bottom and the
//! right) when there is no launcher; above the default widget's launcher,
//! on its side and aligned with its outer edge, `--lcw-invite-gap` (12px)
//! over it, once the launcher is on screen ([`Bubble::place`]), so that
//! neither covers the other. While the window is open the bubble stays
//! where it was. The default `z-index` is between the launcher's and the
//! open chat window's: never under the launcher, never over the window.

use crate::core::lang::{invite_labels, is_rtl};
use gloo_events::EventListener;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Document, Element, KeyboardEvent, ShadowRootInit, ShadowRootMode};

/// The attribute that marks the host element (`document.querySelector('[data-lcw-invite]')`).
pub const HOST_ATTR: &str = "data-lcw-invite";

const CSS: &str = r#"
:host { all: initial; position: fixed; z-index: var(--lcw-invite-z, 2147483001);
  right: var(--lcw-invite-offset, 20px); bottom: var(--lcw-invite-offset, 20px); }
.invite { box-sizing: border-box; max-width: min(320px, calc(100vw - 40px)); padding: 16px;
  background: var(--lcw-invite-bg, #ffffff); color: var(--lcw-invite-fg, #1f1f1f);
  border-radius: var(--lcw-invite-radius, 12px); box-shadow: 0 6px 24px rgba(0,0,0,.18);
  font: 14px/1.4 var(--lcw-invite-font, system-ui, -apple-system, "Segoe UI", sans-serif);
  animation: lcw-in .2s ease-out; }
.title { margin: 0 0 6px; font-size: 12px; font-weight: 600; opacity: .75; }
.msg, .question { margin: 0 0 12px; overflow-wrap: anywhere; white-space: pre-wrap; }
.question { font-weight: 600; }
.actions { display: flex; gap: 8px; justify-content: flex-end; }
button { font: inherit; cursor: pointer; border-radius: 8px; padding: 6px 14px; border: 1px solid transparent; }
.accept { background: var(--lcw-accent, #0f6cbd); color: var(--lcw-accent-fg, #ffffff); }
.dismiss { background: transparent; color: inherit; border-color: currentColor; }
button:focus-visible { outline: 2px solid var(--lcw-accent, #0f6cbd); outline-offset: 2px; }
@keyframes lcw-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@media (prefers-reduced-motion: reduce) { .invite { animation: none; } }
"#;

/// What the bubble shows.
pub struct Content<'a> {
    /// The invite text (plain text).
    pub message: &'a str,
    /// An optional first question (scenario 8): the buttons become Yes / No.
    pub question: Option<&'a str>,
    /// The language set by `setLocale`, if any (else `navigator.languages`).
    pub locale: Option<&'a str>,
}

/// The visitor's preferred languages: the SDK's `setLocale` tag, else the
/// browser's `navigator.languages`.
fn preferred(locale: Option<&str>) -> Vec<String> {
    if let Some(l) = locale {
        return vec![l.to_string()];
    }
    let Some(w) = web_sys::window() else { return vec![] };
    w.navigator().languages().iter().filter_map(|v| v.as_string()).collect()
}

/// Where the launcher is, in CSS px of the viewport: the bubble goes
/// above it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// The launcher is on the left (the widget's `position: left`).
    pub left: bool,
    /// From the launcher's outer edge to that side of the viewport.
    pub side: f64,
    /// From the launcher's top to the bottom of the viewport.
    pub bottom: f64,
}

/// The CSS of the bubble's host above the launcher at `a`.
fn placement(a: &Anchor) -> String {
    let (side, other) = if a.left { ("left", "right") } else { ("right", "left") };
    // Whole px: the figures come from a layout rectangle.
    format!(":host{{{other}:auto;{side}:{}px;bottom:calc({}px + var(--lcw-invite-gap, 12px))}}", a.side.max(0.0).round() as i64, a.bottom.max(0.0).round() as i64)
}

/// The bubble's second style sheet: its placement only.
enum Place {
    Sheet(CssStyleSheet),
    Style(Element),
}

/// A shown bubble. Dropping it removes the element and its listeners.
pub struct Bubble {
    host: Element,
    place: Place,
    _listeners: Vec<EventListener>,
}

impl Bubble {
    /// Puts the bubble above the launcher at `anchor` (until then it is
    /// in the corner).
    pub fn place(&self, anchor: &Anchor) {
        let css = placement(anchor);
        match &self.place {
            Place::Sheet(s) => {
                let _ = s.replace_sync(&css);
            }
            Place::Style(e) => e.set_text_content(Some(&css)),
        }
    }
}

impl Drop for Bubble {
    fn drop(&mut self) {
        self.host.remove();
    }
}

fn el(doc: &Document, tag: &str, class: &str, text: Option<&str>) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    e.set_class_name(class);
    if let Some(t) = text {
        e.set_text_content(Some(t));
    }
    Ok(e)
}

/// Shows a bubble; `accept` / `dismiss` run on the visitor's choice (a
/// button, or Escape for dismiss).
pub fn show(content: &Content, accept: Rc<dyn Fn()>, dismiss: Rc<dyn Fn()>) -> Result<Bubble, JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let body = doc.body().ok_or("no document.body")?;
    let host = doc.create_element("div")?;
    host.set_attribute(HOST_ATTR, "")?;
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let place = match (CssStyleSheet::new(), CssStyleSheet::new()) {
        (Ok(sheet), Ok(place)) => {
            sheet.replace_sync(CSS)?;
            root.set_adopted_style_sheets(&js_sys::Array::of2(&sheet, &place));
            Place::Sheet(place)
        }
        // No constructable stylesheets (old engines): <style> elements.
        _ => {
            let style = el(&doc, "style", "", Some(CSS))?;
            root.append_child(&style)?;
            let place = el(&doc, "style", "", None)?;
            root.append_child(&place)?;
            Place::Style(place)
        }
    };
    let (lang, labels) = invite_labels(&preferred(content.locale));
    let dialog = el(&doc, "div", "invite", None)?;
    dialog.set_attribute("lang", lang)?;
    dialog.set_attribute("dir", if is_rtl(lang) { "rtl" } else { "ltr" })?;
    dialog.set_attribute("role", "dialog")?;
    dialog.set_attribute("aria-modal", "false")?;
    dialog.set_attribute("aria-labelledby", "lcw-title")?;
    dialog.set_attribute("aria-describedby", if content.question.is_some() { "lcw-msg lcw-question" } else { "lcw-msg" })?;
    let title = el(&doc, "p", "title", Some(labels.title))?;
    title.set_id("lcw-title");
    let msg = el(&doc, "p", "msg", Some(content.message))?;
    msg.set_id("lcw-msg");
    dialog.append_child(&title)?;
    dialog.append_child(&msg)?;
    if let Some(q) = content.question {
        let q = el(&doc, "p", "question", Some(q))?;
        q.set_id("lcw-question");
        dialog.append_child(&q)?;
    }
    let (yes, no) = if content.question.is_some() { (labels.yes, labels.no) } else { (labels.accept, labels.dismiss) };
    let actions = el(&doc, "div", "actions", None)?;
    let dismiss_btn = el(&doc, "button", "dismiss", Some(no))?;
    dismiss_btn.set_attribute("type", "button")?;
    let accept_btn = el(&doc, "button", "accept", Some(yes))?;
    accept_btn.set_attribute("type", "button")?;
    actions.append_child(&dismiss_btn)?;
    actions.append_child(&accept_btn)?;
    dialog.append_child(&actions)?;
    root.append_child(&dialog)?;

    let d1 = dismiss.clone();
    let listeners = vec![
        EventListener::new(&accept_btn, "click", move |_| accept()),
        EventListener::new(&dismiss_btn, "click", move |_| d1()),
        EventListener::new(&root, "keydown", move |e| {
            if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
                dismiss();
            }
        }),
    ];
    body.append_child(&host)?;
    Ok(Bubble { host, place, _listeners: listeners })
}
