// Proactive chat in Debian's Chromium with a controlled clock (Playwright's
// page.clock): the eight SPEC §3 scenarios configured as a site owner would
// (rules in a data-proactive-rules attribute or createSdk options); each
// asserts the text, the context, exactly once and not before its time. The
// rest of the proactive behaviour is in proactive-page.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitEvent } from "./browser.mjs";
import { useProactiveKit, server, browser, T0, recordEvents, clockContext, open, invite, events, run, ctxValue, showsAt, acceptAndGetContext } from "./proactive-kit.mjs";

useProactiveKit();

test("scenario 1, time on page: invite at 20 s (not at 19.9 s), once, context has page URL and time", async () => {
  const { page, ctx, errors } = await open("/t/proactive/time.html");
  const shown = await showsAt(page, 20_000);
  assert.deepEqual(shown, { ruleId: "time-on-page", message: "Need help choosing a plan?" });
  const inv = await invite(page);
  assert.equal(inv.message, "Need help choosing a plan?");
  assert.equal(inv.role, "dialog");
  assert.equal(inv.inlineStyles, 0, "no inline style attributes");
  const start = await acceptAndGetContext(page);
  assert.deepEqual(start.context["Proactive Chat"], { value: "True", isDisplayable: true });
  assert.match(ctxValue(start, "Page URL"), /\/t\/proactive\/time\.html$/);
  assert.equal(ctxValue(start, "Time On Page"), 20);
  assert.deepEqual(await events(page, "lcw:proactiveInviteAccepted"), [{ ruleId: "time-on-page" }]);
  assert.equal(await invite(page), null, "bubble gone after accepting");
  await run(page, 300_000);
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 1, "exactly once");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("scenario 2, repeat visits: 3rd visit invites after 5 s, then the counter restarts", async () => {
  const ctx = await clockContext();
  const visit = async () => (await open("/t/proactive/welcome.html", { ctx })).page;
  for (const n of [1, 2]) {
    const page = await visit();
    assert.equal(await page.evaluate(() => window.lcw.sdk.visitCounts().page), n);
    await run(page, 10_000);
    assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 0, `no invite on visit ${n}`);
    await page.close();
  }
  const third = await visit();
  assert.equal(await third.evaluate(() => window.lcw.sdk.visitCounts().page), 3);
  const shown = await showsAt(third, 5_000);
  assert.equal(shown.message, "Welcome back! Can we help?");
  assert.equal(await third.evaluate(() => window.lcw.sdk.visitCounts().page), 0, "counter reset when shown");
  const start = await acceptAndGetContext(third);
  assert.equal(ctxValue(start, "Visit Count"), 3);
  await third.close();
  for (const n of [1, 2]) {
    const page = await visit();
    assert.equal(await page.evaluate(() => window.lcw.sdk.visitCounts().page), n, "counting starts over");
    await run(page, 20_000);
    assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 0);
    await page.close();
  }
  const again = await visit();
  await showsAt(again, 5_000);
  const cookies = (await ctx.cookies()).filter((c) => c.name.startsWith("shop_"));
  assert.ok(cookies.length >= 1 && cookies.every((c) => /^[\d.]+$/.test(c.value)), "plain, parseable cookie values");
  await ctx.close();
});

test("scenario 3, case status: message built from page data after 10 s; context carries the case id", async () => {
  const { page, ctx } = await open("/t/proactive/cases/CAS-001.html");
  const shown = await showsAt(page, 10_000);
  assert.equal(shown.message, "Hi! Just to let you know, the case: CAS-001 is in progress. Any question?");
  assert.equal((await invite(page)).message, shown.message);
  const start = await acceptAndGetContext(page);
  assert.equal(ctxValue(start, "Case Id"), "CAS-001");
  assert.equal(ctxValue(start, "Proactive Chat"), "True");
  await ctx.close();
});

test("scenario 4, exit intent: only after 15 s, only at the top edge, once per visit", async () => {
  const { page, ctx } = await open("/t/proactive/exit.html");
  const leave = (clientY) => page.evaluate((y) => document.documentElement.dispatchEvent(
    new MouseEvent("mouseout", { bubbles: true, clientX: 200, clientY: y, relatedTarget: null })), clientY);
  await run(page, 10_000);
  await leave(0);
  assert.equal(await invite(page), null, "too early");
  await run(page, 5_000);
  assert.equal(await invite(page), null, "15 s alone does not invite");
  await leave(300);
  assert.equal(await invite(page), null, "leaving sideways / into the page is no exit intent");
  await leave(-2);
  assert.equal((await invite(page))?.message, "Before you go: can we help?");
  await page.locator("[data-lcw-invite] button.dismiss").click();
  assert.deepEqual(await events(page, "lcw:proactiveInviteDismissed"), [{ ruleId: "exit-intent" }]);
  await run(page, 120_000);
  await leave(0);
  assert.equal(await invite(page), null, "once per visit");
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 1);
  await ctx.close();
});

