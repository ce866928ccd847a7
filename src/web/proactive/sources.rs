//! Page-supplied signals: custom predicates, page data, agent availability
//! and the pluggable country source (a page callback, a server-provided
//! value, or `navigator.geolocation` plus the site's geocoder). Callbacks
//! are asked only when a loaded rule needs their answer.

use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::core::triggers::Input;
use crate::web::events::report;
use crate::web::js_error::describe;
use crate::web::state::Inner;
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Weak;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Where the visitor's country comes from.
#[derive(Default)]
pub enum CountrySource {
    /// No source: the country is unknown.
    #[default]
    None,
    /// A value the server put in the page (`createSdk({country: "FR"})`).
    Fixed(String),
    /// `sdk.setCountrySource(fn)`: `fn()` returns a code or a Promise of one.
    Callback(Function),
    /// `sdk.useGeolocationCountry(geocoder)`: the browser's position, then
    /// `geocoder(lat, lon)` returns a code or a Promise of one.
    Geolocation(Function),
}

/// Page-supplied signal sources and their last answers.
#[derive(Default)]
pub struct Sources {
    /// Registered predicates by name.
    pub predicates: RefCell<Vec<(String, Function)>>,
    /// Predicates that threw already (reported once each).
    failed: RefCell<Vec<String>>,
    /// Page data of the current page view.
    pub page_data: RefCell<Vec<(String, String)>>,
    /// Agent availability, once known.
    pub agent: Cell<Option<bool>>,
    /// The country source.
    pub country: RefCell<CountrySource>,
    /// The answer, once the source has answered (`Some(None)`: unknown).
    pub country_value: RefCell<Option<Option<String>>>,
    /// Bumped when the source changes, so a late answer of an old source is dropped.
    generation: Cell<u32>,
    /// Whether a country lookup is under way.
    asking: Cell<bool>,
    /// Whether a country failure was reported already (no error storm).
    country_failed: Cell<bool>,
}

fn callback_failed(what: &str, thrown: &JsValue) {
    report(&RuntimeError::new(ErrorCode::CallbackFailed, format!("{what} threw: {}", describe(thrown))));
}

/// Waits for a value that may be a Promise.
async fn settle(v: JsValue) -> Result<JsValue, JsValue> {
    if v.is_instance_of::<Promise>() || crate::web::args::get(&v, "then").is_ok_and(|t| t.is_function()) {
        JsFuture::from(Promise::resolve(&v)).await
    } else {
        Ok(v)
    }
}

impl Sources {
    /// Replaces the country source; the next lookup asks the new one.
    pub fn set_country_source(&self, source: CountrySource) {
        *self.country.borrow_mut() = source;
        *self.country_value.borrow_mut() = None;
        self.generation.set(self.generation.get().wrapping_add(1));
        self.asking.set(false);
    }

