//! The proactive-chat engine in the page: rules from `createSdk`, the
//! `data-proactive-rules` attribute or `sdk.setProactiveRules`; page signals
//! fed to [`crate::core::triggers::Engine`]; its decisions rendered as an
//! invite bubble; ONE timer for the engine's next wake-up (no polling).
//!
//! Everything lives in [`Proactive`], a field of the SDK's state, so
//! `destroy()` drops the listeners, the observer, the timers and the bubble.
//! The engine state is saved in `localStorage` (`<visitPrefix>_proactive`)
//! only while storage consent is granted; otherwise it lives in memory.
//!
//! # Two parts
//! This module is what every page loads: the methods, the page's sources
//! (predicates, page data, country, agent), the rules' text until it is
//! read, and the state. The engine itself (reading and compiling the rules,
//! feeding signals to it, its timer, the watchers, the invite bubble,
//! saving its state) is [`run`], reached only through its [`run::Runtime`]
//! table. In the split release build that table is a split point
//! (`engine`): its code is a chunk fetched once the engine has started with
//! rules to read, or at the first `startProactiveChat`, so a page without
//! rules never downloads it. Until it arrives the signals are only kept
//! (page data, agent, chat state, URL): its first act reads the rules
//! (reporting the bad ones, code 11) and feeds them all, with the page
//! view's start time of the load, so a `timeOnPage` deadline does not move.
//! Code outside [`run`], [`shown`], [`watch`] and [`invite`] must not call
//! into them or into the engine, or their code stays in the main module.

pub mod api;
pub mod host;
pub mod invite;
mod persist;
mod run;
pub mod server;
mod shown;
mod sources;
mod watch;

use crate::core::context::{Context, Value};
use crate::core::errors::{ErrorCode, RuntimeError};
use crate::core::triggers::{ContextValue, Engine, Input, PROACTIVE_KEY};
use crate::web::state::Inner;
use gloo_timers::callback::Timeout;
use js_sys::Object;
use sources::Sources;
use std::cell::{Cell, RefCell};
use std::rc::Weak;
use wasm_bindgen::JsValue;

pub use sources::CountrySource;

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
    /// Rules given (page or server) that the engine has not read yet.
    rules: RefCell<Option<String>>,
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
    /// The code that runs the rules, once loaded ([`run`]).
    runtime: Cell<Option<&'static run::Runtime>>,
    /// That code is being fetched for the rules.
    loading: Cell<bool>,
    /// The last `lcw:proactiveRulesRunning` named some rules.
    announced: Cell<bool>,
    /// Counts those events: a handler that sets rules again is seen.
    primes: Cell<u32>,
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
        self.rules.take();
        if let Some(rt) = self.runtime.get() {
            (rt.shutdown)(self);
        }
    }
}

/// Loads (or replaces) the page's rules: the server's no longer apply.
/// They are read by the code that runs them, once it is loaded (after
/// `lcw:ready`): each invalid rule is then `lcw:error` 11, before
/// `lcw:proactiveRulesRunning`.
pub fn load(inner: &Inner, rules_json: &str) {
    inner.proactive.page_rules.set(true);
    load_rules(inner, rules_json);
}

fn load_rules(inner: &Inner, rules_json: &str) {
    let p = &inner.proactive;
    *p.rules.borrow_mut() = Some(rules_json.to_string());
    if p.started.get() {
        run_rules(inner);
    }
}

/// Starts observing (after `lcw:ready`). `carried_chat`: a chat from an
/// earlier page is about to be retrieved (after the widget's mount), so
/// the engine counts it as open from its first evaluation: no invite shows
/// over a chat that goes on across a page load.
pub fn start(inner: &Inner, carried_chat: bool) {
    inner.proactive.carried_chat.set(carried_chat);
    inner.proactive.started.set(true);
    run_rules(inner);
}

/// The rules changed or the engine started: the loaded code reads the new
/// rules, attaches what they need and feeds every known signal; without it,
/// it is loaded when there are rules to run.
fn run_rules(inner: &Inner) {
    let p = &inner.proactive;
    if let Some(rt) = p.runtime.get() {
        (rt.apply)(inner);
    } else if p.rules.borrow().as_deref().is_some_and(|r| r.trim() != "[]") {
        ensure(inner);
    }
}

/// The engine's chunk could not be fetched.
struct NotLoaded;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for NotLoaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        NotLoaded
    }
}

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(engine, fallible))]
fn engine_ops() -> Result<&'static run::Runtime, NotLoaded> {
    Ok(&run::RUNTIME)
}

