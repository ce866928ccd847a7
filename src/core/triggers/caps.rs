//! Caps and the small persistent state they need across page loads.
//!
//! The browser layer saves [`State::to_json`] (localStorage, or a cookie,
//! only with consent) whenever [`Output::state_changed`](super::Output) is
//! set, and hands it back to [`Engine::new`](super::Engine::new) on the next
//! load. Format (version 1, all instants Unix ms, 0 = never):
//!
//! ```json
//! {"v":1,"ss":1700000000000,"sl":1700000100000,"sn":1,"g":1700000050000,
//!  "r":[{"i":"exit","s":1700000050000,"n":1,"d":0,"x":1700000000000}]}
//! ```
//!
//! `ss` session start, `sl` last page view, `sn` invites shown this session,
//! `g` last invite shown (any rule); per rule `i` id, `s` last shown, `n`
//! times shown ever, `d` last dismissed, `x` the `ss` of the session it was
//! last shown in. Unknown fields are ignored; anything unreadable (bad JSON,
//! other version) gives a fresh state, never an error.


use super::spec::{Caps, Millis, Once, Settings};
use crate::core::json::json_struct;

/// Rule entries kept at most (oldest shown dropped first).
pub const MAX_ENTRIES: usize = 64;
const MAX_ID: usize = 64;

/// Persistent cap state (see the module docs for the JSON format).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct State {
    /// Format version, 1.
    #[cfg_attr(feature = "serde", serde(rename = "v"))]
    pub version: u8,
    /// Start of the current session.
    #[cfg_attr(feature = "serde", serde(rename = "ss"))]
    pub session_start: Millis,
    /// Last page view (session activity).
    #[cfg_attr(feature = "serde", serde(rename = "sl"))]
    pub session_last: Millis,
    /// Invites shown in this session.
    #[cfg_attr(feature = "serde", serde(rename = "sn"))]
    pub session_invites: u32,
    /// Last invite shown, any rule.
    #[cfg_attr(feature = "serde", serde(rename = "g"))]
    pub last_invite: Millis,
    /// Per-rule history.
    #[cfg_attr(feature = "serde", serde(rename = "r"))]
    pub rules: Vec<RuleState>,
}

/// Per-rule history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RuleState {
    /// Rule id.
    #[cfg_attr(feature = "serde", serde(rename = "i"))]
    pub id: String,
    /// Last shown.
    #[cfg_attr(feature = "serde", serde(rename = "s"))]
    pub last_shown: Millis,
    /// Times shown, ever.
    #[cfg_attr(feature = "serde", serde(rename = "n"))]
    pub shown: u32,
    /// Last dismissed.
    #[cfg_attr(feature = "serde", serde(rename = "d"))]
    pub last_dismissed: Millis,
    /// `session_start` of the session it was last shown in.
    #[cfg_attr(feature = "serde", serde(rename = "x"))]
    pub session: Millis,
}

json_struct!(State {
    version: "v" opt, session_start: "ss" opt, session_last: "sl" opt, session_invites: "sn" opt,
    last_invite: "g" opt, rules: "r" opt,
});
json_struct!(RuleState { id: "i" opt, last_shown: "s" opt, shown: "n" opt, last_dismissed: "d" opt, session: "x" opt });

impl State {
    /// A fresh state (no history, no session yet).
    pub fn new() -> Self {
        State {
            version: 1,
            ..Default::default()
        }
    }

    /// Reads saved state; corrupt or foreign input gives a fresh state.
    pub fn from_json(s: &str) -> Self {
        match crate::core::json::from_str::<State>(s) {
            Ok(mut st) if st.version == 1 => {
                st.rules
                    .retain(|r| !r.id.is_empty() && r.id.len() <= MAX_ID);
                let mut seen: Vec<&str> = Vec::new();
                let mut keep = vec![true; st.rules.len()];
                for (i, r) in st.rules.iter().enumerate() {
                    keep[i] = !seen.contains(&r.id.as_str());
                    seen.push(&r.id);
                }
                let mut k = keep.into_iter();
                st.rules.retain(|_| k.next().unwrap_or(false));
                st.prune(&[]);
                st
            }
            _ => State::new(),
        }
    }

    /// The compact JSON to save.
    pub fn to_json(&self) -> String {
        crate::core::json::to_string(self)
    }

