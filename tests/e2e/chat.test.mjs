// Chat sessions against the real reference server on loopback: start, agent
// replies, reload mid-chat, server restart with messages in flight, offline
// typing, agent end. Lost and duplicated messages are counted and must be 0.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";
import { serve } from "./serve.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";

async function visitorSends(page, texts) {
  return page.evaluate((ts) => ts.map((t) => window.lcw("sendMessage", t)), texts);
}

async function visibleTexts(page) {
  return page.evaluate(() => window.lcw("getMessages").filter((m) => m.sender !== "system").map((m) => `${m.sender}:${m.text}`));
}

/** An agent signed in, and a visitor page with a chat started. */
async function chatting(server) {
  const ag = await agent(browser, server.url);
  const { page, ctx } = await openPage(browser, server.url, PAGE);
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  return { ag, page, ctx };
}

function assertExactlyOnce(seen, expected, what) {
  const lost = expected.filter((t) => !seen.includes(t));
  const dup = seen.filter((t, i) => seen.indexOf(t) !== i);
  assert.deepEqual({ lost, dup }, { lost: [], dup: [] }, what);
}

// Both builds: the full one (the loader's choice by default) and the core
// one it loads for a headless page (data-ui="none"), which must not fetch
// the full build's files.
for (const [build, query] of [["lcw_sdk", ""], ["lcw_core", "&data-ui=none"]]) test(`full chat (${build}): start, queue, agent reply, visitor messages acked, availability, close`, async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const fetched = [];
    context.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    const { page } = await openPage(browser, server.url, PAGE + query, { context });
    await waitEvent(page, "lcw:ready");
    assert.deepEqual(fetched.filter((p) => p.startsWith("/pkg/")).sort(), ["/pkg/lcw.js", `/pkg/${build}.js`, `/pkg/${build}_bg.wasm`]);
    const avail = await page.evaluate(() => window.lcw("getAgentAvailability"));
    assert.equal(avail.isAgentAvailable, true);
    assert.equal(avail.queueId, "default");
    await page.evaluate(() => window.lcw("startChat", { customContext: { "Case Id": { value: "CAS-9" } } }));
    await waitEvent(page, "lcw:startChat");
    const convId = await ag.firstConversation();
    assert.ok(convId, "agent sees the conversation");
    const ids = await visitorSends(page, ["hello", "I need help"]);
    assert.equal(new Set(ids).size, 2);
    await page.waitForFunction(() => window.lcw("getMessages").filter((m) => m.sender === "visitor" && m.status === "sent").length === 2);
    await ag.send(convId, "Hi, I'm here <b>bold</b>");
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "agent"));
    const texts = await visibleTexts(page);
    assert.ok(texts.includes("agent:Hi, I'm here <b>bold</b>"), "agent text kept verbatim (plain text)");
    assert.deepEqual((await ag.received()).sort(), ["I need help", "hello"]);
    await page.evaluate(() => window.lcw("closeChat"));
    assert.equal(await page.evaluate(() => localStorage.getItem("lcw_chat")), null, "nothing cached after closeChat");
    assert.equal(await page.evaluate(() => !!document.querySelector("[data-lcw-widget]")), build === "lcw_sdk", "the widget only in the full build");
    await context.close();
  } finally { await server.stop(); }
});

test("reload mid-chat: lcw:chatRetrieved with history, nothing lost or duplicated", async () => {
  const server = await startChatServer();
  try {
    const { ag, page } = await chatting(server);
    await visitorSends(page, ["one", "two"]);
    await page.waitForFunction(() => window.lcw("getMessages").filter((m) => m.sender === "visitor" && m.status === "sent").length === 2);
    const convId = await ag.firstConversation();
    await ag.send(convId, "agent-1");
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "agent-1"));
    await page.reload();
    const retrieved = await waitEvent(page, "lcw:chatRetrieved");
    assert.equal(retrieved.conversationId, convId);
    await ag.send(convId, "agent-2");
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "agent-2"));
    await visitorSends(page, ["three"]);
    await page.waitForFunction(() => window.lcw("getMessages").filter((m) => m.sender === "visitor" && m.status === "sent").length === 3);
    const texts = await visibleTexts(page);
    assertExactlyOnce(texts, ["visitor:one", "visitor:two", "agent:agent-1", "agent:agent-2", "visitor:three"], "after reload");
    assert.equal(texts.length, 5);
    assertExactlyOnce(await ag.received(), ["one", "two", "three"], "agent side");
  } finally { await server.stop(); }
});

/** As on a real site: pages from the site's origin (`site`, `path`), the
 * chat server on another origin that allows it, with a database file, so
 * that it can stop and `restart()` on its port while the page stays. */
