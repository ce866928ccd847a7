//! Live routing state: open conversations, waiting lines per queue, agent
//! load and presence. Pure data; callers persist and notify.

use std::collections::{BTreeSet, HashMap};

use lcw_sdk::core::protocol::{ConversationState, Millis};

use crate::config::AgentConfig;

/// Routing view of an open conversation.
#[derive(Debug, Clone)]
pub struct LiveConv {
    /// Queue.
    pub queue_id: String,
    /// State.
    pub state: ConversationState,
    /// Agent.
    pub agent_id: Option<String>,
    /// Creation time.
    pub created_at: Millis,
}

/// Routing state.
#[derive(Debug, Default)]
pub struct Live {
    /// Open conversations.
    pub convs: HashMap<String, LiveConv>,
    waiting: HashMap<String, BTreeSet<(Millis, String)>>,
    load: HashMap<String, u32>,
    online: HashMap<String, u32>,
}

impl Live {
    /// Adds an open conversation (new or recovered).
    pub fn insert(&mut self, id: &str, c: LiveConv) {
        match (&c.state, &c.agent_id) {
            (ConversationState::Closed, _) => return,
            (ConversationState::Waiting, _) | (_, None) => {
                self.waiting.entry(c.queue_id.clone()).or_default().insert((c.created_at, id.to_string()));
            }
            (_, Some(a)) => *self.load.entry(a.clone()).or_default() += 1,
        }
        self.convs.insert(id.to_string(), c);
    }

    /// Removes a conversation (closed); returns it.
    pub fn remove(&mut self, id: &str) -> Option<LiveConv> {
        let c = self.convs.remove(id)?;
        if let Some(w) = self.waiting.get_mut(&c.queue_id) {
            w.remove(&(c.created_at, id.to_string()));
        }
        if let Some(a) = &c.agent_id {
            if let Some(l) = self.load.get_mut(a) {
                *l = l.saturating_sub(1);
            }
        }
        Some(c)
    }

    /// 1-based position of a waiting conversation.
    pub fn position(&self, id: &str) -> Option<u32> {
        let c = self.convs.get(id)?;
        if c.state != ConversationState::Waiting {
            return None;
        }
        let w = self.waiting.get(&c.queue_id)?;
        w.iter().position(|(_, cid)| cid == id).map(|p| p as u32 + 1)
    }

    /// Number waiting in a queue.
    pub fn waiting_len(&self, queue_id: &str) -> usize {
        self.waiting.get(queue_id).map_or(0, |w| w.len())
    }

    /// Ids waiting in a queue, oldest first.
    pub fn waiting_ids(&self, queue_id: &str) -> Vec<String> {
        self.waiting.get(queue_id).map(|w| w.iter().map(|(_, id)| id.clone()).collect()).unwrap_or_default()
    }

    /// Current load of an agent.
    pub fn load(&self, agent_id: &str) -> u32 {
        self.load.get(agent_id).copied().unwrap_or(0)
    }

    /// Marks an agent socket connected (+1) or gone (-1); returns sockets left.
    pub fn presence(&mut self, agent_id: &str, up: bool) -> u32 {
        let n = self.online.entry(agent_id.to_string()).or_default();
        *n = if up { *n + 1 } else { n.saturating_sub(1) };
        *n
    }

    /// Whether an agent has a socket open.
    pub fn is_online(&self, agent_id: &str) -> bool {
        self.online.get(agent_id).is_some_and(|n| *n > 0)
    }

    /// Whether any online agent serving `queue_id` has spare capacity.
    pub fn agent_available(&self, agents: &[AgentConfig], queue_id: &str) -> bool {
        agents.iter().any(|a| serves(a, queue_id) && self.is_online(&a.id) && self.load(&a.id) < a.capacity)
    }

    /// Whether any online video-capable agent serving `queue_id` has spare capacity.
    pub fn video_agent_available(&self, agents: &[AgentConfig], queue_id: &str) -> bool {
        agents.iter().any(|a| a.video && serves(a, queue_id) && self.is_online(&a.id) && self.load(&a.id) < a.capacity)
    }

