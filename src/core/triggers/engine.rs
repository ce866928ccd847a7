//! The engine: `(rules, signals, now) -> decisions + next wake-up`.

use super::caps::{global_gate, rule_gate, Gate, State};
use super::conditions::{Compiler, Ctx};
use super::decisions::{CloseReason, Decision, Output};
use super::load::{cap_reports, ConfigError, MAX_RULES};
use super::matchers::RegexEngine;
use super::rule::{check_ms, compile, Compiled};
use super::schedule::{MemoTz, TimeZoneDb};
use super::signals::{country_code, Input, Needs, Page};
use super::spec::{Config, Millis, Once, Settings};

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
            tz: Box::new(MemoTz::new(tz)),
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
        cap_reports(&mut errs);
        (e, errs)
    }

    /// Reads rule JSON and replaces the rules with it, as
    /// [`Engine::set_config`]; the problems of both steps, at most
    /// [`MAX_REPORTED`](super::load::MAX_REPORTED) of them.
    pub fn set_rules_json(&mut self, rules_json: &str, now: Millis) -> Vec<ConfigError> {
        let (cfg, mut errs) = Config::from_json(rules_json);
        errs.extend(self.set_config(cfg, now));
        cap_reports(&mut errs);
        errs
    }

    /// Replaces the rules (e.g. when the server's widget config arrives),
    /// keeping state, page signals and any invite showing. Re-read
    /// [`Engine::needs`] afterwards and call `handle(Input::Tick, now)`.
    pub fn set_config(&mut self, config: Config, now: Millis) -> Vec<ConfigError> {
        let mut errs = Vec::new();
        let s = &config.settings;
        let bad = check_ms(s.min_gap_ms, "minGapMs")
            .and(check_ms(s.session_timeout_ms, "sessionTimeoutMs"))
            .and(if s.session_timeout_ms < 60_000 {
                Err("sessionTimeoutMs below 60000".into())
            } else {
                Ok(())
            });
        self.settings = match bad {
            Ok(()) => config.settings,
            Err(m) => {
                errs.push(ConfigError::new(
                    None,
                    format!("settings: {m}; defaults used"),
                ));
                Settings::default()
            }
        };
        let showing_id = self
            .showing
            .take()
            .map(|s| (self.rules[s.rule].id.clone(), s.expires_at));
        self.rules.clear();
        self.needs = Needs::default();
        for r in config.rules.into_iter().take(MAX_RULES) {
            let id = r.id.clone();
            let dup = self.rules.iter().any(|c| c.id == id);
            // Compile into a scratch `Needs` so a failing rule registers nothing.
            let mut needs = self.needs.clone();
            let mut cx = Compiler {
                re: &mut *self.re,
                tz: &*self.tz,
                needs: &mut needs,
                now,
                nodes: 0,
            };
            let res = compile(r, &mut cx, dup);
            if res.is_ok() {
                self.needs = needs;
            }
            match res {
                Ok(c) => self.rules.push(c),
                Err(m) => errs.push(ConfigError::new(
                    Some(&id)
                        .filter(|i| !i.is_empty() && i.len() <= 64)
                        .map(|s| s.as_str()),
                    m,
                )),
            }
        }
        let live: Vec<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
        self.state.prune(&live);
        for r in &mut self.rules {
            r.entry = self.state.rules.iter().position(|e| e.id == r.id);
        }
        self.page.visible.resize(self.needs.selectors.len(), false);
        self.page
            .predicates
            .resize(self.needs.predicates.len(), false);
        if let Some((id, expires_at)) = showing_id {
            if let Some(rule) = self.rules.iter().position(|r| r.id == id) {
                self.showing = Some(Showing { rule, expires_at });
            }
        }
        errs
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
        self.showing
            .as_ref()
            .map(|s| self.rules[s.rule].id.as_str())
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
        (self.rules[s.rule].id == id)
            .then(|| self.showing.take().map(|s| s.rule))
            .flatten()
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
                self.state
                    .touch_session(now, self.settings.session_timeout_ms, false);
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
                // Only a cooldown needs the dismissal remembered.
                let rule = self
                    .rules
                    .iter_mut()
                    .find(|r| r.id == id && r.caps.cooldown_after_dismiss_ms > 0);
                if let Some(r) = rule {
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
                    out.decisions.push(Decision::CloseInvite {
                        rule_id,
                        reason: CloseReason::ChatOpened,
                    });
                }
            }
            Input::ChatClosed => self.chat_open = false,
            Input::NewSession => {
                self.state
                    .touch_session(now, self.settings.session_timeout_ms, true);
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
                    out.decisions.push(Decision::CloseInvite {
                        rule_id,
                        reason: CloseReason::Expired,
                    });
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
        let cx = Ctx {
            now,
            page: &self.page,
            session_start: self.state.session_start,
            re: &*self.re,
            tz: &*self.tz,
        };
        let mut next: Option<Millis> = None;
        let mut cands: Vec<usize> = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            if !r.enabled {
                continue;
            }
            let entry = r.entry.and_then(|e| self.state.rules.get(e));
            let until = match rule_gate(
                &r.caps,
                entry,
                r.shown_on_page,
                cx.session_start,
                self.page.agent,
                now,
            ) {
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
            if let Some(inv) = self.rules[i].render(&self.page, now, self.state.session_start) {
                self.record_shown(i, now);
                self.showing = Some(Showing {
                    rule: i,
                    expires_at: inv.expires_at,
                });
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

    /// Records a show. Per-rule history is persisted only for rules whose
    /// caps need it (once per session/visitor), keeping the state small.
    fn record_shown(&mut self, i: usize, now: Millis) {
        let st = &mut self.state;
        let r = &mut self.rules[i];
        r.shown_on_page = true;
        st.session_invites = st.session_invites.saturating_add(1);
        st.last_invite = now.max(1);
        if matches!(r.caps.once, Once::Session | Once::Visitor) && r.entry.is_none() {
            r.entry = Some(st.entry(&r.id));
        }
        let Some(e) = r.entry else { return };
        let e = &mut st.rules[e];
        e.shown = e.shown.saturating_add(1);
        e.last_shown = now.max(1);
        e.session = st.session_start;
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules.len())
            .field("state", &self.state)
            .finish()
    }
}
