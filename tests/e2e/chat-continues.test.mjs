// A chat goes on across page loads and tabs: the proactive engine counts it
// as open from the first evaluation of the next page (no invite over a
// chat in progress), and a tab that had no chat joins one started in
// another tab of the browser by itself (lcw:chatRetrieved), with one socket.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
// Each test has a server of its own (the agent sees only that test's conversations).
beforeEach(async () => { server = await startChatServer(); });
afterEach(async () => { await server?.stop(); });

/** A page of the site whose one rule invites after 0.5 s on the page (no gap between invites). */
function page(ruleId) {
  const rules = { settings: { minGapMs: 0 }, rules: [{ id: ruleId, when: { type: "timeOnPage", ms: 500 }, action: { message: "Can we help?" } }] };
  return `/config.html?data-server=/&data-widget=demo&data-proactive-rules=${encodeURIComponent(JSON.stringify(rules))}`;
}

const PAGE_PLAIN = "/config.html?data-server=/&data-widget=demo";
const names = (p) => p.evaluate(() => window.__events.map((e) => e.name));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

test("a chat in progress on the next page: no invite over it; once it is closed, invites come back", async () => {
  const context = await browser.newContext();
  const { page: p, errors } = await openPage(browser, server.url, page("first"), { context });
  await waitEvent(p, "lcw:proactiveInviteShown"); // the rule works on this site
  await p.evaluate(() => window.lcw("startChat"));
  await waitEvent(p, "lcw:startChat");

  // The visitor goes on to another page (a rule that has never fired).
  await p.goto(server.url + page("second"));
  await waitEvent(p, "lcw:chatRetrieved");
  await pause(1500); // three times the rule's delay
  assert.ok(!(await names(p)).includes("lcw:proactiveInviteShown"), `no invite during the chat: ${await names(p)}`);

  await p.evaluate(() => window.lcw("closeChat"));
  await waitEvent(p, "lcw:closeChat");
  await p.goto(server.url + page("third"));
  await waitEvent(p, "lcw:ready");
  await waitEvent(p, "lcw:proactiveInviteShown", "d.ruleId === 'third'", 5000);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a tab with no chat joins the chat another tab starts: lcw:chatRetrieved, one socket, the agent's reply shows in both", async () => {
  const ag = await agent(browser, server.url);
  const context = await browser.newContext();
  const tabs = [];
  let sockets = 0;
  for (const id of ["a", "b"]) {
    const t = await openPage(browser, server.url, page(`idle-${id}`), { context });
    t.page.on("websocket", (ws) => { if (ws.url().endsWith("/v1/ws")) sockets++; });
    await waitEvent(t.page, "lcw:ready");
    tabs.push(t);
  }
  const [a, b] = tabs;
  await a.page.evaluate(() => window.lcw("startChat"));
  await waitEvent(a.page, "lcw:startChat");
  const joined = await waitEvent(b.page, "lcw:chatRetrieved", "true", 5000);
  const conv = await ag.firstConversation();
  assert.equal(joined.conversationId, conv, "tab b joined the conversation tab a started");
  await ag.send(conv, "Hello from the agent");
  for (const t of tabs) {
    await t.page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "agent" && m.text === "Hello from the agent"));
  }
  await pause(500);
  assert.equal(sockets, 1, "one chat socket for the two tabs");
  assert.deepEqual(await ag.conversations(), [conv], "one conversation");
  // The engine of the tab that joined counts the chat as open too.
  await pause(1000);
  for (const t of tabs) {
    const shownDuringChat = await t.page.evaluate(() => {
      const i = window.__events.findIndex((e) => e.name === "lcw:startChat" || e.name === "lcw:chatRetrieved");
      return window.__events.slice(i).filter((e) => e.name === "lcw:proactiveInviteShown").length;
    });
    assert.equal(shownDuringChat, 0, "no invite after the chat opened");
    assert.deepEqual(t.errors, []);
  }
  await context.close();
});

test("a tab that left a chat does not join it again when another tab stores it once more, and still joins the next one", async () => {
  const context = await browser.newContext();
  const { page: b, errors } = await openPage(browser, server.url, PAGE_PLAIN, { context });
  await waitEvent(b, "lcw:ready");
  await b.evaluate(() => window.lcw("startChat"));
  await waitEvent(b, "lcw:startChat");
  await b.waitForFunction(() => localStorage.getItem("lcw_chat") !== null);
  const saved = await b.evaluate(() => localStorage.getItem("lcw_chat"));
  await b.evaluate(() => window.lcw("closeChat"));
  await waitEvent(b, "lcw:closeChat");
  await b.waitForFunction(() => localStorage.getItem("lcw_chat") === null);
  // Another tab of the site (no SDK needed) stores the session that ended
  // again, as a leader's late save of an ending chat would.
  const other = await context.newPage();
  await other.goto(server.url + "/healthz");
  await other.evaluate((v) => localStorage.setItem("lcw_chat", v), saved);
  await pause(800);
  const since = () => b.evaluate(() => window.__events.slice(window.__events.findIndex((e) => e.name === "lcw:closeChat")).map((e) => e.name));
  assert.deepEqual(await since(), ["lcw:closeChat"], "no lcw:chatRetrieved for the chat it left");
  await other.evaluate(() => localStorage.removeItem("lcw_chat"));

  // A new chat in another tab is joined as before.
  const { page: c } = await openPage(browser, server.url, PAGE_PLAIN, { context });
  await waitEvent(c, "lcw:ready");
  await c.evaluate(() => window.lcw("startChat"));
  await waitEvent(c, "lcw:startChat");
  const joined = await waitEvent(b, "lcw:chatRetrieved", "true", 5000);
  const next = await c.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat")).conversationId);
  assert.notEqual(next, JSON.parse(saved).conversationId);
  assert.equal(joined.conversationId, next, "the tab joined the new chat");
  assert.deepEqual(errors, []);
  await context.close();
});
