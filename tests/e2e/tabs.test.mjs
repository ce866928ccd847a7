// Many tabs, one conversation (src/web/tabs): tabs of ONE browser context
// share Web Locks, BroadcastChannel and localStorage. One tab leads and owns
// the only WebSocket; the others follow through the channel. Lost and
// duplicated messages are counted in every tab and on the agent's side and
// must be 0.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

/** In a page (an init script: `(${lateMessages})(proto, ms)`): every
 * message to `proto`'s `onmessage` handlers arrives `ms` late, in order; a
 * message whose handler was replaced meanwhile is not delivered, as the
 * browser would not deliver it. */
function lateMessages(proto, ms) {
  const d = Object.getOwnPropertyDescriptor(proto, "onmessage");
  Object.defineProperty(proto, "onmessage", {
    configurable: true,
    get() { return d.get.call(this); },
    set(fn) {
      this.__handler = fn;
      d.set.call(this, fn && ((e) => setTimeout(() => { if (this.__handler === fn) fn.call(this, e); }, ms)));
    },
  });
}

/** In a page (an init script: `(${laggingStorage})(key, ms)`): this tab
 * sees other tabs' changes to localStorage `key` `ms` late, as a browser
 * whose storage reaches a tab late: a read gets what the shared storage
 * held `ms` before (a poll every 5 ms and each read keep the history), and
 * the tab's own writes are seen at once. Whichever code reads, every read
 * in that window is stale, not only the first. `window.__staleReads`
 * counts the reads that got a value the storage no longer held. */
