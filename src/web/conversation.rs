//! The conversation's operations ([`OPS`], see `src/web/lazy.rs`): what the
//! rest of the SDK asks of the page's chat session (one tab) or tabs hub
//! (many tabs). In the split build only [`OPS`] reaches this code, so it
//! loads with the chat's chunk.

use crate::core::context::Context;
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::protocol::AttachmentInfo;
use crate::core::session::TYPING_IDLE_MS;
use crate::web::events::report;
use crate::web::lazy::{Ops, Progress, Queued, Starting, Uploading};
use crate::web::session::Session;
use crate::web::state::Inner;
use crate::web::tabs::{self, Tabs};
use std::rc::Rc;

/// The table handed out by `lazy::load`.
pub static OPS: Ops = Ops {
    start, retrieve, queue, messages, close, typing, page_typing, read_state, mark_read, credentials, upload, push_token, detach,
    download: crate::web::files::download,
    video: crate::web::video::run, video_info: crate::web::video::info, video_ui: crate::web::video::render,
    #[cfg(feature = "ui")]
    ui_attach: crate::web::default_ui::attach,
};

/// The providers first (`chat::prepare`), then the conversation on the
/// chat server when there is one. Many tabs: one conversation and one
/// socket per browser when tabs can coordinate (src/web/tabs); else one
/// session per tab.
fn start(inner: Rc<Inner>, custom: Option<Context>, extra: Option<Context>) -> Starting {
    Box::pin(async move {
        let Some((context, authenticated)) = crate::web::chat::prepare(&inner, custom, extra).await? else { return Ok(None) };
        let Some(base) = inner.config.server_url.clone() else { return Ok(Some((context, authenticated))) };
        let token = inner.token.borrow().clone();
        if tabs::can_share(&inner) {
            match tabs::start(&inner, &base, &context, token).await? {
                tabs::Started::Shared(t) if !inner.destroyed.get() => keep_tabs(&inner, t),
                tabs::Started::Shared(_) => {}
                // As a tab that cannot share (below), and the site is told.
                tabs::Started::Alone(s) => {
                    report(&RuntimeError::new(ErrorCode::SdkLoadFailed, "browser storage is full: this chat is kept in memory for this page only, and cannot be picked up after a reload or in another tab"));
                    keep_session(&inner, s);
                }
            }
        } else {
            let s = Session::start(&inner, &base, &context, token).await?;
            keep_session(&inner, s);
        }
        Ok(Some((context, authenticated)))
    })
}

fn retrieve(inner: &Rc<Inner>, base: &str) -> Option<String> {
    let saved = crate::web::session::load_stored(inner).filter(|s| !crate::web::chat::was_left(inner, &s.conversation_id))?;
    let id = saved.conversation_id.clone();
    // Many tabs: follow the leader tab, or lead if none does.
    if tabs::can_share(inner) {
        keep_tabs(inner, Tabs::join(inner, base, saved));
    } else {
        keep_session(inner, Session::restore(inner, base, saved));
    }
    Some(id)
}

/// Keeps the tabs hub, sending what was typed while it started.
fn keep_tabs(inner: &Inner, t: Rc<Tabs>) {
    for (id, text) in std::mem::take(&mut *inner.early_sends.borrow_mut()) {
        if let Err(e) = t.send_with_id(id, text) {
            report(&e);
        }
    }
    *inner.tabs.borrow_mut() = Some(t);
}

fn keep_session(inner: &Inner, s: Rc<Session>) {
    for (id, text) in std::mem::take(&mut *inner.early_sends.borrow_mut()) {
        if let Err(e) = s.send_with_id(id, text) {
            report(&e);
        }
    }
    *inner.session.borrow_mut() = Some(s);
}

fn queue(inner: &Inner, client_id: String, text: String, attachment: Option<AttachmentInfo>) -> Queued {
    let tabs = inner.tabs.borrow().clone();
    if let Some(t) = tabs {
        return Some(t.queue(client_id, text, attachment));
    }
    let session = inner.session.borrow().clone();
    session.map(|s| s.queue(client_id, text, attachment))
}

