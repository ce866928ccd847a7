//! `LiveChatSdk`: the object a page drives (SPEC §1).

use crate::core::context;
use crate::core::errors::{ErrorCode, UsageError, quoted};
use crate::web::events::Subscriptions;
use crate::web::jar::Jar;
use crate::web::js_error::usage;
use crate::web::state::{ChatPhase, Inner};
use crate::web::args::{function_arg, set, string_arg};
use crate::web::{chat, globals, proactive, raw};
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use crate::web::promise::promise;

#[wasm_bindgen]
extern "C" {
    /// `ContextProvider` in TypeScript.
    #[wasm_bindgen(typescript_type = "ContextProvider")]
    pub type ContextProviderFn;
    /// `AuthTokenProvider` in TypeScript.
    #[wasm_bindgen(typescript_type = "AuthTokenProvider")]
    pub type AuthTokenProviderFn;
    /// `StartChatOptions` in TypeScript.
    #[wasm_bindgen(typescript_type = "StartChatOptions")]
    pub type StartChatOptions;
    /// `LcwEventName` in TypeScript.
    #[wasm_bindgen(typescript_type = "LcwEventName")]
    pub type EventNameTs;
    /// `(event: CustomEvent) => void` in TypeScript.
    #[wasm_bindgen(typescript_type = "(event: CustomEvent) => void")]
    pub type HandlerTs;
    /// `() => void` in TypeScript.
    #[wasm_bindgen(typescript_type = "() => void")]
    pub type UnsubscribeTs;
    /// `VisitCounts` in TypeScript.
    #[wasm_bindgen(typescript_type = "VisitCounts")]
    pub type VisitCountsTs;
    /// `ChatMessage[]` in TypeScript.
    #[wasm_bindgen(typescript_type = "ChatMessage[]")]
    pub type MessagesTs;
    /// `ReadState | null` in TypeScript.
    #[wasm_bindgen(typescript_type = "ReadState | null")]
    pub type ReadStateTs;
    /// `ContextProvider | undefined` in TypeScript.
    #[wasm_bindgen(typescript_type = "ContextProvider | undefined")]
    pub type MaybeContextProvider;
    /// `AuthTokenProvider | undefined` in TypeScript.
    #[wasm_bindgen(typescript_type = "AuthTokenProvider | undefined")]
    pub type MaybeAuthProvider;
}

/// The live chat SDK for one page.
#[wasm_bindgen(skip_typescript)]
pub struct LiveChatSdk {
    pub(crate) inner: Rc<Inner>,
}

impl LiveChatSdk {
    pub(crate) fn live(&self) -> Result<&Rc<Inner>, JsValue> {
        if self.inner.destroyed.get() {
            return Err(usage(UsageError::Destroyed, "this SDK instance was destroyed"));
        }
        Ok(&self.inner)
    }
}

#[wasm_bindgen]
impl LiveChatSdk {
    /// Sets the function asked for context when a chat starts.
    #[wasm_bindgen(js_name = setContextProvider)]
    pub fn set_context_provider(&self, provider: ContextProviderFn) -> Result<(), JsValue> {
        let f = function_arg(&provider, "setContextProvider: the provider")?;
        *self.live()?.context_provider.borrow_mut() = Some(f);
        Ok(())
    }

    /// The current context provider, or undefined.
    #[wasm_bindgen(js_name = getContextProvider)]
    pub fn get_context_provider(&self) -> MaybeContextProvider {
        self.inner.context_provider.borrow().clone().map_or(JsValue::UNDEFINED, JsValue::from).unchecked_into()
    }

    /// Removes the context provider.
    #[wasm_bindgen(js_name = removeContextProvider)]
    pub fn remove_context_provider(&self) {
        self.inner.context_provider.borrow_mut().take();
    }

    /// Sets the function asked for a JWT when an authenticated chat starts
    /// and before the token expires.
    #[wasm_bindgen(js_name = setAuthTokenProvider)]
    pub fn set_auth_token_provider(&self, provider: AuthTokenProviderFn) -> Result<(), JsValue> {
        let f = function_arg(&provider, "setAuthTokenProvider: the provider")?;
        *self.live()?.auth_provider.borrow_mut() = Some(f);
        Ok(())
    }

