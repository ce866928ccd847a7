//! The widget's parts of a video call: the header's video button, and the
//! call's area under the status line, which the chat's code fills
//! (src/web/video/ui.rs) in the widget's markup language with labels by key.

use super::dom::{clear, relabel, show, tree};
use super::widget::Widget;
use web_sys::Element;

impl Widget {
    /// Shows or hides the header's video button.
    pub fn show_video_button(&self, visible: bool) {
        show(&self.shared.parts.video, visible);
    }

    /// Replaces the call's area with the elements `spec` describes (see
    /// `dom::tree`), labelled in the widget's language and shown; `""`
    /// empties and hides it. Returns the marked elements.
    pub fn video_area(&self, spec: &str) -> Vec<Element> {
        let p = &self.shared.parts;
        clear(&p.vid);
        show(&p.vid, !spec.is_empty());
        if spec.is_empty() {
            return Vec::new();
        }
        let marked = tree(&p.doc, &p.vid, spec);
        relabel(&p.vid, &self.shared.state.borrow().locale);
        marked
    }

    /// The call's area.
    pub fn video_root(&self) -> &Element {
        &self.shared.parts.vid
    }
}
