// The default widget UI (src/web/ui) mounted through mountWidgetPreview in
// Debian's Chromium: forms, theme, locale and RTL, attachments, keyboard
// use, XSS, links, axe-core, and screenshots in test-results/widget/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { launch, axe } from "./browser.mjs";

const SHOTS = fileURLToPath(new URL("../../test-results/widget/", import.meta.url));
mkdirSync(SHOTS, { recursive: true });

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const FORM = {
  enabled: true,
  greeting: "Hi! Tell us a bit about you.",
  fields: [
    { name: "name", required: true },
    { name: "email", kind: "email" },
    { name: "department", kind: "select", required: true, options: ["Sales", "Support"] },
    { name: "phone", kind: "tel" },
    { name: "message", kind: "textarea", required: true },
  ],
};
const CONFIG = {
  theme: { headerName: "Acme Support", headerTitle: "We usually reply in a minute", showAvatars: true },
  preChat: FORM,
  offlineForm: { enabled: true, greeting: "We are away. Leave a message.", fields: [
    { name: "name", required: true }, { name: "email", kind: "email", required: true }, { name: "message", kind: "textarea", required: true }] },
  ratingEnabled: true,
  files: { enabled: true, allowedMimeTypes: ["image/*", "application/pdf"], maxSizeBytes: 1000 },
  maxMessageChars: 500,
  locale: "en",
};

/** A page with the widget mounted with `config`. */
async function widgetPage(config = CONFIG, { query = "", locale, colorScheme, viewport } = {}) {
  const ctx = await browser.newContext({ locale, colorScheme, viewport, reducedMotion: "reduce" });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(server.url + "/t/widget.html" + query);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate((c) => window.mountWidget(c), config);
  return { page, ctx, errors };
}

const actions = (page) => page.evaluate(() => window.__actions);
const sr = (page, fn, arg) => page.evaluate(([f, a]) => new Function("root", "arg", f)(window.widgetRoot(), a), [fn, arg]);
const shot = (page, name) => page.screenshot({ path: SHOTS + name + ".png" });

async function chatting(page) {
  await page.evaluate(() => {
    preview.open();
    preview.setPhase({ phase: "chatting", agentName: "Ada" });
    const t = Date.UTC(2025, 0, 1, 9, 30);
    preview.addMessage({ id: "s1", from: { kind: "system" }, text: "Ada joined the chat", atMs: t });
    preview.addMessage({ id: "a1", from: { kind: "agent", name: "Ada" }, text: "Hello! Our guide is at https://example.com/help.", atMs: t });
    preview.addMessage({ id: "v1", from: { kind: "visitor" }, text: "Thanks, reading it now.", atMs: t + 60000, status: "sent" });
    preview.addMessage({ id: "v2", from: { kind: "visitor" }, text: "One more question…", atMs: t + 90000, status: "failed" });
  });
}