    /// The current auth token provider, or undefined.
    #[wasm_bindgen(js_name = getAuthTokenProvider)]
    pub fn get_auth_token_provider(&self) -> MaybeAuthProvider {
        self.inner.auth_provider.borrow().clone().map_or(JsValue::UNDEFINED, JsValue::from).unchecked_into()
    }

    /// Removes the auth token provider and cancels token refresh.
    #[wasm_bindgen(js_name = removeAuthTokenProvider)]
    pub fn remove_auth_token_provider(&self) {
        self.inner.auth_provider.borrow_mut().take();
        self.inner.refresh.borrow_mut().take();
    }

    /// Hands the SDK an OAuth 2.0 authorization code from the site's
    /// identity provider, with its PKCE verifier if the authorization
    /// request had a challenge (widgets in `oauth` auth mode). The next
    /// chat start sends it to the chat server, which exchanges it for the
    /// visitor's identity. A code is single use: it is kept until a chat
    /// starts with it or the server refuses it (`lcw:error` 15); a new call
    /// replaces it. Not a string, or not the shape RFC 6749 / RFC 7636
    /// give: throws `LCW_INVALID_ARGUMENT`.
    #[wasm_bindgen(js_name = setAuthorizationCode)]
    pub fn set_authorization_code(&self, code: JsValue, code_verifier: JsValue) -> Result<(), JsValue> {
        let inner = self.live()?;
        let code = code.as_string().ok_or_else(|| usage(UsageError::InvalidArgument, "setAuthorizationCode: the code must be a string"))?;
        let verifier = match code_verifier.as_string() {
            Some(v) => Some(v),
            None if code_verifier.is_undefined() || code_verifier.is_null() => None,
            None => return Err(usage(UsageError::InvalidArgument, "setAuthorizationCode: the code verifier must be a string")),
        };
        let checked = crate::core::authcode::validate(&code, verifier.as_deref())
            .map_err(|e| usage(UsageError::InvalidArgument, &format!("setAuthorizationCode: {e}")))?;
        *inner.authorization_code.borrow_mut() = Some(checked);
        Ok(())
    }

