// The chat's connection drops mid-chat (the network): the SDK reconnects
// with backoff and the page hears it. `lcw:chatReconnecting` fires once when
// a socket the server had taken closes (not again for each failed attempt),
// `lcw:chatReconnected` once a new socket is welcomed; the default widget's
// status line says "Connection lost. Reconnecting…" meanwhile. With many
// tabs, the leader's socket is the chat's: every tab hears both. Every chat
// socket goes through the test (routeWebSocket), which cuts one or holds
// the server's frames.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent, axe } from "./browser.mjs";
import { startChatServer, agent, consoleAgent } from "./chatserver.mjs";
import { setHidden } from "./widget-kit.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const named = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);

/** Routes every chat socket of `context` through the test. `hold(i)`:
 * whether the server's frames to the `i`th socket are held back. A socket
 * made `silent` loses every frame both ways without closing (what the
 * page sent meanwhile is in `lost`). `path`: which sockets. */
async function routed(context, hold = () => false, path = /\/v1\/ws$/) {
  const conns = [];
  await context.routeWebSocket(path, (ws) => {
    const c = { ws, srv: ws.connectToServer(), held: hold(conns.length) ? [] : null, silent: false, lost: [] };
    conns.push(c);
    ws.onMessage((m) => { if (c.silent) c.lost.push(m); else c.srv.send(m); });
    c.srv.onMessage((m) => { if (c.silent) return; if (c.held) c.held.push(m); else ws.send(m); });
  });
  const cut = (i) => { conns[i].ws.close(); conns[i].srv.close(); };
  const release = (i) => { const held = conns[i].held; conns[i].held = null; for (const m of held) conns[i].ws.send(m); };
  const until = async (check) => { for (let i = 0; i < 300 && !check(); i++) await pause(25); assert.ok(check()); };
  return { conns, cut, release, until };
}

/** Whether the status line is drawn as a problem (its own colours). */
const statusDown = (page) => page.evaluate(() => {
  const s = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".status");
  const normal = document.createElement("p");
  normal.className = "status";
  s.after(normal);
  const differs = getComputedStyle(s).backgroundColor !== getComputedStyle(normal).backgroundColor;
  normal.remove();
  return s.classList.contains("down") && differs;
});

const statusText = (page) => page.evaluate(() => {
  const s = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".status");
  return s.hidden ? null : s.textContent;
});

// A lone tab leads its own tabs hub; without Web Locks the page keeps its
// own session: each has its own code path for the socket's state.
for (const [mode, noLocks] of [["one tab", false], ["one tab without Web Locks (the page's own session)", true]]) test(`${mode}: the socket drops, the page hears it once and the widget says so; a failed attempt says nothing more; back: reconnected, and what was typed meanwhile is sent`, async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    if (noLocks) await context.addInitScript(() => { delete Navigator.prototype.locks; });
    // The second socket's frames (its welcome) are held, then it is cut too.
    const net = await routed(context, (i) => i === 1);
    const { page, errors } = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(page, "lcw:ready");
    assert.equal(await page.evaluate(() => "locks" in navigator), !noLocks);
    await page.evaluate(() => window.lcw("startChat"));
    await waitEvent(page, "lcw:startChat");
    const convId = await ag.firstConversation();
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "system"));
    const before = await statusText(page);
    assert.notEqual(before, null, "the status line shows the phase");
    assert.deepEqual(await named(page, "lcw:chatReconnecting"), [], "nothing while connected");

    // A draft in the widget's composer, with the focus in it.
    const composer = (code) => page.evaluate(code);
    await composer(() => {
      const input = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("#lcw-input");
      input.focus();
      input.value = "half-typed draft";
    });
    net.cut(0);
    const down = await waitEvent(page, "lcw:chatReconnecting");
    // Redrawing the status line keeps the draft and the focus.
    assert.deepEqual(await composer(() => {
      const root = document.querySelector("[data-lcw-widget]").shadowRoot;
      return [root.querySelector("#lcw-input").value, root.activeElement?.id];
    }), ["half-typed draft", "lcw-input"]);
    assert.deepEqual(down, { conversationId: convId });
    assert.equal(await statusText(page), "Connection lost. Reconnecting…");
    assert.equal(await statusDown(page), true, "shown as a problem");
    await axe(page, "reconnecting");
    // Typed while down: waits in order.
    const typed = await page.evaluate(() => window.lcw("sendMessage", "typed while offline"));

    // The next socket opens, but its welcome is held; then it drops too.
    await net.until(() => net.conns.length >= 2 && net.conns[1].held.length > 0);
    net.cut(1);
    await net.until(() => net.conns.length >= 3);
    await waitEvent(page, "lcw:chatReconnected");
    assert.deepEqual(await named(page, "lcw:chatReconnecting"), [{ conversationId: convId }], "one event for the outage, not one per attempt");
    assert.deepEqual(await named(page, "lcw:chatReconnected"), [{ conversationId: convId }]);
    await page.waitForFunction(() => {
      const s = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".status");
      return !s.textContent.includes("Reconnecting");
    });
    assert.equal(await statusText(page), before, "the phase's status line again");
    assert.equal(await statusDown(page), false);
    await page.waitForFunction((id) => window.lcw("getMessages").some((m) => m.id === id && m.status === "sent"), typed);
    for (let i = 0; i < 100 && !(await ag.received()).includes("typed while offline"); i++) await pause(50);
    assert.deepEqual((await ag.received()).filter((t) => t === "typed while offline"), ["typed while offline"]);

    // Ending the chat is not a drop.
    await page.evaluate(() => window.lcw("closeChat"));
    await waitEvent(page, "lcw:closeChat");
    await pause(300);
    assert.equal((await named(page, "lcw:chatReconnecting")).length, 1, "closeChat: no reconnecting");
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode)), []);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.stop();
  }
});

