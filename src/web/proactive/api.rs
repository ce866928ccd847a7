//! The proactive methods of `LiveChatSdk` and the `createSdk` options
//! `proactiveRules` (array/object, or a JSON string as in the
//! `data-proactive-rules` attribute) and `country` (a server-provided code).

use super::CountrySource;
use crate::core::context::{self, Context};
use crate::core::errors::{ErrorCode, RuntimeError, UsageError, quoted};
use crate::core::triggers::{Input, DEFAULT_MESSAGE};
use crate::web::js_error::usage;
use crate::web::sdk::LiveChatSdk;
use crate::web::state::Inner;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

/// `createSdk` option names handled here (not by the core config parser).
pub const OPTION_KEYS: [&str; 3] = ["proactiveRules", "proactive-rules", "country"];

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    fn json_stringify(v: &JsValue) -> Result<JsValue, JsValue>;
}

/// Rules as JSON text: a string is taken as JSON, an array or object is
/// serialized (a cyclic or otherwise unserializable value is an error).
fn rules_json(v: &JsValue) -> Result<String, String> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if !v.is_object() {
        return Err("proactive rules must be an array, an object or a JSON string".into());
    }
    json_stringify(v)
        .map_err(|e| format!("proactive rules cannot be serialized: {}", crate::web::js_error::describe(&e)))?
        .as_string()
        .ok_or_else(|| "proactive rules cannot be serialized".into())
}

/// What `createSdk` options carry for the proactive engine.
#[derive(Default)]
pub struct ProactiveOptions {
    /// The rules as JSON.
    pub rules: Option<String>,
    /// A server-provided country code.
    pub country: Option<String>,
}

/// Reads `proactiveRules` and `country` from the options object; problems
/// are returned as errors (code 11 for rules, 10 for the country).
pub fn read_options(options: &JsValue) -> (ProactiveOptions, Vec<RuntimeError>) {
    let mut out = ProactiveOptions::default();
    let mut errors = Vec::new();
    if !options.is_object() {
        return (out, errors);
    }
    for key in ["proactiveRules", "proactive-rules"] {
        let v = crate::web::args::get(options, key).unwrap_or(JsValue::UNDEFINED);
        if v.is_undefined() {
            continue;
        }
        match rules_json(&v) {
            Ok(json) => out.rules = Some(json),
            Err(e) => errors.push(RuntimeError::new(ErrorCode::ProactiveRuleInvalid, e)),
        }
    }
    let c = crate::web::args::get(options, "country").unwrap_or(JsValue::UNDEFINED);
    if !c.is_undefined() && !c.is_null() {
        match c.as_string() {
            Some(s) if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) => out.country = Some(s),
            Some(s) if s.is_empty() => {}
            _ => errors.push(RuntimeError::new(ErrorCode::InvalidConfig, "config \"country\" must be a two-letter country code; ignored")),
        }
    }
    (out, errors)
}

#[wasm_bindgen]
extern "C" {
    /// `ProactiveConfig | string` in TypeScript.
    #[wasm_bindgen(typescript_type = "ProactiveConfig | string")]
    pub type ProactiveConfigTs;
    /// `() => unknown` in TypeScript.
    #[wasm_bindgen(typescript_type = "() => boolean | Promise<boolean>")]
    pub type PredicateTs;
    /// `PageData` in TypeScript.
    #[wasm_bindgen(typescript_type = "Record<string, string | number | boolean>")]
    pub type PageDataTs;
    /// `CountrySource` in TypeScript.
    #[wasm_bindgen(typescript_type = "CountrySource")]
    pub type CountrySourceTs;
    /// `Geocoder` in TypeScript.
    #[wasm_bindgen(typescript_type = "Geocoder")]
    pub type GeocoderTs;
    /// `NotificationUIConfig` in TypeScript.
    #[wasm_bindgen(typescript_type = "NotificationUIConfig")]
    pub type NotificationUiConfigTs;
    /// `ProactiveInputParams` in TypeScript.
    #[wasm_bindgen(typescript_type = "ProactiveInputParams")]
    pub type ProactiveInputParamsTs;
}