function laggingStorage(key, ms) {
  let store;
  try { store = window.localStorage; } catch { return; } // (no storage in this frame)
  const { getItem: get, setItem: set, removeItem: remove } = Storage.prototype;
  let history = [{ t: -Infinity, v: get.call(store, key) }];
  window.__staleReads = 0;
  const poll = () => {
    const v = get.call(store, key);
    if (v !== history[history.length - 1].v) history.push({ t: performance.now(), v });
    while (history.length > 1 && history[1].t <= performance.now() - ms) history.shift();
  };
  setInterval(poll, 5);
  Storage.prototype.getItem = function (k) {
    if (this !== store || k !== key) return get.call(this, k);
    poll();
    const v = history[0].v;
    if (v !== history[history.length - 1].v) window.__staleReads++;
    return v;
  };
  const own = (write) => function (k, ...rest) {
    write.call(this, k, ...rest);
    if (this === store && k === key) history = [{ t: -Infinity, v: get.call(store, key) }];
  };
  Storage.prototype.setItem = own(set);
  Storage.prototype.removeItem = own(remove);
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";

/** Opens `n` tabs in one context; records which tab opened which chat socket. */
async function openTabs(url, n) {
  const context = await browser.newContext();
  const sockets = []; // { tab, closed }
  const tabs = [];
  for (let i = 0; i < n; i++) {
    const { page, errors } = await openPage(browser, url, PAGE, { context });
    tabs.push({ page, errors, i });
  }
  for (const t of tabs) {
    t.page.on("websocket", (ws) => {
      if (!ws.url().endsWith("/v1/ws")) return;
      const s = { tab: t.i, closed: false };
      sockets.push(s);
      ws.on("close", () => { s.closed = true; });
    });
  }
  await Promise.all(tabs.map((t) => waitEvent(t.page, "lcw:ready")));
  // A closed tab's socket gets no "close" event in Playwright: count it closed.
  return { context, tabs, sockets, open: () => sockets.filter((s) => !s.closed && !tabs[s.tab].page.isClosed()) };
}

const visible = (page) => page.evaluate(() => window.lcw("getMessages").filter((m) => m.sender !== "system").map((m) => `${m.sender}:${m.text}`));

function lostAndDup(seen, expected) {
  return { lost: expected.filter((t) => !seen.includes(t)), dup: seen.filter((t, i) => seen.indexOf(t) !== i) };
}

async function waitAll(tabs, texts, timeout = 20000) {
  await Promise.all(tabs.map((t) => t.page.waitForFunction((want) => {
    const have = window.lcw("getMessages").filter((m) => m.status === "sent").map((m) => `${m.sender}:${m.text}`);
    return want.every((w) => have.includes(w));
  }, texts, { timeout })));
}

/** Waits until this tab is in its `n`th chat: by its own `startChat`
 * (`lcw:startChat`) or by joining the one another tab started a moment
 * before (`lcw:chatRetrieved`), whichever came first in this tab. */
const inChat = (page, n = 1) => page.waitForFunction((k) => window.__events
  .filter((e) => e.name === "lcw:startChat" || e.name === "lcw:chatRetrieved").length >= k, n, { timeout: 15000 });

async function settle(ms = 600) { await new Promise((r) => setTimeout(r, ms)); }

test("ten tabs call startChat at once: one conversation, one socket; follower sends reach the agent once; replies show in every tab once", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { tabs, sockets, open } = await openTabs(server.url, 10);
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page)));
    const convId = await ag.firstConversation();
    await settle();
    assert.deepEqual(await ag.conversations(), [convId], "exactly one conversation for ten tabs");
    assert.equal(sockets.length, 1, "exactly one chat WebSocket opened across the ten tabs");
    const health = await (await fetch(`${server.url}/healthz`)).json();
    assert.equal(health.sockets, 2, "server counts one visitor socket (+ the agent's)");
    const leader = sockets[0].tab;
    const followers = tabs.filter((t) => t.i !== leader);

    // Every tab sends one message; nine of them go through the leader.
    const sent = tabs.map((t) => `from-tab-${t.i}`);
    await Promise.all(tabs.map((t) => t.page.evaluate((x) => window.lcw("sendMessage", x), `from-tab-${t.i}`)));
    await waitAll(tabs, sent.map((s) => `visitor:${s}`));
    await ag.send(convId, "reply-1");
    await waitAll(tabs, ["agent:reply-1"]);
    await settle();
    assert.deepEqual(lostAndDup(await ag.received(), sent), { lost: [], dup: [] }, "agent got each tab's message once");
    assert.equal((await ag.received()).length, 10);
    const order = await visible(tabs[leader].page);
    for (const t of tabs) {
      const seen = await visible(t.page);
      assert.deepEqual(lostAndDup(seen, [...sent.map((s) => `visitor:${s}`), "agent:reply-1"]), { lost: [], dup: [] }, `tab ${t.i}`);
      assert.deepEqual(seen, order, `tab ${t.i} shows the same order as the leader`);
      const received = await t.page.evaluate(() => window.__events.filter((e) => e.name === "lcw:onMessageReceived" && e.detail.text === "reply-1").length);
      assert.equal(received, 1, `tab ${t.i}: lcw:onMessageReceived once for the reply`);
    }
    const mine = await followers[0].page.evaluate(() => window.__events.filter((e) => e.name === "lcw:onMessageSent").map((e) => e.detail.status));
    assert.ok(mine.length >= 1 && mine.every((s) => s === "sent"), "a follower gets lcw:onMessageSent for its message");
    assert.equal(open().length, 1);
    for (const t of tabs) assert.deepEqual(t.errors, [], `no page errors in tab ${t.i}`);
  } finally { await server.stop(); }
});

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

test("a file attached in a follower tab's widget: that tab uploads it, the leader sends it, the agent gets it once, every tab shows it once", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { tabs, sockets } = await openTabs(server.url, 2);
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page)));
    await ag.firstConversation();
    await settle();
    assert.equal(sockets.length, 1, "one socket: one leader, one follower");
    const follower = tabs.find((t) => t.i !== sockets[0].tab);
    await follower.page.setInputFiles("[data-lcw-widget] input[type=file]", { name: "receipt.png", mimeType: "image/png", buffer: PNG });
    const sentWithFile = () => window.lcw("getMessages").some((m) => m.status === "sent" && m.attachment?.name === "receipt.png");
    await Promise.all(tabs.map((t) => t.page.waitForFunction(sentWithFile, null, { timeout: 20000 })));
    await settle();
    const files = await ag.page.evaluate(() => window.__frames.filter((f) => f.type === "message" && f.message.attachment).map((f) => f.message.attachment.name));
    assert.deepEqual(files, ["receipt.png"], "the agent got the file once");
    for (const t of tabs) {
      const withFiles = await t.page.evaluate(() => window.lcw("getMessages").filter((m) => m.attachment).map((m) => `${m.sender}:${m.attachment.name}:${m.status}`));
      assert.deepEqual(withFiles, ["visitor:receipt.png:sent"], `tab ${t.i} has it once, sent`);
      const errs = await t.page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.message));
      assert.deepEqual(errs, [], `no lcw:error in tab ${t.i}`);
      assert.deepEqual(t.errors, []);
    }
    // The follower's widget shows the file as a sent message (not failed).
    const shown = await follower.page.evaluate(() => [...document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor")]
      .map((e) => ({ preview: e.querySelector("img.preview")?.getAttribute("alt"), blob: !!e.querySelector("img.preview")?.src.startsWith("blob:"), status: e.dataset.status })));
    assert.deepEqual(shown, [{ preview: "receipt.png", blob: true, status: "sent" }], "the follower's widget shows it once, sent");
  } finally {
    await server.stop();
  }
});

