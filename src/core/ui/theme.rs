//! Theme values checked before they reach CSS custom properties: a value a
//! site mistyped falls back to the default instead of breaking the widget.

use crate::core::protocol::config::Theme;

/// A CSS colour the widget accepts: `#rgb`, `#rgba`, `#rrggbb`,
/// `#rrggbbaa`, `rgb()/rgba()/hsl()/hsla()` with numbers, or a named colour.
pub fn css_color(s: &str) -> Option<&str> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        return ([3, 4, 6, 8].contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(s);
    }
    let lower = s.to_ascii_lowercase();
    for f in ["rgb(", "rgba(", "hsl(", "hsla("] {
        if let Some(args) = lower.strip_prefix(f).and_then(|r| r.strip_suffix(')')) {
            let ok = !args.trim().is_empty() && args.chars().all(|c| c.is_ascii_digit() || " .,%/+-".contains(c) || "degturn".contains(c));
            return ok.then_some(s);
        }
    }
    (!s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_ascii_alphabetic())).then_some(s)
}

/// A CSS font-family list the widget accepts: names, quotes, commas,
/// spaces and dashes only.
pub fn css_font(s: &str) -> Option<&str> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 200
        && s.chars().all(|c| c.is_alphanumeric() || " ,-_'\"".contains(c))
        && s.matches('"').count() % 2 == 0
        && s.matches('\'').count() % 2 == 0;
    ok.then_some(s)
}

/// The custom properties for `theme` (offsets of 0 count as unset, since
/// that is the serde default): `(name, Some(value))` to set,
/// `(name, None)` to remove (use the stylesheet's default).
pub fn custom_properties(theme: &Theme) -> Vec<(&'static str, Option<String>)> {
    let px = |v: i64, lo: i64, hi: i64| Some(format!("{}px", v.clamp(lo, hi)));
    vec![
        ("--lcw-color", css_color(&theme.color).map(str::to_string)),
        ("--lcw-on-color", css_color(&theme.text_color).map(str::to_string)),
        ("--lcw-font", css_font(&theme.font_family).map(str::to_string)),
        ("--lcw-radius", theme.corner_radius.and_then(|r| px(i64::from(r), 0, 32))),
        // 0 (the serde default) means "not set": the stylesheet's 20px.
        ("--lcw-x", (theme.offset_x != 0).then(|| px(i64::from(theme.offset_x), 0, 400)).flatten()),
        ("--lcw-y", (theme.offset_y != 0).then(|| px(i64::from(theme.offset_y), 0, 400)).flatten()),
    ]
}

/// Whether the launcher and window sit on the left (else the right).
pub fn is_left(theme: &Theme) -> bool {
    theme.position.trim().eq_ignore_ascii_case("left")
}

/// Whether `url` may be used as an image or link target: `http:`,
/// `https:` or `blob:` (object URLs), or a path relative to the page.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("blob:") {
        return true;
    }
    // Relative: no scheme before the first '/', '?' or '#'; not protocol-relative.
    let head = u.split(['/', '?', '#']).next().unwrap_or("");
    !u.is_empty() && !u.starts_with("//") && !u.starts_with('\\') && !head.contains(':')
}
