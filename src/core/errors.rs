//! Error codes shared by the SDK, the loader and the server.
//!
//! Two kinds of failure reach a page:
//!
//! * runtime failures are dispatched as an `lcw:error` event with a numeric
//!   [`ErrorCode`] (`{errorCode, errorDescription}`);
//! * API misuse is thrown synchronously as a JS `Error` whose `code` is a
//!   stable [`UsageError`] string.

use std::fmt;

/// Numeric codes of the `lcw:error` event. Codes 1–8 follow the Omnichannel
/// live chat SDK; the rest are this SDK's own, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum ErrorCode {
    /// The context provider threw, timed out or returned a bad shape; the
    /// chat starts without context.
    ContextProviderFailed = 1,
    /// The auth token provider threw, rejected or timed out.
    AuthProviderFailed = 2,
    /// The auth token provider answered with no token.
    AuthTokenMissing = 3,
    /// The token is malformed, expired or not yet valid.
    AuthTokenInvalid = 4,
    /// The SDK could not load (for example storage is disabled), or the
    /// chat's code (the split build's chunk) could not be fetched.
    SdkLoadFailed = 7,
    /// The auth function named in the page configuration does not exist.
    AuthFunctionNotFound = 8,
    /// `WebAssembly.instantiate` was refused, usually by a Content Security
    /// Policy without `'wasm-unsafe-eval'`. Reported once, never retried.
    WasmBlocked = 9,
    /// The page configuration (script-tag `data-*` attributes or the options
    /// object) has an invalid value; the default is used instead.
    InvalidConfig = 10,
    /// A proactive rule is invalid (bad regex, end before start, unknown
    /// condition, bad timezone); that rule is disabled, the others run.
    ProactiveRuleInvalid = 11,
    /// A queued pre-load command named an unknown method or failed.
    QueuedCommandFailed = 12,
    /// A page-supplied callback (country source, custom predicate, event
    /// handler) threw; the SDK carries on without its answer.
    CallbackFailed = 13,
    /// The chat transport failed (server unreachable, refused, protocol error).
    TransportFailed = 14,
    /// The widget signs visitors in with an OAuth authorization code and
    /// the chat server refused the start: no code was set, or the site's
    /// identity provider refused it (expired, already used, issued for
    /// another client). Set a fresh code and start again.
    AuthorizationCodeRefused = 15,
    /// A video call could not be had or went wrong: the camera or the
    /// microphone was refused or is missing, the chat server refused (video
    /// off, no video agent, the call taken in another tab), or the
    /// connection to the agent failed. The chat goes on.
    VideoCallFailed = 16,
}

impl ErrorCode {
    /// Every code, in numeric order (used by docs and tests).
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::ContextProviderFailed,
        ErrorCode::AuthProviderFailed,
        ErrorCode::AuthTokenMissing,
        ErrorCode::AuthTokenInvalid,
        ErrorCode::SdkLoadFailed,
        ErrorCode::AuthFunctionNotFound,
        ErrorCode::WasmBlocked,
        ErrorCode::InvalidConfig,
        ErrorCode::ProactiveRuleInvalid,
        ErrorCode::QueuedCommandFailed,
        ErrorCode::CallbackFailed,
        ErrorCode::TransportFailed,
        ErrorCode::AuthorizationCodeRefused,
        ErrorCode::VideoCallFailed,
    ];

    /// The number carried in `event.detail.errorCode`.
    pub fn number(self) -> u16 {
        self as u16
    }
}

/// A runtime failure, as dispatched in an `lcw:error` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeError {
    /// The numeric code.
    pub code: ErrorCode,
    /// A human-readable description for `errorDescription`.
    pub description: String,
}

impl RuntimeError {
    /// Builds a runtime error.
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        RuntimeError { code, description: description.into() }
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lcw error {}: {}", self.code.number(), self.description)
    }
}

impl std::error::Error for RuntimeError {}

/// Stable `code` strings of errors thrown synchronously for API misuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsageError {
    /// An argument has the wrong type (for example a provider that is not a
    /// function).
    InvalidArgument,
    /// A context object breaks the limits (entries, key or value length,
    /// nested or non-primitive values, reserved keys).
    InvalidContext,
    /// `exposeAs` was given a bad path or the path is taken.
    InvalidPath,
    /// An event name that is not one of the SDK's.
    UnknownEvent,
    /// The SDK was destroyed.
    Destroyed,
    /// A chat method needs an open chat.
    NoChat,
}

impl UsageError {
    /// The string placed on the thrown `Error`'s `code` property.
    pub fn code(self) -> &'static str {
        match self {
            UsageError::InvalidArgument => "LCW_INVALID_ARGUMENT",
            UsageError::InvalidContext => "LCW_INVALID_CONTEXT",
            UsageError::InvalidPath => "LCW_INVALID_PATH",
            UsageError::UnknownEvent => "LCW_UNKNOWN_EVENT",
            UsageError::Destroyed => "LCW_DESTROYED",
            UsageError::NoChat => "LCW_NO_CHAT",
        }
    }
}

/// `s` in double quotes for an error message, with `"`, `\` and control
/// characters escaped as in JSON. Messages used `{:?}` for this, which
/// links `Debug`'s escaping and its Unicode printability tables into the
/// wasm.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        let nums: Vec<u16> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        let mut sorted = nums.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(nums, sorted);
        assert_eq!(ErrorCode::AuthTokenInvalid.number(), 4);
        assert_eq!(ErrorCode::AuthFunctionNotFound.number(), 8);
    }

    #[test]
    fn quoted_matches_debug_for_printable_text_and_escapes_controls() {
        for s in ["", "plain", "a \"b\" c", "back\\slash", "tab\there", "line\nbreak", "été 日本"] {
            assert_eq!(quoted(s), format!("{s:?}"));
        }
        assert_eq!(quoted("\u{1}\u{7f}"), "\"\\u0001\\u007f\"");
    }
}
