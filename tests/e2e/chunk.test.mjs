// The chat chunk (scripts/build.sh, src/web/lazy.rs): the code that runs a
// conversation is a second .wasm next to each build's glue. A page that
// never chats never downloads it; the first chat fetches it once; a fetch
// that fails is lcw:error 7 for that chat and the next try fetches it again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A context that records the paths it requests under /pkg/. */
async function recording() {
  const context = await browser.newContext();
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
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("the chunk cannot be fetched: lcw:error 7 for that chat; the next startChat fetches it and a message sent while it loads is delivered once", async () => {
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

  await page.evaluate(() => window.lcw("startChat"));
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 7");
  assert.match(err.errorDescription, /chat part of the SDK could not load/);
  await pause(300);
  const names = await page.evaluate(() => window.__events.map((e) => e.name));
  assert.ok(!names.includes("lcw:startChat"), names.join());
  const noChat = await page.evaluate(() => { try { window.lcw("sendMessage", "x"); return "sent"; } catch (e) { return e.code; } });
  assert.equal(noChat, "LCW_NO_CHAT", "no chat is open after the failed start");

  await page.evaluate(() => window.lcw("startChat"));
  const id = await page.evaluate(() => window.lcw("sendMessage", "typed while the chunk loads"));
  assert.equal(typeof id, "string");
  await waitEvent(page, "lcw:startChat", "true", 15000);
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
