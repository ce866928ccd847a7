//! The one way into the code that runs a conversation.
//!
//! Everything a page needs only once it chats (the socket loop, the server
//! frames and their JSON readers, the events a conversation emits, the
//! many-tabs leader and followers, uploads) is reached through [`Ops`], a
//! table of functions that [`load`] hands out. In the split release build
//! (cargo feature `split`, `scripts/build.sh`) `load` is a split point:
//! `wasm-split-cli` moves what only the table reaches into a chunk that is
//! fetched the first time a chat starts or is retrieved, so a page that
//! never chats never downloads it. A chunk that cannot be fetched is an
//! `lcw:error` code 7 for that chat, and the next try fetches it again.
//! Without the feature (host builds, `wasm-pack test`) `load` is a plain
//! call. Code outside `src/web/session`, `src/web/tabs` and
//! `src/web/conversation.rs` must reach them only through [`Ops`], or their
//! code stays in the main module. The same holds for the default widget's
//! open window (`src/web/ui/window.rs`, and the default UI's wiring in
//! `src/web/default_ui/wiring.rs`): [`Ops::ui_attach`] is its one way in.

use crate::core::context::Context;
use crate::core::errors::RuntimeError;
use crate::core::protocol::AttachmentInfo;
use crate::web::state::Inner;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// A boxed future of the chat's code.
pub type Fut<T> = Pin<Box<dyn Future<Output = T>>>;
/// [`Ops::queue`]'s answer: the client id, a refusal, or `None` (no chat).
pub type Queued = Option<Result<String, RuntimeError>>;
/// [`Ops::upload`]'s future: the uploaded file, a refusal, or `None` (no chat).
pub type Uploading = Fut<Option<Result<AttachmentInfo, RuntimeError>>>;
/// Told of an upload's progress (0 to 1).
pub type Progress = Box<dyn FnMut(f64)>;
/// [`Ops::download`]'s future.
pub type Downloading<'a> = Pin<Box<dyn Future<Output = Result<web_sys::Blob, RuntimeError>> + 'a>>;
/// [`Ops::start`]'s future: the chat's context and whether it is
/// authenticated, or `None` when the SDK was destroyed meanwhile.
pub type Starting = Fut<Result<Option<(Context, bool)>, RuntimeError>>;

/// The conversation's operations, each on the page's [`Inner`] (which
/// holds the session or the tabs hub they act on). See
/// `src/web/conversation.rs` for what each does.
pub struct Ops {
    /// Starts a chat: asks the page's providers for the context (unless
    /// the caller gave one; the second context is merged over it) and the
    /// auth token, then starts a conversation on the chat server, if there
    /// is one, and keeps it in `Inner` (sending the messages queued while
    /// it started).
    pub start: fn(Rc<Inner>, Option<Context>, Option<Context>) -> Starting,
    /// Picks up the stored conversation (reload, another tab) and keeps it,
    /// unless it is the one this page left: its id, or `None` when there is
    /// none to pick up (ended meanwhile, or the stored data is unreadable).
    pub retrieve: fn(&Rc<Inner>, &str) -> Option<String>,
    /// Queues a message (`client id`, text, attachment): `None` when no
    /// conversation is kept.
    pub queue: fn(&Inner, String, String, Option<AttachmentInfo>) -> Queued,
    /// History plus pending sends.
    pub messages: fn(&Inner) -> js_sys::Array,
    /// Ends the kept conversation on the server and forgets it.
    pub close: for<'a> fn(&'a Inner) -> Pin<Box<dyn Future<Output = ()> + 'a>>,
    /// Visitor typing.
    pub typing: fn(&Inner, bool),
    /// `sendTyping()`: typing told once, "stopped" after a pause; true when
    /// a conversation is kept.
    pub page_typing: fn(&Rc<Inner>, bool) -> bool,
    /// Read receipts of the kept conversation (`None`: none is kept).
    pub read_state: fn(&Inner) -> Option<crate::core::session::Receipts>,
    /// The visitor has seen the kept conversation's messages: true when a
    /// receipt is due (src/web/session/read.rs).
    pub mark_read: fn(&Inner) -> bool,
    /// Server base URL and session token of the kept conversation.
    pub credentials: fn(&Inner) -> Option<(String, String)>,
    /// Uploads a file into the kept conversation (`None`: none is kept).
    pub upload: fn(Rc<Inner>, web_sys::File, Progress) -> Uploading,
    /// Downloads an attachment of this page's conversation (or of the one
    /// that just ended) with its credentials (`fetchAttachment`).
    pub download: for<'a> fn(&'a Inner, &'a str) -> Downloading<'a>,
    /// A refreshed visitor token for the server (the tab holding the socket).
    pub push_token: fn(&Inner, &str),
    /// Lets the conversation go without ending it (`destroy()`).
    pub detach: fn(&Inner),
    /// A page's video-call command (src/web/video).
    pub video: fn(Rc<Inner>, crate::web::video::VideoCmd) -> Fut<Result<(), RuntimeError>>,
    /// The video call as this tab knows it (`getVideoCall()`).
    pub video_info: fn(&Inner) -> wasm_bindgen::JsValue,
    /// Redraws the default widget's view of the call.
    pub video_ui: fn(&Inner),
    /// Attaches the default widget's window code and its wiring to the SDK
    /// (`default_ui::attach`): the widget's open window loads with the chat.
    #[cfg(feature = "ui")]
    pub ui_attach: fn(&Rc<Inner>),
}

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for RuntimeError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        RuntimeError::new(crate::core::errors::ErrorCode::SdkLoadFailed, "the chat part of the SDK could not load (network); try again")
    }
}

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(chat, fallible))]
fn chat_ops() -> Result<&'static Ops, RuntimeError> {
    Ok(&crate::web::conversation::OPS)
}

