//! Attachment rules: allowed MIME types (with `type/*` and `*` wildcards)
//! and a maximum size (default and maximum 40 MB), with a refusal message
//! that names what is allowed.

use super::labels::{Label, Locale};
use crate::core::protocol::config::{mime_allowed, FileRules, MAX_ATTACHMENT_BYTES};

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRefusal {
    /// Attachments are off for this widget.
    Disabled,
    /// The type is not in the allowlist.
    Type {
        /// The file's MIME type (`application/octet-stream` when unknown).
        mime: String,
        /// The allowlist.
        allowed: Vec<String>,
    },
    /// The file is larger than the limit.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        max: u64,
    },
}

/// The effective size limit: the configured one, capped at 40 MB; 0 means
/// the default (40 MB).
pub fn max_size(rules: &FileRules) -> u64 {
    if rules.max_size_bytes == 0 { MAX_ATTACHMENT_BYTES } else { rules.max_size_bytes.min(MAX_ATTACHMENT_BYTES) }
}

/// Checks a file of type `mime` (as the browser reports it; empty when
/// unknown) and `size` bytes against `rules`.
pub fn check(rules: &FileRules, mime: &str, size: u64) -> Result<(), FileRefusal> {
    if !rules.enabled {
        return Err(FileRefusal::Disabled);
    }
    let mime = if mime.trim().is_empty() { "application/octet-stream" } else { mime.trim() };
    if !mime_allowed(&rules.allowed_mime_types, mime) {
        return Err(FileRefusal::Type { mime: mime.to_string(), allowed: rules.allowed_mime_types.clone() });
    }
    let max = max_size(rules);
    if size > max {
        return Err(FileRefusal::TooLarge { size, max });
    }
    Ok(())
}

/// A size for people: `512 B`, `12 KB`, `3.4 MB`, `40 MB`.
pub fn human_size(bytes: u64) -> String {
    // Integer arithmetic only: formatting an f64 links Rust's float
    // printing code and tables into the wasm (about 8 KB).
    const KB: u64 = 1024;
    const MB: u64 = KB * KB;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        let whole = (bytes + MB / 2) / MB;
        // Within 0.05 MB of a whole number: "3 MB"; else one decimal.
        if bytes.abs_diff(whole * MB) * 20 < MB {
            format!("{whole} MB")
        } else {
            let tenths = (bytes * 10 + MB / 2) / MB;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// The allowlist for people: `image/*, application/pdf`, or the "any file"
/// label when `*` is allowed.
pub fn allowed_list(locale: &Locale, allowed: &[String]) -> String {
    if allowed.is_empty() {
        return "-".into();
    }
    if allowed.iter().any(|p| p.trim() == "*" || p.trim() == "*/*") {
        return locale.text(Label::AnyFile).to_string();
    }
    joined(allowed.iter().map(|p| p.trim()), ", ")
}

/// The items joined by `sep` (a loop: `[&str]::join` links ~1 KB of
/// generic code for these two lists).
fn joined<'a>(items: impl Iterator<Item = &'a str>, sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

impl FileRefusal {
    /// The refusal for the visitor, naming the file and what is allowed.
    pub fn message(&self, locale: &Locale, file_name: &str) -> String {
        match self {
            FileRefusal::Disabled => locale.text(Label::FilesDisabled).to_string(),
            FileRefusal::Type { mime, allowed } => locale.format(
                Label::FileType,
                &[("file", file_name), ("type", mime), ("allowed", &allowed_list(locale, allowed))],
            ),
            FileRefusal::TooLarge { size, max } => locale
                .format(Label::FileSize, &[("file", file_name), ("size", &human_size(*size)), ("max", &human_size(*max))]),
        }
    }
}

/// The file input's `accept` attribute for `rules` (empty: anything).
pub fn accept_attr(rules: &FileRules) -> String {
    if rules.allowed_mime_types.iter().any(|p| p.trim() == "*" || p.trim() == "*/*") {
        return String::new();
    }
    joined(rules.allowed_mime_types.iter().map(|p| p.trim()).filter(|p| !p.is_empty()), ",")
}
