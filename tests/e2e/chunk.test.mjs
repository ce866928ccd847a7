// The chat chunk (scripts/build.sh, src/web/lazy.rs): the code that runs a
// conversation is a second .wasm next to each build's glue. A page that
// never chats never downloads it; the first chat fetches it once; a fetch
// that fails is lcw:error 7 for that chat and the next try fetches it again.
// The full build's mountWidgetPreview has a chunk of its own, fetched by the
// first preview only. The default widget's open window comes with the chat
// chunk: a closed widget (the launcher) needs the main module only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A context that records the paths it requests under /pkg/. */
async function recording(options = {}) {
  const context = await browser.newContext(options);
  const pkg = [];
  context.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/pkg/")) pkg.push(p); });
  return { context, pkg };
}

for (const [build, ui] of [["lcw_core", "none"], ["lcw_sdk", "default"]]) {
  test(`${build}: no chat chunk until the first chat; fetched once for it and reused by the next`, async () => {
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=demo&data-ui=${ui}`, { context });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("getAgentAvailability")); // server calls that are not a chat need no chunk
    await waitEvent(page, "lcw:getAgentAvailability");
    await pause(500);
    assert.deepEqual(pkg.filter((p) => p.endsWith(".wasm")), [`/pkg/${build}_bg.wasm`], "only the main module before a chat");

    for (let round = 0; round < 2; round++) {
      await page.evaluate(() => window.lcw("startChat"));
      await waitEvent(page, "lcw:startChat", "true", 15000);
      await page.evaluate(() => window.lcw("closeChat"));
      await page.waitForFunction((n) => window.__events.filter((e) => e.name === "lcw:closeChat").length === n, round + 1);
    }
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), [`/pkg/${build}_chat.wasm`], "the chunk, once");
    assert.deepEqual(pkg.filter((p) => p.endsWith("_preview.wasm")), [], "a page with the default widget never needs the preview's code");
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("the chunk cannot be fetched: lcw:error 7 for that chat, asking no provider; the next startChat fetches it and a message sent while it loads is delivered once", async () => {
  const ag = await agent(browser, server.url);
  const before = new Set(await ag.conversations());
  const { context, pkg } = await recording();
  let attempts = 0;
  await context.route("**/pkg/lcw_core_chat.wasm", async (route) => {
    attempts++;
    if (attempts === 1) return route.abort("internetdisconnected");
    await pause(400); // slow enough for a message to be typed while it loads
    return route.continue();
  });
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { context });
  await waitEvent(page, "lcw:ready");
  // The providers are asked by the chat's code: not before it has come.
  await page.evaluate(() => {
    window.__asked = 0;
    window.lcw("setContextProvider", () => { window.__asked++; return { Plan: { value: "gold" } }; });
  });

  await page.evaluate(() => window.lcw("startChat"));
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 7");
  assert.match(err.errorDescription, /chat part of the SDK could not load/);
  await pause(300);
  const names = await page.evaluate(() => window.__events.map((e) => e.name));
  assert.ok(!names.includes("lcw:startChat"), names.join());
  assert.equal(await page.evaluate(() => window.__asked), 0, "no provider asked without the chat's code");
  const noChat = await page.evaluate(() => { try { window.lcw("sendMessage", "x"); return "sent"; } catch (e) { return e.code; } });
  assert.equal(noChat, "LCW_NO_CHAT", "no chat is open after the failed start");

  await page.evaluate(() => window.lcw("startChat"));
  const id = await page.evaluate(() => window.lcw("sendMessage", "typed while the chunk loads"));
  assert.equal(typeof id, "string");
  const started = await waitEvent(page, "lcw:startChat", "true", 15000);
  assert.equal(started.context.Plan.value, "gold");
  assert.equal(await page.evaluate(() => window.__asked), 1, "asked once, by the start that loaded the code");
  const conv = (await ag.conversations()).find((c) => !before.has(c));
  assert.ok(conv, "a conversation started");
  await page.waitForFunction((cid) => window.lcw("getMessages").some((m) => m.id === cid && m.status === "sent"), id);
  assert.deepEqual((await ag.received()).filter((t) => t === "typed while the chunk loads"), ["typed while the chunk loads"]);
  assert.equal(attempts, 2);
  assert.equal(pkg.filter((p) => p.endsWith("_chat.wasm")).length, 2);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await context.close();
});

test("a stored chat is picked up while the chunk loads: closeChat meanwhile ends it once it is kept; a failed load is error 7 and startChat then resumes it", async () => {
  const ag = await agent(browser, server.url);
  const { context } = await recording();
  let mode = "pass";
  await context.route("**/pkg/lcw_core_chat.wasm", async (route) => {
    if (mode === "fail") return route.abort("internetdisconnected");
    if (mode === "slow") await pause(600);
    return route.continue();
  });
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { context });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  await page.waitForFunction(() => localStorage.getItem("lcw_chat") !== null);
  const conv = JSON.parse(await page.evaluate(() => localStorage.getItem("lcw_chat"))).conversationId;

  // Reload: the chunk fails; the chat is not picked up (error 7), then
  // startChat loads it and resumes the same conversation.
  mode = "fail";
  await page.reload();
  await waitEvent(page, "lcw:ready");
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 7");
  assert.match(err.errorDescription, /could not load/);
  assert.ok(!(await page.evaluate(() => window.__events.some((e) => e.name === "lcw:chatRetrieved"))));
  mode = "pass";
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("lcw_chat"))).conversationId, conv, "the same conversation");

  // Reload with a slow chunk, closeChat right after ready.
  mode = "slow";
  await page.reload();
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw("closeChat"));
  await waitEvent(page, "lcw:closeChat");
  const names = await page.evaluate(() => window.__events.map((e) => e.name).filter((n) => n === "lcw:chatRetrieved" || n === "lcw:closeChat"));
  assert.deepEqual(names, ["lcw:chatRetrieved", "lcw:closeChat"]);
  assert.equal(await page.evaluate(() => localStorage.getItem("lcw_chat")), null);
  await ag.page.waitForFunction((id) => window.__frames.some((f) => f.type === "agent_conversation_updated" &&
    (f.conversation.conversation || f.conversation).id === id && (f.conversation.conversation || f.conversation).state === "closed"), conv);
  assert.deepEqual(errors, []);
  await context.close();
});

test("intent to chat prefetches the chunk: an invite on screen, the widget's pre-chat form, the pointer on its launcher; the chat starts without waiting for it", async () => {
  // An invite (core build).
  {
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { context });
    await waitEvent(page, "lcw:ready");
    await pause(300);
    assert.equal(pkg.filter((p) => p.endsWith("_chat.wasm")).length, 0);
    await page.evaluate(() => window.lcw("startProactiveChat", { message: "Can we help?" }, false));
    await waitEvent(page, "lcw:proactiveInviteShown");
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("/pkg/lcw_core_chat.wasm") && r.responseEnd > 0));
    assert.ok(!(await page.evaluate(() => window.__events.some((e) => e.name === "lcw:startChat"))), "fetched before any chat");
    await page.locator("[data-lcw-invite] button.accept").click();
    await waitEvent(page, "lcw:startChat");
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), ["/pkg/lcw_core_chat.wasm"]);
    assert.deepEqual(errors, []);
    await page.evaluate(() => window.lcw("closeChat"));
    await context.close();
  }
  // The demo site's widget page: its launcher opens the pre-chat form (full build).
  const demo = await startChatServer({ staticDir: "www" });
  try {
    await agent(browser, demo.url); // an agent signed in: the launcher offers the pre-chat form, not the offline one
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, demo.url, "/widget.html", { context });
    await waitEvent(page, "lcw:ready");
    await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher"));
    await pause(300);
    assert.equal(pkg.filter((p) => p.endsWith("_chat.wasm")).length, 0);
    await page.evaluate(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".launcher").click());
    await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("form[data-form=prechat]:not([hidden])"));
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("/pkg/lcw_sdk_chat.wasm") && r.responseEnd > 0));
    assert.ok(!(await page.evaluate(() => window.__events.some((e) => e.name === "lcw:startChat"))), "fetched while the form is open");
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), ["/pkg/lcw_sdk_chat.wasm"]);
    assert.deepEqual(errors, []);
    await context.close();

    // The pointer on the launcher, before any click.
    const hover = await recording();
    const { page: p2, errors: errors2 } = await openPage(browser, demo.url, "/widget.html", { context: hover.context });
    await waitEvent(p2, "lcw:ready");
    await p2.locator("[data-lcw-widget] .launcher").waitFor();
    await pause(300);
    assert.equal(hover.pkg.filter((p) => p.endsWith("_chat.wasm")).length, 0);
    await p2.locator("[data-lcw-widget] .launcher").hover();
    await p2.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("/pkg/lcw_sdk_chat.wasm") && r.responseEnd > 0));
    const open = await p2.evaluate(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".window").hidden);
    assert.equal(open, false, "hovered, not clicked");
    assert.deepEqual(errors2, []);
    await hover.context.close();
  } finally { await demo.stop(); }
});

test("the widget's window comes with the chat chunk: a click before it loads marks the launcher busy and opens the window once it has; a failed fetch is error 7 and the next click opens it", async () => {
  const { context, pkg } = await recording();
  let attempts = 0;
  await context.route("**/pkg/lcw_sdk_chat.wasm", async (route) => {
    attempts++;
    if (attempts === 1) return route.abort("internetdisconnected");
    await pause(300); // the second click lands while it loads
    return route.continue();
  });
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo", { context });
  await waitEvent(page, "lcw:ready");
  const root = "document.querySelector('[data-lcw-widget]').shadowRoot";
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  await pause(300);
  assert.deepEqual(pkg.filter((p) => p.endsWith(".wasm")), ["/pkg/lcw_sdk_bg.wasm"], "a closed widget needs the main module only");

  // A click with no hover first (a script, a keyboard): nothing prefetched.
  const click = () => page.evaluate(`(() => { const l = ${root}.querySelector('.launcher'); l.click(); return l.getAttribute('aria-busy'); })()`);
  assert.equal(await click(), "true", "busy while the window's code loads");
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 7");
  assert.match(err.errorDescription, /could not load/);
  await page.waitForFunction(`!${root}.querySelector('.launcher').hasAttribute('aria-busy')`);
  assert.equal(await page.evaluate(`${root}.querySelector('.window').hidden`), true, "the window stays closed");
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:onMaximize").length), 0);

  assert.equal(await click(), "true");
  assert.equal(await click(), "true", "a second click while it loads is ignored");
  await waitEvent(page, "lcw:onMaximize");
  await page.waitForFunction(`!${root}.querySelector('.window').hidden`);
  assert.equal(await page.evaluate(`${root}.querySelector('.launcher').hasAttribute('aria-busy')`), false);
  await pause(300);
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:onMaximize").length), 1, "opened once");
  // The window works: the launcher's action ran (the pre-chat form or the chat).
  await page.waitForFunction(`${root}.querySelector('form[data-form=prechat]:not([hidden]), form[data-form=offline]:not([hidden]), form[data-form=composer]:not([hidden])')`);
  assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), ["/pkg/lcw_sdk_chat.wasm", "/pkg/lcw_sdk_chat.wasm"], "the failed fetch, then one more");
  assert.equal(attempts, 2);
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode)), [7]);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await context.close();
});

test("a closed widget reads only the configuration's look; the rest is read with the window's code: a malformed form is reported then, and the window opens without it", async () => {
  const { context, pkg } = await recording();
  await context.route("**/v1/widgets/demo/config", (route) => route.fulfill({
    contentType: "application/json",
    body: JSON.stringify({ widgetId: "demo", theme: { color: "#6d28d9", launcherText: "Ask us" }, preChat: { enabled: true, fields: "not a list" } }),
  }));
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo", { context });
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  const root = "document.querySelector('[data-lcw-widget]').shadowRoot";
  assert.deepEqual(await page.evaluate(`(() => { const l = ${root}.querySelector('.launcher'); return [getComputedStyle(l).backgroundColor, l.textContent.trim()]; })()`),
    ["rgb(109, 40, 217)", "Ask us"], "the look applies at once");
  await pause(300);
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), [], "nothing to report at load");
  assert.deepEqual(pkg.filter((p) => p.endsWith(".wasm")), ["/pkg/lcw_sdk_bg.wasm"]);

  await page.evaluate(`${root}.querySelector('.launcher').click()`);
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 14");
  assert.match(err.errorDescription, /malformed widget config/);
  await waitEvent(page, "lcw:onMaximize");
  assert.equal(await page.evaluate(`!!${root}.querySelector('form[data-form=prechat]:not([hidden])')`), false, "no pre-chat form from a malformed one");
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await context.close();
});

test("a closed widget shows its labels in the visitor's language from the main module; the window's come with its code, in the language set meanwhile", async () => {
  const { context, pkg } = await recording({ locale: "fr-FR" });
  await context.route("**/v1/widgets/demo/config", (route) => route.fulfill({
    contentType: "application/json", body: JSON.stringify({ widgetId: "demo", theme: {} }),
  }));
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo", { context });
  await waitEvent(page, "lcw:ready");
  const root = "document.querySelector('[data-lcw-widget]').shadowRoot";
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  const shown = () => page.evaluate(`(() => { const r = ${root}; return {
    lang: r.querySelector('.lcw').lang, launcher: r.querySelector('.launcher').textContent.trim(),
    name: r.querySelector('#lcw-name').textContent, send: r.querySelector('.send').getAttribute('aria-label'),
    input: r.querySelector('textarea').placeholder, end: r.querySelector('[data-act=end]').textContent }; })()`);
  const closed = await shown();
  assert.deepEqual([closed.lang, closed.launcher], ["fr", "Discutons"], "navigator.languages, before any chunk");
  await page.evaluate(() => window.lcw("setLocale", "de-AT"));
  assert.deepEqual([(await shown()).lang, (await shown()).launcher], ["de", "Chatten Sie mit uns"]);
  await pause(300);
  assert.deepEqual(pkg.filter((p) => p.endsWith(".wasm")), ["/pkg/lcw_sdk_bg.wasm"], "relabelling a closed widget needs the main module only");

  await page.evaluate(`${root}.querySelector('.launcher').click()`);
  await waitEvent(page, "lcw:onMaximize");
  assert.deepEqual(await shown(), {
    lang: "de", launcher: "Chatten Sie mit uns", name: "Chatten Sie mit uns", send: "Senden", input: "Nachricht eingeben", end: "Chat beenden",
  }, "the window in the language set before its code came");
  await page.evaluate(() => window.lcw("setLocale", "fr"));
  assert.deepEqual(await shown(), {
    lang: "fr", launcher: "Discutons", name: "Discutons", send: "Envoyer", input: "Saisissez votre message", end: "Terminer le chat",
  }, "and relabelled by setLocale once it is there");
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
  assert.deepEqual(errors, []);
  await page.evaluate(() => window.lcw("closeChat"));
  await context.close();
});

for (const [build, ui] of [["lcw_core", "none"], ["lcw_sdk", "default"]]) {
  test(`${build}: prefetch "idle" fetches the chat's code once the page is idle after ready, with no sign of intent; a bad value is error 10`, async () => {
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=demo&data-ui=${ui}&data-prefetch=idle`, { context });
    await waitEvent(page, "lcw:ready");
    const t0 = Date.now();
    for (let i = 0; i < 100 && !pkg.includes(`/pkg/${build}_chat.wasm`); i++) await pause(50);
    assert.ok(pkg.includes(`/pkg/${build}_chat.wasm`), `fetched without a chat or a gesture (${Date.now() - t0} ms after ready)`);
    if (ui === "default") {
      const root = "document.querySelector('[data-lcw-widget]').shadowRoot";
      await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
      // Attached by now: a click opens the window at once, never busy.
      for (let i = 0; i < 50 && pkg.filter((p) => p.endsWith("_chat-preview.wasm")).length === 0; i++) await pause(50);
      await pause(200);
      const busy = await page.evaluate(`(() => { const l = ${root}.querySelector('.launcher'); l.click(); return l.getAttribute('aria-busy'); })()`);
      assert.equal(busy, null, "the window's code was there before the click");
      await waitEvent(page, "lcw:onMaximize");
    }
    await page.evaluate(() => window.lcw("startChat"));
    await waitEvent(page, "lcw:startChat", "true", 15000);
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), [`/pkg/${build}_chat.wasm`], "once");
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => window.lcw("closeChat"));

    const bad = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=demo&data-ui=${ui}&data-prefetch=eager`, { context });
    const err = await waitEvent(bad.page, "lcw:error", "d.errorCode === 10");
    assert.match(err.errorDescription, /prefetch="eager": expected intent or idle/);
    await waitEvent(bad.page, "lcw:ready");
    await pause(2500); // past the idle callback's 2 s cap
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), [`/pkg/${build}_chat.wasm`], "the default: not fetched without intent");
    await context.close();
  });
}

