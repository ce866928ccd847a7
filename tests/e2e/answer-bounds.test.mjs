// The chat server's answers are bounded: a request that gets no answer
// within 30 s is code 14 then (the time is Playwright's fake clock here,
// moved on by hand; the same deadline covers reading the answer's text);
// an answer whose Content-Length is over 4 MiB is refused unread. Before,
// `startChat` waited for ever on a server that did not answer, and a
// 20 MB answer was read whole before it was refused as malformed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PAGE = "/config.html?data-server=/&data-widget=demo&data-ui=none";
const START = /\/v1\/conversations$/;

/** A page whose chat start goes to `handler` instead of the server. */
async function pageWith(handler, { clock = false } = {}) {
  const context = await browser.newContext();
  if (clock) await context.clock.install();
  const seen = [];
  await context.route(START, (route) => { seen.push(route.request().method()); return handler(route); });
  const { page, errors } = await openPage(browser, server.url, PAGE, { context });
  await waitEvent(page, "lcw:ready");
  return { context, page, errors, seen };
}

/** Calls startChat; its outcome (settled or not) is kept in the page. */
const startChat = (page) => page.evaluate(() => {
  window.__start = "pending";
  window.lcw.sdk.startChat().then(() => { window.__start = "resolved"; }, (e) => { window.__start = `rejected ${e?.code}`; });
});

test("a server that never answers: startChat ends with code 14 after 30 s, not never", async () => {
  const { context, page, errors, seen } = await pageWith(() => { /* never answered */ }, { clock: true });
  await startChat(page);
  for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(seen, ["POST"], "the start was sent");
  await context.clock.fastForward(29000);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").length), 0, "not before 30 s");
  await context.clock.fastForward(1500);
  const e = await waitEvent(page, "lcw:error", "d.errorCode === 14");
  assert.match(e.errorDescription, /did not answer POST .*\/v1\/conversations within 30 s/);
  await page.waitForFunction(() => window.__start !== "pending");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an answer that says it is over 4 MiB is refused unread", async () => {
  const big = JSON.stringify({ conversation: { id: "c" }, pad: "x".repeat(5 << 20) });
  const { context, page, errors } = await pageWith((route) => route.fulfill({ status: 200, contentType: "application/json", body: big }));
  await startChat(page);
  const e = await waitEvent(page, "lcw:error", "d.errorCode === 14");
  assert.match(e.errorDescription, /answer to POST .*\/v1\/conversations is over 4 MiB/);
  await page.waitForFunction(() => window.__start !== "pending");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a refusal or an answer within the bounds is read as before", async () => {
  // A refusal's body names the reason.
  const refused = await pageWith((route) => route.fulfill({ status: 403, contentType: "application/json",
    body: JSON.stringify({ code: "origin_not_allowed", message: "not from here" }) }));
  await startChat(refused.page);
  const e = await waitEvent(refused.page, "lcw:error", "d.errorCode === 14");
  assert.match(e.errorDescription, /not from here \(origin_not_allowed\)/);
  await refused.context.close();
  // The server's own answer, with 3 MiB more in a field the SDK does not
  // know: read in many chunks, under the cap, and the chat starts.
  const ok = await pageWith(async (route) => {
    const resp = await route.fetch();
    const json = await resp.json();
    return route.fulfill({ response: resp, json: { ...json, pad: "é".repeat(3 << 19) } });
  });
  await startChat(ok.page);
  await waitEvent(ok.page, "lcw:startChat");
  await ok.page.waitForFunction(() => window.__start === "resolved");
  assert.deepEqual(ok.errors, []);
  await ok.context.close();
});
