//! Condition trees: validation/compilation from the spec, and evaluation to
//! `(holds, next instant it can change by time alone)`.

use super::matchers::{Matcher, RegexEngine};
use super::schedule::{parse_instant, TimeZoneDb, Weekly, Window};
use super::signals::{country_code, ExitKind, Needs, Page};
use super::spec::{Condition, Millis, TouchFallback};

/// Deepest nesting of `all`/`any`/`not`.
pub const MAX_DEPTH: usize = 8;
/// Most condition nodes in one rule.
pub const MAX_NODES: usize = 128;
/// Longest duration threshold accepted (one year).
pub const MAX_MS: Millis = 366 * 86_400_000;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    TimeOnPage(Millis),
    TimeOnSite(Millis),
    VisitAtLeast(u32),
    VisitEquals(u32),
    VisitEvery(u32),
    Exit(TouchFallback),
    Referrer(Matcher),
    Url(Matcher),
    Path(Matcher),
    Country(Vec<[u8; 2]>, bool),
    Window(Window),
    Weekly(Weekly),
    Scroll(u8),
    Visible(usize),
    Predicate(usize),
    Agent,
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

/// Everything a condition reads while evaluating.
pub(crate) struct Ctx<'a> {
    pub(crate) now: Millis,
    pub(crate) page: &'a Page,
    pub(crate) session_start: Millis,
    pub(crate) re: &'a dyn RegexEngine,
    pub(crate) tz: &'a dyn TimeZoneDb,
}

/// Compiles a condition tree, registering what it needs.
pub(crate) struct Compiler<'a> {
    pub(crate) re: &'a mut dyn RegexEngine,
    pub(crate) tz: &'a dyn TimeZoneDb,
    pub(crate) needs: &'a mut Needs,
    pub(crate) now: Millis,
    pub(crate) nodes: usize,
}

fn ms(v: Millis) -> Result<Millis, String> {
    if v > MAX_MS {
        return Err("duration above one year (31 622 400 000 ms)".into());
    }
    Ok(v)
}

fn name(kind: &str, s: &str) -> Result<(), String> {
    if s.trim().is_empty() || s.len() > 256 {
        let mut e = String::from(kind);
        e.push_str(" must be 1 to 256 characters");
        return Err(e);
    }
    Ok(())
}

impl Compiler<'_> {
    pub(crate) fn compile(&mut self, c: &Condition, depth: usize) -> Result<Cond, String> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err("too many conditions in one rule (max 128)".into());
        }
        let now = i64::try_from(self.now).unwrap_or(i64::MAX);
        Ok(match c {
            Condition::TimeOnPage { ms: v } => Cond::TimeOnPage(ms(*v)?),
            Condition::TimeOnSite { ms: v } => Cond::TimeOnSite(ms(*v)?),
            Condition::VisitCount {
                at_least,
                equals,
                every,
            } => {
                self.needs.visit_count = true;
                match (at_least, equals, every) {
                    (Some(n), None, None) => Cond::VisitAtLeast(*n),
                    (None, Some(n), None) => Cond::VisitEquals(*n),
                    (None, None, Some(n)) if *n >= 1 => Cond::VisitEvery(*n),
                    (None, None, Some(_)) => {
                        return Err("visitCount.every must be at least 1".into())
                    }
                    _ => {
                        return Err(
                            "visitCount needs exactly one of `atLeast`, `equals`, `every`".into(),
                        )
                    }
                }
            }
            Condition::ExitIntent { touch_fallback } => {
                self.needs.exit_pointer = true;
                match touch_fallback {
                    TouchFallback::FastScrollUp => self.needs.exit_fast_scroll_up = true,
                    TouchFallback::VisibilityHidden => self.needs.exit_visibility_hidden = true,
                    TouchFallback::None => {}
                }
                Cond::Exit(*touch_fallback)
            }
            Condition::Referrer(m) => Cond::Referrer(Matcher::compile(m, self.re)?),
            Condition::PageUrl(m) => Cond::Url(Matcher::compile(m, self.re)?),
            Condition::PagePath(m) => Cond::Path(Matcher::compile(m, self.re)?),
            Condition::Country {
                codes,
                match_unknown,
            } => {
                self.needs.country = true;
                if codes.len() > 300 {
                    return Err("too many country codes".into());
                }
                let mut out = Vec::with_capacity(codes.len());
                for c in codes {
                    out.push(
                        country_code(c)
                            .ok_or("country codes are ISO 3166-1 alpha-2, e.g. \"FR\"")?,
                    );
                }
                Cond::Country(out, *match_unknown)
            }
            Condition::DateWindow {
                start,
                end,
                time_zone,
            } => {
                let zone = time_zone.as_deref().unwrap_or("UTC");
                let s = start
                    .as_deref()
                    .map(|v| parse_instant(v, zone, self.tz, false))
                    .transpose()?;
                let e = end
                    .as_deref()
                    .map(|v| parse_instant(v, zone, self.tz, true))
                    .transpose()?;
                match (s, e) {
                    (None, None) => return Err("dateWindow needs `start` and/or `end`".into()),
                    (Some(s), Some(e)) if e <= s => {
                        return Err("dateWindow `end` is before (or equal to) `start`".into())
                    }
                    _ => {}
                }
                if time_zone.is_some() {
                    super::schedule::local_to_utc(now, zone, self.tz)?;
                }
                Cond::Window(Window { start: s, end: e })
            }
            Condition::Schedule { time_zone, slots } => {
                Cond::Weekly(Weekly::compile(time_zone, slots, self.tz, now)?)
            }
            Condition::ScrollDepth { percent } if *percent <= 100 => {
                self.needs.scroll_depth = true;
                Cond::Scroll(*percent)
            }
            Condition::ScrollDepth { .. } => {
                return Err("scrollDepth.percent must be 0 to 100".into())
            }
            Condition::ElementVisible { selector } => {
                name("elementVisible.selector", selector)?;
                Cond::Visible(Needs::intern(&mut self.needs.selectors, selector))
            }
            Condition::Predicate { name: n } => {
                name("predicate.name", n)?;
                Cond::Predicate(Needs::intern(&mut self.needs.predicates, n))
            }
            Condition::AgentAvailable {} => {
                self.needs.agent_availability = true;
                Cond::Agent
            }
            Condition::All { of } | Condition::Any { of } => {
                if depth >= MAX_DEPTH {
                    return Err("conditions nested deeper than 8 levels".into());
                }
                let kids = of
                    .iter()
                    .map(|k| self.compile(k, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                if matches!(c, Condition::All { .. }) {
                    Cond::All(kids)
                } else {
                    Cond::Any(kids)
                }
            }
            Condition::Not { of } => {
                if depth >= MAX_DEPTH {
                    return Err("conditions nested deeper than 8 levels".into());
                }
                Cond::Not(Box::new(self.compile(of, depth + 1)?))
            }
        })
    }
}

