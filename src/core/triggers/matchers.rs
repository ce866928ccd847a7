//! String matchers for URL, path and referrer conditions: exact, prefix, a
//! hand-written glob, and regex through a host-supplied [`RegexEngine`] (the
//! browser uses JS `RegExp`, so no regex crate ends up in the wasm).

use super::spec::TextMatch;

/// A regex engine supplied by the host. The browser implements it with JS
/// `RegExp`; host tests use the `regex` crate.
pub trait RegexEngine {
    /// Compiles `pattern` and returns a handle for [`RegexEngine::is_match`],
    /// or a human-readable error (reported as a config error of the rule).
    fn compile(&mut self, pattern: &str, ignore_case: bool) -> Result<u32, String>;
    /// Whether the compiled pattern `id` matches anywhere in `text`. An
    /// unknown handle answers false.
    fn is_match(&self, id: u32, text: &str) -> bool;
}

/// A [`RegexEngine`] that refuses every pattern: rules using `regex` are
/// reported invalid, the others work.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoRegex;

impl RegexEngine for NoRegex {
    fn compile(&mut self, _pattern: &str, _ignore_case: bool) -> Result<u32, String> {
        Err("regex matching is not available in this build".into())
    }
    fn is_match(&self, _id: u32, _text: &str) -> bool {
        false
    }
}

/// Longest accepted pattern, in bytes.
const MAX_PATTERN: usize = 2048;

/// One glob token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Lit(char),
    One,
    Star,
}

/// A compiled matcher.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    Equals(Box<str>, bool),
    Prefix(Box<str>, bool),
    Glob(Box<[Tok]>, bool),
    Regex(u32),
}

impl Matcher {
    /// Validates and compiles a [`TextMatch`].
    pub(crate) fn compile(m: &TextMatch, re: &mut dyn RegexEngine) -> Result<Matcher, String> {
        let set = [&m.equals, &m.prefix, &m.glob, &m.regex]
            .iter()
            .filter(|o| o.is_some())
            .count();
        if set != 1 {
            return Err(
                "a matcher needs exactly one of `equals`, `prefix`, `glob`, `regex`".into(),
            );
        }
        let ic = m.ignore_case;
        let pat = [&m.equals, &m.prefix, &m.glob, &m.regex]
            .into_iter()
            .flatten()
            .next();
        if pat.is_some_and(|p| p.len() > MAX_PATTERN) {
            return Err("matcher pattern longer than 2048 bytes".into());
        }
        let fold = |s: &str| -> Box<str> {
            if ic {
                s.chars().map(lower).collect::<String>().into()
            } else {
                s.into()
            }
        };
        if let Some(s) = &m.equals {
            return Ok(Matcher::Equals(fold(s), ic));
        }
        if let Some(s) = &m.prefix {
            return Ok(Matcher::Prefix(fold(s), ic));
        }
        if let Some(g) = &m.glob {
            return Ok(Matcher::Glob(parse_glob(g, ic)?, ic));
        }
        let r = m.regex.as_deref().unwrap_or_default();
        re.compile(r, ic).map(Matcher::Regex).map_err(|e| {
            let mut s = String::from("bad regex: ");
            s.push_str(&e);
            s
        })
    }

    /// Whether `text` matches.
    pub(crate) fn is_match(&self, text: &str, re: &dyn RegexEngine) -> bool {
        match self {
            Matcher::Equals(p, ic) => starts_with(text, p, *ic).is_some_and(|n| n == text.len()),
            Matcher::Prefix(p, ic) => starts_with(text, p, *ic).is_some(),
            Matcher::Glob(toks, ic) => glob_match(toks, text, *ic),
            Matcher::Regex(id) => re.is_match(*id, text),
        }
    }
}

// Simple one-to-one case folding (enough for URLs; full Unicode special
// casing is out of scope): the first char of `to_lowercase`.
use crate::core::fold::lower;

fn eq(p: char, t: char, ic: bool) -> bool {
    p == t || (ic && p == lower(t))
}

/// If `text` starts with the (already folded) `prefix`, the byte length of
/// the matched part of `text`.
fn starts_with(text: &str, prefix: &str, ic: bool) -> Option<usize> {
    if !ic {
        return text.starts_with(prefix).then_some(prefix.len());
    }
    let mut it = text.char_indices();
    for p in prefix.chars() {
        match it.next() {
            Some((_, t)) if eq(p, t, true) => {}
            _ => return None,
        }
    }
    Some(it.next().map_or(text.len(), |(i, _)| i))
}

fn parse_glob(g: &str, ic: bool) -> Result<Box<[Tok]>, String> {
    let mut out = Vec::with_capacity(g.len());
    let mut chars = g.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '*' => {
                if out.last() == Some(&Tok::Star) {
                    continue; // `**` is `*`: keeps matching linear
                }
                Tok::Star
            }
            '?' => Tok::One,
            '\\' => match chars.next() {
                Some(e) => Tok::Lit(if ic { lower(e) } else { e }),
                None => return Err("glob ends with a lone `\\`".into()),
            },
            c => Tok::Lit(if ic { lower(c) } else { c }),
        });
    }
    Ok(out.into_boxed_slice())
}

/// The char of `t` that starts at byte `i` (`None` past the end or inside
/// a char). Decoded here rather than with `t[i..].chars().next()`: in the
/// split wasm build the matcher runs in the engine's chunk, where each call
/// to a std function that the main module also uses is a call across
/// modules through the function table, once per character of every URL
/// matched (bench/SIZE.md, "What the boundary costs at run time").
#[inline(always)]
fn char_at(t: &str, i: usize) -> Option<char> {
    let b = t.as_bytes();
    let lead = *b.get(i)?;
    let (len, bits) = match lead {
        0x00..=0x7f => return Some(lead as char),
        0x80..=0xbf => return None, // inside a char
        0xc0..=0xdf => (2, lead & 0x1f),
        0xe0..=0xef => (3, lead & 0x0f),
        _ => (4, lead & 0x07),
    };
    let mut c = u32::from(bits);
    for k in 1..len {
        c = (c << 6) | u32::from(*b.get(i + k)? & 0x3f);
    }
    char::from_u32(c)
}

