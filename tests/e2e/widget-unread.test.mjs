// The launcher counts the agent's messages that come while the chat window
// is closed (a badge, and the same count in words for screen readers),
// clears the count when the window opens, and never counts the history a
// reloaded page shows again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo";

/** The launcher's badge and its words, as shown. */
const badge = (page) => page.evaluate(() => {
  const l = document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(".launcher");
  const b = l.querySelector(".unread");
  const words = l.querySelector(".sr-only");
  return { shown: !b.hidden && b.getBoundingClientRect().width > 0, count: b.textContent, words: words.textContent, live: words.getAttribute("aria-live"), name: l.textContent.trim() };
});
const click = (page, sel) => page.evaluate((s) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s).click(), sel);
const agentSays = async (page, ag, conv, text) => {
  await ag.send(conv, text);
  await waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(text)}`);
};

test("agent replies while the window is minimized: the launcher shows how many; opening clears it; history is not counted", async () => {
  const ag = await agent(browser, server.url);
  const { page, ctx, errors } = await openPage(browser, server.url, PAGE);
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.firstConversation();
  await agentSays(page, ag, conv, "seen while open");
  await click(page, "[data-act=minimize]");
  assert.deepEqual((await badge(page)).shown, false, "nothing unread yet");

  await agentSays(page, ag, conv, "first while minimized");
  await agentSays(page, ag, conv, "second while minimized");
  const two = await badge(page);
  assert.deepEqual({ shown: two.shown, count: two.count, words: two.words, live: two.live }, { shown: true, count: "2", words: "Unread messages: 2", live: "polite" });
  assert.match(two.name, /Unread messages: 2/, "part of the launcher's accessible text");
  await page.evaluate(() => window.lcw("setLocale", "fr"));
  assert.equal((await badge(page)).words, "Messages non lus : 2", "the words follow the language");
  await page.evaluate(() => window.lcw("setLocale", "en"));

  await click(page, ".launcher");
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const cleared = await badge(page);
  assert.deepEqual({ shown: cleared.shown, count: cleared.count, words: cleared.words }, { shown: false, count: "", words: "" }, "opening the window clears it");
  await click(page, "[data-act=minimize]");
  await agentSays(page, ag, conv, "third");
  assert.equal((await badge(page)).count, "1", "counting starts again");

  // A reload shows the history again: none of it is new.
  await page.reload();
  await waitEvent(page, "lcw:chatRetrieved");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelectorAll(".msg-agent").length >= 4);
  assert.equal((await badge(page)).shown, false, "history is not unread");
  await agentSays(page, ag, conv, "after the reload");
  assert.equal((await badge(page)).count, "1");
  assert.deepEqual(errors, []);
  await ctx.close();
});
