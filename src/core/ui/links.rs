//! Splits message text into text and link segments. Only `http://` and
//! `https://` URLs become links; everything else stays text.

/// A piece of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Plain text.
    Text(&'a str),
    /// A link; the text shown is the URL itself.
    Link(&'a str),
}

const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', '\'', '"', '’', '”', '»'];

fn starts_url(rest: &str) -> bool {
    let lower = |n: usize| rest.get(..n).map(|s| s.to_ascii_lowercase());
    let after = |n: usize| rest[n..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '[');
    (lower(7).as_deref() == Some("http://") && after(7)) || (lower(8).as_deref() == Some("https://") && after(8))
}

fn url_len(rest: &str) -> usize {
    let mut end = rest.find(|c: char| c.is_whitespace() || "<>\"`{}|\\^".contains(c) || c.is_control()).unwrap_or(rest.len());
    loop {
        let s = &rest[..end];
        let Some(last) = s.chars().last() else { return 0 };
        let unbalanced = |open: char, close: char| last == close && s.matches(close).count() > s.matches(open).count();
        if TRAILING.contains(&last) || unbalanced('(', ')') || unbalanced('[', ']') {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

/// Splits `text` into segments. A URL starts at `http://` or `https://`
/// (any case) at the start of the text or after a character that is not a
/// letter or digit; it ends before whitespace, `<>"` and the like, and
/// trailing punctuation or an unbalanced closing bracket is left out.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        let boundary = text[..i].chars().last().is_none_or(|c| !c.is_alphanumeric());
        if boundary && starts_url(&text[i..]) {
            let len = url_len(&text[i..]);
            let scheme = if text.as_bytes()[i + 4] == b':' { 7 } else { 8 };
            if len > scheme {
                if plain_start < i {
                    out.push(Segment::Text(&text[plain_start..i]));
                }
                out.push(Segment::Link(&text[i..i + len]));
                i += len;
                plain_start = i;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    if plain_start < text.len() {
        out.push(Segment::Text(&text[plain_start..]));
    }
    out
}
