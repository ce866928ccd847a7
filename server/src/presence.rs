//! Visitor presence: an open conversation that has had no visitor chat
//! socket for `visitor_gone_close_secs` is closed by the server, as its
//! visitor closed the tab without ending the chat (the agent would wait
//! for nobody, and a waiting conversation would keep its place in line).
//!
//! Each authenticated visitor chat socket holds a [`VisitorSocket`]; when
//! the conversation's last one goes, the clock starts (a wait with a fresh
//! mark), and a socket that comes back meanwhile cancels it. The clock also
//! starts when a conversation is created (the page may die before its
//! socket opens) and, at start-up, for every open conversation recovered.
//! Sockets dropped because the server is stopping do not start it, and a
//! stop ends every wait.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lcw_sdk::core::protocol::Sender;

use crate::state::{App, AppState};

/// The system message of a conversation closed because its visitor left.
pub const VISITOR_LEFT: &str = "Conversation ended: the visitor left";

/// One conversation's visitor sockets and pending close.
#[derive(Debug, Default)]
struct Entry {
    /// Visitor chat sockets open.
    sockets: u32,
    /// The mark of the clock running since the last one went, if any.
    mark: Option<u64>,
}

/// Visitor chat sockets open per conversation, and the clocks of those
/// that have none (only conversations with either are kept).
#[derive(Debug, Default)]
pub struct VisitorPresence {
    convs: Mutex<HashMap<String, Entry>>,
    next_mark: AtomicU64,
}

impl VisitorPresence {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.convs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a visitor chat socket in; cancels the conversation's clock.
    pub fn arrive(&self, conversation_id: &str) {
        let mut convs = self.lock();
        let e = convs.entry(conversation_id.to_string()).or_default();
        e.sockets += 1;
        e.mark = None;
    }

    /// Counts a visitor chat socket out; returns the sockets left.
    pub fn leave(&self, conversation_id: &str) -> u32 {
        let mut convs = self.lock();
        let Some(e) = convs.get_mut(conversation_id) else { return 0 };
        e.sockets = e.sockets.saturating_sub(1);
        e.sockets
    }

    /// Starts the clock of a conversation with no socket: the mark of this
    /// start (a later one supersedes it). `None` when a socket is open.
    pub fn start_clock(&self, conversation_id: &str) -> Option<u64> {
        let mut convs = self.lock();
        let e = convs.entry(conversation_id.to_string()).or_default();
        if e.sockets > 0 {
            return None;
        }
        let mark = self.next_mark.fetch_add(1, Ordering::Relaxed) + 1;
        e.mark = Some(mark);
        Some(mark)
    }

    /// Whether the clock that `mark` started is still running: no socket
    /// came since (nor a later start). Forgets the conversation when so.
    pub fn still_gone(&self, conversation_id: &str, mark: u64) -> bool {
        let mut convs = self.lock();
        let gone = convs.get(conversation_id).is_some_and(|e| e.sockets == 0 && e.mark == Some(mark));
        if gone {
            convs.remove(conversation_id);
        }
        gone
    }

    /// A conversation closed (or the socket of a closed one went): stops
    /// its clock, and forgets it when it has no socket.
    pub fn forget(&self, conversation_id: &str) {
        let mut convs = self.lock();
        let idle = convs.get_mut(conversation_id).map(|e| {
            e.mark = None;
            e.sockets == 0
        });
        if idle == Some(true) {
            convs.remove(conversation_id);
        }
    }
}

/// Held by an authenticated visitor chat socket for its life: when the
/// conversation's last one is dropped, the conversation's clock starts
/// ([`AppState::visitor_gone`]).
pub struct VisitorSocket {
    app: App,
    conversation_id: String,
}

impl Drop for VisitorSocket {
    fn drop(&mut self) {
        if self.app.visitors.leave(&self.conversation_id) == 0 {
            self.app.visitor_gone(&self.conversation_id);
        }
    }
}

impl AppState {
    /// Registers a visitor chat socket of the conversation (it cancels a
    /// pending close); the guard unregisters it.
    pub fn visitor_socket(self: &Arc<Self>, conversation_id: &str) -> VisitorSocket {
        self.visitors.arrive(conversation_id);
        VisitorSocket { app: self.clone(), conversation_id: conversation_id.to_string() }
    }

    /// The conversation has no visitor chat socket: unless one comes within
    /// `visitor_gone_close_secs`, it is closed ([`VISITOR_LEFT`]). Nothing
    /// starts when that is 0, when the conversation is closed, or when the
    /// server is stopping (its sockets going is not the visitor leaving).
    pub fn visitor_gone(self: &Arc<Self>, conversation_id: &str) {
        let secs = self.cfg.visitor_gone_close_secs;
        if secs == 0 || self.shutting_down() || !self.live().convs.contains_key(conversation_id) {
            return self.visitors.forget(conversation_id);
        }
        // A socket dropped while the runtime itself shuts down: nothing to run.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let Some(mark) = self.visitors.start_clock(conversation_id) else { return };
        let (app, conv) = (self.clone(), conversation_id.to_string());
        let mut shutdown = self.shutdown.clone();
        runtime.spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(secs)) => {}
                _ = shutdown.changed() => return,
            }
            if app.shutting_down() || !app.visitors.still_gone(&conv, mark) {
                return;
            }
            tracing::info!(conversation = %conv, secs, "no visitor socket: closing the conversation");
            if let Err(e) = app.close_because(&conv, Sender::System, VISITOR_LEFT.into()).await {
                tracing::warn!(error = %e.body.message, conversation = %conv, "conversation of a gone visitor not closed");
            }
        });
    }
}
