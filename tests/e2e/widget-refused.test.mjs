// A message the chat server refuses (here: too many too fast) is not lost
// silently: lcw:error 14 names it by the clientId sendMessage returned, the
// default widget marks it "Not sent" (not "Sending…" forever) with a
// "Try again" button, and trying again sends its text as a new message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";
import { agentChat } from "./widget-kit.mjs";

let browser, server;
// 60 per minute: a burst of 60, then one more each second.
before(async () => {
  browser = await launch();
  server = await startChatServer({ config: `[rate_limits]\nper_conversation_per_minute = 60\n[[agents]]\nid = "a"\nusername = "demo"\npassword = "demo"\ndisplay_name = "Ada"\ncapacity = 5\n` + widgetToml("w", "") });
});
after(async () => { await browser?.close(); await server?.stop(); });

const widget = (page, fn, arg) => page.evaluate(([f, a]) => new Function("root", "arg", `return (${f})(root, arg)`)(document.querySelector("[data-lcw-widget]").shadowRoot, a), [String(fn), arg]);
/** The visitor's messages in the list: text, delivery state, whether it offers "Try again". */
const mine = (page) => widget(page, (root) => [...root.querySelectorAll(".msg-visitor")].map((m) => ({
  text: m.querySelector(".text").textContent, status: m.dataset.status, retry: m.querySelector("[data-act=retry]")?.textContent ?? null })));

test("a refused message: lcw:error with its clientId, 'Not sent' with 'Try again' in the widget; trying again delivers it once", async () => {
  const { ag, page, ctx, errors } = await agentChat(browser, server, "/config.html?data-server=/&data-widget=w");
  // 61 messages typed and sent from the composer in one task: the 61st is over the limit.
  await widget(page, (root) => {
    const input = root.querySelector("textarea"), form = root.querySelector("form.composer");
    for (let i = 0; i < 61; i++) { input.value = `m${i}`; form.requestSubmit(); }
  });
  const refused = await waitEvent(page, "lcw:error", "d.clientId !== undefined");
  assert.equal(refused.errorCode, 14);
  assert.match(refused.errorDescription, /refused/);
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor[data-status=sent]").length === 60);
  const failed = (await mine(page)).filter((m) => m.status !== "sent");
  assert.deepEqual(failed, [{ text: "m60", status: "failed", retry: "Try again" }], "the refused one, not 'Sending…'");
  assert.equal(await widget(page, (root, id) => root.querySelector(`[data-id="${id}"]`)?.dataset.status, refused.clientId), "failed",
    "the event's clientId is the message's id");

  // One token comes back each second.
  await page.waitForTimeout(1100);
  await widget(page, (root) => root.querySelector("[data-act=retry]").click());
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelectorAll(".msg-visitor[data-status=sent]").length === 61);
  const after = await mine(page);
  assert.equal(after.length, 61, "the failed copy left the list");
  assert.deepEqual(after.at(-1), { text: "m60", status: "sent", retry: null }, "sent again, at the end");
  await ag.page.waitForFunction(() => window.__frames.some((f) => f.type === "message" && f.message.text === "m60"));
  assert.equal((await ag.received()).filter((t) => t === "m60").length, 1, "the agent has it once");
  assert.equal(await widget(page, (root) => root.activeElement?.id), "lcw-input", "focus went back to the input");
  assert.deepEqual(errors, []);
  await ctx.close();
});
