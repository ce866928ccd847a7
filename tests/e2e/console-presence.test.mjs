// The agent console shows whether the visitor is still there: a visitor
// who closes the tab (without ending the chat) is shown away, with since
// when, and no longer once the chat is open again in a page. Before, the
// console could not tell a visitor reading from one who had gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, consoleAgent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";

test("the console shows the visitor away when their tab closes, and back when the chat is open again", async () => {
  const agent = await consoleAgent(browser, server.url);
  const context = await browser.newContext();
  const { page, errors } = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw.sdk.startChat());
  await waitEvent(page, "lcw:startChat");
  await agent.page.waitForSelector("#mine li");
  await agent.page.click("#mine li");
  await agent.page.waitForSelector("#composer:not([hidden])");
  await page.evaluate(() => window.lcw.sdk.sendMessage("still here"));
  await agent.page.waitForFunction(() => document.getElementById("messages").textContent.includes("still here"));
  const state = () => agent.page.textContent("#conv-state");
  assert.doesNotMatch(await state(), /away/, "the visitor's page is open");
  assert.doesNotMatch(await agent.page.textContent("#mine li"), /away/);
  assert.deepEqual(errors, []);

  const closedAt = Date.now();
  await page.close();
  await agent.page.waitForFunction(() => document.getElementById("conv-state").textContent.includes("visitor away since"), null, { timeout: 5000 });
  assert.match(await agent.page.textContent("#mine li"), /visitor away/);
  const since = await agent.page.textContent("#conv-state");
  const around = [-1000, 0, 1000, 2000].map((d) => new Date(closedAt + d).toLocaleTimeString("en-US"));
  assert.ok(around.some((t) => since.includes(t)), `${since} (closed around ${around})`);

  // The chat open again in a page of the same browser: back.
  const again = await context.newPage();
  await again.goto(server.url + PAGE);
  await agent.page.waitForFunction(() => !document.getElementById("conv-state").textContent.includes("away"), null, { timeout: 10000 });
  assert.doesNotMatch(await agent.page.textContent("#mine li"), /away/);
  assert.deepEqual(agent.errors, []);
  await context.close();
  await agent.page.context().close();
});