/// The code that runs the rules, loading it first when it is not yet
/// (split builds: fetches the chunk; concurrent calls share one fetch). A
/// failed fetch is an error 7, and the next call fetches again.
async fn runtime(inner: &Inner) -> Result<&'static run::Runtime, RuntimeError> {
    if let Some(rt) = inner.proactive.runtime.get() {
        return Ok(rt);
    }
    #[cfg(feature = "split")]
    let loaded = engine_ops().await;
    #[cfg(not(feature = "split"))]
    let loaded = engine_ops();
    let Ok(rt) = loaded else {
        return Err(RuntimeError::new(ErrorCode::SdkLoadFailed, "the proactive part of the SDK could not load (network); it is fetched again when rules are set or an invite is asked for"));
    };
    adopt(inner, rt);
    Ok(rt)
}

/// The first to get the code keeps it and lets it catch up (`arrived`:
/// primes the started engine with every known signal).
fn adopt(inner: &Inner, rt: &'static run::Runtime) {
    if inner.proactive.runtime.get().is_none() && !inner.destroyed.get() {
        inner.proactive.runtime.set(Some(rt));
        (rt.arrived)(inner);
    }
}

/// Loads the code that runs the rules, unless it is there or on its way
/// (without the split: at once, in this call).
fn ensure(inner: &Inner) {
    let p = &inner.proactive;
    if p.runtime.get().is_some() || p.loading.get() || inner.destroyed.get() {
        return;
    }
    #[cfg(not(feature = "split"))]
    if let Ok(rt) = engine_ops() {
        adopt(inner, rt);
    }
    #[cfg(feature = "split")]
    {
        p.loading.set(true);
        let weak = p.weak();
        wasm_bindgen_futures::spawn_local(async move {
            let Some(inner) = weak.upgrade() else { return };
            let loaded = runtime(&inner).await;
            inner.proactive.loading.set(false);
            if let (Err(e), false) = (loaded, inner.destroyed.get()) {
                crate::web::events::report(&e);
            }
        });
    }
}

/// Feeds one signal to the engine (once its code runs) and acts on the
/// result.
pub fn feed(inner: &Inner, input: Input) {
    feed_all(inner, vec![input]);
}

/// Feeds several signals, then acts once (see [`run`]). Before the code
/// that runs the rules is there, nothing: its first act feeds what the
/// page has said meanwhile, kept by the callers (page data, agent, chat).
pub fn feed_all(inner: &Inner, inputs: Vec<Input>) {
    if let Some(rt) = inner.proactive.runtime.get() {
        (rt.feed_all)(inner, inputs);
    }
}

/// `startProactiveChat`: an invite outside the rules, closed after 60 s,
/// shown once the code that draws it is loaded (unless a chat started
/// meanwhile). A failed fetch of that code is `lcw:error` 7.
pub async fn show_manual(inner: std::rc::Rc<Inner>, message: String, context: Context) {
    match runtime(&inner).await {
        Ok(rt) if inner.phase.get() == crate::web::state::ChatPhase::Idle && !inner.destroyed.get() => (rt.show_manual)(&inner, &message, context),
        Ok(_) => {}
        Err(e) => crate::web::events::report(&e),
    }
}

/// Puts the shown bubble, if any, above the default widget's launcher.
pub fn place_bubble(inner: &Inner) {
    if let Some(rt) = inner.proactive.runtime.get() {
        (rt.place_bubble)(inner);
    }
}

/// Storage consent changed: save the state now, or erase it.
pub fn consent_changed(inner: &Inner, granted: bool) {
    if !granted {
        persist::erase(inner);
    } else if let Some(rt) = inner.proactive.runtime.get() {
        (rt.save)(inner);
    }
}

/// A chat opened or closed (hooked from `chat::start` / `chat::close`).
pub fn chat_changed(inner: &Inner, open: bool) {
    inner.proactive.carried_chat.set(false);
    if let Some(rt) = inner.proactive.runtime.get() {
        (rt.chat_changed)(inner, open);
    }
}

/// The chat [`start`] was told would be carried over is not picked up
/// after all (another tab ended it meanwhile, or the chat's code could not
/// load): the engine no longer counts it as open.
pub fn carried_chat_lost(inner: &Inner) {
    if inner.proactive.carried_chat.get() {
        chat_changed(inner, false);
    }
}

/// A newly registered predicate: asked now if the rules use it.
fn ask_predicate(inner: &Inner, name: String) {
    if let Some(rt) = inner.proactive.runtime.get() {
        (rt.ask_predicate)(inner, name);
    }
}

/// A new country source: asked now if the rules use the country.
fn ask_country(inner: &Inner) {
    if let Some(rt) = inner.proactive.runtime.get() {
        (rt.ask_country)(inner);
    }
}

