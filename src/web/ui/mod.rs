//! The default visitor-facing widget UI, rendered into a shadow root.
//!
//! # Contract (for the session layer)
//!
//! ```ignore
//! let widget = Widget::mount(UiConfig::from_widget(cfg), Rc::new(MySession))?;
//! widget.set_phase(UiPhase::Prechat);          // after the launcher was clicked
//! widget.add_message(&UiMessage { .. });        // visitor messages with status Sending
//! widget.set_status("client-id", MessageStatus::Sent);
//! ```
//!
//! * [`Widget::mount`] appends one host element to `<body>` with an open
//!   shadow root, one constructed stylesheet (`adoptedStyleSheets`; no
//!   inline `style` attributes, so a CSP without `'unsafe-inline'` is fine;
//!   theme values are CSS custom properties set through CSSOM on the host),
//!   and shows the launcher. Dropping the [`Widget`] removes the host, its
//!   listeners and timers, and revokes the object URLs it created.
//! * The UI never decides the conversation: it calls [`UiActions`] and the
//!   session answers with [`Widget::set_phase`], [`Widget::add_message`] and
//!   [`Widget::set_status`]. The launcher opens the window (and calls
//!   [`UiActions::launcher_clicked`]); the session then sets `Prechat`,
//!   `Connecting` or `Offline`.
//! * Two stages: [`Widget::mount`] shows the launcher with the code of a
//!   closed widget only (DOM, theme, labels, unread badge). Everything the
//!   open window does (forms, messages, composer, files, the call's area)
//!   is reached only from [`Widget::attach`], which the owner calls once
//!   that code is loaded (the default UI: with the chat's chunk, see
//!   `src/web/lazy.rs`), so a page whose visitor never opens the widget
//!   does not download it. A launcher click before then goes to the
//!   owner's [`Launcher::clicked`], which loads, attaches and calls
//!   [`Widget::launch`]. Window operations called before the attach do
//!   nothing; the attach draws the current state.
//! * Window events: [`Widget::open`] dispatches `lcw:onMaximize`,
//!   [`Widget::minimize`] `lcw:onMinimize`, [`Widget::hide`] `lcw:onClose`.
//!   The header's close button calls [`UiActions::end_chat`] while a
//!   conversation is live (Connecting, Queued, Chatting) and the window
//!   stays open for the end/rating view; otherwise it calls [`Widget::hide`].
//!   Escape minimizes. Focus is trapped in the open window and returns to
//!   the launcher when it closes.
//! * Phases: `Idle` closes the window quietly and clears the messages;
//!   `Prechat`/`Offline` show the forms (validated in `core::ui::forms`;
//!   only valid answers reach `submit_prechat`/`submit_offline`); `Ended`
//!   shows the rating when `can_rate` and the configuration enables it.
//! * Everything from the agent or the page is text: text nodes only; http(s)
//!   URLs become `<a target="_blank" rel="noopener noreferrer">`.
//! * Attachments: picker and drag-and-drop; files failing `core::ui::files`
//!   show a refusal naming what is allowed; accepted ones go to
//!   [`UiActions::send_file`]. [`Widget::local_url`] makes an object URL to
//!   preview an image the visitor sent; [`Widget::set_upload_progress`]
//!   shows a progress bar on a message.
//! * Pop-out: [`Widget::pop_out`] opens `UiConfig::popout_url` in a new
//!   window (a header button appears when it is set) and calls
//!   [`UiActions::popped_out`]; the page there must load the SDK and resume
//!   the conversation itself.

mod build;
mod dom;
mod forms;
mod input;
mod launcher;
mod messages;
pub mod preview;
mod read;
mod scroll;
mod sound;
mod style;
mod title;
mod transcript;
mod video;
mod widget;
mod window;

pub use crate::core::ui::model::{Author, MessageStatus, UiAttachment, UiConfig, UiMessage, UiPhase};
pub use crate::core::protocol::config::Theme;
pub use widget::Widget;

/// What the widget asks of the session layer. Every method is a request:
/// the session updates the widget when (and if) it happens.
pub trait UiActions {
    /// The visitor sent `text` (trimmed, non-empty, within the length limit).
    fn send_text(&self, text: String);
    /// The visitor attached `file` (already checked against the file rules).
    fn send_file(&self, file: web_sys::File);
    /// The pre-chat form was submitted: valid `(field name, answer)` pairs in
    /// form order (empty optional answers left out).
    fn submit_prechat(&self, answers: Vec<(String, String)>);
    /// The offline form was submitted (same shape as the pre-chat answers).
    fn submit_offline(&self, answers: Vec<(String, String)>);
    /// The visitor rated the conversation.
    fn rate(&self, thumbs_up: bool, comment: Option<String>);
    /// The visitor asked to end the conversation.
    fn end_chat(&self);
    /// The visitor started or stopped typing (stop: 3 s after the last key,
    /// or on send).
    fn typing(&self, is_typing: bool);
    /// The launcher was clicked (the window is already open), or "start a
    /// new chat" after the end.
    fn launcher_clicked(&self);
    /// The conversation was popped out into a new window.
    fn popped_out(&self) {}
    /// A video control was clicked (`data-act`: `video` in the header to
    /// ask for a call; `video-join`, `video-decline`, `video-hangup`,
    /// `video-cam-on`/`-off`, `video-mic-on`/`-off` in the call's area).
    fn video(&self, _act: &str) {}
    /// The visitor muted (`true`) or unmuted the widget's chime (see
    /// [`Widget::set_muted`] to give the choice back on the next page).
    fn sound_muted(&self, _muted: bool) {}
    /// The newest message is on screen (window open, page shown, list at
    /// its end): the owner may send a read receipt. Called often; the
    /// owner says each seq once.
    fn seen(&self) {}
}

/// What the launcher asks of the widget's owner while the window's code is
/// not attached yet (see the module docs, "Two stages").
pub trait Launcher {
    /// The pointer or the keyboard focus reached the launcher (a click may
    /// follow: the owner can start loading).
    fn approached(&self) {}
    /// The launcher was clicked before [`Widget::attach`]: the owner loads
    /// the window's code, attaches it and calls [`Widget::launch`] (the
    /// launcher is marked `aria-busy` and ignores clicks meanwhile; the
    /// owner clears it with [`Widget::set_busy`] when loading fails).
    fn clicked(&self) {}
}
