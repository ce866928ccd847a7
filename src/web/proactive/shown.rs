//! The invite on screen: showing it (a rule's decision or
//! `startProactiveChat`), placing it above the widget's launcher, and what
//! the visitor does with it (accept starts the chat, dismiss, expiry).

use super::{detail, drop_later, feed, invite, to_context, Shown, MANUAL_AUTO_CLOSE_MS, MANUAL_RULE};
use crate::core::context::{Context, Value};
use crate::core::triggers::{CloseReason, Input, Invite, PROACTIVE_KEY};
use crate::web::events::dispatch;
use crate::web::state::Inner;
use std::rc::Rc;

/// Puts the shown bubble, if any, above the default widget's launcher
/// while the launcher is on screen: when the bubble shows, when the widget
/// mounts, when the launcher shows again.
pub fn place_bubble(inner: &Inner) {
    #[cfg(feature = "ui")]
    if let (Some(b), Some(a)) = (inner.proactive.bubble.borrow().as_ref(), crate::web::default_ui::launcher_anchor(inner)) {
        b.place(&a);
    }
    #[cfg(not(feature = "ui"))]
    let _ = inner;
}

/// Removes the bubble and forgets the shown invite.
pub(super) fn hide(inner: &Inner) -> Option<Shown> {
    let p = &inner.proactive;
    drop_later((p.bubble.take(), p.manual_timer.take()));
    p.shown.take()
}

/// Shows a bubble for `rule_id`, replacing any other; `lcw:proactiveInviteShown`.
fn present(inner: &Inner, rule_id: &str, message: &str, question: Option<&str>, context: Context, manual: bool) {
    let p = &inner.proactive;
    if let Some(old) = hide(inner) {
        if old.manual {
            dispatch("lcw:proactiveInviteExpired", &detail(&old.rule_id, None));
        } else {
            feed(inner, Input::InviteExpired(old.rule_id));
        }
    }
    let weak = p.weak();
    let (w1, r1) = (weak.clone(), rule_id.to_string());
    let (w2, r2) = (weak, rule_id.to_string());
    let shown = invite::show(
        &invite::Content { message, question, locale: inner.locale.borrow().as_deref() },
        Rc::new(move || if let Some(i) = w1.upgrade() { accept(&i, &r1) }),
        Rc::new(move || if let Some(i) = w2.upgrade() { dismiss(&i, &r2) }),
    );
    match shown {
        Ok(b) => {
            *p.bubble.borrow_mut() = Some(b);
            place_bubble(inner);
            *p.shown.borrow_mut() = Some(Shown { rule_id: rule_id.into(), context, manual });
            dispatch("lcw:proactiveInviteShown", &detail(rule_id, Some(message)));
            crate::web::lazy::prefetch(p.weak());
        }
        // No document body to show it in: the invite cannot be seen.
        Err(_) if !manual => feed(inner, Input::InviteExpired(rule_id.into())),
        Err(_) => {}
    }
}

pub(super) fn show_rule(inner: &Inner, inv: Invite) {
    if inv.reset_visit_count {
        inner.visits.borrow_mut().reset(false);
    }
    present(inner, &inv.rule_id, &inv.message, inv.prechat_question.as_deref(), to_context(&inv.context), false);
}

pub(super) fn close_rule(inner: &Inner, rule_id: &str, reason: CloseReason) {
    let matches = inner.proactive.shown.borrow().as_ref().is_some_and(|s| !s.manual && s.rule_id == rule_id);
    if matches {
        hide(inner);
        if reason == CloseReason::Expired {
            dispatch("lcw:proactiveInviteExpired", &detail(rule_id, None));
        }
    }
}

fn take_shown(inner: &Inner, rule_id: &str) -> Option<Shown> {
    if inner.proactive.shown.borrow().as_ref().is_some_and(|s| s.rule_id == rule_id) {
        hide(inner)
    } else {
        None
    }
}

/// The visitor accepted: `lcw:proactiveInviteAccepted`, then the chat starts
/// with the invite's context merged over the page's.
fn accept(inner: &Rc<Inner>, rule_id: &str) {
    let Some(shown) = take_shown(inner, rule_id) else { return };
    if !shown.manual {
        feed(inner, Input::InviteAccepted(rule_id.into()));
    }
    dispatch("lcw:proactiveInviteAccepted", &detail(rule_id, None));
    wasm_bindgen_futures::spawn_local(crate::web::chat::start(inner.clone(), None, Some(shown.context)));
}

/// The visitor dismissed (button or Escape): `lcw:proactiveInviteDismissed`.
fn dismiss(inner: &Inner, rule_id: &str) {
    let Some(shown) = take_shown(inner, rule_id) else { return };
    if !shown.manual {
        feed(inner, Input::InviteDismissed(rule_id.into()));
    }
    dispatch("lcw:proactiveInviteDismissed", &detail(rule_id, None));
}

/// `startProactiveChat`: an invite outside the rules, closed after 60 s.
pub fn show_manual(inner: &Inner, message: &str, mut context: Context) {
    context.0.retain(|(k, _)| k != PROACTIVE_KEY);
    context.0.insert(0, (PROACTIVE_KEY.into(), crate::core::context::Entry { value: Value::Str("True".into()), is_displayable: true }));
    present(inner, MANUAL_RULE, message, None, context, true);
    let p = &inner.proactive;
    if p.shown.borrow().as_ref().is_some_and(|s| s.manual) {
        let weak = p.weak();
        let t = crate::web::timeout(MANUAL_AUTO_CLOSE_MS, Box::new(move || {
            let Some(inner) = weak.upgrade() else { return };
            if inner.proactive.shown.borrow().as_ref().is_some_and(|s| s.manual) {
                hide(&inner);
                dispatch("lcw:proactiveInviteExpired", &detail(MANUAL_RULE, None));
            }
        }));
        drop_later(p.manual_timer.replace(Some(t)));
    }
}
