//! A follower tab: applies what the leader relays and reports it with the
//! same events the leader's page sees.

use crate::core::protocol::{ConversationInfo, ConversationState, Sender};
use crate::core::tabs::{Follower, FollowerApplied, Seen, TabMsg};
use crate::web::events::{dispatch, report_refused};
use crate::web::session::{self, emit};
use crate::web::state::Inner;
use std::rc::Weak;

/// A follower applies a leader's relay; returns a state to report.
pub fn follow(f: &mut Follower, m: TabMsg, inner: &Weak<Inner>) -> Option<ConversationInfo> {
    match m {
        TabMsg::Message { message } => {
            match f.apply(message.clone()) {
                FollowerApplied::New(s) => show(&s),
                FollowerApplied::Duplicate => {}
                FollowerApplied::Gap => {
                    if let Some(stored) = inner.upgrade().and_then(|i| session::load_stored(&i)) {
                        for s in f.catch_up(&stored) {
                            show(&s);
                        }
                    }
                    if let FollowerApplied::New(s) = f.apply(message) {
                        show(&s);
                    }
                }
            }
            None
        }
        TabMsg::Refused { client_id } => {
            if f.pending.ack(&client_id).is_some() {
                report_refused(&client_id, &format!("message {client_id} was refused by the chat server"));
            }
            None
        }
        TabMsg::State { conversation } => Some(conversation),
        TabMsg::Read { reader, seq } => {
            if f.read.advance(reader, seq) {
                if let Some(id) = inner.upgrade().and_then(|i| i.tabs.borrow().as_ref().map(|t| t.conversation_id().to_owned())) {
                    session::read_event(&id, reader, seq);
                }
            }
            None
        }
        TabMsg::Leader | TabMsg::MarkRead { .. } | TabMsg::Send { .. } | TabMsg::Ended { .. } | TabMsg::Video { .. } | TabMsg::NeedToken | TabMsg::Token { .. } | TabMsg::Connection { .. } => None,
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
