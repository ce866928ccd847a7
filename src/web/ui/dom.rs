//! Small DOM helpers. Text always goes in as text (`textContent` or text
//! nodes); attributes are set one by one.

use crate::core::ui::labels::{Label, Locale};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// Creates `<tag class="class">`.
pub fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc.create_element(tag).expect("createElement");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// Creates `<tag class="class">` with `text` as its text.
pub fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// Sets attributes.
pub fn attrs(e: &Element, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        let _ = e.set_attribute(k, v);
    }
}

/// Appends `child` to `parent` and returns the child.
pub fn add(parent: &Element, child: Element) -> Element {
    let _ = parent.append_child(&child);
    child
}

/// The element as an `HtmlElement`.
pub fn html(e: &Element) -> &HtmlElement {
    e.unchecked_ref()
}

/// Shows or hides with the `hidden` attribute.
pub fn show(e: &Element, visible: bool) {
    html(e).set_hidden(!visible);
}

/// Sets `label`'s text as the element's text and marks it for relabelling
/// when the locale changes.
pub fn label(e: &Element, locale: &Locale, l: Label) {
    e.set_text_content(Some(locale.text(l)));
    let _ = e.set_attribute("data-l", l.key());
}

/// Sets `label` as the element's `aria-label` (and `title`), marked for
/// relabelling.
pub fn aria(e: &Element, locale: &Locale, l: Label) {
    attrs(e, &[("aria-label", locale.text(l)), ("title", locale.text(l)), ("data-la", l.key())]);
}

/// Re-applies every marked label under `root` in `locale`.
pub fn relabel(root: &Element, locale: &Locale) {
    for_each(root, "[data-l]", |e| {
        if let Some(l) = e.get_attribute("data-l").and_then(|k| Label::from_key(&k)) {
            e.set_text_content(Some(locale.text(l)));
        }
    });
    for_each(root, "[data-la]", |e| {
        if let Some(l) = e.get_attribute("data-la").and_then(|k| Label::from_key(&k)) {
            attrs(&e, &[("aria-label", locale.text(l)), ("title", locale.text(l))]);
        }
    });
    for_each(root, "[data-lp]", |e| {
        if let Some(l) = e.get_attribute("data-lp").and_then(|k| Label::from_key(&k)) {
            attrs(&e, &[("placeholder", locale.text(l))]);
        }
    });
}

/// Calls `f` for every element under `root` matching `selector`.
pub fn for_each(root: &Element, selector: &str, mut f: impl FnMut(Element)) {
    let Ok(list) = root.query_selector_all(selector) else { return };
    for i in 0..list.length() {
        if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            f(e);
        }
    }
}

/// Removes all children.
pub fn clear(e: &Element) {
    while let Some(c) = e.first_child() {
        let _ = e.remove_child(&c);
    }
}

/// An SVG icon (constant path data), hidden from assistive technology.
pub fn icon(doc: &Document, d: &str) -> Element {
    const NS: Option<&str> = Some("http://www.w3.org/2000/svg");
    let svg = doc.create_element_ns(NS, "svg").expect("svg");
    attrs(&svg, &[("viewBox", "0 0 24 24"), ("width", "20"), ("height", "20"), ("aria-hidden", "true"), ("focusable", "false")]);
    let path = doc.create_element_ns(NS, "path").expect("path");
    attrs(&path, &[("d", d), ("fill", "currentColor")]);
    let _ = svg.append_child(&path);
    svg
}

/// Material icon paths.
pub mod icons {
    /// Minimize (a bar).
    pub const MINIMIZE: &str = "M5 11h14v2H5z";
    /// Close (an X).
    pub const CLOSE: &str = "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z";
    /// Open in a new window.
    pub const POPOUT: &str = "M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7h-2v7zM14 3v2h3.59l-9.83 9.83 1.41 1.41L19 6.41V10h2V3h-7z";
    /// Paper clip.
    pub const ATTACH: &str = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z";
    /// Paper plane.
    pub const SEND: &str = "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z";
    /// Speech bubble.
    pub const CHAT: &str = "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z";
    /// Thumb up (rotated for thumb down).
    pub const THUMB: &str = "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
}
