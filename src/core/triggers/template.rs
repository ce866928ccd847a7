//! Message templates: `{name}` placeholders filled from the engine's context
//! and page data. Output is plain text for `textContent`, never HTML.
//!
//! Built-in names: `pageUrl`, `pagePath`, `referrer` (alias
//! `previousPage`), `timeOnPage` and `timeOnSite` (whole seconds),
//! `visitCount`, `country`, `ruleId`. Any other name is page data
//! ([`Input::PageData`](super::Input::PageData)). `{{` and `}}` are literal
//! braces; a `{` not followed by `name}` (letters, digits, `_`, `-`, `.`, at
//! most 64) is literal text. Missing values follow the rule's `missingData`:
//! emptied (default), kept visible as `{name}`, or the invite is skipped.

use super::signals::{Needs, Page};
use super::spec::{Millis, MissingData};

/// Longest template accepted, in bytes.
pub const MAX_TEMPLATE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    PageUrl,
    PagePath,
    Referrer,
    TimeOnPage,
    TimeOnSite,
    VisitCount,
    Country,
    RuleId,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Lit(Box<str>),
    Builtin(Builtin),
    Data(Box<str>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template(Vec<Part>);

/// What a template reads.
pub(crate) struct Fill<'a> {
    pub(crate) page: &'a Page,
    pub(crate) now: Millis,
    pub(crate) session_start: Millis,
    pub(crate) rule_id: &'a str,
}

fn builtin(name: &str) -> Option<Builtin> {
    Some(match name {
        "pageUrl" => Builtin::PageUrl,
        "pagePath" => Builtin::PagePath,
        "referrer" | "previousPage" => Builtin::Referrer,
        "timeOnPage" => Builtin::TimeOnPage,
        "timeOnSite" => Builtin::TimeOnSite,
        "visitCount" => Builtin::VisitCount,
        "country" => Builtin::Country,
        "ruleId" => Builtin::RuleId,
        _ => return None,
    })
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

impl Template {
    /// Parses `s`, registering page-data names in `needs`.
    pub(crate) fn parse(s: &str, needs: &mut Needs) -> Result<Template, String> {
        if s.len() > MAX_TEMPLATE {
            return Err("template longer than 2000 bytes".into());
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                lit.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            let close = tail[1..].find('}').map(|j| j + 1);
            match close.map(|j| &tail[1..j]) {
                Some(n)
                    if tail.starts_with('{')
                        && !n.is_empty()
                        && n.len() <= 64
                        && n.chars().all(name_char) =>
                {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit).into()));
                    }
                    parts.push(match builtin(n) {
                        Some(b) => Part::Builtin(b),
                        None => {
                            Needs::intern(&mut needs.page_data, n);
                            Part::Data(n.into())
                        }
                    });
                    rest = &tail[n.len() + 2..];
                }
                _ => {
                    lit.push_str(&tail[..1]);
                    rest = &tail[1..];
                }
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Lit(lit.into()));
        }
        Ok(Template(parts))
    }

    /// The single numeric built-in this template is made of, if any (such a
    /// context value is sent as a number).
    pub(crate) fn as_number(&self, f: &Fill) -> Option<f64> {
        match self.0.as_slice() {
            [Part::Builtin(
                b @ (Builtin::TimeOnPage | Builtin::TimeOnSite | Builtin::VisitCount),
            )] => numeric(*b, f).map(|v| v as f64),
            _ => None,
        }
    }

    /// Renders; `None` when a value is missing and `missing` is `Skip`.
    pub(crate) fn render(&self, f: &Fill, missing: MissingData) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            let val: Option<std::borrow::Cow<str>> = match p {
                Part::Lit(s) => Some(s.as_ref().into()),
                Part::Builtin(b) => value(*b, f),
                Part::Data(k) => f
                    .page
                    .data
                    .iter()
                    .find(|(n, _)| n.as_str() == k.as_ref())
                    .map(|(_, v)| v.as_str().into()),
            };
            match (val, missing) {
                (Some(v), _) => out.push_str(&v),
                (None, MissingData::Empty) => {}
                (None, MissingData::Skip) => return None,
                (None, MissingData::Keep) => {
                    out.push('{');
                    out.push_str(match p {
                        Part::Data(k) => k,
                        _ => builtin_name(p),
                    });
                    out.push('}');
                }
            }
        }
        Some(out)
    }
}

fn builtin_name(p: &Part) -> &'static str {
    match p {
        Part::Builtin(Builtin::VisitCount) => "visitCount",
        Part::Builtin(Builtin::Country) => "country",
        _ => "",
    }
}

fn numeric(b: Builtin, f: &Fill) -> Option<u64> {
    match b {
        Builtin::TimeOnPage => Some(f.now.saturating_sub(f.page.start) / 1000),
        Builtin::TimeOnSite => Some(f.now.saturating_sub(f.session_start) / 1000),
        Builtin::VisitCount => f.page.visits.map(u64::from),
        _ => None,
    }
}

fn value<'a>(b: Builtin, f: &'a Fill) -> Option<std::borrow::Cow<'a, str>> {
    Some(match b {
        Builtin::PageUrl => f.page.url.as_str().into(),
        Builtin::PagePath => f.page.path().into(),
        Builtin::Referrer => f.page.referrer.as_str().into(),
        Builtin::RuleId => f.rule_id.into(),
        Builtin::Country => {
            let c = f.page.country?;
            String::from_utf8_lossy(&c).into_owned().into()
        }
        _ => numeric(b, f)?.to_string().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &str, missing: MissingData) -> Option<String> {
        let mut needs = Needs::default();
        let mut page = Page {
            started: true,
            start: 1_000,
            visits: Some(3),
            ..Default::default()
        };
        page.set_url("https://s.example/cases/42?x=1".into());
        page.referrer = "https://s.example/home".into();
        page.data.push(("caseId".into(), "CAS-42".into()));
        let f = Fill {
            page: &page,
            now: 21_500,
            session_start: 0,
            rule_id: "r1",
        };
        Template::parse(t, &mut needs).unwrap().render(&f, missing)
    }

    #[test]
    fn table() {
        use MissingData::*;
        let cases: &[(&str, MissingData, Option<&str>)] = &[
            ("Hi", Empty, Some("Hi")),
            ("case: {caseId} is in progress", Empty, Some("case: CAS-42 is in progress")),
            ("{pageUrl}|{pagePath}|{referrer}|{previousPage}", Empty, Some("https://s.example/cases/42?x=1|/cases/42|https://s.example/home|https://s.example/home")),
            ("{timeOnPage}s {timeOnSite}s v{visitCount} {ruleId}", Empty, Some("20s 21s v3 r1")),
            ("a {nope} b", Empty, Some("a  b")),
            ("a {nope} b", Keep, Some("a {nope} b")),
            ("a {country} b", Keep, Some("a {country} b")),
            ("a {nope} b", Skip, None),
            ("{{caseId}} }} {", Empty, Some("{caseId} } {")),
            ("{ not a name } {}", Empty, Some("{ not a name } {}")),
            ("<b>{caseId}</b>", Empty, Some("<b>CAS-42</b>")),
            ("é{caseId}é", Empty, Some("éCAS-42é")),
        ];
        for (t, m, want) in cases {
            assert_eq!(render(t, *m).as_deref(), *want, "{t}");
        }
    }

    #[test]
    fn needs_page_data() {
        let mut needs = Needs::default();
        Template::parse("{caseId} {pageUrl} {caseId} {orderId}", &mut needs).unwrap();
        assert_eq!(needs.page_data, ["caseId", "orderId"]);
    }
}
