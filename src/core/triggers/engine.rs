//! The engine: `(rules, signals, now) -> decisions + next wake-up`.

use super::caps::{global_gate, rule_gate, Gate, State};
use super::conditions::{Compiler, Cond, Ctx, MAX_MS};
use super::load::{ConfigError, MAX_RULES};
use super::matchers::RegexEngine;
use super::schedule::TimeZoneDb;
use super::signals::{country_code, Input, Needs, Page};
use super::spec::{Action, Caps, Config, ContextValue, Millis, Settings};
use super::template::{Fill, Template};

/// The context key every invite carries.
pub const PROACTIVE_KEY: &str = "Proactive Chat";

/// An invite to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    /// The rule that fired (for `lcw:proactiveInviteShown` and the replies).
    pub rule_id: String,
    /// Plain text: set it with `textContent`, never `innerHTML`.
    pub message: String,
    /// Entries to merge into the chat context when the invite is accepted
    /// (`{name: {value, isDisplayable: true}}`), `Proactive Chat` first.
    pub context: Vec<(String, ContextValue)>,
    /// Optional first question (scenario 8), plain text.
    pub prechat_question: Option<String>,
    /// Run the pre-chat survey after acceptance.
    pub show_prechat: bool,
    /// When the engine will expire the invite (`None`: never).
    pub expires_at: Option<Millis>,
    /// Reset the browser's visit counter now (scenario 2).
    pub reset_visit_count: bool,
}

/// Why the engine closed an invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// Its auto-close timeout passed (`lcw:proactiveInviteExpired`).
    Expired,
    /// A chat was opened some other way; just hide the bubble.
    ChatOpened,
}

/// A decision for the browser layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Show this invite (`lcw:proactiveInviteShown`).
    ShowInvite(Invite),
    /// Hide the invite of `rule_id`.
    CloseInvite {
        /// The rule whose invite closes.
        rule_id: String,
        /// Why.
        reason: CloseReason,
    },
}

/// The result of one [`Engine::handle`] call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    /// What to do now, in order.
    pub decisions: Vec<Decision>,
    /// Set exactly one timer for this instant (replacing any previous one)
    /// and call [`Engine::handle`] with [`Input::Tick`] then. `None`: nothing
    /// can change by time alone; set no timer.
    pub next_wake: Option<Millis>,
    /// The persistent state changed: save [`Engine::state`] now.
    pub state_changed: bool,
}

enum CtxTpl {
    Fixed(ContextValue),
    Tpl(Template),
}

struct Compiled {
    id: String,
    enabled: bool,
    priority: i32,
    cond: Cond,
    message: Template,
    context: Vec<(String, CtxTpl)>,
    prechat: Option<Template>,
    action: Action,
    caps: Caps,
    shown_on_page: bool,
    entry: Option<usize>,
}

struct Showing {
    rule: usize,
    expires_at: Option<Millis>,
}

/// The proactive-chat engine. Pure: the host supplies time, signals, a
/// regex engine and timezone offsets.
pub struct Engine {
    settings: Settings,
    rules: Vec<Compiled>,
    needs: Needs,
    state: State,
    page: Page,
    showing: Option<Showing>,
    chat_open: bool,
    re: Box<dyn RegexEngine>,
    tz: Box<dyn TimeZoneDb>,
}

fn check_ms(v: Millis, what: &str) -> Result<(), String> {
    if v > MAX_MS {
        return Err(format!("{what} above one year"));
    }
    Ok(())
}

impl Engine {
    /// Builds an engine from a config and saved state. Invalid rules are
    /// returned as errors and left out; the others run.
    pub fn new(
        config: Config,
        re: Box<dyn RegexEngine>,
        tz: Box<dyn TimeZoneDb>,
        state: State,
        now: Millis,
    ) -> (Engine, Vec<ConfigError>) {
        let mut e = Engine {
            settings: Settings::default(),
            rules: Vec::new(),
            needs: Needs::default(),
            state,
            page: Page::default(),
            showing: None,
            chat_open: false,
            re,
            tz,
        };
        let errs = e.set_config(config, now);
        (e, errs)
    }

