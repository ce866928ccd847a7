// The core build (pkg/lcw_core*, no widget) in Debian's Chromium: the
// loader picks it for data-ui="none" and the proactive engine with its
// invite bubble runs a chat against the real server; imported as a module
// (npm "lcw-sdk/core"), ui: "default" is lcw:error 10 and the SDK runs
// headless; both under a strict CSP. (chat.test.mjs runs its full chat on
// both builds.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";
import { serve } from "./serve.mjs";

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await browser?.close(); await site?.close(); });

const RULES = JSON.stringify([{ id: "soon", when: { type: "timeOnPage", ms: 300 },
  action: { message: "Need a hand with <b>your order</b>?", context: { Order: "A-7" } } }]);
const CSP = encodeURIComponent("script-src 'self' 'wasm-unsafe-eval'");

/** A context that records the paths it requests under /pkg/. */
async function recording() {
  const context = await browser.newContext();
  const pkg = [];
  context.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/pkg/")) pkg.push(p); });
  return { context, pkg };
}

const widgetShown = (page) => page.evaluate(() => !!document.querySelector("[data-lcw-widget]"));

test("data-ui=none: the core wasm only, a rule's invite accepted, a chat with the agent both ways", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { context, pkg } = await recording();
    const query = `?data-server=/&data-widget=demo&data-ui=none&data-proactive-rules=${encodeURIComponent(RULES)}`;
    const { page, errors } = await openPage(browser, server.url, `/config.html${query}`, { context });
    await waitEvent(page, "lcw:ready");
    // The rules' engine is fetched from the start (the page has rules), and
    // the invite (300 ms after the start) prefetches the core chat chunk, so
    // on a slow machine either may already be on its way when ready is seen.
    const later = ["/pkg/lcw_core_chat.wasm", "/pkg/lcw_core_engine.wasm", "/pkg/lcw_core_chat-engine.wasm"];
    const atReady = [...pkg].sort().filter((p) => !later.includes(p));
    assert.deepEqual(atReady, ["/pkg/lcw.js", "/pkg/lcw_core.js", "/pkg/lcw_core_bg.wasm"], "never the full build");

    const shown = await waitEvent(page, "lcw:proactiveInviteShown");
    assert.deepEqual(shown, { ruleId: "soon", message: "Need a hand with <b>your order</b>?" });
    const text = await page.evaluate(() => document.querySelector("[data-lcw-invite]").shadowRoot.querySelector(".msg").textContent);
    assert.equal(text, shown.message, "the invite bubble shows the message as text");
    await page.locator("[data-lcw-invite] button.accept").click();
    const start = await waitEvent(page, "lcw:startChat");
    assert.equal(start.context["Proactive Chat"].value, "True");
    assert.equal(start.context.Order.value, "A-7");

    const convId = await ag.firstConversation();
    await page.evaluate(() => window.lcw("sendMessage", "where is my parcel?"));
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "visitor" && m.status === "sent"));
    await ag.send(convId, "On its way");
    const got = await waitEvent(page, "lcw:onMessageReceived", "d.text === 'On its way'");
    assert.equal(got.sender, "agent");
    assert.deepEqual(await ag.received(), ["where is my parcel?"]);
    await page.evaluate(() => window.lcw("closeChat"));
    await waitEvent(page, "lcw:closeChat");
    assert.equal(await widgetShown(page), false, "no widget in the core build");
    assert.deepEqual([...new Set(pkg)].sort(),
      ["/pkg/lcw.js", "/pkg/lcw_core.js", "/pkg/lcw_core_bg.wasm", "/pkg/lcw_core_chat-engine.wasm", "/pkg/lcw_core_chat.wasm", "/pkg/lcw_core_engine.wasm"],
      "the core build, its engine and chat chunks and what those two share, each once");
    assert.equal(pkg.length, 6, pkg.join());
    const codes = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode));
    assert.deepEqual(codes, []);
    assert.deepEqual(errors, []);
    await context.close();
  } finally { await server.stop(); }
});

for (const csp of ["", `&csp=${CSP}`]) {
  test(`core module entry${csp ? " under a strict CSP" : ""}: ui "default" is lcw:error 10, then ready and headless`, async () => {
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, site.url, `/t/core.html?ui=default${csp}`, { context });
    const err = await waitEvent(page, "lcw:error");
    assert.equal(err.errorCode, 10);
    assert.match(err.errorDescription, /"ui": "default".*core build/);
    await waitEvent(page, "lcw:ready");
    const exports = await page.evaluate(() => window.__coreExports);
    assert.ok(exports.includes("createSdk") && !exports.includes("mountWidgetPreview"), exports.join());
    await page.evaluate(() => window.sdk.setLocale("fr"));
    await page.evaluate(() => window.sdk.startChat());
    await waitEvent(page, "lcw:startChat");
    assert.equal(await widgetShown(page), false);
    assert.ok(pkg.every((p) => !p.includes("lcw_sdk")), pkg.join());
    assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").length), 1, "one error");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("core module entry with ui \"none\" or no ui option: no error", async () => {
  for (const query of ["?ui=none", ""]) {
    const { page, ctx } = await openPage(browser, site.url, `/t/core.html${query}`);
    await waitEvent(page, "lcw:ready");
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").length), 0, query);
    await ctx.close();
  }
});
