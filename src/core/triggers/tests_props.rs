//! Property tests: caps are never exceeded over random event sequences
//! (including page reloads through the saved state), and arbitrary JSON or
//! state input never panics.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::test_support::*;
use super::*;

const TIMEOUT: Millis = 1_800_000;

#[derive(Debug, Clone)]
enum Ev {
    Tick,
    FollowWake,
    Page(u8),
    Reload(u8),
    Scroll(u8),
    Exit,
    Agent(bool),
    Country(bool),
    Accept,
    Dismiss,
    Expire,
    ChatOpen,
    ChatClose,
}

fn ev() -> impl Strategy<Value = Ev> {
    prop_oneof![
        3 => Just(Ev::Tick),
        6 => Just(Ev::FollowWake),
        2 => (0u8..3).prop_map(Ev::Page),
        1 => (0u8..3).prop_map(Ev::Reload),
        1 => (0u8..=100).prop_map(Ev::Scroll),
        2 => Just(Ev::Exit),
        1 => any::<bool>().prop_map(Ev::Agent),
        1 => any::<bool>().prop_map(Ev::Country),
        2 => Just(Ev::Accept),
        2 => Just(Ev::Dismiss),
        1 => Just(Ev::Expire),
        1 => Just(Ev::ChatOpen),
        1 => Just(Ev::ChatClose),
    ]
}

fn cond() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (0u64..40_000).prop_map(|ms| json!({"type":"timeOnPage","ms":ms})),
        (0u64..90_000).prop_map(|ms| json!({"type":"timeOnSite","ms":ms})),
        (0u8..=100).prop_map(|p| json!({"type":"scrollDepth","percent":p})),
        Just(json!({"type":"exitIntent"})),
        Just(json!({"type":"agentAvailable"})),
        Just(json!({"type":"country","in":["FR"]})),
        (0u8..3).prop_map(|i| json!({"type":"pagePath","glob":format!("/p{i}*")})),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|of| json!({"type":"all","of":of})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|of| json!({"type":"any","of":of})),
            inner.prop_map(|of| json!({"type":"not","of":of})),
        ]
    })
}

fn rule(i: usize) -> impl Strategy<Value = Value> {
    let once = prop_oneof![
        Just("none"),
        Just("pageView"),
        Just("session"),
        Just("visitor")
    ];
    let close = prop_oneof![Just(0u64), 1_000u64..30_000];
    (cond(), once, 0u64..60_000, any::<bool>(), -2i32..3, close).prop_map(
        move |(w, once, cd, agent, prio, close)| {
            json!({"id":format!("r{i}"),"priority":prio,"when":w,"action":{"autoCloseMs":close},
               "caps":{"once":once,"cooldownAfterDismissMs":cd,"requireAgentAvailable":agent}})
        },
    )
}

fn config() -> impl Strategy<Value = (Value, u32, Millis)> {
    let rules = (1usize..5).prop_flat_map(|n| (0..n).map(rule).collect::<Vec<_>>());
    (rules, 0u32..4, prop_oneof![Just(0u64), 1u64..40_000]).prop_map(|(rules, max, gap)| {
        (
            json!({"settings":{"maxInvitesPerSession":max,"minGapMs":gap},"rules":rules}),
            max,
            gap,
        )
    })
}

/// Per rule: (page view shown, session shown, ever shown, last dismissed).
type Seen = (Option<u32>, Option<u32>, bool, Option<Millis>);

/// The caps, recomputed independently from what the test sent and saw.
#[derive(Default)]
struct Model {
    showing: Option<String>,
    chat_open: bool,
    agent: Option<bool>,
    url: Option<u8>,
    page_view: u32,
    session: u32,
    last_page_view: Option<Millis>,
    session_invites: u32,
    last_invite: Option<Millis>,
    rules: std::collections::HashMap<String, Seen>,
}

