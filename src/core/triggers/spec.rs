//! The rule format: plain types mirroring the JSON a page script or the
//! server hands over (documented field by field in
//! `src/web/types/triggers.d.ts`).
//!
//! Unknown fields are **rejected** everywhere (`deny_unknown_fields`): a typo
//! such as `"contex"` or a condition type this SDK version does not know
//! disables that one rule with a message naming the field, instead of
//! silently firing more broadly than the author meant.


/// A millisecond count or a Unix-epoch instant in milliseconds
/// (`Date.now()`).
pub type Millis = u64;

/// The whole proactive configuration: engine-wide settings plus rules.
/// JSON: either `{ "settings": {...}, "rules": [...] }` or a bare array of
/// rules (default settings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Engine-wide caps.
    pub settings: Settings,
    /// The rules, in priority tie-break order (earlier wins a tie).
    pub rules: Vec<Rule>,
}

/// Engine-wide caps and session handling.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct Settings {
    /// At most this many invites per session, all rules together (0 =
    /// unlimited). Default 3.
    pub max_invites_per_session: u32,
    /// Minimum time between two invites, all rules together. Default 30 000.
    pub min_gap_ms: Millis,
    /// A session ends after this much time without a page view. Default
    /// 1 800 000 (30 min).
    pub session_timeout_ms: Millis,
    /// Show no invite at all unless the agent-availability signal is `true`.
    /// Default false.
    pub require_agent_available: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_invites_per_session: 3,
            min_gap_ms: 30_000,
            session_timeout_ms: 1_800_000,
            require_agent_available: false,
        }
    }
}

/// One declarative rule: when `when` holds and the caps allow, show the
/// invite described by `action`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Rule {
    /// Unique, non-empty, at most 64 characters; named in errors and events.
    pub id: String,
    /// A disabled rule is validated but never fires. Default true.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub enabled: bool,
    /// Higher fires first when several rules hold at once. Default 0.
    #[cfg_attr(feature = "serde", serde(default))]
    pub priority: i32,
    /// The condition tree.
    pub when: Condition,
    /// What to show. Default: the default invite message.
    #[cfg_attr(feature = "serde", serde(default))]
    pub action: Action,
    /// Per-rule caps.
    #[cfg_attr(feature = "serde", serde(default))]
    pub caps: Caps,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

/// A condition. JSON: an object whose `type` names the variant, e.g.
/// `{"type":"timeOnPage","ms":20000}`.
///
/// Fields are camelCase; `Option` fields and those marked "Default" may be
/// omitted; a field the variant does not declare is refused.
/// Read by `spec_de.rs` (`crate::core::json`); serde's `Deserialize` only
/// with the feature `serde`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "camelCase", deny_unknown_fields))]
pub enum Condition {
    /// The current page view has lasted at least `ms`.
    TimeOnPage {
        /// Threshold in milliseconds.
        ms: Millis,
    },
    /// The session has lasted at least `ms`.
    TimeOnSite {
        /// Threshold in milliseconds.
        ms: Millis,
    },
    #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
    /// The visit-count signal compared with exactly one of the fields.
    VisitCount {
        #[cfg_attr(feature = "serde", serde(default))]
        /// count >= n.
        at_least: Option<u32>,
        #[cfg_attr(feature = "serde", serde(default))]
        /// count == n.
        equals: Option<u32>,
        #[cfg_attr(feature = "serde", serde(default))]
        /// count is a multiple of n (n, 2n, 3n...).
        every: Option<u32>,
    },
    #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
    /// Exit intent: the pointer leaving through the top edge, or the chosen
    /// touch fallback. Momentary: true only while that signal is handled.
    ExitIntent {
        #[cfg_attr(feature = "serde", serde(default))]
        /// Which touch-device signal also counts. Default `none`.
        touch_fallback: TouchFallback,
    },
    /// `document.referrer` (or the previous SPA URL); `""` when direct.
    Referrer(TextMatch),
    /// The full page URL.
    PageUrl(TextMatch),
    /// The URL path (no query, no fragment).
    PagePath(TextMatch),
    #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
    /// The visitor's country (ISO 3166-1 alpha-2) is one of `in`.
    Country {
        #[cfg_attr(feature = "serde", serde(rename = "in"))]
        /// Accepted codes, case-insensitive. JSON: `in`.
        codes: Vec<String>,
        #[cfg_attr(feature = "serde", serde(default))]
        /// Whether an unknown/denied country matches. Default false.
        match_unknown: bool,
    },
    #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
    /// An absolute window: `start` inclusive, `end` exclusive; a date-only
    /// `end` includes that whole day.
    DateWindow {
        #[cfg_attr(feature = "serde", serde(default))]
        /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, optional `Z`/`±HH:MM`.
        start: Option<String>,
        #[cfg_attr(feature = "serde", serde(default))]
        /// Same format as `start`.
        end: Option<String>,
        #[cfg_attr(feature = "serde", serde(default))]
        /// IANA zone for times without offset. Default `UTC`.
        time_zone: Option<String>,
    },
    #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
    /// Weekly opening hours in a named timezone.
    Schedule {
        /// IANA zone, e.g. `Europe/Paris`.
        time_zone: String,
        /// Slots; the condition holds inside any of them.
        slots: Vec<Slot>,
    },
    /// The page was scrolled to at least `percent` (0-100).
    ScrollDepth {
        /// Threshold.
        percent: u8,
    },
    /// The element matched by `selector` is (at least partly) in view.
    ElementVisible {
        /// A CSS selector the browser observes.
        selector: String,
    },
    /// A page-supplied JS predicate named `name` returned true.
    Predicate {
        /// The predicate's registered name.
        name: String,
    },
    /// The agent-availability signal is true.
    AgentAvailable {},
    /// Every child holds (an empty list holds).
    All {
        /// The children.
        of: Vec<Condition>,
    },
    /// At least one child holds (an empty list does not).
    Any {
        /// The children.
        of: Vec<Condition>,
    },
    /// The child does not hold.
    Not {
        /// The child.
        of: Box<Condition>,
    },
}