test("many tabs: the leader's socket drops; the follower tab hears reconnecting and reconnected too, and its widget says so", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const net = await routed(context);
    const a = await openPage(browser, server.url, PAGE, { context });
    const b = await openPage(browser, server.url, PAGE, { context });
    await Promise.all([waitEvent(a.page, "lcw:ready"), waitEvent(b.page, "lcw:ready")]);
    await a.page.evaluate(() => window.lcw("startChat"));
    await waitEvent(a.page, "lcw:startChat");
    await waitEvent(b.page, "lcw:chatRetrieved");
    const convId = await ag.firstConversation();
    await a.page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "system"));
    assert.equal(net.conns.length, 1, "one socket for both tabs");

    net.cut(0);
    for (const t of [a, b]) {
      assert.deepEqual(await waitEvent(t.page, "lcw:chatReconnecting"), { conversationId: convId });
    }
    assert.equal(await statusText(b.page), "Connection lost. Reconnecting…", "the follower's widget says so");
    for (const t of [a, b]) {
      assert.deepEqual(await waitEvent(t.page, "lcw:chatReconnected"), { conversationId: convId });
      await t.page.waitForFunction(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".status").textContent.includes("Reconnecting"));
    }
    await pause(300);
    for (const t of [a, b]) {
      assert.equal((await named(t.page, "lcw:chatReconnecting")).length, 1);
      assert.equal((await named(t.page, "lcw:chatReconnected")).length, 1);
      assert.deepEqual(t.errors, []);
    }
    assert.equal(net.conns.length, 2, "the leader reconnected; the follower opened no socket");
    await a.page.evaluate(() => window.lcw("closeChat"));
    await context.close();
  } finally {
    await server.stop();
  }
});

/** A chat on its own server, its sockets routed, under Playwright's clock
 * (real time until the test jumps it): `run({ag, conv, page, net, context})`,
 * then no error may have been reported. */
async function silentChat(run) {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    await context.clock.install(); // real time, until the test jumps it
    const net = await routed(context);
    const { page, errors } = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("startChat"));
    await waitEvent(page, "lcw:startChat");
    const conv = await ag.firstConversation();
    await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "system"));
    await run({ ag, conv, page, net, context });
    assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode)), []);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.stop();
  }
}

test("a socket that goes silent without closing (sleep, a network change, a NAT): pinged after 25 s of quiet, dropped 10 s later; the chat resumes with what the agent sent meanwhile", () => silentChat(async ({ ag, conv, page, net, context }) => {
  net.conns[0].silent = true;
  await ag.send(conv, "said into the silence");
  await pause(300);
  assert.equal(await page.evaluate(() => window.lcw("getMessages").some((m) => m.text === "said into the silence")), false, "lost on the way");
  // Quiet: no ping before 25 s, one after.
  const pings = () => net.conns[0].lost.filter((m) => JSON.parse(m).type === "ping").length;
  await context.clock.fastForward(20_000);
  assert.equal(pings(), 0, "no ping before 25 s of quiet");
  for (let i = 0; i < 10 && !pings(); i++) await context.clock.fastForward(2_000);
  assert.equal(pings(), 1);
  assert.deepEqual(await named(page, "lcw:chatReconnecting"), [], "not dead before the answer's 10 s are up");
  // No answer in 10 s: dropped; the chat reconnects and resumes.
  await context.clock.fastForward(10_000);
  assert.deepEqual(await waitEvent(page, "lcw:chatReconnecting"), { conversationId: conv });
  await waitEvent(page, "lcw:chatReconnected");
  assert.ok(net.conns.length >= 2, "a new socket");
  await waitEvent(page, "lcw:onMessageReceived", "d.text === 'said into the silence'");
}));

