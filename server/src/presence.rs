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
//!
//! Agents see it: a conversation's agent view has `visitorAwaySince` while
//! the clock runs, and agents are sent the view again when a visitor's last
//! socket goes and when one comes back (not for the short wait between a
//! new conversation and its first socket).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lcw_sdk::core::protocol::{Millis, Sender};

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
    /// When the last one went (or the clock first started without one).
    away_since: Option<Millis>,
    /// Agents were told the visitor is away (so they are told when back).
    told: bool,
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
    /// Whether agents were told the visitor was away (they are told again).
    pub fn arrive(&self, conversation_id: &str) -> bool {
        let mut convs = self.lock();
        let e = convs.entry(conversation_id.to_string()).or_default();
        e.sockets += 1;
        e.mark = None;
        e.away_since = None;
        std::mem::take(&mut e.told)
    }

    /// Since when the conversation has had no visitor chat socket, while
    /// its clock runs.
    pub fn away_since(&self, conversation_id: &str) -> Option<Millis> {
        self.lock().get(conversation_id).filter(|e| e.sockets == 0 && e.mark.is_some()).and_then(|e| e.away_since)
    }

    /// Counts a visitor chat socket out; returns the sockets left.
    pub fn leave(&self, conversation_id: &str) -> u32 {
        let mut convs = self.lock();
        let Some(e) = convs.get_mut(conversation_id) else { return 0 };
        e.sockets = e.sockets.saturating_sub(1);
        e.sockets
    }

    /// Starts the clock of a conversation with no socket at `now`: the
    /// mark of this start (a later one supersedes it), and whether to tell
    /// agents the visitor is away (`tell`, and not told yet). `None` when
    /// a socket is open.
    pub fn start_clock(&self, conversation_id: &str, now: Millis, tell: bool) -> Option<(u64, bool)> {
        let mut convs = self.lock();
        let e = convs.entry(conversation_id.to_string()).or_default();
        if e.sockets > 0 {
            return None;
        }
        let mark = self.next_mark.fetch_add(1, Ordering::Relaxed) + 1;
        e.mark = Some(mark);
        e.away_since.get_or_insert(now);
        let newly = tell && !e.told;
        e.told |= tell;
        Some((mark, newly))
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
            e.away_since = None;
            e.told = false;
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
            self.app.visitor_gone(&self.conversation_id, true);
        }
    }
}

impl AppState {
    /// Registers a visitor chat socket of the conversation (it cancels a
    /// pending close); the guard unregisters it.
    pub fn visitor_socket(self: &Arc<Self>, conversation_id: &str) -> VisitorSocket {
        if self.visitors.arrive(conversation_id) {
            self.tell_agents(conversation_id);
        }
        VisitorSocket { app: self.clone(), conversation_id: conversation_id.to_string() }
    }

    /// Sends the conversation's agent view again (its `visitorAwaySince`
    /// changed), from a task: a socket's guard cannot wait.
    fn tell_agents(self: &Arc<Self>, conversation_id: &str) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let (app, conv) = (self.clone(), conversation_id.to_string());
        runtime.spawn(async move {
            if let Ok(Some(row)) = app.store.conversation(&conv).await {
                if row.state != lcw_sdk::core::protocol::ConversationState::Closed {
                    app.notify_agents(&row, true);
                }
            }
        });
    }

    /// The conversation has no visitor chat socket: agents see since when
    /// (told now when `tell`), and unless one comes within
    /// `visitor_gone_close_secs` (not 0), it is closed ([`VISITOR_LEFT`]).
    /// Nothing starts when the conversation is closed or the server is
    /// stopping (its sockets going is not the visitor leaving).
    pub fn visitor_gone(self: &Arc<Self>, conversation_id: &str, tell: bool) {
        if self.shutting_down() || !self.live().convs.contains_key(conversation_id) {
            return self.visitors.forget(conversation_id);
        }
        let Some((mark, newly)) = self.visitors.start_clock(conversation_id, crate::store::now_ms(), tell) else { return };
        if newly {
            self.tell_agents(conversation_id);
        }
        let secs = self.cfg.visitor_gone_close_secs;
        // A socket dropped while the runtime itself shuts down: nothing to run.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        if secs == 0 {
            return;
        }
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
