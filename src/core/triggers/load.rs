//! Reading the rule JSON with per-rule error isolation: one bad rule yields
//! a [`ConfigError`] naming it, the others load.

use crate::core::json::{FromJson, Obj, Value};

use super::spec::{Config, Rule, Settings};
use crate::core::errors::{ErrorCode, RuntimeError};

/// Most rules accepted; the rest are reported and ignored.
pub const MAX_RULES: usize = 256;
/// Deepest JSON nesting accepted inside one rule.
const MAX_JSON_DEPTH: usize = 40;
/// Most problems reported one by one (each is an `lcw:error` event a page's
/// handlers run for); the rest are counted in one more report.
pub const MAX_REPORTED: usize = 20;
/// Longest rules text read (1 MiB: 256 rules of 4 KB each).
pub const MAX_RULES_BYTES: usize = 1 << 20;

/// An invalid rule or setting. The browser reports it as `lcw:error` code 11
/// (`ProactiveRuleInvalid`) via [`ConfigError::to_runtime_error`]; that rule
/// is disabled, the others keep working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The rule's id, `None` for settings or an unreadable document / a rule
    /// without a usable id (the message then names its position).
    pub rule_id: Option<String>,
    /// What is wrong, for `errorDescription`.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(rule_id: Option<&str>, message: impl Into<String>) -> Self {
        ConfigError {
            rule_id: rule_id.map(Into::into),
            message: message.into(),
        }
    }

    /// The `lcw:error` payload (code 11).
    pub fn to_runtime_error(&self) -> RuntimeError {
        RuntimeError::new(ErrorCode::ProactiveRuleInvalid, self.to_string())
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rule_id {
            Some(id) => write!(f, "proactive rule `{id}`: {}", self.message),
            None => write!(f, "proactive rules: {}", self.message),
        }
    }
}

fn too_deep(v: &Value, d: usize) -> bool {
    if d > MAX_JSON_DEPTH {
        return true;
    }
    match v {
        Value::Array(a) => a.iter().any(|x| too_deep(x, d + 1)),
        Value::Object(o) => o.iter().any(|(_, x)| too_deep(x, d + 1)),
        _ => false,
    }
}

impl Config {
    /// Builds a config from rules with default settings.
    pub fn new(rules: Vec<Rule>) -> Self {
        Config {
            settings: Settings::default(),
            rules,
        }
    }

    /// Parses `[rule, ...]` or `{"settings": {...}, "rules": [...]}`. Never
    /// fails as a whole: every problem is a [`ConfigError`], and what is valid
    /// is kept (bad settings fall back to the defaults).
    pub fn from_json(json: &str) -> (Config, Vec<ConfigError>) {
        let mut errs = Vec::new();
        let mut cfg = Config::default();
        if json.len() > MAX_RULES_BYTES {
            errs.push(ConfigError::new(None, format!("{} bytes of rules, more than {MAX_RULES_BYTES}; none loaded", json.len())));
            return (cfg, errs);
        }
        let doc: Value = match crate::core::json::parse(json) {
            Ok(v) => v,
            Err(e) => {
                errs.push(ConfigError::new(None, format!("not valid JSON: {e}")));
                return (cfg, errs);
            }
        };
        let rules = match doc {
            Value::Array(a) => a,
            Value::Object(o) => {
                let mut o = Obj::from_entries(o);
                if let Some(s) = o.take("settings") {
                    match Settings::from_json(s) {
                        Ok(s) => cfg.settings = s,
                        Err(e) => errs.push(ConfigError::new(
                            None,
                            format!("settings: {e}; defaults used"),
                        )),
                    }
                }
                let rules = match o.take("rules") {
                    Some(Value::Array(a)) => a,
                    None => Vec::new(),
                    Some(_) => {
                        errs.push(ConfigError::new(None, "`rules` must be an array"));
                        Vec::new()
                    }
                };
                for (k, _) in o.into_entries() {
                    errs.push(ConfigError::new(
                        None,
                        format!("unknown field `{k}` (expected `settings`, `rules`)"),
                    ));
                }
                rules
            }
            _ => {
                errs.push(ConfigError::new(
                    None,
                    "expected an array of rules or {settings, rules}",
                ));
                return (cfg, errs);
            }
        };
        let total = rules.len();
        for (i, v) in rules.into_iter().enumerate() {
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty() && s.len() <= 64)
                .map(String::from);
            let id = id.as_deref();
            let fail = |m: String| match id {
                Some(id) => ConfigError::new(Some(id), m),
                None => ConfigError::new(None, format!("rule #{i}: {m}")),
            };
            if i >= MAX_RULES {
                errs.push(ConfigError::new(None, format!("{} rules past the first {MAX_RULES} ignored", total - MAX_RULES)));
                break;
            }
            if too_deep(&v, 0) {
                errs.push(fail("nested too deeply".into()));
                continue;
            }
            match Rule::from_json(v) {
                Ok(r) => cfg.rules.push(r),
                Err(e) => errs.push(fail(e.to_string())),
            }
        }
        (cfg, errs)
    }
}

/// Keeps the first [`MAX_REPORTED`] - 1 problems and counts the rest in one
/// more: rules with thousands of mistakes must not become thousands of
/// `lcw:error` events.
pub fn cap_reports(errs: &mut Vec<ConfigError>) {
    if errs.len() > MAX_REPORTED {
        let more = errs.len() - (MAX_REPORTED - 1);
        errs.truncate(MAX_REPORTED - 1);
        errs.push(ConfigError::new(None, format!("{more} more problems, not reported one by one")));
    }
}
