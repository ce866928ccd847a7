// Read receipts (docs/PROTOCOL.md, `read` frames): the default widget
// tells the agent when the visitor has seen the newest messages (window
// open, page shown, list at its end), marks the visitor's messages "Seen"
// once the agent has read them, and keeps the launcher's count to what the
// visitor has not read anywhere: on the next page of the visit, and in the
// other tabs of the conversation. `getReadState()`, `markRead()` and
// `lcw:messagesRead` give the same to a page that draws its own chat.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, consoleAgent } from "./chatserver.mjs";
import { agentChat, setHidden } from "./widget-kit.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";
const shadow = "document.querySelector('[data-lcw-widget]').shadowRoot";
const click = (page, sel) => page.evaluate(([s, q]) => eval(s).querySelector(q).click(), [shadow, sel]);
const badge = (page) => page.evaluate((s) => { const b = eval(s).querySelector(".launcher .unread"); return b.hidden ? "" : b.textContent; }, shadow);
const isOpen = (page) => page.evaluate((s) => !eval(s).querySelector("[role=dialog]").hidden, shadow);
/** The agent says `text`; resolves to its seq once the page has it. */
const say = async (page, ag, conv, text) => {
  await ag.send(conv, text);
  return (await waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(text)}`)).seq;
};
/** Waits until the agent has been told the visitor read up to `seq` or further. */
const readBy = (ag, seq) => ag.page.waitForFunction((s) => Math.max(0, ...window.__frames.filter((f) => f.type === "read" && f.reader === "visitor").map((f) => f.seq)) >= s, seq);
/** A round trip through the server and the agent: whatever the page sent before has reached the agent. */
const roundTrip = async (page, ag, text) => {
  await page.evaluate((t) => window.lcw("sendMessage", t), text);
  await ag.page.waitForFunction((t) => window.__frames.some((f) => f.type === "message" && f.message.text === t), text);
};

test("the visitor's messages the agent has read say \"Seen\"; the read state and its event tell a page the same", async () => {
  const { ag, conv, page, ctx, errors } = await agentChat(browser, server, PAGE);
  await page.evaluate(() => window.lcw("sendMessage", "first question"));
  const sent = await waitEvent(page, "lcw:onMessageSent", "d.text === 'first question' && d.seq > 0");
  const status = (text) => page.evaluate(([s, t]) => {
    const li = [...eval(s).querySelectorAll(".msg-visitor")].find((m) => m.querySelector(".text")?.textContent === t);
    return li && `${li.dataset.status}:${li.querySelector(".mark").textContent}`;
  }, [shadow, text]);
  assert.equal(await status("first question"), "sent:Sent");

  await ag.read(conv, sent.seq);
  const told = await waitEvent(page, "lcw:messagesRead", "d.reader === 'agent'");
  assert.deepEqual(told, { conversationId: conv, reader: "agent", seq: sent.seq });
  await page.waitForFunction(([s]) => eval(s).querySelector(".msg-visitor[data-status=seen]"), [shadow]);
  assert.equal(await status("first question"), "seen:Seen");
  assert.equal((await page.evaluate(() => window.lcw("getReadState"))).agentReadSeq, sent.seq);

  // A later message is only "Sent" until the agent reads that far.
  await page.evaluate(() => window.lcw("sendMessage", "second question"));
  await waitEvent(page, "lcw:onMessageSent", "d.text === 'second question' && d.seq > 0");
  assert.equal(await status("second question"), "sent:Sent");
  await page.evaluate(() => window.lcw("setLocale", "fr"));
  assert.equal(await status("first question"), "seen:Vu", "the mark follows the language");
  // A reload shows what the agent read before it.
  await page.reload();
  await waitEvent(page, "lcw:chatRetrieved");
  await page.waitForFunction(([s]) => eval(s).querySelectorAll(".msg-visitor").length === 2, [shadow]);
  assert.equal(await status("first question"), "seen:Seen");
  assert.equal(await status("second question"), "sent:Sent");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the agent is told what the visitor has seen: not while the window is closed or the page hidden, at once when they show it", async () => {
  const { ag, conv, page, ctx, errors } = await agentChat(browser, server, PAGE);
  assert.equal(await isOpen(page), true);
  const open = await say(page, ag, conv, "on screen");
  await readBy(ag, open);

  await click(page, "[data-act=minimize]");
  const closed = await say(page, ag, conv, "while minimized");
  await roundTrip(page, ag, "still here");
  assert.ok(await ag.visitorRead() < closed, "a closed window has not shown it");
  assert.equal(await badge(page), "1");
  await click(page, ".launcher");
  await readBy(ag, closed);

  await setHidden(page, true);
  const hidden = await say(page, ag, conv, "while in another tab");
  await roundTrip(page, ag, "typed blind");
  assert.ok(await ag.visitorRead() < hidden, "a hidden page has not shown it");
  await setHidden(page, false);
  await readBy(ag, hidden);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the launcher counts what is unread on the next page too, and in every tab until one of them shows it", async () => {
  const context = await browser.newContext();
  const a = await agentChat(browser, server, PAGE, { context });
  const { ag, conv } = a;
  await click(a.page, "[data-act=minimize]");
  await say(a.page, ag, conv, "unread one");
  assert.equal(await badge(a.page), "1");

  // The next page of the visit: still unread there.
  await a.page.reload();
  await waitEvent(a.page, "lcw:chatRetrieved");
  await a.page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".launcher .unread:not([hidden])"));
  assert.equal(await badge(a.page), "1", "the message was never shown");

  // A second tab joins with the same count; the agent's next message counts in both.
  const b = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(b.page, "lcw:chatRetrieved");
  if (await isOpen(b.page)) await click(b.page, "[data-act=minimize]");
  await b.page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".launcher .unread:not([hidden])"));
  assert.equal(await badge(b.page), "1");
  await b.page.evaluate(() => { document.title = "Shop"; });
  await setHidden(b.page, true);
  await ag.send(conv, "unread two");
  await waitEvent(b.page, "lcw:onMessageReceived", "d.text === 'unread two'");
  await waitEvent(a.page, "lcw:onMessageReceived", "d.text === 'unread two'");
  assert.deepEqual([await badge(a.page), await badge(b.page)], ["2", "2"]);
  assert.equal(await b.page.title(), "(1) Shop");

  // The visitor opens the chat in tab A: tab B's count and title go too.
  await click(a.page, ".launcher");
  await waitEvent(b.page, "lcw:messagesRead", "d.reader === 'visitor'");
  await b.page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".launcher .unread").hidden);
  assert.deepEqual([await badge(a.page), await badge(b.page)], ["", ""]);
  assert.equal(await b.page.title(), "Shop");
  const state = await b.page.evaluate(() => window.lcw("getReadState"));
  assert.equal(state.visitorReadSeq, await ag.visitorRead(), "the follower tab knows what was read");
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test("markRead() for a page that draws its own chat: once per new message, false without news or a chat", async () => {
  const { page: own, ctx, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none");
  await waitEvent(own, "lcw:ready");
  assert.equal(await own.evaluate(() => window.lcw("markRead")), false, "no chat");
  assert.equal(await own.evaluate(() => window.lcw("getReadState")), null);
  const { agent } = await import("./chatserver.mjs");
  const ag = await agent(browser, server.url);
  await own.evaluate(() => window.lcw("startChat"));
  await waitEvent(own, "lcw:startChat");
  const conv = await ag.firstConversation();
  const seq = await say(own, ag, conv, "for a custom chat");
  assert.equal(await own.evaluate(() => window.lcw("markRead")), true);
  assert.equal(await own.evaluate(() => window.lcw("markRead")), false, "said once");
  await readBy(ag, seq);
  const mine = await waitEvent(own, "lcw:messagesRead", "d.reader === 'visitor'");
  assert.ok(mine.seq >= seq);
  assert.equal((await own.evaluate(() => window.lcw("getReadState"))).visitorReadSeq, mine.seq);
  assert.deepEqual(errors, []);
  await ctx.close();
  await ag.page.context().close();
});

test("the agent console says when the agent has read, and shows \"Seen\" under its newest message the visitor has read", async () => {
  const own = await startChatServer(); // its own server: one conversation in the console
  try {
    const { page: con, errors: conErrors } = await consoleAgent(browser, own.url);
    const { page, ctx, errors } = await openPage(browser, own.url, PAGE);
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("startChat"));
    await page.evaluate(() => window.lcw("sendMessage", "hello console"));
    const sent = await waitEvent(page, "lcw:onMessageSent", "d.text === 'hello console' && d.seq > 0");
    await con.waitForFunction(() => document.querySelectorAll("#waiting li, #mine li").length > 0);
    await con.click("#waiting li, #mine li");
    if (await con.isVisible("#accept")) await con.click("#accept");
    await con.waitForSelector("#composer:not([hidden])");
    // The console shows the conversation: the visitor's message is read.
    await waitEvent(page, "lcw:messagesRead", `d.reader === 'agent' && d.seq >= ${sent.seq}`);
    await page.waitForFunction(([s]) => eval(s).querySelector(".msg-visitor[data-status=seen]"), [shadow]);

    await con.fill("#text", "How can I help?");
    await con.press("#text", "Enter");
    await waitEvent(page, "lcw:onMessageReceived", "d.text === 'How can I help?'");
    // The visitor's window is open on it: "Seen" under the agent's reply.
    await con.waitForFunction(() => [...document.querySelectorAll("#messages li.agent")].pop()?.querySelector("small.seen")?.textContent === "Seen");
    assert.equal(await con.locator("#messages small.seen").count(), 1, "under the newest read one only");
    assert.deepEqual([...errors, ...conErrors], []);
    await ctx.close();
    await con.context().close();
  } finally {
    await own.stop();
  }
});

test("a burst of agent messages on screen: the visitor's receipts stay inside the server's frame budget, and the last one arrives", async () => {
  // The page also marks every message read as it comes, as a page that
  // draws its own chat does (www/chat.js).
  const init = () => addEventListener("lcw:onMessageReceived", () => { window.__marked = (window.__marked || 0) + (window.lcw("markRead") ? 1 : 0); });
  const { ag, conv, page, ctx, errors } = await agentChat(browser, server, PAGE, { init });
  assert.equal(await isOpen(page), true);
  await say(page, ag, conv, "warm-up");
  // 100 messages in one go (the conversation's send limit allows 120 at once):
  // each is on screen as it comes, so each could be a receipt.
  await ag.page.evaluate((id) => {
    for (let i = 1; i <= 100; i++) window.__ws.send(JSON.stringify({ type: "send", conversationId: id, clientId: crypto.randomUUID(), text: `burst ${i}` }));
  }, conv);
  const last = (await waitEvent(page, "lcw:onMessageReceived", "d.text === 'burst 100'")).seq;
  await readBy(ag, last);
  // The frames this socket sent stayed under the budget (300 a minute in
  // bursts of 30): no rate_limited answer, so no error reached the page.
  const reported = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorDescription));
  assert.deepEqual(reported, []);
  assert.deepEqual(errors, []);
  await ag.close(conv); // the demo agent takes 5 chats at once
  await ctx.close();
});

test("a receipt the pace holds back goes out when the page goes away", async () => {
  // Every message marked read as it comes: past the first few at once, the
  // newest receipt waits for the end of a one-second gap.
  const init = () => addEventListener("lcw:onMessageReceived", () => window.lcw("markRead"));
  const { ag, conv, page, ctx, errors } = await agentChat(browser, server, PAGE, { init });
  await ag.page.evaluate((id) => {
    for (let i = 1; i <= 12; i++) window.__ws.send(JSON.stringify({ type: "send", conversationId: id, clientId: crypto.randomUUID(), text: `held ${i}` }));
  }, conv);
  const last = (await waitEvent(page, "lcw:onMessageReceived", "d.text === 'held 12'")).seq;
  // The visitor leaves at once: the page's pagehide sends it.
  await page.goto(`${server.url}/healthz`);
  await readBy(ag, last);
  assert.deepEqual(errors, []);
  await ag.close(conv);
  await ctx.close();
});
