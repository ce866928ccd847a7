//! Conversation operations shared by the HTTP and WebSocket handlers:
//! start, post, accept, close, routing and notifications.

use lcw_sdk::core::protocol::{
    AuthMode, ConversationState, ErrorCode, Message, Sender, ServerFrame, StartRequest, MAX_CONTEXT_ENTRIES,
};

use crate::config::WidgetSettings;
use crate::error::{ApiError, ApiResult};
use crate::hub::Outbound;
use crate::live::{serves, LiveConv};
use crate::state::AppState;
use crate::store::{new_id, now_ms, ConversationRow, NewMessage};

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, msg)
}

fn validate_start(req: &StartRequest) -> ApiResult<()> {
    if req.context.len() > MAX_CONTEXT_ENTRIES {
        return Err(bad(format!("at most {MAX_CONTEXT_ENTRIES} context entries")));
    }
    for (k, v) in &req.context {
        let too_long = matches!(&v.value, lcw_sdk::core::protocol::ContextPrimitive::Text(s) if s.chars().count() > 2000);
        if k.is_empty() || k.chars().count() > 200 || too_long {
            return Err(bad(format!("context entry {k:?} is empty or too long")));
        }
    }
    if req.pre_chat.len() > 50 || req.pre_chat.iter().any(|(k, v)| k.len() > 200 || v.chars().count() > 4000) {
        return Err(bad("too many or too long pre-chat answers"));
    }
    Ok(())
}

impl AppState {
    /// The visitor's identity from the start request's OAuth authorization
    /// code (`oauth` mode): `None` for a widget in another mode and no code.
    /// The code is exchanged at the widget's provider (after the request's
    /// own checks, so a bad request does not use the code up); the verified
    /// name and email replace `preChat.name` / `preChat.email`. Returns the
    /// provider's user id, the conversation's customer id.
    pub async fn oauth_identity(&self, w: &WidgetSettings, req: &mut StartRequest) -> ApiResult<Option<String>> {
        let code = req.authorization_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let client = self.oauth.get(&w.id).filter(|_| w.auth_mode == AuthMode::Oauth);
        let (client, code) = match (client, code) {
            (Some(client), Some(code)) => (client, code),
            (Some(_), None) => return Err(ApiError::new(ErrorCode::AuthorizationCodeRequired, "this widget requires an OAuth authorization code")),
            (None, Some(_)) => return Err(ApiError::new(ErrorCode::InvalidAuthorizationCode, "this widget does not accept authorization codes")),
            (None, None) => return Ok(None),
        };
        validate_start(req)?;
        let verifier = req.code_verifier.as_deref().map(str::trim).filter(|v| !v.is_empty());
        let identity = client.exchange(code, verifier).await?;
        for (field, value) in [("name", identity.name), ("email", identity.email)] {
            if let Some(v) = value {
                req.pre_chat.insert(field.into(), v);
            }
        }
        Ok(Some(identity.id))
    }

    /// Starts a conversation, or returns the customer's open one (`true`).
    pub async fn start_conversation(&self, w: &WidgetSettings, req: StartRequest, customer_id: Option<String>) -> ApiResult<(ConversationRow, bool)> {
        validate_start(&req)?;
        if let Some(cid) = &customer_id {
            if let Some(existing) = self.store.open_conversation_for_customer(&w.id, cid).await? {
                return Ok((existing, true));
            }
        }
        let queue_id = w.config.queue_id.clone();
        let now = chrono::Utc::now();
        if !self.schedules.get(&queue_id).is_some_and(|s| s.is_open(now)) {
            return Err(ApiError::new(ErrorCode::QueueUnavailable, "the queue is closed now; see availability for the next window"));
        }
        let row = ConversationRow {
            id: new_id("conv"),
            widget_id: w.id.clone(),
            queue_id: queue_id.clone(),
            state: ConversationState::Waiting,
            agent_id: None,
            customer_id,
            context: req.context,
            pre_chat: req.pre_chat,
            created_at: now.timestamp_millis(),
            assigned_at: None,
            closed_at: None,
            closed_by: None,
            last_seq: 0,
            visitor_read_seq: 0,
            agent_read_seq: 0,
        };
        self.store.insert_conversation(row.clone()).await?;
        self.live().insert(&row.id, LiveConv { queue_id: queue_id.clone(), state: row.state, agent_id: None, created_at: row.created_at });
        // Route first: a conversation assigned at once is shown only to its
        // agent; one left waiting is shown to every agent of the queue.
        self.route(&queue_id, Some(&row.id)).await;
        let fresh = self.store.conversation(&row.id).await?.unwrap_or(row);
        if fresh.state == ConversationState::Waiting {
            self.notify_agents(&fresh, true);
        }
        Ok((fresh, false))
    }

