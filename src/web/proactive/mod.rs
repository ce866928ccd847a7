//! The proactive-chat engine in the page: rules from `createSdk`, the
//! `data-proactive-rules` attribute or `sdk.setProactiveRules`; page signals
//! fed to [`crate::core::triggers::Engine`]; its decisions rendered as an
//! invite bubble; ONE timer for the engine's next wake-up (no polling).
//!
//! Everything lives in [`Proactive`], a field of the SDK's state, so
//! `destroy()` drops the listeners, the observer, the timers and the bubble.
//! The engine state is saved in `localStorage` (`<visitPrefix>_proactive`)
//! only while storage consent is granted; otherwise it lives in memory.

pub mod api;
pub mod host;
pub mod invite;
mod persist;
pub mod server;
mod shown;
mod sources;
mod watch;

use crate::core::context::{Context, Value};
use crate::core::errors::RuntimeError;
use crate::core::triggers::{Config, ContextValue, Decision, Engine, Input, PROACTIVE_KEY};
use crate::web::state::Inner;
use gloo_timers::callback::Timeout;
use js_sys::Object;
use sources::Sources;
use std::cell::{Cell, RefCell};
use std::rc::Weak;
use wasm_bindgen::JsValue;

pub use shown::{place_bubble, show_manual};
pub use sources::CountrySource;
use shown::{close_rule, hide, show_rule};

/// The `ruleId` of invites shown by `startProactiveChat`.
pub const MANUAL_RULE: &str = "manual";
/// How long a `startProactiveChat` invite stays up if ignored.
pub const MANUAL_AUTO_CLOSE_MS: u32 = 60_000;

/// The invite on screen.
struct Shown {
    rule_id: String,
    context: Context,
    manual: bool,
}

/// The proactive part of one SDK instance.
#[derive(Default)]
pub struct Proactive {
    weak: RefCell<Weak<Inner>>,
    engine: RefCell<Option<Engine>>,
    timer: RefCell<Option<Timeout>>,
    timer_at: Cell<Option<u64>>,
    watchers: RefCell<Option<watch::Watchers>>,
    bubble: RefCell<Option<invite::Bubble>>,
    shown: RefCell<Option<Shown>>,
    manual_timer: RefCell<Option<Timeout>>,
    url: RefCell<String>,
    referrer: RefCell<String>,
    page_at: Cell<u64>,
    started: Cell<bool>,
    /// A chat from an earlier page is being picked up (see [`start`]).
    carried_chat: Cell<bool>,
    /// The page gave rules of its own: the server's are not used ([`server`]).
    page_rules: Cell<bool>,
    /// Page-supplied sources (predicates, page data, country, agent).
    pub sources: Sources,
}

fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Drops `v` in a microtask: timers and listeners may be replaced from
/// inside their own callback.
fn drop_later<T: 'static>(v: T) {
    drop_boxed_later(Box::new(v));
}

/// [`drop_later`] behind one type: one spawned future for every kind of value.
#[inline(never)]
fn drop_boxed_later(v: Box<dyn std::any::Any>) {
    wasm_bindgen_futures::spawn_local(async move { drop(v) });
}

fn detail(rule_id: &str, message: Option<&str>) -> JsValue {
    let o = Object::new();
    crate::web::args::set(&o, "ruleId", rule_id.into());
    if let Some(m) = message {
        crate::web::args::set(&o, "message", m.into());
    }
    o.into()
}

/// Converts an invite's context to a chat context (all displayable).
fn to_context(entries: &[(String, ContextValue)]) -> Context {
    let mut c = Context::default();
    for (k, v) in entries {
        let v = match v {
            ContextValue::Bool(b) => Value::Bool(*b),
            ContextValue::Num(n) => Value::Number(*n),
            ContextValue::Str(s) => Value::Str(s.clone()),
        };
        c.set(k, v, true);
    }
    if c.get(PROACTIVE_KEY).is_none() {
        c.0.insert(0, (PROACTIVE_KEY.into(), crate::core::context::Entry { value: Value::Str("True".into()), is_displayable: true }));
    }
    c
}