fn bad(msg: &str) -> JsValue {
    usage(UsageError::InvalidArgument, msg)
}

fn function(v: &JsValue, what: &str) -> Result<Function, JsValue> {
    v.clone().dyn_into::<Function>().map_err(|_| bad(&format!("{what} must be a function")))
}

fn live(sdk: &LiveChatSdk) -> Result<&std::rc::Rc<Inner>, JsValue> {
    sdk.live()
}

#[wasm_bindgen]
impl LiveChatSdk {
    /// Replaces the proactive rules. Each invalid rule is reported as
    /// `lcw:error` code 11 and left out; the others run. The engine's code
    /// reads them, once it is loaded (the reports come then, before
    /// `lcw:proactiveRulesRunning`).
    #[wasm_bindgen(js_name = setProactiveRules)]
    pub fn set_proactive_rules(&self, rules: ProactiveConfigTs) -> Result<(), JsValue> {
        let inner = live(self)?;
        let json = rules_json(&rules).map_err(|e| bad(&format!("setProactiveRules: {e}")))?;
        super::load(inner, &json);
        Ok(())
    }

    /// Registers a page predicate for `{"type": "predicate", "name": ...}`
    /// conditions (asked on load, on each page view and now; a throwing
    /// predicate is reported once as code 13 and counts as false).
    #[wasm_bindgen(js_name = registerPredicate)]
    pub fn register_predicate(&self, name: JsValue, predicate: PredicateTs) -> Result<(), JsValue> {
        let inner = live(self)?;
        let name = crate::web::args::string_arg(&name, "registerPredicate: the name must be a string")?;
        if name.is_empty() || name.len() > 64 {
            return Err(bad("registerPredicate: the name must be 1 to 64 characters"));
        }
        let f = function(&predicate, "registerPredicate: the predicate")?;
        let p = &inner.proactive;
        {
            let mut list = p.sources.predicates.borrow_mut();
            list.retain(|(n, _)| *n != name);
            list.push((name.clone(), f));
        }
        super::ask_predicate(inner, name);
        Ok(())
    }

    /// Page data for message templates (`{caseId}`), for this page view.
    /// Values must be strings, numbers or booleans.
    #[wasm_bindgen(js_name = setPageData)]
    pub fn set_page_data(&self, data: PageDataTs) -> Result<(), JsValue> {
        let inner = live(self)?;
        let raw = crate::web::raw::to_raw(&data);
        let context::Raw::Object(fields) = raw else {
            return Err(bad("setPageData: expected an object of strings, numbers or booleans"));
        };
        let mut inputs = Vec::new();
        for (key, v) in fields {
            let value = match v {
                context::Raw::Str(s) => s,
                context::Raw::Bool(b) => b.to_string(),
                context::Raw::Number(n) if n.is_finite() => js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default(),
                _ => return Err(bad(&format!("setPageData: {key_q} must be a string, number or boolean", key_q = quoted(&key)))),
            };
            inputs.push(Input::PageData { key, value });
        }
        for i in &inputs {
            if let Input::PageData { key, value } = i {
                inner.proactive.sources.put_page_data(key, value);
            }
        }
        super::feed_all(inner, inputs);
        Ok(())
    }

    /// Sets the country source: `fn()` returns an ISO 3166-1 alpha-2 code
    /// (or a Promise of one); null/undefined = unknown. Asked only when a
    /// rule has a `country` condition. A throwing source is reported once
    /// (code 13) and the country is unknown.
    #[wasm_bindgen(js_name = setCountrySource)]
    pub fn set_country_source(&self, source: CountrySourceTs) -> Result<(), JsValue> {
        let inner = live(self)?;
        let f = function(&source, "setCountrySource: the source")?;
        inner.proactive.sources.set_country_source(CountrySource::Callback(f));
        refresh_country(inner);
        Ok(())
    }

