//! The message list's scrolling: it keeps the newest message in view
//! while the visitor is at its end, leaves it where it is while they read
//! older messages, and then points out new ones with a "New messages"
//! button.

use super::dom::{add, attrs, el, icon, label, show};
use super::widget::Shared;
use crate::core::ui::labels::Label;
use std::rc::Rc;

/// Brings the newest message into view in the next frame, if the list
/// follows new messages (the visitor has not scrolled up to read older
/// ones). Once per frame however many messages came: reading `scrollHeight`
/// right after an append forces a layout, and did so for every message of
/// a burst or of a restored history (half the widget's time per message).
pub fn follow(shared: &Rc<Shared>) {
    {
        let mut st = shared.state.borrow_mut();
        if !st.follow || st.scroll_due {
            return;
        }
        st.scroll_due = true;
    }
    let weak = Rc::downgrade(shared);
    wasm_bindgen_futures::spawn_local(async move {
        crate::web::promise::next_frame().await;
        let Some(shared) = weak.upgrade() else { return };
        let follow = {
            let mut st = shared.state.borrow_mut();
            st.scroll_due = false;
            st.follow
        };
        if follow {
            show_jump(&shared, false);
            let body = &shared.parts.body;
            body.set_scroll_top(body.scroll_height());
            shared.state.borrow_mut().scrolled_to = Some(body.scroll_top());
            super::read::may_mark(&shared);
        }
    });
}

/// The list was scrolled: by [`follow`] (nothing changes, even if messages
/// came since), or by the visitor, and then it follows new messages while
/// its end is in view (within about two lines).
pub fn scrolled(shared: &Shared) {
    let body = &shared.parts.body;
    let height = body.client_height();
    if height == 0 {
        return; // a closed window has no scroll position
    }
    let top = body.scroll_top();
    let mut st = shared.state.borrow_mut();
    if st.scrolled_to == Some(top) {
        return;
    }
    st.scrolled_to = None;
    st.follow = body.scroll_height() - top - height <= 40;
    if st.follow {
        drop(st);
        show_jump(shared, false); // the visitor reached the newest messages
        super::read::may_mark(shared);
    }
}

/// Arrow down (Material `arrow_downward`).
const ARROW_DOWN: &str = "M20 12l-1.41-1.41L13 16.17V4h-2v12.17l-5.58-5.59L4 12l8 8 8-8z";

/// Shows or hides the "new messages" button: messages came below what the
/// visitor reads. It sticks to the bottom of the list's view, and a click
/// brings the list to its end ([`jump_to_end`]). Made when first needed.
pub fn show_jump(shared: &Shared, on: bool) {
    let mut st = shared.state.borrow_mut();
    if st.jump.is_none() {
        if !on {
            return;
        }
        let doc = &shared.parts.doc;
        let b = el(doc, "button", "jump");
        attrs(&b, &[("type", "button"), ("data-act", "jump")]);
        add(&b, icon(doc, ARROW_DOWN));
        label(&add(&b, el(doc, "span", "")), &st.locale, Label::NewMessages);
        st.jump = Some(add(&shared.parts.body, b));
    }
    if let Some(b) = &st.jump {
        show(b, on);
    }
}

/// The "new messages" button was clicked: the list goes to its newest
/// message and follows again; focus, which was on the button, goes to the
/// window's default control.
pub fn jump_to_end(shared: &Rc<Shared>) {
    shared.state.borrow_mut().follow = true;
    show_jump(shared, false);
    follow(shared);
    super::input::focus_default(shared);
}