test("a tab that picks up the chat while its chunk loads sees what another tab received meanwhile", async () => {
  const ag = await agent(browser, server.url);
  const before = new Set(await ag.conversations());
  const context = await browser.newContext();
  let slow = false;
  await context.route("**/pkg/lcw_core_chat.wasm", async (route) => {
    if (slow) await pause(1000);
    return route.continue();
  });
  const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";
  const { page: a } = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(a, "lcw:ready");
  await a.evaluate(() => window.lcw("startChat"));
  await waitEvent(a, "lcw:startChat");
  for (let i = 0; i < 100 && !(await ag.conversations()).some((c) => !before.has(c)); i++) await pause(50);
  const conv = (await ag.conversations()).find((c) => !before.has(c));
  assert.ok(conv, "the agent sees the conversation");

  slow = true;
  const { page: b, errors } = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(b, "lcw:ready");
  await pause(200); // b is loading its chunk now
  await ag.send(conv, "while the other tab loads");
  await waitEvent(a, "lcw:onMessageReceived", "d.text === 'while the other tab loads'");
  await waitEvent(b, "lcw:chatRetrieved", "true", 10000);
  await b.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "while the other tab loads"), null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await a.evaluate(() => window.lcw("closeChat"));
  await context.close();
});

test("mountWidgetPreview: its chunk is fetched by the first preview only; a failed fetch rejects with code 7 and the next call fetches again", async () => {
  const { context, pkg } = await recording();
  let attempts = 0;
  await context.route("**/pkg/lcw_sdk_preview.wasm", (route) => (++attempts === 1 ? route.abort("internetdisconnected") : route.continue()));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${server.url}/widget.html`);
  await page.waitForFunction(() => document.body.dataset.ready === "1");
  await pause(300);
  assert.deepEqual(pkg.filter((p) => p.endsWith(".wasm")), ["/pkg/lcw_sdk_bg.wasm"], "nothing more until a preview is mounted");

  const failed = await page.evaluate(() => window.mountWidget({}).then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message })));
  assert.equal(failed?.code, 7, JSON.stringify(failed));
  assert.match(failed.message, /widget preview's code could not load/);
  assert.equal(await page.evaluate(() => !!document.querySelector("[data-lcw-widget]")), false, "nothing mounted");

  await page.evaluate(() => window.mountWidget({ theme: { headerName: "Acme" } }));
  await page.evaluate(() => window.preview.open());
  await page.waitForFunction(() => window.widgetRoot()?.textContent.includes("Acme"));
  await page.evaluate(() => window.mountWidget({})); // a second preview: no new fetch
  assert.equal(attempts, 2);
  assert.deepEqual(pkg.filter((p) => p.endsWith("_preview.wasm")), ["/pkg/lcw_sdk_preview.wasm", "/pkg/lcw_sdk_preview.wasm"]);
  assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), [], "a preview needs no chat code");
  assert.deepEqual(errors, []);
  await context.close();
});
