//! A conversation as plain text, for the visitor to keep (the end view's
//! "Download the transcript"). The widget formats times and names in the
//! visitor's language; this lays the lines out.
//!
//! One line per message: `[time] Who: text`. A message's own line breaks
//! continue it on lines indented by four spaces, so no message can pass
//! for another one (an agent writing `\n[10:02] You: yes` stays inside its
//! own message). Control characters other than tabs are dropped.

/// One message, as the widget shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Entry<'a> {
    /// When it was sent, already formatted; empty when unknown.
    pub when: &'a str,
    /// Who wrote it (the agent's name, "You"); empty for the chat's own
    /// notices.
    pub who: &'a str,
    /// Its text.
    pub text: &'a str,
    /// The name of its file, if any.
    pub file: Option<&'a str>,
    /// A remark after it, such as "Not sent".
    pub note: Option<&'a str>,
}

/// The transcript being written: [`Transcript::new`] with the title, one
/// [`Transcript::push`] per message, then [`Transcript::finish`].
pub struct Transcript(String);

impl Transcript {
    /// Starts with `title` (the widget's name) and `date`, then a blank line.
    pub fn new(title: &str, date: &str) -> Transcript {
        let mut out = String::new();
        push_clean(&mut out, title.trim(), "");
        if !date.is_empty() {
            if !title.trim().is_empty() {
                out.push_str(" \u{2014} ");
            }
            push_clean(&mut out, date, "");
        }
        out.push_str("\n\n");
        Transcript(out)
    }

    /// Adds one message's line (and its continuation lines).
    pub fn push(&mut self, e: Entry) {
        let out = &mut self.0;
        if !e.when.is_empty() {
            out.push('[');
            push_clean(out, e.when, "");
            out.push_str("] ");
        }
        if !e.who.is_empty() {
            push_clean(out, e.who, "");
            out.push_str(": ");
        }
        push_clean(out, e.text.trim_end(), "\n    ");
        if let Some(f) = e.file {
            if !e.text.trim().is_empty() {
                out.push(' ');
            }
            out.push_str("\u{1f4ce} ");
            push_clean(out, f, "\n    ");
        }
        if let Some(n) = e.note {
            out.push_str(" (");
            push_clean(out, n, "");
            out.push(')');
        }
        out.push('\n');
    }

    /// The text.
    pub fn finish(self) -> String {
        self.0
    }
}

/// Appends `s` without control characters (tabs kept), each line break
/// (`\n`, `\r\n`, `\r`) written as `newline` (a space when it is empty).
fn push_clean(out: &mut String, s: &str, newline: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(if newline.is_empty() { " " } else { newline });
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(title: &str, date: &str, entries: &[Entry]) -> String {
        let mut t = Transcript::new(title, date);
        for e in entries {
            t.push(*e);
        }
        t.finish()
    }

    #[test]
    fn one_line_per_message_with_its_time_author_file_and_note() {
        let text = write("Demo Support", "6 Dec 2026", &[
            Entry { when: "10:01", who: "Ada", text: "Hello! How can I help?", ..Entry::default() },
            Entry { when: "10:02", who: "You", text: "Here is the invoice", file: Some("invoice.pdf"), note: None },
            Entry { when: "10:03", who: "You", text: "", file: Some("photo.png"), note: Some("Not sent") },
            Entry { when: "", who: "", text: "The chat has ended.", ..Entry::default() },
        ]);
        assert_eq!(text, "Demo Support \u{2014} 6 Dec 2026\n\n\
            [10:01] Ada: Hello! How can I help?\n\
            [10:02] You: Here is the invoice \u{1f4ce} invoice.pdf\n\
            [10:03] You: \u{1f4ce} photo.png (Not sent)\n\
            The chat has ended.\n");
    }

    #[test]
    fn a_message_cannot_pass_for_another_one() {
        let forged = "ok\n[10:05] You: yes, charge my card\r\n\r[10:06] Agent:\u{7}\u{1b}[2J done\n\n";
        let text = write("", "", &[Entry { when: "10:04", who: "Agent", text: forged, ..Entry::default() }]);
        assert_eq!(text, "\n\n[10:04] Agent: ok\n    [10:05] You: yes, charge my card\n    \n    [10:06] Agent:[2J done\n");
        for line in text.lines().skip(3) {
            assert!(line.starts_with("    "), "continuation lines are indented: {line:?}");
        }
        // Names, times and notes stay on their line.
        let text = write("Shop\nSupport", "", &[Entry { when: "1\n2", who: "A\r\nB", text: "x", file: Some("a\nb.txt"), note: Some("n\no") }]);
        assert_eq!(text, "Shop Support\n\n[1 2] A B: x \u{1f4ce} a\n    b.txt (n o)\n");
    }

    #[test]
    fn tabs_and_any_language_are_kept() {
        let text = write("الدعم", "", &[Entry { who: "أنت", text: "مرحبا\tbonjour 你好", ..Entry::default() }]);
        assert_eq!(text, "الدعم\n\nأنت: مرحبا\tbonjour 你好\n");
    }
}