    /// Validates and appends a message, then publishes it (in seq order).
    pub async fn post_message(&self, conv: &ConversationRow, mut m: NewMessage) -> ApiResult<(Message, bool)> {
        let max = self.widget(&conv.widget_id).map_or(4000, |w| w.config.max_message_chars);
        if m.text.chars().count() > max {
            return Err(ApiError::new(ErrorCode::MessageTooLarge, format!("message longer than {max} characters")));
        }
        if let Some(cid) = &m.client_id {
            if cid.is_empty() || cid.len() > 128 {
                return Err(bad("clientId must be 1..128 characters"));
            }
        }
        if m.text.trim().is_empty() && m.attachment_id.is_none() {
            return Err(bad("empty message"));
        }
        if let Some(aid) = &m.attachment_id {
            match self.store.attachment(aid, false).await? {
                Some((a, _)) if a.conversation_id == conv.id => {}
                _ => return Err(ApiError::new(ErrorCode::NotFound, "attachment not found in this conversation")),
            }
        }
        if !self.live().convs.contains_key(&conv.id) {
            return Err(ApiError::new(ErrorCode::ConversationClosed, "the conversation is closed"));
        }
        if m.sender != Sender::System {
            self.conv_limiter.check(&conv.id).map_err(|ms| ApiError::rate_limited(ms).with_interval(self.conv_limiter.interval_ms()))?;
        }
        m.sent_at = now_ms();
        let channel = self.hub.conv(&conv.id);
        let _order = channel.order.lock().await;
        let (msg, dup) = self.store.append_message(&conv.id, m).await?;
        if !dup {
            let out = Outbound::new(&ServerFrame::Message { conversation_id: conv.id.clone(), message: msg.clone() });
            let _ = channel.tx.send(out.clone());
            let agent = self.live().convs.get(&conv.id).and_then(|c| c.agent_id.clone());
            if let Some(a) = agent {
                self.hub.to_agent(&a, &out);
            }
        }
        Ok((msg, dup))
    }

    /// Appends a system message (best effort).
    pub(crate) async fn system_message(&self, conv: &ConversationRow, text: String) {
        let m = NewMessage { client_id: None, sender: Sender::System, author_name: None, text, attachment_id: None, sent_at: now_ms() };
        let channel = self.hub.conv(&conv.id);
        let _order = channel.order.lock().await;
        match self.store.append_message(&conv.id, m).await {
            Ok((msg, _)) => {
                let out = Outbound::new(&ServerFrame::Message { conversation_id: conv.id.clone(), message: msg });
                let _ = channel.tx.send(out.clone());
                if let Some(a) = &conv.agent_id {
                    self.hub.to_agent(a, &out);
                }
            }
            Err(e) => tracing::warn!(error = %e, conversation = %conv.id, "system message not stored"),
        }
    }

    /// Sends the agent view to every agent of the queue (`all`), or only to
    /// the conversation's agent.
    pub fn notify_agents(&self, row: &ConversationRow, all: bool) {
        let out = Outbound::new(&ServerFrame::AgentConversationUpdated { conversation: self.agent_view(row) });
        if !all {
            if let Some(a) = &row.agent_id {
                self.hub.to_agent(a, &out);
            }
            return;
        }
        for a in self.cfg.agents.iter().filter(|a| serves(a, &row.queue_id)) {
            self.hub.to_agent(&a.id, &out);
        }
        if let Some(prev) = row.agent_id.as_deref().filter(|a| self.agent(a).is_some_and(|c| !serves(c, &row.queue_id))) {
            self.hub.to_agent(prev, &out);
        }
    }

