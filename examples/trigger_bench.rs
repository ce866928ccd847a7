//! Host benchmark of the proactive engine (issue 3).
//!
//! Prints (1) the cost of one evaluation with 100 rules (ns/eval, median of
//! several runs) and (2) the wake-ups the engine asks for over 60 s of an
//! idle page, checked against the deadlines the rules imply: the host sets
//! one timer per deadline and nothing runs in between (no polling).
//!
//! Run: `cargo run --release --example trigger_bench`

use std::hint::black_box;
use std::time::Instant;

use lcw_sdk::core::triggers::{Decision, Engine, Input, Millis, RegexEngine, State, TimeZoneDb};

/// `regex` crate as the host regex engine (the browser uses JS `RegExp`).
#[derive(Default)]
struct HostRegex(Vec<regex::Regex>);

impl RegexEngine for HostRegex {
    fn compile(&mut self, pattern: &str, ignore_case: bool) -> Result<u32, String> {
        let r = regex::RegexBuilder::new(pattern)
            .case_insensitive(ignore_case)
            .build()
            .map_err(|e| e.to_string())?;
        self.0.push(r);
        Ok(self.0.len() as u32 - 1)
    }
    fn is_match(&self, id: u32, text: &str) -> bool {
        self.0.get(id as usize).is_some_and(|r| r.is_match(text))
    }
}

/// Fixed offsets (the browser uses `Intl.DateTimeFormat`).
struct HostTz;

impl TimeZoneDb for HostTz {
    fn utc_offset_minutes(&self, zone: &str, _at: i64) -> Result<i32, String> {
        match zone {
            "UTC" => Ok(0),
            "Europe/Paris" => Ok(60),
            "America/New_York" => Ok(-300),
            _ => Err("unknown timezone".into()),
        }
    }
}

/// 2025-01-15T10:00:00Z (a Wednesday).
const T0: Millis = 1_736_935_200_000;
const PAGE: &str = "https://shop.example/product/42?ref=mail";
const LIVE: u64 = 20; // rules that match this page, thresholds 3 s apart
const STEP: u64 = 3_000;
const CLOSE: u64 = 1_000; // their invites auto-close after 1 s

/// 100 rules of every kind. Only the `LIVE` ones can fire on `PAGE`; the
/// others are evaluated every time but wait on signals, other pages or
/// far-away dates.
fn rules() -> String {
    let mut r = Vec::new();
    for k in 1..=LIVE {
        r.push(format!(
            r#"{{"id":"live{k}","when":{{"type":"all","of":[{{"type":"pagePath","glob":"/product/*"}},
            {{"type":"timeOnPage","ms":{}}}]}},"action":{{"autoCloseMs":{CLOSE},
            "message":"Offer {k} for {{pagePath}}","context":{{"Page URL":"{{pageUrl}}","Time On Page":"{{timeOnPage}}"}}}},
            "caps":{{"once":"pageView"}}}}"#,
            k * STEP
        ));
    }
    for k in 0..30 {
        let m = match k % 3 {
            0 => format!(r#"{{"type":"pageUrl","regex":"^https://other\\.example/p{k}/"}}"#),
            1 => format!(r#"{{"type":"pagePath","prefix":"/checkout/{k}"}}"#),
            _ => format!(r#"{{"type":"referrer","glob":"*partner{k}.example*"}}"#),
        };
        r.push(format!(r#"{{"id":"other{k}","when":{{"type":"all","of":[{m},{{"type":"timeOnPage","ms":{}}}]}}}}"#, 1_000 * k));
    }
    for k in 0..20 {
        r.push(format!(
            r#"{{"id":"hours{k}","when":{{"type":"all","of":[{{"type":"schedule","timeZone":"Europe/Paris",
            "slots":[{{"days":["weekdays"],"from":"09:00","to":"18:00"}}]}},{{"type":"scrollDepth","percent":{}}}]}}}}"#,
            50 + k
        ));
    }
    for k in 0..10 {
        r.push(format!(
            r#"{{"id":"sale{k}","when":{{"type":"all","of":[{{"type":"dateWindow","start":"2025-06-0{}","end":"2025-06-30",
            "timeZone":"America/New_York"}},{{"type":"exitIntent"}}]}}}}"#,
            1 + k % 9
        ));
    }
    for k in 0..10 {
        r.push(format!(
            r##"{{"id":"signal{k}","when":{{"type":"any","of":[{{"type":"elementVisible","selector":"#faq{k}"}},
            {{"type":"predicate","name":"cart{k}"}}]}}}}"##
        ));
    }
    for k in 0..10 {
        r.push(format!(
            r#"{{"id":"combo{k}","when":{{"type":"all","of":[{{"type":"country","in":["FR","BE"]}},
            {{"type":"not","of":{{"type":"agentAvailable"}}}},{{"type":"visitCount","every":{}}}]}}}}"#,
            2 + k
        ));
    }
    format!(
        r#"{{"settings":{{"minGapMs":0,"maxInvitesPerSession":0}},"rules":[{}]}}"#,
        r.join(",")
    )
}

