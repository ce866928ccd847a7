//! Sending from any tab: the leader's session sends; a follower keeps
//! each message (and the file it carries) until it comes back with a `seq`
//! and asks the leader, again at each new leader. The visitor's typing and
//! read receipts go the same way (not kept: a lost one is only late).

use super::{failed, Role, Tabs};
use crate::core::errors::RuntimeError;
use crate::core::protocol::AttachmentInfo;
use crate::core::tabs::TabMsg;
use crate::web::session;

impl Tabs {
    /// Follower: posts every unacked send to the leader, oldest first (same
    /// client ids; the leader and the server drop duplicates).
    pub(super) fn resend(&self) {
        let waiting = match &*self.role.borrow() {
            Role::Follower(f) => f.pending.items().to_vec(),
            _ => Vec::new(),
        };
        for p in waiting {
            self.post(&TabMsg::Send { client_id: p.client_id, text: p.text, created_at: p.created_at, attachment: p.attachment });
        }
    }

    /// `sendMessage`: the leader sends; a follower queues it and asks the
    /// leader. Returns the client id.
    pub fn send(&self, text: String) -> Result<String, RuntimeError> {
        self.send_with_id(session::random_id(), text)
    }

    /// [`Tabs::send`] with a client id chosen earlier.
    pub fn send_with_id(&self, client_id: String, text: String) -> Result<String, RuntimeError> {
        self.queue(client_id, text, None)
    }

    /// Uploads a file with the conversation's stored session: any tab can,
    /// the leader or a follower. Then [`Tabs::queue`] sends the message
    /// that carries it.
    pub async fn upload(&self, file: &web_sys::File, on_progress: impl FnMut(f64) + 'static) -> Result<AttachmentInfo, RuntimeError> {
        session::upload_file(&self.base, &self.token, &self.conversation_id, file, on_progress).await
    }

    /// A message, with the attachment it carries if any: the leader sends
    /// it; a follower keeps it until it comes back and asks the leader.
    pub fn queue(&self, client_id: String, text: String, attachment: Option<AttachmentInfo>) -> Result<String, RuntimeError> {
        let mut role = self.role.borrow_mut();
        match &mut *role {
            Role::Leader(s) => {
                let s = s.clone();
                drop(role);
                s.queue(client_id, text, attachment)
            }
            Role::Follower(f) => {
                let now = js_sys::Date::now() as i64;
                let pushed = match attachment {
                    Some(a) => f.pending.push_attachment(client_id.clone(), text, a, now),
                    None => f.pending.push(client_id.clone(), text, now),
                };
                pushed.map_err(|e| failed(&format!("message not sent: {e}")))?;
                drop(role);
                // All unacked sends, oldest first: one typed while no tab led
                // (the leader had just closed) must not be overtaken by this
                // one at the new leader. The leader skips the ids it has.
                self.resend();
                Ok(client_id)
            }
            Role::Over => Err(failed("the conversation has ended")),
        }
    }

    /// Read receipts as this tab knows them (`getReadState()`).
    pub fn receipts(&self) -> crate::core::session::Receipts {
        match &*self.role.borrow() {
            Role::Leader(s) => s.receipts(),
            Role::Follower(f) => f.read,
            Role::Over => Default::default(),
        }
    }

    /// The visitor has seen this tab's messages (`markRead()`): the leader
    /// sends the receipt; a follower asks the leader to.
    pub fn mark_read(&self) -> bool {
        let ask = match &mut *self.role.borrow_mut() {
            Role::Leader(s) => return s.mark_read(None),
            Role::Follower(f) => f.mark_read(),
            Role::Over => None,
        };
        ask.map(|m| self.post(&m)).is_some()
    }

    /// The visitor is typing (or stopped) in this tab: the leader tells
    /// the agent; a follower asks the leader to.
    pub fn typing(&self, is_typing: bool) {
        match self.leader_session() {
            Some(s) => s.typing(is_typing),
            None => self.post(&TabMsg::Typing { is_typing }),
        }
    }
}