/// A string matcher: exactly one of `equals`, `prefix`, `glob`, `regex`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct TextMatch {
    /// Whole-string equality.
    #[cfg_attr(feature = "serde", serde(default))]
    pub equals: Option<String>,
    /// Starts with.
    #[cfg_attr(feature = "serde", serde(default))]
    pub prefix: Option<String>,
    /// Whole-string glob: `*` any run, `?` one character, `\` escapes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub glob: Option<String>,
    /// A pattern for the host's regex engine (JS `RegExp` syntax in the
    /// browser); unanchored unless it anchors itself.
    #[cfg_attr(feature = "serde", serde(default))]
    pub regex: Option<String>,
    /// Case-insensitive matching. Default false.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ignore_case: bool,
}

/// Touch-device fallback for exit intent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum TouchFallback {
    /// Only the pointer leaving through the top edge counts.
    #[default]
    None,
    /// A fast scroll towards the top also counts.
    FastScrollUp,
    /// The page becoming hidden (`visibilitychange`) also counts.
    VisibilityHidden,
}

crate::core::json::json_unit_enum!(TouchFallback, [None = "none", FastScrollUp = "fastScrollUp", VisibilityHidden = "visibilityHidden"]);

/// One weekly slot: `days` from `from` to `to` local time. `to` before
/// `from` runs past midnight into the next day; `to` may be `24:00`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct Slot {
    /// `mon`..`sun` (case-insensitive, full names accepted).
    pub days: Vec<String>,
    /// `HH:MM`.
    pub from: String,
    /// `HH:MM`.
    pub to: String,
}

/// What happens when missing placeholders are met in a template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum MissingData {
    /// Replace the placeholder with nothing (default).
    #[default]
    Empty,
    /// Leave `{name}` visible.
    Keep,
    /// Do not show the invite (the rule waits for the data).
    Skip,
}

crate::core::json::json_unit_enum!(MissingData, [Empty = "empty", Keep = "keep", Skip = "skip"]);

/// A context value: a JSON primitive (in a rule, strings are templates).
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string; in a rule, a template.
    Str(String),
}

/// The invite to show.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct Action {
    /// The invite text template, plain text (never HTML).
    pub message: String,
    /// Context entries merged into the chat context; string values are
    /// templates. `Proactive Chat = "True"` is always added. JSON: an
    /// object of primitives.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "context_map"))]
    pub context: Vec<(String, ContextValue)>,
    /// Optional first question shown in the invite (scenario 8).
    pub prechat_question: Option<String>,
    /// Run the pre-chat survey after acceptance. Default true.
    pub show_prechat: bool,
    /// Close the invite after this long if ignored; 0 = never. Default 60 000.
    pub auto_close_ms: Millis,
    /// Ask the browser layer to reset the visit counter when shown.
    pub reset_visit_count: bool,
    /// Unknown placeholders: `empty` (default), `keep` or `skip`.
    pub missing_data: MissingData,
}

/// The default invite text, as `startProactiveChat`'s default.
pub const DEFAULT_MESSAGE: &str = "Hi! Have any questions? I'm here to help.";

impl Default for Action {
    fn default() -> Self {
        Action {
            message: DEFAULT_MESSAGE.into(),
            context: Vec::new(),
            prechat_question: None,
            show_prechat: true,
            auto_close_ms: 60_000,
            reset_visit_count: false,
            missing_data: MissingData::Empty,
        }
    }
}

/// How often one rule may show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum Once {
    /// No per-rule limit (other caps still apply).
    None,
    /// Once per page view (an SPA navigation starts a new one).
    PageView,
    /// Once per session (default).
    #[default]
    Session,
    /// Once per visitor, ever (as long as the saved state lives).
    Visitor,
}

crate::core::json::json_unit_enum!(Once, [None = "none", PageView = "pageView", Session = "session", Visitor = "visitor"]);

/// Per-rule caps.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields, default))]
pub struct Caps {
    /// Show at most once per page view / session / visitor.
    pub once: Once,
    /// After the visitor dismisses this rule's invite, wait this long before
    /// it may show again. Default 0.
    pub cooldown_after_dismiss_ms: Millis,
    /// Show only while the agent-availability signal is true.
    pub require_agent_available: bool,
}

/// Reads a JSON object of primitives into ordered pairs, with a clear error
/// for nested values.
#[cfg(feature = "serde")]
fn context_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, ContextValue)>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<(String, ContextValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of strings, numbers or booleans")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = m.next_entry::<String, serde_json::Value>()? {
                let v = match v {
                    serde_json::Value::Bool(b) => ContextValue::Bool(b),
                    serde_json::Value::Number(n) => ContextValue::Num(n.as_f64().unwrap_or(0.0)),
                    serde_json::Value::String(s) => ContextValue::Str(s),
                    _ => {
                        return Err(serde::de::Error::custom(format_args!(
                            "context value for `{k}` must be a string, number or boolean"
                        )))
                    }
                };
                out.push((k, v));
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}
