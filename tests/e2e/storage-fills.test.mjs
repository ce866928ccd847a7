// localStorage fills up in the middle of a chat (the site's own data, or a
// long conversation). The session is then saved without its history, which
// the server replays at the next load, so that a message not sent yet is
// kept and goes after a reload; when not even that fits, code 7 says once
// that the chat is no longer saved, and the chat goes on. Before, every
// later save failed without a word: a message queued while offline was
// lost with a reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";

// The origin's quota, as the test sets it (`window.__quota`, characters of
// key and value per localStorage write; none until set).
function quota() {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (this === window.localStorage && window.__quota !== undefined && String(k).length + String(v).length > window.__quota) {
      throw new DOMException("quota", "QuotaExceededError");
    }
    return setItem.call(this, k, v);
  };
}

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat") || "null"));
const sevens = (page) => page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error" && e.detail.errorCode === 7).map((e) => e.detail.errorDescription));

/** A chat with five long agent messages shown and saved; every chat
 * socket goes through the test, which can cut it and hold the next. */
async function longChat(tag) {
  const ag = await agent(browser, server.url);
  const context = await browser.newContext();
  const conns = [];
  await context.routeWebSocket(/\/v1\/ws$/, (ws) => {
    const c = { ws, srv: ws.connectToServer(), held: null };
    conns.push(c);
    c.held = conns.hold ? [] : null;
    ws.onMessage((m) => { if (c.held) c.held.push(["up", m]); else c.srv.send(m); });
    c.srv.onMessage((m) => { if (c.held) c.held.push(["down", m]); else ws.send(m); });
  });
  const { page, errors } = await openPage(browser, server.url, PAGE, { context, init: quota });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw.sdk.startChat());
  await waitEvent(page, "lcw:startChat");
  const conv = (await stored(page)).conversationId;
  for (let i = 0; i < 5; i++) await ag.send(conv, `${tag} agent ${i} ` + "x".repeat(2000));
  await page.waitForFunction((t) => window.lcw.sdk.getMessages().filter((m) => m.text.startsWith(t)).length === 5, `${tag} agent`);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("lcw_chat")).history.length >= 5);
  /** Cuts the socket; the SDK's next one is held (nothing goes either way). */
  const goOffline = async () => {
    conns.hold = true;
    conns[0].ws.close();
    conns[0].srv.close();
    for (let i = 0; i < 200 && conns.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(conns.length, 2, "the SDK opened another socket");
  };
  return { ag, context, page, errors, conns, goOffline };
}

test("storage fills mid-chat: the session is saved without its history, and a message not sent yet goes after a reload", async () => {
  const { ag, context, page, errors, conns, goOffline } = await longChat("fills");
  const before = JSON.stringify(await stored(page)).length;
  assert.ok(before > 10000, `the saved session holds the history (${before} characters)`);
  // Room for a session without its history, not for one with it.
  await page.evaluate(() => { window.__quota = 3000; });
  await goOffline();
  await page.evaluate(() => window.lcw.sdk.sendMessage("fills: typed while offline"));
  await page.waitForFunction(() => JSON.stringify(JSON.parse(localStorage.getItem("lcw_chat")).outbox).includes("fills: typed while offline"), null, { timeout: 5000 });
  const saved = await stored(page);
  assert.deepEqual([saved.history.length, saved.lastSeq], [0, 0], "saved without the history the server has");
  assert.deepEqual(await sevens(page), [], "saved: nothing to report");

  // Reload: the new page's socket goes straight through.
  conns.hold = false;
  await page.reload();
  await waitEvent(page, "lcw:ready");
  await ag.page.waitForFunction(() => window.__frames.some((f) => f.type === "message" && f.message.text === "fills: typed while offline"), null, { timeout: 10000 });
  assert.deepEqual((await ag.received()).filter((t) => t.startsWith("fills")), ["fills: typed while offline"], "once");
  // The history comes back from the server.
  await page.waitForFunction(() => window.lcw.sdk.getMessages().filter((m) => m.text.startsWith("fills agent")).length === 5, null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await context.close();
  await ag.page.context().close();
});

test("storage full for good mid-chat: code 7 says once that the chat is no longer saved, and the chat goes on", async () => {
  const { ag, context, page, errors } = await longChat("full");
  await page.evaluate(() => { window.__quota = 10; });
  const texts = ["full one", "full two", "full three"];
  for (const t of texts) await page.evaluate((x) => window.lcw.sdk.sendMessage(x), t);
  await ag.page.waitForFunction((ts) => ts.every((t) => window.__frames.some((f) => f.type === "message" && f.message.text === t)), texts);
  const conv = (await stored(page)).conversationId;
  await ag.send(conv, "full reply");
  await waitEvent(page, "lcw:onMessageReceived", `d.text === "full reply"`);
  const reported = await sevens(page);
  assert.equal(reported.length, 1, reported.join("\n"));
  assert.match(reported[0], /no longer saved/);
  // Room again: saved again, and the next failure is told again.
  await page.evaluate(() => { window.__quota = undefined; });
  await page.evaluate(() => window.lcw.sdk.sendMessage("full four"));
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("lcw_chat")).history.some((m) => m.text === "full four"));
  await page.evaluate(() => { window.__quota = 10; });
  await page.evaluate(() => window.lcw.sdk.sendMessage("full five"));
  await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:error" && e.detail.errorCode === 7).length === 2, null, { timeout: 5000 });
  assert.match((await sevens(page))[1], /no longer saved/);
  assert.deepEqual(errors, []);
  await context.close();
  await ag.page.context().close();
});
