//! Shared application state and its construction (config checks, recovery).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use lcw_sdk::core::protocol::{AgentConversation, AgentInfo, ConversationInfo, ConversationState};
use tokio::sync::{watch, Notify};

use crate::config::{AgentConfig, ServerConfig, WidgetSettings};
use crate::hours::Schedule;
use crate::hub::Hub;
use crate::live::{Live, LiveConv};
use crate::security::agents::AgentTokens;
use crate::security::jwt::JwtVerifier;
use crate::security::oauth::OAuthClient;
use crate::security::reauth::AuthExpiries;
use crate::security::limits::RateLimiter;
use crate::security::IpBlocklist;
use crate::store::{ConversationRow, Store};

/// Config errors found at start-up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Invalid configuration.
    #[error("config: {0}")]
    Config(String),
    /// Storage could not be opened or read.
    #[error("storage: {0}")]
    Store(#[from] crate::error::StoreError),
}

/// Counts live socket tasks so shutdown can wait for them.
#[derive(Debug, Default)]
pub struct SocketTracker {
    count: AtomicUsize,
    idle: Notify,
}

/// Guard decrementing the tracker on drop.
pub struct SocketGuard(Arc<AppState>);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if self.0.sockets.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.sockets.idle.notify_waiters();
        }
    }
}

/// Everything handlers share.
pub struct AppState {
    /// Configuration.
    pub cfg: ServerConfig,
    /// Storage.
    pub store: Arc<dyn Store>,
    /// Fan-out.
    pub hub: Hub,
    /// Routing state.
    pub live: Mutex<Live>,
    /// Parsed queue schedules.
    pub schedules: HashMap<String, Schedule>,
    /// JWT verifiers per widget.
    pub verifiers: HashMap<String, JwtVerifier>,
    /// OAuth code-exchange clients per widget (`[widgets.oauth]`).
    pub oauth: HashMap<String, OAuthClient>,
    /// Visitor token expiry per open conversation (`jwt` mode).
    pub auth_expiries: AuthExpiries,
    /// Parsed IP blocklist.
    pub ip_block: IpBlocklist,
    /// Per-IP limiter.
    pub ip_limiter: RateLimiter,
    /// Per-conversation message limiter.
    pub conv_limiter: RateLimiter,
    /// Visitor sockets open per client IP.
    pub ip_sockets: std::sync::Arc<crate::security::limits::SocketCap>,
    /// Agent tokens.
    pub agent_tokens: AgentTokens,
    /// Becomes true when shutting down.
    pub shutdown: watch::Receiver<bool>,
    /// Live sockets.
    pub sockets: SocketTracker,
    /// Video calls under way (and each conversation's last one).
    pub calls: crate::video::Calls,
    /// Visitor chat sockets per conversation, and the clocks of those
    /// with none ([`crate::presence`]).
    pub visitors: crate::presence::VisitorPresence,
}

/// Shared handle.
pub type App = Arc<AppState>;

