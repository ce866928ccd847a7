// sendTyping() for a page that draws its own chat (core build): the agent
// hears "typing" once however often the page calls it, then "stopped" on
// sendTyping(false) or by itself 3 s after the last call (the page's clock
// is Playwright's). Bad arguments throw a typed Error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";

test("sendTyping(): told once, stopped on false or after 3 s without a call; false without a chat; a non-boolean throws", async () => {
  const ag = await agent(browser, server.url);
  const context = await browser.newContext();
  await context.clock.install();
  const { page, errors } = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(page, "lcw:ready");
  assert.equal(await page.evaluate(() => window.lcw("sendTyping")), false, "no chat to tell");
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.firstConversation();
  await page.waitForFunction(() => window.lcw("getMessages").some((m) => m.sender === "system"));
  const heard = () => ag.page.evaluate((id) => window.__frames.filter((f) => f.type === "typing" && f.conversationId === id).map((f) => f.isTyping), conv);
  /** Whatever the page sent before has reached the agent: a message after it. */
  const roundTrip = async (text) => {
    await page.evaluate((t) => window.lcw("sendMessage", t), text);
    await ag.page.waitForFunction((t) => window.__frames.some((f) => f.type === "message" && f.message.text === t), text);
  };

  // Five keystrokes: one "typing".
  for (let i = 0; i < 5; i++) assert.equal(await page.evaluate(() => window.lcw("sendTyping")), true);
  await roundTrip("one");
  assert.deepEqual(await heard(), [true]);
  // Keystrokes keep it on; 3 s after the last one it stops by itself.
  await context.clock.fastForward(2_000);
  await page.evaluate(() => window.lcw("sendTyping", true));
  await context.clock.fastForward(2_000);
  await roundTrip("two");
  assert.deepEqual(await heard(), [true], "2 s after the last call: still typing");
  await context.clock.fastForward(1_500);
  await ag.page.waitForFunction((id) => window.__frames.filter((f) => f.type === "typing" && f.conversationId === id).length === 2, conv);
  assert.deepEqual(await heard(), [true, false]);
  // Said outright; a second false says nothing more.
  await page.evaluate(() => { window.lcw("sendTyping", true); window.lcw("sendTyping", false); window.lcw("sendTyping", false); });
  await roundTrip("three");
  assert.deepEqual(await heard(), [true, false, true, false]);
  // Anything but a boolean: a typed error, nothing sent.
  const thrown = await page.evaluate(() => { try { window.lcw("sendTyping", "yes"); return null; } catch (e) { return [e instanceof Error, e.code]; } });
  assert.deepEqual(thrown, [true, "LCW_INVALID_ARGUMENT"]);
  await roundTrip("four");
  assert.deepEqual(await heard(), [true, false, true, false]);
  assert.deepEqual(errors, []);
  await context.close();
});
