//! Table tests per condition and combinator: value and next deadline.

use super::conditions::{Compiler, Ctx};
use super::signals::Page;
use super::test_support::*;
use super::*;

type Setup = fn(&mut Page);

fn base() -> Page {
    let mut p = Page {
        started: true,
        start: T0,
        ..Default::default()
    };
    p.set_url("https://shop.example/cases/42?tab=1#top".into());
    p.referrer = "https://www.search.example/?q=help".into();
    p
}

/// Compiles `json` and evaluates it at `T0 + at` on `base()` changed by
/// `setup`; the session started a minute before the page.
fn eval(json: &str, setup: Setup, at: Millis) -> Result<(bool, Option<i64>), String> {
    let cond: Condition = crate::core::json::from_str(json).map_err(|e| e.to_string())?;
    let mut needs = Needs::default();
    let mut re = RustRegex::default();
    let mut c = Compiler {
        re: &mut re,
        tz: &FakeTz,
        needs: &mut needs,
        now: T0,
        nodes: 0,
    };
    let cond = c.compile(&cond, 0)?;
    let mut page = base();
    page.visible = vec![false; needs.selectors.len()];
    page.predicates = vec![false; needs.predicates.len()];
    setup(&mut page);
    let cx = Ctx {
        now: T0 + at,
        page: &page,
        session_start: T0 - 60_000,
        re: &re,
        tz: &FakeTz,
    };
    let (v, dl) = cond.eval(&cx);
    Ok((v, dl.map(|d| d as i64 - T0 as i64)))
}

fn none(_: &mut Page) {}

