//! Where the SDK keeps its cookies: `document.cookie`, or an in-memory jar
//! for the page when consent is pending or cookies are unavailable.

use crate::core::cookie::SetCookie;
use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

/// A cookie jar.
pub enum Jar {
    /// The page's real cookies.
    Document(HtmlDocument),
    /// Cookies that live only as long as the page.
    Memory(Vec<(String, String)>),
}

impl Jar {
    /// The document jar if cookies work here, else an empty memory jar.
    pub fn document() -> Option<Jar> {
        let window = web_sys::window()?;
        let enabled = crate::web::args::get(&window.navigator(), "cookieEnabled").ok().and_then(|v| v.as_bool());
        if enabled == Some(false) {
            return None;
        }
        let doc: HtmlDocument = window.document()?.dyn_into().ok()?;
        doc.cookie().ok()?;
        Some(Jar::Document(doc))
    }

    /// The `document.cookie`-style header.
    pub fn header(&self) -> String {
        match self {
            Jar::Document(d) => d.cookie().unwrap_or_default(),
            Jar::Memory(pairs) => {
                let mut out = String::new();
                for (n, v) in pairs {
                    if !out.is_empty() {
                        out.push_str("; ");
                    }
                    out.push_str(n);
                    out.push('=');
                    out.push_str(v);
                }
                out
            }
        }
    }

    /// Writes (or, with `Max-Age=0`, deletes) a cookie. A cookie that cannot
    /// be serialised safely is not written.
    pub fn set(&mut self, c: &SetCookie) {
        let Ok(line) = c.serialize() else { return };
        match self {
            Jar::Document(d) => {
                let _ = d.set_cookie(&line);
            }
            Jar::Memory(pairs) => {
                pairs.retain(|(n, _)| *n != c.name);
                if c.max_age_secs > 0 {
                    pairs.push((c.name.clone(), c.value.clone()));
                }
            }
        }
    }

    /// Whether this is the in-memory jar.
    pub fn is_memory(&self) -> bool {
        matches!(self, Jar::Memory(_))
    }
}

/// True when `localStorage` can be read and written (false when the browser
/// blocks storage, for example third-party storage partitioning or a
/// privacy setting).
pub fn storage_works() -> bool {
    let Some(window) = web_sys::window() else { return false };
    match window.local_storage() {
        Ok(Some(s)) => s.set_item("lcw_probe", "1").is_ok() && s.remove_item("lcw_probe").is_ok(),
        _ => false,
    }
}
