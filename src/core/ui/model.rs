//! The data the widget renders: its configuration, the conversation phase
//! and messages. Serde shapes are the JSON the preview hook
//! (`mountWidgetPreview`) accepts, in camelCase.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::core::de::{self, Body, Tagged};

use crate::core::protocol::config::{FileRules, FormConfig, Theme, WidgetConfig};

/// What the widget needs from the widget configuration, plus page options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UiConfig {
    /// Appearance.
    pub theme: Theme,
    /// Pre-chat form.
    pub pre_chat: FormConfig,
    /// Offline form.
    pub offline_form: FormConfig,
    /// Whether the rating is offered after a conversation.
    pub rating_enabled: bool,
    /// Label overrides: language tag -> (label key -> text).
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    /// Fallback language (English when empty).
    pub fallback_language: String,
    /// Attachment rules.
    pub files: FileRules,
    /// Longest message in characters (0: no limit in the UI).
    pub max_message_chars: usize,
    /// Language to use instead of negotiating from `navigator.languages`.
    pub locale: Option<String>,
    /// URL a "pop out" button opens in a new window; no button when `None`.
    pub popout_url: Option<String>,
}

impl UiConfig {
    /// The UI part of a widget configuration (moved out of it: cloning the
    /// translation maps would link their clone code for this one call).
    pub fn from_widget(c: WidgetConfig) -> UiConfig {
        UiConfig {
            theme: c.theme,
            pre_chat: c.pre_chat,
            offline_form: c.offline_form,
            rating_enabled: c.rating_enabled,
            translations: c.translations,
            fallback_language: c.fallback_language,
            files: c.files,
            max_message_chars: c.max_message_chars,
            locale: None,
            popout_url: None,
        }
    }
}

/// Where the conversation is, as the visitor sees it. JSON: tagged by
/// `phase`, e.g. `{"phase":"queued","position":2}`; `Option` and `bool`
/// fields may be omitted. `Deserialize` is hand-written (below).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum UiPhase {
    /// No conversation: the launcher only (the window closes, messages clear).
    Idle,
    /// The pre-chat form.
    Prechat,
    /// Starting the conversation.
    Connecting,
    /// Waiting for an agent.
    Queued {
        /// 1-based position in the queue.
        position: u32,
        /// Estimated wait in seconds, when known.
        wait_secs: Option<u32>,
    },
    /// An agent is in the conversation.
    Chatting {
        /// The agent's display name, when known.
        agent_name: Option<String>,
    },
    /// The conversation ended.
    Ended {
        /// Whether to offer the rating.
        can_rate: bool,
    },
    /// No agent available: the offline form.
    Offline,
}

/// Delivery state of a visitor message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MessageStatus {
    /// Not acknowledged yet.
    #[default]
    Sending,
    /// Acknowledged by the server.
    Sent,
    /// Could not be sent.
    Failed,
}

crate::core::de::unit_enum_de!(MessageStatus, [Sending = "sending", Sent = "sent", Failed = "failed"]);

impl MessageStatus {
    /// The name used in the `data-status` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
        }
    }
}

/// Who wrote a message. JSON: tagged by `kind`, e.g.
/// `{"kind":"agent","name":"Ann"}`; the agent's fields may be omitted.
/// `Deserialize` is hand-written (below).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Author {
    /// The visitor.
    Visitor,
    /// An agent.
    Agent {
        /// Display name.
        name: String,
        /// Avatar URL.
        avatar: Option<String>,
    },
    /// The system (joins, transfers, the end).
    System,
}

/// An attachment shown in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UiAttachment {
    /// File name.
    pub name: String,
    /// MIME type; `image/*` is previewed inline.
    pub mime_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Where to get it: `http(s):`, `blob:` (see `Widget::local_url`) or a
    /// relative path; anything else is shown as the name only.
    pub url: Option<String>,
}

/// A message in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UiMessage {
    /// Unique id (the client id for visitor messages); used by
    /// `set_status` and `set_upload_progress`. Adding an id again replaces it.
    pub id: String,
    /// Author.
    pub from: Author,
    /// Plain text (never HTML); http(s) URLs become links.
    #[serde(default)]
    pub text: String,
    /// Time in ms since the epoch.
    #[serde(default)]
    pub at_ms: f64,
    /// Delivery state (shown for visitor messages).
    #[serde(default)]
    pub status: MessageStatus,
    /// Attachment.
    #[serde(default)]
    pub attachment: Option<UiAttachment>,
}

const UI_PHASE: Tagged = Tagged {
    tag: "phase",
    variants: &["idle", "prechat", "connecting", "queued", "chatting", "ended", "offline"],
    expecting: "internally tagged enum UiPhase",
};

impl<'de> Deserialize<'de> for UiPhase {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::tagged(d, &UI_PHASE, ui_phase)
    }
}

/// One arm per variant: wire fields in declaration order, then each field.
fn ui_phase(tag: &'static str, b: Body) -> Result<UiPhase, serde_json::Error> {
    Ok(match tag {
        "queued" => {
            let mut f = b.fields(&["position", "waitSecs"], false)?;
            UiPhase::Queued { position: f.req("position")?, wait_secs: f.opt("waitSecs")? }
        }
        "chatting" => UiPhase::Chatting { agent_name: b.fields(&["agentName"], false)?.opt("agentName")? },
        "ended" => UiPhase::Ended { can_rate: b.fields(&["canRate"], false)?.opt("canRate")? },
        unit => {
            b.unit()?;
            match unit {
                "idle" => UiPhase::Idle,
                "prechat" => UiPhase::Prechat,
                "connecting" => UiPhase::Connecting,
                "offline" => UiPhase::Offline,
                _ => return Err(UI_PHASE.unknown(tag)),
            }
        }
    })
}

const AUTHOR: Tagged = Tagged {
    tag: "kind",
    variants: &["visitor", "agent", "system"],
    expecting: "internally tagged enum Author",
};

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::tagged(d, &AUTHOR, author)
    }
}

fn author(tag: &'static str, b: Body) -> Result<Author, serde_json::Error> {
    Ok(match tag {
        "agent" => {
            let mut f = b.fields(&["name", "avatar"], false)?;
            Author::Agent { name: f.opt("name")?, avatar: f.opt("avatar")? }
        }
        unit => {
            b.unit()?;
            match unit {
                "visitor" => Author::Visitor,
                "system" => Author::System,
                _ => return Err(AUTHOR.unknown(tag)),
            }
        }
    })
}
