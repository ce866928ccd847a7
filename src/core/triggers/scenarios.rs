//! The eight SPEC §3 scenarios, each as one short JSON rule: exact invite
//! text and context, fires once, and not before its time.

use super::test_support::*;
use super::*;

const SHOP: &str = "https://shop.example";

/// Scenario 1: on /pricing for 20 s; context carries page URL and time on page.
const S1: &str = r#"{"id":"time-on-page","when":{"type":"all","of":[
  {"type":"pagePath","equals":"/pricing"},{"type":"timeOnPage","ms":20000}]},
  "action":{"message":"Need help choosing a plan?",
            "context":{"Page URL":"{pageUrl}","Time On Page":"{timeOnPage}"}}}"#;
/// Scenario 2: third visit, invite after 5 s, then reset the counter.
const S2: &str = r#"{"id":"repeat-visit","when":{"type":"all","of":[
  {"type":"visitCount","equals":3},{"type":"timeOnPage","ms":5000}]},
  "action":{"message":"Welcome back! Can we help?","resetVisitCount":true,
            "context":{"Visit Count":"{visitCount}"}}}"#;
/// Scenario 3: case page, 10 s, message built from page data.
const S3: &str = r#"{"id":"case-status","when":{"type":"all","of":[
  {"type":"pagePath","glob":"/cases/*"},{"type":"timeOnPage","ms":10000}]},
  "action":{"message":"Hi! Just to let you know, the case: {caseId} is in progress. Any question?",
            "context":{"Case Id":"{caseId}"},"missingData":"skip"}}"#;
/// Scenario 4: after 15 s, exit intent, once per visit.
const S4: &str = r#"{"id":"exit-intent","when":{"type":"all","of":[
  {"type":"timeOnPage","ms":15000},{"type":"exitIntent","touchFallback":"fastScrollUp"}]},
  "action":{"message":"Before you go: can we help?"},"caps":{"once":"session"}}"#;
/// Scenario 5: came from the compare page and stayed 15 s.
const S5: &str = r#"{"id":"from-compare","when":{"type":"all","of":[
  {"type":"referrer","equals":"https://shop.example/compare"},{"type":"timeOnPage","ms":15000}]},
  "action":{"message":"Still comparing? Ask us anything.",
            "context":{"Page":"{pageUrl}","Previous Page":"{previousPage}"}}}"#;
/// Scenario 6: visitor located in France.
const S6: &str = r#"{"id":"country-fr","when":{"type":"country","in":["FR"]},
  "action":{"message":"Bonjour ! Une question ?","context":{"Country":"{country}"}}}"#;
/// Scenario 7: only between two dates (Paris time).
const S7: &str = r#"{"id":"winter-sale","when":{"type":"all","of":[
  {"type":"dateWindow","start":"2025-01-20","end":"2025-01-31","timeZone":"Europe/Paris"},
  {"type":"timeOnPage","ms":3000}]},
  "action":{"message":"Winter sale questions?"}}"#;
/// Scenario 8: the invite asks a first question before routing.
const S8: &str = r#"{"id":"consent","when":{"type":"timeOnPage","ms":10000},
  "action":{"message":"Hi! I'm here to help.","prechatQuestion":"Do you wish to start a chat?",
            "showPrechat":false}}"#;

fn one(rule: &str) -> Engine {
    engine_ok(&format!("[{rule}]"), T0)
}

/// Follows the engine's wake-ups (as the host's single timer would) from
/// `from` up to `until`, collecting (time, invite).
fn follow(e: &mut Engine, first: Option<Millis>, until: Millis) -> Vec<(Millis, Invite)> {
    let mut shown = Vec::new();
    let mut wake = first;
    for _ in 0..1000 {
        let Some(t) = wake.filter(|&t| t <= until) else {
            break;
        };
        let out = e.handle(Input::Tick, t);
        shown.extend(invites(&out).into_iter().map(|i| (t, i.clone())));
        wake = out.next_wake;
    }
    shown
}

fn proactive(inv: &Invite) -> bool {
    inv.context.first() == Some(&(PROACTIVE_KEY.to_string(), s("True")))
}

#[test]
fn all_eight_load_together() {
    let json = format!("[{S1},{S2},{S3},{S4},{S5},{S6},{S7},{S8}]");
    let e = engine_ok(&json, T0);
    assert_eq!(e.rule_ids().count(), 8);
    let n = e.needs();
    assert!(n.exit_pointer && n.exit_fast_scroll_up && n.country && n.visit_count);
    assert_eq!(n.page_data, ["caseId"]);
}

