//! The widget's two stylesheets (the closed widget's, then the open
//! window's once its code is attached), adopted by the shadow root as
//! constructed `CSSStyleSheet`s (allowed under a CSP without
//! `'unsafe-inline'`). Theme values arrive as custom properties on the host (`--lcw-color`,
//! `--lcw-on-color`, `--lcw-font`, `--lcw-radius`, `--lcw-x`, `--lcw-y`).
//!
//! Default colours meet WCAG AA (white on #1d4ed8 is 6.7:1; body text
//! #111827 on white, muted #4b5563 on #f3f4f6 is 6.9:1); dark mode follows
//! `prefers-color-scheme`, motion only under `prefers-reduced-motion:
//! no-preference`, and phones get a full-screen window.
//!
//! Stacking: the launcher at `z-index` 2147483000, the proactive invite one
//! above it, the open window above both.

use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, ShadowRoot};

/// The closed widget's rules: host, colours, the launcher and its badge,
/// the window's placement.
pub const CSS: &str = r#"
:host{all:initial}
[hidden]{display:none!important}
.lcw{--bg:#fff;--fg:#111827;--muted:#4b5563;--line:#e5e7eb;--line-strong:#6b7280;--agent-bg:#f3f4f6;
--err:#b91c1c;--err-bg:#fef2f2;--link:#1d4ed8;--ring:#1d4ed8;--shadow:0 12px 40px rgb(0 0 0/.18);
font-family:var(--lcw-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif);
font-size:15px;line-height:1.45;color:var(--fg)}
@media (prefers-color-scheme:dark){.lcw{--bg:#111827;--fg:#f9fafb;--muted:#d1d5db;--line:#374151;--line-strong:#9ca3af;
--agent-bg:#1f2937;--err:#fca5a5;--err-bg:#3f1d1d;--link:#93c5fd;--ring:#93c5fd;--shadow:0 12px 40px rgb(0 0 0/.6)}}
*,*::before,*::after{box-sizing:border-box}
:focus-visible{outline:3px solid var(--ring);outline-offset:2px}
button{font:inherit;cursor:pointer}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher,.window{position:fixed;z-index:2147483000;bottom:var(--lcw-y,20px);right:var(--lcw-x,20px)}
.lcw[data-position=left] .launcher,.lcw[data-position=left] .window{right:auto;left:var(--lcw-x,20px)}
.launcher{display:inline-flex;align-items:center;gap:8px;min-height:52px;padding:0 22px 0 16px;border:0;
border-radius:999px;background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff);font-weight:600;font-size:15px;
box-shadow:var(--shadow);--ring:var(--lcw-color,#1d4ed8)}
.unread{position:absolute;top:-6px;inset-inline-end:-6px;min-width:22px;height:22px;padding:0 6px;box-sizing:border-box;
border-radius:11px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.launcher img{width:32px;height:32px;border-radius:50%;object-fit:cover}
.launcher:hover{filter:brightness(1.08)}
@media (prefers-reduced-motion:no-preference){.launcher{transition:filter .15s}}
@media (forced-colors:active){.launcher{border:2px solid ButtonText}}
"#;

/// The open window's rules, a second sheet adopted by [`adopt_window`]
/// when the window's code is attached (after [`CSS`], so it wins ties).
/// Only the attached code reaches it, so in the split build it travels
/// with that code instead of every page's download.
pub const WINDOW_CSS: &str = r#"
.window{z-index:2147483002}
.window{display:flex;flex-direction:column;width:min(380px,calc(100vw - 2*var(--lcw-x,20px)));
height:min(620px,calc(100vh - 2*var(--lcw-y,20px)));background:var(--bg);color:var(--fg);
border:1px solid var(--line);border-radius:var(--lcw-radius,14px);box-shadow:var(--shadow);overflow:hidden}
.head{display:flex;align-items:center;gap:10px;padding:12px 8px 12px 16px;padding-inline:16px 8px;
background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff);--ring:var(--lcw-on-color,#fff)}
.head .avatar{width:40px;height:40px}
.who{flex:1;min-width:0}
.who h2{margin:0;font-size:16px;font-weight:700;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.who p{margin:0;font-size:13px}
.icon-btn{display:inline-grid;place-items:center;width:40px;height:40px;padding:0;border:0;border-radius:8px;
background:transparent;color:inherit}
.icon-btn:hover{background:rgb(127 127 127/.2)}
.status{margin:0;padding:8px 16px;font-size:13px;color:var(--muted);border-bottom:1px solid var(--line)}
.status.down{color:var(--err);background:var(--err-bg);font-weight:600}
.vid{padding:8px 16px;border-bottom:1px solid var(--line);font-size:14px}
.vid p{margin:0 0 8px}
.vid .row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.vid .stage{position:relative;margin-bottom:8px;background:#000;border-radius:8px;overflow:hidden}
.vid video{display:block;width:100%;max-height:240px;background:#000}
.vid video.local{position:absolute;right:8px;bottom:8px;width:30%;border:2px solid #fff;border-radius:6px}
.vid [aria-pressed=false]{opacity:.6;text-decoration:line-through}
.vid .end{background:#b91c1c;color:#fff}
.body{position:relative;flex:1;overflow-y:auto;overscroll-behavior:contain;padding:14px 16px}
.log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.msg{display:flex;align-items:flex-end;gap:8px;max-width:85%}
.msg-visitor{align-self:flex-end;flex-direction:row-reverse}
.msg-system{align-self:center;max-width:100%;color:var(--muted);font-size:13px;text-align:center}
.msg-system .bubble{background:transparent;padding:2px 8px}
.avatar{flex:none;display:grid;place-items:center;width:30px;height:30px;border-radius:50%;object-fit:cover;
background:var(--line);color:var(--fg);font-size:13px;font-weight:700}
.lcw:not(.avatars) .log .avatar{display:none}
.bubble{min-width:0;padding:8px 12px;border-radius:var(--lcw-radius,14px);background:var(--agent-bg);overflow-wrap:anywhere}
.msg-visitor .bubble{background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff);--ring:var(--lcw-on-color,#fff)}
.bubble a{color:var(--link);text-decoration:underline}
.msg-visitor .bubble a{color:inherit}
.author{margin:0 0 2px;font-size:12px;font-weight:700}
.text{margin:0;white-space:pre-wrap}
.meta{display:flex;gap:6px;justify-content:flex-end;margin:4px 0 0;font-size:12px}
.msg-agent .meta{color:var(--muted)}
.msg[data-status=failed] .mark{font-weight:700;text-decoration:underline}
.meta .retry{padding:0 2px;color:inherit;font-size:12px;font-weight:700}
.preview{display:block;max-width:100%;max-height:220px;margin-top:6px;border-radius:8px}
.file{display:inline-block;margin-top:4px}
.file.unavailable{opacity:.75;font-style:italic}.file .why::before{content:" \2014  "}
.upload{display:block;width:100%;margin-top:6px}
.jump{position:sticky;bottom:0;display:flex;align-items:center;gap:4px;width:max-content;margin:10px auto 0;padding:6px 14px;
border:0;border-radius:999px;background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff);font-size:13px;font-weight:600;
box-shadow:0 2px 8px rgb(0 0 0/.3)}
.jump svg{width:16px;height:16px}
.snd{position:relative}.snd[aria-pressed=false]::after{content:"";position:absolute;left:10px;right:10px;top:19px;height:2px;
background:currentColor;transform:rotate(-45deg)}
.typing{margin:0;padding:0 16px 6px;font-size:13px;font-style:italic;color:var(--muted)}
.notice{margin:0 12px 8px;padding:8px 10px;border-radius:8px;background:var(--err-bg);color:var(--err);font-size:13px}
.composer{display:flex;align-items:flex-end;gap:6px;padding:10px 12px;border-top:1px solid var(--line)}
.composer textarea{flex:1;min-height:42px;max-height:120px;resize:none;padding:10px 14px;border:1px solid var(--line-strong);
border-radius:21px;background:var(--bg);color:var(--fg);font:inherit}
.composer .icon-btn{color:var(--fg)}
.composer .send{background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff);border-radius:50%}
.lcw[dir=rtl] .send svg{transform:scaleX(-1)}
.actions{display:flex;justify-content:flex-end;padding:0 12px 8px}
.link-btn{border:0;background:transparent;color:var(--fg);text-decoration:underline;font-size:13px;padding:4px}
.panel{display:flex;flex-direction:column;gap:12px}
.log:not([hidden])+.panel{margin-top:20px;padding-top:16px;border-top:1px solid var(--line)}
.panel h3{margin:0;font-size:17px}
.panel p{margin:0}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-size:14px;font-weight:600}
.req{font-weight:400;color:var(--muted)}
.field input,.field textarea,.field select{width:100%;padding:9px 10px;border:1px solid var(--line-strong);border-radius:8px;
background:var(--bg);color:var(--fg);font:inherit}
.field textarea{min-height:80px;resize:vertical}
.field.consent{flex-direction:row;align-items:flex-start;flex-wrap:wrap;gap:8px}
.field.consent input{width:auto;margin-top:4px}
.field [aria-invalid=true]{border:2px solid var(--err)}
.field-error,.form-error{margin:0;color:var(--err);font-size:13px}
.field-error{flex-basis:100%}
.primary,.secondary{min-height:44px;padding:10px 16px;border-radius:8px;font-weight:600}
.primary{border:0;background:var(--lcw-color,#1d4ed8);color:var(--lcw-on-color,#fff)}
.secondary{border:1px solid var(--line-strong);background:var(--bg);color:var(--fg)}
.thumbs{display:flex;gap:12px}
.thumb{flex:1;display:flex;flex-direction:column;align-items:center;gap:4px;min-height:64px;padding:8px;
border:2px solid var(--line-strong);border-radius:12px;background:var(--bg);color:var(--fg)}
.thumb svg{width:28px;height:28px}
.thumb.down svg{transform:rotate(180deg)}
.thumb[aria-pressed=true]{border-color:var(--fg);background:var(--agent-bg);outline:2px solid var(--fg)}
.drop{position:absolute;inset:8px;display:grid;place-items:center;border:3px dashed var(--lcw-color,#1d4ed8);
border-radius:12px;background:var(--bg);font-weight:700}
@media (max-width:480px){.window{inset:0;width:100%;height:100%;max-height:none;border:0;border-radius:0}
.lcw[data-position=left] .window{left:0}}
@media (prefers-reduced-motion:no-preference){.window:not([hidden]){animation:lcw-in .18s ease-out}
@keyframes lcw-in{from{opacity:0;transform:translateY(12px)}}}
@media (forced-colors:active){.primary,.thumb,.composer .send,.jump{border:2px solid ButtonText}}
"#;

/// Builds the closed widget's stylesheet and adopts it in `shadow`.
pub fn adopt(shadow: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}

/// Adds the open window's stylesheet after the closed widget's.
pub fn adopt_window(shadow: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(WINDOW_CSS)?;
    let sheets = shadow.adopted_style_sheets();
    sheets.push(&sheet);
    shadow.set_adopted_style_sheets(&sheets);
    Ok(())
}
