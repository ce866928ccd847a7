//! The page's own events the chat session listens to: the bfcache and the
//! network coming back (reconnect at once), the page going away (a held
//! read receipt goes now), and the page shown again (check the socket).

use super::Session;
use gloo_events::EventListener;
use std::rc::Rc;

impl Session {
    /// Reconnects at once when the page comes back from the bfcache (Chromium
    /// drops its sockets) or the network returns (pinging a socket that
    /// still looks open); sends a held read receipt
    /// when the page goes; checks the socket when the page is shown again.
    /// (One handler for the four: `visibilitychange`, fired at the
    /// document, bubbles to the window.)
    pub(super) fn watch_page(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let mut listeners = self.page_listeners.borrow_mut();
        for name in ["pageshow", "online", "pagehide", "visibilitychange"] {
            let weak = Rc::downgrade(self);
            listeners.push(EventListener::new(&window, name, move |e| {
                let Some(s) = weak.upgrade() else { return };
                match e.type_().as_str() {
                    "pagehide" => s.flush_read(),
                    // Back in view after a while (a phone unlocked, a tab
                    // switched back to): the heartbeat's timer may have been
                    // throttled or frozen, so look at the socket now.
                    "visibilitychange" => {
                        if web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden()) {
                            s.check_socket(false);
                        }
                    }
                    _ => {
                        if !s.ended.get() && !s.socket.borrow().as_ref().is_some_and(|sock| sock.ready()) {
                            s.backoff.borrow_mut().reset();
                            s.connect();
                        } else if name == "online" {
                            // One that looks open may have died with the
                            // old network: ask it now.
                            s.check_socket(true);
                        }
                    }
                }
            }));
        }
    }
}
