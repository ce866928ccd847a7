//! A Web Lock held for as long as a Rust value lives.
//!
//! `navigator.locks.request(name, {mode: "exclusive", signal}, cb)`: when the
//! browser grants the lock, `cb` returns a promise that stays pending, so the
//! lock is held until [`Lock`] is dropped (which resolves that promise) or
//! the tab goes away (the browser releases it). Dropping a [`Lock`] that was
//! not granted yet aborts the request through its `AbortSignal`.
//! web-sys binds `LockManager` only behind `web_sys_unstable_apis`, so the
//! call goes through `Reflect`.

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

/// `navigator.locks`, when the browser has the Web Locks API.
pub fn lock_manager() -> Option<Object> {
    let nav = web_sys::window()?.navigator();
    let locks = crate::web::args::get(&nav, "locks").ok()?;
    let request = crate::web::args::get(&locks, "request").ok()?;
    request.is_function().then(|| locks.unchecked_into())
}

/// Whether a lock named `name` is held or requested by any tab, per
/// `navigator.locks.query()` (answered by the browser, so up to date, unlike
/// another tab's localStorage writes, which reach this tab asynchronously).
pub async fn in_use(name: &str) -> bool {
    query().await.is_some_and(|q| q.held(name) || q.pending(name))
}

/// The browser's answer to `navigator.locks.query()`.
pub struct Snapshot(JsValue);

impl Snapshot {
    fn has(&self, list: &str, name: &str) -> bool {
        let list = crate::web::args::get(&self.0, list).unwrap_or(JsValue::UNDEFINED);
        js_sys::Array::from(&list).iter().any(|l| crate::web::args::get(&l, "name").ok().and_then(|n| n.as_string()).as_deref() == Some(name))
    }

    /// Whether a tab holds `name`.
    pub fn held(&self, name: &str) -> bool {
        self.has("held", name)
    }

    /// Whether a tab waits for `name`.
    pub fn pending(&self, name: &str) -> bool {
        self.has("pending", name)
    }
}

/// The locks held and requested by every tab of this origin; `None`
/// without Web Locks.
pub async fn query() -> Option<Snapshot> {
    let locks = lock_manager()?;
    let query = crate::web::args::get(&locks, "query").ok()?.dyn_into::<Function>().ok()?;
    let p = query.call0(&locks).ok()?;
    JsFuture::from(Promise::resolve(&p)).await.ok().map(Snapshot)
}

/// Takes `name` if no tab holds it, and keeps it for `hold_ms`: true for
/// the one tab of several asking at once that got it (`ifAvailable`).
/// False without Web Locks. (The default widget's chime: one per message
/// across tabs.)
#[cfg(feature = "ui")]
pub async fn claim(name: &str, hold_ms: i32) -> bool {
    let Some(locks) = lock_manager() else { return false };
    let Ok(request) = crate::web::args::get(&locks, "request").and_then(|f| f.dyn_into::<Function>()) else { return false };
    let (got, on_answer, _) = deferred();
    let answer = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let _ = on_answer.call1(&JsValue::UNDEFINED, &JsValue::from_bool(!lock.is_null()));
        if lock.is_null() {
            return JsValue::UNDEFINED;
        }
        // Held until this resolves: a tab that asks a moment later finds it taken.
        Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, hold_ms);
            }
        })
        .into()
    });
    let opts = crate::web::args::obj(&[("ifAvailable", true.into())]);
    if request.call3(&locks, &name.into(), &opts, &answer).is_err() {
        return false;
    }
    JsFuture::from(got).await.is_ok_and(|v| v.is_truthy())
}

/// A promise and its `resolve`.
fn deferred() -> (Promise, Function, Function) {
    let mut slots = None;
    let p = Promise::new(&mut |resolve, reject| slots = Some((resolve, reject)));
    let (resolve, reject) = slots.expect("the Promise executor runs synchronously");
    (p, resolve, reject)
}

/// An exclusive lock, requested or held; released on drop.
pub struct Lock {
    abort: AbortController,
    /// Resolved when granted; rejected when the request fails or is aborted.
    granted: Promise,
    /// Resolves the promise that holds the lock.
    release: Function,
}

impl Lock {
    /// Requests `name` (exclusive). `None` without Web Locks.
    pub fn request(name: &str) -> Option<Lock> {
        Lock::request_mode(name, "exclusive")
    }

    /// Requests `name` in `mode` (`"exclusive"` or `"shared"`: any number
    /// of tabs hold a shared lock at once).
    pub fn request_mode(name: &str, mode: &str) -> Option<Lock> {
        let locks = lock_manager()?;
        let abort = AbortController::new().ok()?;
        let (granted, on_grant, on_fail) = deferred();
        let (held, release, _) = deferred();
        // Owned by JS and freed by its one call: the browser may still call
        // it after this Lock was dropped (a grant already on its way when
        // the request is aborted); the lock is then released at once, as
        // `held` is already resolved.
        let grant = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            let _ = on_grant.call0(&JsValue::UNDEFINED);
            held.into()
        });
        let opts = crate::web::args::obj(&[("mode", mode.into()), ("signal", abort.signal().into())]);
        let request: Function = crate::web::args::get(&locks, "request").ok()?.unchecked_into();
        let p = request.call3(&locks, &name.into(), &opts, &grant).ok()?;
        // An aborted or failed request rejects `granted` (this also keeps the
        // rejection from being reported as unhandled). `granted` itself is
        // marked handled too, for a Lock nobody waits on (the widget's
        // `watching`): a drop before the grant would otherwise surface as an
        // uncaught AbortError. (Its handler, `on_fail` again, does nothing
        // on a settled promise; awaiting `granted` still sees the rejection.)
        for q in [&p, granted.as_ref()] {
            if let Ok(catch) = crate::web::args::get(q, "catch").and_then(|f| f.dyn_into::<Function>()) {
                let _ = catch.call1(q, &on_fail);
            }
        }
        Some(Lock { abort, granted, release })
    }

    /// Resolves to `true` when the lock is granted, `false` if it never
    /// will be (the request failed or this [`Lock`] was dropped). It does not
    /// borrow the lock, so a task can wait without keeping it alive.
    pub fn granted(&self) -> impl std::future::Future<Output = bool> {
        let f = JsFuture::from(self.granted.clone());
        async move { f.await.is_ok() }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        self.abort.abort();
        let _ = self.release.call0(&JsValue::UNDEFINED);
    }
}