test("launcher and window: theme, position, offsets, font, radius via CSS custom properties under a strict CSP", async () => {
  const csp = encodeURIComponent("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob:");
  const theme = { color: "#6d28d9", textColor: "#ffffff", position: "left", offsetX: 32, offsetY: 40, fontFamily: "Georgia, serif",
    cornerRadius: 4, launcherText: "Talk to us", headerName: "Violet Shop" };
  const { page, ctx, errors } = await widgetPage({ ...CONFIG, theme }, { query: "?csp=" + csp });
  const launcher = await sr(page, `const s = getComputedStyle(root.querySelector(".launcher"));
    return { bg: s.backgroundColor, color: s.color, left: s.left, bottom: s.bottom, font: s.fontFamily, text: root.querySelector(".launcher").textContent }`);
  assert.deepEqual(launcher, { bg: "rgb(109, 40, 217)", color: "rgb(255, 255, 255)", left: "32px", bottom: "40px", font: "Georgia, serif", text: "Talk to us" });
  await shot(page, "launcher-themed-left");
  await page.evaluate(() => preview.open());
  const win = await sr(page, `const s = getComputedStyle(root.querySelector(".window"));
    return { radius: s.borderTopLeftRadius, left: s.left, head: getComputedStyle(root.querySelector(".head")).backgroundColor }`);
  assert.deepEqual(win, { radius: "4px", left: "32px", head: "rgb(109, 40, 217)" });
  await page.evaluate(() => preview.setTheme({ color: "red;}*{display:none", position: "right", offsetX: 10, launcherText: "Hi" }));
  const after = await sr(page, `const s = getComputedStyle(root.querySelector(".window")); return { right: s.right, head: getComputedStyle(root.querySelector(".head")).backgroundColor }`);
  assert.deepEqual(after, { right: "10px", head: "rgb(29, 78, 216)" }, "a bad colour falls back to the default");
  assert.deepEqual(await sr(page, `return [...root.querySelectorAll("[style]:not([style=''])")].map((e) => e.outerHTML.slice(0, 120))`), [], "no inline style attributes");
  assert.deepEqual(await page.evaluate(() => window.__csp), [], "no CSP violations");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("pre-chat form: clear messages for each invalid field, then valid answers are submitted", async () => {
  const { page, ctx } = await widgetPage();
  await sr(page, `root.querySelector(".launcher").click()`);
  assert.deepEqual(await actions(page), [{ type: "launcherClicked" }]);
  await page.evaluate(() => preview.setPhase({ phase: "prechat" }));
  await sr(page, `root.querySelector("form[data-form=prechat] button[type=submit]").click()`);
  const errs = () => sr(page, `return [...root.querySelectorAll(".field-error")].filter((e) => !e.hidden).map((e) => e.textContent)`);
  assert.deepEqual(await errs(), ["Name is required.", "Department is required.", "Message is required."]);
  assert.equal(await sr(page, `return root.activeElement.id + ":" + root.activeElement.getAttribute("aria-invalid")`), "lcw-prechat-0:true",
    "focus on the first invalid field");
  await shot(page, "prechat-errors");
  await page.keyboard.type("Ada Lovelace");
  await sr(page, `const f = (n, v) => { const e = root.querySelector("[name=" + n + "]"); e.value = v; };
    f("email", "ada@"); f("phone", "12ab"); f("department", "Support"); f("message", "My order is late");`);
  await sr(page, `root.querySelector("form[data-form=prechat] button[type=submit]").click()`);
  assert.deepEqual(await errs(), ["Enter a valid email address, for example name@example.com.", "Enter a valid phone number, for example +1 555 123 4567."]);
  await sr(page, `root.querySelector("[name=email]").value = "ada@example.org"; root.querySelector("[name=phone]").value = "";`);
  await axe(page, "pre-chat form");
  await sr(page, `root.querySelector("form[data-form=prechat] button[type=submit]").click()`);
  assert.deepEqual((await actions(page)).at(-1), { type: "submitPrechat",
    answers: { name: "Ada Lovelace", email: "ada@example.org", department: "Support", message: "My order is late" } });
  await ctx.close();
});

test("offline form: leave a message, then a confirmation", async () => {
  const { page, ctx } = await widgetPage();
  await page.evaluate(() => { preview.open(); preview.setPhase({ phase: "offline" }); });
  await sr(page, `root.querySelector("form[data-form=offline] button[type=submit]").click()`);
  assert.equal(await sr(page, `return [...root.querySelectorAll(".field-error")].filter((e) => !e.hidden).length`), 3);
  await sr(page, `const f = (n, v) => { root.querySelector("[name=" + n + "]").value = v; };
    f("name", "Bob"); f("email", "bob@example.com"); f("message", "Call me back");
    root.querySelector("form[data-form=offline] button[type=submit]").click();`);
  assert.deepEqual((await actions(page)).at(-1), { type: "submitOffline", answers: { name: "Bob", email: "bob@example.com", message: "Call me back" } });
  assert.match(await sr(page, `return root.querySelector(".panel").textContent`), /We will get back to you/);
  await shot(page, "offline-sent");
  await ctx.close();
});

test("rating after the end: thumbs down with a comment, thanks, new chat", async () => {
  const { page, ctx } = await widgetPage();
  await chatting(page);
  await page.evaluate(() => preview.setPhase({ phase: "ended", canRate: true }));
  assert.equal(await sr(page, `return root.querySelector(".composer").hidden`), true, "no composer after the end");
  await sr(page, `root.querySelector("[data-act=thumb-down]").click()`);
  assert.equal(await sr(page, `return root.querySelector("[data-act=thumb-down]").getAttribute("aria-pressed")`), "true");
  await sr(page, `root.querySelector("#lcw-rate-comment").value = "Too slow"`);
  await shot(page, "rating");
  await axe(page, "rating");
  await sr(page, `root.querySelector("form[data-form=rating] button[type=submit]").click()`);
  assert.deepEqual((await actions(page)).at(-1), { type: "rate", thumbsUp: false, comment: "Too slow" });
  assert.match(await sr(page, `return root.querySelector(".panel").textContent`), /Thank you for your feedback/);
  await sr(page, `root.querySelector("[data-act=new-chat]").click()`);
  assert.deepEqual((await actions(page)).at(-1), { type: "launcherClicked" });
  await ctx.close();
});

test("locale: navigator.languages negotiation (fr-BE -> fr), setLocale at run time, ar right to left, site overrides", async () => {
  const cfg = { ...CONFIG, locale: null, theme: { showAvatars: true }, translations: { "fr-CA": { send: "Envoyez" } } };
  const { page, ctx } = await widgetPage(cfg, { locale: "fr-BE" });
  assert.equal(await page.evaluate(() => preview.locale), "fr");
  assert.equal(await sr(page, `return root.querySelector(".launcher").textContent`), "Discutons");
  await chatting(page);
  await page.evaluate(() => preview.setLocale("fr-CA"));
  assert.equal(await sr(page, `return root.querySelector(".send").getAttribute("aria-label")`), "Envoyez", "site override");
  assert.equal(await sr(page, `return root.querySelector(".status").textContent`), "Vous clavardez avec Ada.");
  await page.evaluate(() => preview.setLocale("ar"));
  const ar = await sr(page, `const r = root.querySelector(".lcw"); const v = root.querySelector("[data-id=v1]").getBoundingClientRect();
    const a = root.querySelector("[data-id=a1]").getBoundingClientRect();
    return { dir: r.dir, lang: r.lang, css: getComputedStyle(r).direction, send: root.querySelector(".send").getAttribute("aria-label"),
      mark: root.querySelector("[data-id=v1] .mark").textContent, visitorLeftOfAgent: v.left < a.left }`);
  assert.deepEqual(ar, { dir: "rtl", lang: "ar", css: "rtl", send: "إرسال", mark: "تم الإرسال", visitorLeftOfAgent: true });
  await shot(page, "chat-ar-rtl");
  await axe(page, "ar");
  await page.evaluate(() => { preview.setPhase({ phase: "prechat" }); });
  assert.equal(await sr(page, `return root.querySelector("label[for=lcw-prechat-0]").textContent`), "الاسم (مطلوب)",
    "built-in field labels translate too");
  await page.evaluate(() => preview.setLocale("xx"));
  assert.equal(await page.evaluate(() => preview.locale), "en", "unknown: English");
  await ctx.close();
});

test("attachments: refusal names what is allowed; accepted files reach sendFile; previews, progress, drag and drop", async () => {
  const { page, ctx } = await widgetPage();
  await chatting(page);
  const input = page.locator("[data-lcw-widget] input[type=file]");
  assert.equal(await input.getAttribute("accept"), "image/*,application/pdf");
  await input.setInputFiles({ name: "page.html", mimeType: "text/html", buffer: Buffer.from("<p>x</p>") });
  const notice = () => sr(page, `const n = root.querySelector(".notice"); return n.hidden ? null : n.textContent`);
  assert.equal(await notice(), "“page.html” can’t be sent: text/html files are not accepted. Allowed: image/*, application/pdf.");
  await shot(page, "attachment-refused");
  await input.setInputFiles({ name: "big.png", mimeType: "image/png", buffer: Buffer.alloc(2000) });
  assert.match(await notice(), /big\.png.*2 KB.*1000 B/);
  assert.deepEqual(await actions(page), []);
  await input.setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: Buffer.alloc(100) });
  assert.equal(await notice(), null);
  assert.deepEqual(await actions(page), [{ type: "sendFile", name: "dot.png", mime: "image/png", size: 100 }]);
  await page.evaluate(() => {
    const url = preview.localUrl(window.__files[0]);
    preview.addMessage({ id: "f1", from: { kind: "visitor" }, atMs: Date.now(), status: "sending", attachment: { name: "dot.png", mimeType: "image/png", size: 100, url } });
    preview.addMessage({ id: "f2", from: { kind: "agent", name: "Ada" }, atMs: Date.now(), attachment: { name: "invoice.pdf", mimeType: "application/pdf", url: "/files/invoice.pdf" } });
    preview.addMessage({ id: "f3", from: { kind: "agent", name: "Ada" }, atMs: Date.now(), attachment: { name: "evil.svg", mimeType: "image/svg+xml", url: "javascript:alert(1)" } });
    preview.setUploadProgress("f1", 0.4);
  });
  const shown = await sr(page, `return { img: root.querySelector("[data-id=f1] img.preview").getAttribute("src").slice(0, 5),
    alt: root.querySelector("[data-id=f1] img.preview").alt, progress: root.querySelector("[data-id=f1] progress").value,
    pdf: root.querySelector("[data-id=f2] a.file").getAttribute("href"), evil: root.querySelector("[data-id=f3] .file").tagName }`);
  assert.deepEqual(shown, { img: "blob:", alt: "dot.png", progress: 0.4, pdf: "/files/invoice.pdf", evil: "SPAN" });
  await page.evaluate(() => { preview.setUploadProgress("f1", 1); preview.setStatus("f1", "sent"); });
  assert.equal(await sr(page, `return root.querySelectorAll("[data-id=f1] progress").length + ":" + root.querySelector("[data-id=f1] .mark").textContent`), "0:Sent");
  await sr(page, `const dt = new DataTransfer(); dt.items.add(new File(["%PDF"], "doc.pdf", { type: "application/pdf" }));
    const body = root.querySelector(".body");
    body.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));`);
  assert.deepEqual((await actions(page)).at(-1), { type: "sendFile", name: "doc.pdf", mime: "application/pdf", size: 4 });
  await ctx.close();
});