test("the leader tab closes: a follower takes over, resumes from the last seq; messages sent right after arrive once, in order", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { tabs, sockets, open } = await openTabs(server.url, 4);
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page)));
    const convId = await ag.firstConversation();
    await tabs[0].page.evaluate(() => window.lcw("sendMessage", "before"));
    await ag.send(convId, "reply-before");
    await waitAll(tabs, ["visitor:before", "agent:reply-before"]);
    await settle();
    // Exactly one socket: the visitor's "before" and the agent's reply
    // cross, and an ack that overtook the reply once made the leader
    // resync on a new socket (fixed in the server: acks never overtake).
    assert.equal(sockets.length, 1, `one chat socket before the leader goes (tab, closed): ${JSON.stringify(sockets)}`);
    const leader = sockets[0].tab;
    await tabs[leader].page.close();
    const rest = tabs.filter((t) => t.i !== leader);
    // Sent right after the leader went: before, during and after the takeover.
    const after = [];
    for (const t of rest) {
      after.push(`after-${t.i}-a`);
      await t.page.evaluate((x) => window.lcw("sendMessage", x), `after-${t.i}-a`);
    }
    await ag.send(convId, "reply-during");
    for (const t of rest) {
      after.push(`after-${t.i}-b`);
      await t.page.evaluate((x) => window.lcw("sendMessage", x), `after-${t.i}-b`);
    }
    await waitAll(rest, after.map((s) => `visitor:${s}`), 30000);
    await ag.send(convId, "reply-after");
    await waitAll(rest, ["agent:reply-during", "agent:reply-after"], 30000);
    await settle();
    assert.equal(open().length, 1, "one socket again, in a remaining tab");
    assert.notEqual(open()[0].tab, leader);
    assert.equal((await (await fetch(`${server.url}/healthz`)).json()).sockets, 2, "server: one visitor socket (+ the agent's)");
    const expected = ["before", ...after];
    const got = await ag.received();
    assert.deepEqual(lostAndDup(got, expected), { lost: [], dup: [] }, "agent side");
    assert.equal(got.length, expected.length);
    const order = await visible(rest[0].page);
    for (const t of rest) {
      const seen = await visible(t.page);
      const all = [...expected.map((s) => `visitor:${s}`), "agent:reply-before", "agent:reply-during", "agent:reply-after"];
      assert.deepEqual(lostAndDup(seen, all), { lost: [], dup: [] }, `tab ${t.i}`);
      assert.equal(seen.length, all.length, `tab ${t.i}: nothing extra`);
      assert.deepEqual(seen, order, `tab ${t.i}: same order in every tab`);
      for (const x of [`after-${t.i}-a`, `after-${t.i}-b`]) {
        assert.ok(seen.indexOf(`visitor:${x}`) >= 0);
      }
      assert.ok(seen.indexOf(`visitor:after-${t.i}-a`) < seen.indexOf(`visitor:after-${t.i}-b`), "a tab's sends keep their order");
      assert.deepEqual(t.errors, []);
    }
  } finally { await server.stop(); }
});

