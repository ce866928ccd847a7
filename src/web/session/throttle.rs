//! Sends held for the server's rate limit ([`Throttle`]): a message the
//! server refused with `rate_limited` stays queued ("Sending…") and the
//! queue goes on at the server's pace, one message at a time, instead of
//! being shown "Not sent". One timer, for the next message.

use super::Session;
use std::rc::Rc;

impl Session {
    /// The server refused `client_id` for `retry_after_ms` (at a pace of
    /// one per `interval_ms`, when it says): true when it stays queued
    /// (the timer sends it again), false when it would wait too long and
    /// is refused for good.
    pub(crate) fn hold(self: &Rc<Self>, client_id: &str, retry_after_ms: u64, interval_ms: Option<u64>) -> bool {
        let Some(created_at) = self.outbox.borrow().created_at(client_id) else { return false };
        let mut t = self.throttle.get();
        let wait = t.refused(created_at as f64, retry_after_ms, interval_ms, js_sys::Date::now());
        self.throttle.set(t);
        match wait {
            Some(ms) => {
                self.arm_throttle(ms);
                true
            }
            None => false,
        }
    }

    fn arm_throttle(self: &Rc<Self>, ms: f64) {
        let weak = Rc::downgrade(self);
        *self.throttle_timer.borrow_mut() = Some(crate::web::timeout(ms.ceil() as u32, Box::new(move || {
            if let Some(s) = weak.upgrade() {
                s.send_held();
            }
        })));
    }

    /// The timer: the oldest waiting message goes, when it is time and the
    /// socket is up (else the welcome's flush sends the queue).
    fn send_held(self: &Rc<Self>) {
        let mut t = self.throttle.get();
        match t.due(js_sys::Date::now()) {
            Err(Some(ms)) => return self.arm_throttle(ms),
            Err(None) => return,
            Ok(()) => {}
        }
        if self.auth_hold() {
            return;
        }
        let Some(p) = self.outbox.borrow_mut().take_first_for_sending() else {
            return self.unthrottle();
        };
        if let Some(sock) = self.socket.borrow().as_ref().filter(|s| s.live()) {
            sock.send_message(p.client_id, p.text, p.attachment_id);
            t.sent();
            self.throttle.set(t);
        }
    }

    /// A message was acknowledged: while held, the next goes after the
    /// server's pace.
    pub(crate) fn after_ack(self: &Rc<Self>) {
        let mut t = self.throttle.get();
        let next = t.acked(self.outbox.borrow().items().len(), js_sys::Date::now());
        self.throttle.set(t);
        match next {
            Some(ms) => self.arm_throttle(ms),
            None => {
                self.throttle_timer.borrow_mut().take();
            }
        }
    }

    /// Sends go at once again (the whole queue is being sent; the chat ended).
    pub(crate) fn unthrottle(&self) {
        self.throttle.set(Default::default());
        self.throttle_timer.borrow_mut().take();
    }
}
