//! What a leader tab's session tells the other tabs (src/web/tabs), and
//! the connection events every tab of a chat reports.

use crate::core::protocol::{self as p, ConversationInfo};
use std::cell::Cell;
use std::rc::Rc;

/// Told of what a leader tab's session applies (src/web/tabs).
pub type RelayHook = Rc<dyn Fn(Relay<'_>)>;

/// What a session tells its [`super::Session::set_relay`] hook.
pub enum Relay<'a> {
    /// A message newly in the timeline (agent, system, or an acked send).
    Message(&'a p::Message),
    /// The conversation's state.
    Conversation(&'a ConversationInfo),
    /// The server refused a send for good.
    Refused(&'a str),
    /// The conversation is over (closed, or the session is invalid).
    Ended,
    /// The conversation's video call changed.
    Video(&'a p::VideoCall),
    /// The socket dropped (`false`) or the server took it (`true`, on every
    /// welcome: a new leader's followers learn that it is connected).
    Connection(bool),
    /// A read receipt: this reader has seen up to this seq.
    Read(p::Sender, u64),
}

/// The chat's connection in the tab that shows it: `lcw:chatReconnecting`
/// when it goes down, `lcw:chatReconnected` when it is back; `down` keeps
/// the state, so each change is told once.
pub(crate) fn connection_event(down: &Cell<bool>, conversation_id: &str, connected: bool) {
    if down.replace(!connected) != connected {
        return;
    }
    let name = if connected { "lcw:chatReconnected" } else { "lcw:chatReconnecting" };
    crate::web::events::dispatch(name, &crate::web::args::obj(&[("conversationId", conversation_id.into())]));
}