test("scenario 5, came from the compare page: invite after 15 s with page and previous page", async () => {
  const ctx = await clockContext();
  const page = await ctx.newPage();
  await page.addInitScript(recordEvents);
  await page.goto(server.url + "/t/proactive/compare.html");
  await page.click("#to-plan");
  await waitEvent(page, "lcw:ready");
  const shown = await showsAt(page, 15_000);
  assert.equal(shown.message, "Still comparing? Ask us anything.");
  const start = await acceptAndGetContext(page);
  assert.match(ctxValue(start, "Page"), /\/t\/proactive\/plan\.html$/);
  assert.match(ctxValue(start, "Previous Page"), /\/t\/proactive\/compare\.html$/);
  await ctx.close();

  const other = await open("/t/proactive/plan.html", { referer: server.url + "/t/proactive/time.html" });
  await run(other.page, 60_000);
  assert.equal((await events(other.page, "lcw:proactiveInviteShown")).length, 0, "another referrer: no invite");
  await other.ctx.close();
});

test("scenario 6, country: the page's country source answers FR, the invite shows; not asked when no rule needs it", async () => {
  const { page, ctx } = await open("/t/proactive/country.html");
  const shown = await waitEvent(page, "lcw:proactiveInviteShown");
  assert.equal(shown.message, "Bonjour ! Une question ?");
  assert.equal(await page.evaluate(() => window.__countryAsked), 1);
  const start = await acceptAndGetContext(page);
  assert.equal(ctxValue(start, "Country"), "FR");
  await ctx.close();

  const quiet = await open("/t/proactive/time.html");
  await quiet.page.evaluate(() => window.lcw.sdk.setCountrySource(() => { window.__countryAsked = 1; return "FR"; }));
  await run(quiet.page, 1000);
  assert.equal(await quiet.page.evaluate(() => window.__countryAsked), undefined, "no country rule: source never asked");
  await quiet.ctx.close();
});

test("scenario 6, country from geolocation + the site's geocoder; a throwing source is code 13 once", async () => {
  const ctx = await clockContext({ permissions: ["geolocation"], geolocation: { latitude: 48.8566, longitude: 2.3522 } });
  const { page } = await open("/t/proactive/manual.html", { ctx, rules: false });
  await page.evaluate(() => {
    window.lcw.sdk.useGeolocationCountry((lat, lon) => Promise.resolve(lat > 41 && lat < 51 && lon > -5 && lon < 9 ? "fr" : "us"));
    window.lcw.sdk.setProactiveRules([{ id: "fr", when: { type: "country", in: ["FR"] }, action: { message: "Bonjour" } }]);
  });
  assert.equal((await waitEvent(page, "lcw:proactiveInviteShown")).ruleId, "fr");
  await page.evaluate(() => {
    window.lcw.sdk.setCountrySource(() => { throw new Error("geo service down"); });
  });
  await run(page, 100);
  const errs = (await events(page, "lcw:error")).filter((e) => e.errorCode === 13);
  assert.equal(errs.length, 1);
  assert.match(errs[0].errorDescription, /geo service down/);
  await ctx.close();
});

test("scenario 7, date window: invites inside it; end < start is lcw:error 11 naming the rule, the other rule runs", async () => {
  const { page, ctx } = await open("/t/proactive/dates.html");
  const errs = (await events(page, "lcw:error"));
  assert.equal(errs.length, 1);
  assert.equal(errs[0].errorCode, 11);
  assert.match(errs[0].errorDescription, /broken-window/);
  const shown = await showsAt(page, 3_000);
  assert.equal(shown.ruleId, "winter-sale");
  await ctx.close();

  const late = await open("/t/proactive/dates.html", { time: Date.parse("2025-02-05T10:00:00Z") });
  await run(late.page, 60_000);
  assert.equal((await events(late.page, "lcw:proactiveInviteShown")).length, 0, "outside the window");
  await late.ctx.close();
});

test("scenario 8, pre-chat question: Yes starts the chat, No dismisses", async () => {
  const { page, ctx } = await open("/t/proactive/consent.html");
  await showsAt(page, 10_000);
  const inv = await invite(page);
  assert.equal(inv.message, "Hi! I'm here to help.");
  assert.equal(inv.question, "Do you wish to start a chat?");
  assert.deepEqual(inv.buttons, ["No", "Yes"]);
  await page.locator("[data-lcw-invite] button", { hasText: "Yes" }).click();
  const start = await waitEvent(page, "lcw:startChat");
  assert.equal(ctxValue(start, "Proactive Chat"), "True");
  await ctx.close();

  const no = await open("/t/proactive/consent.html");
  await run(no.page, 10_000);
  await no.page.locator("[data-lcw-invite] button", { hasText: "No" }).click();
  assert.deepEqual(await events(no.page, "lcw:proactiveInviteDismissed"), [{ ruleId: "consent" }]);
  assert.equal((await events(no.page, "lcw:startChat")).length, 0);
  assert.equal(await invite(no.page), null);
  await no.ctx.close();
});