    /// Assigns `id` to `agent_id` (accept of a waiting one, or routing).
    pub fn assign(&mut self, id: &str, agent_id: &str, state: ConversationState) -> bool {
        let Some(c) = self.convs.get_mut(id) else { return false };
        if let Some(w) = self.waiting.get_mut(&c.queue_id) {
            w.remove(&(c.created_at, id.to_string()));
        }
        if c.agent_id.as_deref() != Some(agent_id) {
            if let Some(old) = &c.agent_id {
                if let Some(l) = self.load.get_mut(old) {
                    *l = l.saturating_sub(1);
                }
            }
            *self.load.entry(agent_id.to_string()).or_default() += 1;
        }
        c.agent_id = Some(agent_id.to_string());
        c.state = state;
        true
    }

    /// Puts an assigned-but-not-accepted conversation back in line.
    pub fn unassign(&mut self, id: &str) {
        if let Some(c) = self.convs.get_mut(id) {
            if let Some(a) = c.agent_id.take() {
                if let Some(l) = self.load.get_mut(&a) {
                    *l = l.saturating_sub(1);
                }
            }
            c.state = ConversationState::Waiting;
            self.waiting.entry(c.queue_id.clone()).or_default().insert((c.created_at, id.to_string()));
        }
    }

    /// Routes waiting conversations of `queue_id` to the least-busy online
    /// agents with spare capacity, oldest first. Returns (conversation, agent).
    pub fn route(&mut self, agents: &[AgentConfig], queue_id: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        while let Some((_, first)) = self.waiting.get(queue_id).and_then(|w| w.iter().next().cloned()) {
            let best = agents
                .iter()
                .filter(|a| serves(a, queue_id) && self.is_online(&a.id) && self.load(&a.id) < a.capacity)
                .min_by_key(|a| (self.load(&a.id), a.id.clone()));
            let Some(agent) = best else { break };
            let agent_id = agent.id.clone();
            self.assign(&first, &agent_id, ConversationState::Assigned);
            out.push((first, agent_id));
        }
        out
    }
}

/// Whether an agent serves a queue (empty list = all queues).
pub fn serves(a: &AgentConfig, queue_id: &str) -> bool {
    a.queues.is_empty() || a.queues.iter().any(|q| q == queue_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, cap: u32) -> AgentConfig {
        AgentConfig { id: id.into(), capacity: cap, ..Default::default() }
    }

    #[test]
    fn least_busy_and_capacity() {
        let agents = vec![agent("a", 1), agent("b", 2)];
        let mut l = Live::default();
        for i in 0..4 {
            l.insert(&format!("c{i}"), LiveConv { queue_id: "q".into(), state: ConversationState::Waiting, agent_id: None, created_at: i });
        }
        assert!(l.route(&agents, "q").is_empty(), "nobody online");
        l.presence("a", true);
        l.presence("b", true);
        let r = l.route(&agents, "q");
        assert_eq!(r, vec![("c0".into(), "a".into()), ("c1".into(), "b".into()), ("c2".into(), "b".into())]);
        assert_eq!(l.position("c3"), Some(1));
        l.remove("c1");
        assert_eq!(l.route(&agents, "q"), vec![("c3".into(), "b".into())]);
    }

    #[test]
    fn video_availability_needs_a_video_agent_online_with_room() {
        let mut agents = vec![agent("a", 1), agent("v", 1)];
        agents[1].video = true;
        let mut l = Live::default();
        l.presence("a", true);
        assert!(l.agent_available(&agents, "q") && !l.video_agent_available(&agents, "q"), "a is not video-capable");
        l.presence("v", true);
        assert!(l.video_agent_available(&agents, "q"));
        l.insert("c0", LiveConv { queue_id: "q".into(), state: ConversationState::Active, agent_id: Some("v".into()), created_at: 0 });
        assert!(!l.video_agent_available(&agents, "q"), "v is at capacity");
        agents[1].queues = vec!["other".into()];
        l.remove("c0");
        assert!(!l.video_agent_available(&agents, "q"), "v does not serve q");
    }
}
