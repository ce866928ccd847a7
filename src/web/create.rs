//! Building a [`LiveChatSdk`] from its options (`createSdk`): configuration
//! parse, storage and consent, providers, proactive rules, then `lcw:ready`
//! and the engine's start in a microtask; the widget's mount in a task of its
//! own.

use crate::core::config::{self, ConsentMode};
use crate::core::context::Context;
use crate::core::errors::{ErrorCode, RuntimeError, quoted};
use crate::web::args::{option_pairs, set};
use crate::web::events::{dispatch, report, Subscriptions};
use crate::web::jar::{self, Jar};
use crate::web::sdk::LiveChatSdk;
use crate::web::state::{ChatPhase, Inner};
use crate::web::visits::Visits;
use crate::web::{chat, globals, proactive};
use js_sys::Object;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

impl LiveChatSdk {
    /// Builds the SDK from an options object (see `createSdk`).
    pub fn create(options: JsValue) -> Result<LiveChatSdk, JsValue> {
        crate::web::numbers::install();
        let (pairs, funcs, mut errors) = option_pairs(&options);
        let (pro_options, pro_errors) = proactive::api::read_options(&options);
        errors.extend(pro_errors);
        let (config, config_errors) = config::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        errors.extend(config_errors);
        // The core build (no feature `ui`) has no widget: asking for it is code 10.
        #[cfg(not(feature = "ui"))]
        if pairs.iter().any(|(k, v)| k == "ui" && v == "default") {
            errors.push(RuntimeError::new(ErrorCode::InvalidConfig, "config \"ui\": \"default\" needs the widget, which this core build (lcw_core) leaves out; running headless as with \"none\" (load lcw_sdk.js, the full build, for the widget)"));
        }

        let storage_ok = jar::storage_works();
        let document_jar = Jar::document();
        if !storage_ok || document_jar.is_none() {
            errors.push(RuntimeError::new(
                ErrorCode::SdkLoadFailed,
                "browser storage is disabled: the SDK keeps its state in memory for this page only",
            ));
        }
        let consent = config.consent == ConsentMode::Granted;
        let jar = match document_jar {
            Some(j) if consent => j,
            _ => Jar::Memory(Vec::new()),
        };
        let visits = Visits::start(jar, config.visits.clone());

        let mut context_provider = None;
        let mut auth_provider = None;
        for (key, f) in funcs {
            match key.as_str() {
                "contextProvider" => context_provider = Some(f),
                "authTokenProvider" => auth_provider = Some(f),
                _ => errors.push(RuntimeError::new(ErrorCode::InvalidConfig, format!("config {key_q} cannot be a function; ignored", key_q = quoted(&key)))),
            }
        }
        if let (None, Some(path)) = (&context_provider, &config.context_provider) {
            context_provider = globals::resolve_function(path);
            if context_provider.is_none() {
                errors.push(RuntimeError::new(ErrorCode::InvalidConfig, format!("context provider {path_q} is not a function on window", path_q = quoted(path))));
            }
        }
        if let (None, Some(path)) = (&auth_provider, &config.auth_token_provider) {
            auth_provider = globals::resolve_function(path);
            if auth_provider.is_none() {
                errors.push(chat::auth_function_missing(path));
            }
        }

        let inner = Rc::new(Inner {
            config,
            context_provider: RefCell::new(context_provider),
            auth_provider: RefCell::new(auth_provider),
            authorization_code: RefCell::new(None),
            video: RefCell::new(None),
            call: RefCell::new(None),
            video_asked: RefCell::new(None),
            subs: Rc::new(RefCell::new(Subscriptions::default())),
            visits: RefCell::new(visits),
            refresh: RefCell::new(None),
            token: RefCell::new(None),
            chat_context: RefCell::new(Context::default()),
            phase: Cell::new(ChatPhase::Idle),
            session: RefCell::new(None),
            tabs: RefCell::new(None),
            availability: RefCell::new(None),
            early_sends: RefCell::new(Vec::new()),
            #[cfg(feature = "ui")]
            ui: RefCell::new(None),
            prechat_answers: RefCell::new(Default::default()),
            last_conversation: RefCell::new(None),
            left: RefCell::new(None),
            page_typing: RefCell::new(None),
            ops: Cell::new(None),
            consent: Cell::new(consent),
            locale: RefCell::new(None),
            destroyed: Cell::new(false),
            other_tabs: RefCell::new(None),
            proactive: proactive::Proactive::default(),
        });
        inner.proactive.bind(Rc::downgrade(&inner));
        if let Some(c) = pro_options.country {
            inner.proactive.sources.set_country_source(proactive::CountrySource::Fixed(c));
        }
        if let Some(json) = &pro_options.rules {
            proactive::load(&inner, json);
        }
        let sdk = LiveChatSdk { inner };
        if let Some(path) = sdk.inner.config.expose_as.clone() {
            if let Err(e) = sdk.expose_as(JsValue::from_str(&path)) {
                errors.push(RuntimeError::new(ErrorCode::InvalidConfig, crate::web::js_error::describe(&e)));
            }
        }
        let weak = Rc::downgrade(&sdk.inner);
        wasm_bindgen_futures::spawn_local(async move {
            for e in &errors {
                report(e);
            }
            let Some(inner) = weak.upgrade().filter(|i| !i.destroyed.get()) else { return };
            let detail = Object::new();
            set(&detail, "version", env!("CARGO_PKG_VERSION").into());
            dispatch("lcw:ready", &detail);
            // The engine starts with ready, in the same task: a page's test
            // clock that is advanced right after ready finds its timers set.
            proactive::start(&inner, chat::has_stored(&inner));
            #[cfg(feature = "ui")]
            let inner = {
                // The widget's DOM is built in a task of its own: createSdk
                // and ready stay one short task, the mount another, instead
                // of one task long enough to count as a long task (>= 50 ms)
                // on a slow device.
                drop(inner);
                crate::web::promise::next_task().await;
                let Some(inner) = weak.upgrade().filter(|i| !i.destroyed.get()) else { return };
                crate::web::default_ui::mount(inner.clone()).await;
                inner
            };
            // Without the default widget, the server's proactive rules come
            // with a fetch of their own (the widget's mount fetches them).
            if !(cfg!(feature = "ui") && inner.config.default_ui) {
                wasm_bindgen_futures::spawn_local(proactive::server::fetch(inner.clone()));
            }
            chat::retrieve(inner.clone()).await;
            *inner.other_tabs.borrow_mut() = chat::watch_other_tabs(&inner);
            if inner.config.prefetch == crate::core::config::Prefetch::Idle {
                crate::web::lazy::prefetch_at_idle(Rc::downgrade(&inner));
            }
        });
        Ok(sdk)
    }
}
