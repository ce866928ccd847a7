//! Non-integral numbers between JSON text and `f64`, done by the host.
//!
//! Rust's exact conversions cost the wasm about 20 KB: `str::parse::<f64>`
//! links a 10.4 KB table of powers of five, and `<f64 as Display>` the
//! Grisu/Dragon formatting code and its tables. The browser already has
//! both, exact (`parseFloat` rounds correctly, `String(x)` is the shortest
//! text that reads back as `x`), so the web layer installs them with
//! [`install`], as it supplies `RegExp` to the trigger engine. Integers never
//! come here: the parser and the writer handle them exactly themselves.
//!
//! On the host (tests, the server) the default is std's own conversions.
//! On wasm32 before [`install`] (never in the SDK: `createSdk` and the
//! widget preview install first), a small fallback is used: exact for the
//! usual numbers (up to 15 significant digits and a power of ten up to 22),
//! within a few units in the last place otherwise.

use std::sync::OnceLock;

/// Conversions supplied by the host.
#[derive(Clone, Copy)]
pub struct FloatText {
    /// Reads a number that already matched JSON's grammar; `None` if the
    /// host cannot (the parser then reports the number as out of range).
    pub parse: fn(&str) -> Option<f64>,
    /// Appends a finite `f64` as JSON number text.
    pub format: fn(f64, &mut String),
}

static HOST: OnceLock<FloatText> = OnceLock::new();

/// Installs the host's conversions (the first call wins).
pub fn install(host: FloatText) {
    let _ = HOST.set(host);
}

/// JSON number text (already validated) to `f64`.
pub fn parse(text: &str) -> Option<f64> {
    match HOST.get() {
        Some(h) => (h.parse)(text),
        None => default_parse(text),
    }
}

/// Appends a finite `f64` as JSON number text.
pub fn format(f: f64, out: &mut String) {
    match HOST.get() {
        Some(h) => (h.format)(f, out),
        None => default_format(f, out),
    }
}

/// `f` as text (for messages).
pub fn to_text(f: f64) -> String {
    let mut s = String::new();
    if f.is_finite() {
        format(f, &mut s);
    } else {
        s.push_str(if f.is_nan() { "NaN" } else if f > 0.0 { "inf" } else { "-inf" });
    }
    s
}

#[cfg(not(target_arch = "wasm32"))]
fn default_parse(text: &str) -> Option<f64> {
    text.parse().ok()
}

#[cfg(not(target_arch = "wasm32"))]
fn default_format(f: f64, out: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(out, "{f}");
}

#[cfg(target_arch = "wasm32")]
fn default_parse(text: &str) -> Option<f64> {
    approx_parse(text)
}

#[cfg(target_arch = "wasm32")]
fn default_format(f: f64, out: &mut String) {
    approx_format(f, out)
}

/// The wasm fallback reader: the significant digits as an integer (up to
/// 19; the rest only move the exponent) times a power of ten.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn approx_parse(text: &str) -> Option<f64> {
    let (neg, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (num, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (mut m, mut e, mut digits) = (0u64, exp, 0);
    let mut after_point = false;
    for b in num.bytes() {
        match b {
            b'.' => after_point = true,
            b'0'..=b'9' => {
                if digits < 19 {
                    m = m * 10 + u64::from(b - b'0');
                    if m > 0 {
                        digits += 1;
                    }
                    if after_point {
                        e -= 1;
                    }
                } else if !after_point {
                    e += 1;
                }
            }
            _ => return None,
        }
    }
    let m = m as f64;
    let v = if e >= 0 { m * 10f64.powi(e.min(400)) } else if e >= -22 { m / 10f64.powi(-e) } else { m / 1e22 / 10f64.powi((-e - 22).min(400)) };
    v.is_finite().then_some(if neg { -v } else { v })
}

/// The wasm fallback writer: up to 17 significant digits, with an
/// exponent (`1.5e-7`), from repeated multiplication (not always the
/// shortest form, nor always exact).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn approx_format(f: f64, out: &mut String) {
    if f == 0.0 {
        out.push('0');
        return;
    }
    if f < 0.0 {
        out.push('-');
    }
    let mut v = f.abs();
    let mut exp = 0i32;
    while v >= 10.0 {
        v /= 10.0;
        exp += 1;
    }
    while v < 1.0 {
        v *= 10.0;
        exp -= 1;
    }
    let mut digits = (v * 1e16).round() as u64;
    if digits >= 100_000_000_000_000_000 {
        digits /= 10;
        exp += 1;
    }
    let mut text = [0u8; 17];
    for slot in text.iter_mut().rev() {
        *slot = b'0' + (digits % 10) as u8;
        digits /= 10;
    }
    let len = text.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
    out.push(text[0] as char);
    if len > 1 {
        out.push('.');
        text[1..len].iter().for_each(|&d| out.push(d as char));
    }
    if exp != 0 {
        out.push('e');
        super::write::write_i64(i64::from(exp), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_defaults_are_std() {
        assert_eq!(parse("0.30000000000000004"), Some(0.30000000000000004));
        assert_eq!(to_text(2.5), "2.5");
        assert_eq!(to_text(f64::NAN), "NaN");
    }

    #[test]
    fn fallback_is_exact_for_usual_numbers_and_close_otherwise() {
        for text in ["2.5", "-0.125", "19.99", "1e3", "1.5E-7", "123456.789", "0.1", "-3.14159"] {
            assert_eq!(approx_parse(text), text.parse::<f64>().ok(), "{text}");
        }
        for text in ["0.30000000000000004", "1.5e300", "2.2250738585072014e-308", "123456789012345678901234.5"] {
            let (got, want) = (approx_parse(text).unwrap(), text.parse::<f64>().unwrap());
            assert!((got - want).abs() <= want.abs() * 1e-14 || got == want, "{text}: {got} vs {want}");
        }
        assert_eq!(approx_parse("1e999"), None);
        for f in [2.5, -0.125, 19.99, 1e-7, 6.02214076e23, 0.1, 1.0 / 3.0] {
            let mut s = String::new();
            approx_format(f, &mut s);
            let back: f64 = s.parse().unwrap();
            assert!((back - f).abs() <= f.abs() * 1e-15, "{f} -> {s}");
        }
    }
}
