//! Host tests of the widget UI core: tables, negotiation, overrides,
//! validation, attachment rules, link detection, theme values.

use super::files::{self, FileRefusal};
use super::forms::{self, FieldError};
use super::labels::{self, ClosedLabel, Label, Locale, ALL_LABELS, BUILTIN, BUILTIN_TABLES, LABEL_KEYS};
use super::links::{segments, Segment};
use super::model::{UiConfig, UiMessage, UiPhase, WidgetLook};
use super::theme;
use crate::core::protocol::config::{FileRules, FormConfig, FormField, Theme};
use std::collections::BTreeMap;

fn langs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn placeholders(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string())).collect();
    out.sort();
    out
}

#[test]
fn every_table_is_complete_and_keeps_the_placeholders() {
    assert_eq!(BUILTIN.len(), 11);
    assert_eq!(BUILTIN_TABLES.len(), 11);
    let en = BUILTIN_TABLES[0];
    for ((tag, _), table) in BUILTIN.iter().zip(BUILTIN_TABLES) {
        assert_eq!(table.iter().count(), labels::LABEL_COUNT, "{tag}: packed label count");
        for (i, text) in table.iter().enumerate() {
            assert!(!text.trim().is_empty(), "{tag}: {} is empty", LABEL_KEYS[i]);
            assert_eq!(placeholders(text), placeholders(en.get(i)), "{tag}: {} placeholders", LABEL_KEYS[i]);
        }
    }
    let table = |tag: &str| BUILTIN_TABLES[BUILTIN.iter().position(|b| b.0 == tag).unwrap()];
    let (fr, de) = (table("fr"), table("de"));
    assert_ne!(fr.get(Label::Send as usize), en.get(Label::Send as usize));
    assert_ne!(de.get(Label::Send as usize), en.get(Label::Send as usize));
}

#[test]
fn the_closed_widget_reads_the_same_labels_from_its_own_tables() {
    let mut site = BTreeMap::new();
    site.insert("de".to_string(), BTreeMap::from([("unread".to_string(), "Neu: {count}".to_string())]));
    for (tag, _) in BUILTIN {
        let locale = Locale::negotiate(&langs(&[tag]), "", &site);
        for closed in [ClosedLabel::LauncherText, ClosedLabel::Unread] {
            let text = locale.closed_text(closed);
            assert_eq!(text, locale.text(closed.label()), "{tag}: {}", closed.label().key());
            assert!(!text.trim().is_empty(), "{tag}: {}", closed.label().key());
        }
    }
    let de = Locale::negotiate(&langs(&["de-AT"]), "", &site);
    assert_eq!(de.closed_text(ClosedLabel::Unread), "Neu: {count}", "site overrides apply");
    let fr = Locale::negotiate(&langs(&["fr"]), "", &site);
    assert_eq!(fr.closed_text(ClosedLabel::LauncherText), "Discutons");
    let sv = Locale::negotiate(&langs(&["sv"]), "es", &BTreeMap::from([("sv".to_string(), BTreeMap::new())]));
    assert_eq!(sv.tag(), "sv");
    assert_eq!(sv.closed_text(ClosedLabel::Unread), sv.text(Label::Unread), "a site language without the label: the fallback's table");
    assert_ne!(sv.text(Label::Unread), Locale::default().text(Label::Unread));
}

#[test]
fn keys_round_trip() {
    for l in ALL_LABELS {
        assert_eq!(Label::from_key(l.key()), Some(*l));
    }
    assert_eq!(Label::from_key("nope"), None);
}

#[test]
fn negotiation_follows_navigator_languages() {
    let site = BTreeMap::new();
    let tag = |v: &[&str]| Locale::negotiate(&langs(v), "", &site).tag().to_string();
    assert_eq!(tag(&["fr-CA", "en"]), "fr-CA");
    assert_eq!(tag(&["fr-BE"]), "fr");
    assert_eq!(tag(&["FR_ca"]), "fr-CA");
    assert_eq!(tag(&["pt-BR"]), "pt");
    assert_eq!(tag(&["zh-TW"]), "zh-CN", "another region of the same language");
    assert_eq!(tag(&["zh"]), "zh-CN");
    assert_eq!(tag(&["sv", "de-AT"]), "de", "first supported in the visitor's order");
    assert_eq!(tag(&["sv"]), "en", "unknown: English by default");
    assert_eq!(tag(&[]), "en");
    assert_eq!(Locale::negotiate(&langs(&["sv"]), "es", &site).tag(), "es", "unknown: the fallback");
    assert!(Locale::negotiate(&langs(&["ar-EG"]), "", &site).is_rtl());
    assert!(!Locale::negotiate(&langs(&["fr"]), "", &site).is_rtl());
    assert!(labels::is_rtl("he-IL") && !labels::is_rtl("en"));
}