test("keyboard only: Tab to the launcher, Enter opens, focus is trapped, Enter sends, Escape minimizes and focus returns", async () => {
  const { page, ctx } = await widgetPage();
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    if (!a || !a.shadowRoot) return a ? a.id || a.tagName : null;
    const s = a.shadowRoot.activeElement;
    return s ? "w:" + (s.id || s.getAttribute("data-act") || s.className) : "w:host";
  });
  let seen = [];
  for (let i = 0; i < 5 && !seen.includes("w:launcher"); i++) { await page.keyboard.press("Tab"); seen.push(await focused()); }
  assert.ok(seen.includes("w:launcher"), `launcher reachable by Tab: ${seen}`);
  await page.keyboard.press("Enter");
  assert.deepEqual(await actions(page), [{ type: "launcherClicked" }]);
  await page.evaluate(() => preview.setPhase({ phase: "chatting", agentName: "Ada" }));
  assert.equal(await focused(), "w:lcw-input", "focus in the message input");
  await page.keyboard.type("Hello there");
  await page.keyboard.press("Enter");
  const acts = await actions(page);
  assert.deepEqual(acts.slice(1), [{ type: "typing", isTyping: true }, { type: "typing", isTyping: false }, { type: "sendText", text: "Hello there" }]);
  const ring = [];
  for (let i = 0; i < 12; i++) { await page.keyboard.press("Tab"); ring.push(await focused()); }
  assert.ok(ring.every((f) => f.startsWith("w:") && f !== "w:host" && f !== "w:launcher"), `focus stays in the window: ${ring}`);
  assert.ok(ring.includes("w:minimize") && ring.includes("w:close") && ring.includes("w:lcw-input"), `${ring}`);
  for (let i = 0; i < 7; i++) { await page.keyboard.press("Shift+Tab"); assert.ok((await focused()).startsWith("w:")); }
  await page.keyboard.press("Escape");
  assert.equal(await focused(), "w:launcher", "focus returned to the launcher");
  assert.equal(await page.evaluate(() => preview.isOpen), false);
  await page.keyboard.press("Enter");
  await page.evaluate(() => preview.setPhase({ phase: "ended", canRate: false }));
  await sr(page, `root.querySelector("[data-act=close]").focus()`);
  await page.keyboard.press("Enter");
  assert.equal(await focused(), "w:launcher");
  assert.deepEqual(await page.evaluate(() => window.__uiEvents), ["onMaximize", "onMinimize", "onMaximize", "onClose"]);
  await ctx.close();
});

