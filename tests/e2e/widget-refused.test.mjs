// Messages the chat server refuses are never lost silently.
// - Refused for its rate limit with a short wait (a fast typist, a page
//   calling sendMessage in a loop): they stay "Sending…" and go at the
//   server's pace, in order, each once, with no lcw:error.
// - Refused for good (a strict limit whose wait is over 30 s, or any other
//   refusal): lcw:error 14 names the message by the clientId sendMessage
//   returned, the default widget marks it "Not sent" (not "Sending…"
//   forever) with a "Try again" button, and trying again sends its text as
//   a new message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml, consoleAgent } from "./chatserver.mjs";
import { agentChat } from "./widget-kit.mjs";

const AGENT = `[[agents]]\nid = "a"\nusername = "demo"\npassword = "demo"\ndisplay_name = "Ada"\ncapacity = 5\n`;
let browser, server, strict;
before(async () => {
  browser = await launch();
  // 60 a minute: a burst of 60, then one more each second.
  server = await startChatServer({ config: `[rate_limits]\nper_conversation_per_minute = 60\n` + AGENT + widgetToml("w", "") });
  // 1 a minute: the next message waits a minute, more than the SDK holds one.
  strict = await startChatServer({ config: `[rate_limits]\nper_conversation_per_minute = 1\n` + AGENT + widgetToml("w", "") });
});
after(async () => { await browser?.close(); await server?.stop(); await strict?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=w";
const widget = (page, fn, arg) => page.evaluate(([f, a]) => new Function("root", "arg", `return (${f})(root, arg)`)(document.querySelector("[data-lcw-widget]").shadowRoot, a), [String(fn), arg]);
/** The visitor's messages in the list: text, delivery state, whether it offers "Try again". */
const mine = (page) => widget(page, (root) => [...root.querySelectorAll(".msg-visitor")].map((m) => ({
  text: m.querySelector(".text").textContent, status: m.dataset.status, retry: m.querySelector("[data-act=retry]")?.textContent ?? null })));
const sentCount = (page, n) => page.waitForFunction((k) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor[data-status=sent]").length === k, n);
/** Types and sends each text from the composer, all in one task. */
const typeAll = (page, texts) => widget(page, (root, all) => {
  const input = root.querySelector("textarea"), form = root.querySelector("form.composer");
  for (const t of all) { input.value = t; form.requestSubmit(); }
}, texts);
/** The `rate_limited` error frames the page's sockets receive. */
function refusals(page) {
  const seen = [];
  page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => {
    const f = JSON.parse(String(payload));
    if (f.type === "error" && f.code === "rate_limited") seen.push(f);
  }));
  return seen;
}

test("over the server's rate limit: the messages past it wait 'Sending…' and go at its pace, in order, each once, with no error", async () => {
  const { ag, page, ctx, errors } = await agentChat(browser, server, PAGE, { before: async (p) => { p.__refused = refusals(p); } });
  const texts = Array.from({ length: 66 }, (_, i) => `m${i}`);
  await typeAll(page, texts);
  // The 61st is refused, with the server's wait: it and the five after it wait.
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor[data-status=sent]").length >= 60);
  const waiting = (await mine(page)).filter((m) => m.status !== "sent");
  assert.ok(waiting.length >= 1 && waiting.every((m) => m.status === "sending" && m.retry === null), JSON.stringify(waiting));
  assert.ok(page.__refused.length >= 1 && page.__refused[0].retryAfterMs > 0, "the server said how long to wait");
  assert.equal(page.__refused[0].intervalMs, 1000, "and its pace: one a second");
  // They go, one a second.
  await sentCount(page, 66);
  assert.deepEqual((await mine(page)).map((m) => m.text), texts, "in order in the list");
  await ag.page.waitForFunction(() => window.__frames.filter((f) => f.type === "message" && f.message.sender === "visitor").length >= 66);
  assert.deepEqual((await ag.received()).filter((t) => /^m\d+$/.test(t)), texts, "the agent has each once, in order");
  // Paced: the six sent before the first refusal came back are refused
  // once each; each then goes alone, one interval after the previous one's
  // acknowledgement, so none is refused again. Without the server's
  // intervalMs the SDK learnt the pace from sends that went early (7 or 8
  // refusals, measured); sending all of them again at every try would be
  // 6 + 5 + 4 + … = 21.
  assert.equal(page.__refused.length, 6, `${page.__refused.length} refusals`);
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error")), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a strict limit (a wait over 30 s): lcw:error with its clientId, 'Not sent' with 'Try again' at once; trying again is a new message", async () => {
  const { page, ctx, errors } = await agentChat(browser, strict, PAGE);
  await typeAll(page, ["first", "second"]);
  const refused = await waitEvent(page, "lcw:error", "d.clientId !== undefined");
  assert.equal(refused.errorCode, 14);
  assert.match(refused.errorDescription, /refused.*rate_limited/);
  await sentCount(page, 1);
  assert.deepEqual(await mine(page), [{ text: "first", status: "sent", retry: null }, { text: "second", status: "failed", retry: "Try again" }]);
  assert.equal(await widget(page, (root, id) => root.querySelector(`[data-id="${id}"]`)?.dataset.status, refused.clientId), "failed",
    "the event's clientId is the message's id");
  // Still within the minute: refused again, as a new message.
  await widget(page, (root) => root.querySelector("[data-act=retry]").click());
  await waitEvent(page, "lcw:error", `d.clientId !== undefined && d.clientId !== ${JSON.stringify(refused.clientId)}`);
  assert.deepEqual(await mine(page), [{ text: "first", status: "sent", retry: null }, { text: "second", status: "failed", retry: "Try again" }],
    "the earlier copy left the list");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("trying again after a refusal for good delivers the message once", async () => {
  // The server refuses the first "later" the page sends (as a closed
  // limit or a failure would); the retry goes through unchanged.
  const context = await browser.newContext();
  let refusedOnce = false;
  await context.routeWebSocket(/\/v1\/ws$/, (ws) => {
    const srv = ws.connectToServer();
    ws.onMessage((m) => {
      const f = JSON.parse(String(m));
      if (f.type === "send" && f.text === "later" && !refusedOnce) {
        refusedOnce = true;
        ws.send(JSON.stringify({ type: "error", code: "internal", message: "try later", clientId: f.clientId }));
      } else srv.send(m);
    });
    srv.onMessage((m) => ws.send(m));
  });
  const { ag, page, errors } = await agentChat(browser, server, PAGE, { context });
  await typeAll(page, ["later"]);
  const refused = await waitEvent(page, "lcw:error", "d.clientId !== undefined");
  assert.equal(refused.errorCode, 14);
  assert.deepEqual(await mine(page), [{ text: "later", status: "failed", retry: "Try again" }]);
  await widget(page, (root) => root.querySelector("[data-act=retry]").click());
  await sentCount(page, 1);
  assert.deepEqual(await mine(page), [{ text: "later", status: "sent", retry: null }], "the failed copy left the list");
  await ag.page.waitForFunction(() => window.__frames.some((f) => f.type === "message" && f.message.text === "later"));
  assert.equal((await ag.received()).filter((t) => t === "later").length, 1, "the agent has it once");
  assert.equal(await widget(page, (root) => root.activeElement?.id), "lcw-input", "focus went back to the input");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the agent console: replies over the rate limit stay pending and go after the server's wait, none lost", async () => {
  // Its own server: one conversation in the console.
  const own = await startChatServer({ config: `[rate_limits]\nper_conversation_per_minute = 60\n` + AGENT + widgetToml("w", "") });
  try {
    const { page: con, errors: conErrors } = await consoleAgent(browser, own.url);
    const { page, ctx, errors } = await openPage(browser, own.url, PAGE);
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw("startChat"));
    await con.waitForFunction(() => document.querySelectorAll("#waiting li, #mine li").length > 0);
    await con.click("#waiting li, #mine li");
    if (await con.isVisible("#accept")) await con.click("#accept");
    await con.waitForSelector("#composer:not([hidden])");
    // 63 replies in one task: 60 go, 3 are refused with the server's wait.
    const texts = Array.from({ length: 63 }, (_, i) => `r${i}`);
    await con.evaluate((all) => {
      const input = document.querySelector("#text"), form = document.querySelector("#composer");
      for (const t of all) { input.value = t; form.requestSubmit(); }
    }, texts);
    await con.waitForFunction(() => /wait/.test(document.querySelector("#status").textContent));
    await page.waitForFunction((n) => window.lcw("getMessages").filter((m) => m.sender === "agent").length >= n, texts.length);
    const got = await page.evaluate(() => window.lcw("getMessages").filter((m) => m.sender === "agent").map((m) => m.text));
    assert.deepEqual([...got].sort(), [...texts].sort(), "each reply once");
    assert.deepEqual(got.slice(0, 60), texts.slice(0, 60), "the first 60 in order");
    await con.waitForFunction(() => document.querySelectorAll("#messages li.pending").length === 0);
    assert.deepEqual([...errors, ...conErrors], []);
    await ctx.close();
    await con.context().close();
  } finally {
    await own.stop();
  }
});
