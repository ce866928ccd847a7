//! What a page's rules cannot make the engine do: report thousands of
//! problems one event each, or read rules past the limits.

use super::load::{MAX_REPORTED, MAX_RULES_BYTES};
use super::test_support::*;
use super::*;

const T0: Millis = 1_700_000_000_000;

fn rule(i: usize) -> String {
    format!(r#"{{"id":"r{i}","when":{{"type":"timeOnPage","ms":1000}}}}"#)
}

fn rules(n: usize, each: impl Fn(usize) -> String) -> String {
    format!("[{}]", (0..n).map(each).collect::<Vec<_>>().join(","))
}

#[test]
fn rules_past_the_limit_are_one_report() {
    let (e, errs) = engine_at(&rules(MAX_RULES + 44, rule), None, T0);
    assert_eq!(e.rule_ids().count(), MAX_RULES);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].rule_id, None);
    assert_eq!(errs[0].message, format!("44 rules past the first {MAX_RULES} ignored"));
}

#[test]
fn thousands_of_bad_rules_are_at_most_max_reported_reports() {
    // 10,000 rules without `when`: 256 read and refused, one report for the
    // rest, so 257 problems, of which the first 19 are told one by one.
    let (e, errs) = engine_at(&rules(10_000, |i| format!(r#"{{"id":"r{i}"}}"#)), None, T0);
    assert_eq!(e.rule_ids().count(), 0);
    assert_eq!(errs.len(), MAX_REPORTED, "{errs:#?}");
    for (i, err) in errs[..MAX_REPORTED - 1].iter().enumerate() {
        assert_eq!(err.rule_id.as_deref(), Some(format!("r{i}").as_str()));
        assert!(err.message.contains("missing field `when`"), "{err}");
    }
    let last = &errs[MAX_REPORTED - 1];
    assert_eq!(last.rule_id, None);
    assert_eq!(last.message, format!("{} more problems, not reported one by one", 257 - (MAX_REPORTED - 1)));
    // Unknown top-level fields are capped the same way.
    let doc = format!("{{{}}}", (0..5_000).map(|i| format!(r#""k{i}":1"#)).collect::<Vec<_>>().join(","));
    let (_, errs) = engine_at(&doc, None, T0);
    assert_eq!(errs.len(), MAX_REPORTED);
    assert!(errs[0].message.contains("unknown field `k0`"), "{}", errs[0]);
    assert!(errs[MAX_REPORTED - 1].message.starts_with(&format!("{} more problems", 5_000 - (MAX_REPORTED - 1))));
}

#[test]
fn replacing_rules_counts_both_steps_problems() {
    // Problems of reading (no `when`) and of compiling (a bad regex) are
    // counted together, after both steps.
    let mut e = engine_ok(&rules(2, rule), T0);
    let json = rules(40, |i| {
        if i % 2 == 0 {
            format!(r#"{{"id":"r{i}"}}"#)
        } else {
            format!(r#"{{"id":"r{i}","when":{{"type":"url","regex":"("}}}}"#)
        }
    });
    let errs = e.set_rules_json(&json, T0);
    assert_eq!(errs.len(), MAX_REPORTED, "{errs:#?}");
    assert_eq!(errs[MAX_REPORTED - 1].message, format!("{} more problems, not reported one by one", 40 - (MAX_REPORTED - 1)));
    assert_eq!(e.rule_ids().count(), 0);
    // A few problems are each reported, as before.
    let errs = e.set_rules_json(&format!("[{},{}]", rule(1), r#"{"id":"x"}"#), T0);
    assert_eq!(errs.len(), 1);
    assert_eq!(e.rule_ids().collect::<Vec<_>>(), ["r1"]);
}

#[test]
fn rules_text_over_a_mebibyte_is_refused_whole() {
    // One valid rule padded with JSON whitespace to the limit, and one byte more.
    let at_limit = |extra: usize| {
        let head = format!("[{}", rule(1));
        format!("{head}{}]", " ".repeat(MAX_RULES_BYTES + extra - head.len() - 1))
    };
    let json = at_limit(0);
    assert_eq!(json.len(), MAX_RULES_BYTES);
    let (e, errs) = engine_at(&json, None, T0);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(e.rule_ids().collect::<Vec<_>>(), ["r1"]);
    let (e, errs) = engine_at(&at_limit(1), None, T0);
    assert_eq!(e.rule_ids().count(), 0);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, format!("{} bytes of rules, more than {MAX_RULES_BYTES}; none loaded", MAX_RULES_BYTES + 1));
}