impl Model {
    fn page_view(&mut self, url: u8, now: Millis, reload: bool) -> bool {
        if !reload && self.url == Some(url) {
            return false;
        }
        self.url = Some(url);
        self.page_view += 1;
        if self.last_page_view.is_none_or(|t| now - t > TIMEOUT) {
            self.session += 1;
            self.session_invites = 0;
        }
        self.last_page_view = Some(now);
        true
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn caps_are_never_exceeded(
        (cfg, max, gap) in config(),
        events in prop::collection::vec((ev(), 0u64..20_000), 1..80),
    ) {
        let json = cfg.to_string();
        let rules: Vec<Value> = cfg["rules"].as_array().cloned().unwrap_or_default();
        let caps_of = |id: &str| rules.iter().find(|r| r["id"] == id).map(|r| r["caps"].clone()).unwrap_or_default();
        let (mut e, errs) = engine_at(&json, None, T0);
        prop_assert!(errs.is_empty(), "{errs:?}");
        let mut m = Model::default();
        let mut now = T0;
        let mut wake: Option<Millis> = None;
        for (ev, dt) in events {
            let input = match ev {
                Ev::FollowWake => match wake { Some(w) => { now = w; Input::Tick } None => continue },
                _ => { now += dt; match ev {
                    Ev::Tick | Ev::FollowWake => Input::Tick,
                    Ev::Page(u) => {
                        m.page_view(u, now, false);
                        page(&format!("https://s/p{u}"), "", now)
                    }
                    Ev::Reload(u) => {
                        let saved = e.state().to_json();
                        e = engine_at(&json, Some(&saved), now).0;
                        m.showing = None;
                        m.chat_open = false;
                        m.agent = None;
                        m.page_view(u, now, true);
                        page(&format!("https://s/p{u}"), "", now)
                    }
                    Ev::Scroll(p) => Input::ScrollDepth(p),
                    Ev::Exit => Input::ExitIntent(ExitKind::Pointer),
                    Ev::Agent(a) => { m.agent = Some(a); Input::AgentAvailable(a) }
                    Ev::Country(fr) => Input::Country(fr.then(|| "FR".to_string())),
                    Ev::Accept | Ev::Dismiss | Ev::Expire => {
                        let id = m.showing.take().unwrap_or_else(|| "r0".into());
                        if matches!(ev, Ev::Dismiss) {
                            if let Some(r) = m.rules.get_mut(&id) { r.3 = Some(now) }
                            else { m.rules.insert(id.clone(), (None, None, false, Some(now))); }
                        }
                        match ev { Ev::Accept => Input::InviteAccepted(id), Ev::Dismiss => Input::InviteDismissed(id), _ => Input::InviteExpired(id) }
                    }
                    Ev::ChatOpen => { m.chat_open = true; Input::ChatOpened }
                    Ev::ChatClose => { m.chat_open = false; Input::ChatClosed }
                }}
            };
            let out = e.handle(input, now);
            if let Some(w) = out.next_wake { prop_assert!(w > now, "wake {w} not after now {now}"); }
            wake = out.next_wake;
            for d in &out.decisions {
                match d {
                    Decision::CloseInvite { rule_id, reason } => {
                        prop_assert_eq!(m.showing.as_deref(), Some(rule_id.as_str()), "{:?}", reason);
                        m.showing = None;
                    }
                    Decision::ShowInvite(inv) => {
                        let id = inv.rule_id.clone();
                        prop_assert!(m.showing.is_none(), "two invites at once");
                        prop_assert!(!m.chat_open, "invite while chat open");
                        if max > 0 { prop_assert!(m.session_invites < max, "session max exceeded"); }
                        if let Some(t) = m.last_invite { prop_assert!(now >= t + gap, "min gap broken"); }
                        let caps = caps_of(&id);
                        if caps["requireAgentAvailable"] == true { prop_assert_eq!(m.agent, Some(true)); }
                        let (pv, ss, ever, dis) = m.rules.get(&id).cloned().unwrap_or_default();
                        match caps["once"].as_str() {
                            Some("pageView") => prop_assert!(pv != Some(m.page_view), "twice in a page view"),
                            Some("session") => prop_assert!(ss != Some(m.session) && pv != Some(m.page_view), "twice in a session"),
                            Some("visitor") => prop_assert!(!ever, "twice for a visitor"),
                            _ => {}
                        }
                        if let Some(d) = dis {
                            prop_assert!(now >= d + caps["cooldownAfterDismissMs"].as_u64().unwrap_or(0), "cooldown broken");
                        }
                        let close = rules.iter().find(|r| r["id"] == id).and_then(|r| r["action"]["autoCloseMs"].as_u64()).unwrap_or(0);
                        prop_assert_eq!(inv.expires_at, (close > 0).then_some(now + close));
                        m.rules.insert(id.clone(), (Some(m.page_view), Some(m.session), true, dis));
                        m.session_invites += 1;
                        m.last_invite = Some(now);
                        m.showing = Some(id);
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_json_never_panics(doc in json_value(), inputs in prop::collection::vec(any_input(), 0..12)) {
        run_json(&doc.to_string(), &inputs);
        run_json(&json!([doc]).to_string(), &inputs);
        run_json(&json!([{"id":"x","when":doc}]).to_string(), &inputs);
        run_json(&json!([{"id":"x","when":{"type":"all","of":[]},"action":doc}]).to_string(), &inputs);
        let _ = State::from_json(&doc.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        run_json(&s, &[Input::Tick]);
        let _ = State::from_json(&s);
    }
}

fn run_json(json: &str, inputs: &[Input]) {
    let (mut e, _) = engine_at(json, None, T0);
    let mut now = T0;
    e.handle(page("https://s.example/é/ü?x#y", "", now), now);
    for i in inputs {
        now += 1_000;
        let out = e.handle(i.clone(), now);
        if let Some(w) = out.next_wake {
            assert!(w > now);
            e.handle(Input::Tick, w);
        }
    }
}

const WORDS: &[&str] = &[
    "id",
    "type",
    "when",
    "of",
    "ms",
    "atLeast",
    "equals",
    "every",
    "touchFallback",
    "prefix",
    "glob",
    "regex",
    "ignoreCase",
    "in",
    "matchUnknown",
    "start",
    "end",
    "timeZone",
    "slots",
    "days",
    "from",
    "to",
    "percent",
    "selector",
    "name",
    "action",
    "caps",
    "message",
    "context",
    "prechatQuestion",
    "showPrechat",
    "autoCloseMs",
    "resetVisitCount",
    "missingData",
    "once",
    "cooldownAfterDismissMs",
    "requireAgentAvailable",
    "priority",
    "enabled",
    "settings",
    "rules",
    "timeOnPage",
    "timeOnSite",
    "visitCount",
    "exitIntent",
    "referrer",
    "pageUrl",
    "pagePath",
    "country",
    "dateWindow",
    "schedule",
    "scrollDepth",
    "elementVisible",
    "predicate",
    "agentAvailable",
    "all",
    "any",
    "not",
    "2025-01-01",
    "2025-01-15T10:00Z",
    "09:00",
    "24:00",
    "mon",
    "weekdays",
    "UTC",
    "Europe/Paris",
    "{pageUrl}",
    "{x}",
    "*",
    "(",
    "FR",
    "session",
    "visitor",
    "skip",
    "keep",
    "",
];

fn json_value() -> impl Strategy<Value = Value> {
    let word = prop::sample::select(WORDS).prop_map(String::from);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..200_000).prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        word.clone().prop_map(Value::String),
        "\\PC{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(WORDS), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn any_input() -> impl Strategy<Value = Input> {
    let s = "\\PC{0,12}";
    prop_oneof![
        Just(Input::Tick),
        (s, s, 0u64..u64::MAX).prop_map(|(u, r, at)| Input::PageView {
            url: u,
            referrer: r,
            at
        }),
        any::<u32>().prop_map(Input::VisitCount),
        any::<u8>().prop_map(Input::ScrollDepth),
        Just(Input::ExitIntent(ExitKind::FastScrollUp)),
        prop::option::of(s).prop_map(Input::Country),
        (s, any::<bool>())
            .prop_map(|(selector, visible)| Input::ElementVisible { selector, visible }),
        (s, any::<bool>()).prop_map(|(name, value)| Input::Predicate { name, value }),
        (s, s).prop_map(|(key, value)| Input::PageData { key, value }),
        s.prop_map(Input::InviteDismissed),
        Just(Input::InviteDismissed("x".into())),
        Just(Input::ChatOpened),
        Just(Input::NewSession),
    ]
}
