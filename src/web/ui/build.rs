//! Builds the widget's static DOM: launcher, window, header, status,
//! message log, panel, typing line, notice, composer.

use super::dom::tree;
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
    /// The launcher's count of agent messages that came while the window
    /// was closed (a badge; hidden at 0).
    pub unread: Element,
    /// The same count in words, for screen readers (a polite live region:
    /// a reply that comes while the window is closed is announced).
    pub unread_text: Element,
    /// The window (`role="dialog"`).
    pub window: Element,
    /// Header avatar image.
    pub head_avatar: Element,
    /// Header name.
    pub head_name: Element,
    /// Header title.
    pub head_title: Element,
    /// Video call button (shown when a video agent is on).
    pub video: Element,
    /// Pop-out button.
    pub popout: Element,
    /// Status line (`role="status"`).
    pub status: Element,
    /// The video call's area (filled by src/web/video/ui.rs).
    pub vid: Element,
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

/// The static DOM, one element per line (see [`tree`]). Every visible text
/// comes from the `data-l` (text), `data-la` (`aria-label` and `title`)
/// and `data-lp` (placeholder) label keys, filled by `relabel` when the
/// widget applies its locale; nothing here is page or agent data. Marked
/// (`*`) elements are returned in this order, as [`Parts`] lists them.
const SPEC: &str = r#"
*div|class=lcw
 *button|class=launcher|type=button|data-act=launcher|aria-haspopup=dialog|aria-expanded=false|aria-controls=lcw-window
  *img|alt=
  svg|d=M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z|class=launcher-icon
  *span
  *span|class=unread|aria-hidden=true|hidden
  *span|class=sr-only|aria-live=polite
 *div|class=window|id=lcw-window|role=dialog|aria-modal=true|aria-labelledby=lcw-name|aria-describedby=lcw-title|tabindex=-1|hidden
  div|class=head
   *img|class=avatar|alt=
   div|class=who
    *h2|id=lcw-name
    *p|id=lcw-title
   *button|class=icon-btn|type=button|data-act=video|data-la=videoCall|hidden
    svg|d=M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4z
   *button|class=icon-btn|type=button|data-act=popout|data-la=popOut
    svg|d=M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7h-2v7zM14 3v2h3.59l-9.83 9.83 1.41 1.41L19 6.41V10h2V3h-7z
   button|class=icon-btn|type=button|data-act=minimize|data-la=minimize
    svg|d=M5 11h14v2H5z
   button|class=icon-btn|type=button|data-act=close|data-la=close
    svg|d=M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z
  *p|class=status|role=status
  *div|class=vid|hidden
  *div|class=body
   *div|class=log|role=log|aria-live=polite|data-la=messages
   *div|class=panel
   *div|class=drop|data-l=dropFile|hidden
  *p|class=typing|role=status|data-l=agentTyping|hidden
  *p|class=notice|role=alert|hidden
  *div|class=actions
   button|class=link-btn|type=button|data-act=end|data-l=endChat
  *form|class=composer|data-form=composer|novalidate
   *input|type=file|hidden|tabindex=-1|aria-hidden=true|data-act=file
   *button|class=icon-btn|type=button|data-act=attach|data-la=attach
    svg|d=M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z
   label|class=sr-only|for=lcw-input|data-l=messageInput
   *textarea|id=lcw-input|rows=1|data-lp=messageInput|enterkeyhint=send
   button|class=icon-btn send|type=submit|data-la=send
    svg|d=M2.01 21 23 12 2.01 3 2 10l15 2-15 2z
"#;

/// Builds the DOM (not yet attached to the page; labels are filled when
/// the widget applies its locale).
pub fn build(doc: &Document) -> Result<Parts, JsValue> {
    let host: HtmlElement = doc.create_element("div")?.unchecked_into();
    host.set_attribute("data-lcw-widget", "")?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    // One check for the whole list (a `?` per element would drop the ones
    // before it on each error path: ~2.5 KB of wasm).
    let marked: [Element; 25] = tree(doc, &shadow, SPEC).try_into().map_err(|_| JsValue::from_str("widget markup"))?;
    let [root, launcher, launcher_img, launcher_text, unread, unread_text, window, head_avatar, head_name, head_title, video, popout, status, vid,
        body, log, panel, drop, typing, notice, actions, composer, file, attach, input] = marked;
    Ok(Parts {
        doc: doc.clone(), host, shadow, root, launcher, launcher_img, launcher_text, unread, unread_text, window, head_avatar, head_name,
        head_title, video, popout, status, vid, body, log, panel, drop, typing, notice, actions, composer,
        input: input.unchecked_into(), attach, file: file.unchecked_into(),
    })
}