/// From the tabs hub in many-tabs mode, else from the page's own session.
fn messages(inner: &Inner) -> js_sys::Array {
    if let Some(t) = inner.tabs.borrow().as_ref() {
        return t.messages_js();
    }
    inner.session.borrow().as_ref().map_or_else(js_sys::Array::new, |s| s.messages_js())
}

/// Remembers the conversation as left (never retrieved again), then ends it.
fn close(inner: &Inner) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
    Box::pin(async move {
        let session = inner.session.borrow_mut().take();
        let shared = inner.tabs.borrow_mut().take();
        let id = session.as_ref().map(|s| s.conversation_id.clone()).or_else(|| shared.as_ref().map(|t| t.conversation_id().to_owned()));
        if id.is_some() {
            *inner.left.borrow_mut() = id;
        }
        if let Some(s) = session {
            s.close().await;
        }
        if let Some(t) = shared {
            t.close().await; // many tabs: every tab forgets it
        }
        crate::web::video::chat_over(inner);
    })
}

/// Many tabs: through the tabs hub (the leader holds the socket).
fn typing(inner: &Inner, is_typing: bool) {
    if let Some(t) = inner.tabs.borrow().as_ref() {
        return t.typing(is_typing);
    }
    if let Some(s) = inner.session.borrow().as_ref() {
        s.typing(is_typing);
    }
}

/// A page's `sendTyping(on)`: the agent hears "typing" once, and "stopped"
/// on `false` or after [`TYPING_IDLE_MS`] without another call.
fn page_typing(inner: &Rc<Inner>, on: bool) -> bool {
    if inner.tabs.borrow().is_none() && inner.session.borrow().is_none() {
        return false;
    }
    let was = inner.page_typing.borrow_mut().take().is_some();
    if on {
        let weak = Rc::downgrade(inner);
        *inner.page_typing.borrow_mut() = Some(crate::web::timeout(TYPING_IDLE_MS, Box::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.page_typing.borrow_mut().take();
                typing(&inner, false);
            }
        })));
    }
    if on != was {
        typing(inner, on);
    }
    true
}

fn read_state(inner: &Inner) -> Option<crate::core::session::Receipts> {
    if let Some(t) = inner.tabs.borrow().as_ref() {
        return Some(t.receipts());
    }
    inner.session.borrow().as_ref().map(|s| s.receipts())
}

fn mark_read(inner: &Inner) -> bool {
    let tabs = inner.tabs.borrow().clone();
    if let Some(t) = tabs {
        return t.mark_read();
    }
    let session = inner.session.borrow().clone();
    session.is_some_and(|s| s.mark_read(None))
}

fn credentials(inner: &Inner) -> Option<(String, String)> {
    if let Some(s) = inner.session.borrow().as_ref() {
        return Some(s.credentials());
    }
    inner.tabs.borrow().as_ref().map(|t| t.credentials())
}

/// Any tab of a many-tabs chat uploads with the stored session.
fn upload(inner: Rc<Inner>, file: web_sys::File, progress: Progress) -> Uploading {
    Box::pin(async move {
        let tabs = inner.tabs.borrow().clone();
        let session = inner.session.borrow().clone();
        match (tabs, session) {
            (Some(t), _) => Some(t.upload(&file, progress).await),
            (None, Some(s)) => Some(s.upload(&file, progress).await),
            (None, None) => None,
        }
    })
}

/// The session holding this tab's chat socket, if any (many tabs: only
/// the leader tab has one) renews the server's copy of the token.
fn push_token(inner: &Inner, token: &str) {
    let own = inner.session.borrow().clone();
    if let Some(s) = own.or_else(|| inner.tabs.borrow().as_ref().and_then(|t| t.leader_session())) {
        s.push_token(token, false);
    }
}

fn detach(inner: &Inner) {
    inner.page_typing.borrow_mut().take();
    // A call in this tab stops with the SDK (the server ends it when its
    // call socket goes).
    crate::web::video::let_go(inner.call.borrow_mut().take());
    if let Some(s) = inner.session.borrow_mut().take() {
        s.detach();
    }
    // Many tabs: releases the leader lock (another tab takes over).
    let tabs = inner.tabs.borrow_mut().take();
    drop(tabs);
}