    /// Opens the existing chat, or starts one. `customContext` replaces the
    /// provider's context; a bad one is thrown synchronously.
    #[wasm_bindgen(js_name = startChat)]
    pub fn start_chat(&self, options: Option<StartChatOptions>) -> Result<Promise, JsValue> {
        let inner = self.live()?.clone();
        let options: JsValue = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let custom = if options.is_object() {
            let v = crate::web::args::get(&options, "customContext").unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() {
                None
            } else {
                Some(context::validate(&raw::to_raw(&v)).map_err(|e| usage(UsageError::InvalidContext, &format!("startChat: {e}")))?)
            }
        } else if options.is_undefined() || options.is_null() {
            None
        } else {
            return Err(usage(UsageError::InvalidArgument, "startChat: options must be an object"));
        };
        let in_new_window = options.is_object() && crate::web::args::get(&options, "inNewWindow").ok().and_then(|v| v.as_bool()) == Some(true);
        // Opened now, while the click's user activation lasts (a popup
        // opened after an await is blocked); pointed at the page once the
        // chat exists, where the SDK picks it up from storage.
        let popup = if in_new_window {
            web_sys::window().and_then(|w| w.open_with_url_and_target_and_features("", "lcw-chat", "popup,width=420,height=680").ok().flatten())
        } else {
            None
        };
        Ok(promise(async move {
            chat::start(inner.clone(), custom, None).await;
            if let Some(popup) = popup {
                let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
                if inner.phase.get() == ChatPhase::Open && !href.is_empty() {
                    let _ = popup.location().set_href(&href);
                } else {
                    let _ = popup.close();
                }
            }
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// Ends the conversation and clears what the SDK cached for it.
    #[wasm_bindgen(js_name = closeChat)]
    pub fn close_chat(&self) -> Result<Promise, JsValue> {
        let inner = self.live()?.clone();
        Ok(promise(async move {
            chat::close(&inner).await;
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// Sends a visitor message in the open chat. Resolves to its client id
    /// once queued; `lcw:onMessageSent` follows when the server stored it.
    /// Without an open chat or with a bad text, throws `LCW_NO_CHAT` /
    /// `LCW_INVALID_ARGUMENT`.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: JsValue) -> Result<String, JsValue> {
        let inner = self.live()?;
        let text = text.as_string().ok_or_else(|| usage(UsageError::InvalidArgument, "sendMessage: text must be a string"))?;
        chat::send_text(inner, text).map_err(|e| match e.code {
            ErrorCode::QueuedCommandFailed => usage(UsageError::NoChat, "sendMessage: no chat is open"),
            _ => usage(UsageError::InvalidArgument, &format!("sendMessage: {}", e.description)),
        })
    }

    /// The open chat's messages (history and pending sends), oldest first.
    #[wasm_bindgen(js_name = getMessages)]
    pub fn get_messages(&self) -> MessagesTs {
        JsValue::from(chat::messages_js(&self.inner)).unchecked_into()
    }

    /// Read receipts of the open chat: `{visitorReadSeq, agentReadSeq}`,
    /// the `seq` each side has seen up to (0: nothing yet); `null` without
    /// a chat. `lcw:messagesRead` tells each change.
    #[wasm_bindgen(js_name = getReadState)]
    pub fn get_read_state(&self) -> ReadStateTs {
        let r = crate::web::lazy::kept(&self.inner).and_then(|ops| (ops.read_state)(&self.inner));
        let v = r.map_or(JsValue::NULL, |r| {
            crate::web::args::obj(&[("visitorReadSeq", (r.visitor as f64).into()), ("agentReadSeq", (r.agent as f64).into())])
        });
        v.unchecked_into()
    }

    /// Tells the agent that the visitor has seen the open chat's messages,
    /// up to the newest one this page has (a read receipt; the agent's
    /// console shows "Seen"). Call it when they are on screen. True when
    /// that is news (the receipt goes, or goes once the chat reconnects);
    /// false when it was already said, or without a chat.
    #[wasm_bindgen(js_name = markRead)]
    pub fn mark_read(&self) -> Result<bool, JsValue> {
        let inner = self.live()?;
        Ok(crate::web::lazy::kept(inner).is_some_and(|ops| (ops.mark_read)(inner)))
    }

    /// Tells the agent the visitor is typing (`true`, the default) or has
    /// stopped, for a page that draws its own chat: call it on each input
    /// event. The agent hears "typing" once, then "stopped" on
    /// `sendTyping(false)` (say, when the message is sent or the field
    /// emptied) or 3 s after the last call. True when there is a chat to
    /// tell; false without one. Anything but a boolean throws
    /// (`LCW_INVALID_ARGUMENT`).
    #[wasm_bindgen(js_name = sendTyping)]
    pub fn send_typing(&self, is_typing: JsValue) -> Result<bool, JsValue> {
        let inner = self.live()?;
        let on = if is_typing.is_undefined() { Some(true) } else { is_typing.as_bool() };
        let on = on.ok_or_else(|| usage(UsageError::InvalidArgument, "sendTyping: expected true, false or nothing"))?;
        Ok(crate::web::lazy::kept(inner).is_some_and(|ops| (ops.page_typing)(inner, on)))
    }

    /// Queue availability from the chat server (cached for 5 s);
    /// `lcw:getAgentAvailability` carries the same object.
    #[wasm_bindgen(js_name = getAgentAvailability)]
    pub fn get_agent_availability(&self) -> Result<Promise, JsValue> {
        let inner = self.live()?.clone();
        Ok(promise(async move { chat::availability(&inner).await.map_err(|e| crate::web::js_error::runtime(&e)) }))
    }

    /// Subscribes to an SDK event (`"ready"` or `"lcw:ready"`); returns a
    /// function that unsubscribes.
    pub fn on(&self, name: EventNameTs, handler: HandlerTs) -> Result<UnsubscribeTs, JsValue> {
        let inner = self.live()?;
        let name = JsValue::from(name).as_string().ok_or_else(|| usage(UsageError::UnknownEvent, "on: the event name must be a string"))?;
        let handler = function_arg(&handler, "on: the handler")?;
        Ok(Subscriptions::on(&inner.subs, &name, handler)?.unchecked_into())
    }

    /// Visit counts: `{ site, page, newVisit, persisted }`.
    #[wasm_bindgen(js_name = visitCounts)]
    pub fn visit_counts(&self) -> VisitCountsTs {
        let v = self.inner.visits.borrow();
        let obj = Object::new();
        set(&obj, "site", v.site.into());
        set(&obj, "page", v.page.into());
        set(&obj, "newVisit", v.new_visit.into());
        set(&obj, "persisted", (!v.in_memory()).into());
        JsValue::from(obj).unchecked_into()
    }

    /// Resets the visit counter of this page (`"page"`, the default) or of
    /// the whole site (`"all"`).
    #[wasm_bindgen(js_name = resetVisits)]
    pub fn reset_visits(&self, scope: JsValue) -> Result<(), JsValue> {
        let scope = if scope.is_undefined() || scope.is_null() { None } else { Some(string_arg(&scope, "resetVisits: the scope must be a string")?) };
        let all = match scope.as_deref() {
            None | Some("page") => false,
            Some("all") => true,
            Some(other) => return Err(usage(UsageError::InvalidArgument, &format!("resetVisits: scope {other_q} is not \"page\" or \"all\"", other_q = quoted(other)))),
        };
        self.live()?.visits.borrow_mut().reset(all);
        Ok(())
    }

    /// Grants (`true`) or withdraws (`false`) storage consent. Withdrawing
    /// erases what the SDK stored; counting goes on in memory.
    #[wasm_bindgen(js_name = setConsent)]
    pub fn set_consent(&self, granted: JsValue) -> Result<(), JsValue> {
        let inner = self.live()?;
        let granted = granted.as_bool().ok_or_else(|| usage(UsageError::InvalidArgument, "setConsent: expected true or false"))?;
        inner.consent.set(granted);
        proactive::consent_changed(inner, granted);
        #[cfg(feature = "ui")]
        if !granted {
            crate::web::default_ui::sound::forget(inner);
        }
        let mut visits = inner.visits.borrow_mut();
        if granted {
            if let Some(doc) = Jar::document() {
                visits.grant(doc);
            }
        } else {
            visits.revoke();
        }
        Ok(())
    }

    /// Whether storage consent is granted.
    #[wasm_bindgen(js_name = hasConsent)]
    pub fn has_consent(&self) -> bool {
        self.inner.consent.get()
    }

    /// Switches the widget's language at run time (`"fr-CA"`, `"ar"`...);
    /// unknown tags fall back as negotiation does. No-op without the widget.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, tag: JsValue) -> Result<(), JsValue> {
        let inner = self.live()?;
        let tag = tag.as_string().filter(|t| !t.is_empty() && t.len() <= 35)
            .ok_or_else(|| usage(UsageError::InvalidArgument, "setLocale: expected a language tag such as \"fr-CA\""))?;
        *inner.locale.borrow_mut() = Some(tag.clone());
        #[cfg(feature = "ui")]
        if let Some(ui) = inner.ui.borrow().as_ref() {
            ui.widget.set_locale(&tag);
        }
        Ok(())
    }

    /// Installs this SDK at a dotted global path, e.g.
    /// `"Microsoft.Omnichannel.LiveChatWidget.SDK"`.
    #[wasm_bindgen(js_name = exposeAs)]
    pub fn expose_as(&self, path: JsValue) -> Result<(), JsValue> {
        let inner = self.live()?.clone();
        let path = string_arg(&path, "exposeAs: the path must be a string")?;
        globals::install(&path, &LiveChatSdk { inner }.into())
    }

    /// Stops everything: listeners, timers, subscriptions. Later calls throw
    /// `LCW_DESTROYED`.
    pub fn destroy(&self) {
        self.inner.destroyed.set(true);
        self.inner.subs.borrow_mut().clear();
        self.inner.other_tabs.borrow_mut().take();
        self.inner.refresh.borrow_mut().take();
        if let Some(ops) = crate::web::lazy::loaded(&self.inner) {
            (ops.detach)(&self.inner);
        }
        #[cfg(feature = "ui")]
        match self.inner.ui.try_borrow_mut() {
            Ok(mut ui) => drop(ui.take()),
            // Called from a page's handler of an event the widget dispatched
            // while in use (`lcw:onMaximize` from a launcher click): the
            // widget goes once that handler has returned.
            Err(_) => {
                let inner = self.inner.clone();
                wasm_bindgen_futures::spawn_local(async move { drop(inner.ui.borrow_mut().take()) });
            }
        }
        self.inner.phase.set(ChatPhase::Idle);
        self.inner.proactive.shutdown();
    }

    /// The SDK version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }
}

