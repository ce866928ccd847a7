//! Label keys, the built-in string tables, language negotiation and per-site
//! overrides.
//!
//! A site overrides any label per language through the widget configuration's
//! `translations` map (`{"fr": {"send": "Envoyer"}}`); form field labels can
//! be overridden with the key `field.<name>`. Templates use `{name}`
//! placeholders filled by [`Locale::format`].

use std::collections::BTreeMap;

use crate::core::lang::{primary, same};
pub use crate::core::lang::{is_rtl, negotiate};

macro_rules! labels {
    ($($variant:ident = $key:literal,)*) => {
        /// A translatable label. Its key (the doc text) is what site
        /// overrides use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Label { $(#[doc = $key] $variant,)* }
        /// Every label key, in [`Label`] order.
        pub const LABEL_KEYS: &[&str] = &[$($key,)*];
        /// Every label, in table order.
        pub const ALL_LABELS: &[Label] = &[$(Label::$variant,)*];
    };
}

labels! {
    LauncherText = "launcherText",
    OpenChat = "openChat",
    ChatWindow = "chatWindow",
    Minimize = "minimize",
    Close = "close",
    PopOut = "popOut",
    Messages = "messages",
    MessageInput = "messageInput",
    Send = "send",
    Attach = "attach",
    EndChat = "endChat",
    NewChat = "newChat",
    Welcome = "welcome",
    Connecting = "connecting",
    QueuePosition = "queuePosition",
    QueueWait = "queueWait",
    ChattingWith = "chattingWith",
    AgentTyping = "agentTyping",
    Sending = "sending",
    Sent = "sent",
    Failed = "failed",
    Uploading = "uploading",
    You = "you",
    Agent = "agent",
    ChatEnded = "chatEnded",
    RatePrompt = "ratePrompt",
    ThumbsUp = "thumbsUp",
    ThumbsDown = "thumbsDown",
    Comment = "comment",
    SendFeedback = "sendFeedback",
    Thanks = "thanks",
    PrechatTitle = "prechatTitle",
    StartChat = "startChat",
    OfflineTitle = "offlineTitle",
    OfflineSubmit = "offlineSubmit",
    OfflineSent = "offlineSent",
    Required = "required",
    Choose = "choose",
    FieldName = "field.name",
    FieldEmail = "field.email",
    FieldDepartment = "field.department",
    FieldMessage = "field.message",
    FieldPhone = "field.phone",
    ErrRequired = "errRequired",
    ErrEmail = "errEmail",
    ErrPhone = "errPhone",
    ErrTooLong = "errTooLong",
    ErrChoice = "errChoice",
    FixErrors = "fixErrors",
    FilesDisabled = "filesDisabled",
    FileType = "fileType",
    FileSize = "fileSize",
    AnyFile = "anyFile",
    MessageTooLong = "messageTooLong",
    DropFile = "dropFile",
    FileUnavailable = "fileUnavailable",
    Unread = "unread",
    VideoCall = "videoCall",
    VideoInvite = "videoInvite",
    VideoJoin = "videoJoin",
    VideoDecline = "videoDecline",
    VideoHangUp = "videoHangUp",
    VideoCamera = "videoCamera",
    VideoMicrophone = "videoMicrophone",
    VideoWaiting = "videoWaiting",
    VideoReconnecting = "videoReconnecting",
    Reconnecting = "reconnecting",
    NewMessages = "newMessages",
    Transcript = "transcript",
    Sound = "sound",
    Retry = "retry",
    Seen = "seen",
}

/// Number of labels; every table has exactly this many entries.
pub const LABEL_COUNT: usize = LABEL_KEYS.len();

/// A complete string table for one language, as written in the source
/// (packed into a [`Packed`] for the build).
pub type Table = [&'static str; LABEL_COUNT];

impl Label {
    /// The key site overrides use for this label.
    pub fn key(self) -> &'static str {
        LABEL_KEYS[self as usize]
    }

    /// The label with this key.
    pub fn from_key(key: &str) -> Option<Label> {
        LABEL_KEYS.iter().position(|k| *k == key).map(|i| ALL_LABELS[i])
    }
}

/// Separates the labels in a [`Packed`] table.
const SEP: u8 = 0x1f;

/// Length of `t`'s labels joined by [`SEP`].
const fn packed_len(t: &[&str]) -> usize {
    let mut n = t.len() - 1;
    let mut i = 0;
    while i < t.len() {
        n += t[i].len();
        i += 1;
    }
    n
}

/// `t`'s labels joined by [`SEP`] (none contains it: checked here).
const fn pack<const N: usize>(t: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut o, mut i) = (0, 0);
    while i < t.len() {
        if i > 0 {
            out[o] = SEP;
            o += 1;
        }
        let b = t[i].as_bytes();
        let mut j = 0;
        while j < b.len() {
            assert!(b[j] != SEP, "a label contains the separator");
            out[o] = b[j];
            o += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// Some labels as one string, packed at compile time: the wasm then holds
/// the text alone, without a (pointer, length) pair per label (8 bytes x
/// 65 labels x 11 languages).
#[derive(Debug, Clone, Copy)]
pub struct Packed(&'static str);

macro_rules! packed {
    ($t:expr) => {{
        const T: &[&str] = &$t;
        const BYTES: [u8; packed_len(T)] = pack(T);
        match std::str::from_utf8(&BYTES) {
            Ok(s) => Packed(s),
            Err(_) => panic!("a label table is not UTF-8"),
        }
    }};
}

impl Packed {
    /// The labels in order.
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        self.0.split(SEP as char)
    }

    /// Label number `i` (empty past the end).
    pub fn get(self, i: usize) -> &'static str {
        self.iter().nth(i).unwrap_or("")
    }
}

/// The labels a closed widget shows (the launcher and its unread count),
/// read with [`Locale::closed_text`]. They have tables of their own, so
/// that in the split build the code of a closed widget does not reach the
/// other labels, which then load with the window's code (about 7 kB gzip
/// in eleven languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedLabel {
    /// The launcher's text (and the window's default header name).
    LauncherText,
    /// The launcher's unread count in words (`{count}`).
    Unread,
}

