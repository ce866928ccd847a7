//! A visitor token from another tab: when the chat server wants a fresh
//! one and the leader tab's page has no auth token provider, the leader
//! asks the other tabs (`TabMsg::NeedToken`) and a follower whose page has
//! one answers (`TabMsg::Token`).

use super::Tabs;
use crate::core::tabs::TabMsg;
use std::rc::Rc;

impl Tabs {
    /// Leader: asks the other tabs for a fresh visitor token (this tab's page
    /// has no provider); the first answer within `timeout_ms`, if any.
    pub async fn ask_token(&self, timeout_ms: u32) -> Option<String> {
        if !self.is_leader() {
            return None;
        }
        let mut resolve = None;
        let answer = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        *self.token_wait.borrow_mut() = resolve;
        self.post(&TabMsg::NeedToken);
        let timeout = js_sys::Promise::new(&mut |r, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&r, timeout_ms.min(i32::MAX as u32) as i32);
            }
        });
        let first = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&answer, &timeout))).await;
        self.token_wait.borrow_mut().take();
        first.ok().and_then(|v| v.as_string())
    }

    /// Follower: the leader needs a token; this tab's page gives one if it
    /// has a provider (checked as at start; a failure here is the leader's
    /// to report, when no tab answers).
    pub(super) fn give_token(self: &Rc<Self>) {
        let (Some(inner), false) = (self.inner.upgrade(), self.is_leader()) else { return };
        let Ok(Some(f)) = crate::web::chat::auth_provider(&inner) else { return };
        let (timeout, leeway) = (inner.config.provider_timeout_ms, inner.config.jwt_leeway_secs);
        drop(inner);
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(token) = crate::web::providers::auth_token(&f, timeout, js_sys::Date::now(), leeway).await {
                if let Some(t) = weak.upgrade() {
                    t.post(&TabMsg::Token { token: token.jwt });
                }
            }
        });
    }

    /// Leader: another tab's answer ends the wait of [`Tabs::ask_token`].
    pub(super) fn took_token(&self, token: String) {
        if let Some(resolve) = self.token_wait.borrow_mut().take() {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &token.into());
        }
    }
}
