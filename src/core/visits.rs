//! The visit counter: per site and per page, kept in two first-party cookies.
//!
//! * `<prefix>_sv` = `count.lastSeen` for the whole site;
//! * `<prefix>_pv` = up to [`MAX_PAGES`] entries `hash.count.lastSeen`
//!   joined by `~`, most recent first, so the cookie stays small however many
//!   pages a site has.
//!
//! `lastSeen` is in whole seconds since the Unix epoch. Anything that does not
//! parse exactly (negative, non-digit, exponent, overflow, from the future) is
//! treated as "no record": the counter restarts instead of failing. A missing
//! cookie is a first visit (WebKit deletes script-written cookies after seven
//! days without interaction).

use super::cookie::{self, SetCookie};

/// At most this many pages are remembered in the page cookie.
pub const MAX_PAGES: usize = 20;
/// Counts above this are clamped (a visit counter has no use for more).
pub const MAX_COUNT: u32 = 1_000_000;
/// Default cookie lifetime in days.
pub const DEFAULT_LIFETIME_DAYS: u32 = 180;
/// Chromium caps cookie lifetime at 400 days; so do we.
pub const MAX_LIFETIME_DAYS: u32 = 400;

/// What counts as a new visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitMode {
    /// Every page load is a visit.
    EveryLoad,
    /// A load is a new visit only after this many minutes without activity
    /// (analytics-style sessions); loads in between refresh `lastSeen`.
    Inactivity {
        /// Minutes of inactivity that end a visit.
        minutes: u32,
    },
}

/// How the counter is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitConfig {
    /// Cookie name prefix (a token; default `lcw`).
    pub prefix: String,
    /// Cookie lifetime in days (1..=400).
    pub lifetime_days: u32,
    /// What counts as a visit.
    pub mode: VisitMode,
}

impl Default for VisitConfig {
    fn default() -> Self {
        VisitConfig { prefix: "lcw".into(), lifetime_days: DEFAULT_LIFETIME_DAYS, mode: VisitMode::EveryLoad }
    }
}

impl VisitConfig {
    /// Name of the site-wide cookie.
    pub fn site_cookie(&self) -> String {
        format!("{}_sv", self.prefix)
    }
    /// Name of the per-page cookie.
    pub fn page_cookie(&self) -> String {
        format!("{}_pv", self.prefix)
    }
}

/// One counter: how many visits and when the last activity was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Visits so far (this one included once recorded).
    pub count: u32,
    /// Last activity, seconds since the epoch.
    pub last_seen: u64,
}

/// The counts after recording a page load, and the cookies to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitOutcome {
    /// Site-wide visit count including this one.
    pub site_count: u32,
    /// Visit count of this page including this one.
    pub page_count: u32,
    /// Whether this load started a new site visit.
    pub new_visit: bool,
    /// Cookies to write (serialised with [`SetCookie::serialize`]).
    pub cookies: Vec<SetCookie>,
}