impl ClosedLabel {
    /// The same label in [`Label`] (its key and its place in a [`Table`]).
    pub const fn label(self) -> Label {
        match self {
            ClosedLabel::LauncherText => Label::LauncherText,
            ClosedLabel::Unread => Label::Unread,
        }
    }
}

/// `t`'s [`ClosedLabel`]s, in that enum's order.
const fn closed(t: &Table) -> [&'static str; 2] {
    [t[ClosedLabel::LauncherText.label() as usize], t[ClosedLabel::Unread.label() as usize]]
}

macro_rules! builtin {
    ($(($tag:literal, $table:path, $rtl:literal),)*) => {
        /// The built-in languages: tag, right-to-left. Their labels are in
        /// [`BUILTIN_TABLES`] (and the closed widget's in a table of their
        /// own), in this order.
        pub const BUILTIN: &[(&str, bool)] = &[$(($tag, $rtl),)*];
        /// The built-in languages' labels, in [`BUILTIN`] order.
        pub const BUILTIN_TABLES: &[Packed] = &[$(packed!($table),)*];
        const CLOSED_TABLES: &[Packed] = &[$(packed!(closed(&$table)),)*];
    };
}

builtin! {
    ("en", super::tables_a::EN, false),
    ("fr", super::tables_a::FR, false),
    ("fr-CA", super::tables_a::FR_CA, false),
    ("de", super::tables_a::DE, false),
    ("es", super::tables_a::ES, false),
    ("it", super::tables_a::IT, false),
    ("nl", super::tables_b::NL, false),
    ("pt", super::tables_b::PT, false),
    ("ja", super::tables_b::JA, false),
    ("zh-CN", super::tables_b::ZH_CN, false),
    ("ar", super::tables_b::AR, true),
}

/// The index in [`BUILTIN`] of `tag`'s language (exact, else its primary
/// subtag's).
fn builtin_index(tag: &str) -> Option<usize> {
    let exact = BUILTIN.iter().position(|(t, _)| same(t, tag));
    exact.or_else(|| BUILTIN.iter().position(|(t, _)| same(t, primary(tag))))
}

/// The labels of one negotiated language, with the site's overrides.
#[derive(Debug, Clone)]
pub struct Locale {
    tag: String,
    /// The built-in language whose labels apply (index in [`BUILTIN`]).
    lang: usize,
    /// Site overrides in the order they apply: a later entry for the same
    /// key wins (looked up from the end). A list, not a map: cloning and
    /// searching it reuses code the crate has anyway.
    overrides: Vec<(String, String)>,
}

impl Default for Locale {
    fn default() -> Self {
        Locale { tag: "en".into(), lang: 0, overrides: Vec::new() }
    }
}

impl Locale {
    /// Negotiates a language from `preferred` among the built-in languages
    /// and the languages the site translated, and collects the overrides
    /// (fallback language's, then the primary subtag's, then the tag's own).
    pub fn negotiate(
        preferred: &[String],
        fallback: &str,
        site: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Locale {
        let fallback = if fallback.trim().is_empty() { "en" } else { fallback.trim() };
        let mut available: Vec<&str> = BUILTIN.iter().map(|(t, _)| *t).collect();
        available.extend(site.keys().map(String::as_str).filter(|k| !BUILTIN.iter().any(|(t, _)| same(t, k))));
        let tag = negotiate(preferred, &available, fallback);
        let lang = builtin_index(&tag).or_else(|| builtin_index(fallback)).unwrap_or(0);
        let mut overrides = Vec::new();
        for source in [fallback, primary(&tag), tag.as_str()] {
            if let Some((_, map)) = site.iter().find(|(k, _)| same(k, source)) {
                overrides.extend(map.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        Locale { tag, lang, overrides }
    }

    /// The negotiated language tag (goes into the `lang` attribute).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        is_rtl(&self.tag)
    }

    /// The text of `label` (site override first).
    pub fn text(&self, label: Label) -> &str {
        self.site_text(label.key()).unwrap_or_else(|| BUILTIN_TABLES[self.lang].get(label as usize))
    }

    /// The text of a label of the closed widget: as [`Locale::text`], from
    /// the closed widget's own tables (see [`ClosedLabel`]).
    pub fn closed_text(&self, label: ClosedLabel) -> &str {
        self.site_text(label.label().key()).unwrap_or_else(|| CLOSED_TABLES[self.lang].get(label as usize))
    }

    /// The text of `label` with `{name}` placeholders replaced by `args`.
    pub fn format(&self, label: Label, args: &[(&str, &str)]) -> String {
        fill(self.text(label), args)
    }

    /// A site override by raw key (for keys outside [`Label`]).
    pub fn site_text(&self, key: &str) -> Option<&str> {
        self.overrides.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The label of a form field: the site's `field.<name>` override, else
    /// the configured label, else the built-in label for the known names
    /// (`name`, `email`, `department`, `message`, `phone`), else the name.
    pub fn field_label(&self, name: &str, configured: &str) -> String {
        let key = format!("field.{name}");
        if let Some(text) = self.site_text(&key) {
            return text.to_string();
        }
        if !configured.trim().is_empty() {
            return configured.trim().to_string();
        }
        Label::from_key(&key).map(|l| self.text(l).to_string()).unwrap_or_else(|| name.to_string())
    }
}

/// Replaces each `{key}` in `template` with its value from `args`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
