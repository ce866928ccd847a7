//! The proactive-chat trigger engine: rules, conditions, caps, decisions.
//!
//! Pure core: `(rules, page signals, now) -> decisions + next wake-up time`.
//! No browser import, no regex crate, no timezone database: the host supplies
//! a [`RegexEngine`] (JS `RegExp`) and a [`TimeZoneDb`]
//! (`Intl.DateTimeFormat`).
//!
//! # Host loop (the browser layer)
//!
//! ```
//! use lcw_sdk::core::triggers::*;
//! let rules = r#"[{"id":"t20","when":{"type":"timeOnPage","ms":20000}}]"#;
//! let saved: Option<&str> = None; // localStorage, with consent
//! let now = 1_700_000_000_000;
//! let (mut engine, errors) = Engine::from_json(rules, saved, Box::new(NoRegex), Box::new(UtcOnly), now);
//! for e in &errors { let _lcw_error_11 = e.to_runtime_error(); }
//! let _observe = engine.needs(); // selectors, predicates, exit listeners...
//! let out = engine.handle(Input::PageView { url: "https://s.example/".into(), referrer: "".into(), at: now }, now);
//! assert_eq!(out.next_wake, Some(now + 20_000)); // set ONE timer; none if None
//! let out = engine.handle(Input::Tick, now + 20_000); // the timer fired
//! assert!(matches!(out.decisions[0], Decision::ShowInvite(_)));
//! if out.state_changed { let _save = engine.state().to_json(); }
//! ```
//!
//! On every signal or timer: call [`Engine::handle`] with the current
//! `Date.now()`, act on [`Output::decisions`] in order, replace the single
//! timer with [`Output::next_wake`] (none if `None`), and save the state when
//! [`Output::state_changed`]. Report the invite's outcome back with
//! [`Input::InviteAccepted`] / [`Input::InviteDismissed`], and
//! [`Input::ChatOpened`] / [`Input::ChatClosed`]. Events to dispatch:
//! `ShowInvite` → `lcw:proactiveInviteShown`; the visitor's accept/dismiss →
//! `...Accepted`/`...Dismissed`; `CloseInvite{Expired}` → `...Expired`, all
//! with the rule id.
//!
//! Invariants: at most one invite shows; none while a chat is open; the
//! returned `next_wake` is always later than `now`.

mod builder;
mod caps;
mod conditions;
mod decisions;
mod engine;
mod load;
mod matchers;
mod rule;
mod schedule;
mod signals;
mod spec;
mod spec_de;
mod template;

#[cfg(test)]
mod scenarios;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_conditions;
#[cfg(test)]
mod tests_engine;
#[cfg(test)]
mod tests_limits;
#[cfg(test)]
mod tests_props;

pub use caps::{RuleState, State, MAX_ENTRIES};
pub use conditions::{MAX_DEPTH, MAX_MS, MAX_NODES};
pub use decisions::{CloseReason, Decision, Invite, Output, PROACTIVE_KEY};
pub use engine::Engine;
pub use load::{ConfigError, MAX_RULES};
pub use matchers::{same_text, NoRegex, RegexEngine};
pub use schedule::{TimeZoneDb, UtcOnly};
pub use signals::{ExitKind, Input, Needs};
pub use spec::{
    Action, Caps, Condition, Config, ContextValue, Millis, MissingData, Once, Rule, Settings, Slot,
    TextMatch, TouchFallback, DEFAULT_MESSAGE,
};
pub use template::MAX_TEMPLATE;