test("the agent console drops a silent socket too, connects again and shows what it missed", async () => {
  const server = await startChatServer();
  try {
    const context = await browser.newContext();
    await context.clock.install();
    const net = await routed(context, () => false, /\/v1\/agent\/ws$/);
    const { page: con, errors } = await consoleAgent(browser, server.url, { context });
    await con.waitForFunction(() => document.querySelector("#status").textContent === "online");
    net.conns[0].silent = true;
    // A chat starts while the console hears nothing.
    const { page, ctx } = await openPage(browser, server.url, PAGE);
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("startChat"));
    await page.evaluate(() => window.lcw("sendMessage", "anyone there?"));
    await waitEvent(page, "lcw:onMessageSent", "d.text === 'anyone there?' && d.seq > 0");
    assert.equal(await con.locator("#waiting li, #mine li").count(), 0, "missed");
    for (let i = 0; i < 10 && !net.conns[0].lost.length; i++) await context.clock.fastForward(5_000);
    assert.deepEqual(net.conns[0].lost.map((m) => JSON.parse(m).type), ["ping"]);
    await context.clock.fastForward(15_000);
    await net.until(() => net.conns.length >= 2);
    await con.waitForFunction(() => document.querySelector("#status").textContent === "online");
    await con.waitForFunction(() => document.querySelectorAll("#waiting li, #mine li").length === 1);
    assert.deepEqual(errors, []);
    await ctx.close();
    await context.close();
  } finally {
    await server.stop();
  }
});

test("shown again after a long while, the page checks its socket at once instead of at the heartbeat's next wake-up", () => silentChat(async ({ ag, conv, page, net, context }) => {
  // Hidden, its timers frozen (a phone locked) while the socket died: a
  // minute passes on the wall clock and no timer runs.
  await setHidden(page, true);
  net.conns[0].silent = true;
  await ag.send(conv, "while the phone was locked");
  await context.clock.setSystemTime(await page.evaluate(() => Date.now() + 60_000));
  const pings = () => net.conns[0].lost.filter((m) => JSON.parse(m).type === "ping").length;
  assert.equal(pings(), 0);
  await setHidden(page, false);
  assert.equal(pings(), 1, "pinged as soon as it is shown");
  await context.clock.fastForward(10_000);
  await waitEvent(page, "lcw:chatReconnected");
  await waitEvent(page, "lcw:onMessageReceived", "d.text === 'while the phone was locked'");
}));

test("the network comes back: a socket that still looks open is pinged at once, and dropped when it does not answer", () => silentChat(async ({ ag, conv, page, net, context }) => {
  net.conns[0].silent = true;
  await ag.send(conv, "sent while the network changed");
  const pings = () => net.conns[0].lost.filter((m) => JSON.parse(m).type === "ping").length;
  assert.equal(pings(), 0);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await net.until(() => pings() === 1);
  await context.clock.fastForward(10_000);
  await waitEvent(page, "lcw:chatReconnected");
  await waitEvent(page, "lcw:onMessageReceived", "d.text === 'sent while the network changed'");
}));

test("many tabs: a follower shown again has the hidden leader check the chat socket at once", async () => {
  const server = await startChatServer();
  try {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    await context.clock.install();
    const net = await routed(context);
    const a = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(a.page, "lcw:ready");
    await a.page.evaluate(() => window.lcw("startChat"));
    await waitEvent(a.page, "lcw:startChat");
    const conv = await ag.firstConversation();
    const b = await openPage(browser, server.url, PAGE, { context });
    await waitEvent(b.page, "lcw:chatRetrieved");
    assert.equal(net.conns.length, 1, "the leader's socket only");

    // Tab A (the leader) is hidden, its socket dies silently and a minute
    // passes with no timer run; then the visitor comes back to tab B.
    await setHidden(a.page, true);
    await setHidden(b.page, true);
    net.conns[0].silent = true;
    await ag.send(conv, "seen from the other tab");
    await context.clock.setSystemTime(await a.page.evaluate(() => Date.now() + 60_000));
    const pings = () => net.conns[0].lost.filter((m) => JSON.parse(m).type === "ping").length;
    assert.equal(pings(), 0);
    await setHidden(b.page, false);
    await net.until(() => pings() === 1);
    await context.clock.fastForward(10_000);
    await waitEvent(b.page, "lcw:chatReconnected");
    await waitEvent(b.page, "lcw:onMessageReceived", "d.text === 'seen from the other tab'");
    assert.deepEqual([...a.errors, ...b.errors], []);
    await context.close();
  } finally {
    await server.stop();
  }
});