test("closeChat in a follower ends the chat in every tab; a new startChat creates one new conversation", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { tabs, sockets, open } = await openTabs(server.url, 3);
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page)));
    const first = await ag.firstConversation();
    await settle();
    const leader = sockets[0].tab;
    const follower = tabs.find((t) => t.i !== leader);
    await follower.page.evaluate(() => window.lcw("closeChat"));
    await Promise.all(tabs.map((t) => waitEvent(t.page, "lcw:closeChat")));
    await Promise.all(tabs.map((t) => t.page.waitForFunction(() => window.lcw("getMessages").length === 0)));
    assert.equal(await follower.page.evaluate(() => localStorage.getItem("lcw_chat")), null);
    await settle();
    assert.equal(open().length, 0, "the leader closed its socket");
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page, 2)));
    await settle();
    const convs = await ag.conversations();
    assert.equal(convs.length, 2, "one new conversation for three tabs");
    assert.notEqual(convs[1], first);
    assert.equal(open().length, 1);
    // The agent ends it: every tab reports it and forgets the chat.
    await ag.close(convs[1]);
    // (A tab that took the lead on a stale copy of the stored chat used to
    // miss it: see "restores a stale copy" below. On a time-out the error
    // names the tab and the events it had.)
    const ends = await Promise.all(tabs.map((t) => waitEvent(t.page, "lcw:threadUpdate").catch(async (e) => {
      const seen = await t.page.evaluate(() => window.__events.map((x) => x.name).join(", "));
      throw new Error(`tab ${t.i} (the first chat's leader: tab ${leader}) had no lcw:threadUpdate; its events: ${seen}; ${e.message}`);
    })));
    for (const e of ends) assert.deepEqual(e, { conversationId: convs[1], reason: "agentEnded" });
    await Promise.all(tabs.map((t) => t.page.waitForFunction(() => window.lcw("getMessages").length === 0)));
    assert.equal(await tabs[0].page.evaluate(() => localStorage.getItem("lcw_chat")), null);
    await settle();
    assert.equal(open().length, 0);
    for (const t of tabs) assert.deepEqual(t.errors, []);
  } finally { await server.stop(); }
});

test("the next leader is granted the lock before the old leader's last posts reach it: it still reports how the chat ended", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const a = await openPage(browser, server.url, PAGE, { context });
    const socketTabs = [];
    a.page.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) socketTabs.push("a"); });
    await waitEvent(a.page, "lcw:ready");
    await a.page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(a.page, "lcw:startChat");
    const convId = await ag.firstConversation();
    // Tab b gets every BroadcastChannel message 500 ms late (in order), so
    // the leader lock, which the browser grants at once when tab a lets it
    // go, reaches it before a's closed state and Ended do. A message whose
    // handler was removed meanwhile (the SDK dropped that channel) is not
    // delivered, as the browser would not deliver it.
    const b = await openPage(browser, server.url, PAGE, { context, init: `(${lateMessages})(BroadcastChannel.prototype, 500);` });
    b.page.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) socketTabs.push("b"); });
    // A tab opened during a chat joins it (lcw:chatRetrieved) and follows.
    assert.equal((await waitEvent(b.page, "lcw:chatRetrieved")).conversationId, convId);
    await settle();
    assert.deepEqual(socketTabs, ["a"], "tab a leads");
    await ag.close(convId);
    for (const t of [a, b]) {
      const e = await waitEvent(t.page, "lcw:threadUpdate");
      assert.deepEqual(e, { conversationId: convId, reason: "agentEnded" });
      await t.page.waitForFunction(() => window.lcw("getMessages").length === 0);
    }
    await settle(2500); // past the 2 s grace: nothing more happens
    for (const t of [a, b]) {
      const ends = await t.page.evaluate(() => window.__events.filter((e) => e.name === "lcw:threadUpdate").length);
      assert.equal(ends, 1, "lcw:threadUpdate once");
      assert.deepEqual(t.errors, []);
    }
    // A new chat starts normally from the tab that was next in line.
    await b.page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(b.page, "lcw:startChat");
    await settle();
    const convs = await ag.conversations();
    const seen = { convs, old: convId, bEvents: await b.page.evaluate(() => window.__events.map((e) => e.name).slice(-8)),
      stored: await a.page.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat") || "null")?.conversationId ?? null) };
    assert.equal(convs.length, 2, JSON.stringify(seen));
  } finally { await server.stop(); }
});

