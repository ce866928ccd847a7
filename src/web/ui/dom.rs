//! Small DOM helpers. Text always goes in as text (`textContent` or text
//! nodes); attributes are set one by one.

use crate::core::ui::labels::{Label, Locale};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Node};

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

/// Builds the elements `spec` describes and appends them to `parent`;
/// returns the marked ones in document order. One element per line:
/// its indentation (one space per level) nests it in the last element of
/// the level above; then `tag|name=value|name|...` (a name alone: an empty
/// value). A tag starting with `*` marks the element; tag `svg` is an
/// [`icon`] whose first attribute is `d=<path>`. One loop over static text
/// instead of a createElement/setAttribute/append call per element.
pub fn tree(doc: &Document, parent: &Node, spec: &str) -> Vec<Element> {
    let mut open: Vec<Element> = Vec::new();
    let mut marked = Vec::new();
    for line in spec.lines() {
        let body = line.trim_start();
        let mut items = body.split('|');
        let Some(tag) = items.next().filter(|t| !t.is_empty()) else { continue };
        let (mark, tag) = match tag.strip_prefix('*') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let e = if tag == "svg" {
            icon(doc, items.next().and_then(|d| d.strip_prefix("d=")).unwrap_or_default())
        } else {
            doc.create_element(tag).expect("createElement")
        };
        for item in items {
            let (k, v) = item.split_once('=').unwrap_or((item, ""));
            let _ = e.set_attribute(k, v);
        }
        open.truncate(line.len() - body.len());
        let _ = open.last().map_or(parent, |p| p.as_ref()).append_child(&e);
        if mark {
            marked.push(e.clone());
        }
        open.push(e);
    }
    marked
}

/// Material icon paths (the widget's static markup, `build::SPEC`, has
/// the others inline).
pub mod icons {
    /// Thumb up (rotated for thumb down).
    pub const THUMB: &str = "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
}
