//! The visit counter in the page: the core's counter over a cookie jar that
//! follows the consent state.

use crate::core::cookie;
use crate::core::visits::{self, VisitConfig};
use crate::web::jar::Jar;

/// Visit counts for this page load and the jar they live in.
pub struct Visits {
    jar: Jar,
    cfg: VisitConfig,
    path: String,
    secure: bool,
    /// Site-wide count including this load.
    pub site: u32,
    /// This page's count including this load.
    pub page: u32,
    /// Whether this load started a new visit.
    pub new_visit: bool,
}

fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

impl Visits {
    /// Records this page load in `jar`.
    pub fn start(jar: Jar, cfg: VisitConfig) -> Visits {
        let location = web_sys::window().map(|w| w.location());
        let path = location.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_else(|| "/".into());
        let secure = location.and_then(|l| l.protocol().ok()).as_deref() == Some("https:");
        let mut v = Visits { jar, cfg, path, secure, site: 0, page: 0, new_visit: false };
        let out = visits::record_visit(&v.jar.header(), &v.path, now_secs(), &v.cfg, v.secure);
        for c in &out.cookies {
            v.jar.set(c);
        }
        v.site = out.site_count;
        v.page = out.page_count;
        v.new_visit = out.new_visit;
        v
    }

    /// Resets this page's counter (`all = false`) or everything.
    pub fn reset(&mut self, all: bool) {
        let path = if all { None } else { Some(self.path.as_str()) };
        for c in visits::reset(&self.jar.header(), path, now_secs(), &self.cfg, self.secure) {
            self.jar.set(&c);
        }
        let (site, page) = visits::read_counts(&self.jar.header(), &self.path, now_secs(), &self.cfg);
        self.site = site;
        self.page = page;
    }

    fn own_cookies(&self) -> Vec<(String, String)> {
        let header = self.jar.header();
        [self.cfg.site_cookie(), self.cfg.page_cookie()]
            .into_iter()
            .filter_map(|name| cookie::get(&header, &name).map(|v| (name.clone(), v.to_string())))
            .collect()
    }

    /// Consent granted: what was counted in memory moves to real cookies.
    pub fn grant(&mut self, document: Jar) {
        if !self.jar.is_memory() {
            return;
        }
        let pairs = self.own_cookies();
        self.jar = document;
        let max_age = u64::from(self.cfg.lifetime_days) * 86_400;
        for (name, value) in pairs {
            self.jar.set(&cookie::SetCookie { name, value, path: "/".into(), max_age_secs: max_age, secure: self.secure });
        }
    }

    /// Consent withdrawn: the SDK's cookies are erased; counting goes on in
    /// memory for this page.
    pub fn revoke(&mut self) {
        let pairs = self.own_cookies();
        if !self.jar.is_memory() {
            for (name, _) in &pairs {
                self.jar.set(&cookie::SetCookie::delete(name, "/", self.secure));
            }
        }
        self.jar = Jar::Memory(pairs);
    }

    /// Whether counts are kept only in memory.
    pub fn in_memory(&self) -> bool {
        self.jar.is_memory()
    }
}