    async fn changed(&self, row: &ConversationRow) {
        self.changed_scoped(row, true).await
    }

    /// Visitor update plus agent views (to all agents of the queue or only the assignee).
    async fn changed_scoped(&self, row: &ConversationRow, all: bool) {
        let out = Outbound::new(&ServerFrame::ConversationUpdated { conversation: self.info(row) });
        self.hub.to_conv(&row.id, &out);
        self.notify_agents(row, all);
    }

    /// Tells the first waiting visitors their new position.
    async fn refresh_positions(&self, queue_id: &str) {
        let ids: Vec<String> = self.live().waiting_ids(queue_id).into_iter().take(100).collect();
        for id in ids {
            if let Ok(Some(row)) = self.store.conversation(&id).await {
                let out = Outbound::new(&ServerFrame::ConversationUpdated { conversation: self.info(&row) });
                self.hub.to_conv(&id, &out);
            }
        }
    }

    /// Routes the queue's waiting conversations; persists and notifies.
    pub async fn route_queue(&self, queue_id: &str) {
        self.route(queue_id, None).await
    }

    /// Routing; `fresh` is a conversation no agent has seen yet.
    async fn route(&self, queue_id: &str, fresh: Option<&str>) {
        let assigned = self.live().route(&self.cfg.agents, queue_id);
        if assigned.is_empty() {
            return;
        }
        for (conv_id, agent_id) in assigned {
            if let Ok(Some(mut row)) = self.store.conversation(&conv_id).await {
                row.state = ConversationState::Assigned;
                row.agent_id = Some(agent_id);
                row.assigned_at.get_or_insert_with(now_ms);
                if let Err(e) = self.store.update_conversation(&row).await {
                    tracing::error!(error = %e, conversation = %conv_id, "assignment not stored");
                }
                self.changed_scoped(&row, fresh != Some(conv_id.as_str())).await;
            }
        }
        self.refresh_positions(queue_id).await;
    }

