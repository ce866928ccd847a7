// closeChat reaches the chat server although the network or the server
// fails at first: the agent must not wait for a visitor who left. Before,
// one failed POST …/close was code 14 and the conversation stayed open on
// the server for good.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });


for (const ui of ["none", "default"]) {
  test(`${ui === "none" ? "core" : "full"} build: a close that fails (network, 503, rate_limited) is tried again until the server has it`, async () => {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const answers = [];
    await context.route(/\/v1\/conversations\/[^/]+\/close$/, (route) => {
      answers.push(Date.now());
      const n = answers.length;
      if (n === 1) return route.abort("internetdisconnected");
      if (n === 2) return route.fulfill({ status: 503, body: "upstream down" });
      if (n === 3) return route.fulfill({ status: 429, contentType: "application/json",
        body: JSON.stringify({ code: "rate_limited", message: "slow down", retryAfterMs: 300 }) });
      return route.continue();
    });
    const { page, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=demo&data-ui=${ui}`, { context });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw.sdk.startChat());
    await waitEvent(page, "lcw:startChat");
    const id = await page.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat")).conversationId);
    assert.match(id, /^conv_/);
    await page.evaluate(() => window.lcw.sdk.closeChat());
    await waitEvent(page, "lcw:closeChat");
    await ag.page.waitForFunction((c) => window.__frames.some((f) => f.type === "agent_conversation_updated" &&
      (f.conversation.conversation || f.conversation).id === c && (f.conversation.conversation || f.conversation).state === "closed"), id, { timeout: 15000 });
    assert.equal(answers.length, 4, "three failures, then the server");
    // Backoff 1 s, then 2 s; the 429's own wait (300 ms).
    const gaps = answers.slice(1).map((t, i) => t - answers[i]);
    assert.ok(gaps[0] >= 900 && gaps[1] >= 1900 && gaps[2] >= 250 && gaps[2] < 1500, `gaps ${gaps}`);
    const codes = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode));
    assert.deepEqual(codes, [], "no error: the close arrived");
    assert.deepEqual(errors, []);
    await context.close();
    await ag.page.context().close();
  });
}

test("a close the server refuses for good (404) is not tried again, and is reported", async () => {
  const ag = await agent(browser, server.url);
  const context = await browser.newContext();
  let tries = 0;
  await context.route(/\/v1\/conversations\/[^/]+\/close$/, (route) => {
    tries++;
    return route.fulfill({ status: 404, contentType: "application/json", body: JSON.stringify({ code: "not_found", message: "no such conversation" }) });
  });
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { context });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => window.lcw.sdk.startChat());
  await waitEvent(page, "lcw:startChat");
  await page.evaluate(() => window.lcw.sdk.closeChat());
  const e = await waitEvent(page, "lcw:error", "d.errorCode === 14");
  assert.match(e.errorDescription, /not_found/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(tries, 1);
  assert.deepEqual(errors, []);
  await context.close();
  await ag.page.context().close();
});

// The tab is closed, or a link followed, while a close waits to be tried
// again: the wait ends with the page (`pagehide`) and the try goes out as a
// keepalive request, which outlives the page. Before, the close waited for
// its timer in a page that was gone, and never arrived.
for (const leave of ["navigates away", "is closed"]) {
  test(`a close waiting to be tried again goes out when the page ${leave}`, async () => {
    const ag = await agent(browser, server.url);
    const context = await browser.newContext();
    const CLOSE = /\/v1\/conversations\/[^/]+\/close$/;
    let refused = 0;
    // One refusal that asks for a 10 s wait: longer than this test waits.
    await context.route(CLOSE, (route) => {
      refused++;
      return route.fulfill({ status: 429, contentType: "application/json",
        body: JSON.stringify({ code: "rate_limited", message: "slow down", retryAfterMs: 10000 }) });
    });
    const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { context });
    await waitEvent(page, "lcw:ready");
    await page.evaluate(() => window.lcw.sdk.startChat());
    await waitEvent(page, "lcw:startChat");
    const id = await page.evaluate(() => JSON.parse(localStorage.getItem("lcw_chat")).conversationId);
    // Not awaited: closeChat settles once the server has the close.
    await page.evaluate(() => { window.lcw.sdk.closeChat(); });
    const until = Date.now() + 5000;
    while (refused === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(refused, 1, "the first try was refused");
    await context.unroute(CLOSE);
    assert.deepEqual(errors, []);
    if (leave === "is closed") await page.close({ runBeforeUnload: true });
    else await page.goto("about:blank");
    const closed = await ag.page.waitForFunction((c) => window.__frames.some((f) => f.type === "agent_conversation_updated" &&
      (f.conversation.conversation || f.conversation).id === c && (f.conversation.conversation || f.conversation).state === "closed"), id, { timeout: 5000 })
      .then(() => true, () => false);
    assert.ok(closed, "the agent saw the conversation closed within 5 s of the page going");
    await context.close();
    await ag.page.context().close();
  });
}
