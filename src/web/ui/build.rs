//! Builds the widget's static DOM: launcher, window, header, status,
//! message log, panel, typing line, notice, composer.

use super::dom::{add, aria, attrs, el, icon, icons, label, text_el};
use crate::core::ui::labels::{Label, Locale};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The elements the widget updates.
pub struct Parts {
    /// The document.
    pub doc: Document,
    /// The host element appended to `<body>`.
    pub host: HtmlElement,
    /// Its shadow root.
    pub shadow: ShadowRoot,
    /// `.lcw`: carries `dir`, `lang`, `data-position`, `.avatars`.
    pub root: Element,
    /// The launcher button.
    pub launcher: Element,
    /// The launcher's image.
    pub launcher_img: Element,
    /// The launcher's text.
    pub launcher_text: Element,
    /// The window (`role="dialog"`).
    pub window: Element,
    /// Header avatar image.
    pub head_avatar: Element,
    /// Header name.
    pub head_name: Element,
    /// Header title.
    pub head_title: Element,
    /// Pop-out button.
    pub popout: Element,
    /// Status line (`role="status"`).
    pub status: Element,
    /// Scrolling body.
    pub body: Element,
    /// Message list (`role="log"`).
    pub log: Element,
    /// Forms, rating, welcome and end views.
    pub panel: Element,
    /// Drop overlay.
    pub drop: Element,
    /// Agent typing line.
    pub typing: Element,
    /// Refusals and other notices (`role="alert"`).
    pub notice: Element,
    /// "End chat" row.
    pub actions: Element,
    /// The composer form.
    pub composer: Element,
    /// The message input.
    pub input: HtmlTextAreaElement,
    /// Attach button.
    pub attach: Element,
    /// Hidden file input.
    pub file: HtmlInputElement,
}

fn button(doc: &Document, class: &str, act: &str) -> Element {
    let b = el(doc, "button", class);
    attrs(&b, &[("type", "button"), ("data-act", act)]);
    b
}

fn icon_button(doc: &Document, class: &str, act: &str, path: &str, locale: &Locale, l: Label) -> Element {
    let b = button(doc, class, act);
    aria(&b, locale, l);
    let _ = b.append_child(&icon(doc, path));
    b
}

/// Builds the DOM (not yet attached to the page).
pub fn build(doc: &Document, locale: &Locale) -> Result<Parts, JsValue> {
    let host: HtmlElement = doc.create_element("div")?.unchecked_into();
    host.set_attribute("data-lcw-widget", "")?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let root = el(doc, "div", "lcw");
    shadow.append_child(&root)?;

    let launcher = add(&root, button(doc, "launcher", "launcher"));
    attrs(&launcher, &[("aria-haspopup", "dialog"), ("aria-expanded", "false"), ("aria-controls", "lcw-window")]);
    let launcher_img = add(&launcher, el(doc, "img", ""));
    attrs(&launcher_img, &[("alt", "")]);
    let launcher_icon = add(&launcher, icon(doc, icons::CHAT));
    launcher_icon.set_attribute("class", "launcher-icon")?;
    let launcher_text = add(&launcher, el(doc, "span", ""));

    let window = add(&root, el(doc, "div", "window"));
    attrs(&window, &[("id", "lcw-window"), ("role", "dialog"), ("aria-modal", "true"), ("aria-labelledby", "lcw-name"),
        ("aria-describedby", "lcw-title"), ("tabindex", "-1")]);
    window.set_attribute("hidden", "")?;

    let head = add(&window, el(doc, "div", "head"));
    let head_avatar = add(&head, el(doc, "img", "avatar"));
    attrs(&head_avatar, &[("alt", "")]);
    let who = add(&head, el(doc, "div", "who"));
    let head_name = add(&who, el(doc, "h2", ""));
    head_name.set_id("lcw-name");
    let head_title = add(&who, el(doc, "p", ""));
    head_title.set_id("lcw-title");
    let popout = add(&head, icon_button(doc, "icon-btn", "popout", icons::POPOUT, locale, Label::PopOut));
    add(&head, icon_button(doc, "icon-btn", "minimize", icons::MINIMIZE, locale, Label::Minimize));
    add(&head, icon_button(doc, "icon-btn", "close", icons::CLOSE, locale, Label::Close));

    let status = add(&window, el(doc, "p", "status"));
    attrs(&status, &[("role", "status")]);
    let body = add(&window, el(doc, "div", "body"));
    let log = add(&body, el(doc, "div", "log"));
    attrs(&log, &[("role", "log"), ("aria-live", "polite"), ("data-la", Label::Messages.key()),
        ("aria-label", locale.text(Label::Messages))]);
    let panel = add(&body, el(doc, "div", "panel"));
    let drop = add(&body, el(doc, "div", "drop"));
    label(&drop, locale, Label::DropFile);
    drop.set_attribute("hidden", "")?;

    let typing = add(&window, el(doc, "p", "typing"));
    attrs(&typing, &[("role", "status")]);
    label(&typing, locale, Label::AgentTyping);
    typing.set_attribute("hidden", "")?;
    let notice = add(&window, el(doc, "p", "notice"));
    attrs(&notice, &[("role", "alert")]);
    notice.set_attribute("hidden", "")?;
    let actions = add(&window, el(doc, "div", "actions"));
    label(&add(&actions, button(doc, "link-btn", "end")), locale, Label::EndChat);

    let composer = add(&window, el(doc, "form", "composer"));
    attrs(&composer, &[("data-form", "composer"), ("novalidate", "")]);
    let file: HtmlInputElement = add(&composer, el(doc, "input", "")).unchecked_into();
    attrs(&file, &[("type", "file"), ("hidden", ""), ("tabindex", "-1"), ("aria-hidden", "true"), ("data-act", "file")]);
    let attach = add(&composer, icon_button(doc, "icon-btn", "attach", icons::ATTACH, locale, Label::Attach));
    let input_label = add(&composer, text_el(doc, "label", "sr-only", locale.text(Label::MessageInput)));
    attrs(&input_label, &[("for", "lcw-input"), ("data-l", Label::MessageInput.key())]);
    let input: HtmlTextAreaElement = add(&composer, el(doc, "textarea", "")).unchecked_into();
    attrs(&input, &[("id", "lcw-input"), ("rows", "1"), ("placeholder", locale.text(Label::MessageInput)),
        ("data-lp", Label::MessageInput.key()), ("enterkeyhint", "send")]);
    let send = add(&composer, icon_button(doc, "icon-btn send", "", icons::SEND, locale, Label::Send));
    attrs(&send, &[("type", "submit")]);
    let _ = send.remove_attribute("data-act");

    Ok(Parts {
        doc: doc.clone(), host, shadow, root, launcher, launcher_img, launcher_text, window, head_avatar, head_name,
        head_title, popout, status, body, log, panel, drop, typing, notice, actions, composer, input, attach, file,
    })
}