    /// Parses rule JSON and saved-state JSON (corrupt state: fresh) and
    /// builds the engine; see [`Config::from_json`].
    pub fn from_json(
        rules_json: &str,
        state_json: Option<&str>,
        re: Box<dyn RegexEngine>,
        tz: Box<dyn TimeZoneDb>,
        now: Millis,
    ) -> (Engine, Vec<ConfigError>) {
        let (cfg, mut errs) = Config::from_json(rules_json);
        let state = state_json.map_or_else(State::new, State::from_json);
        let (e, more) = Engine::new(cfg, re, tz, state, now);
        errs.extend(more);
        (e, errs)
    }

    /// Replaces the rules (e.g. when the server's widget config arrives),
    /// keeping state, page signals and any invite showing. Re-read
    /// [`Engine::needs`] afterwards and call `handle(Input::Tick, now)`.
    pub fn set_config(&mut self, config: Config, now: Millis) -> Vec<ConfigError> {
        let mut errs = Vec::new();
        let s = &config.settings;
        let bad = check_ms(s.min_gap_ms, "minGapMs")
            .and(check_ms(s.session_timeout_ms, "sessionTimeoutMs"))
            .and(if s.session_timeout_ms < 60_000 { Err("sessionTimeoutMs below 60000".into()) } else { Ok(()) });
        self.settings = match bad {
            Ok(()) => config.settings,
            Err(m) => {
                errs.push(ConfigError::new(None, format!("settings: {m}; defaults used")));
                Settings::default()
            }
        };
        let showing_id = self.showing.take().map(|s| (self.rules[s.rule].id.clone(), s.expires_at));
        self.rules.clear();
        self.needs = Needs::default();
        for r in config.rules.into_iter().take(MAX_RULES) {
            let id = r.id.clone();
            let dup = self.rules.iter().any(|c| c.id == id);
            match self.compile(r, now, dup) {
                Ok(c) => self.rules.push(c),
                Err(m) => errs.push(ConfigError::new(Some(&id).filter(|i| !i.is_empty() && i.len() <= 64).map(|s| s.as_str()), m)),
            }
        }
        let live: Vec<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
        self.state.prune(&live);
        for r in &mut self.rules {
            r.entry = self.state.rules.iter().position(|e| e.id == r.id);
        }
        self.page.visible.resize(self.needs.selectors.len(), false);
        self.page.predicates.resize(self.needs.predicates.len(), false);
        if let Some((id, expires_at)) = showing_id {
            if let Some(rule) = self.rules.iter().position(|r| r.id == id) {
                self.showing = Some(Showing { rule, expires_at });
            }
        }
        errs
    }

    fn compile(&mut self, r: super::spec::Rule, now: Millis, dup: bool) -> Result<Compiled, String> {
        if r.id.is_empty() || r.id.len() > 64 {
            return Err("`id` must be 1 to 64 characters".into());
        }
        if dup {
            return Err("duplicate rule id; this one is ignored".into());
        }
        // Compile into a scratch `Needs` so a failing rule registers nothing.
        let mut needs = self.needs.clone();
        let mut c = Compiler { re: &mut *self.re, tz: &*self.tz, needs: &mut needs, now, nodes: 0 };
        let cond = c.compile(&r.when, 0)?;
        let a = &r.action;
        if a.auto_close_ms != 0 && !(1_000..=86_400_000).contains(&a.auto_close_ms) {
            return Err("autoCloseMs must be 0 (never) or 1000 to 86400000".into());
        }
        check_ms(r.caps.cooldown_after_dismiss_ms, "cooldownAfterDismissMs")?;
        if a.context.len() > 99 {
            return Err("at most 99 context entries".into());
        }
        let message = Template::parse(&a.message, &mut needs)?;
        let prechat = a.prechat_question.as_deref().map(|q| Template::parse(q, &mut needs)).transpose()?;
        let mut context = Vec::with_capacity(a.context.len());
        for (k, v) in &a.context {
            if k.is_empty() || k.len() > 100 {
                return Err("context names must be 1 to 100 characters".into());
            }
            if k == PROACTIVE_KEY || context.iter().any(|(n, _)| n == k) {
                return Err(format!("context name `{k}` is reserved or repeated"));
            }
            let v = match v {
                ContextValue::Str(s) => CtxTpl::Tpl(Template::parse(s, &mut needs)?),
                ContextValue::Num(n) if !n.is_finite() => return Err("context numbers must be finite".into()),
                other => CtxTpl::Fixed(other.clone()),
            };
            context.push((k.clone(), v));
        }
        self.needs = needs;
        let action = Action { context: Vec::new(), ..r.action };
        Ok(Compiled {
            id: r.id,
            enabled: r.enabled,
            priority: r.priority,
            cond,
            message,
            context,
            prechat,
            action,
            caps: r.caps,
            shown_on_page: false,
            entry: None,
        })
    }