async function siteAndServer() {
  const site = await serve();
  const db = join(mkdtempSync(join(tmpdir(), "lcw-")), "chat.db");
  const config = `[[widgets]]\nid = "site"\nallowed_origins = ["${site.url}"]\n[widgets.config]\nwidgetId = "site"\nqueueId = "default"\n`;
  const server = await startChatServer({ db, config });
  const path = `/t/config.html?data-server=${server.url}&data-widget=site`;
  /** A visitor page (with `init`, see openPage) whose chat has started. */
  const chat = async (init) => {
    const { page } = await openPage(browser, site.url, path, { init });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("startChat"));
    await waitEvent(page, "lcw:startChat");
    return page;
  };
  return { site, server, chat, restart: () => startChatServer({ db, port: server.port, config }) };
}

test("chat server killed and restarted; 20 messages typed meanwhile, with a reload: all delivered once, in order", async () => {
  const { site, chat, restart, ...first } = await siteAndServer();
  let server = first.server;
  try {
    const page = await chat();
    await visitorSends(page, ["before"]);
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "before" && m.status === "sent"));
    await server.stop();
    const texts = Array.from({ length: 20 }, (_, i) => `offline-${i}`);
    await visitorSends(page, texts.slice(0, 10));
    await page.reload(); // 10 typed offline, then a reload while the chat server is down
    await waitEvent(page, "lcw:chatRetrieved");
    await visitorSends(page, texts.slice(10, 15));
    server = await restart();
    await visitorSends(page, texts.slice(15));
    await page.waitForFunction(() => window.lcw("getMessages").filter((m) => m.sender === "visitor" && m.status === "sent").length === 21, null, { timeout: 40000 });
    const visitor = (await visibleTexts(page)).filter((t) => t.startsWith("visitor:")).map((t) => t.slice(8));
    assert.deepEqual(visitor, ["before", ...texts], "exactly once, in order, in the page");
    const ag = await agent(browser, server.url);
    const convId = await ag.firstConversation();
    const stored = await ag.page.evaluate(async (id) => {
      const login = await (await fetch("/v1/agent/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "demo" }) })).json();
      const r = await (await fetch(`/v1/agent/conversations/${id}/messages`, { headers: { authorization: `Bearer ${login.token}` } })).json();
      return (r.messages || r).filter((m) => m.sender === "visitor").map((m) => m.text);
    }, convId);
    assert.deepEqual(stored, ["before", ...texts], "stored once each, in order, on the server");
  } finally { await server.stop(); await site.close(); }
});

test("30 messages typed in one task: the session is stored once, with all of them, and a reload at once loses none", async () => {
  const { site, chat, restart, ...first } = await siteAndServer();
  let server = first.server;
  try {
    // Counts this page's writes of the stored session.
    const page = await chat(() => {
      window.__chatWrites = 0;
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) { if (k === "lcw_chat") window.__chatWrites++; return set.call(this, k, v); };
    });
    await visitorSends(page, ["before"]);
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "before" && m.status === "sent"));
    await server.stop(); // nothing is acked: the 30 stay in the outbox
    const texts = Array.from({ length: 30 }, (_, i) => `burst-${i}`);
    const writes = await page.evaluate(async (ts) => {
      const before = window.__chatWrites;
      ts.forEach((t) => window.lcw("sendMessage", t));
      await Promise.resolve(); // the task's microtasks, where the session is stored
      return { writes: window.__chatWrites - before, outbox: JSON.parse(localStorage.getItem("lcw_chat")).outbox.items.length };
    }, texts);
    assert.deepEqual(writes, { writes: 1, outbox: 30 }, "one write, holding every message");
    await page.reload();
    await waitEvent(page, "lcw:chatRetrieved");
    server = await restart();
    await page.waitForFunction(() => window.lcw("getMessages").filter((m) => m.sender === "visitor" && m.status === "sent").length === 31, null, { timeout: 40000 });
    const visitor = (await visibleTexts(page)).filter((t) => t.startsWith("visitor:")).map((t) => t.slice(8));
    assert.deepEqual(visitor, ["before", ...texts], "exactly once, in order");
  } finally { await server.stop(); await site.close(); }
});

test("a message sent offline in the same task as destroy() is stored, and sent after a reload", async () => {
  const { site, chat, restart, ...first } = await siteAndServer();
  let server = first.server;
  try {
    const page = await chat();
    await server.stop();
    await page.evaluate(() => { window.lcw("sendMessage", "last words"); window.lcw.sdk.destroy(); });
    await page.reload();
    await waitEvent(page, "lcw:chatRetrieved");
    server = await restart();
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "last words" && m.status === "sent"), null, { timeout: 40000 });
  } finally { await server.stop(); await site.close(); }
});

test("agent ends the conversation: lcw:threadUpdate, cache cleared, a new chat can start", async () => {
  const server = await startChatServer();
  try {
    const { ag, page } = await chatting(server);
    const convId = await ag.firstConversation();
    await page.waitForFunction(() => localStorage.getItem("lcw_chat") !== null);
    await ag.close(convId);
    const upd = await waitEvent(page, "lcw:threadUpdate");
    assert.deepEqual(upd, { conversationId: convId, reason: "agentEnded" });
    assert.equal(await page.evaluate(() => localStorage.getItem("lcw_chat")), null);
    const err = await page.evaluate(() => { try { window.lcw("sendMessage", "late"); } catch (e) { return e.code; } });
    assert.equal(err, "LCW_NO_CHAT");
    await page.evaluate(() => window.lcw("startChat"));
    await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:startChat").length === 2);
  } finally { await server.stop(); }
});

