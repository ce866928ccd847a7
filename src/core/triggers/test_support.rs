//! Test doubles: a `regex`-crate [`RegexEngine`] and a fake [`TimeZoneDb`]
//! with fixed offsets and one DST-switching zone.

use super::*;

/// 2025-01-15T10:00:00Z, a Wednesday.
pub(crate) const T0: Millis = 1_736_935_200_000;
/// 2025-03-30T01:00:00Z: the fake `Europe/Paris` switches from +60 to +120.
pub(crate) const DST_SWITCH: i64 = 1_743_296_400_000;

/// The `regex` crate behind the host trait.
#[derive(Default)]
pub(crate) struct RustRegex(Vec<regex::Regex>);

impl RegexEngine for RustRegex {
    fn compile(&mut self, pattern: &str, ignore_case: bool) -> Result<u32, String> {
        let re = regex::RegexBuilder::new(pattern)
            .case_insensitive(ignore_case)
            .size_limit(1 << 16)
            .build();
        let re = re.map_err(|e| e.to_string())?;
        self.0.push(re);
        Ok(self.0.len() as u32 - 1)
    }
    fn is_match(&self, id: u32, text: &str) -> bool {
        self.0.get(id as usize).is_some_and(|r| r.is_match(text))
    }
}

/// Fixed offsets, plus `Europe/Paris` switching +60 -> +120 at
/// [`DST_SWITCH`] (only that one transition).
pub(crate) struct FakeTz;

impl TimeZoneDb for FakeTz {
    fn utc_offset_minutes(&self, zone: &str, at_ms: i64) -> Result<i32, String> {
        Ok(match zone {
            "UTC" => 0,
            "Asia/Tokyo" => 540,
            "America/New_York" => -300,
            "Europe/Paris" if at_ms < DST_SWITCH => 60,
            "Europe/Paris" => 120,
            _ => return Err("unknown timezone".into()),
        })
    }
}

/// An engine over `json` at `now` with the test doubles.
pub(crate) fn engine_at(
    json: &str,
    state: Option<&str>,
    now: Millis,
) -> (Engine, Vec<ConfigError>) {
    Engine::from_json(
        json,
        state,
        Box::new(RustRegex::default()),
        Box::new(FakeTz),
        now,
    )
}

/// An engine that must load without errors.
pub(crate) fn engine_ok(json: &str, now: Millis) -> Engine {
    let (e, errs) = engine_at(json, None, now);
    assert!(errs.is_empty(), "unexpected config errors: {errs:?}");
    e
}

/// A page view input.
pub(crate) fn page(url: &str, referrer: &str, at: Millis) -> Input {
    Input::PageView {
        url: url.into(),
        referrer: referrer.into(),
        at,
    }
}

/// The invites in an output.
pub(crate) fn invites(out: &Output) -> Vec<&Invite> {
    out.decisions
        .iter()
        .filter_map(|d| match d {
            Decision::ShowInvite(i) => Some(i),
            _ => None,
        })
        .collect()
}

/// A context value by name.
pub(crate) fn ctx<'a>(inv: &'a Invite, name: &str) -> Option<&'a ContextValue> {
    inv.context.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A string context value.
pub(crate) fn s(v: &str) -> ContextValue {
    ContextValue::Str(v.into())
}
