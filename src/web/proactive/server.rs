//! Proactive rules from the chat server's widget configuration
//! (`proactiveRules`, docs/PROTOCOL.md): the site's rules, managed where
//! the widget is configured. They run when the page gives none of its own
//! (the `proactiveRules` option, `data-proactive-rules`,
//! `setProactiveRules`); rules the page gives, before or after they come,
//! take their place.

use crate::core::protocol::config::proactive_rules_text;
use crate::web::events::report;
use crate::web::state::Inner;
use std::rc::Rc;

/// Runs the server's rules (JSON text of an array) unless the page gave its
/// own; an invalid rule is `lcw:error` 11, as for the page's.
pub fn apply(inner: &Inner, rules_json: &str) {
    if inner.proactive.page_rules.get() || inner.destroyed.get() {
        return;
    }
    super::load_rules(inner, rules_json);
}

/// The server's rules from its widget configuration's JSON text.
pub fn apply_config(inner: &Inner, config_json: &str) {
    if let Some(rules) = proactive_rules_text(config_json) {
        apply(inner, &rules);
    }
}

/// Fetches the widget configuration for its rules, on a page without the
/// default widget (which fetches it anyway, `default_ui::mount`). Nothing
/// when the page has its own rules or no chat server. A failed fetch is
/// `lcw:error` 14, as the widget's.
pub async fn fetch(inner: Rc<Inner>) {
    if inner.proactive.page_rules.get() {
        return;
    }
    let Some(base) = inner.config.server_url.clone() else { return };
    let path = format!("/v1/widgets/{}/config", inner.config.widget_id);
    match crate::web::session::http::request("GET", &crate::web::session::url(&base, &path), None, None).await {
        Ok(text) => apply_config(&inner, &text),
        Err(e) => report(&e),
    }
}