fn at_least(elapsed_from: Millis, threshold: Millis, now: Millis) -> (bool, Option<Millis>) {
    let due = elapsed_from.saturating_add(threshold);
    if now >= due {
        (true, None)
    } else {
        (false, Some(due))
    }
}

fn to_ms(t: Option<i64>) -> Option<Millis> {
    t.map(|v| u64::try_from(v).unwrap_or(0))
}

impl Cond {
    /// Whether the condition holds at `cx.now`, and the earliest later
    /// instant at which it could change with no other input (`None`: only a
    /// signal can change it).
    pub(crate) fn eval(&self, cx: &Ctx) -> (bool, Option<Millis>) {
        let p = cx.page;
        let now_i = i64::try_from(cx.now).unwrap_or(i64::MAX);
        let b = |v: bool| (v, None);
        match self {
            Cond::TimeOnPage(t) if p.started => at_least(p.start, *t, cx.now),
            Cond::TimeOnPage(_) => b(false),
            Cond::TimeOnSite(t) => at_least(cx.session_start, *t, cx.now),
            Cond::VisitAtLeast(n) => b(p.visits.is_some_and(|v| v >= *n)),
            Cond::VisitEquals(n) => b(p.visits == Some(*n)),
            Cond::VisitEvery(n) => b(p.visits.is_some_and(|v| v > 0 && v % n.max(&1) == 0)),
            Cond::Exit(fb) => b(matches!(
                (p.exit, fb),
                (Some(ExitKind::Pointer), _)
                    | (Some(ExitKind::FastScrollUp), TouchFallback::FastScrollUp)
                    | (
                        Some(ExitKind::VisibilityHidden),
                        TouchFallback::VisibilityHidden
                    )
            )),
            Cond::Referrer(m) => b(p.started && m.is_match(&p.referrer, cx.re)),
            Cond::Url(m) => b(p.started && m.is_match(&p.url, cx.re)),
            Cond::Path(m) => b(p.started && m.is_match(p.path(), cx.re)),
            Cond::Country(list, unknown) => b(match p.country {
                Some(c) => list.contains(&c),
                None => *unknown,
            }),
            Cond::Window(w) => {
                let (v, t) = w.eval(now_i);
                (v, to_ms(t))
            }
            Cond::Weekly(w) => {
                let (v, t) = w.eval(now_i, cx.tz);
                (v, to_ms(t))
            }
            Cond::Scroll(pct) => b(p.scroll >= *pct),
            Cond::Visible(i) => b(p.visible.get(*i).copied().unwrap_or(false)),
            Cond::Predicate(i) => b(p.predicates.get(*i).copied().unwrap_or(false)),
            Cond::Agent => b(p.agent == Some(true)),
            Cond::All(kids) => combine(kids, cx, true),
            Cond::Any(kids) => combine(kids, cx, false),
            Cond::Not(k) => {
                let (v, t) = k.eval(cx);
                (!v, t)
            }
        }
    }
}

/// `all` (`conj`) or `any`. For `all`: while true it can flip at the
/// earliest child change; while false, only once every false child can have
/// changed (latest of their deadlines; never if one has none). `any` is the
/// dual. Short-circuits on a false child without deadline (`all`).
fn combine(kids: &[Cond], cx: &Ctx, conj: bool) -> (bool, Option<Millis>) {
    // `blocking`: children whose value equals the absorbing value (false for
    // all, true for any); `others`: the rest.
    let mut blocking = false;
    let mut block_dl: Option<Millis> = Some(0);
    let mut other_dl: Option<Millis> = None;
    for k in kids {
        let (v, dl) = k.eval(cx);
        if v != conj {
            blocking = true;
            block_dl = match (block_dl, dl) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
            if block_dl.is_none() {
                return (!conj, None);
            }
        } else if let Some(d) = dl {
            other_dl = Some(other_dl.map_or(d, |o: Millis| o.min(d)));
        }
    }
    if blocking {
        (!conj, block_dl)
    } else {
        (conj, other_dl)
    }
}
