//! The engine at work: the rules read and compiled (each bad one reported),
//! page signals fed to it and its decisions acted on (the invite bubble,
//! [`super::shown`]), the one timer for its next wake-up, the watchers of
//! the signals the rules need ([`super::watch`]), the state saved after a
//! change. The main module
//! reaches it only through [`RUNTIME`], the table that the `engine` split
//! point hands out (see the parent module), so in the split build this code
//! is fetched only by pages that run rules or ask for an invite.

use super::shown::{close_rule, hide, show_rule};
use super::{drop_later, host, now, persist, watch, Proactive};
use crate::core::context::Context;
use crate::core::triggers::{Decision, Engine, Input};
use crate::web::events::dispatch;
use crate::web::state::Inner;

/// The operations the main module calls, once this code is loaded.
pub struct Runtime {
    /// Just loaded: reads the rules and primes, if the engine started.
    pub arrived: fn(&Inner),
    /// Reads the rules given since (each invalid one is `lcw:error` 11),
    /// attaches the watchers they need and feeds every known signal.
    pub apply: fn(&Inner),
    /// Feeds signals, then acts once.
    pub feed_all: fn(&Inner, Vec<Input>),
    /// Shows a `startProactiveChat` invite.
    pub show_manual: fn(&Inner, &str, Context),
    /// Places the shown bubble above the default widget's launcher.
    pub place_bubble: fn(&Inner),
    /// Saves the engine's state (storage consent was granted).
    pub save: fn(&Inner),
    /// A chat opened or closed.
    pub chat_changed: fn(&Inner, bool),
    /// Asks one predicate now.
    pub ask_predicate: fn(&Inner, String),
    /// Asks the country source now.
    pub ask_country: fn(&Inner),
    /// Drops the timers, the watchers and the bubble (`destroy()`).
    pub shutdown: fn(&Proactive),
}

/// The table; named only by the split point.
pub static RUNTIME: Runtime = Runtime {
    arrived,
    apply,
    feed_all,
    show_manual: super::shown::show_manual,
    place_bubble: super::shown::place_bubble,
    save: persist::save,
    chat_changed,
    ask_predicate,
    ask_country,
    shutdown,
};

fn arrived(inner: &Inner) {
    let p = &inner.proactive;
    if !p.started.get() {
        return;
    }
    // The page navigated (SPA) while this code loaded, unseen: the engine
    // starts on the page the visitor is on, from now (the navigation's
    // time is not known), with the page data the page gave meanwhile,
    // which is that page's.
    if let Some(url) = web_sys::window().and_then(|w| w.location().href().ok()) {
        if *p.url.borrow() != url {
            let left = p.url.replace(url);
            *p.referrer.borrow_mut() = left;
            p.page_at.set(now());
        }
    }
    apply(inner);
}

fn shutdown(p: &Proactive) {
    p.engine.take();
    drop_later((p.timer.take(), p.manual_timer.take(), p.watchers.take(), p.bubble.take()));
    p.timer_at.set(None);
    p.shown.take();
}

fn chat_changed(inner: &Inner, open: bool) {
    if open && inner.proactive.shown.borrow().as_ref().is_some_and(|s| s.manual) {
        hide(inner);
    }
    feed_all(inner, vec![if open { Input::ChatOpened } else { Input::ChatClosed }]);
}

fn ask_predicate(inner: &Inner, name: String) {
    let p = &inner.proactive;
    if p.engine.borrow().as_ref().is_some_and(|e| e.needs().predicates.contains(&name)) {
        let inputs = p.sources.predicate_inputs(&p.weak(), &[name]);
        feed_all(inner, inputs);
    }
}

fn ask_country(inner: &Inner) {
    let p = &inner.proactive;
    if !p.engine.borrow().as_ref().is_some_and(|e| e.needs().country) {
        return;
    }
    if let Some(i) = p.sources.country_input(&p.weak()) {
        feed_all(inner, vec![i]);
    }
}

/// Reads the rules given since the last read into the engine (building it
/// the first time, with the state saved by earlier pages), reports each
/// invalid rule, then primes.
fn apply(inner: &Inner) {
    let p = &inner.proactive;
    let pending = p.rules.take();
    let read = pending.is_some();
    if let Some(json) = pending {
        let t = now();
        let errors = {
            let mut slot = p.engine.borrow_mut();
            match slot.as_mut() {
                Some(engine) => engine.set_rules_json(&json, t),
                None => {
                    let saved = persist::load(inner);
                    let (engine, errs) = Engine::from_json(&json, saved.as_deref(), Box::new(host::JsRegex::default()), Box::new(host::IntlTz::default()), t);
                    *slot = Some(engine);
                    errs
                }
            }
        };
        for e in &errors {
            crate::web::events::report(&e.to_runtime_error());
        }
        if inner.destroyed.get() {
            return; // an error handler destroyed the SDK
        }
    }
    prime(inner, read);
}

/// Says which rules run (`lcw:proactiveRulesRunning`, after rules were
/// `read`, or when running rules are gone), attaches the watchers the rules
/// need and feeds every known signal.
fn prime(inner: &Inner, read: bool) {
    let p = &inner.proactive;
    let ids: Vec<String> = p.engine.borrow().as_ref().map(|e| e.rule_ids().map(String::from).collect()).unwrap_or_default();
    // Said after every reading of rules (none valid: `[]`), and when rules
    // that ran are gone.
    if read || !ids.is_empty() || p.announced.get() {
        p.announced.set(!ids.is_empty());
        let round = p.primes.get().wrapping_add(1);
        p.primes.set(round);
        let list: js_sys::Array = ids.iter().map(|id| wasm_bindgen::JsValue::from(id.as_str())).collect();
        dispatch("lcw:proactiveRulesRunning", &crate::web::args::obj(&[("ruleIds", list.into())]));
        if p.primes.get() != round || inner.destroyed.get() {
            return; // a handler replaced the rules (and primed again) or destroyed the SDK
        }
    }
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

/// Feeds several signals, then acts once: decisions in order, one timer for
/// the last `next_wake`, one save.
fn feed_all(inner: &Inner, inputs: Vec<Input>) {
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
                super::feed(&inner, Input::Tick);
            }
        }))
    });
    drop_later(p.timer.replace(timer));
}


/// An SPA navigation (or `popstate`/`hashchange`): a new page view.
pub(super) fn navigated(inner: &Inner) {
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
