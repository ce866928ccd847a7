// A visitor whose browser blocks or fills localStorage still chats: the
// SDK keeps the chat in memory for the page (code 7 says so). Before, the
// many-tabs mode shared the conversation through localStorage even when it
// could not be written: the chat "started", and then nothing was sent or
// shown (sendMessage returned ids, getMessages() stayed empty, the agent
// got nothing).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";

const storage = {
  // The browser refuses localStorage altogether (site data blocked).
  blocked: () => {
    Object.defineProperty(window, "localStorage", { get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });
  },
  // Other scripts of the site have filled the origin's quota.
  full: () => {
    localStorage.clear();
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 16, 1]) {
      try { for (let i = 0; ; i++) localStorage.setItem(`fill-${size}-${i}`, "x".repeat(size)); } catch { /* full at this size */ }
    }
  },
  // Nearly full: small writes fit, a session does not.
  nearlyFull: () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (String(k).length + String(v).length > 100) throw new DOMException("quota", "QuotaExceededError");
      return setItem.call(this, k, v);
    };
  },
};

for (const [kind, init] of Object.entries(storage)) {
  test(`storage ${kind}: the chat works in memory, every message each way once, and code 7 says why`, async () => {
    const ag = await agent(browser, server.url);
    const { page, errors } = await openPage(browser, server.url, PAGE, { init });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw.sdk.startChat());
    await waitEvent(page, "lcw:startChat");
    const texts = ["one", "two", "three", "four", "five"].map((t) => `${kind} ${t}`);
    await page.evaluate((ts) => ts.forEach((t) => window.lcw.sdk.sendMessage(t)), texts);
    await ag.page.waitForFunction((ts) => ts.every((t) => window.__frames.some((f) => f.type === "message" && f.message.text === t)), texts);
    const received = (await ag.received()).filter((t) => t.startsWith(kind));
    assert.deepEqual(received, texts, "each visitor message reaches the agent once, in order");
    const conv = await ag.firstConversation();
    await ag.send(conv, `${kind} reply`);
    await waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(`${kind} reply`)}`);
    const shown = await page.evaluate(() => window.lcw.sdk.getMessages().filter((m) => m.sender !== "system").map((m) => m.text));
    assert.deepEqual(shown, [...texts, `${kind} reply`]);
    const sevens = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error" && e.detail.errorCode === 7).map((e) => e.detail.errorDescription));
    assert.equal(sevens.length, 1, sevens.join("\n"));
    assert.match(sevens[0], kind === "nearlyFull" ? /storage is full: this chat is kept in memory/ : /storage is disabled/);
    assert.deepEqual(errors, []);
    await page.context().close();
    await ag.page.context().close();
  });
}
