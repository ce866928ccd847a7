//! The page signals the loaded rules need, and nothing else: SPA navigation
//! (patched `history.pushState`/`replaceState`, `popstate`, `hashchange`),
//! exit intent, scroll depth, element visibility. Everything here is owned
//! by a [`Watchers`] value; dropping it removes the listeners, disconnects
//! the observer and restores `history`.

use crate::core::triggers::{ExitKind, Input, Needs};
use crate::web::state::Inner;
use gloo_events::EventListener;
use js_sys::{Function, Reflect};
use std::cell::Cell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, MouseEvent};

/// Below this scroll-up speed (px per ms) a scroll is not an exit gesture.
const FAST_SCROLL_PX_PER_MS: f64 = 1.5;
/// The upward distance a fast scroll must cover, in px.
const FAST_SCROLL_MIN_PX: f64 = 120.0;

/// The JS function that replaces `pushState` / `replaceState`.
type Wrapper = Closure<dyn FnMut(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>;

/// `history.pushState` / `replaceState` wrapped to report navigations.
struct HistoryPatch {
    history: JsValue,
    patched: Vec<(&'static str, Function, Wrapper)>,
    active: Rc<Cell<bool>>,
}

impl HistoryPatch {
    fn install(weak: Weak<Inner>) -> Option<HistoryPatch> {
        let history: JsValue = web_sys::window()?.history().ok()?.into();
        let active = Rc::new(Cell::new(true));
        let mut patched = Vec::new();
        for name in ["pushState", "replaceState"] {
            let Ok(orig) = crate::web::args::get(&history, name).and_then(|f| f.dyn_into::<Function>()) else {
                continue;
            };
            let (h, o, a, w) = (history.clone(), orig.clone(), active.clone(), weak.clone());
            let wrapper: Wrapper = Closure::new(
                move |state: JsValue, title: JsValue, url: JsValue| {
                    let r = o.call3(&h, &state, &title, &url)?;
                    if a.get() {
                        if let Some(inner) = w.upgrade() {
                            super::run::navigated(&inner);
                        }
                    }
                    Ok(r)
                },
            );
            if Reflect::set(&history, &name.into(), wrapper.as_ref()).is_ok() {
                patched.push((name, orig, wrapper));
            }
        }
        Some(HistoryPatch { history, patched, active })
    }
}

impl Drop for HistoryPatch {
    fn drop(&mut self) {
        self.active.set(false);
        for (name, orig, wrapper) in self.patched.drain(..) {
            let current = crate::web::args::get(&self.history, name).unwrap_or(JsValue::UNDEFINED);
            if current == *wrapper.as_ref() {
                let _ = Reflect::set(&self.history, &name.into(), &orig);
                drop(wrapper);
            } else {
                // Someone wrapped ours since: keep it callable (it now only
                // forwards to the original) rather than break their chain.
                wrapper.forget();
            }
        }
    }
}

/// An `IntersectionObserver` over the elements of the rules' selectors.
struct Observer {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

impl Observer {
    fn new(weak: Weak<Inner>, selectors: Vec<String>) -> Option<Observer> {
        let sels = selectors.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Some(inner) = weak.upgrade() else { return };
            for entry in entries.iter() {
                let entry: IntersectionObserverEntry = entry.unchecked_into();
                let target = entry.target();
                for s in &sels {
                    if target.matches(s).unwrap_or(false) {
                        super::feed(&inner, Input::ElementVisible { selector: s.clone(), visible: entry.is_intersecting() });
                    }
                }
            }
        });
        let observer = IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let o = Observer { observer, _callback: callback };
        o.observe_all(&selectors);
        Some(o)
    }

    /// (Re)observes every element matching the selectors (a new page view
    /// may have rendered new ones).
    fn observe_all(&self, selectors: &[String]) {
        self.observer.disconnect();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        for s in selectors {
            // An invalid selector was refused when the rule loaded; a
            // failing query here just observes nothing.
            if let Ok(list) = doc.query_selector_all(s) {
                for i in 0..list.length() {
                    if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                        self.observer.observe(&el);
                    }
                }
            }
        }
    }
}