    /// What the browser must observe for the loaded rules.
    pub fn needs(&self) -> &Needs {
        &self.needs
    }

    /// The persistent state to save (see [`State`]).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The rule whose invite is showing, if any.
    pub fn showing(&self) -> Option<&str> {
        self.showing.as_ref().map(|s| self.rules[s.rule].id.as_str())
    }

    /// Ids of the loaded (valid) rules, in config order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Feeds one input at `now` (Unix ms) and re-evaluates.
    pub fn handle(&mut self, input: Input, now: Millis) -> Output {
        let mut out = Output::default();
        self.apply(input, now, &mut out);
        self.evaluate(now, &mut out);
        self.page.exit = None;
        out
    }

    fn close_showing(&mut self, id: &str) -> Option<usize> {
        let s = self.showing.as_ref()?;
        (self.rules[s.rule].id == id).then(|| self.showing.take().map(|s| s.rule)).flatten()
    }

    fn apply(&mut self, input: Input, now: Millis, out: &mut Output) {
        let p = &mut self.page;
        match input {
            Input::Tick => {}
            Input::PageView { url, referrer, at } => {
                if p.started && p.url == url {
                    return;
                }
                p.started = true;
                p.set_url(url);
                p.referrer = referrer;
                p.start = at.min(now);
                p.scroll = 0;
                p.data.clear();
                p.visible.iter_mut().for_each(|v| *v = false);
                p.predicates.iter_mut().for_each(|v| *v = false);
                self.rules.iter_mut().for_each(|r| r.shown_on_page = false);
                self.state.touch_session(now, self.settings.session_timeout_ms, false);
                out.state_changed = true;
            }
            Input::VisitCount(n) => p.visits = Some(n),
            Input::ScrollDepth(d) => p.scroll = p.scroll.max(d.min(100)),
            Input::ExitIntent(k) => p.exit = Some(k),
            Input::Country(c) => p.country = c.as_deref().and_then(country_code),
            Input::ElementVisible { selector, visible } => {
                if let Some(i) = self.needs.selectors.iter().position(|s| *s == selector) {
                    p.visible[i] = visible;
                }
            }
            Input::Predicate { name, value } => {
                if let Some(i) = self.needs.predicates.iter().position(|s| *s == name) {
                    p.predicates[i] = value;
                }
            }
            Input::PageData { key, mut value } => {
                if !self.needs.page_data.contains(&key) {
                    return;
                }
                if value.len() > 1000 {
                    let mut cut = 1000;
                    while !value.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    value.truncate(cut);
                }
                match p.data.iter_mut().find(|(k, _)| *k == key) {
                    Some(e) => e.1 = value,
                    None => p.data.push((key, value)),
                }
            }
            Input::AgentAvailable(a) => p.agent = Some(a),
            Input::InviteAccepted(id) | Input::InviteExpired(id) => {
                self.close_showing(&id);
            }
            Input::InviteDismissed(id) => {
                self.close_showing(&id);
                if let Some(r) = self.rules.iter_mut().find(|r| r.id == id) {
                    let i = self.state.entry(&id);
                    r.entry = Some(i);
                    self.state.rules[i].last_dismissed = now.max(1);
                    out.state_changed = true;
                }
            }
            Input::ChatOpened => {
                self.chat_open = true;
                if let Some(s) = self.showing.take() {
                    let rule_id = self.rules[s.rule].id.clone();
                    out.decisions.push(Decision::CloseInvite { rule_id, reason: CloseReason::ChatOpened });
                }
            }
            Input::ChatClosed => self.chat_open = false,
            Input::NewSession => {
                self.state.touch_session(now, self.settings.session_timeout_ms, true);
                out.state_changed = true;
            }
        }
    }

