//! Files in received messages (an agent's, or the visitor's own in the
//! history after a reload): the widget shows the name at once, fetches the
//! bytes with the session's credentials and shows them through a `blob:`
//! URL: images as an inline preview, other files as a download link. A
//! failed fetch leaves the name with an "unavailable" notice, never a
//! broken image. No server URL is ever put into the page.

use super::{field, with_widget};
use crate::web::files::fetch_attachment;
use crate::web::state::Inner;
use crate::web::ui::{UiAttachment, UiMessage, Widget};
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