test("an XSS payload from the agent renders as text; links are http(s) only with rel noopener", async () => {
  const { page, ctx, errors } = await widgetPage();
  await chatting(page);
  await page.evaluate(() => {
    window.__xss = 0;
    preview.addMessage({ id: "x1", from: { kind: "agent", name: "<img src=x onerror=window.__xss=1>", avatar: "javascript:window.__xss=2" },
      text: "<img src=x onerror=\"window.__xss=3\"><script>window.__xss=4</script><a href=\"javascript:window.__xss=5\">click</a>", atMs: 1 });
    preview.addMessage({ id: "x2", from: { kind: "agent", name: "Ada" }, text: "Go to https://example.com/a?b=1, not javascript:alert(1) or ftp://x.y; see http://x.test/(p).", atMs: 1 });
  });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__xss), 0, "no script ran");
  const x1 = await sr(page, `const li = root.querySelector("[data-id=x1]");
    return { tags: [...li.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()), text: li.querySelector(".text").textContent, author: li.querySelector(".author").textContent }`);
  assert.deepEqual(x1.tags, ["span", "div", "p", "p", "p", "time"], "no injected elements");
  assert.equal(x1.text, "<img src=x onerror=\"window.__xss=3\"><script>window.__xss=4</script><a href=\"javascript:window.__xss=5\">click</a>");
  assert.equal(x1.author, "<img src=x onerror=window.__xss=1>");
  const links = await sr(page, `return [...root.querySelectorAll("[data-id=x2] a")].map((a) => [a.getAttribute("href"), a.textContent, a.rel, a.target])`);
  assert.deepEqual(links, [["https://example.com/a?b=1", "https://example.com/a?b=1", "noopener noreferrer", "_blank"],
    ["http://x.test/(p)", "http://x.test/(p)", "noopener noreferrer", "_blank"]]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("axe-core: zero violations for the launcher and the open chat; screenshots of the main states", async () => {
  const { page, ctx } = await widgetPage();
  await shot(page, "launcher");
  await axe(page, "launcher");
  await chatting(page);
  await page.evaluate(() => preview.setTyping(true));
  await shot(page, "chat");
  await axe(page, "open chat");
  await page.evaluate(() => preview.setPhase({ phase: "queued", position: 3, waitSecs: 150 }));
  assert.equal(await sr(page, `return root.querySelector(".status").textContent`), "You are number 3 in the queue. Estimated wait: about 3 min.");
  await shot(page, "queued");
  await ctx.close();
  const dark = await widgetPage(CONFIG, { colorScheme: "dark" });
  await chatting(dark.page);
  await shot(dark.page, "chat-dark");
  await axe(dark.page, "dark chat");
  await dark.ctx.close();
  const mobile = await widgetPage(CONFIG, { viewport: { width: 390, height: 740 } });
  await chatting(mobile.page);
  const box = await sr(mobile.page, `const r = root.querySelector(".window").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]`);
  assert.deepEqual(box, [0, 0, 390, 740], "full screen on a phone");
  await shot(mobile.page, "chat-mobile");
  await mobile.ctx.close();
});
