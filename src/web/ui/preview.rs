//! `mountWidgetPreview`: the widget driven from JavaScript, for tests and
//! for pages that draw their own session (headless use). Every visitor
//! action goes to one callback as `{ type, ... }` (see `types/ui.d.ts`).

use super::{Launcher, MessageStatus, UiActions, UiConfig, UiMessage, UiPhase, Widget};
use crate::core::errors::{RuntimeError, UsageError};
use crate::web::args::{bool_arg, function_arg, string_arg};
use crate::web::js_error::usage;
use crate::core::protocol::config::Theme;
use js_sys::{Function, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify`, bound here rather than through `js_sys` so that the
    /// preview's chunk shares no code with the chat's (which would make a
    /// third chunk that every chat also fetches).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_text(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `WidgetPreviewConfig` in TypeScript.
    #[wasm_bindgen(typescript_type = "WidgetPreviewConfig")]
    pub type WidgetPreviewConfigTs;
    /// `(action: WidgetAction) => void` in TypeScript.
    #[wasm_bindgen(typescript_type = "(action: WidgetAction) => void")]
    pub type WidgetActionHandlerTs;
    /// `WidgetPhase` in TypeScript.
    #[wasm_bindgen(typescript_type = "WidgetPhase")]
    pub type WidgetPhaseTs;
    /// `WidgetMessage` in TypeScript.
    #[wasm_bindgen(typescript_type = "WidgetMessage")]
    pub type WidgetMessageTs;
    /// `WidgetMessageStatus` in TypeScript.
    #[wasm_bindgen(typescript_type = "WidgetMessageStatus")]
    pub type WidgetMessageStatusTs;
    /// `WidgetTheme` in TypeScript.
    #[wasm_bindgen(typescript_type = "WidgetTheme")]
    pub type WidgetThemeTs;
}

struct JsActions(Function);

impl JsActions {
    fn emit(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let o = Object::new();
        let _ = Reflect::set(&o, &"type".into(), &kind.into());
        for (k, v) in fields {
            let _ = Reflect::set(&o, &(*k).into(), v);
        }
        let _ = self.0.call1(&JsValue::NULL, &o);
    }
}

fn answers(pairs: Vec<(String, String)>) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &k.into(), &v.into());
    }
    o.into()
}

impl UiActions for JsActions {
    fn send_text(&self, text: String) {
        self.emit("sendText", &[("text", text.into())]);
    }
    fn send_file(&self, file: web_sys::File) {
        self.emit("sendFile", &[("file", file.into())]);
    }
    fn submit_prechat(&self, a: Vec<(String, String)>) {
        self.emit("submitPrechat", &[("answers", answers(a))]);
    }
    fn submit_offline(&self, a: Vec<(String, String)>) {
        self.emit("submitOffline", &[("answers", answers(a))]);
    }
    fn rate(&self, thumbs_up: bool, comment: Option<String>) {
        self.emit("rate", &[("thumbsUp", thumbs_up.into()), ("comment", comment.map_or(JsValue::NULL, |c| JsValue::from_str(&c)))]);
    }
    fn end_chat(&self) {
        self.emit("endChat", &[]);
    }
    fn typing(&self, is_typing: bool) {
        self.emit("typing", &[("isTyping", is_typing.into())]);
    }
    fn launcher_clicked(&self) {
        self.emit("launcherClicked", &[]);
    }
    fn popped_out(&self) {
        self.emit("poppedOut", &[]);
    }
}

/// A preview's window code is attached at its mount, so its launcher never
/// asks for it.
struct Attached;

impl Launcher for Attached {}

/// Reads a JS value as `T` through its JSON text: the types already have
/// JSON readers (`crate::core::json`), so this adds no second set.
/// `undefined` properties are absent.
fn parse<T: crate::core::json::FromJson>(v: JsValue, what: &str) -> Result<T, JsValue> {
    let bad = |e: &dyn core::fmt::Display| -> JsValue { usage(UsageError::InvalidArgument, &format!("{what}: {e}")) };
    let text = json_text(&v).ok().and_then(|t| t.as_string()).ok_or_else(|| bad(&"not a JSON value"))?;
    crate::core::json::from_str(&text).map_err(|e| bad(&e))
}

/// What only a preview needs: reading the page's JS values into the
/// widget's types (configuration, phase, message, status, theme). In the
/// split release build (cargo feature `split`, `scripts/build.sh`) this table
/// is a split point: its functions are in a chunk fetched when a page first
/// mounts a preview, so a page that only uses the default widget does not
/// download them.
struct PreviewOps {
    mount: fn(JsValue, Function) -> Result<Widget, JsValue>,
    set_phase: fn(&Widget, JsValue) -> Result<(), JsValue>,
    add_message: fn(&Widget, JsValue) -> Result<(), JsValue>,
    set_status: fn(&Widget, &str, JsValue) -> Result<(), JsValue>,
    set_theme: fn(&Widget, JsValue) -> Result<(), JsValue>,
}

static OPS: PreviewOps = PreviewOps {
    mount: |config, f| {
        let cfg: UiConfig = if config.is_undefined() || config.is_null() { UiConfig::default() } else { parse(config, "config")? };
        let w = Widget::mount(cfg, Rc::new(Attached))?;
        w.attach(Rc::new(JsActions(f)));
        Ok(w)
    },
    set_phase: |w, phase| {
        w.set_phase(parse::<UiPhase>(phase, "phase")?);
        Ok(())
    },
    add_message: |w, message| {
        w.add_message(&parse::<UiMessage>(message, "message")?);
        Ok(())
    },
    set_status: |w, id, status| {
        w.set_status(id, parse::<MessageStatus>(status, "status")?);
        Ok(())
    },
    set_theme: |w, theme| {
        w.set_theme(&parse::<Theme>(theme, "theme")?);
        Ok(())
    },
};

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(preview, fallible))]
fn preview_ops() -> Result<&'static PreviewOps, RuntimeError> {
    Ok(&OPS)
}

/// The widget mounted by [`mount_widget_preview`].
#[wasm_bindgen(skip_typescript)]
pub struct WidgetPreview {
    widget: Option<Widget>,
    ops: &'static PreviewOps,
}

/// Mounts the default widget UI driven from JavaScript; resolves once it is
/// on the page. The release build fetches the preview's code first: when
/// that fails it rejects with an `Error` whose `code` is 7 (the SDK could
/// not load), and the next call fetches again.
#[wasm_bindgen(js_name = mountWidgetPreview, skip_typescript)]
pub async fn mount_widget_preview(config: WidgetPreviewConfigTs, on_action: WidgetActionHandlerTs) -> Result<WidgetPreview, JsValue> {
    crate::web::numbers::install();
    let f = function_arg(&on_action, "mountWidgetPreview: onAction")?;
    let config: JsValue = config.into();
    #[cfg(feature = "split")]
    let ops = preview_ops().await;
    #[cfg(not(feature = "split"))]
    let ops = preview_ops();
    let ops = ops.map_err(|e| {
        let e = RuntimeError::new(e.code, "the widget preview's code could not load (network); try again");
        crate::web::js_error::runtime(&e)
    })?;
    Ok(WidgetPreview { widget: Some((ops.mount)(config, f)?), ops })
}

impl WidgetPreview {
    fn w(&self) -> Result<&Widget, JsValue> {
        self.widget.as_ref().ok_or_else(|| usage(UsageError::Destroyed, "the widget preview was unmounted"))
    }
}

#[wasm_bindgen]
impl WidgetPreview {
    /// Opens the window.
    pub fn open(&self) -> Result<(), JsValue> {
        self.w()?.open();
        Ok(())
    }
    /// Minimizes the window.
    pub fn minimize(&self) -> Result<(), JsValue> {
        self.w()?.minimize();
        Ok(())
    }
    /// Closes the window.
    pub fn hide(&self) -> Result<(), JsValue> {
        self.w()?.hide();
        Ok(())
    }
    /// Sets the phase.
    #[wasm_bindgen(js_name = setPhase)]
    pub fn set_phase(&self, phase: WidgetPhaseTs) -> Result<(), JsValue> {
        (self.ops.set_phase)(self.w()?, phase.into())
    }
    /// Adds or replaces a message.
    #[wasm_bindgen(js_name = addMessage)]
    pub fn add_message(&self, message: WidgetMessageTs) -> Result<(), JsValue> {
        (self.ops.add_message)(self.w()?, message.into())
    }
    /// Sets a message's delivery mark.
    #[wasm_bindgen(js_name = setStatus)]
    pub fn set_status(&self, id: JsValue, status: WidgetMessageStatusTs) -> Result<(), JsValue> {
        let w = self.w()?;
        (self.ops.set_status)(w, &string_arg(&id, "setStatus: the id must be a string")?, status.into())
    }
    /// Shows or hides the agent typing line.
    #[wasm_bindgen(js_name = setTyping)]
    pub fn set_typing(&self, agent_typing: JsValue) -> Result<(), JsValue> {
        let w = self.w()?;
        w.set_typing(bool_arg(&agent_typing, "setTyping: agentTyping must be true or false")?);
        Ok(())
    }
    /// Switches the language.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, tag: JsValue) -> Result<(), JsValue> {
        let w = self.w()?;
        w.set_locale(&string_arg(&tag, "setLocale: the tag must be a string")?);
        Ok(())
    }
    /// The current language tag.
    #[wasm_bindgen(getter)]
    pub fn locale(&self) -> Result<String, JsValue> {
        Ok(self.w()?.locale())
    }
    /// Applies a theme.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&self, theme: WidgetThemeTs) -> Result<(), JsValue> {
        (self.ops.set_theme)(self.w()?, theme.into())
    }
    /// Shows upload progress (0..1) on a message.
    #[wasm_bindgen(js_name = setUploadProgress)]
    pub fn set_upload_progress(&self, id: JsValue, fraction: JsValue) -> Result<(), JsValue> {
        let w = self.w()?;
        let id = string_arg(&id, "setUploadProgress: the id must be a string")?;
        let fraction = fraction.as_f64().filter(|f| f.is_finite())
            .ok_or_else(|| usage(UsageError::InvalidArgument, "setUploadProgress: the fraction must be a finite number"))?;
        w.set_upload_progress(&id, fraction);
        Ok(())
    }
    /// An object URL for a file the visitor sent (revoked by the widget).
    #[wasm_bindgen(js_name = localUrl)]
    pub fn local_url(&self, file: JsValue) -> Result<String, JsValue> {
        let w = self.w()?;
        let file = file.dyn_into::<web_sys::File>().map_err(|_| usage(UsageError::InvalidArgument, "localUrl: expected a File"))?;
        w.local_url(&file)
    }
    /// Opens the pop-out window.
    #[wasm_bindgen(js_name = popOut)]
    pub fn pop_out(&self) -> Result<bool, JsValue> {
        Ok(self.w()?.pop_out())
    }
    /// Whether the window is open.
    #[wasm_bindgen(getter, js_name = isOpen)]
    pub fn is_open(&self) -> Result<bool, JsValue> {
        Ok(self.w()?.is_open())
    }
    /// Removes the widget from the page.
    pub fn unmount(&mut self) {
        self.widget.take();
    }
}