test("the next leader restores a stale copy of the ended chat (storage reaches it late): the old leader's closed state still reports the end once", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const a = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(a.page, "lcw:ready");
    await a.page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(a.page, "lcw:startChat");
    const convId = await ag.firstConversation();
    // Tab b as the browser may run it (seen in full runs): the leader lock
    // is granted before tab a's removal of the stored chat reaches b's
    // storage (b sees a's changes to it 300 ms late), so b's reads at the
    // takeover still find the chat;
    // a's posts arrive 200 ms late and the server's frames 1 s late, so
    // a's closed state reaches b after b took the lead, and before the
    // server's answer to b's own socket does.
    const lateWorld = `(${lateMessages})(BroadcastChannel.prototype, 200); (${lateMessages})(WebSocket.prototype, 1000);
      (${laggingStorage})("lcw_chat", 300);`;
    const b = await openPage(browser, server.url, PAGE, { context, init: lateWorld });
    assert.equal((await waitEvent(b.page, "lcw:chatRetrieved")).conversationId, convId);
    await settle();
    await ag.close(convId);
    for (const t of [a, b]) {
      const e = await waitEvent(t.page, "lcw:threadUpdate");
      assert.deepEqual(e, { conversationId: convId, reason: "agentEnded" });
      await t.page.waitForFunction(() => window.lcw("getMessages").length === 0);
    }
    await settle(2500);
    for (const t of [a, b]) {
      const ends = await t.page.evaluate(() => window.__events.filter((e) => e.name === "lcw:threadUpdate").length);
      assert.equal(ends, 1, "lcw:threadUpdate once");
      assert.deepEqual(t.errors, []);
    }
    assert.ok(await b.page.evaluate(() => window.__staleReads) > 0, "b read a copy the storage no longer held (the scenario happened)");
    // Read in tab a (the true storage; b's reads lag).
    assert.equal(await a.page.evaluate(() => localStorage.getItem("lcw_chat")), null, "the restored copy is erased again");
    // A new chat starts normally from b, now that its storage has caught up.
    await b.page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(b.page, "lcw:startChat");
    await settle();
    const convs = await ag.conversations();
    const seen = { convs, old: convId, bEvents: await b.page.evaluate(() => window.__events.map((e) => e.name).slice(-8)),
      stored: await a.page.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat") || "null")?.conversationId ?? null) };
    assert.equal(convs.length, 2, JSON.stringify(seen));
  } finally { await server.stop(); }
});

test("posts about another conversation are dropped; a post of an older SDK (no conversation) is acted on as before", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { tabs } = await openTabs(server.url, 2);
    await Promise.all(tabs.map((t) => t.page.evaluate(() => { window.lcw("startChat"); })));
    await Promise.all(tabs.map((t) => inChat(t.page)));
    const convId = await ag.firstConversation();
    await ag.send(convId, "hello");
    await waitAll(tabs, ["agent:hello"]);
    // Page code posts on the SDK's channel the way a tab of an earlier
    // conversation would, late: its closed state and Ended.
    const post = (data) => tabs[1].page.evaluate((d) => {
      const bc = new BroadcastChannel("lcw:lcw:demo");
      bc.postMessage(d);
      bc.close();
    }, JSON.stringify(data));
    await post({ c: "conv_earlier", t: "state", conversation: { id: "conv_earlier", state: "closed", closedBy: "agent" } });
    await post({ c: "conv_earlier", t: "ended", byVisitor: true });
    await post({ c: 42, t: "ended", byVisitor: true });
    await settle();
    for (const t of tabs) {
      assert.deepEqual(await visible(t.page), ["agent:hello"], `tab ${t.i} is still in the chat`);
      assert.equal(await t.page.evaluate(() => window.__events.filter((e) => e.name === "lcw:closeChat" || e.name === "lcw:threadUpdate").length), 0);
    }
    await ag.send(convId, "still here");
    await waitAll(tabs, ["agent:still here"]);
    // A tab of an older SDK (still open while the site upgrades) posts
    // without the conversation: read as before, so every tab ends the chat.
    await post({ t: "ended", byVisitor: true });
    await Promise.all(tabs.map((t) => waitEvent(t.page, "lcw:closeChat")));
    for (const t of tabs) assert.deepEqual(t.errors, []);
  } finally { await server.stop(); }
});

