//! Read receipts in the widget: the visitor's messages the agent has seen
//! are marked "Seen"; the launcher's count and the title's are what the
//! visitor has not read in any tab or on any page of the visit; and the
//! widget tells its owner ([`super::UiActions::seen`]) when the newest
//! message is on screen: window open, page shown, list at its end.

use super::widget::{show_unread, Shared, Widget};
use crate::core::ui::model::{Author, MessageStatus};
use std::rc::Rc;

/// The newest message is on screen: the owner may send a receipt.
pub fn may_mark(shared: &Shared) {
    let on_screen = {
        let st = shared.state.borrow();
        st.open && st.follow && !st.msgs.is_empty()
    };
    if on_screen && !shared.parts.doc.hidden() {
        shared.act(|a| a.seen());
    }
}

impl Widget {
    /// The visitor has read up to `seq` (here or elsewhere): the launcher
    /// counts only the agent's messages after it, and the title's count
    /// goes once none is left.
    pub fn read_up_to(&self, seq: u64) {
        let shared = &self.shared;
        let left = {
            let mut st = shared.state.borrow_mut();
            st.visitor_read = st.visitor_read.max(seq);
            let after = st.visitor_read;
            let left = st.msgs.iter().filter(|m| matches!(m.from, Author::Agent { .. }) && m.seq > after).count() as u32;
            if !st.open {
                st.unread = left;
            }
            left
        };
        show_unread(shared);
        if left == 0 {
            super::title::clear(shared);
        }
    }

    /// The agent has seen up to `seq`: the visitor's messages up to it
    /// are marked "Seen".
    pub fn seen_up_to(&self, seq: u64) {
        let upto = {
            let mut st = self.shared.state.borrow_mut();
            st.agent_read = st.agent_read.max(seq);
            st.agent_read
        };
        super::messages::mark_seen(&self.shared, upto);
    }

    /// The visitor's message `id` is stored at `seq`: "Sent", or "Seen"
    /// when the agent has read that far already.
    pub fn acked(&self, id: &str, seq: u64) {
        let seen = {
            let mut st = self.shared.state.borrow_mut();
            let upto = st.agent_read;
            st.msgs.set_seq(id, seq);
            seq > 0 && seq <= upto
        };
        self.set_status(id, if seen { MessageStatus::Seen } else { MessageStatus::Sent });
    }
}

/// The page was shown again: its title is its own again, and the newest
/// message may have been seen.
pub fn shown(shared: &Rc<Shared>) {
    super::title::clear(shared);
    may_mark(shared);
}