/// Whether `a` and `b` are the same text, compared byte by byte in a loop
/// that is inlined where it is used: `==` on strings calls `memcmp`, which
/// the split wasm build keeps in the main module, so from the engine's
/// chunk every comparison would be a call across modules (see [`char_at`]).
#[inline(always)]
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whole-string glob match. Classic two-pointer algorithm with a single
/// backtrack point: O(pattern x text) at worst, never exponential.
fn glob_match(p: &[Tok], t: &str, ic: bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        let Some(c) = char_at(t, ti) else {
            while p.get(pi) == Some(&Tok::Star) {
                pi += 1;
            }
            return pi == p.len();
        };
        match p.get(pi) {
            Some(Tok::Star) => {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            }
            Some(Tok::One) => {
                pi += 1;
                ti += c.len_utf8();
                continue;
            }
            Some(Tok::Lit(x)) if eq(*x, c, ic) => {
                pi += 1;
                ti += c.len_utf8();
                continue;
            }
            _ => {}
        }
        // Mismatch: let the last star swallow one more character.
        let Some((sp, st)) = star else { return false };
        let Some(sc) = char_at(t, st) else {
            return false;
        };
        let nst = st + sc.len_utf8();
        star = Some((sp, nst));
        pi = sp;
        ti = nst;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_string_equality() {
        for (a, b) in [("", ""), ("a", ""), ("Europe/Paris", "Europe/Paris"), ("Europe/Paris", "Europe/Pariz"), ("é", "e"), ("ab", "abc")] {
            assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            assert_eq!(same_text(b, a), a == b, "{b:?} {a:?}");
        }
    }

    #[test]
    fn char_at_decodes_as_chars_does() {
        let s = "a/é€😀z";
        for (i, c) in s.char_indices() {
            assert_eq!(char_at(s, i), Some(c), "at {i}");
        }
        for i in 0..=s.len() + 1 {
            let want = s.get(i..).and_then(|r| r.chars().next());
            assert_eq!(char_at(s, i), want, "at {i}");
        }
    }

    fn m(kind: &str, pat: &str, ic: bool) -> Matcher {
        let mut tm = TextMatch {
            ignore_case: ic,
            ..Default::default()
        };
        match kind {
            "equals" => tm.equals = Some(pat.into()),
            "prefix" => tm.prefix = Some(pat.into()),
            _ => tm.glob = Some(pat.into()),
        }
        Matcher::compile(&tm, &mut NoRegex).unwrap()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, bool, &str, bool)] = &[
            (
                "equals",
                "https://a.example/x",
                false,
                "https://a.example/x",
                true,
            ),
            (
                "equals",
                "https://a.example/x",
                false,
                "https://a.example/x/",
                false,
            ),
            (
                "equals",
                "HTTPS://A.example/X",
                true,
                "https://a.EXAMPLE/x",
                true,
            ),
            ("prefix", "/cases/", false, "/cases/42", true),
            ("prefix", "/cases/", false, "/case", false),
            ("prefix", "/CASES/", true, "/cases/42", true),
            ("prefix", "/É", true, "/é/x", true),
            ("glob", "/cases/*", false, "/cases/42", true),
            ("glob", "/cases/*", false, "/cases/", true),
            ("glob", "/cases/*", false, "/other/42", false),
            (
                "glob",
                "*/checkout?step=?",
                false,
                "https://s/checkout?step=2",
                true,
            ),
            (
                "glob",
                "*/checkout?step=?",
                false,
                "https://s/checkout?step=22",
                false,
            ),
            ("glob", "*.pdf", false, "/a/b.pdf", true),
            ("glob", "*.PDF", true, "/a/b.pdf", true),
            ("glob", "a\\*b", false, "a*b", true),
            ("glob", "a\\*b", false, "axb", false),
            ("glob", "*", false, "", true),
            ("glob", "", false, "", true),
            ("glob", "", false, "x", false),
            ("glob", "*a*b*c*", false, "xxaxxbxxcxx", true),
            ("glob", "*a*b*c*", false, "xxaxxcxxbxx", false),
            ("glob", "?é*", false, "xé", true),
        ];
        for (kind, pat, ic, text, want) in cases {
            assert_eq!(
                m(kind, pat, *ic).is_match(text, &NoRegex),
                *want,
                "{kind} {pat} {text}"
            );
        }
    }

    #[test]
    fn glob_is_not_exponential() {
        let pat = "*a".repeat(30) + "b";
        let text = "a".repeat(2000);
        assert!(!m("glob", &pat, false).is_match(&text, &NoRegex));
    }

    #[test]
    fn bad_specs() {
        assert!(Matcher::compile(&TextMatch::default(), &mut NoRegex).is_err());
        let two = TextMatch {
            equals: Some("a".into()),
            prefix: Some("b".into()),
            ..Default::default()
        };
        assert!(Matcher::compile(&two, &mut NoRegex).is_err());
        let lone = TextMatch {
            glob: Some("a\\".into()),
            ..Default::default()
        };
        assert!(Matcher::compile(&lone, &mut NoRegex).is_err());
        let re = TextMatch {
            regex: Some("a".into()),
            ..Default::default()
        };
        assert!(Matcher::compile(&re, &mut NoRegex)
            .unwrap_err()
            .starts_with("bad regex"));
    }
}
