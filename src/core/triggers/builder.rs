//! A small builder API over the rule types, for rules written in Rust:
//!
//! ```
//! use lcw_sdk::core::triggers::{Condition, Once, Rule, TextMatch};
//! let rule = Rule::new("pricing-help")
//!     .when(Condition::all([
//!         Condition::page_path(TextMatch::glob("/pricing*")),
//!         Condition::time_on_page(20_000),
//!     ]))
//!     .message("Questions about {pagePath}?")
//!     .context("Page URL", "{pageUrl}")
//!     .once(Once::Session);
//! assert_eq!(rule.id, "pricing-help");
//! ```

use super::spec::{
    Action, Caps, Condition, ContextValue, Millis, MissingData, Once, Rule, Slot, TextMatch,
    TouchFallback,
};

impl Rule {
    /// A rule that always holds, with the default action and caps.
    pub fn new(id: impl Into<String>) -> Rule {
        Rule {
            id: id.into(),
            enabled: true,
            priority: 0,
            when: Condition::All { of: Vec::new() },
            action: Action::default(),
            caps: Caps::default(),
        }
    }
    /// Sets the condition.
    pub fn when(mut self, c: Condition) -> Rule {
        self.when = c;
        self
    }
    /// Sets the message template.
    pub fn message(mut self, m: impl Into<String>) -> Rule {
        self.action.message = m.into();
        self
    }
    /// Adds a context entry (strings are templates).
    pub fn context(mut self, name: impl Into<String>, v: impl Into<ContextValue>) -> Rule {
        self.action.context.push((name.into(), v.into()));
        self
    }
    /// Sets the pre-chat question (scenario 8).
    pub fn prechat_question(mut self, q: impl Into<String>) -> Rule {
        self.action.prechat_question = Some(q.into());
        self
    }
    /// Whether the pre-chat survey runs after acceptance.
    pub fn show_prechat(mut self, v: bool) -> Rule {
        self.action.show_prechat = v;
        self
    }
    /// Auto-close timeout (0 = never).
    pub fn auto_close_ms(mut self, ms: Millis) -> Rule {
        self.action.auto_close_ms = ms;
        self
    }
    /// Asks the browser to reset the visit counter when shown.
    pub fn reset_visit_count(mut self) -> Rule {
        self.action.reset_visit_count = true;
        self
    }
    /// What to do with missing placeholders.
    pub fn missing_data(mut self, m: MissingData) -> Rule {
        self.action.missing_data = m;
        self
    }
    /// Sets the priority (higher first).
    pub fn priority(mut self, p: i32) -> Rule {
        self.priority = p;
        self
    }
    /// Sets the once-per cap.
    pub fn once(mut self, o: Once) -> Rule {
        self.caps.once = o;
        self
    }
    /// Sets the cooldown after a dismissal.
    pub fn cooldown_after_dismiss_ms(mut self, ms: Millis) -> Rule {
        self.caps.cooldown_after_dismiss_ms = ms;
        self
    }
    /// Show only while an agent is available.
    pub fn require_agent_available(mut self) -> Rule {
        self.caps.require_agent_available = true;
        self
    }
    /// Disables the rule.
    pub fn disabled(mut self) -> Rule {
        self.enabled = false;
        self
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Str(s.into())
    }
}
impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Str(s)
    }
}
impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Bool(b)
    }
}
impl From<f64> for ContextValue {
    fn from(n: f64) -> Self {
        ContextValue::Num(n)
    }
}

impl TextMatch {
    /// Whole-string equality.
    pub fn equals(s: impl Into<String>) -> Self {
        TextMatch {
            equals: Some(s.into()),
            ..Default::default()
        }
    }
    /// Prefix.
    pub fn prefix(s: impl Into<String>) -> Self {
        TextMatch {
            prefix: Some(s.into()),
            ..Default::default()
        }
    }
    /// Glob (`*`, `?`, `\` escape).
    pub fn glob(s: impl Into<String>) -> Self {
        TextMatch {
            glob: Some(s.into()),
            ..Default::default()
        }
    }
    /// Regex (host engine).
    pub fn regex(s: impl Into<String>) -> Self {
        TextMatch {
            regex: Some(s.into()),
            ..Default::default()
        }
    }
    /// Case-insensitive.
    pub fn ignore_case(mut self) -> Self {
        self.ignore_case = true;
        self
    }
}