/// The conversation's code, loading it first when it is not yet (split
/// builds: fetches the chunk; concurrent calls share one fetch). The
/// default widget's window is attached on the way, before any of the
/// chat's events.
pub async fn load(inner: &Rc<Inner>) -> Result<&'static Ops, RuntimeError> {
    if let Some(ops) = inner.ops.get() {
        return Ok(ops);
    }
    #[cfg(feature = "split")]
    let ops = chat_ops().await?;
    #[cfg(not(feature = "split"))]
    let ops = chat_ops()?;
    if inner.ops.get().is_none() {
        inner.ops.set(Some(ops));
        #[cfg(feature = "ui")]
        (ops.ui_attach)(inner);
    }
    Ok(ops)
}

/// The conversation's code if it is loaded: it always is while a
/// conversation is kept, so `None` means there is none.
pub fn loaded(inner: &Inner) -> Option<&'static Ops> {
    inner.ops.get()
}

/// The conversation's code while a conversation is kept (a session or a
/// tabs hub): `None` means no chat is open.
pub fn kept(inner: &Inner) -> Option<&'static Ops> {
    loaded(inner).filter(|_| inner.tabs.borrow().is_some() || inner.session.borrow().is_some())
}

/// `prefetch: "idle"`: [`prefetch`] once the page is idle
/// (`requestIdleCallback`, at most 2 s later; a timer where the browser has
/// none, as Safari).
pub fn prefetch_at_idle(weak: std::rc::Weak<Inner>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(window) = web_sys::window() else { return };
    let run = Closure::once_into_js(move || prefetch(weak));
    let f: &js_sys::Function = run.unchecked_ref();
    let opts = web_sys::IdleRequestOptions::new();
    opts.set_timeout(2_000);
    if window.request_idle_callback_with_options(f, &opts).is_err() {
        let _ = window.set_timeout_with_callback(f);
    }
}

/// Starts loading the conversation's code without waiting for it, when the
/// visitor shows they may chat (an invite is shown, the launcher opens the
/// window), so that the chat that may follow does not wait for the chunk.
/// A failure is not reported here: the chat's own start fetches again and
/// reports it (code 7). Nothing to do without a chat server or a split.
pub fn prefetch(weak: std::rc::Weak<Inner>) {
    let wanted = weak.upgrade().is_some_and(|i| cfg!(feature = "split") && i.ops.get().is_none() && i.config.server_url.is_some());
    if wanted {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(inner) = weak.upgrade() {
                let _ = load(&inner).await;
            }
        });
    }
}