#[test]
fn conditions_table() {
    const H: i64 = 3_600_000;
    #[rustfmt::skip]
    let cases: &[(&str, Setup, Millis, bool, Option<i64>)] = &[
        // time on page / on site
        (r#"{"type":"timeOnPage","ms":20000}"#, none, 0, false, Some(20_000)),
        (r#"{"type":"timeOnPage","ms":20000}"#, none, 19_999, false, Some(20_000)),
        (r#"{"type":"timeOnPage","ms":20000}"#, none, 20_000, true, None),
        (r#"{"type":"timeOnPage","ms":0}"#, none, 0, true, None),
        (r#"{"type":"timeOnPage","ms":5000}"#, |p| p.started = false, 9_000, false, None),
        (r#"{"type":"timeOnSite","ms":90000}"#, none, 0, false, Some(30_000)),
        (r#"{"type":"timeOnSite","ms":90000}"#, none, 30_000, true, None),
        // visit count
        (r#"{"type":"visitCount","atLeast":3}"#, none, 0, false, None),
        (r#"{"type":"visitCount","atLeast":3}"#, |p| p.visits = Some(3), 0, true, None),
        (r#"{"type":"visitCount","atLeast":3}"#, |p| p.visits = Some(2), 0, false, None),
        (r#"{"type":"visitCount","equals":3}"#, |p| p.visits = Some(4), 0, false, None),
        (r#"{"type":"visitCount","equals":3}"#, |p| p.visits = Some(3), 0, true, None),
        (r#"{"type":"visitCount","every":3}"#, |p| p.visits = Some(6), 0, true, None),
        (r#"{"type":"visitCount","every":3}"#, |p| p.visits = Some(7), 0, false, None),
        (r#"{"type":"visitCount","every":3}"#, |p| p.visits = Some(0), 0, false, None),
        // exit intent
        (r#"{"type":"exitIntent"}"#, none, 0, false, None),
        (r#"{"type":"exitIntent"}"#, |p| p.exit = Some(ExitKind::Pointer), 0, true, None),
        (r#"{"type":"exitIntent"}"#, |p| p.exit = Some(ExitKind::FastScrollUp), 0, false, None),
        (r#"{"type":"exitIntent","touchFallback":"fastScrollUp"}"#, |p| p.exit = Some(ExitKind::FastScrollUp), 0, true, None),
        (r#"{"type":"exitIntent","touchFallback":"fastScrollUp"}"#, |p| p.exit = Some(ExitKind::VisibilityHidden), 0, false, None),
        (r#"{"type":"exitIntent","touchFallback":"visibilityHidden"}"#, |p| p.exit = Some(ExitKind::VisibilityHidden), 0, true, None),
        // referrer / url / path
        (r#"{"type":"referrer","equals":"https://www.search.example/?q=help"}"#, none, 0, true, None),
        (r#"{"type":"referrer","prefix":"https://www.search.example/"}"#, none, 0, true, None),
        (r#"{"type":"referrer","glob":"*search.example*"}"#, none, 0, true, None),
        (r#"{"type":"referrer","regex":"q=h[a-z]+$"}"#, none, 0, true, None),
        (r#"{"type":"referrer","equals":""}"#, |p| p.referrer.clear(), 0, true, None),
        (r#"{"type":"referrer","prefix":"https://shop.example"}"#, none, 0, false, None),
        (r#"{"type":"pageUrl","glob":"https://shop.example/cases/*"}"#, none, 0, true, None),
        (r#"{"type":"pageUrl","equals":"https://shop.example/cases/42"}"#, none, 0, false, None),
        (r#"{"type":"pageUrl","regex":"TAB=1","ignoreCase":true}"#, none, 0, true, None),
        (r#"{"type":"pagePath","equals":"/cases/42"}"#, none, 0, true, None),
        (r#"{"type":"pagePath","glob":"/CASES/*","ignoreCase":true}"#, none, 0, true, None),
        (r#"{"type":"pagePath","prefix":"/cases/4"}"#, none, 0, true, None),
        (r#"{"type":"pagePath","regex":"^/cases/\\d+$"}"#, none, 0, true, None),
        (r#"{"type":"pagePath","equals":"/"}"#, |p| p.set_url("https://shop.example/?a".into()), 0, true, None),
        (r#"{"type":"pagePath","equals":"/x"}"#, |p| p.set_url("/x#frag".into()), 0, true, None),
        // country
        (r#"{"type":"country","in":["FR","be"]}"#, |p| p.country = Some(*b"BE"), 0, true, None),
        (r#"{"type":"country","in":["FR"]}"#, |p| p.country = Some(*b"DE"), 0, false, None),
        (r#"{"type":"country","in":["FR"]}"#, none, 0, false, None),
        (r#"{"type":"country","in":["FR"],"matchUnknown":true}"#, none, 0, true, None),
        // date window (T0 = 2025-01-15T10:00Z)
        (r#"{"type":"dateWindow","start":"2025-01-15T10:30Z"}"#, none, 0, false, Some(30 * 60_000)),
        (r#"{"type":"dateWindow","start":"2025-01-01","end":"2025-01-15"}"#, none, 0, true, Some(14 * H)),
        (r#"{"type":"dateWindow","start":"2025-01-01","end":"2025-01-15","timeZone":"Asia/Tokyo"}"#, none, 0, true, Some(5 * H)),
        (r#"{"type":"dateWindow","end":"2025-01-15T09:00:00"}"#, none, 0, false, None),
        (r#"{"type":"dateWindow","start":"2025-01-15T11:00+02:00"}"#, none, 0, true, None),
        (r#"{"type":"dateWindow","start":"2025-01-15 06:00","timeZone":"America/New_York"}"#, none, 0, false, Some(H)),
        // weekly schedule (Wednesday 10:00 UTC)
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["wed"],"from":"09:00","to":"17:00"}]}"#, none, 0, true, Some(7 * H)),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["weekdays"],"from":"11:00","to":"12:00"}]}"#, none, 0, false, Some(H)),
        (r#"{"type":"schedule","timeZone":"Asia/Tokyo","slots":[{"days":["wednesday"],"from":"09:00","to":"17:00"}]}"#, none, 0, false, Some(6 * 24 * H + 14 * H)),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["tue"],"from":"22:00","to":"11:00"}]}"#, none, 0, true, Some(H)),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["daily"],"from":"00:00","to":"24:00"}]}"#, none, 0, true, None),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["wed"],"from":"09:00","to":"10:00"},{"days":["wed"],"from":"10:00","to":"12:00"}]}"#, none, 0, true, Some(2 * H)),
        // scroll, element, predicate, agent
        (r#"{"type":"scrollDepth","percent":50}"#, |p| p.scroll = 49, 0, false, None),
        (r#"{"type":"scrollDepth","percent":50}"#, |p| p.scroll = 50, 0, true, None),
        (r##"{"type":"elementVisible","selector":"#pricing"}"##, none, 0, false, None),
        (r##"{"type":"elementVisible","selector":"#pricing"}"##, |p| p.visible[0] = true, 0, true, None),
        (r#"{"type":"predicate","name":"cartFull"}"#, |p| p.predicates[0] = true, 0, true, None),
        (r#"{"type":"agentAvailable"}"#, none, 0, false, None),
        (r#"{"type":"agentAvailable"}"#, |p| p.agent = Some(true), 0, true, None),
        (r#"{"type":"agentAvailable"}"#, |p| p.agent = Some(false), 0, false, None),
        // combinators
        (r#"{"type":"all","of":[]}"#, none, 0, true, None),
        (r#"{"type":"any","of":[]}"#, none, 0, false, None),
        (r#"{"type":"all","of":[{"type":"timeOnPage","ms":5000},{"type":"timeOnPage","ms":9000}]}"#, none, 0, false, Some(9_000)),
        (r#"{"type":"all","of":[{"type":"timeOnPage","ms":5000},{"type":"scrollDepth","percent":10}]}"#, none, 0, false, None),
        (r#"{"type":"all","of":[{"type":"timeOnPage","ms":5000},{"type":"scrollDepth","percent":10}]}"#, |p| p.scroll = 10, 0, false, Some(5_000)),
        (r#"{"type":"all","of":[{"type":"timeOnPage","ms":5000},{"type":"dateWindow","end":"2025-01-15T11:00Z"}]}"#, none, 6_000, true, Some(H)),
        (r#"{"type":"any","of":[{"type":"timeOnPage","ms":5000},{"type":"timeOnPage","ms":9000}]}"#, none, 0, false, Some(5_000)),
        (r#"{"type":"any","of":[{"type":"scrollDepth","percent":10},{"type":"dateWindow","end":"2025-01-15T11:00Z"}]}"#, none, 0, true, Some(H)),
        (r#"{"type":"any","of":[{"type":"agentAvailable"},{"type":"dateWindow","end":"2025-01-15T11:00Z"}]}"#, |p| p.agent = Some(true), 0, true, None),
        (r#"{"type":"not","of":{"type":"timeOnPage","ms":5000}}"#, none, 0, true, Some(5_000)),
        (r#"{"type":"not","of":{"type":"not","of":{"type":"exitIntent"}}}"#, |p| p.exit = Some(ExitKind::Pointer), 0, true, None),
        (r##"{"type":"all","of":[{"type":"any","of":[{"type":"country","in":["FR"]},{"type":"pagePath","prefix":"/cases"}]},{"type":"not","of":{"type":"elementVisible","selector":"#chat"}}]}"##, none, 0, true, None),
    ];
    for (i, (json, setup, at, want, dl)) in cases.iter().enumerate() {
        let got = eval(json, *setup, *at).unwrap_or_else(|e| panic!("case {i} {json}: {e}"));
        assert_eq!(got, (*want, *dl), "case {i}: {json}");
    }
}

#[test]
fn schedule_across_dst_switch() {
    // Fake Paris: +60 until 2025-03-30T01:00Z, then +120. Slot 09:00-17:00
    // local daily. On Saturday 29th at 20:00Z (21:00 local) the next opening
    // is Sunday 09:00 local = 07:00Z (after the switch), not 08:00Z.
    let json = r#"{"type":"schedule","timeZone":"Europe/Paris","slots":[{"days":["daily"],"from":"09:00","to":"17:00"}]}"#;
    let cond: Condition = crate::core::json::from_str(json).unwrap();
    let mut needs = Needs::default();
    let mut re = RustRegex::default();
    let mut c = Compiler {
        re: &mut re,
        tz: &FakeTz,
        needs: &mut needs,
        now: T0,
        nodes: 0,
    };
    let cond = c.compile(&cond, 0).unwrap();
    let page = base();
    let sat_20z = (DST_SWITCH - 5 * 3_600_000) as Millis;
    let cx = Ctx {
        now: sat_20z,
        page: &page,
        session_start: 0,
        re: &re,
        tz: &FakeTz,
    };
    let sun_07z = (DST_SWITCH + 6 * 3_600_000) as Millis;
    assert_eq!(cond.eval(&cx), (false, Some(sun_07z)));
    let cx = Ctx { now: sun_07z, ..cx };
    assert_eq!(cond.eval(&cx), (true, Some(sun_07z + 8 * 3_600_000)));
    let cx = Ctx {
        now: sun_07z - 1,
        ..cx
    };
    assert!(!cond.eval(&cx).0);
}

#[test]
fn invalid_conditions_table() {
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        (r#"{"type":"bogus"}"#, "unknown variant"),
        (r#"{"type":"timeOnPage","ms":20000,"extra":1}"#, "unknown field"),
        (r#"{"type":"timeOnPage","ms":-1}"#, "invalid value"),
        (r#"{"type":"timeOnPage","ms":1.5}"#, "invalid type"),
        (r#"{"type":"timeOnPage","ms":99999999999999}"#, "one year"),
        (r#"{"type":"timeOnPage"}"#, "missing field"),
        (r#"{"type":"visitCount"}"#, "exactly one"),
        (r#"{"type":"visitCount","atLeast":1,"equals":2}"#, "exactly one"),
        (r#"{"type":"visitCount","every":0}"#, "at least 1"),
        (r#"{"type":"referrer"}"#, "exactly one"),
        (r#"{"type":"referrer","regex":"("}"#, "bad regex"),
        (r#"{"type":"pageUrl","glob":"x\\"}"#, "lone"),
        (r#"{"type":"country","in":["France"]}"#, "alpha-2"),
        (r#"{"type":"dateWindow"}"#, "start"),
        (r#"{"type":"dateWindow","start":"2025-02-01","end":"2025-01-01"}"#, "before"),
        (r#"{"type":"dateWindow","start":"2025-02-30"}"#, "bad date"),
        (r#"{"type":"dateWindow","start":"2025-01-01T25:00"}"#, "bad date"),
        (r#"{"type":"dateWindow","start":"2025-01-01é"}"#, "bad date"),
        (r#"{"type":"dateWindow","start":"2025-01-01","timeZone":"Mars/Base"}"#, "timezone"),
        (r#"{"type":"schedule","timeZone":"Nowhere","slots":[{"days":["mon"],"from":"09:00","to":"10:00"}]}"#, "timezone"),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[]}"#, "1 to 64"),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["funday"],"from":"09:00","to":"10:00"}]}"#, "day"),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["mon"],"from":"09:00","to":"09:00"}]}"#, "distinct"),
        (r#"{"type":"schedule","timeZone":"UTC","slots":[{"days":["mon"],"from":"9h","to":"10:00"}]}"#, "distinct"),
        (r#"{"type":"scrollDepth","percent":101}"#, "0 to 100"),
        (r#"{"type":"elementVisible","selector":" "}"#, "1 to 256"),
        (r#"{"type":"predicate","name":""}"#, "1 to 256"),
        // serde's sequence form `[tag, fields...]` is no longer read.
        (r#"{"type":"not","of":[]}"#, "of: invalid type: sequence, expected internally tagged enum Condition"),
        (r#"{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"not","of":{"type":"agentAvailable"}}}}}}}}}}"#, "deeper than 8"),
    ];
    for (json, want) in cases {
        let err = eval(json, none, 0).expect_err(json);
        assert!(err.contains(want), "{json}: got {err:?}, want {want:?}");
    }
}

/// [`FakeTz`] that counts the host calls.
struct CountingTz(std::rc::Rc<std::cell::Cell<u32>>);

impl TimeZoneDb for CountingTz {
    fn utc_offset_minutes(&self, zone: &str, at_ms: i64) -> Result<i32, String> {
        self.0.set(self.0.get() + 1);
        FakeTz.utc_offset_minutes(zone, at_ms)
    }
}

#[test]
fn memo_tz_answers_as_the_host_with_one_call_per_zone_and_second() {
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let memo = super::schedule::MemoTz::new(Box::new(CountingTz(calls.clone())));
    let s = DST_SWITCH;
    // Both sides of the DST switch, the same second twice, two zones, an
    // unknown zone (not remembered), and more instants than the memo holds.
    let mut asks: Vec<(&str, i64)> = vec![("Europe/Paris", s - 1), ("Europe/Paris", s - 1000), ("Europe/Paris", s), ("Europe/Paris", s + 999), ("UTC", s), ("Mars/Base", s), ("Mars/Base", s)];
    asks.extend((0..40).map(|k| ("Europe/Paris", s - 20_000 + k * 1000)));
    asks.extend((0..40).map(|k| ("Europe/Paris", s - 20_000 + k * 1000)));
    for (zone, at) in asks {
        assert_eq!(memo.utc_offset_minutes(zone, at), FakeTz.utc_offset_minutes(zone, at), "{zone} at {at}");
    }
    // s - 1 and s - 1000 share a second, as do s and s + 999; the unknown
    // zone is asked both times; the 40 instants are asked again after the
    // memo has moved on (16 kept), so twice.
    assert_eq!(calls.get(), 2 + 1 + 2 + 40 + 40);
    let before = calls.get();
    for _ in 0..100 {
        memo.utc_offset_minutes("Europe/Paris", s + 19_500).unwrap();
    }
    assert_eq!(calls.get(), before, "the last instants asked are remembered");
}

#[test]
fn twenty_schedule_rules_evaluated_often_in_one_second_ask_the_host_a_few_times() {
    let rules: Vec<String> = (0..20)
        .map(|k| format!(r#"{{"id":"h{k}","when":{{"type":"all","of":[{{"type":"schedule","timeZone":"Europe/Paris","slots":[{{"days":["weekdays"],"from":"09:00","to":"18:00"}}]}},{{"type":"scrollDepth","percent":{}}}]}}}}"#, 50 + k))
        .collect();
    let json = format!(r#"{{"rules":[{}]}}"#, rules.join(","));
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let (mut e, errs) = Engine::from_json(&json, None, Box::new(RustRegex::default()), Box::new(CountingTz(calls.clone())), T0);
    assert!(errs.is_empty(), "{errs:?}");
    e.handle(Input::PageView { url: "https://shop.example/".into(), referrer: String::new(), at: T0 }, T0);
    let first = e.handle(Input::ScrollDepth(10), T0 + 5);
    let before = calls.get();
    for i in 0..100 {
        let out = e.handle(Input::PageData { key: "k".into(), value: i.to_string() }, T0 + 10 + i);
        assert_eq!(out.next_wake, first.next_wake);
    }
    // Every rule asks about now and the next slot boundary (three instants),
    // all within the second: the memo answers.
    assert_eq!(calls.get() - before, 0, "100 evaluations of 20 schedule rules in one second: no host call");
    assert!(before <= 10, "compiling and the first evaluations: {before} host calls");
}
