//! `Deserialize` for [`Condition`], written by hand: serde's derive for an
//! internally tagged enum buffers through its private `Content` type, which
//! costs far more wasm than this (see `crate::core::de`). It accepts and
//! refuses exactly what `#[serde(tag = "type", rename_all = "camelCase",
//! deny_unknown_fields)]` did, with the same messages: an unknown `type`,
//! a missing or mistyped field, or any field the variant does not declare
//! disables the rule with a message naming it.

use serde::{Deserialize, Deserializer};
use serde_json::Error;

use super::spec::{Condition, TextMatch};
use crate::core::de::{self, Body, Tagged};

const CONDITION: Tagged = Tagged {
    tag: "type",
    variants: &[
        "timeOnPage", "timeOnSite", "visitCount", "exitIntent", "referrer", "pageUrl", "pagePath",
        "country", "dateWindow", "schedule", "scrollDepth", "elementVisible", "predicate",
        "agentAvailable", "all", "any", "not",
    ],
    expecting: "internally tagged enum Condition",
};

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::tagged(d, &CONDITION, build)
    }
}

/// A condition inside `all`/`any`/`not` (see [`de::tagged_nested`]).
struct Child(Condition);

impl<'de> Deserialize<'de> for Child {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::tagged_nested(d, &CONDITION, build).map(Child)
    }
}

fn children(v: Vec<Child>) -> Vec<Condition> {
    v.into_iter().map(|c| c.0).collect()
}

/// The [`TextMatch`] of a newtype variant, read from the variant's other
/// fields as its derived `Deserialize` (`deny_unknown_fields`, every field
/// optional) would, without first rebuilding them into an object.
fn text_match(b: Body) -> Result<TextMatch, Error> {
    let mut f = b.fields(&["equals", "prefix", "glob", "regex", "ignoreCase"], true)?;
    Ok(TextMatch { equals: f.opt("equals")?, prefix: f.opt("prefix")?, glob: f.opt("glob")?, regex: f.opt("regex")?, ignore_case: f.opt("ignoreCase")? })
}

/// One arm per variant: its wire fields in declaration order, then each field
/// (`req`: required, `opt`: `#[serde(default)]`). Unknown fields are refused.
fn build(tag: &'static str, b: Body) -> Result<Condition, Error> {
    use Condition as C;
    Ok(match tag {
        "timeOnPage" => C::TimeOnPage { ms: b.fields(&["ms"], true)?.req("ms")? },
        "timeOnSite" => C::TimeOnSite { ms: b.fields(&["ms"], true)?.req("ms")? },
        "visitCount" => {
            let mut f = b.fields(&["atLeast", "equals", "every"], true)?;
            C::VisitCount { at_least: f.opt("atLeast")?, equals: f.opt("equals")?, every: f.opt("every")? }
        }
        "exitIntent" => C::ExitIntent { touch_fallback: b.fields(&["touchFallback"], true)?.opt("touchFallback")? },
        "referrer" => C::Referrer(text_match(b)?),
        "pageUrl" => C::PageUrl(text_match(b)?),
        "pagePath" => C::PagePath(text_match(b)?),
        "country" => {
            let mut f = b.fields(&["in", "matchUnknown"], true)?;
            C::Country { codes: f.req("in")?, match_unknown: f.opt("matchUnknown")? }
        }
        "dateWindow" => {
            let mut f = b.fields(&["start", "end", "timeZone"], true)?;
            C::DateWindow { start: f.opt("start")?, end: f.opt("end")?, time_zone: f.opt("timeZone")? }
        }
        "schedule" => {
            let mut f = b.fields(&["timeZone", "slots"], true)?;
            C::Schedule { time_zone: f.req("timeZone")?, slots: f.req("slots")? }
        }
        "scrollDepth" => C::ScrollDepth { percent: b.fields(&["percent"], true)?.req("percent")? },
        "elementVisible" => C::ElementVisible { selector: b.fields(&["selector"], true)?.req("selector")? },
        "predicate" => C::Predicate { name: b.fields(&["name"], true)?.req("name")? },
        "agentAvailable" => {
            b.fields(&[], true)?;
            C::AgentAvailable {}
        }
        "all" => C::All { of: children(b.fields(&["of"], true)?.req("of")?) },
        "any" => C::Any { of: children(b.fields(&["of"], true)?.req("of")?) },
        "not" => C::Not { of: Box::new(b.fields(&["of"], true)?.req::<Child>("of")?.0) },
        _ => return Err(CONDITION.unknown(tag)),
    })
}