impl Proactive {
    /// Binds this part to its SDK state (closures hold a weak reference) and
    /// notes where and when the page view started.
    pub fn bind(&self, weak: Weak<Inner>) {
        *self.weak.borrow_mut() = weak;
        self.page_at.set(now());
        if let Some(w) = web_sys::window() {
            *self.url.borrow_mut() = w.location().href().unwrap_or_default();
            *self.referrer.borrow_mut() = w.document().map(|d| d.referrer()).unwrap_or_default();
        }
    }

    fn weak(&self) -> Weak<Inner> {
        self.weak.borrow().clone()
    }

    /// Stops everything (`destroy()`): timers, listeners, observer, bubble.
    pub fn shutdown(&self) {
        self.started.set(false);
        drop_later((self.timer.take(), self.manual_timer.take(), self.watchers.take(), self.bubble.take()));
        self.timer_at.set(None);
        self.shown.take();
        self.engine.take();
    }
}

/// Loads (or replaces) the page's rules; returns one code-11 error per
/// invalid rule. Once started, re-attaches what the new rules need and
/// re-feeds the known signals.
pub fn load(inner: &Inner, rules_json: &str) -> Vec<RuntimeError> {
    inner.proactive.page_rules.set(true);
    load_rules(inner, rules_json)
}

fn load_rules(inner: &Inner, rules_json: &str) -> Vec<RuntimeError> {
    let p = &inner.proactive;
    let t = now();
    let errors = {
        let mut slot = p.engine.borrow_mut();
        match slot.as_mut() {
            Some(engine) => {
                let (cfg, mut errs) = Config::from_json(rules_json);
                errs.extend(engine.set_config(cfg, t));
                errs
            }
            None => {
                let saved = persist::load(inner);
                let (engine, errs) = Engine::from_json(rules_json, saved.as_deref(), Box::new(host::JsRegex::default()), Box::new(host::IntlTz::default()), t);
                *slot = Some(engine);
                errs
            }
        }
    };
    if p.started.get() {
        prime(inner);
    }
    errors.iter().map(|e| e.to_runtime_error()).collect()
}

/// Starts observing (after `lcw:ready`). `carried_chat`: a chat from an
/// earlier page is about to be retrieved (after the widget's mount), so
/// the engine counts it as open from its first evaluation: no invite shows
/// over a chat that goes on across a page load.
pub fn start(inner: &Inner, carried_chat: bool) {
    inner.proactive.carried_chat.set(carried_chat);
    inner.proactive.started.set(true);
    prime(inner);
}

/// Attaches the watchers the rules need and feeds every known signal.
fn prime(inner: &Inner) {
    let p = &inner.proactive;
    let needs = match p.engine.borrow().as_ref() {
        Some(e) if e.rule_ids().next().is_some() => e.needs().clone(),
        _ => {
            drop_later(p.watchers.take());
            return;
        }
    };
    let weak = p.weak();
    drop_later(p.watchers.replace(Some(watch::Watchers::attach(weak.clone(), &needs))));
    let mut inputs = vec![
        Input::VisitCount(inner.visits.borrow().page),
        Input::PageView { url: p.url.borrow().clone(), referrer: p.referrer.borrow().clone(), at: p.page_at.get() },
    ];
    inputs.extend(p.sources.page_data.borrow().iter().map(|(k, v)| Input::PageData { key: k.clone(), value: v.clone() }));
    if let Some(a) = p.sources.agent.get() {
        inputs.push(Input::AgentAvailable(a));
    }
    if inner.phase.get() == crate::web::state::ChatPhase::Open || p.carried_chat.get() {
        inputs.push(Input::ChatOpened);
    }
    if needs.country {
        inputs.extend(p.sources.country_input(&weak));
    }
    inputs.extend(p.sources.predicate_inputs(&weak, &needs.predicates));
    inputs.push(Input::Tick);
    feed_all(inner, inputs);
}