impl Condition {
    /// Time on page >= `ms`.
    pub fn time_on_page(ms: Millis) -> Self {
        Condition::TimeOnPage { ms }
    }
    /// Time on site (session) >= `ms`.
    pub fn time_on_site(ms: Millis) -> Self {
        Condition::TimeOnSite { ms }
    }
    /// Visit count >= `n`.
    pub fn visits_at_least(n: u32) -> Self {
        Condition::VisitCount {
            at_least: Some(n),
            equals: None,
            every: None,
        }
    }
    /// Visit count == `n`.
    pub fn visits_equal(n: u32) -> Self {
        Condition::VisitCount {
            at_least: None,
            equals: Some(n),
            every: None,
        }
    }
    /// Every `n`th visit.
    pub fn visits_every(n: u32) -> Self {
        Condition::VisitCount {
            at_least: None,
            equals: None,
            every: Some(n),
        }
    }
    /// Exit intent with a touch fallback.
    pub fn exit_intent(touch_fallback: TouchFallback) -> Self {
        Condition::ExitIntent { touch_fallback }
    }
    /// Referrer matches.
    pub fn referrer(m: TextMatch) -> Self {
        Condition::Referrer(m)
    }
    /// Page URL matches.
    pub fn page_url(m: TextMatch) -> Self {
        Condition::PageUrl(m)
    }
    /// Page path matches.
    pub fn page_path(m: TextMatch) -> Self {
        Condition::PagePath(m)
    }
    /// Country is one of `codes`.
    pub fn country<S: Into<String>>(codes: impl IntoIterator<Item = S>) -> Self {
        Condition::Country {
            codes: codes.into_iter().map(Into::into).collect(),
            match_unknown: false,
        }
    }
    /// Date window (either bound optional) in `zone` (`None`: UTC).
    pub fn date_window(start: Option<&str>, end: Option<&str>, zone: Option<&str>) -> Self {
        Condition::DateWindow {
            start: start.map(Into::into),
            end: end.map(Into::into),
            time_zone: zone.map(Into::into),
        }
    }
    /// Weekly schedule: one slot of `days` from `from` to `to` in `zone`.
    pub fn schedule(zone: &str, days: &[&str], from: &str, to: &str) -> Self {
        let slot = Slot {
            days: days.iter().map(|d| d.to_string()).collect(),
            from: from.into(),
            to: to.into(),
        };
        Condition::Schedule {
            time_zone: zone.into(),
            slots: vec![slot],
        }
    }
    /// Scroll depth >= `percent`.
    pub fn scroll_depth(percent: u8) -> Self {
        Condition::ScrollDepth { percent }
    }
    /// Element matched by `selector` visible.
    pub fn element_visible(selector: impl Into<String>) -> Self {
        Condition::ElementVisible {
            selector: selector.into(),
        }
    }
    /// Custom page predicate `name` true.
    pub fn predicate(name: impl Into<String>) -> Self {
        Condition::Predicate { name: name.into() }
    }
    /// Agent available.
    pub fn agent_available() -> Self {
        Condition::AgentAvailable {}
    }
    /// All hold.
    pub fn all(of: impl IntoIterator<Item = Condition>) -> Self {
        Condition::All {
            of: of.into_iter().collect(),
        }
    }
    /// Any holds.
    pub fn any(of: impl IntoIterator<Item = Condition>) -> Self {
        Condition::Any {
            of: of.into_iter().collect(),
        }
    }
    /// Negation.
    #[allow(clippy::should_implement_trait)]
    pub fn not(c: Condition) -> Self {
        Condition::Not { of: Box::new(c) }
    }
}
