//! One compiled rule: validation of the action and caps, and rendering of
//! its invite.

use super::conditions::{Compiler, Cond, MAX_MS};
use super::decisions::{Invite, PROACTIVE_KEY};
use super::signals::Page;
use super::spec::{Action, Caps, ContextValue, Millis, Rule};
use super::template::{Fill, Template};

/// A context value: fixed, or a template.
pub(crate) enum CtxTpl {
    Fixed(ContextValue),
    Tpl(Template),
}

/// A validated rule with its runtime flags.
pub(crate) struct Compiled {
    pub(crate) id: String,
    pub(crate) enabled: bool,
    pub(crate) priority: i32,
    pub(crate) cond: Cond,
    pub(crate) message: Template,
    pub(crate) context: Vec<(String, CtxTpl)>,
    pub(crate) prechat: Option<Template>,
    pub(crate) action: Action,
    pub(crate) caps: Caps,
    pub(crate) shown_on_page: bool,
    pub(crate) entry: Option<usize>,
}

pub(crate) fn check_ms(v: Millis, what: &str) -> Result<(), String> {
    if v > MAX_MS {
        return Err(format!("{what} above one year"));
    }
    Ok(())
}

/// Validates and compiles one rule; `cx` carries the host engines and a
/// scratch copy of the needs (kept only if the rule is valid).
pub(crate) fn compile(r: Rule, cx: &mut Compiler, dup: bool) -> Result<Compiled, String> {
    if r.id.is_empty() || r.id.len() > 64 {
        return Err("`id` must be 1 to 64 characters".into());
    }
    if dup {
        return Err("duplicate rule id; this one is ignored".into());
    }
    let cond = cx.compile(&r.when, 0)?;
    let needs = &mut *cx.needs;
    let a = &r.action;
    if a.auto_close_ms != 0 && !(1_000..=86_400_000).contains(&a.auto_close_ms) {
        return Err("autoCloseMs must be 0 (never) or 1000 to 86400000".into());
    }
    check_ms(r.caps.cooldown_after_dismiss_ms, "cooldownAfterDismissMs")?;
    if a.context.len() > 99 {
        return Err("at most 99 context entries".into());
    }
    let message = Template::parse(&a.message, needs)?;
    let prechat = a
        .prechat_question
        .as_deref()
        .map(|q| Template::parse(q, needs))
        .transpose()?;
    let mut context = Vec::with_capacity(a.context.len());
    for (k, v) in &a.context {
        if k.is_empty() || k.len() > 100 {
            return Err("context names must be 1 to 100 characters".into());
        }
        if k == PROACTIVE_KEY || context.iter().any(|(n, _)| n == k) {
            return Err(format!("context name `{k}` is reserved or repeated"));
        }
        let v = match v {
            ContextValue::Str(s) => CtxTpl::Tpl(Template::parse(s, needs)?),
            ContextValue::Num(n) if !n.is_finite() => {
                return Err("context numbers must be finite".into())
            }
            other => CtxTpl::Fixed(other.clone()),
        };
        context.push((k.clone(), v));
    }
    let action = Action {
        context: Vec::new(),
        ..r.action
    };
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

impl Compiled {
    /// Renders the invite; `None` when a placeholder is missing and the rule
    /// says `skip`.
    pub(crate) fn render(&self, page: &Page, now: Millis, session_start: Millis) -> Option<Invite> {
        let r = self;
        let f = Fill {
            page,
            now,
            session_start,
            rule_id: &r.id,
        };
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
