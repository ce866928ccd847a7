// The default widget's message list keeps the newest message in view, as a
// visitor expects: after a burst, and when the window opens on messages
// that came while it was closed; but not while the visitor has scrolled up
// to read older ones, until they send a message themselves. Meanwhile a
// "new messages" button points out what came below.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";

/** The list's scroll position, and whether its end is in view. */
const list = (page) => page.evaluate(() => {
  const b = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".body");
  return { top: b.scrollTop, overflows: b.scrollHeight > b.clientHeight + 100, atEnd: b.scrollTop + b.clientHeight >= b.scrollHeight - 2 };
});
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const click = (page, sel) => page.evaluate((s) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s).click(), sel);

/** The "new messages" button: null when absent or hidden; else its text,
 * whether it is inside the list's visible area, and whether it has focus. */
const jump = (page) => page.evaluate(() => {
  const root = document.querySelector("[data-lcw-widget]").shadowRoot;
  const j = root.querySelector(".body .jump");
  if (!j || j.hidden) return null;
  const b = root.querySelector(".body").getBoundingClientRect(), r = j.getBoundingClientRect();
  return { text: j.textContent, inView: r.height > 0 && r.top >= b.top && r.bottom <= b.bottom, focused: root.activeElement === j };
});
const scrollUp = async (page) => {
  await page.evaluate(() => { document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".body").scrollTop = 0; });
  await frames(page);
};

/** A chat with the window open, and `burst(n, from)`: the agent sends
 * "agent line <from>" to "agent line <from + n - 1>", shown when it resolves. */
async function chatting() {
  const ag = await agent(browser, server.url);
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE);
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.firstConversation();
  if (!(await page.evaluate(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[role=dialog]").hidden))) {
    await click(page, ".launcher");
  }
  const burst = async (n, from) => {
    await ag.page.evaluate(([c, n, from]) => {
      for (let i = 0; i < n; i++) window.__ws.send(JSON.stringify({ type: "send", conversationId: c, clientId: crypto.randomUUID(), text: `agent line ${from + i}` }));
    }, [conv, n, from]);
    // The message's own text, exactly: its whole textContent also holds
    // its time, and "agent line 4" shown at 11:05 reads "agent line 411:05",
    // which matched "agent line 41" before that line had come.
    await page.waitForFunction((t) => [...document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-agent .text")].some((m) => m.textContent === t), `agent line ${from + n - 1}`);
  };
  return { page, ctx, errors, burst };
}

test("a burst while the window is open ends at the newest; the window opens on the messages that came while it was closed", async () => {
  const { page, ctx, errors, burst } = await chatting();
  await burst(40, 0);
  await frames(page);
  const shown = await list(page);
  assert.ok(shown.overflows && shown.atEnd, `the newest of the burst in view: ${JSON.stringify(shown)}`);
  await click(page, "[data-act=minimize]");
  await burst(40, 40);
  await click(page, ".launcher");
  await frames(page);
  const opened = await list(page);
  assert.ok(opened.overflows && opened.atEnd, `opens on the newest message: ${JSON.stringify(opened)}`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the visitor scrolled up to read: a new agent message leaves the list where it is; the visitor's own message brings it to the end", async () => {
  const { page, ctx, errors, burst } = await chatting();
  await burst(40, 0);
  await frames(page);
  assert.equal((await list(page)).atEnd, true);
  await scrollUp(page);
  await burst(1, 40);
  await frames(page);
  assert.deepEqual(await list(page), { top: 0, overflows: true, atEnd: false }, "not pulled away from what the visitor reads");
  await page.evaluate(() => window.lcw("sendMessage", "my own question"));
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".msg-visitor")?.textContent.includes("my own question"));
  await frames(page);
  assert.equal((await list(page)).atEnd, true, "the visitor's message is shown");
  assert.equal(await jump(page), null, "with nothing left to point out");
  // Following again: the next agent message is shown too.
  await burst(1, 41);
  await frames(page);
  assert.equal((await list(page)).atEnd, true);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("new messages below what the visitor reads are pointed out; the button, or reaching the end, goes back to following", async () => {
  const { page, ctx, errors, burst } = await chatting();
  await burst(40, 0);
  await frames(page);
  assert.equal(await jump(page), null, "following: no button");
  await scrollUp(page);
  assert.equal(await jump(page), null, "scrolling up alone shows nothing");
  await burst(2, 40);
  await frames(page);
  assert.deepEqual(await jump(page), { text: "New messages", inView: true, focused: false }, "shown at the bottom of the list's view");
  assert.equal((await list(page)).top, 0, "the list stays where the visitor reads");
  // Keyboard: focus the button and press Enter.
  await page.evaluate(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".jump").focus());
  await page.keyboard.press("Enter");
  await frames(page);
  assert.equal(await jump(page), null, "the button goes away");
  assert.equal((await list(page)).atEnd, true, "the list is at its newest message");
  assert.equal(await page.evaluate(() => document.querySelector("[data-lcw-widget]").shadowRoot.activeElement?.id), "lcw-input",
    "focus moves to the message input, not to the page");
  await burst(1, 42);
  await frames(page);
  assert.equal((await list(page)).atEnd, true, "following again");
  assert.equal(await jump(page), null);
  // Scrolling back down by hand also ends it.
  await scrollUp(page);
  await burst(1, 43);
  await frames(page);
  assert.notEqual(await jump(page), null);
  await page.evaluate(() => { const b = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".body"); b.scrollTop = b.scrollHeight; });
  await frames(page);
  assert.equal(await jump(page), null, "the visitor reached the end");
  // Minimized while reading older messages: the window reopens on the newest, without the button.
  await scrollUp(page);
  await burst(1, 44);
  await frames(page);
  assert.notEqual(await jump(page), null);
  await click(page, "[data-act=minimize]");
  await burst(1, 45);
  await click(page, ".launcher");
  await frames(page);
  assert.equal(await jump(page), null);
  assert.equal((await list(page)).atEnd, true);
  assert.deepEqual(errors, []);
  await ctx.close();
});
