// Proactive rules from the chat server's widget configuration
// (`proactiveRules`): they run on a page that gives no rules of its own,
// with or without the default widget; a page's own rules take their place;
// an invalid server rule is lcw:error 11 and the others run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";

const RULE = `{ id = "from-server", when = { type = "timeOnPage", ms = 300 }, action = { message = "From the <b>server</b>", context = { Source = "server" } } }`;
const CONFIG = widgetToml("srv", `proactiveRules = [ ${RULE} ]`) +
  widgetToml("srvbad", `proactiveRules = [ { id = "broken", when = { type = "noSuchCondition" }, action = { message = "never" } }, ${RULE} ]`);

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ config: CONFIG }); });
after(async () => { await browser?.close(); await server?.stop(); });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const errorsOf = (page) => page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail));

for (const ui of ["none", "default"]) {
  test(`data-ui=${ui}, no rules on the page: the server's rule invites, and its context reaches the chat`, async () => {
    const { page, ctx, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=srv&data-ui=${ui}`);
    await waitEvent(page, "lcw:ready");
    const shown = await waitEvent(page, "lcw:proactiveInviteShown");
    assert.deepEqual(shown, { ruleId: "from-server", message: "From the <b>server</b>" });
    const text = await page.evaluate(() => document.querySelector("[data-lcw-invite]").shadowRoot.querySelector(".msg").textContent);
    assert.equal(text, "From the <b>server</b>", "shown as text");
    await page.locator("[data-lcw-invite] button.accept").click();
    const start = await waitEvent(page, "lcw:startChat");
    assert.equal(start.context.Source.value, "server");
    assert.equal(start.context["Proactive Chat"].value, "True");
    assert.deepEqual(await errorsOf(page), []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => window.lcw("closeChat"));
    await ctx.close();
  });
}

test("the page's own rules take the place of the server's", async () => {
  const rules = encodeURIComponent(JSON.stringify([{ id: "from-page", when: { type: "timeOnPage", ms: 300 }, action: { message: "From the page" } }]));
  const { page, ctx, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=srv&data-ui=none&data-proactive-rules=${rules}`);
  await waitEvent(page, "lcw:ready");
  const shown = await waitEvent(page, "lcw:proactiveInviteShown");
  assert.equal(shown.ruleId, "from-page");
  await pause(1000);
  const ids = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:proactiveInviteShown").map((e) => e.detail.ruleId));
  assert.deepEqual(ids, ["from-page"], "the server's rule never runs");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("rules set by the page after the server's replace them", async () => {
  const { page, ctx, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=srv&data-ui=none");
  await waitEvent(page, "lcw:ready");
  // Wait until the server's configuration has been read (its invite is due at 300 ms).
  await waitEvent(page, "lcw:proactiveInviteShown", "d.ruleId === 'from-server'");
  await page.locator("[data-lcw-invite] button.dismiss").click();
  // No gap after the first invite (the default is 30 s between invites).
  await page.evaluate(() => window.lcw("setProactiveRules", { settings: { minGapMs: 0 },
    rules: [{ id: "later", when: { type: "timeOnPage", ms: 100 }, action: { message: "Set later" } }] }));
  const shown = await waitEvent(page, "lcw:proactiveInviteShown", "d.ruleId === 'later'");
  assert.equal(shown.message, "Set later");
  await pause(500);
  const ids = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:proactiveInviteShown").map((e) => e.detail.ruleId));
  assert.deepEqual(ids, ["from-server", "later"]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("an invalid server rule is lcw:error 11 naming it; the other rule runs", async () => {
  const { page, ctx } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=srvbad&data-ui=none");
  await waitEvent(page, "lcw:ready");
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 11");
  assert.match(err.errorDescription, /broken/);
  const shown = await waitEvent(page, "lcw:proactiveInviteShown");
  assert.equal(shown.ruleId, "from-server");
  await ctx.close();
});