#[test]
fn site_overrides_win_and_add_languages() {
    let mut site = BTreeMap::new();
    site.insert("fr".to_string(), BTreeMap::from([("send".to_string(), "Go".to_string())]));
    site.insert("sv".to_string(), BTreeMap::from([("send".to_string(), "Skicka".to_string())]));
    site.insert("en".to_string(), BTreeMap::from([("field.name".to_string(), "Full name".to_string())]));
    let fr = Locale::negotiate(&langs(&["fr-BE"]), "en", &site);
    assert_eq!(fr.text(Label::Send), "Go", "primary-subtag override applies to fr-BE");
    assert_eq!(fr.text(Label::Attach), "Joindre un fichier");
    let sv = Locale::negotiate(&langs(&["sv-SE"]), "en", &site);
    assert_eq!(sv.tag(), "sv");
    assert_eq!(sv.text(Label::Send), "Skicka");
    assert_eq!(sv.text(Label::Attach), "Attach a file", "missing keys: fallback language");
    assert_eq!(sv.field_label("name", "Name"), "Full name", "fallback-language override");
    let de = Locale::negotiate(&langs(&["de"]), "en", &site);
    assert_eq!(de.field_label("email", ""), "E-Mail");
    assert_eq!(de.field_label("color", ""), "color");
    assert_eq!(de.format(Label::QueuePosition, &[("position", "3")]), "Sie sind Nummer 3 in der Warteschlange.");
}

fn field(name: &str, kind: &str, required: bool) -> FormField {
    FormField { name: name.into(), label: String::new(), kind: kind.into(), required, options: vec![] }
}