impl AppState {
    /// Validates config, recovers open conversations from the store.
    pub async fn new(mut cfg: ServerConfig, store: Arc<dyn Store>, shutdown: watch::Receiver<bool>) -> Result<App, SetupError> {
        cfg.normalize();
        let mut schedules = HashMap::new();
        for q in &cfg.queues {
            let s = Schedule::parse(q).map_err(|e| SetupError::Config(format!("queue {}: {e}", q.id)))?;
            schedules.insert(q.id.clone(), s);
        }
        let mut verifiers = HashMap::new();
        let mut oauth = HashMap::new();
        for w in &cfg.widgets {
            if !schedules.contains_key(&w.config.queue_id) {
                return Err(SetupError::Config(format!("widget {} uses unknown queue {:?}", w.id, w.config.queue_id)));
            }
            // Proactive rules are the SDK's to run; a rule the SDK would
            // refuse (lcw:error 11 on every page) is named here at start-up.
            if !w.config.proactive_rules.is_empty() {
                let text = lcw_sdk::core::json::to_string(&lcw_sdk::core::json::Value::Array(w.config.proactive_rules.clone()));
                for e in lcw_sdk::core::triggers::Config::from_json(&text).1 {
                    tracing::warn!(widget = %w.id, "proactive rule refused by the SDK's engine: {}", e.to_runtime_error().description);
                }
            }
            let camera_mode = &w.config.video.camera_mode;
            if !crate::video::CAMERA_MODES.contains(&camera_mode.as_str()) {
                let modes = crate::video::CAMERA_MODES.join(", ");
                return Err(SetupError::Config(format!("widget {} has unknown video cameraMode {camera_mode:?} (one of {modes})", w.id)));
            }
            if let Some(j) = &w.jwt {
                verifiers.insert(w.id.clone(), JwtVerifier::new(j).map_err(|e| SetupError::Config(format!("widget {}: {e}", w.id)))?);
            } else if w.auth_mode == lcw_sdk::core::protocol::AuthMode::Jwt {
                return Err(SetupError::Config(format!("widget {} has auth_mode jwt but no [jwt] settings", w.id)));
            }
            if let Some(o) = &w.oauth {
                if w.auth_mode != lcw_sdk::core::protocol::AuthMode::Oauth {
                    tracing::warn!(widget = %w.id, "[oauth] settings are unused: auth_mode is not oauth, so authorization codes are refused");
                }
                oauth.insert(w.id.clone(), OAuthClient::new(&w.id, o).map_err(|e| SetupError::Config(format!("widget {}: {e}", w.id)))?);
            } else if w.auth_mode == lcw_sdk::core::protocol::AuthMode::Oauth {
                return Err(SetupError::Config(format!("widget {} has auth_mode oauth but no [oauth] settings", w.id)));
            }
        }
        if let Some(turn) = &cfg.turn {
            turn.check().map_err(SetupError::Config)?;
        }
        let ip_block = IpBlocklist::parse(&cfg.blocked_ips).map_err(SetupError::Config)?;
        let agent_tokens = AgentTokens::default();
        let kept = agent_tokens.restore(store.agent_tokens(crate::store::now_ms()).await?, &cfg.agents);
        if kept > 0 {
            tracing::info!(kept, "agent sign-ins kept from the previous run");
        }
        let mut live = Live::default();
        for c in store.open_conversations().await? {
            live.insert(&c.id, LiveConv { queue_id: c.queue_id.clone(), state: c.state, agent_id: c.agent_id.clone(), created_at: c.created_at });
        }
        let app = Arc::new(AppState {
            ip_limiter: RateLimiter::new(cfg.rate_limits.per_ip_per_minute),
            conv_limiter: RateLimiter::new(cfg.rate_limits.per_conversation_per_minute),
            ip_sockets: crate::security::limits::SocketCap::new(cfg.rate_limits.max_sockets_per_ip),
            cfg,
            store,
            hub: Hub::default(),
            live: Mutex::new(live),
            schedules,
            verifiers,
            oauth,
            auth_expiries: AuthExpiries::default(),
            ip_block,
            agent_tokens,
            shutdown,
            sockets: SocketTracker::default(),
            calls: crate::video::Calls::default(),
            visitors: crate::presence::VisitorPresence::default(),
        });
        // No visitor socket is open yet: each recovered conversation's clock starts.
        let open: Vec<String> = app.live().convs.keys().cloned().collect();
        for id in open {
            app.visitor_gone(&id, false);
        }
        Ok(app)
    }

    /// Locks the routing state (recovering from a poisoned lock).
    pub fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Widget by id.
    pub fn widget(&self, id: &str) -> Option<&WidgetSettings> {
        self.cfg.widgets.iter().find(|w| w.id == id)
    }

    /// Agent by id.
    pub fn agent(&self, id: &str) -> Option<&AgentConfig> {
        self.cfg.agents.iter().find(|a| a.id == id)
    }

    /// Public view of an agent.
    pub fn agent_info(&self, id: &str) -> AgentInfo {
        AgentInfo { id: id.to_string(), display_name: self.agent(id).map(|a| a.display_name.clone()).unwrap_or_else(|| id.to_string()) }
    }

    /// Visitor view of a conversation.
    pub fn info(&self, c: &ConversationRow) -> ConversationInfo {
        let position = self.live().position(&c.id);
        ConversationInfo {
            id: c.id.clone(),
            queue_id: c.queue_id.clone(),
            widget_id: c.widget_id.clone(),
            state: c.state,
            agent: c.agent_id.as_deref().map(|a| self.agent_info(a)),
            customer_id: c.customer_id.clone(),
            created_at: c.created_at,
            last_seq: c.last_seq,
            position_in_queue: position,
            closed_by: c.closed_by,
            visitor_read_seq: c.visitor_read_seq,
            agent_read_seq: c.agent_read_seq,
        }
    }

    /// Agent view of a conversation (displayable context only).
    pub fn agent_view(&self, c: &ConversationRow) -> AgentConversation {
        AgentConversation {
            conversation: self.info(c),
            context: c.context.iter().filter(|(_, v)| v.is_displayable).map(|(k, v)| (k.clone(), v.clone())).collect(),
            pre_chat: c.pre_chat.clone(),
            visitor_away_since: if c.state == ConversationState::Closed { None } else { self.visitors.away_since(&c.id) },
        }
    }

    /// Registers a socket task; the guard unregisters it.
    pub fn track_socket(self: &Arc<Self>) -> SocketGuard {
        self.sockets.count.fetch_add(1, Ordering::SeqCst);
        SocketGuard(self.clone())
    }

    /// Number of open sockets.
    pub fn socket_count(&self) -> usize {
        self.sockets.count.load(Ordering::SeqCst)
    }

    /// Waits until no socket task is left (or `timeout`).
    pub async fn wait_sockets_closed(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, async {
            loop {
                let idle = self.sockets.idle.notified();
                if self.socket_count() == 0 {
                    return;
                }
                idle.await;
            }
        })
        .await;
    }

    /// Whether shutdown started.
    pub fn shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }
}
