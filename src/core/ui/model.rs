//! The data the widget renders: its configuration, the conversation phase
//! and messages. Serde shapes are the JSON the preview hook
//! (`mountWidgetPreview`) accepts, in camelCase.

use std::collections::BTreeMap;

use crate::core::json::{json_struct, json_unit_enum, Error, FromJson, Obj, ObjWriter, ToJson, Value};
use crate::core::protocol::config::{FileRules, FormConfig, Theme, WidgetConfig};

/// What the widget needs from the widget configuration, plus page options.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
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

/// What a closed widget needs of the widget configuration: its launcher's
/// look and the labels' languages. The default widget reads only this at
/// its mount and the whole [`WidgetConfig`] once the window's code is
/// attached, so the readers of the forms and file rules are not in every
/// page's download.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WidgetLook {
    /// Appearance.
    pub theme: Theme,
    /// Label overrides: language tag -> (label key -> text).
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
    /// Fallback language (English when empty).
    pub fallback_language: String,
}

impl UiConfig {
    /// A closed widget's configuration: the look, everything else default
    /// until [`UiConfig::from_widget`]'s.
    pub fn from_look(l: WidgetLook) -> UiConfig {
        UiConfig { theme: l.theme, translations: l.translations, fallback_language: l.fallback_language, ..UiConfig::default() }
    }

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
/// fields may be omitted. `FromJson`/`ToJson` are written by hand (below).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "phase", rename_all = "camelCase", rename_all_fields = "camelCase"))]
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
        #[cfg_attr(feature = "serde", serde(default))]
        can_rate: bool,
    },
    /// No agent available: the offline form.
    Offline,
}

impl UiPhase {
    /// A conversation is on (connecting, queued or chatting): the composer
    /// shows.
    pub fn is_live(&self) -> bool {
        matches!(self, UiPhase::Connecting | UiPhase::Queued { .. } | UiPhase::Chatting { .. })
    }
}

/// Delivery state of a visitor message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum MessageStatus {
    /// Not acknowledged yet.
    #[default]
    Sending,
    /// Acknowledged by the server.
    Sent,
    /// Could not be sent.
    Failed,
    /// Sent, and the agent has seen it (a read receipt).
    Seen,
}

json_unit_enum!(MessageStatus, [Sending = "sending", Sent = "sent", Failed = "failed", Seen = "seen"]);

impl MessageStatus {
    /// The name used in the `data-status` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Seen => "seen",
        }
    }
}

/// Who wrote a message. JSON: tagged by `kind`, e.g.
/// `{"kind":"agent","name":"Ann"}`; the agent's fields may be omitted.
/// `FromJson`/`ToJson` are written by hand (below).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "camelCase"))]
pub enum Author {
    /// The visitor.
    Visitor,
    /// An agent.
    Agent {
        /// Display name.
        #[cfg_attr(feature = "serde", serde(default))]
        name: String,
        /// Avatar URL.
        avatar: Option<String>,
    },
    /// The system (joins, transfers, the end).
    System,
}

/// An attachment shown in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
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
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct UiMessage {
    /// Unique id (the client id for visitor messages); used by
    /// `set_status` and `set_upload_progress`. Adding an id again replaces it.
    pub id: String,
    /// Author.
    pub from: Author,
    /// Plain text (never HTML); http(s) URLs become links.
    #[cfg_attr(feature = "serde", serde(default))]
    pub text: String,
    /// Time in ms since the epoch.
    #[cfg_attr(feature = "serde", serde(default))]
    pub at_ms: f64,
    /// Delivery state (shown for visitor messages).
    #[cfg_attr(feature = "serde", serde(default))]
    pub status: MessageStatus,
    /// Attachment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub attachment: Option<UiAttachment>,
    /// Its place in the conversation (`seq`), once the server has it; 0
    /// before. Read receipts name the seq read up to.
    #[cfg_attr(feature = "serde", serde(default))]
    pub seq: u64,
}

json_struct!(UiConfig {
    theme: "theme" opt, pre_chat: "preChat" opt, offline_form: "offlineForm" opt, rating_enabled: "ratingEnabled" opt,
    translations: "translations" opt, fallback_language: "fallbackLanguage" opt, files: "files" opt,
    max_message_chars: "maxMessageChars" opt, locale: "locale" opt, popout_url: "popoutUrl" opt,
});
json_struct!(WidgetLook { theme: "theme" opt, translations: "translations" opt, fallback_language: "fallbackLanguage" opt });
json_struct!(UiAttachment { name: "name" opt, mime_type: "mimeType" opt, size: "size" opt, url: "url" opt });
json_struct!(UiMessage {
    id: "id" req, from: "from" req, text: "text" opt, at_ms: "atMs" opt, status: "status" opt, attachment: "attachment" opt,
    seq: "seq" opt,
});

const UI_PHASE: &[&str] = &["idle", "prechat", "connecting", "queued", "chatting", "ended", "offline"];

impl FromJson for UiPhase {
    fn from_json(v: Value) -> Result<Self, Error> {
        let (i, mut o) = Obj::tagged(v, "phase", UI_PHASE, "internally tagged enum UiPhase")?;
        Ok(match UI_PHASE[i] {
            "idle" => UiPhase::Idle,
            "prechat" => UiPhase::Prechat,
            "connecting" => UiPhase::Connecting,
            "queued" => UiPhase::Queued { position: o.req("position")?, wait_secs: o.opt("waitSecs")? },
            "chatting" => UiPhase::Chatting { agent_name: o.opt("agentName")? },
            "ended" => UiPhase::Ended { can_rate: o.opt("canRate")? },
            _ => UiPhase::Offline,
        })
    }
}

impl ToJson for UiPhase {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjWriter::new(out);
        match self {
            UiPhase::Idle => w.field("phase", "idle"),
            UiPhase::Prechat => w.field("phase", "prechat"),
            UiPhase::Connecting => w.field("phase", "connecting"),
            UiPhase::Queued { position, wait_secs } => {
                w.field("phase", "queued");
                w.field("position", position);
                w.field("waitSecs", wait_secs);
            }
            UiPhase::Chatting { agent_name } => {
                w.field("phase", "chatting");
                w.field("agentName", agent_name);
            }
            UiPhase::Ended { can_rate } => {
                w.field("phase", "ended");
                w.field("canRate", can_rate);
            }
            UiPhase::Offline => w.field("phase", "offline"),
        }
        w.end();
    }
}

const AUTHOR: &[&str] = &["visitor", "agent", "system"];

impl FromJson for Author {
    fn from_json(v: Value) -> Result<Self, Error> {
        let (i, mut o) = Obj::tagged(v, "kind", AUTHOR, "internally tagged enum Author")?;
        Ok(match AUTHOR[i] {
            "agent" => Author::Agent { name: o.opt("name")?, avatar: o.opt("avatar")? },
            "visitor" => Author::Visitor,
            _ => Author::System,
        })
    }
}

impl ToJson for Author {
    fn write_json(&self, out: &mut String) {
        let mut w = ObjWriter::new(out);
        match self {
            Author::Visitor => w.field("kind", "visitor"),
            Author::Agent { name, avatar } => {
                w.field("kind", "agent");
                w.field("name", name);
                w.field("avatar", avatar);
            }
            Author::System => w.field("kind", "system"),
        }
        w.end();
    }
}