    /// Keeps at most [`MAX_ENTRIES`] entries, preferring `live` rule ids and
    /// then the most recently shown.
    pub(crate) fn prune(&mut self, live: &[&str]) {
        if self.rules.len() <= MAX_ENTRIES {
            return;
        }
        self.rules.sort_by_key(|r| {
            (
                !live.contains(&r.id.as_str()),
                std::cmp::Reverse(r.last_shown),
            )
        });
        self.rules.truncate(MAX_ENTRIES);
    }

    /// Index of the entry for `id`, creating it.
    pub(crate) fn entry(&mut self, id: &str) -> usize {
        match self.rules.iter().position(|r| r.id == id) {
            Some(i) => i,
            None => {
                self.rules.push(RuleState {
                    id: id.into(),
                    ..Default::default()
                });
                self.rules.len() - 1
            }
        }
    }

    /// Starts a new session at `now` if none is running or it timed out.
    /// Returns whether a new session started.
    pub(crate) fn touch_session(&mut self, now: Millis, timeout: Millis, force: bool) -> bool {
        let stale = self.session_start == 0 || now.saturating_sub(self.session_last) > timeout;
        if force || stale || self.session_start > now {
            self.session_start = now.max(1);
            self.session_invites = 0;
        }
        self.session_last = now;
        force || stale
    }
}

/// Why a rule may not show right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Free to show.
    Open,
    /// Blocked until this instant (cooldown, minimum gap).
    Until(Millis),
    /// Blocked until some input changes things.
    Closed,
}

/// Engine-wide gate: session maximum, minimum gap.
pub(crate) fn global_gate(st: &State, s: &Settings, now: Millis) -> Gate {
    if s.max_invites_per_session > 0 && st.session_invites >= s.max_invites_per_session {
        return Gate::Closed;
    }
    let until = st.last_invite.saturating_add(s.min_gap_ms);
    if st.last_invite > 0 && now < until {
        return Gate::Until(until);
    }
    Gate::Open
}

/// Per-rule gate. `entry` is the rule's history, `shown_on_page` whether it
/// showed during this page view.
pub(crate) fn rule_gate(
    caps: &Caps,
    entry: Option<&RuleState>,
    shown_on_page: bool,
    session_start: Millis,
    agent: Option<bool>,
    now: Millis,
) -> Gate {
    if caps.require_agent_available && agent != Some(true) {
        return Gate::Closed;
    }
    let closed = match caps.once {
        Once::None => false,
        Once::PageView => shown_on_page,
        Once::Session => {
            shown_on_page || entry.is_some_and(|e| e.shown > 0 && e.session == session_start)
        }
        Once::Visitor => shown_on_page || entry.is_some_and(|e| e.shown > 0),
    };
    if closed {
        return Gate::Closed;
    }
    if let Some(e) = entry.filter(|e| e.last_dismissed > 0) {
        let until = e
            .last_dismissed
            .saturating_add(caps.cooldown_after_dismiss_ms);
        if now < until {
            return Gate::Until(until);
        }
    }
    Gate::Open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_state_is_fresh() {
        for s in [
            "",
            "{",
            "null",
            "[]",
            "{\"v\":2}",
            "{\"v\":1,\"r\":5}",
            "{\"v\":\"x\"}",
            "\u{0}",
        ] {
            assert_eq!(State::from_json(s), State::new(), "{s:?}");
        }
    }

    #[test]
    fn round_trip_and_tolerance() {
        let mut st = State::new();
        st.touch_session(1000, 10, false);
        let i = st.entry("a");
        st.rules[i].shown = 2;
        let back = State::from_json(&st.to_json());
        assert_eq!(back, st);
        let odd = r#"{"v":1,"extra":true,"r":[{"i":"a","n":1},{"i":"a","n":5},{"i":""}]}"#;
        let st = State::from_json(odd);
        assert_eq!(st.rules.len(), 1);
        assert_eq!(st.rules[0].shown, 1);
    }

    #[test]
    fn prune_keeps_live_then_recent() {
        let mut st = State::new();
        for i in 0..100u64 {
            let j = st.entry(&i.to_string());
            st.rules[j].last_shown = i;
        }
        st.prune(&["3"]);
        assert_eq!(st.rules.len(), MAX_ENTRIES);
        assert_eq!(st.rules[0].id, "3");
        assert_eq!(st.rules[1].id, "99");
    }

    #[test]
    fn sessions() {
        let mut st = State::new();
        assert!(st.touch_session(5_000, 1_000, false));
        assert!(!st.touch_session(5_500, 1_000, false));
        assert!(st.touch_session(7_000, 1_000, false));
        assert_eq!(st.session_start, 7_000);
    }
}
