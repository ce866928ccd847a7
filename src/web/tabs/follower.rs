//! A follower tab: applies what the leader relays and reports it with the
//! same events the leader's page sees.

use crate::core::protocol::{ConversationInfo, ConversationState, Sender};
use crate::core::tabs::{Follower, FollowerApplied, Seen, TabMsg};
use crate::web::events::{dispatch, report_refused};
use crate::web::session::{self, emit};
use crate::web::state::Inner;
use std::rc::Weak;

/// What a follower reports of a relay, once it has let go of its state:
/// the page's handlers of these events may call the SDK (`getMessages()`,
/// `markRead()`), which reads that state again.
pub enum Report {
    /// Messages newly visible, in order.
    Shown(Vec<Seen>),
    /// This tab's send was refused.
    Refused(String),
    /// The conversation's state.
    State(ConversationInfo),
    /// A read receipt moved.
    Read(Sender, u64),
}

/// A follower applies a leader's relay; returns what to report.
pub fn follow(f: &mut Follower, m: TabMsg, inner: &Weak<Inner>) -> Option<Report> {
    match m {
        TabMsg::Message { message } => {
            let mut shown = Vec::new();
            match f.apply(message.clone()) {
                FollowerApplied::New(s) => shown.push(s),
                FollowerApplied::Duplicate => {}
                FollowerApplied::Gap => {
                    if let Some(stored) = inner.upgrade().and_then(|i| session::load_stored(&i)) {
                        shown.extend(f.catch_up(&stored));
                    }
                    if let FollowerApplied::New(s) = f.apply(message) {
                        shown.push(s);
                    }
                }
            }
            Some(Report::Shown(shown))
        }
        TabMsg::Refused { client_id } => f.pending.ack(&client_id).map(|_| Report::Refused(client_id)),
        TabMsg::State { conversation } => Some(Report::State(conversation)),
        TabMsg::Read { reader, seq } => f.read.advance(reader, seq).then_some(Report::Read(reader, seq)),
        TabMsg::Leader | TabMsg::MarkRead { .. } | TabMsg::CheckSocket | TabMsg::Typing { .. } | TabMsg::Send { .. } | TabMsg::Ended { .. } | TabMsg::Video { .. } | TabMsg::NeedToken | TabMsg::Token { .. } | TabMsg::Connection { .. } => None,
    }
}

/// Reports what [`follow`] returned (the tab's state no longer borrowed).
pub fn report(r: Report, conversation_id: &str) {
    match r {
        Report::Shown(seen) => seen.iter().for_each(show),
        Report::Refused(id) => report_refused(&id, &format!("message {id} was refused by the chat server")),
        Report::State(c) => conversation_state(&c),
        Report::Read(reader, seq) => session::read_event(conversation_id, reader, seq),
    }
}

/// Events for a message newly visible in a follower.
pub fn show(s: &Seen) {
    match (&s.own, s.message.sender) {
        (Some(p), _) => dispatch("lcw:onMessageSent", &emit::sent_js(p, Some(s.message.seq))),
        (None, Sender::Visitor) => dispatch("lcw:onMessageSent", &emit::message_js(&s.message)),
        _ => dispatch("lcw:onMessageReceived", &emit::message_js(&s.message)),
    }
}

/// Events for a state change relayed to a follower, as the leader reports
/// them (a follower never announces the agent joining a second time).
pub fn conversation_state(c: &ConversationInfo) {
    emit::state_events(c, ConversationState::Active);
}
