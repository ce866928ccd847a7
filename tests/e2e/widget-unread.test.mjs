// The launcher counts the agent's messages that come while the chat window
// is closed (a badge, and the same count in words for screen readers),
// clears the count when the window opens, and does not count again what
// the visitor saw before a reload. While the page is hidden (the visitor is in
// another tab), the page's title counts them too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";
import { agentChat, setHidden } from "./widget-kit.mjs";

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

test("agent replies while the window is minimized: the launcher shows how many; opening clears it; what was seen is not counted again", async () => {
  const { ag, conv, page, ctx, errors } = await agentChat(browser, server, PAGE);
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

  // A reload shows the history again: what the visitor saw is not
  // counted again; "third", never shown, still is (read receipts,
  // widget-read.test.mjs).
  await page.reload();
  await waitEvent(page, "lcw:chatRetrieved");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelectorAll(".msg-agent").length >= 4);
  assert.equal((await badge(page)).count, "1", "only the unread one of the history");
  await agentSays(page, ag, conv, "after the reload");
  assert.equal((await badge(page)).count, "2");
  assert.deepEqual(errors, []);
  await ctx.close();
});

const title = (page) => page.evaluate(() => document.title);

/** A chat on `base` (a server) with widget `widget`, the page titled "Shop". */
const chatOn = (base, widget) => agentChat(browser, base, `/config.html?data-server=/&data-widget=${widget}`,
  { before: (page) => page.evaluate(() => { document.title = "Shop"; }) });

test("while the page is hidden its title counts the agent's messages; shown again, it is the page's own; a title the page set is kept", async () => {
  const { ag, page, ctx, errors, conv } = await chatOn(server, "demo");
  await agentSays(page, ag, conv, "while shown");
  assert.equal(await title(page), "Shop", "a visible page's title is left alone");
  await setHidden(page, true);
  await agentSays(page, ag, conv, "one");
  assert.equal(await title(page), "(1) Shop");
  await agentSays(page, ag, conv, "two");
  assert.equal(await title(page), "(2) Shop");
  await page.evaluate(() => window.lcw("sendMessage", "typed in another window"));
  await waitEvent(page, "lcw:onMessageSent", `d.text === "typed in another window"`);
  assert.equal(await title(page), "(2) Shop", "the visitor's own messages are not counted");
  await setHidden(page, false);
  assert.equal(await title(page), "Shop", "restored when the visitor comes back");

  // The page renames itself while the count shows: the count moves onto its title, and its title stays.
  await setHidden(page, true);
  await agentSays(page, ag, conv, "three");
  await page.evaluate(() => { document.title = "Checkout"; });
  await agentSays(page, ag, conv, "four");
  assert.equal(await title(page), "(2) Checkout");
  await page.evaluate(() => { document.title = "Paid"; });
  await setHidden(page, false);
  assert.equal(await title(page), "Paid", "a title the page set is never replaced");

  // Removing the SDK puts the title back.
  await setHidden(page, true);
  await agentSays(page, ag, conv, "five");
  assert.equal(await title(page), "(1) Paid");
  await page.evaluate(() => window.lcw("destroy"));
  assert.equal(await title(page), "Paid", "destroy() restores it");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a widget configured with titleAlert = false leaves the page's title alone", async () => {
  const quiet = await startChatServer({ config: `[[agents]]\nid = "a"\nusername = "demo"\npassword = "demo"\ndisplay_name = "Agent"\ncapacity = 5\n`
    + widgetToml("quiet", `theme = { titleAlert = false }`) });
  try {
    const { ag, page, ctx, errors, conv } = await chatOn(quiet, "quiet");
    await setHidden(page, true);
    await agentSays(page, ag, conv, "one");
    await agentSays(page, ag, conv, "two");
    assert.equal(await title(page), "Shop");
    assert.equal((await badge(page)).shown, false, "the window is open: no badge either");
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await quiet.stop();
  }
});