    /// Agent accepts a waiting conversation or one offered to them.
    pub async fn accept(&self, agent_id: &str, conv_id: &str) -> ApiResult<()> {
        let capacity = self.agent(agent_id).map_or(0, |a| a.capacity);
        {
            let mut live = self.live();
            let load = live.load(agent_id);
            let Some(c) = live.convs.get(conv_id).cloned() else {
                return Err(ApiError::new(ErrorCode::ConversationClosed, "the conversation is closed"));
            };
            let agent = self.agent(agent_id).ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "unknown agent"))?;
            if !serves(agent, &c.queue_id) {
                return Err(ApiError::new(ErrorCode::Forbidden, "you do not serve this queue"));
            }
            match c.agent_id.as_deref() {
                Some(a) if a == agent_id && c.state == ConversationState::Active => return Ok(()),
                Some(a) if a == agent_id => {}
                Some(_) => return Err(ApiError::new(ErrorCode::Forbidden, "another agent has this conversation")),
                None if load >= capacity => return Err(ApiError::new(ErrorCode::AgentAtCapacity, "you are at capacity")),
                None => {}
            }
            live.assign(conv_id, agent_id, ConversationState::Active);
        }
        let mut row = self.store.conversation(conv_id).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
        let was_waiting = row.state == ConversationState::Waiting;
        row.state = ConversationState::Active;
        row.agent_id = Some(agent_id.to_string());
        row.assigned_at.get_or_insert_with(now_ms);
        self.store.update_conversation(&row).await?;
        let name = self.agent_info(agent_id).display_name;
        self.system_message(&row, format!("{name} joined the conversation")).await;
        let row = self.store.conversation(conv_id).await?.unwrap_or(row);
        self.changed(&row).await;
        if was_waiting {
            self.refresh_positions(&row.queue_id).await;
        }
        Ok(())
    }

    /// Closes a conversation (idempotent).
    pub async fn close(&self, conv_id: &str, by: Sender) -> ApiResult<()> {
        let who = match by {
            Sender::Visitor => "the visitor",
            Sender::Agent => "the agent",
            Sender::System => "the system",
        };
        self.close_because(conv_id, by, format!("Conversation ended by {who}")).await
    }

    /// Closes a conversation (idempotent) with `text` as its last system message.
    pub async fn close_because(&self, conv_id: &str, by: Sender, text: String) -> ApiResult<()> {
        let mut row = self.store.conversation(conv_id).await?.ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
        if row.state == ConversationState::Closed {
            return Ok(());
        }
        let was_waiting = row.state == ConversationState::Waiting;
        self.close_call(&row, by, false).await;
        self.system_message(&row, text).await;
        row.state = ConversationState::Closed;
        row.closed_at = Some(now_ms());
        row.closed_by = Some(by);
        self.store.update_conversation(&row).await?;
        self.live().remove(conv_id);
        self.visitors.forget(conv_id);
        self.close_call(&row, by, true).await;
        self.auth_expiries.forget(conv_id);
        let row = self.store.conversation(conv_id).await?.unwrap_or(row);
        self.changed(&row).await;
        self.hub.forget_conv(conv_id);
        self.route_queue(&row.queue_id).await;
        if was_waiting {
            self.refresh_positions(&row.queue_id).await;
        }
        Ok(())
    }

    /// A read receipt: `reader` has seen the conversation up to `seq`.
    /// When it moves forward, the conversation's visitor sockets and its
    /// agent are told (a [`ServerFrame::Read`]); a receipt that does not
    /// move it is dropped without a word, as a repeat is harmless.
    pub async fn read(&self, row: &ConversationRow, reader: Sender, seq: u64) -> ApiResult<()> {
        let Some(seq) = self.store.mark_read(&row.id, reader, seq).await? else { return Ok(()) };
        let out = Outbound::new(&ServerFrame::Read { conversation_id: row.id.clone(), reader, seq });
        self.hub.to_conv(&row.id, &out);
        let agent = self.live().convs.get(&row.id).and_then(|c| c.agent_id.clone()).or_else(|| row.agent_id.clone());
        if let Some(a) = agent {
            self.hub.to_agent(&a, &out);
        }
        Ok(())
    }

    /// Typing indicator to the other side.
    pub fn typing(&self, conv_id: &str, sender: Sender, is_typing: bool) {
        let out = Outbound::new(&ServerFrame::Typing { conversation_id: conv_id.to_string(), sender, is_typing });
        match sender {
            Sender::Agent => self.hub.to_conv(conv_id, &out),
            _ => {
                let agent = self.live().convs.get(conv_id).and_then(|c| c.agent_id.clone());
                if let Some(a) = agent {
                    self.hub.to_agent(&a, &out);
                }
            }
        }
    }

    /// An agent's first socket opened: route their queues.
    pub async fn agent_online(&self, agent_id: &str) {
        self.live().presence(agent_id, true);
        let queues: Vec<String> = self.cfg.queues.iter().map(|q| q.id.clone()).collect();
        for q in queues {
            if self.agent(agent_id).is_some_and(|a| serves(a, &q)) {
                self.route_queue(&q).await;
            }
        }
    }

    /// An agent socket closed; when it was the last, offered (not accepted)
    /// conversations go back to the queue, and their video calls end unless
    /// the agent is back within `call_resume_secs`.
    pub async fn agent_offline(self: &std::sync::Arc<Self>, agent_id: &str) {
        let back: Vec<(String, String)> = {
            let mut live = self.live();
            if live.presence(agent_id, false) > 0 {
                return;
            }
            let ids: Vec<(String, String)> = live
                .convs
                .iter()
                .filter(|(_, c)| c.agent_id.as_deref() == Some(agent_id) && c.state == ConversationState::Assigned)
                .map(|(id, c)| (id.clone(), c.queue_id.clone()))
                .collect();
            for (id, _) in &ids {
                live.unassign(id);
            }
            ids
        };
        self.agent_calls_gone(agent_id).await;
        let mut queues = Vec::new();
        for (id, q) in back {
            if let Ok(Some(mut row)) = self.store.conversation(&id).await {
                row.state = ConversationState::Waiting;
                row.agent_id = None;
                let _ = self.store.update_conversation(&row).await;
                self.changed(&row).await;
            }
            if !queues.contains(&q) {
                queues.push(q);
            }
        }
        for q in queues {
            self.route_queue(&q).await;
        }
    }
}