test("fallback without Web Locks: each tab keeps its own session and socket (one conversation, as before)", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    await context.addInitScript(() => { delete Navigator.prototype.locks; });
    const sockets = [];
    const a = await openPage(browser, server.url, PAGE, { context });
    a.page.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) sockets.push("a"); });
    await waitEvent(a.page, "lcw:ready");
    assert.equal(await a.page.evaluate(() => "locks" in navigator), false);
    await a.page.evaluate(() => { window.lcw("startChat"); });
    await waitEvent(a.page, "lcw:startChat");
    const convId = await ag.firstConversation();
    await a.page.waitForFunction(() => localStorage.getItem("lcw_chat") !== null);
    const b = await context.newPage();
    b.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) sockets.push("b"); });
    await b.addInitScript(() => {
      window.__events = [];
      window.addEventListener("lcw:chatRetrieved", (e) => window.__events.push({ name: "lcw:chatRetrieved", detail: e.detail }));
    });
    await b.goto(server.url + PAGE);
    const got = await waitEvent(b, "lcw:chatRetrieved");
    assert.equal(got.conversationId, convId);
    await b.evaluate(() => window.lcw("sendMessage", "from-b"));
    await ag.page.waitForFunction(() => window.__frames.some((f) => f.type === "message" && f.message.text === "from-b"));
    await settle();
    assert.deepEqual(sockets.sort(), ["a", "b"], "one socket per tab (today's behaviour)");
    assert.deepEqual(await ag.conversations(), [convId]);
    assert.deepEqual(await ag.received(), ["from-b"]);
  } finally { await server.stop(); }
});

/** A chat started in tab A, with an agent; tab B (its init script `initB`)
 * has joined it as a follower. Runs `body`, then closes it all. */
async function twoTabs(initB, body) {
  const server = await startChatServer();
  const context = await browser.newContext();
  try {
    const ag = await agent(browser, server.url);
    const a = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(a.page, "lcw:ready");
    await a.page.evaluate(() => window.lcw("startChat"));
    const conv = await ag.firstConversation();
    const b = await openPage(browser, server.url, PAGE, { context, init: initB });
    await waitEvent(b.page, "lcw:chatRetrieved");
    await body({ ag, conv, a, b });
  } finally {
    await context.close();
    await server.stop();
  }
}

test("a follower tab's page may call the SDK from its event handlers: getMessages, getReadState, markRead (they trapped)", async () => {
  // Tab B's handlers read the SDK while the event is dispatched.
  const initB = () => {
    window.__calls = [];
    for (const n of ["lcw:onMessageReceived", "lcw:messagesRead"]) window.addEventListener(n, (e) => {
      window.__calls.push({ event: n, messages: window.lcw("getMessages").length, read: window.lcw("getReadState"), marked: window.lcw("markRead"), detail: e.detail });
    });
  };
  await twoTabs(initB, async ({ ag, conv, a, b }) => {
    await ag.send(conv, "to every tab");
    const got = await waitEvent(b.page, "lcw:onMessageReceived", "d.text === 'to every tab'");
    // Its markRead went through the leader: the receipt comes back to it.
    await waitEvent(b.page, "lcw:messagesRead", `d.reader === 'visitor' && d.seq >= ${got.seq}`);
    const calls = await b.page.evaluate(() => window.__calls);
    const onMessage = calls.find((c) => c.event === "lcw:onMessageReceived" && c.detail.text === "to every tab");
    assert.ok(onMessage.messages >= 1 && onMessage.read !== null, JSON.stringify(onMessage));
    assert.ok(calls.some((c) => c.event === "lcw:messagesRead" && c.read.visitorReadSeq >= got.seq), JSON.stringify(calls));
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});

test("the visitor's typing reaches the agent from the leader tab and from a follower tab (it was never sent with many tabs)", async () => {
  await twoTabs(undefined, async ({ ag, a, b }) => {
    const typing = () => ag.page.evaluate(() => window.__frames.filter((f) => f.type === "typing").map((f) => f.isTyping));
    const typeIn = async (page, text) => {
      const input = page.locator("[data-lcw-widget] >> textarea");
      if (!(await input.isVisible())) await page.locator("[data-lcw-widget] >> .launcher").click();
      await input.click();
      await input.pressSequentially(text, { delay: 20 });
      await input.press("Enter"); // sent: typing stops
    };
    await typeIn(a.page, "from the leader");
    await ag.page.waitForFunction(() => window.__frames.filter((f) => f.type === "typing").length >= 2);
    assert.deepEqual(await typing(), [true, false], "the leader tab: typing, then stopped by the send");
    await typeIn(b.page, "from a follower");
    await ag.page.waitForFunction(() => window.__frames.filter((f) => f.type === "typing").length >= 4);
    assert.deepEqual(await typing(), [true, false, true, false], "the follower tab, through the leader");
    await ag.page.waitForFunction(() => window.__frames.filter((f) => f.type === "message" && f.message.text === "from a follower").length === 1);
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
