//! Languages: negotiation of a visitor's preferred languages against the
//! ones a text table has, right-to-left detection, and the proactive
//! invite's own labels (the invite is part of the core build, so its strings
//! cannot come from the widget's tables, which only the `ui` build has).

/// Languages written right to left (primary subtags).
const RTL: &[&str] = &["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb"];

/// The primary subtag of a language tag (`fr-CA` -> `fr`).
pub(crate) fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// Whether two tags are the same, ignoring case and `_`/`-`.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| {
        let n = |c: u8| if c == b'_' { b'-' } else { c.to_ascii_lowercase() };
        n(x) == n(y)
    })
}

/// Picks the best of `available` for the visitor's `preferred` languages
/// (in `navigator.languages` order): an exact match, else the preferred
/// language's primary subtag (`fr-BE` -> `fr`), else another region of it
/// (`zh-TW` -> `zh-CN`); then the same for `fallback`; then `"en"`.
pub fn negotiate(preferred: &[String], available: &[&str], fallback: &str) -> String {
    let pick = |want: &str| -> Option<String> {
        let want = want.trim();
        if want.is_empty() {
            return None;
        }
        let p = primary(want);
        available
            .iter()
            .find(|a| same(a, want))
            .or_else(|| available.iter().find(|a| same(a, p)))
            .or_else(|| available.iter().find(|a| same(primary(a), p)))
            .map(|a| a.to_string())
    };
    preferred.iter().find_map(|w| pick(w)).or_else(|| pick(fallback)).unwrap_or_else(|| "en".to_string())
}

/// Returns whether `tag` is written right to left.
pub fn is_rtl(tag: &str) -> bool {
    RTL.iter().any(|r| same(r, primary(tag)))
}


/// The proactive invite's labels in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteLabels {
    /// The bubble's title.
    pub title: &'static str,
    /// Accept button of a message-only invite.
    pub accept: &'static str,
    /// Dismiss button of a message-only invite.
    pub dismiss: &'static str,
    /// Accept button when the invite asks a question.
    pub yes: &'static str,
    /// Dismiss button when the invite asks a question.
    pub no: &'static str,
}

const fn labels(title: &'static str, accept: &'static str, dismiss: &'static str, yes: &'static str, no: &'static str) -> InviteLabels {
    InviteLabels { title, accept, dismiss, yes, no }
}

/// The invite's labels in the widget's eleven languages (same titles as the
/// widget's launcher).
pub const INVITE_LABELS: &[(&str, InviteLabels)] = &[
    ("en", labels("Chat with us", "Chat now", "No thanks", "Yes", "No")),
    ("fr", labels("Discutons", "Discuter", "Non merci", "Oui", "Non")),
    ("fr-CA", labels("Clavardez avec nous", "Clavarder", "Non merci", "Oui", "Non")),
    ("de", labels("Chatten Sie mit uns", "Jetzt chatten", "Nein danke", "Ja", "Nein")),
    ("es", labels("Chatea con nosotros", "Chatear ahora", "No, gracias", "Sí", "No")),
    ("it", labels("Chatta con noi", "Chatta ora", "No, grazie", "Sì", "No")),
    ("nl", labels("Chat met ons", "Nu chatten", "Nee, bedankt", "Ja", "Nee")),
    ("pt", labels("Fale connosco", "Conversar agora", "Não, obrigado", "Sim", "Não")),
    ("ja", labels("チャットで質問", "チャットを開始", "今はしない", "はい", "いいえ")),
    ("zh-CN", labels("在线咨询", "立即聊天", "不用了", "是", "否")),
    ("ar", labels("تحدث معنا", "ابدأ المحادثة", "لا، شكرًا", "نعم", "لا")),
];

/// The invite's language for the visitor's `preferred` languages (falling
/// back to English) and its labels.
pub fn invite_labels(preferred: &[String]) -> (&'static str, &'static InviteLabels) {
    let tags: Vec<&str> = INVITE_LABELS.iter().map(|(t, _)| *t).collect();
    let tag = negotiate(preferred, &tags, "en");
    INVITE_LABELS.iter().find(|(t, _)| *t == tag).map(|(t, l)| (*t, l)).unwrap_or((INVITE_LABELS[0].0, &INVITE_LABELS[0].1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pref(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn invite_labels_follow_the_visitor_languages() {
        assert_eq!(invite_labels(&pref(&["fr-BE", "en"])).0, "fr");
        assert_eq!(invite_labels(&pref(&["fr_ca"])).1.accept, "Clavarder");
        assert_eq!(invite_labels(&pref(&["zh-TW"])).0, "zh-CN");
        assert_eq!(invite_labels(&pref(&["sv", "de-AT"])).1.dismiss, "Nein danke");
        assert_eq!(invite_labels(&pref(&["sv"])).0, "en");
        assert_eq!(invite_labels(&[]).1, &INVITE_LABELS[0].1);
        assert!(is_rtl(invite_labels(&pref(&["ar-EG"])).0));
    }

    #[test]
    fn every_invite_language_has_every_label() {
        for (tag, l) in INVITE_LABELS {
            for text in [l.title, l.accept, l.dismiss, l.yes, l.no] {
                assert!(!text.trim().is_empty(), "{tag}");
            }
        }
    }

    #[test]
    fn same_ignores_case_and_separator() {
        assert!(same("zh_cn", "zh-CN"));
        assert!(!same("zh", "zh-CN"));
        assert_eq!(primary("pt-BR"), "pt");
    }
}
