// The proactive invite speaks the visitor's language: negotiated from
// navigator.languages (Playwright's context locale), or set by the page with
// sdk.setLocale; Arabic is laid out right to left.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./serve.mjs";
import { launch, openPage, waitEvent } from "./browser.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

function bubble(page) {
  return page.evaluate(() => {
    const r = document.querySelector("[data-lcw-invite]")?.shadowRoot;
    if (!r) return null;
    const d = r.querySelector("[role=dialog]");
    return { lang: d.getAttribute("lang"), dir: d.getAttribute("dir"), title: r.querySelector(".title").textContent,
      buttons: [...r.querySelectorAll("button")].map((b) => b.textContent) };
  });
}

async function show(locale, before) {
  const { page, errors } = await openPage(browser, server.url, "/t/proactive/manual.html", { context: await browser.newContext({ locale }) });
  await waitEvent(page, "lcw:ready");
  if (before) await page.evaluate(before);
  await page.evaluate(() => window.lcw.sdk.startProactiveChat({ message: "Bonjour" }));
  await page.waitForFunction(() => document.querySelector("[data-lcw-invite]"));
  return { page, errors };
}

test("invite labels follow navigator.languages: fr-CA, de-AT, unknown language -> English", async () => {
  assert.deepEqual(await bubble((await show("fr-CA")).page),
    { lang: "fr-CA", dir: "ltr", title: "Clavardez avec nous", buttons: ["Non merci", "Clavarder"] });
  assert.deepEqual(await bubble((await show("de-AT")).page),
    { lang: "de", dir: "ltr", title: "Chatten Sie mit uns", buttons: ["Nein danke", "Jetzt chatten"] });
  const { page, errors } = await show("sv-SE");
  assert.deepEqual(await bubble(page), { lang: "en", dir: "ltr", title: "Chat with us", buttons: ["No thanks", "Chat now"] });
  assert.deepEqual(errors, []);
});

test("setLocale overrides the browser's languages for the invite; Arabic is right to left", async () => {
  const { page } = await show("en-US", () => window.lcw.sdk.setLocale("ar"));
  const b = await bubble(page);
  assert.equal(b.lang, "ar");
  assert.equal(b.dir, "rtl");
  assert.equal(b.title, "تحدث معنا");
  assert.deepEqual(b.buttons, ["لا، شكرًا", "ابدأ المحادثة"]);
});