fn answers(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn forms_validate_each_field_kind() {
    let mut dept = field("department", "select", true);
    dept.options = vec!["Sales".into(), "Support".into()];
    let form = FormConfig {
        enabled: true,
        greeting: String::new(),
        fields: vec![field("name", "text", true), field("email", "email", false), dept, field("phone", "tel", false),
            field("message", "textarea", true), field("terms", "consent", true)],
    };
    let errs = forms::validate(&form, &answers(&[("email", "nope"), ("department", "Legal"), ("phone", "12ab")])).unwrap_err();
    let got: Vec<(&str, &FieldError)> = errs.iter().map(|p| (p.field.as_str(), &p.error)).collect();
    assert_eq!(got, vec![("name", &FieldError::Required), ("email", &FieldError::Email), ("department", &FieldError::NotAnOption),
        ("phone", &FieldError::Phone), ("message", &FieldError::Required), ("terms", &FieldError::Required)]);
    let ok = forms::validate(&form, &answers(&[("name", "  Ada "), ("department", "Sales"), ("message", "Hi"),
        ("terms", "true"), ("extra", "ignored"), ("email", "")])).unwrap();
    assert_eq!(ok, answers(&[("name", "Ada"), ("department", "Sales"), ("message", "Hi"), ("terms", "true")]));
    let long = "x".repeat(forms::MAX_SHORT_ANSWER + 1);
    let errs = forms::validate(&form, &answers(&[("name", &long), ("department", "Sales"), ("message", "m"), ("terms", "true")])).unwrap_err();
    assert_eq!(errs[0].error, FieldError::TooLong(forms::MAX_SHORT_ANSWER));
    let en = Locale::default();
    assert_eq!(errs[0].message(&en, "Name"), "Name is too long (at most 200 characters).");
    let fr = Locale::negotiate(&langs(&["fr"]), "", &BTreeMap::new());
    let p = forms::FieldProblem { field: "name".into(), error: FieldError::Required };
    assert_eq!(p.message(&fr, "Nom"), "Nom est obligatoire.");
}

#[test]
fn email_and_phone_checks() {
    for good in ["a@b.co", "first.last+tag@sub.example.org", "x@xn--bcher-kva.ch"] {
        assert!(forms::is_email(good), "{good}");
    }
    for bad in ["", "a", "a@b", "a b@c.d", "@c.d", "a@.c", "a@c..d", "a@@c.d", ".a@c.d", "a@c.d<script>"] {
        assert!(!forms::is_email(bad), "{bad}");
    }
    for good in ["+1 555 123 4567", "(020) 7946-0958", "0612345678"] {
        assert!(forms::is_phone(good), "{good}");
    }
    for bad in ["12345", "phone", "+1 555 123 4567 8901 23", "1+2345678"] {
        assert!(!forms::is_phone(bad), "{bad}");
    }
}

#[test]
fn attachments_follow_the_allowlist_and_size_limit() {
    let rules = |types: &[&str], max: u64| FileRules {
        enabled: true,
        allowed_mime_types: types.iter().map(|s| s.to_string()).collect(),
        max_size_bytes: max,
    };
    let img = rules(&["image/*", "application/pdf"], 0);
    assert_eq!(files::check(&img, "image/png", 10), Ok(()));
    assert_eq!(files::check(&img, "IMAGE/JPEG", 10), Ok(()));
    assert_eq!(files::check(&img, "application/pdf", 10), Ok(()));
    let refused = files::check(&img, "text/html", 10).unwrap_err();
    assert!(matches!(refused, FileRefusal::Type { .. }));
    assert_eq!(refused.message(&Locale::default(), "x.html"),
        "“x.html” can’t be sent: text/html files are not accepted. Allowed: image/*, application/pdf.");
    assert!(matches!(files::check(&img, "", 1), Err(FileRefusal::Type { ref mime, .. }) if mime == "application/octet-stream"));
    let any = rules(&["*"], 0);
    assert_eq!(files::check(&any, "application/x-anything", 1), Ok(()));
    assert_eq!(files::max_size(&any), 40 * 1024 * 1024, "0 means the default");
    assert_eq!(files::max_size(&rules(&["*"], 100 * 1024 * 1024)), 40 * 1024 * 1024, "capped at 40 MB");
    let too_big = files::check(&any, "image/png", 41 * 1024 * 1024).unwrap_err();
    assert_eq!(too_big.message(&Locale::default(), "big.png"), "“big.png” can’t be sent: it is 41 MB, the limit is 40 MB.");
    let small = rules(&["*"], 1000);
    assert!(matches!(files::check(&small, "a/b", 1001), Err(FileRefusal::TooLarge { size: 1001, max: 1000 })));
    let off = FileRules { enabled: false, ..FileRules::default() };
    assert_eq!(files::check(&off, "image/png", 1), Err(FileRefusal::Disabled));
    assert_eq!(files::accept_attr(&img), "image/*,application/pdf");
    assert_eq!(files::accept_attr(&any), "");
    assert_eq!(files::allowed_list(&Locale::default(), &any.allowed_mime_types), "any file");
    assert_eq!(files::human_size(512), "512 B");
    assert_eq!(files::human_size(1536 * 1024), "1.5 MB");
}

#[test]
fn human_size_matches_the_float_formula_it_replaced() {
    fn by_floats(bytes: u64) -> String {
        const KB: f64 = 1024.0;
        let b = bytes as f64;
        if b < KB {
            format!("{bytes} B")
        } else if b < KB * KB {
            format!("{} KB", (b / KB).round())
        } else {
            let mb = b / KB / KB;
            if (mb - mb.round()).abs() < 0.05 { format!("{} MB", mb.round()) } else { format!("{mb:.1} MB") }
        }
    }
    let edges = [0, 1, 1023, 1024, 1535, 1536, 1_048_575, 1_048_576, 3_093_299, 3_093_300, 52_428_800, u64::from(u32::MAX)];
    for bytes in edges.into_iter().chain((0..200_000).map(|i| i * 1_237)) {
        assert_eq!(files::human_size(bytes), by_floats(bytes), "{bytes}");
    }
}

fn shape(text: &str) -> Vec<String> {
    segments(text).into_iter().map(|s| match s { Segment::Text(t) => format!("T:{t}"), Segment::Link(l) => format!("L:{l}") }).collect()
}

#[test]
fn links_are_http_and_https_only() {
    assert_eq!(shape("see https://example.com/a?b=1#c."), vec!["T:see ", "L:https://example.com/a?b=1#c", "T:."]);
    assert_eq!(shape("(http://x.org/wiki/A_(b)) ok"), vec!["T:(", "L:http://x.org/wiki/A_(b)", "T:) ok"]);
    assert_eq!(shape("HTTPS://X.ORG"), vec!["L:HTTPS://X.ORG"]);
    assert_eq!(shape("javascript:alert(1) ftp://a.b data:text/html,x"), vec!["T:javascript:alert(1) ftp://a.b data:text/html,x"]);
    assert_eq!(shape("xhttp://a.b https:// http://"), vec!["T:xhttp://a.b https:// http://"]);
    assert_eq!(shape("<a href=\"https://e.vil\">"), vec!["T:<a href=\"", "L:https://e.vil", "T:\">"]);
    assert_eq!(shape("a https://é.fr/ü b"), vec!["T:a ", "L:https://é.fr/ü", "T: b"]);
    assert_eq!(shape(""), Vec::<String>::new());
    assert_eq!(shape("https://a.b,c https://c.d"), vec!["L:https://a.b,c", "T: ", "L:https://c.d"], "commas are URL characters");
}

#[test]
fn theme_values_are_checked() {
    assert_eq!(theme::css_color("#1d4ed8"), Some("#1d4ed8"));
    assert_eq!(theme::css_color("rgb(0, 128, 0)"), Some("rgb(0, 128, 0)"));
    assert_eq!(theme::css_color("rebeccapurple"), Some("rebeccapurple"));
    assert_eq!(theme::css_color("red;}body{display:none"), None);
    assert_eq!(theme::css_color("#12"), None);
    assert_eq!(theme::css_color("url(x)"), None);
    assert_eq!(theme::css_font("\"Inter\", system-ui, sans-serif"), Some("\"Inter\", system-ui, sans-serif"));
    assert_eq!(theme::css_font("x;}"), None);
    let t = Theme { color: "#000".into(), offset_x: 9999, corner_radius: Some(100), position: "Left".into(), ..Theme::default() };
    let props = theme::custom_properties(&t);
    assert!(props.contains(&("--lcw-color", Some("#000".into()))));
    assert!(props.contains(&("--lcw-on-color", None)));
    assert!(props.contains(&("--lcw-x", Some("400px".into()))));
    assert!(props.contains(&("--lcw-y", None)), "0: the stylesheet default");
    assert!(props.contains(&("--lcw-radius", Some("32px".into()))));
    assert!(theme::is_left(&t));
    for ok in ["https://a.b/x.png", "blob:http://a/1", "/v1/files/1", "img.png?x=1:2"] {
        assert!(theme::safe_url(ok), "{ok}");
    }
    for bad in ["javascript:alert(1)", " JaVaScRiPt:x", "data:image/png;base64,x", "//evil.com/x", "vbscript:x", ""] {
        assert!(!theme::safe_url(bad), "{bad}");
    }
}

#[test]
fn model_json_shapes() {
    let p: UiPhase = crate::core::json::from_str(r#"{"phase":"queued","position":3,"waitSecs":120}"#).unwrap();
    assert_eq!(p, UiPhase::Queued { position: 3, wait_secs: Some(120) });
    let p: UiPhase = crate::core::json::from_str(r#"{"phase":"chatting","agentName":"Ada"}"#).unwrap();
    assert_eq!(p, UiPhase::Chatting { agent_name: Some("Ada".into()) });
    let p: UiPhase = crate::core::json::from_str(r#"{"phase":"ended","canRate":true}"#).unwrap();
    assert_eq!(p, UiPhase::Ended { can_rate: true });
    let m: UiMessage = crate::core::json::from_str(r#"{"id":"1","from":{"kind":"agent","name":"Ada"},"text":"hi","atMs":1,"status":"sent"}"#).unwrap();
    assert_eq!(m.text, "hi");
}

#[test]
fn the_look_reads_what_the_whole_configuration_reads_for_it() {
    let text = r##"{"widgetId":"demo","theme":{"color":"#6d28d9","position":"left","launcherText":"Talk to us","hideLauncher":true},
        "preChat":{"enabled":true,"fields":[{"name":"name","label":"Name","kind":"text","required":true}]},
        "translations":{"fr":{"launcherText":"Discutons"}},"fallbackLanguage":"fr","files":{"enabled":true,"maxSizeBytes":5},
        "ratingEnabled":true,"maxMessageChars":300}"##;
    let whole: crate::core::protocol::WidgetConfig = crate::core::json::from_str(text).unwrap();
    let look: WidgetLook = crate::core::json::from_str(text).unwrap();
    assert_eq!(UiConfig::from_look(look), UiConfig { pre_chat: FormConfig::default(), offline_form: FormConfig::default(), rating_enabled: false,
        files: FileRules::default(), max_message_chars: 0, ..UiConfig::from_widget(whole.clone()) });
    assert!(UiConfig::from_widget(whole).pre_chat.enabled, "the whole configuration keeps the forms");
    // A configuration without the look's fields, or with a bad form, still has a look.
    let bare: WidgetLook = crate::core::json::from_str(r#"{"preChat":{"fields":"not a list"}}"#).unwrap();
    assert_eq!(bare, WidgetLook::default());
}

#[test]
fn the_title_alert_and_the_chime_are_on_unless_the_theme_turns_them_off() {
    let read = |t: &str| crate::core::json::from_str::<Theme>(t).map(|t| t.title_alert);
    assert_eq!(read("{}"), Ok(true));
    let sound = |t: &str| crate::core::json::from_str::<Theme>(t).map(|t| t.sound);
    assert_eq!((sound("{}"), sound(r#"{"sound":false}"#)), (Ok(true), Ok(false)), "the chime: on unless turned off");
    assert!(Theme::default().sound);
    assert_eq!(read(r#"{"titleAlert":true}"#), Ok(true));
    assert_eq!(read(r#"{"titleAlert":false}"#), Ok(false));
    assert!(read(r#"{"titleAlert":"no"}"#).is_err(), "a wrong type is an error, not silently on");
    assert!(Theme::default().title_alert);
    let written = crate::core::json::to_string(&Theme { title_alert: false, ..Theme::default() });
    assert!(written.contains(r#""titleAlert":false"#), "{written}");
}
