//! The state one SDK instance owns. Timers and listeners live here, so
//! dropping the state (via `destroy()`) cancels and unsubscribes them all.

use crate::core::config::Config;
use crate::core::context::Context;
use crate::web::events::Subscriptions;
use crate::web::visits::Visits;
use gloo_timers::callback::Timeout;
use js_sys::Function;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Where the chat is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatPhase {
    /// No chat.
    Idle,
    /// Providers are being asked; a second `startChat` waits for this one.
    Starting,
    /// The chat is open.
    Open,
}

/// Everything one SDK instance owns.
pub struct Inner {
    /// Validated configuration.
    pub config: Config,
    /// The page's context provider.
    pub context_provider: RefCell<Option<Function>>,
    /// The page's auth token provider.
    pub auth_provider: RefCell<Option<Function>>,
    /// The conversation's video call as last heard (the server's frames,
    /// the leader tab's relays).
    pub video: RefCell<Option<crate::core::protocol::VideoCall>>,
    /// The call this tab takes part in (src/web/video).
    pub call: RefCell<Option<Rc<crate::web::video::Call>>>,
    /// A call this tab asked for (`requestVideoCall`): it joins it when the
    /// agent invites.
    pub video_asked: RefCell<Option<String>>,
    /// An OAuth authorization code (`setAuthorizationCode`) for the next
    /// chat start; kept until a chat starts with it or the server refuses it.
    pub authorization_code: RefCell<Option<crate::core::authcode::AuthorizationCode>>,
    /// `sdk.on` subscriptions.
    pub subs: Rc<RefCell<Subscriptions>>,
    /// The visit counter.
    pub visits: RefCell<Visits>,
    /// Timer that refreshes the auth token before it expires.
    pub refresh: RefCell<Option<Timeout>>,
    /// The current token, if the chat is authenticated.
    pub token: RefCell<Option<String>>,
    /// The context sent with the open chat.
    pub chat_context: RefCell<Context>,
    /// Chat phase.
    pub phase: Cell<ChatPhase>,
    /// Whether the page has granted storage consent.
    pub consent: Cell<bool>,
    /// Language set by `setLocale` (else `navigator.languages` is used by
    /// the widget and the invite).
    pub locale: RefCell<Option<String>>,
    /// The conversation on the chat server, when one is open.
    pub session: RefCell<Option<Rc<crate::web::session::Session>>>,
    /// The conversation shared by this browser's tabs (src/web/tabs), used
    /// instead of `session` when tabs can coordinate; `None` otherwise.
    pub tabs: RefCell<Option<Rc<crate::web::tabs::Tabs>>>,
    /// Messages the visitor sent while the chat was starting: `(client id,
    /// text)`, sent as soon as the conversation exists.
    pub early_sends: RefCell<Vec<(String, String)>>,
    /// The default widget, when shown.
    #[cfg(feature = "ui")]
    pub ui: RefCell<Option<crate::web::default_ui::DefaultUi>>,
    /// Pre-chat answers for the next chat start.
    pub prechat_answers: RefCell<std::collections::BTreeMap<String, String>>,
    /// `(server, conversation id, token)` of the last conversation, kept
    /// after it closes so the visitor can rate it.
    pub last_conversation: RefCell<Option<(String, String, String)>>,
    /// The conversation's code, once loaded (`crate::web::lazy`).
    pub ops: std::cell::Cell<Option<&'static crate::web::lazy::Ops>>,
    /// The conversation this page last left (closed, or ended by the agent
    /// or another tab): never retrieved again, though another tab may still
    /// store it once more while it ends (`chat::retrieve`).
    pub left: RefCell<Option<String>>,
    /// `sendTyping(true)` was told to the agent: the timer that says "stopped"
    /// after [`crate::core::session::TYPING_IDLE_MS`] without another call.
    pub page_typing: RefCell<Option<gloo_timers::callback::Timeout>>,
    /// Last availability answer and when it was fetched (ms).
    pub availability: RefCell<Option<(f64, wasm_bindgen::JsValue)>>,
    /// Set by `destroy()`.
    pub destroyed: Cell<bool>,
    /// Watches for a conversation started in another tab (see
    /// `chat::watch_other_tabs`); dropped by `destroy()`.
    pub other_tabs: RefCell<Option<gloo_events::EventListener>>,
    /// The proactive-chat engine, its watchers, timer and invite.
    pub proactive: crate::web::proactive::Proactive,
}
