//! Engine behaviour: caps, priority, SPA page views, expiry, config errors,
//! persistence across page loads, needs.

use super::test_support::*;
use super::*;

const URL: &str = "https://s.example/p";

fn cfg(settings: &str, rules: &str) -> String {
    format!(r#"{{"settings":{settings},"rules":[{rules}]}}"#)
}

fn shown_ids(out: &Output) -> Vec<String> {
    invites(out).iter().map(|i| i.rule_id.clone()).collect()
}

#[test]
fn priority_and_deterministic_tie_break() {
    let rules = r#"{"id":"low","when":{"type":"timeOnPage","ms":1000}},
        {"id":"tie-a","priority":5,"when":{"type":"timeOnPage","ms":1000}},
        {"id":"tie-b","priority":5,"when":{"type":"timeOnPage","ms":1000}}"#;
    let mut e = engine_ok(&cfg(r#"{"minGapMs":0}"#, rules), T0);
    e.handle(page(URL, "", T0), T0);
    let out = e.handle(Input::Tick, T0 + 1_000);
    assert_eq!(
        shown_ids(&out),
        ["tie-a"],
        "one invite at a time, highest priority, config order"
    );
    assert_eq!(e.showing(), Some("tie-a"));
    assert_eq!(
        out.next_wake,
        Some(T0 + 61_000),
        "only the expiry matters while showing"
    );
    let out = e.handle(Input::InviteDismissed("tie-a".into()), T0 + 2_000);
    assert_eq!(shown_ids(&out), ["tie-b"]);
    let out = e.handle(Input::InviteAccepted("tie-b".into()), T0 + 3_000);
    assert_eq!(shown_ids(&out), ["low"]);
}

#[test]
fn expiry_min_gap_and_session_max() {
    let rules = r#"{"id":"a","when":{"type":"timeOnPage","ms":0},"caps":{"once":"none"},"action":{"autoCloseMs":5000}}"#;
    let mut e = engine_ok(
        &cfg(r#"{"minGapMs":20000,"maxInvitesPerSession":2}"#, rules),
        T0,
    );
    let out = e.handle(page(URL, "", T0), T0);
    assert_eq!(shown_ids(&out), ["a"]);
    assert_eq!(out.next_wake, Some(T0 + 5_000));
    let out = e.handle(Input::Tick, T0 + 5_000);
    assert_eq!(
        out.decisions,
        [Decision::CloseInvite {
            rule_id: "a".into(),
            reason: CloseReason::Expired
        }]
    );
    assert_eq!(out.next_wake, Some(T0 + 20_000), "global gap");
    let out = e.handle(Input::Tick, T0 + 20_000);
    assert_eq!(shown_ids(&out), ["a"]);
    e.handle(Input::InviteExpired("a".into()), T0 + 25_000);
    let out = e.handle(Input::Tick, T0 + 25_000);
    assert_eq!(
        out.next_wake, None,
        "session max reached: nothing can change by time"
    );
    // A new session lifts it.
    let out = e.handle(Input::NewSession, T0 + 100_000);
    assert_eq!(shown_ids(&out), ["a"]);
}

#[test]
fn cooldown_after_dismiss() {
    let rules = r#"{"id":"a","when":{"type":"timeOnPage","ms":0},"caps":{"once":"none","cooldownAfterDismissMs":60000}}"#;
    let mut e = engine_ok(
        &cfg(r#"{"minGapMs":0,"maxInvitesPerSession":0}"#, rules),
        T0,
    );
    assert_eq!(shown_ids(&e.handle(page(URL, "", T0), T0)), ["a"]);
    let out = e.handle(Input::InviteDismissed("a".into()), T0 + 1_000);
    assert!(out.state_changed);
    assert_eq!(out.next_wake, Some(T0 + 61_000));
    assert!(e.handle(Input::Tick, T0 + 60_999).decisions.is_empty());
    assert_eq!(shown_ids(&e.handle(Input::Tick, T0 + 61_000)), ["a"]);
    // Expiry is not a dismissal: no cooldown.
    let out = e.handle(Input::Tick, T0 + 121_000);
    assert_eq!(out.decisions.len(), 2, "expired then shown again: {out:?}");
}

#[test]
fn once_per_page_view_session_visitor_across_loads() {
    let rules = r#"{"id":"pv","when":{"type":"timeOnPage","ms":0},"caps":{"once":"pageView"}},
        {"id":"ss","priority":1,"when":{"type":"timeOnPage","ms":0},"caps":{"once":"session"}},
        {"id":"vi","priority":2,"when":{"type":"timeOnPage","ms":0},"caps":{"once":"visitor"}}"#;
    let json = cfg(r#"{"minGapMs":0,"maxInvitesPerSession":0}"#, rules);
    let mut seen = Vec::new();
    let mut saved: Option<String> = None;
    let mut now = T0;
    // Three page loads in one session, then one in a new session.
    for gap in [0, 60_000, 60_000, 3_600_000] {
        now += gap;
        let (mut e, errs) = engine_at(&json, saved.as_deref(), now);
        assert!(errs.is_empty());
        let mut out = e.handle(page(&format!("{URL}{now}"), "", now), now);
        for _ in 0..5 {
            seen.extend(shown_ids(&out).into_iter().map(|id| (gap, id)));
            let Some(id) = e.showing().map(String::from) else {
                break;
            };
            out = e.handle(Input::InviteDismissed(id), now + 1);
        }
        saved = Some(e.state().to_json());
    }
    let ids: Vec<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["vi", "ss", "pv", "pv", "pv", "ss", "pv"]);
}

#[test]
fn spa_navigation_restarts_page_rules() {
    let rules = r#"{"id":"t","when":{"type":"all","of":[{"type":"pagePath","prefix":"/docs"},{"type":"timeOnPage","ms":10000}]},"caps":{"once":"pageView"}}"#;
    let mut e = engine_ok(&cfg(r#"{"minGapMs":0}"#, rules), T0);
    assert_eq!(
        e.handle(page("https://s.example/", "", T0), T0).next_wake,
        None
    );
    let out = e.handle(
        page("https://s.example/docs/a", "https://s.example/", T0 + 5_000),
        T0 + 5_000,
    );
    assert_eq!(out.next_wake, Some(T0 + 15_000));
    // Same-URL replaceState does not restart the clock.
    let out = e.handle(page("https://s.example/docs/a", "", T0 + 8_000), T0 + 8_000);
    assert_eq!(out.next_wake, Some(T0 + 15_000));
    let out = e.handle(
        page(
            "https://s.example/docs/b",
            "https://s.example/docs/a",
            T0 + 9_000,
        ),
        T0 + 9_000,
    );
    assert_eq!(out.next_wake, Some(T0 + 19_000));
    assert_eq!(shown_ids(&e.handle(Input::Tick, T0 + 19_000)), ["t"]);
    e.handle(Input::InviteDismissed("t".into()), T0 + 20_000);
    let out = e.handle(
        page("https://s.example/docs/c", "", T0 + 30_000),
        T0 + 30_000,
    );
    assert_eq!(
        out.next_wake,
        Some(T0 + 40_000),
        "new page view, new chance"
    );
}

#[test]
fn never_while_chat_open_or_invite_showing_and_agent_gate() {
    let rules = r#"{"id":"a","when":{"type":"timeOnPage","ms":1000},"caps":{"requireAgentAvailable":true}}"#;
    let mut e = engine_ok(&cfg("{}", rules), T0);
    e.handle(page(URL, "", T0), T0);
    e.handle(Input::ChatOpened, T0 + 500);
    let out = e.handle(Input::AgentAvailable(true), T0 + 2_000);
    assert!(out.decisions.is_empty());
    assert_eq!(out.next_wake, None);
    e.handle(Input::AgentAvailable(false), T0 + 3_000);
    assert!(e.handle(Input::ChatClosed, T0 + 3_000).decisions.is_empty());
    assert!(e.handle(Input::Tick, T0 + 4_000).decisions.is_empty());
    let out = e.handle(Input::AgentAvailable(true), T0 + 5_000);
    assert_eq!(shown_ids(&out), ["a"]);
    let out = e.handle(Input::ChatOpened, T0 + 6_000);
    assert_eq!(
        out.decisions,
        [Decision::CloseInvite {
            rule_id: "a".into(),
            reason: CloseReason::ChatOpened
        }]
    );
    // Global agent gate.
    let mut e = engine_ok(
        &cfg(
            r#"{"requireAgentAvailable":true}"#,
            r#"{"id":"b","when":{"type":"timeOnPage","ms":0}}"#,
        ),
        T0,
    );
    assert!(e.handle(page(URL, "", T0), T0).decisions.is_empty());
    assert_eq!(
        shown_ids(&e.handle(Input::AgentAvailable(true), T0 + 1)),
        ["b"]
    );
}

#[test]
fn config_errors_name_the_rule_and_others_run() {
    let rules = r#"{"id":"ok","when":{"type":"timeOnPage","ms":1000}},
        {"id":"re","when":{"type":"pageUrl","regex":"(unclosed"}},
        {"id":"type","when":{"type":"mouseDance"}},
        {"id":"field","when":{"type":"timeOnPage","ms":1},"caps":{"oncе":"session"}},
        {"id":"tz","when":{"type":"schedule","timeZone":"Mars/Olympus","slots":[{"days":["mon"],"from":"09:00","to":"10:00"}]}},
        {"id":"num","when":{"type":"scrollDepth","percent":300}},
        {"id":"close","when":{"type":"timeOnPage","ms":1},"action":{"autoCloseMs":5}},
        {"id":"ctx","when":{"type":"timeOnPage","ms":1},"action":{"context":{"Proactive Chat":"no"}}},
        {"id":"nest","when":{"type":"timeOnPage","ms":1},"action":{"context":{"a":{"b":1}}}},
        {"id":"ok","when":{"type":"timeOnPage","ms":1}},
        {"when":{"type":"timeOnPage","ms":1}},
        5"#;
    let (e, errs) = engine_at(&cfg(r#"{"minGapMs":-1}"#, rules), None, T0);
    let named: Vec<Option<&str>> = errs.iter().map(|e| e.rule_id.as_deref()).collect();
    assert_eq!(
        named,
        [
            None,
            Some("type"),
            Some("field"),
            Some("num"),
            Some("nest"),
            None,
            None,
            Some("re"),
            Some("tz"),
            Some("close"),
            Some("ctx"),
            Some("ok")
        ],
        "{errs:#?}"
    );
    assert!(
        errs[1].message.contains("unknown variant `mouseDance`"),
        "{}",
        errs[1]
    );
    assert!(errs[2].message.contains("unknown field"), "{}", errs[2]);
    assert!(errs[5].message.contains("rule #10"), "{}", errs[5]);
    assert!(errs
        .iter()
        .all(|e| e.to_runtime_error().code.number() == 11));
    assert_eq!(e.rule_ids().collect::<Vec<_>>(), ["ok"]);
    for bad in ["", "{", "42", r#"{"rules":{}}"#, r#"{"rule":[]}"#] {
        let (e, errs) = engine_at(bad, None, T0);
        assert!(!errs.is_empty() && errs[0].rule_id.is_none(), "{bad}");
        assert_eq!(e.rule_ids().count(), 0);
    }
}

#[test]
fn needs_lists_what_to_observe() {
    let rules = r##"{"id":"a","when":{"type":"any","of":[{"type":"elementVisible","selector":"#pricing"},
            {"type":"predicate","name":"cartFull"},{"type":"exitIntent","touchFallback":"visibilityHidden"},
            {"type":"scrollDepth","percent":40},{"type":"agentAvailable"}]},"action":{"message":"{orderId}"}},
        {"id":"b","when":{"type":"elementVisible","selector":"#pricing"}},
        {"id":"bad","when":{"type":"all","of":[{"type":"elementVisible","selector":"#never"},{"type":"bogus"}]}}"##;
    let (e, _) = engine_at(&format!("[{rules}]"), None, T0);
    let n = e.needs();
    assert_eq!(n.selectors, ["#pricing"]);
    assert_eq!(n.predicates, ["cartFull"]);
    assert_eq!(n.page_data, ["orderId"]);
    assert!(n.exit_pointer && n.exit_visibility_hidden && !n.exit_fast_scroll_up);
    assert!(n.scroll_depth && n.agent_availability && !n.country && !n.visit_count);
    let (e, _) = engine_at("[]", None, T0);
    assert_eq!(*e.needs(), Needs::default(), "no rules: observe nothing");
}

#[test]
fn signals_drive_invites_and_unknown_names_are_ignored() {
    let rules = r##"{"id":"v","when":{"type":"all","of":[{"type":"elementVisible","selector":"#faq"},{"type":"predicate","name":"hasCart"}]}}"##;
    let mut e = engine_ok(&format!("[{rules}]"), T0);
    e.handle(page(URL, "", T0), T0);
    e.handle(
        Input::ElementVisible {
            selector: "#other".into(),
            visible: true,
        },
        T0 + 1,
    );
    e.handle(
        Input::Predicate {
            name: "other".into(),
            value: true,
        },
        T0 + 2,
    );
    e.handle(
        Input::PageData {
            key: "unused".into(),
            value: "x".into(),
        },
        T0 + 2,
    );
    assert!(e
        .handle(
            Input::ElementVisible {
                selector: "#faq".into(),
                visible: true
            },
            T0 + 3
        )
        .decisions
        .is_empty());
    assert_eq!(
        shown_ids(&e.handle(
            Input::Predicate {
                name: "hasCart".into(),
                value: true
            },
            T0 + 4
        )),
        ["v"]
    );
    // Replies about rules that are not showing are harmless.
    for i in [
        Input::InviteAccepted("zzz".into()),
        Input::InviteExpired("zzz".into()),
        Input::InviteDismissed("zzz".into()),
    ] {
        e.handle(i, T0 + 5);
    }
    assert_eq!(e.showing(), Some("v"));
}

#[test]
fn builder_matches_json() {
    let built = Rule::new("b")
        .when(Condition::all([
            Condition::page_path(TextMatch::glob("/cases/*")),
            Condition::time_on_page(10_000),
        ]))
        .message("case {caseId}")
        .context("Case Id", "{caseId}")
        .prechat_question("Start?")
        .reset_visit_count()
        .priority(3)
        .once(Once::Visitor)
        .cooldown_after_dismiss_ms(5)
        .missing_data(MissingData::Keep);
    let json = r#"{"id":"b","priority":3,"when":{"type":"all","of":[{"type":"pagePath","glob":"/cases/*"},
        {"type":"timeOnPage","ms":10000}]},"action":{"message":"case {caseId}","context":{"Case Id":"{caseId}"},
        "prechatQuestion":"Start?","resetVisitCount":true,"missingData":"keep"},
        "caps":{"once":"visitor","cooldownAfterDismissMs":5}}"#;
    let (cfg, errs) = Config::from_json(&format!("[{json}]"));
    assert!(errs.is_empty());
    assert_eq!(cfg.rules[0], built);
    let (mut e, errs) = Engine::new(
        Config::new(vec![built]),
        Box::new(NoRegex),
        Box::new(UtcOnly),
        State::new(),
        T0,
    );
    assert!(errs.is_empty());
    e.handle(page("https://s/cases/1", "", T0), T0);
    let out = e.handle(Input::Tick, T0 + 10_000);
    assert_eq!(invites(&out)[0].message, "case {caseId}");
}

#[test]
fn state_json_is_compact() {
    let mut e = engine_ok(r#"[{"id":"exit","when":{"type":"timeOnPage","ms":0}}]"#, T0);
    e.handle(page(URL, "", T0), T0);
    let json = e.state().to_json();
    assert!(json.len() < 140, "{json}");
    assert_eq!(State::from_json(&json), *e.state());
}
