//! What the browser layer tells the engine ([`Input`]), what the engine
//! needs it to observe ([`Needs`]), and the per-page-view signal state.

use super::spec::Millis;

/// Which exit-intent gesture the browser saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// The pointer left the viewport through the top edge (`mouseout` with
    /// no related target and `clientY <= 0`).
    Pointer,
    /// Touch fallback: a fast scroll towards the top of the page.
    FastScrollUp,
    /// Touch fallback: `visibilitychange` to hidden.
    VisibilityHidden,
}

/// One thing that happened, fed to [`Engine::handle`](super::Engine::handle)
/// with the current time.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The timer set for the last `next_wake` fired (or any re-evaluation).
    Tick,
    /// A new page view: the initial load, or an SPA navigation
    /// (`pushState`/`replaceState`/`popstate`/`hashchange`). Resets time on
    /// page, scroll depth, exit intent, element visibility, predicates and
    /// page data. A page view with the same URL as the current one is
    /// ignored (e.g. `replaceState` of the same URL).
    PageView {
        /// `location.href`.
        url: String,
        /// `document.referrer` on load, the previous URL on SPA navigation,
        /// `""` when none.
        referrer: String,
        /// When the page view started (clamped to `now`).
        at: Millis,
    },
    /// The visitor's visit count from the browser's visit counter (1 on a
    /// first visit; a missing cookie is a first visit).
    VisitCount(u32),
    /// Maximum scroll depth of this page view so far, percent 0-100 (the
    /// engine keeps the maximum).
    ScrollDepth(u8),
    /// An exit-intent gesture. Momentary: exit-intent conditions hold only
    /// while this input is handled.
    ExitIntent(ExitKind),
    /// The visitor's country, ISO 3166-1 alpha-2; `None` when unknown or
    /// denied (a normal state, not an error).
    Country(Option<String>),
    /// Visibility of an observed selector (see [`Needs::selectors`]).
    ElementVisible {
        /// The selector exactly as in the rule.
        selector: String,
        /// Whether it is (at least partly) in view.
        visible: bool,
    },
    /// A custom page predicate's answer (see [`Needs::predicates`]); a
    /// predicate that threw should be reported `false`.
    Predicate {
        /// The predicate's name.
        name: String,
        /// Its answer.
        value: bool,
    },
    /// Page data for templates (`{caseId}`), e.g. from `data-lcw-*`
    /// attributes or a page call. Cleared on a new page view.
    PageData {
        /// Placeholder name.
        key: String,
        /// Plain-text value.
        value: String,
    },
    /// Agent availability (from `getAgentAvailability`).
    AgentAvailable(bool),
    /// The visitor accepted the invite of this rule.
    InviteAccepted(String),
    /// The visitor dismissed (closed) the invite of this rule.
    InviteDismissed(String),
    /// The host closed the invite after its timeout itself (the engine also
    /// expires it at `expires_at`; both are fine, the second is ignored).
    InviteExpired(String),
    /// A chat was opened (by an accepted invite or otherwise).
    ChatOpened,
    /// The chat was closed.
    ChatClosed,
    /// Forces a new session (e.g. the host's own session logic).
    NewSession,
}

/// What the browser layer must observe for the loaded rules; observe nothing
/// else (no listener, no observer, no predicate call) to keep idle pages idle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// CSS selectors to watch with an `IntersectionObserver`.
    pub selectors: Vec<String>,
    /// Names of custom page predicates to evaluate (on load and each page
    /// view) and report with [`Input::Predicate`].
    pub predicates: Vec<String>,
    /// Template placeholders that are not built in: page data to supply
    /// with [`Input::PageData`].
    pub page_data: Vec<String>,
    /// Listen for the pointer leaving through the top edge.
    pub exit_pointer: bool,
    /// Listen for fast scroll-up on touch devices.
    pub exit_fast_scroll_up: bool,
    /// Listen for `visibilitychange` to hidden on touch devices.
    pub exit_visibility_hidden: bool,
    /// Report scroll depth.
    pub scroll_depth: bool,
    /// Ask the country source.
    pub country: bool,
    /// Fetch agent availability.
    pub agent_availability: bool,
    /// Report the visit count.
    pub visit_count: bool,
}

impl Needs {
    pub(crate) fn intern(list: &mut Vec<String>, name: &str) -> usize {
        match list.iter().position(|s| s == name) {
            Some(i) => i,
            None => {
                list.push(name.into());
                list.len() - 1
            }
        }
    }
}

/// Signal state of the current page view and the visitor.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// Whether a page view has been seen at all.
    pub(crate) started: bool,
    pub(crate) url: String,
    pub(crate) path_end: (usize, usize),
    pub(crate) referrer: String,
    pub(crate) start: Millis,
    pub(crate) scroll: u8,
    pub(crate) exit: Option<ExitKind>,
    pub(crate) visible: Vec<bool>,
    pub(crate) predicates: Vec<bool>,
    pub(crate) data: Vec<(String, String)>,
    pub(crate) visits: Option<u32>,
    pub(crate) country: Option<[u8; 2]>,
    pub(crate) agent: Option<bool>,
}

impl Page {
    /// The path part of the URL: after `scheme://host`, before `?`/`#`.
    pub(crate) fn path(&self) -> &str {
        self.url.get(self.path_end.0..self.path_end.1).unwrap_or("")
    }

    pub(crate) fn set_url(&mut self, url: String) {
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        let start = if after_scheme == 0 {
            0
        } else {
            url[after_scheme..]
                .find(['/', '?', '#'])
                .map_or(url.len(), |i| i + after_scheme)
        };
        let end = url[start..]
            .find(['?', '#'])
            .map_or(url.len(), |i| i + start);
        self.path_end = (start, end);
        self.url = url;
    }
}

/// Parses a country code into upper-case ASCII letters.
pub(crate) fn country_code(s: &str) -> Option<[u8; 2]> {
    match s.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => None,
    }
}
