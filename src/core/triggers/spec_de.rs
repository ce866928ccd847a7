//! Reading the rule format (`spec.rs`) with `crate::core::json`. It accepts
//! and refuses what the serde derives (feature `serde`) do, which
//! `src/core/json/cross_tests.rs` checks: an unknown `type`, a missing or
//! mistyped field, or any field the type does not declare disables the rule
//! with a message naming it.

use super::spec::{Action, Caps, Condition, ContextValue, Rule, Settings, Slot, TextMatch};
use crate::core::json::{json_struct, Error, FromJson, Obj, Value};

json_struct!(read Settings(deny) {
    max_invites_per_session: "maxInvitesPerSession" def, min_gap_ms: "minGapMs" def,
    session_timeout_ms: "sessionTimeoutMs" def, require_agent_available: "requireAgentAvailable" def,
});
json_struct!(read Rule(deny) {
    id: "id" req, enabled: "enabled" yes, priority: "priority" opt, when: "when" req, action: "action" opt, caps: "caps" opt,
});
json_struct!(read TextMatch(deny) {
    equals: "equals" opt, prefix: "prefix" opt, glob: "glob" opt, regex: "regex" opt, ignore_case: "ignoreCase" opt,
});
json_struct!(read Slot(deny) { days: "days" req, from: "from" req, to: "to" req });
json_struct!(read Caps(deny) {
    once: "once" opt, cooldown_after_dismiss_ms: "cooldownAfterDismissMs" opt, require_agent_available: "requireAgentAvailable" opt,
});

const ACTION: &[&str] = &["message", "context", "prechatQuestion", "showPrechat", "autoCloseMs", "resetVisitCount", "missingData"];

impl FromJson for Action {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut o = Obj::new(v, "struct Action")?;
        let d = Action::default();
        let a = Action {
            message: o.get("message")?.unwrap_or(d.message),
            context: match o.take("context") {
                Some(v) => context(v).map_err(|e| e.at("context"))?,
                None => d.context,
            },
            prechat_question: o.get("prechatQuestion")?.unwrap_or(d.prechat_question),
            show_prechat: o.get("showPrechat")?.unwrap_or(d.show_prechat),
            auto_close_ms: o.get("autoCloseMs")?.unwrap_or(d.auto_close_ms),
            reset_visit_count: o.get("resetVisitCount")?.unwrap_or(d.reset_visit_count),
            missing_data: o.get("missingData")?.unwrap_or(d.missing_data),
        };
        o.deny(ACTION)?;
        Ok(a)
    }
}

/// `{name: string | number | boolean}`, in input order.
fn context(v: Value) -> Result<Vec<(String, ContextValue)>, Error> {
    let Value::Object(o) = v else {
        return Err(Error::invalid_type(&v, "an object of strings, numbers or booleans"));
    };
    o.into_iter()
        .map(|(k, v)| match v {
            Value::Bool(b) => Ok((k, ContextValue::Bool(b))),
            Value::Number(n) => Ok((k, ContextValue::Num(n.as_f64()))),
            Value::String(s) => Ok((k, ContextValue::Str(s))),
            _ => Err(Error::new(format!("context value for `{k}` must be a string, number or boolean"))),
        })
        .collect()
}

const CONDITION: &[&str] = &[
    "timeOnPage", "timeOnSite", "visitCount", "exitIntent", "referrer", "pageUrl", "pagePath",
    "country", "dateWindow", "schedule", "scrollDepth", "elementVisible", "predicate",
    "agentAvailable", "all", "any", "not",
];

/// The [`TextMatch`] of a newtype variant, from the variant's other fields.
fn text_match(o: Obj) -> Result<TextMatch, Error> {
    TextMatch::from_json(Value::Object(o.into_entries()))
}

impl FromJson for Condition {
    /// One arm per variant: each field (`req`: required, `opt`: defaulted),
    /// then the variant's field names (any other field is refused).
    fn from_json(v: Value) -> Result<Self, Error> {
        use Condition as C;
        let (i, mut o) = Obj::tagged(v, "type", CONDITION, "internally tagged enum Condition")?;
        let (c, names): (C, &[&str]) = match CONDITION[i] {
            "timeOnPage" => (C::TimeOnPage { ms: o.req("ms")? }, &["ms"]),
            "timeOnSite" => (C::TimeOnSite { ms: o.req("ms")? }, &["ms"]),
            "visitCount" => (
                C::VisitCount { at_least: o.opt("atLeast")?, equals: o.opt("equals")?, every: o.opt("every")? },
                &["atLeast", "equals", "every"],
            ),
            "exitIntent" => (C::ExitIntent { touch_fallback: o.opt("touchFallback")? }, &["touchFallback"]),
            "referrer" => return text_match(o).map(C::Referrer),
            "pageUrl" => return text_match(o).map(C::PageUrl),
            "pagePath" => return text_match(o).map(C::PagePath),
            "country" => (C::Country { codes: o.req("in")?, match_unknown: o.opt("matchUnknown")? }, &["in", "matchUnknown"]),
            "dateWindow" => (
                C::DateWindow { start: o.opt("start")?, end: o.opt("end")?, time_zone: o.opt("timeZone")? },
                &["start", "end", "timeZone"],
            ),
            "schedule" => (C::Schedule { time_zone: o.req("timeZone")?, slots: o.req("slots")? }, &["timeZone", "slots"]),
            "scrollDepth" => (C::ScrollDepth { percent: o.req("percent")? }, &["percent"]),
            "elementVisible" => (C::ElementVisible { selector: o.req("selector")? }, &["selector"]),
            "predicate" => (C::Predicate { name: o.req("name")? }, &["name"]),
            "agentAvailable" => (C::AgentAvailable {}, &[]),
            "all" => (C::All { of: o.req("of")? }, &["of"]),
            "any" => (C::Any { of: o.req("of")? }, &["of"]),
            _ => (C::Not { of: o.req("of")? }, &["of"]),
        };
        o.deny(names)?;
        Ok(c)
    }
}

#[cfg(test)]
#[test]
fn text_match_lists_its_fields() {
    let e = Condition::from_json(crate::core::json::parse(r#"{"type":"referrer","equalz":"a"}"#).unwrap()).unwrap_err();
    assert_eq!(e.to_string(), "unknown field `equalz`, expected one of `equals`, `prefix`, `glob`, `regex`, `ignoreCase`");
}
