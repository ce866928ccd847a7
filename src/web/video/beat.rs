//! Is the call socket still there? The chat socket's heartbeat
//! ([`Heartbeat`]) on the call's own socket: after a quiet spell a `ping`,
//! and a socket still silent after it is given up (closed with
//! [`GONE_QUIET`], which the server does not take for a hang-up) and the
//! call socket is opened again as after a drop ([`Call::on_closed`]). The
//! server may not have noticed yet; the new socket's key takes the call
//! over. The page shown again, or the network back (`online`), checks at
//! once: a hidden page's timers are throttled or frozen.

use super::call::{unhook, Call};
use super::failed;
use crate::core::protocol::ClientFrame;
use crate::core::session::{Beat, Heartbeat, PING_AFTER_MS};
use crate::web::session::{beat, heard};
use gloo_events::EventListener;
use std::rc::Rc;

/// The close code of a call socket this tab gave up on as silent.
const GONE_QUIET: u16 = 4000;

impl Call {
    /// A frame came on the call socket.
    pub(super) fn heard(&self) {
        heard(&self.beat);
    }

    /// A new call socket: watched from now.
    pub(super) fn watch_socket(self: &Rc<Self>) {
        self.beat.set(Heartbeat::new(js_sys::Date::now()));
        self.arm_beat(PING_AFTER_MS);
    }

    fn arm_beat(self: &Rc<Self>, ms: f64) {
        let weak = Rc::downgrade(self);
        *self.beat_timer.borrow_mut() = Some(crate::web::timeout(ms.ceil() as u32, Box::new(move || {
            if let Some(c) = weak.upgrade() {
                c.check_socket(false);
            }
        })));
    }

    /// The heartbeat's check, at its timer or now; with `probe`, a ping
    /// now whatever the quiet. Nothing while no socket is watched (away,
    /// waiting for the next attempt).
    fn check_socket(self: &Rc<Self>, probe: bool) {
        if self.beat_timer.borrow().is_none() {
            return;
        }
        let (what, next) = beat(&self.beat, probe);
        match what {
            Beat::Ping => {
                self.send_now(&ClientFrame::Ping);
            }
            Beat::Dead => return self.gone_quiet(),
            Beat::Wait => {}
        }
        if let Some(ms) = next {
            self.arm_beat(ms);
        }
    }

    /// The socket stayed silent: let it go and get the call back on a new
    /// one. One the server never took means the call could not start.
    fn gone_quiet(self: &Rc<Self>) {
        self.beat_timer.borrow_mut().take();
        if let Some(ws) = self.socket.borrow_mut().take() {
            unhook(&ws);
            let _ = ws.close_with_code_and_reason(GONE_QUIET, "no answer");
        }
        if self.joined.get() {
            self.on_closed();
        } else {
            self.fail(failed("the chat server did not answer the video call's connection"));
        }
    }

    /// The page shown again, or the network back: check the socket now.
    pub(super) fn watch_page(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let mut listeners = self.page.borrow_mut();
        for name in ["online", "visibilitychange"] {
            let weak = Rc::downgrade(self);
            listeners.push(EventListener::new(&window, name, move |e| {
                let Some(c) = weak.upgrade() else { return };
                if e.type_() == "online" {
                    c.check_socket(true);
                } else if web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden()) {
                    c.check_socket(false);
                }
            }));
        }
    }
}
