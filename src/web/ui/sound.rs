//! The chime for an agent's message the visitor may not see: the window
//! closed, or the page hidden or out of focus. Two short, quiet sine notes
//! made with Web Audio (no audio file to fetch); at most one chime per two
//! seconds, so a burst chimes once. Browsers play sound only once the
//! visitor has interacted with the page; before that nothing is tried.
//! The owner asks [`may_chime`] and plays [`chime`] (the default UI first
//! agrees with the conversation's other tabs on one chime:
//! `default_ui::sound`).
//! The header's toggle (`aria-pressed`: sound on) mutes it, and the owner
//! keeps the choice ([`UiActions::sound_muted`](super::UiActions)). Off,
//! toggle included, with the theme's `sound: false`.

use super::dom::{attrs, el, icon};
use super::widget::Shared;
use gloo_events::{EventListener, EventListenerOptions};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{AudioContext, OscillatorType};

/// Material `notifications` (a bell).
const BELL: &str = "M12 22c1.1 0 2-.9 2-2h-4c0 1.1.89 2 2 2zm6-6v-5c0-3.07-1.64-5.64-4.5-6.32V4c0-.83-.67-1.5-1.5-1.5s-1.5.67-1.5 1.5v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z";

/// The widget's audio context, made at the first chime and closed with
/// the widget.
pub struct Audio(AudioContext);

impl Drop for Audio {
    fn drop(&mut self) {
        let _ = self.0.close();
    }
}

/// Adds the header's toggle before the pop-out button, and learns whether
/// the visitor has interacted with the page, if the theme has sound (the
/// window's code, at its attach).
pub fn mount(shared: &Rc<Shared>) {
    if !shared.state.borrow().cfg.theme.sound {
        return;
    }
    watch_activation(shared);
    let st = shared.state.borrow();
    let p = &shared.parts;
    let b = el(&p.doc, "button", "icon-btn snd");
    attrs(&b, &[("type", "button"), ("data-act", "sound"), ("data-la", "sound"), ("aria-pressed", if st.muted { "false" } else { "true" })]);
    let _ = b.append_child(&icon(&p.doc, BELL));
    let _ = p.popout.before_with_node_1(&b);
}

/// Mutes or unmutes: the toggle, or the visitor's choice the owner kept.
pub fn set_muted(shared: &Shared, muted: bool) {
    shared.state.borrow_mut().muted = muted;
    if let Ok(Some(b)) = shared.parts.window.query_selector("[data-act=sound]") {
        attrs(&b, &[("aria-pressed", if muted { "false" } else { "true" })]);
    }
}

/// The toggle was clicked.
pub fn toggle(shared: &Rc<Shared>) {
    let muted = !shared.state.borrow().muted;
    set_muted(shared, muted);
    shared.act(|a| a.sound_muted(muted));
}

/// Whether this page shows the chat to the visitor: the window open, the
/// page visible and focused.
pub fn shows_chat(shared: &Shared) -> bool {
    let doc = &shared.parts.doc;
    shared.state.borrow().open && !doc.hidden() && doc.has_focus().unwrap_or(true)
}

/// Whether an agent's message that came now should chime here: sound on
/// and not muted, the chat not on screen in this page, no chime decided
/// in the last two seconds, and the visitor has interacted with the page.
/// A yes counts as this page's chime for the next two seconds, even if
/// the owner then leaves it to another tab (`default_ui::sound`): the
/// messages of a burst, decided before any of them plays, chime once.
pub fn may_chime(shared: &Shared) -> bool {
    let now = js_sys::Date::now();
    let st = shared.state.borrow();
    let (on, recent) = (st.cfg.theme.sound && !st.muted, now - st.chimed_at < 2000.0);
    drop(st);
    let yes = on && !recent && shared.state.borrow().activated && !shows_chat(shared);
    if yes {
        shared.state.borrow_mut().chimed_at = now;
    }
    yes
}

/// Plays the chime.
pub fn chime(shared: &Shared) {
    let mut st = shared.state.borrow_mut();
    if st.audio.is_none() {
        st.audio = AudioContext::new().ok().map(Audio);
    }
    if let Some(Audio(ctx)) = &st.audio {
        let _ = play(ctx);
    }
}

/// Whether the visitor has interacted with the page: asked of the browser
/// once (`navigator.userActivation.hasBeenActive`; assumed where it does
/// not say), then learnt from the first pointer press or key press. (Asking
/// the browser for each message cost 12 % of the widget's time per
/// received message, and still about 7 ms a call once a second.)
fn watch_activation(shared: &Rc<Shared>) {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let yes = web_sys::window().is_some_and(|w| {
        let ua = get(&w.navigator(), "userActivation");
        ua.is_undefined() || get(&ua, "hasBeenActive").is_truthy()
    });
    shared.state.borrow_mut().activated = yes;
    let Some(window) = web_sys::window().filter(|_| !yes) else { return };
    let mut listeners = shared.listeners.borrow_mut();
    for kind in ["pointerdown", "keydown"] {
        let weak = Rc::downgrade(shared);
        listeners.push(EventListener::once_with_options(&window, kind, EventListenerOptions::run_in_capture_phase(), move |_| {
            if let Some(s) = weak.upgrade() {
                s.state.borrow_mut().activated = true;
            }
        }));
    }
}

/// A4 then E5 (an ascending fifth), 0.4 s, at most 0.15 of full scale.
fn play(ctx: &AudioContext) -> Result<(), JsValue> {
    let _ = ctx.resume(); // a context made before the visitor's first gesture starts suspended
    let t = ctx.current_time();
    let osc = ctx.create_oscillator()?;
    osc.set_type(OscillatorType::Sine);
    let f = osc.frequency();
    f.set_value_at_time(880.0, t)?;
    f.set_value_at_time(1318.5, t + 0.12)?;
    let gain = ctx.create_gain()?;
    let g = gain.gain();
    g.set_value_at_time(0.0001, t)?;
    g.exponential_ramp_to_value_at_time(0.15, t + 0.02)?;
    g.exponential_ramp_to_value_at_time(0.0001, t + 0.4)?;
    osc.connect_with_audio_node(&gain)?.connect_with_audio_node(&ctx.destination())?;
    osc.start()?;
    osc.stop_with_when(t + 0.45)
}