#[test]
fn s1_time_on_page() {
    let mut e = one(S1);
    let out = e.handle(page(&format!("{SHOP}/pricing"), "", T0), T0);
    assert_eq!(out.next_wake, Some(T0 + 20_000));
    assert!(e.handle(Input::Tick, T0 + 19_999).decisions.is_empty());
    let shown = follow(&mut e, Some(T0 + 20_000), T0 + 600_000);
    assert_eq!(shown.len(), 1);
    let (t, inv) = &shown[0];
    assert_eq!(*t, T0 + 20_000);
    assert_eq!(inv.message, "Need help choosing a plan?");
    assert!(proactive(inv));
    assert_eq!(
        ctx(inv, "Page URL"),
        Some(&s("https://shop.example/pricing"))
    );
    assert_eq!(ctx(inv, "Time On Page"), Some(&ContextValue::Num(20.0)));
    assert_eq!(inv.context.len(), 3);
    assert_eq!(inv.expires_at, Some(T0 + 80_000));
    // Another page: no deadline at all.
    let mut e = one(S1);
    assert_eq!(
        e.handle(page(&format!("{SHOP}/about"), "", T0), T0)
            .next_wake,
        None
    );
}

#[test]
fn s2_repeat_visits() {
    let mut e = one(S2);
    e.handle(Input::VisitCount(2), T0);
    assert_eq!(e.handle(page(SHOP, "", T0), T0).next_wake, None);
    let mut e = one(S2);
    e.handle(Input::VisitCount(3), T0);
    let out = e.handle(page(SHOP, "", T0), T0);
    assert_eq!(out.next_wake, Some(T0 + 5_000));
    assert!(e.handle(Input::Tick, T0 + 4_999).decisions.is_empty());
    let shown = follow(&mut e, Some(T0 + 5_000), T0 + 600_000);
    assert_eq!(shown.len(), 1);
    let inv = &shown[0].1;
    assert_eq!(inv.message, "Welcome back! Can we help?");
    assert!(inv.reset_visit_count);
    assert_eq!(ctx(inv, "Visit Count"), Some(&ContextValue::Num(3.0)));
}

#[test]
fn s3_case_status() {
    let mut e = one(S3);
    e.handle(page(&format!("{SHOP}/cases/CAS-001"), "", T0), T0);
    // Without the case id (missingData: skip) the invite waits for it.
    assert!(e.handle(Input::Tick, T0 + 10_000).decisions.is_empty());
    let late = e.handle(
        Input::PageData {
            key: "caseId".into(),
            value: "CAS-001".into(),
        },
        T0 + 11_000,
    );
    assert_eq!(invites(&late).len(), 1, "shows once the data arrives");
    let mut e = one(S3);
    e.handle(page(&format!("{SHOP}/cases/CAS-001"), "", T0), T0);
    let out = e.handle(
        Input::PageData {
            key: "caseId".into(),
            value: "CAS-001".into(),
        },
        T0 + 1,
    );
    assert_eq!(out.next_wake, Some(T0 + 10_000));
    let shown = follow(&mut e, out.next_wake, T0 + 600_000);
    assert_eq!(shown.len(), 1);
    let inv = &shown[0].1;
    assert_eq!(
        inv.message,
        "Hi! Just to let you know, the case: CAS-001 is in progress. Any question?"
    );
    assert_eq!(ctx(inv, "Case Id"), Some(&s("CAS-001")));
    assert!(proactive(inv));
}

#[test]
fn s4_exit_intent_once_per_visit() {
    let mut e = one(S4);
    let out = e.handle(page(SHOP, "", T0), T0);
    assert_eq!(
        out.next_wake, None,
        "exit intent is signal-driven: no timer"
    );
    assert!(e
        .handle(Input::ExitIntent(ExitKind::Pointer), T0 + 14_000)
        .decisions
        .is_empty());
    assert!(
        e.handle(Input::Tick, T0 + 16_000).decisions.is_empty(),
        "no latched exit"
    );
    let out = e.handle(Input::ExitIntent(ExitKind::Pointer), T0 + 16_000);
    let inv = invites(&out)[0].clone();
    assert_eq!(inv.message, "Before you go: can we help?");
    assert_eq!(inv.context, vec![(PROACTIVE_KEY.to_string(), s("True"))]);
    e.handle(Input::InviteDismissed("exit-intent".into()), T0 + 17_000);
    assert!(e
        .handle(Input::ExitIntent(ExitKind::Pointer), T0 + 200_000)
        .decisions
        .is_empty());
    e.handle(
        page(&format!("{SHOP}/next"), SHOP, T0 + 210_000),
        T0 + 210_000,
    );
    assert!(e
        .handle(Input::ExitIntent(ExitKind::Pointer), T0 + 300_000)
        .decisions
        .is_empty());
    // Touch fallback.
    let mut e = one(S4);
    e.handle(page(SHOP, "", T0), T0);
    assert!(e
        .handle(Input::ExitIntent(ExitKind::VisibilityHidden), T0 + 16_000)
        .decisions
        .is_empty());
    assert_eq!(
        invites(&e.handle(Input::ExitIntent(ExitKind::FastScrollUp), T0 + 16_000)).len(),
        1
    );
}