    /// Sets (or replaces) page data entries.
    pub fn put_page_data(&self, key: &str, value: &str) {
        let mut d = self.page_data.borrow_mut();
        match d.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => d.push((key.to_string(), value.to_string())),
        }
    }

    /// Evaluates the named predicates now. Synchronous answers are returned;
    /// a Promise answer is fed when it settles. A throwing predicate is
    /// reported once (code 13) and counts as false.
    pub fn predicate_inputs(&self, weak: &Weak<Inner>, names: &[String]) -> Vec<Input> {
        let mut out = Vec::new();
        for name in names {
            let f = self.predicates.borrow().iter().find(|(n, _)| n == name).map(|(_, f)| f.clone());
            let Some(f) = f else { continue };
            match f.call0(&JsValue::UNDEFINED) {
                Ok(v) if v.is_instance_of::<Promise>() => {
                    let (weak, name) = (weak.clone(), name.clone());
                    spawn_local(async move {
                        let Some(inner) = weak.upgrade() else { return };
                        let value = match settle(v).await {
                            Ok(v) => v.is_truthy(),
                            Err(e) => {
                                inner.proactive.sources.predicate_failed(&name, &e);
                                false
                            }
                        };
                        super::feed(&inner, Input::Predicate { name, value });
                    });
                }
                Ok(v) => out.push(Input::Predicate { name: name.clone(), value: v.is_truthy() }),
                Err(e) => {
                    self.predicate_failed(name, &e);
                    out.push(Input::Predicate { name: name.clone(), value: false });
                }
            }
        }
        out
    }

    fn predicate_failed(&self, name: &str, thrown: &JsValue) {
        if self.failed.borrow().iter().any(|n| n == name) {
            return;
        }
        self.failed.borrow_mut().push(name.to_string());
        callback_failed(&format!("proactive predicate {name_q}", name_q = quoted(name)), thrown);
    }

    /// The known country as an input, or starts the lookup (answered later
    /// through [`super::feed`]) and returns `None`.
    pub fn country_input(&self, weak: &Weak<Inner>) -> Option<Input> {
        if let Some(v) = self.country_value.borrow().clone() {
            return Some(Input::Country(v));
        }
        if self.asking.get() {
            return None;
        }
        let gen = self.generation.get();
        let lookup = match &*self.country.borrow() {
            CountrySource::None => return None,
            CountrySource::Fixed(c) => {
                let v = Some(c.clone());
                *self.country_value.borrow_mut() = Some(v.clone());
                return Some(Input::Country(v));
            }
            CountrySource::Callback(f) => match f.call0(&JsValue::UNDEFINED) {
                Ok(v) => Lookup::Value(v, "the country source"),
                Err(e) => Lookup::Failed(e, "the country source"),
            },
            CountrySource::Geolocation(g) => Lookup::Geo(g.clone()),
        };
        self.asking.set(true);
        let weak = weak.clone();
        spawn_local(async move {
            let answer = match lookup {
                Lookup::Value(v, what) => settle(v).await.map_err(|e| (e, what)),
                Lookup::Failed(e, what) => Err((e, what)),
                Lookup::Geo(geocoder) => match position().await {
                    // Denied, unavailable or timed out: unknown, not an error.
                    None => Ok(JsValue::NULL),
                    Some((lat, lon)) => match geocoder.call2(&JsValue::UNDEFINED, &lat.into(), &lon.into()) {
                        Ok(v) => settle(v).await.map_err(|e| (e, "the geocoder")),
                        Err(e) => Err((e, "the geocoder")),
                    },
                },
            };
            let Some(inner) = weak.upgrade() else { return };
            let s = &inner.proactive.sources;
            if s.generation.get() != gen || inner.destroyed.get() {
                return;
            }
            s.asking.set(false);
            let code = match answer {
                Ok(v) if v.is_null() || v.is_undefined() => None,
                Ok(v) => match v.as_string() {
                    Some(c) if !c.is_empty() => Some(c),
                    Some(_) => None,
                    None => {
                        s.country_error(&JsValue::from_str("it did not return a string"), "the country source");
                        None
                    }
                },
                Err((e, what)) => {
                    s.country_error(&e, what);
                    None
                }
            };
            *s.country_value.borrow_mut() = Some(code.clone());
            super::feed(&inner, Input::Country(code));
        });
        None
    }

    fn country_error(&self, thrown: &JsValue, what: &str) {
        if !self.country_failed.replace(true) {
            callback_failed(what, thrown);
        }
    }
}

enum Lookup {
    Value(JsValue, &'static str),
    Failed(JsValue, &'static str),
    Geo(Function),
}

/// The browser's position, or `None` when denied or unavailable.
async fn position() -> Option<(f64, f64)> {
    let geo = web_sys::window()?.navigator().geolocation().ok()?;
    let p = Promise::new(&mut |resolve, _reject| {
        // One closure type for both callbacks: one copy of the plumbing.
        let settle = |f: Function, keep: bool| {
            Closure::once_into_js(move |v: JsValue| {
                let _ = f.call1(&JsValue::UNDEFINED, &if keep { v } else { JsValue::NULL });
            })
        };
        let on_ok = settle(resolve.clone(), true);
        let on_err = settle(resolve, false);
        if geo.get_current_position_with_error_callback(on_ok.unchecked_ref(), Some(on_err.unchecked_ref())).is_err() {
            let _ = on_err.unchecked_ref::<Function>().call1(&JsValue::UNDEFINED, &JsValue::NULL);
        }
    });
    let pos = JsFuture::from(p).await.ok()?;
    let coords = crate::web::args::get(&pos, "coords").ok()?;
    let lat = crate::web::args::get(&coords, "latitude").ok()?.as_f64()?;
    let lon = crate::web::args::get(&coords, "longitude").ok()?.as_f64()?;
    Some((lat, lon))
}
