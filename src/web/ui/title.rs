//! The page's title counts the agent's messages that came while the page
//! was hidden (`(2) Shop`), as visitors know from other chat widgets and
//! web mail: a reply is seen from another tab. The title is restored when
//! the page is shown again or the widget is removed. A title the page set
//! meanwhile is never touched: only the one the widget wrote is replaced.
//! Off with the theme's `titleAlert: false`.

use super::widget::Shared;
use web_sys::Document;

/// The count the title shows.
pub struct TitleAlert {
    /// The page's own title.
    base: String,
    /// The title the widget wrote.
    written: String,
    /// Agent messages counted.
    count: u32,
}

impl TitleAlert {
    /// Puts the page's title back, unless the page changed it since.
    pub fn restore(self, doc: &Document) {
        if doc.title() == self.written {
            doc.set_title(&self.base);
        }
    }
}

/// An agent message came: counted in the title while the page is hidden.
pub fn note(shared: &Shared) {
    let doc = &shared.parts.doc;
    if !doc.hidden() || !shared.state.borrow().cfg.theme.title_alert {
        return;
    }
    let mut slot = shared.title.borrow_mut();
    let current = doc.title();
    let (base, count) = match slot.take() {
        // The page set its own title meanwhile: count on top of that one.
        Some(t) if t.written != current => (current, t.count + 1),
        Some(t) => (t.base, t.count + 1),
        None => (current, 1),
    };
    let mut written = String::from("(");
    if count > 99 {
        written.push_str("99+");
    } else {
        written.push_str(&count.to_string());
    }
    written.push_str(") ");
    written.push_str(&base);
    doc.set_title(&written);
    *slot = Some(TitleAlert { base, written, count });
}

/// The page is shown again (or the widget goes): the title is restored.
pub fn clear(shared: &Shared) {
    if let Some(t) = shared.title.borrow_mut().take() {
        t.restore(&shared.parts.doc);
    }
}
