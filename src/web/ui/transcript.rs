//! "Download the transcript" (the end view): the conversation the window
//! shows, saved by the browser as a text file (`core::ui::transcript`
//! lays it out). Times and names are in the widget's language, as shown.

use super::dom::{attrs, el, html};
use super::messages::{format_time, status_label, time_format};
use super::widget::Shared;
use crate::core::ui::labels::Label;
use crate::core::ui::model::{Author, MessageStatus};
use crate::core::ui::transcript::{Entry, Transcript};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Builds the transcript and hands it to the browser as a download named
/// `chat-YYYY-MM-DD.txt` (the chat's first day). Its object URL is revoked
/// with the widget's others (a new conversation, or the widget removed).
pub fn download(shared: &Rc<Shared>) {
    let locale = shared.state.borrow().locale.clone();
    let format = time_format(shared, &locale);
    let st = shared.state.borrow();
    let first_ms = st.msgs.iter().map(|m| m.at_ms).find(|t| *t > 0.0).unwrap_or_else(js_sys::Date::now);
    let day = js_sys::Date::new(&first_ms.into());
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"dateStyle".into(), &"long".into());
    let date = String::from(day.to_locale_date_string(locale.tag(), &opts));
    let mut t = Transcript::new(&shared.parts.head_name.text_content().unwrap_or_default(), &date);
    for m in st.msgs.iter() {
        t.push(Entry {
            when: &format_time(&format, m.at_ms),
            who: match &m.from {
                Author::Agent { name, .. } if !name.trim().is_empty() => name.trim(),
                Author::Agent { .. } => locale.text(Label::Agent),
                Author::Visitor => locale.text(Label::You),
                Author::System => "",
            },
            text: &m.text,
            file: m.attachment.as_ref().map(|a| a.name.as_str()),
            note: (matches!(m.from, Author::Visitor) && !matches!(m.status, MessageStatus::Sent | MessageStatus::Seen)).then(|| locale.text(status_label(m.status))),
        });
    }
    drop(st);
    let Ok(url) = blob_url(&t.finish()) else { return };
    // The local day: the ISO form of the time shifted by the zone's offset.
    let local = js_sys::Date::new(&(first_ms - day.get_timezone_offset() * 60_000.0).into());
    let iso = String::from(local.to_iso_string());
    let name = ["chat-", iso.get(..10).unwrap_or("transcript"), ".txt"].concat();
    let a = el(&shared.parts.doc, "a", "");
    attrs(&a, &[("href", &url), ("download", &name)]);
    html(&a).click();
    shared.state.borrow_mut().urls.push(url);
}

fn blob_url(text: &str) -> Result<String, JsValue> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &bag)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}
