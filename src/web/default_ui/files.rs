//! Files in received messages (an agent's, or the visitor's own in the
//! history after a reload): the widget shows the name at once, fetches the
//! bytes with the session's credentials and shows them through a `blob:`
//! URL: images as an inline preview, other files as a download link. A
//! failed fetch leaves the name with an "unavailable" notice, never a
//! broken image. No server URL is ever put into the page.
//!
//! And the visitor's own files ([`send`]): from any tab of the chat, the
//! tab that holds the connection or one that follows it.

use super::{field, now, remember, with_widget};
use crate::core::errors::{quoted, ErrorCode, RuntimeError};
use crate::web::events::report;
use crate::web::files::fetch_attachment;
use crate::web::state::Inner;
use crate::web::ui::{Author, MessageStatus, UiAttachment, UiMessage, Widget};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

/// The attachment of an SDK message payload (without a URL: it is fetched).
pub(super) fn ui_attachment(m: &JsValue) -> Option<UiAttachment> {
    let a = field(m, "attachment");
    if !a.is_object() {
        return None;
    }
    Some(UiAttachment {
        name: field(&a, "name").as_string().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "file".into()),
        mime_type: field(&a, "mimeType").as_string().unwrap_or_default(),
        size: field(&a, "size").as_f64().map_or(0, |s| s.max(0.0) as u64),
        url: None,
    })
}

/// Shows message `m` (built from payload `d`) and, when it carries a file
/// not shown yet, fetches it.
pub(super) fn show(inner: &Rc<Inner>, w: &Widget, mut m: UiMessage, d: &JsValue) {
    let id = field(&field(d, "attachment"), "id").as_string();
    let (Some(id), Some(a)) = (id, m.attachment.as_mut()) else {
        w.add_message(&m);
        return;
    };
    if let Some(url) = w.attachment_url(&m.id) {
        a.url = Some(url); // already fetched: keep it
        w.add_message(&m);
        return;
    }
    w.add_message(&m);
    let weak = Rc::downgrade(inner);
    spawn_local(async move {
        let Some(inner) = weak.upgrade() else { return };
        let got = fetch_attachment(&inner, &id).await;
        if inner.destroyed.get() {
            return;
        }
        with_widget(&inner, |w, _| {
            if !w.has_message(&m.id) {
                return; // cleared meanwhile
            }
            match got.ok().and_then(|blob| w.blob_url(&blob).ok()) {
                Some(url) => {
                    if let Some(a) = m.attachment.as_mut() {
                        a.url = Some(url);
                    }
                    w.add_message(&m);
                }
                None => w.attachment_unavailable(&m.id),
            }
        });
    });
}

/// Sends `file` from the widget: shown at once with a local preview,
/// uploaded with progress, then sent as a message carrying it. Any tab of a
/// many-tabs chat uploads with the stored session; a follower's message
/// then goes through the leader like its texts. A refusal (type, size, no
/// chat) is reported and marks the shown message failed.
pub(super) async fn send(inner: Rc<Inner>, file: web_sys::File) {
    let Some(ops) = crate::web::lazy::kept(&inner) else {
        report(&RuntimeError::new(ErrorCode::TransportFailed, format!("{} was not sent: no chat is open", quoted(&file.name()))));
        return;
    };
    let id = crate::web::session::random_id();
    remember(&inner, &id);
    let mut shown = None;
    with_widget(&inner, |w, _| {
        let attachment = w.local_url(&file).ok().map(|url| UiAttachment { name: file.name(), mime_type: file.type_(), size: file.size() as u64, url: Some(url) });
        let m = UiMessage { id: id.clone(), from: Author::Visitor, text: String::new(), at_ms: now(), status: MessageStatus::Sending, attachment, seq: 0 };
        w.add_message(&m);
        shown = Some(m);
    });
    let weak = Rc::downgrade(&inner);
    let pid = id.clone();
    let progress = move |f| {
        if let Some(i) = weak.upgrade() {
            with_widget(&i, |w, _| w.set_upload_progress(&pid, f));
        }
    };
    let file_name = file.name();
    let Some(uploaded) = (ops.upload)(inner.clone(), file, Box::new(progress)).await else { return };
    with_widget(&inner, |w, _| w.set_upload_progress(&id, 1.0));
    let att_name = file_name;
    let sent = uploaded.and_then(|att| (ops.queue)(&inner, id.clone(), att.name.clone(), Some(att)).unwrap_or_else(|| {
        Err(RuntimeError::new(ErrorCode::TransportFailed, format!("{} was not sent: the chat ended", quoted(&att_name))))
    }));
    if let Err(e) = sent {
        report(&e);
        if let Some(mut m) = shown {
            m.status = MessageStatus::Failed;
            m.text = e.description.clone();
            with_widget(&inner, |w, _| w.add_message(&m));
        }
    }
}