/// Feeds one signal to the engine (if rules are loaded) and acts on the
/// result.
pub fn feed(inner: &Inner, input: Input) {
    feed_all(inner, vec![input]);
}

/// Feeds several signals, then acts once: decisions in order, one timer for
/// the last `next_wake`, one save.
pub fn feed_all(inner: &Inner, inputs: Vec<Input>) {
    let p = &inner.proactive;
    if inner.destroyed.get() || !p.started.get() {
        return;
    }
    let mut decisions = Vec::new();
    let mut changed = false;
    let mut wake = None;
    {
        let Ok(mut slot) = p.engine.try_borrow_mut() else { return };
        let Some(engine) = slot.as_mut() else { return };
        for input in inputs {
            let out = engine.handle(input, now());
            decisions.extend(out.decisions);
            changed |= out.state_changed;
            wake = out.next_wake;
        }
    }
    if changed {
        persist::save(inner);
    }
    // The timer first: a page handler of the events below may feed again
    // and must not have its fresher wake-up overwritten.
    schedule(inner, wake);
    for d in decisions {
        match d {
            Decision::ShowInvite(inv) => show_rule(inner, inv),
            Decision::CloseInvite { rule_id, reason } => close_rule(inner, &rule_id, reason),
        }
    }
}

/// Keeps exactly one timer, for `wake` (none when `None`).
fn schedule(inner: &Inner, wake: Option<u64>) {
    let p = &inner.proactive;
    if p.timer_at.get() == wake && (wake.is_none() || p.timer.borrow().is_some()) {
        return;
    }
    p.timer_at.set(wake);
    let timer = wake.map(|at| {
        // setTimeout takes an i32: a farther wake-up just wakes early, and
        // the engine answers with the same deadline.
        let delay = at.saturating_sub(now()).min(i32::MAX as u64) as u32;
        let weak = p.weak();
        crate::web::timeout(delay, Box::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.proactive.timer_at.set(None);
                feed(&inner, Input::Tick);
            }
        }))
    });
    drop_later(p.timer.replace(timer));
}

pub use persist::consent_changed;

/// A chat opened or closed (hooked from `chat::start` / `chat::close`).
pub fn chat_changed(inner: &Inner, open: bool) {
    inner.proactive.carried_chat.set(false);
    if open && inner.proactive.shown.borrow().as_ref().is_some_and(|s| s.manual) {
        hide(inner);
    }
    feed(inner, if open { Input::ChatOpened } else { Input::ChatClosed });
}

/// The chat [`start`] was told would be carried over is not picked up
/// after all (another tab ended it meanwhile, or the chat's code could not
/// load): the engine no longer counts it as open.
pub fn carried_chat_lost(inner: &Inner) {
    if inner.proactive.carried_chat.get() {
        chat_changed(inner, false);
    }
}

/// An SPA navigation (or `popstate`/`hashchange`): a new page view.
pub(crate) fn navigated(inner: &Inner) {
    let p = &inner.proactive;
    let Some(url) = web_sys::window().and_then(|w| w.location().href().ok()) else { return };
    if *p.url.borrow() == url {
        return;
    }
    let referrer = p.url.replace(url.clone());
    *p.referrer.borrow_mut() = referrer.clone();
    p.page_at.set(now());
    p.sources.page_data.borrow_mut().clear();
    if let Some(w) = p.watchers.borrow().as_ref() {
        w.new_page_view();
    }
    let needs = match p.engine.borrow().as_ref() {
        Some(e) => e.needs().predicates.clone(),
        None => return,
    };
    let mut inputs = vec![Input::PageView { url, referrer, at: p.page_at.get() }];
    inputs.extend(p.sources.predicate_inputs(&p.weak(), &needs));
    feed_all(inner, inputs);
}
