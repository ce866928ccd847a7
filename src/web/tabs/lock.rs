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
    let Some(locks) = lock_manager() else { return false };
    let Ok(query) = crate::web::args::get(&locks, "query").and_then(|f| f.dyn_into::<Function>()) else { return false };
    let Ok(p) = query.call0(&locks) else { return false };
    let Ok(snapshot) = JsFuture::from(Promise::resolve(&p)).await else { return false };
    ["held", "pending"].iter().any(|k| {
        let list = crate::web::args::get(&snapshot, k).unwrap_or(JsValue::UNDEFINED);
        js_sys::Array::from(&list).iter().any(|l| crate::web::args::get(&l, "name").ok().and_then(|n| n.as_string()).as_deref() == Some(name))
    })
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
    _grant: Closure<dyn FnMut(JsValue) -> JsValue>,
}

impl Lock {
    /// Requests `name` (exclusive). `None` without Web Locks.
    pub fn request(name: &str) -> Option<Lock> {
        let locks = lock_manager()?;
        let abort = AbortController::new().ok()?;
        let (granted, on_grant, on_fail) = deferred();
        let (held, release, _) = deferred();
        let grant = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |_lock: JsValue| {
            let _ = on_grant.call0(&JsValue::UNDEFINED);
            held.clone().into()
        });
        let opts = crate::web::args::obj(&[("mode", "exclusive".into()), ("signal", abort.signal().into())]);
        let request: Function = crate::web::args::get(&locks, "request").ok()?.unchecked_into();
        let p = request.call3(&locks, &name.into(), &opts, grant.as_ref()).ok()?;
        // An aborted or failed request rejects `granted` (this also keeps the
        // rejection from being reported as unhandled).
        if let Ok(catch) = crate::web::args::get(&p, "catch").and_then(|f| f.dyn_into::<Function>()) {
            let _ = catch.call1(&p, &on_fail);
        }
        Some(Lock { abort, granted, release, _grant: grant })
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