/// Whether this is a touch-first device (touch exit-intent fallbacks).
fn touch_device() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Scroll position in percent of the page (0-100).
fn scroll_percent() -> Option<(f64, u8)> {
    let w = web_sys::window()?;
    let y = w.scroll_y().ok()?;
    let view = w.inner_height().ok()?.as_f64()?;
    let full = w.document()?.document_element()?.scroll_height() as f64;
    let pct = if full <= view { 100.0 } else { ((y + view) / full * 100.0).clamp(0.0, 100.0) };
    Some((y, pct as u8))
}

/// Everything the loaded rules observe.
pub struct Watchers {
    _listeners: Vec<EventListener>,
    _history: Option<HistoryPatch>,
    observer: Option<Observer>,
    selectors: Vec<String>,
    scroll_max: Rc<Cell<u8>>,
}

impl Watchers {
    /// Attaches exactly what `needs` asks for, plus navigation tracking.
    pub fn attach(weak: Weak<Inner>, needs: &Needs) -> Watchers {
        let mut listeners = Vec::new();
        let window = web_sys::window();
        let document = window.as_ref().and_then(|w| w.document());
        if let Some(w) = &window {
            for ev in ["popstate", "hashchange"] {
                let weak = weak.clone();
                listeners.push(EventListener::new(w, ev, move |_| {
                    if let Some(inner) = weak.upgrade() {
                        super::run::navigated(&inner);
                    }
                }));
            }
        }
        if let (true, Some(d)) = (needs.exit_pointer, &document) {
            let weak = weak.clone();
            listeners.push(EventListener::new(d, "mouseout", move |e| {
                let Some(m) = e.dyn_ref::<MouseEvent>() else { return };
                if m.related_target().is_none() && m.client_y() <= 0 {
                    if let Some(inner) = weak.upgrade() {
                        super::feed(&inner, Input::ExitIntent(ExitKind::Pointer));
                    }
                }
            }));
        }
        let touch = (needs.exit_fast_scroll_up || needs.exit_visibility_hidden) && touch_device();
        if let (true, true, Some(d)) = (touch, needs.exit_visibility_hidden, &document) {
            let (weak, doc) = (weak.clone(), d.clone());
            listeners.push(EventListener::new(d, "visibilitychange", move |_| {
                if doc.hidden() {
                    if let Some(inner) = weak.upgrade() {
                        super::feed(&inner, Input::ExitIntent(ExitKind::VisibilityHidden));
                    }
                }
            }));
        }
        let scroll_max = Rc::new(Cell::new(0u8));
        let fast_up = touch && needs.exit_fast_scroll_up;
        if let (true, Some(w)) = (needs.scroll_depth || fast_up, &window) {
            let (weak, max, depth) = (weak.clone(), scroll_max.clone(), needs.scroll_depth);
            let last = Cell::new((f64::NAN, 0.0f64));
            // gloo-events listeners are passive by default.
            listeners.push(EventListener::new(w, "scroll", move |_| {
                let Some((y, pct)) = scroll_percent() else { return };
                let Some(inner) = weak.upgrade() else { return };
                let now = js_sys::Date::now();
                if fast_up {
                    let (y0, t0) = last.replace((y, now));
                    let (dy, dt) = (y0 - y, (now - t0).max(1.0));
                    if dy >= FAST_SCROLL_MIN_PX && dy / dt >= FAST_SCROLL_PX_PER_MS {
                        super::feed(&inner, Input::ExitIntent(ExitKind::FastScrollUp));
                    }
                }
                if depth && pct > max.get() {
                    max.set(pct);
                    super::feed(&inner, Input::ScrollDepth(pct));
                }
            }));
        }
        let observer = if needs.selectors.is_empty() { None } else { Observer::new(weak.clone(), needs.selectors.clone()) };
        Watchers {
            _listeners: listeners,
            _history: HistoryPatch::install(weak),
            observer,
            selectors: needs.selectors.clone(),
            scroll_max,
        }
    }

    /// A new page view: scroll depth starts over and elements are observed
    /// again.
    pub fn new_page_view(&self) {
        self.scroll_max.set(0);
        if let Some(o) = &self.observer {
            o.observe_all(&self.selectors);
        }
    }
}
