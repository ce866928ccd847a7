//! Pre-chat and offline form validation.
//!
//! Fields come from [`FormConfig`]; each is optional or required. Known
//! names get known checks whatever their `kind`: `email` must look like an
//! address, `phone` like a phone number; `select` answers must be one of the
//! options; `consent` must be checked (`"true"`) when required.

use super::labels::{Label, Locale};
use crate::core::protocol::config::{FormConfig, FormField};

/// Longest answer accepted in a multi-line field (the server's limit).
pub const MAX_LONG_ANSWER: usize = 4000;
/// Longest answer accepted in a single-line field.
pub const MAX_SHORT_ANSWER: usize = 200;

/// How a field is rendered and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// An email address.
    Email,
    /// A phone number.
    Tel,
    /// Several lines of text.
    Textarea,
    /// One of `options`.
    Select,
    /// A checkbox that must be ticked when required.
    Consent,
}

impl FieldKind {
    /// The kind of `field`: its `kind`, else inferred from its name.
    pub fn of(field: &FormField) -> FieldKind {
        match field.kind.trim().to_ascii_lowercase().as_str() {
            "email" => FieldKind::Email,
            "tel" | "phone" => FieldKind::Tel,
            "textarea" => FieldKind::Textarea,
            "select" if !field.options.is_empty() => FieldKind::Select,
            "consent" | "checkbox" => FieldKind::Consent,
            _ => match field.name.as_str() {
                "email" => FieldKind::Email,
                "phone" => FieldKind::Tel,
                "message" => FieldKind::Textarea,
                "department" if !field.options.is_empty() => FieldKind::Select,
                _ => FieldKind::Text,
            },
        }
    }

    /// The longest accepted answer.
    pub fn max_chars(self) -> usize {
        if self == FieldKind::Textarea { MAX_LONG_ANSWER } else { MAX_SHORT_ANSWER }
    }
}

/// What is wrong with one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Required and empty (or a required consent not given).
    Required,
    /// Not an email address.
    Email,
    /// Not a phone number.
    Phone,
    /// Longer than the limit.
    TooLong(usize),
    /// Not one of the options.
    NotAnOption,
}

/// A field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's `name`.
    pub field: String,
    /// The problem.
    pub error: FieldError,
}

impl FieldProblem {
    /// A sentence for the visitor, naming the field by its `label`.
    pub fn message(&self, locale: &Locale, label: &str) -> String {
        match &self.error {
            FieldError::Required => locale.format(Label::ErrRequired, &[("field", label)]),
            FieldError::Email => locale.text(Label::ErrEmail).to_string(),
            FieldError::Phone => locale.text(Label::ErrPhone).to_string(),
            FieldError::TooLong(max) => locale.format(Label::ErrTooLong, &[("field", label), ("max", &max.to_string())]),
            FieldError::NotAnOption => locale.format(Label::ErrChoice, &[("field", label)]),
        }
    }
}

/// Whether `s` looks like an email address (one `@`, a dotted domain, no
/// spaces; deliberately lenient: the server or a human checks the rest).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
    s.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(bad)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && domain.contains('.')
        && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// Whether `s` looks like a phone number: digits with spaces, dots,
/// dashes, parentheses, an optional leading `+`; 6 to 15 digits.
pub fn is_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || " .-()".contains(c)) && (6..=15).contains(&digits)
}

fn check(field: &FormField, value: &str) -> Option<FieldError> {
    let kind = FieldKind::of(field);
    if kind == FieldKind::Consent {
        return (field.required && value != "true").then_some(FieldError::Required);
    }
    if value.is_empty() {
        return field.required.then_some(FieldError::Required);
    }
    if value.chars().count() > kind.max_chars() {
        return Some(FieldError::TooLong(kind.max_chars()));
    }
    match kind {
        FieldKind::Email if !is_email(value) => Some(FieldError::Email),
        FieldKind::Tel if !is_phone(value) => Some(FieldError::Phone),
        FieldKind::Select if !field.options.iter().any(|o| o == value) => Some(FieldError::NotAnOption),
        _ => None,
    }
}

/// Validates `answers` (`(name, value)`, any order; unknown names ignored)
/// against `form`. Ok: the trimmed, non-empty answers in field order.
/// Err: every problem, in field order.
pub fn validate(form: &FormConfig, answers: &[(String, String)]) -> Result<Vec<(String, String)>, Vec<FieldProblem>> {
    let mut clean = Vec::new();
    let mut problems = Vec::new();
    for field in &form.fields {
        let value = answers.iter().find(|(k, _)| *k == field.name).map(|(_, v)| v.trim()).unwrap_or("");
        match check(field, value) {
            Some(error) => problems.push(FieldProblem { field: field.name.clone(), error }),
            None if !value.is_empty() && (FieldKind::of(field) != FieldKind::Consent || value == "true") => {
                clean.push((field.name.clone(), value.to_string()))
            }
            None => {}
        }
    }
    if problems.is_empty() { Ok(clean) } else { Err(problems) }
}
