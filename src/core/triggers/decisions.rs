//! What the engine tells the browser layer.

use super::spec::{ContextValue, Millis};

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