test("startChat({ inNewWindow: true }): the popup picks up the same conversation", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const { page, ctx } = await openPage(browser, server.url, PAGE);
    await waitEvent(page, "lcw:ready");
    const popupOpened = ctx.waitForEvent("page");
    await page.evaluate(() => window.lcw("startChat", { inNewWindow: true }));
    const popup = await popupOpened;
    await waitEvent(page, "lcw:startChat");
    const convId = await ag.firstConversation();
    await popup.waitForURL(/config\.html/);
    await popup.waitForFunction(() => window.lcw && window.lcw.sdk && window.lcw("getMessages").length > 0, null, { timeout: 15000 });
    await popup.evaluate(() => window.lcw("sendMessage", "from the popup"));
    for (let i = 0; i < 100 && !(await ag.received()).includes("from the popup"); i++) await popup.waitForTimeout(50);
    assert.deepEqual(await ag.received(), ["from the popup"]);
    assert.deepEqual(await ag.conversations(), [convId], "one conversation");
  } finally { await server.stop(); }
});

test("a message sent while the socket reconnects (open, welcome not in yet) reaches the agent after the ones that waited", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const ctx = await browser.newContext();
    // Every chat socket goes through the test: it can cut the first one and
    // hold the server's frames on the second (its welcome and after).
    const conns = [];
    await ctx.routeWebSocket(/\/v1\/ws$/, (ws) => {
      const c = { ws, srv: ws.connectToServer(), fromPage: [], held: null };
      conns.push(c);
      ws.onMessage((m) => { c.fromPage.push(JSON.parse(m).type); c.srv.send(m); });
      c.srv.onMessage((m) => { if (c.held) c.held.push(m); else ws.send(m); });
      if (conns.length === 2) c.held = [];
    });
    const page = await ctx.newPage();
    await page.addInitScript(() => { window.__events = []; });
    await page.goto(server.url + PAGE);
    await page.evaluate(() => window.lcw("startChat"));
    const convId = await ag.firstConversation();
    await visitorSends(page, ["m0"]);
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.text === "m0" && m.status === "sent"));

    // The connection drops; m1 waits in the outbox.
    conns[0].ws.close();
    conns[0].srv.close();
    await visitorSends(page, ["m1"]);
    // The SDK reconnects: hello goes out, the welcome is held back.
    for (let i = 0; i < 200 && !(conns[1]?.fromPage.includes("hello") && conns[1].held.length); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(conns[1]?.held.length, "second socket: hello sent, welcome held");
    await visitorSends(page, ["m2"]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(conns[1].fromPage, ["hello"], "nothing is sent before the welcome (the outbox goes first)");
    const held = conns[1].held;
    conns[1].held = null;
    for (const m of held) conns[1].ws.send(m);

    await page.waitForFunction(() => ["m1", "m2"].every((t) => window.lcw("getMessages").some((m) => m.text === t && m.status === "sent")));
    for (let i = 0; i < 100 && (await ag.received()).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await ag.received(), ["m0", "m1", "m2"], "the agent gets them once, in the order typed");
    assert.deepEqual((await visibleTexts(page)).filter((t) => t.startsWith("visitor:")), ["visitor:m0", "visitor:m1", "visitor:m2"]);
    assert.ok(convId);
    await ctx.close();
  } finally {
    await server.stop();
  }
});

test("visitor and agent messages that cross keep the one socket: no resync, nothing lost or duplicated", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    let sockets = 0;
    page.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) sockets++; });
    await page.addInitScript(() => { window.__events = []; });
    await page.goto(server.url + PAGE);
    await page.evaluate(() => window.lcw("startChat"));
    const convId = await ag.firstConversation();
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "system"));
    // In one burst from both sides, so that their sends cross at the server.
    const N = 25;
    const visitor = Array.from({ length: N }, (_, i) => `v${i}`), agentTexts = Array.from({ length: N }, (_, i) => `a${i}`);
    await Promise.all(visitor.flatMap((v, i) => [page.evaluate((t) => window.lcw("sendMessage", t), v), ag.send(convId, agentTexts[i])]));
    await page.waitForFunction(([v, a]) => {
      const have = window.lcw("getMessages").filter((m) => m.status === "sent").map((m) => m.text);
      return [...v, ...a].every((t) => have.includes(t));
    }, [visitor, agentTexts], { timeout: 20000 });
    const texts = (await visibleTexts(page)).filter((t) => !t.startsWith("system:"));
    assert.equal(texts.length, 2 * N, texts.join());
    assert.equal(new Set(texts).size, 2 * N, "no duplicates");
    assert.equal(sockets, 1, "one chat socket: no crossing made the SDK resync");
    await ctx.close();
  } finally {
    await server.stop();
  }
});