    /// Uses the browser's geolocation and the site's `geocoder(lat, lon)`
    /// (returning a country code or a Promise of one). Permission denied:
    /// the country is unknown, no error.
    #[wasm_bindgen(js_name = useGeolocationCountry)]
    pub fn use_geolocation_country(&self, geocoder: GeocoderTs) -> Result<(), JsValue> {
        let inner = live(self)?;
        let f = function(&geocoder, "useGeolocationCountry: the geocoder")?;
        inner.proactive.sources.set_country_source(CountrySource::Geolocation(f));
        refresh_country(inner);
        Ok(())
    }

    /// Tells the proactive engine whether an agent is available.
    #[wasm_bindgen(js_name = setAgentAvailability)]
    pub fn set_agent_availability(&self, available: JsValue) -> Result<(), JsValue> {
        let inner = live(self)?;
        let a = available.as_bool().ok_or_else(|| bad("setAgentAvailability: expected true or false"))?;
        inner.proactive.sources.agent.set(Some(a));
        super::feed(inner, Input::AgentAvailable(a));
        Ok(())
    }

    /// Shows an invite now (`ruleId: "manual"`) with
    /// `notificationUIConfig.message` (default "Hi! Have any questions? I'm
    /// here to help."); closes itself after 60 s. Accepting starts the chat
    /// with `inputParams` context (`{customContext}` or a context object)
    /// plus `Proactive Chat = True`. The Promise settles once the invite
    /// is up (its code may have to load first; if it cannot, `lcw:error`
    /// 7 and no invite).
    #[wasm_bindgen(js_name = startProactiveChat)]
    pub fn start_proactive_chat(
        &self,
        notification_ui_config: Option<NotificationUiConfigTs>,
        show_prechat: JsValue,
        input_params: Option<ProactiveInputParamsTs>,
    ) -> Result<Promise, JsValue> {
        let inner = live(self)?;
        let cfg: JsValue = notification_ui_config.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        let message = if cfg.is_undefined() || cfg.is_null() {
            DEFAULT_MESSAGE.to_string()
        } else if cfg.is_object() && crate::web::raw::is_array(&cfg) == Ok(false) {
            let m = crate::web::args::get(&cfg, "message").unwrap_or(JsValue::UNDEFINED);
            match m.as_string() {
                Some(s) if !s.trim().is_empty() && s.len() <= 2000 => s,
                Some(s) if s.len() > 2000 => return Err(bad("startProactiveChat: message is longer than 2000 bytes")),
                None if m.is_undefined() || m.is_null() => DEFAULT_MESSAGE.to_string(),
                Some(_) => DEFAULT_MESSAGE.to_string(),
                None => return Err(bad("startProactiveChat: notificationUIConfig.message must be a string")),
            }
        } else {
            return Err(bad("startProactiveChat: notificationUIConfig must be an object"));
        };
        if !(show_prechat.is_undefined() || show_prechat.as_bool().is_some()) {
            return Err(bad("startProactiveChat: showPrechat must be a boolean"));
        }
        let params: JsValue = input_params.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        let context = if params.is_undefined() || params.is_null() {
            Context::default()
        } else if params.is_object() {
            let custom = crate::web::args::get(&params, "customContext").unwrap_or(JsValue::UNDEFINED);
            let src = if custom.is_undefined() { &params } else { &custom };
            context::validate(&crate::web::raw::to_raw(src)).map_err(|e| bad(&format!("startProactiveChat: inputParams: {}", e.0)))?
        } else {
            return Err(bad("startProactiveChat: inputParams must be an object"));
        };
        // An invitation to chat while a chat is open would only get in the way.
        if inner.phase.get() != crate::web::state::ChatPhase::Idle {
            return Ok(Promise::resolve(&JsValue::UNDEFINED));
        }
        let inner = inner.clone();
        Ok(crate::web::promise::promise(async move {
            super::show_manual(inner, message, context).await;
            Ok(JsValue::UNDEFINED)
        }))
    }
}

/// A new country source: ask it now if a rule needs the country.
fn refresh_country(inner: &Inner) {
    if inner.proactive.started.get() {
        super::ask_country(inner);
    }
}
