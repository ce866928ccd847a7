//! Read receipts on the chat socket (docs/PROTOCOL.md, `read` frames): the
//! visitor's, sent when the page says the newest messages were seen
//! (`markRead()`, or the default widget), and both sides' as the server
//! tells them: `lcw:messagesRead`, stored with the session, and relayed to
//! the other tabs.

use super::{Relay, Session};
use crate::core::protocol::{ClientFrame, Sender};
use crate::core::session::{PaceStep, Receipts};
use crate::web::args::obj;
use crate::web::events::dispatch;
use std::rc::Rc;

/// `lcw:messagesRead` `{conversationId, reader, seq}`: `reader` (`visitor`,
/// in any tab or device, or `agent`) has seen every message up to `seq`.
pub(crate) fn read_event(conversation_id: &str, reader: Sender, seq: u64) {
    let reader = if reader == Sender::Agent { "agent" } else { "visitor" };
    dispatch("lcw:messagesRead", &obj(&[("conversationId", conversation_id.into()), ("reader", reader.into()), ("seq", (seq as f64).into())]));
}

impl Session {
    /// The receipts as this session knows them.
    pub fn receipts(&self) -> Receipts {
        self.read.get()
    }

    /// The server's receipts (a `read` frame, or a welcome's conversation):
    /// each reader that moved is stored, reported and relayed.
    pub(super) fn on_read(self: &Rc<Self>, got: Receipts) {
        let before = self.read.get();
        let mut now = before;
        now.advance(Sender::Visitor, got.visitor);
        now.advance(Sender::Agent, got.agent);
        if now == before {
            return;
        }
        self.read.set(now);
        self.save();
        for reader in [Sender::Visitor, Sender::Agent] {
            let seq = now.get(reader);
            if seq != before.get(reader) {
                read_event(&self.conversation_id, reader, seq);
                self.relay(Relay::Read(reader, seq)); // many tabs: followers report it too
            }
        }
    }

    /// The visitor has seen the conversation up to `upto` (its newest
    /// message when `None`, and never past it). True when that is news
    /// (someone else wrote since the last receipt): the receipt goes now,
    /// or on the next welcome when offline.
    pub fn mark_read(&self, upto: Option<u64>) -> bool {
        let timeline = self.timeline.borrow();
        let messages = timeline.messages();
        let shown = upto.map_or(messages.len(), |s| messages.partition_point(|m| m.seq <= s));
        let Some(seq) = self.read.get().visitor_receipt(&messages[..shown], self.read_wanted.get()) else { return false };
        drop(timeline);
        self.read_wanted.set(seq);
        self.send_read();
        true
    }

    /// Sends the visitor's receipt that the server has not confirmed yet,
    /// paced ([`ReadPace`](crate::core::session::ReadPace)): at once, or with the newest receipt at the end
    /// of the gap. Offline, the next welcome sends it.
    pub(super) fn send_read(&self) {
        if self.read_wanted.get() <= self.read.get().visitor || !self.socket.borrow().as_ref().is_some_and(|s| s.live()) {
            return;
        }
        let mut pace = self.read_pace.get();
        let step = pace.ask(js_sys::Date::now());
        self.read_pace.set(pace);
        match step {
            PaceStep::Now => self.send_read_frame(),
            PaceStep::After(ms) => {
                let me = self.me.clone();
                let timer = crate::web::timeout(ms, Box::new(move || {
                    if let Some(s) = me.upgrade() {
                        s.send_due_read();
                    }
                }));
                *self.read_timer.borrow_mut() = Some(timer);
            }
            PaceStep::Waiting => {}
        }
    }

    /// The page is going away (`pagehide`): a delayed receipt goes now,
    /// or it would be lost with the page.
    pub(super) fn flush_read(&self) {
        if self.read_pace.get().flush() {
            self.read_timer.borrow_mut().take();
            self.send_due_read();
        }
    }

    fn send_due_read(&self) {
        let mut pace = self.read_pace.get();
        pace.sent(js_sys::Date::now());
        self.read_pace.set(pace);
        self.send_read_frame();
    }

    fn send_read_frame(&self) {
        let seq = self.read_wanted.get();
        if seq <= self.read.get().visitor {
            return;
        }
        if let Some(sock) = self.socket.borrow().as_ref().filter(|s| s.live()) {
            sock.send(&ClientFrame::Read { conversation_id: None, seq });
        }
    }
}