#[test]
fn s5_came_from_page() {
    let mut e = one(S5);
    assert_eq!(
        e.handle(page(SHOP, "https://shop.example/other", T0), T0)
            .next_wake,
        None
    );
    let mut e = one(S5);
    let out = e.handle(
        page(&format!("{SHOP}/plans"), "https://shop.example/compare", T0),
        T0,
    );
    assert_eq!(out.next_wake, Some(T0 + 15_000));
    assert!(e.handle(Input::Tick, T0 + 14_999).decisions.is_empty());
    let shown = follow(&mut e, Some(T0 + 15_000), T0 + 600_000);
    assert_eq!(shown.len(), 1);
    let inv = &shown[0].1;
    assert_eq!(inv.message, "Still comparing? Ask us anything.");
    assert_eq!(ctx(inv, "Page"), Some(&s("https://shop.example/plans")));
    assert_eq!(
        ctx(inv, "Previous Page"),
        Some(&s("https://shop.example/compare"))
    );
}

#[test]
fn s6_country() {
    let mut e = one(S6);
    assert!(e.handle(page(SHOP, "", T0), T0).decisions.is_empty());
    // Unknown / denied is a normal state: nothing happens, no error.
    assert!(e
        .handle(Input::Country(None), T0 + 1_000)
        .decisions
        .is_empty());
    assert!(e
        .handle(Input::Country(Some("DE".into())), T0 + 2_000)
        .decisions
        .is_empty());
    let out = e.handle(Input::Country(Some("fr".into())), T0 + 3_000);
    let inv = invites(&out)[0].clone();
    assert_eq!(inv.message, "Bonjour ! Une question ?");
    assert_eq!(ctx(&inv, "Country"), Some(&s("FR")));
    assert!(follow(&mut e, out.next_wake, T0 + 600_000).is_empty());
}

#[test]
fn s7_date_window() {
    let mut e = one(S7);
    let out = e.handle(page(SHOP, "", T0), T0);
    // 2025-01-20 00:00 Paris (+01:00) = 2025-01-19T23:00Z.
    let start: Millis = 1_737_327_600_000;
    assert_eq!(out.next_wake, Some(start));
    assert!(e.handle(Input::Tick, start - 1).decisions.is_empty());
    let shown = follow(&mut e, Some(start), start + 600_000);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].0, start);
    assert_eq!(shown[0].1.message, "Winter sale questions?");
    // After the end date (2025-01-31 inclusive): nothing, no timer.
    let after: Millis = 1_738_364_400_000; // 2025-02-01 00:00 Paris
    let mut e = one(S7);
    let out = e.handle(page(SHOP, "", after), after);
    assert!(out.decisions.is_empty());
    assert_eq!(out.next_wake, None);
    // end < start is a reported config error naming the rule; others still run.
    let bad = S7
        .replace("winter-sale", "bad-sale")
        .replace("2025-01-31", "2025-01-10");
    let (mut e, errs) = engine_at(&format!("[{bad},{S8}]"), None, T0);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].rule_id.as_deref(), Some("bad-sale"));
    assert!(errs[0].message.contains("before"), "{}", errs[0]);
    assert_eq!(errs[0].to_runtime_error().code.number(), 11);
    assert_eq!(e.rule_ids().collect::<Vec<_>>(), ["consent"]);
    assert_eq!(
        e.handle(page(SHOP, "", T0), T0).next_wake,
        Some(T0 + 10_000)
    );
}

#[test]
fn s8_prechat_question() {
    let mut e = one(S8);
    let out = e.handle(page(SHOP, "", T0), T0);
    assert!(e.handle(Input::Tick, T0 + 9_999).decisions.is_empty());
    let shown = follow(&mut e, out.next_wake, T0 + 600_000);
    assert_eq!(shown.len(), 1);
    let inv = &shown[0].1;
    assert_eq!(shown[0].0, T0 + 10_000);
    assert_eq!(inv.message, "Hi! I'm here to help.");
    assert_eq!(
        inv.prechat_question.as_deref(),
        Some("Do you wish to start a chat?")
    );
    assert!(!inv.show_prechat);
}