    fn evaluate(&mut self, now: Millis, out: &mut Output) {
        if let Some(s) = &self.showing {
            match s.expires_at {
                Some(t) if now >= t => {
                    let rule_id = self.rules[s.rule].id.clone();
                    self.showing = None;
                    out.decisions.push(Decision::CloseInvite { rule_id, reason: CloseReason::Expired });
                }
                t => {
                    out.next_wake = t;
                    return;
                }
            }
        }
        if self.chat_open || !self.page.started {
            return;
        }
        if self.settings.require_agent_available && self.page.agent != Some(true) {
            return;
        }
        let global = match global_gate(&self.state, &self.settings, now) {
            Gate::Closed => return,
            Gate::Until(t) => Some(t),
            Gate::Open => None,
        };
        let cx = Ctx { now, page: &self.page, session_start: self.state.session_start, re: &*self.re, tz: &*self.tz };
        let mut next: Option<Millis> = None;
        let mut cands: Vec<usize> = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            if !r.enabled {
                continue;
            }
            let entry = r.entry.and_then(|e| self.state.rules.get(e));
            let until = match rule_gate(&r.caps, entry, r.shown_on_page, cx.session_start, self.page.agent, now) {
                Gate::Closed => continue,
                Gate::Until(t) => Some(t.max(global.unwrap_or(0))),
                Gate::Open => global,
            };
            let wake = match (r.cond.eval(&cx), until) {
                ((true, _), None) => {
                    cands.push(i);
                    None
                }
                ((true, _), Some(t)) => Some(t),
                ((false, Some(d)), t) => Some(d.max(t.unwrap_or(0))),
                ((false, None), _) => None,
            };
            if let Some(w) = wake {
                next = Some(next.map_or(w, |n| n.min(w)));
            }
        }
        // Highest priority first; ties keep config order (stable sort).
        cands.sort_by_key(|&i| std::cmp::Reverse(self.rules[i].priority));
        for i in cands {
            if let Some(inv) = self.render(i, now) {
                self.record_shown(i, now);
                self.showing = Some(Showing { rule: i, expires_at: inv.expires_at });
                out.next_wake = inv.expires_at;
                out.state_changed = true;
                if inv.reset_visit_count {
                    self.page.visits = Some(0);
                }
                out.decisions.push(Decision::ShowInvite(inv));
                return;
            }
        }
        out.next_wake = next.map(|n| n.max(now + 1));
    }

    fn record_shown(&mut self, i: usize, now: Millis) {
        let st = &mut self.state;
        let r = &mut self.rules[i];
        let e = st.entry(&r.id);
        r.entry = Some(e);
        r.shown_on_page = true;
        st.session_invites = st.session_invites.saturating_add(1);
        st.last_invite = now.max(1);
        let e = &mut st.rules[e];
        e.shown = e.shown.saturating_add(1);
        e.last_shown = now.max(1);
        e.session = st.session_start;
    }

    fn render(&self, i: usize, now: Millis) -> Option<Invite> {
        let r = &self.rules[i];
        let f = Fill { page: &self.page, now, session_start: self.state.session_start, rule_id: &r.id };
        let miss = r.action.missing_data;
        let message = r.message.render(&f, miss)?;
        let prechat_question = match &r.prechat {
            Some(t) => Some(t.render(&f, miss)?),
            None => None,
        };
        let mut context = Vec::with_capacity(r.context.len() + 1);
        context.push((PROACTIVE_KEY.to_string(), ContextValue::Str("True".into())));
        for (k, v) in &r.context {
            let v = match v {
                CtxTpl::Fixed(v) => v.clone(),
                CtxTpl::Tpl(t) => match t.as_number(&f) {
                    Some(n) => ContextValue::Num(n),
                    None => ContextValue::Str(t.render(&f, miss)?),
                },
            };
            context.push((k.clone(), v));
        }
        let a = &r.action;
        Some(Invite {
            rule_id: r.id.clone(),
            message,
            context,
            prechat_question,
            show_prechat: a.show_prechat,
            expires_at: (a.auto_close_ms > 0).then(|| now.saturating_add(a.auto_close_ms)),
            reset_visit_count: a.reset_visit_count,
        })
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("rules", &self.rules.len()).field("state", &self.state).finish()
    }
}