/// A stable 8-hex-digit key for a page path (FNV-1a, 32 bits).
pub fn page_key(path: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in path.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

fn parse_u64_strict(s: &str, max_digits: usize) -> Option<u64> {
    if s.is_empty() || s.len() > max_digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `count.lastSeen`; `None` for anything tampered or from the future.
pub fn parse_record(s: &str, now_secs: u64) -> Option<Record> {
    let (c, t) = s.split_once('.')?;
    let count = parse_u64_strict(c, 7)?;
    let last_seen = parse_u64_strict(t, 12)?;
    if count == 0 || count > u64::from(MAX_COUNT) || last_seen > now_secs + 300 {
        return None;
    }
    Some(Record { count: count as u32, last_seen })
}

fn parse_pages(s: &str, now_secs: u64) -> Vec<(String, Record)> {
    let mut out: Vec<(String, Record)> = Vec::new();
    for entry in s.split('~').take(MAX_PAGES) {
        let Some((key, rest)) = entry.split_once('.') else { continue };
        if key.len() != 8 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        if let Some(r) = parse_record(rest, now_secs) {
            if !out.iter().any(|(k, _)| k == key) {
                out.push((key.to_string(), r));
            }
        }
    }
    out
}

fn bump(prev: Option<Record>, now_secs: u64, mode: VisitMode) -> (Record, bool) {
    match prev {
        None => (Record { count: 1, last_seen: now_secs }, true),
        Some(r) => {
            let new_visit = match mode {
                VisitMode::EveryLoad => true,
                VisitMode::Inactivity { minutes } => {
                    now_secs.saturating_sub(r.last_seen) >= u64::from(minutes) * 60
                }
            };
            let count = if new_visit { (r.count + 1).min(MAX_COUNT) } else { r.count };
            (Record { count, last_seen: now_secs }, new_visit)
        }
    }
}

/// Records a page load of `path` given the current cookie header.
pub fn record_visit(cookie_header: &str, path: &str, now_secs: u64, cfg: &VisitConfig, secure: bool) -> VisitOutcome {
    let site_prev = cookie::get(cookie_header, &cfg.site_cookie()).and_then(|v| parse_record(v, now_secs));
    let mut pages = cookie::get(cookie_header, &cfg.page_cookie())
        .map(|v| parse_pages(v, now_secs))
        .unwrap_or_default();
    let key = page_key(path);
    let page_prev = pages.iter().position(|(k, _)| *k == key).map(|i| pages.remove(i).1);

    let (site, new_visit) = bump(site_prev, now_secs, cfg.mode);
    let (page, _) = bump(page_prev, now_secs, cfg.mode);
    pages.insert(0, (key, page));
    pages.truncate(MAX_PAGES);

    VisitOutcome {
        site_count: site.count,
        page_count: page.count,
        new_visit,
        cookies: vec![
            cookie_for(cfg.site_cookie(), encode_record(site), cfg, secure),
            cookie_for(cfg.page_cookie(), encode_pages(&pages), cfg, secure),
        ],
    }
}

/// Current counts without recording anything: `(site, page)`.
pub fn read_counts(cookie_header: &str, path: &str, now_secs: u64, cfg: &VisitConfig) -> (u32, u32) {
    let site = cookie::get(cookie_header, &cfg.site_cookie()).and_then(|v| parse_record(v, now_secs));
    let key = page_key(path);
    let page = cookie::get(cookie_header, &cfg.page_cookie())
        .map(|v| parse_pages(v, now_secs))
        .and_then(|p| p.into_iter().find(|(k, _)| *k == key).map(|(_, r)| r));
    (site.map_or(0, |r| r.count), page.map_or(0, |r| r.count))
}

/// Cookies that reset the counter of one page (`Some(path)`) or everything
/// (`None`, which deletes both cookies).
pub fn reset(cookie_header: &str, path: Option<&str>, now_secs: u64, cfg: &VisitConfig, secure: bool) -> Vec<SetCookie> {
    match path {
        None => vec![
            SetCookie::delete(&cfg.site_cookie(), "/", secure),
            SetCookie::delete(&cfg.page_cookie(), "/", secure),
        ],
        Some(path) => {
            let key = page_key(path);
            let pages: Vec<(String, Record)> = cookie::get(cookie_header, &cfg.page_cookie())
                .map(|v| parse_pages(v, now_secs))
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| *k != key)
                .collect();
            if pages.is_empty() {
                vec![SetCookie::delete(&cfg.page_cookie(), "/", secure)]
            } else {
                vec![cookie_for(cfg.page_cookie(), encode_pages(&pages), cfg, secure)]
            }
        }
    }
}

// The cookies' values are written without `format!`: integers through
// `core::fmt` and `[String]::join` would be their only users in the
// module a page loads (bench/SIZE.md).
fn write_record(r: Record, out: &mut String) {
    crate::core::json::write_u64(u64::from(r.count), out);
    out.push('.');
    crate::core::json::write_u64(r.last_seen, out);
}

fn encode_record(r: Record) -> String {
    let mut out = String::new();
    write_record(r, &mut out);
    out
}

fn encode_pages(pages: &[(String, Record)]) -> String {
    let mut out = String::new();
    for (i, (k, r)) in pages.iter().enumerate() {
        if i > 0 {
            out.push('~');
        }
        out.push_str(k);
        out.push('.');
        write_record(*r, &mut out);
    }
    out
}

fn cookie_for(name: String, value: String, cfg: &VisitConfig, secure: bool) -> SetCookie {
    let days = cfg.lifetime_days.clamp(1, MAX_LIFETIME_DAYS);
    SetCookie { name, value, path: "/".into(), max_age_secs: u64::from(days) * 86_400, secure }
}

#[cfg(test)]
#[path = "visits_tests.rs"]
mod tests;