fn engine() -> Engine {
    let (e, errs) = Engine::from_json(
        &rules(),
        None,
        Box::new(HostRegex::default()),
        Box::new(HostTz),
        T0,
    );
    assert!(errs.is_empty(), "{errs:?}");
    e
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// ns per `handle(input)` at a time when no rule fires (all 100 evaluated).
fn cost(input: Input, runs: usize, iters: u32) -> (f64, Vec<f64>) {
    let mut e = engine();
    e.handle(
        Input::PageView {
            url: PAGE.into(),
            referrer: String::new(),
            at: T0,
        },
        T0,
    );
    let now = T0 + 1_500;
    assert!(e.handle(input.clone(), now).decisions.is_empty());
    let mut per_run = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(e.handle(black_box(input.clone()), black_box(now)));
        }
        per_run.push(start.elapsed().as_nanos() as f64 / f64::from(iters));
    }
    (median(per_run.clone()), per_run)
}

fn main() {
    // `--rules`: print the 100 rules (the browser half of the benchmark,
    // bench/engine.mjs, loads the same ones into the wasm build).
    if std::env::args().any(|a| a == "--rules") {
        println!("{}", rules());
        return;
    }
    let e = engine();
    println!(
        "proactive engine benchmark: {} rules loaded",
        e.rule_ids().count()
    );
    let n = e.needs();
    println!(
        "needs: {} selectors, {} predicates, exit={}, scroll={}, country={}, visits={}, agent={}",
        n.selectors.len(),
        n.predicates.len(),
        n.exit_pointer,
        n.scroll_depth,
        n.country,
        n.visit_count,
        n.agent_availability
    );

    let (tick, runs) = cost(Input::Tick, 7, 20_000);
    let pretty: Vec<String> = runs.iter().map(|v| format!("{v:.0}")).collect();
    println!(
        "evaluation (Tick, 100 rules): {tick:.0} ns/eval median of 7 runs x 20000 [{}]",
        pretty.join(", ")
    );
    let (sig, _) = cost(Input::ScrollDepth(10), 7, 20_000);
    println!(
        "evaluation (ScrollDepth signal, 100 rules): {sig:.0} ns/eval median of 7 runs x 20000"
    );
    let page_data = Input::PageData {
        key: "benchKey".into(),
        value: "1".into(),
    };
    let (pd, _) = cost(page_data, 7, 20_000);
    println!(
        "evaluation (PageData signal, 100 rules): {pd:.0} ns/eval median of 7 runs x 20000 (what setPageData runs; in the browser: bench/engine.mjs)"
    );

    // 60 s of idle page: the host sets one timer for next_wake and calls
    // Tick when it fires; nothing else happens.
    let mut e = engine();
    let mut out = e.handle(
        Input::PageView {
            url: PAGE.into(),
            referrer: String::new(),
            at: T0,
        },
        T0,
    );
    let horizon = T0 + 60_000;
    let (mut wakes, mut empty, mut shown, mut expired) = (0u32, 0u32, 0u32, 0u32);
    let mut times = Vec::new();
    while let Some(t) = out.next_wake.filter(|&t| t <= horizon) {
        wakes += 1;
        times.push((t - T0) / 100);
        out = e.handle(Input::Tick, t);
        if out.decisions.is_empty() {
            empty += 1;
        }
        for d in &out.decisions {
            match d {
                Decision::ShowInvite(_) => shown += 1,
                Decision::CloseInvite { .. } => expired += 1,
            }
        }
    }
    // The deadlines the rules imply: each live threshold, and each invite's
    // auto-close one second later, within the 60 s.
    let mut deadlines: Vec<u64> = (1..=LIVE)
        .flat_map(|k| [k * STEP, k * STEP + CLOSE])
        .filter(|&d| d <= 60_000)
        .collect();
    deadlines.sort_unstable();
    deadlines.dedup();
    println!(
        "idle page, 60 s simulated: {wakes} wake-ups requested for {} deadlines ({shown} invites shown, {expired} expired, {empty} wake-ups with nothing to do)",
        deadlines.len()
    );
    println!(
        "  wake-up times (s): {}",
        times
            .iter()
            .map(|t| format!("{}.{}", t / 10, t % 10))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "  a 250 ms polling loop would have woken 240 times; between deadlines no timer fires"
    );
    assert_eq!(
        wakes as usize,
        deadlines.len(),
        "wake-ups must equal deadlines"
    );
    assert_eq!(empty, 0);
    let state = e.state().to_json();
    println!("persistent state after the run: {} bytes", state.len());
    let _ = State::from_json(&state);
}
