//! The engine's host services in the page: regexes through JS `RegExp` (no
//! regex crate in the wasm) and timezone offsets through
//! `Intl.DateTimeFormat` (no timezone database in the wasm).

use crate::core::errors::quoted;
use crate::core::triggers::{RegexEngine, TimeZoneDb};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS `RegExp`.
    #[wasm_bindgen(js_name = RegExp)]
    type JsRegExp;
    #[wasm_bindgen(constructor, js_class = "RegExp", catch)]
    fn new(pattern: &str, flags: &str) -> Result<JsRegExp, JsValue>;
    #[wasm_bindgen(method)]
    fn test(this: &JsRegExp, text: &str) -> bool;

    /// An `Intl.DateTimeFormat`.
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type Dtf;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "DateTimeFormat", catch)]
    fn new(locale: &str, options: &JsValue) -> Result<Dtf, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn format(this: &Dtf, at_ms: f64) -> Result<String, JsValue>;
}

/// [`RegexEngine`] backed by JS `RegExp` (no `g` flag, so `test` is
/// stateless). A pattern JS refuses is a config error of its rule. Each
/// regex remembers its last text and answer: the engine asks again on every
/// signal about the same URL or referrer, and handing a text to JS (UTF-8
/// decoding included) costs far more than comparing it with the last one.
#[derive(Default)]
pub struct JsRegex {
    compiled: Vec<JsRegExp>,
    last: RefCell<Vec<Option<(String, bool)>>>,
}

impl RegexEngine for JsRegex {
    fn compile(&mut self, pattern: &str, ignore_case: bool) -> Result<u32, String> {
        let re = JsRegExp::new(pattern, if ignore_case { "i" } else { "" })
            .map_err(|e| format!("invalid regex: {}", crate::web::js_error::describe(&e)))?;
        self.compiled.push(re);
        Ok((self.compiled.len() - 1) as u32)
    }

    fn is_match(&self, id: u32, text: &str) -> bool {
        let i = id as usize;
        if let Some(Some((seen, answer))) = self.last.borrow().get(i) {
            if crate::core::triggers::same_text(seen, text) {
                return *answer;
            }
        }
        let Some(re) = self.compiled.get(i) else { return false };
        let answer = re.test(text);
        let mut last = self.last.borrow_mut();
        if last.len() <= i {
            last.resize(i + 1, None);
        }
        last[i] = Some((text.to_string(), answer));
        answer
    }
}

/// [`TimeZoneDb`] backed by `Intl.DateTimeFormat`, one cached formatter per
/// zone. An unknown zone (a `RangeError` from `Intl`) is a config error.
#[derive(Default)]
pub struct IntlTz {
    cache: RefCell<Vec<(String, Dtf)>>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads `MM/DD/YYYY, HH:MM:SS` (en-US, h23) into wall-clock Unix ms.
/// The first six runs of ASCII digits are read (a run too long for an
/// `i64`, or fewer than six runs: `None`), byte by byte: no `str::parse`.
fn wall_clock_ms(text: &str) -> Option<i64> {
    let mut n = [0i64; 6];
    let mut runs = 0;
    let mut in_run = false;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            in_run = false;
            continue;
        }
        if !in_run {
            if runs == n.len() {
                break;
            }
            runs += 1;
            in_run = true;
        }
        let (slot, digit) = (&mut n[runs - 1], i64::from(b - b'0'));
        if *slot > (i64::MAX - digit) / 10 {
            return None;
        }
        *slot = *slot * 10 + digit;
    }
    if runs < n.len() {
        return None;
    }
    let [mo, d, y, h, mi, s] = n;
    Some(((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + s * 1000)
}

impl IntlTz {
    fn formatter(&self, zone: &str) -> Result<(), String> {
        if self.cache.borrow().iter().any(|(z, _)| z == zone) {
            return Ok(());
        }
        let opts = js_sys::Object::new();
        for (k, v) in [("timeZone", zone), ("hourCycle", "h23"), ("year", "numeric"), ("month", "2-digit"),
            ("day", "2-digit"), ("hour", "2-digit"), ("minute", "2-digit"), ("second", "2-digit")] {
            crate::web::args::set(&opts, k, v.into());
        }
        let dtf = Dtf::new("en-US", &opts).map_err(|e| format!("unknown timezone {zone_q}: {}", crate::web::js_error::describe(&e), zone_q = quoted(zone)))?;
        self.cache.borrow_mut().push((zone.to_string(), dtf));
        Ok(())
    }
}

impl TimeZoneDb for IntlTz {
    fn utc_offset_minutes(&self, zone: &str, at_ms: i64) -> Result<i32, String> {
        self.formatter(zone)?;
        let cache = self.cache.borrow();
        let dtf = &cache.iter().find(|(z, _)| z == zone).ok_or("timezone cache miss")?.1;
        // Whole seconds: the formatter drops milliseconds.
        let at = at_ms.div_euclid(1000) * 1000;
        let text = dtf.format(at as f64).map_err(|e| crate::web::js_error::describe(&e))?;
        let wall = wall_clock_ms(&text).ok_or_else(|| format!("cannot read the time in {zone_q}", zone_q = quoted(zone)))?;
        Ok(((wall - at) / 60_000).clamp(-24 * 60, 24 * 60) as i32)
    }
}
