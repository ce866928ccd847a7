// Proactive chat in Debian's Chromium with a controlled clock, beyond the
// eight scenarios: SPA navigation, XSS, keyboard, auto-expiry,
// startProactiveChat, run-time rules, destroy, an idle-page timer check,
// the demo page, a strict CSP and consent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitEvent } from "./browser.mjs";
import { corner, assertAbove } from "./invite-layout.mjs";
import { useProactiveKit, server, browser, T0, recordEvents, clockContext, open, invite, events, run, ctxValue, showsAt, acceptAndGetContext } from "./proactive-kit.mjs";

useProactiveKit();

test("SPA navigation: pushState starts a new page view (time restarts, URL rules re-evaluate); popstate too", async () => {
  const { page, ctx } = await open("/t/proactive/spa.html");
  await run(page, 15_000);
  await page.evaluate(() => history.pushState({}, "", "/t/proactive/spa/pricing"));
  await showsAt(page, 20_000); // 20 s after the navigation, not 5 s
  const start = await acceptAndGetContext(page);
  assert.match(ctxValue(start, "Page URL"), /\/spa\/pricing$/);
  assert.equal(ctxValue(start, "Time On Page"), 20);
  await ctx.close();

  const back = await open("/t/proactive/spa.html");
  await back.page.evaluate(() => history.pushState({}, "", "/t/proactive/spa/pricing"));
  await run(back.page, 10_000);
  await back.page.evaluate(() => history.back());
  await back.page.waitForFunction(() => location.pathname.endsWith("spa.html"));
  await run(back.page, 60_000);
  assert.equal((await events(back.page, "lcw:proactiveInviteShown")).length, 0, "left the pricing page: no invite");
  await back.ctx.close();
});

test("XSS: markup in the message template and in page data renders as text and never runs", async () => {
  const { page, ctx } = await open("/t/proactive/cases/xss.html");
  await run(page, 10_000);
  const inv = await invite(page);
  assert.ok(inv, "invite shown");
  assert.equal(inv.message, "<b>Case</b> <img src=x onerror=window.__pwned=2><script>window.__pwned=3</script> <img src=x onerror=\"window.__pwned=1\">");
  assert.ok(!inv.elements.some((n) => ["img", "b", "script"].includes(n)), `no element from data: ${inv.elements}`);
  await run(page, 1000);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const start = await acceptAndGetContext(page);
  assert.match(ctxValue(start, "Case Id"), /^<img src=x/);
  await ctx.close();
});

test("keyboard: focus is not stolen, Tab reaches accept, Escape dismisses", async () => {
  const { page, ctx } = await open("/t/proactive/consent.html");
  await run(page, 10_000);
  assert.ok(await invite(page));
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, "focus stays on the page");
  let onAccept = false;
  for (let i = 0; i < 6 && !onAccept; i++) {
    await page.keyboard.press("Tab");
    onAccept = await page.evaluate(() => document.querySelector("[data-lcw-invite]").shadowRoot.activeElement?.classList.contains("accept") ?? false);
  }
  assert.ok(onAccept, "Tab reaches the accept button");
  await page.keyboard.press("Escape");
  assert.deepEqual(await events(page, "lcw:proactiveInviteDismissed"), [{ ruleId: "consent" }]);
  assert.equal(await invite(page), null);
  await ctx.close();
});

test("an ignored invite expires after 60 s: lcw:proactiveInviteExpired", async () => {
  const { page, ctx } = await open("/t/proactive/time.html");
  await run(page, 20_000);
  assert.ok(await invite(page));
  await run(page, 59_900);
  assert.ok(await invite(page), "still there at 59.9 s");
  await run(page, 100);
  assert.equal(await invite(page), null);
  assert.deepEqual(await events(page, "lcw:proactiveInviteExpired"), [{ ruleId: "time-on-page" }]);
  await ctx.close();
});

test("startProactiveChat: message, default message, inputParams context, 60 s auto-close, typed errors", async () => {
  const { page, ctx } = await open("/t/proactive/manual.html", { rules: false });
  await page.evaluate(() => window.lcw.sdk.startProactiveChat({ message: "Hello from the page" }, false, { customContext: { Order: { value: "A-1" } } }));
  assert.equal((await invite(page)).message, "Hello from the page");
  assert.deepEqual(await events(page, "lcw:proactiveInviteShown"), [{ ruleId: "manual", message: "Hello from the page" }]);
  const start = await acceptAndGetContext(page);
  assert.equal(ctxValue(start, "Order"), "A-1");
  assert.equal(ctxValue(start, "Proactive Chat"), "True");
  assert.deepEqual(await events(page, "lcw:proactiveInviteAccepted"), [{ ruleId: "manual" }]);
  await page.evaluate(() => window.lcw.sdk.closeChat());

  await page.evaluate(() => window.lcw.sdk.startProactiveChat({}));
  assert.equal((await invite(page)).message, "Hi! Have any questions? I'm here to help.");
  await run(page, 59_900);
  assert.ok(await invite(page));
  await run(page, 100);
  assert.equal(await invite(page), null);
  assert.deepEqual(await events(page, "lcw:proactiveInviteExpired"), [{ ruleId: "manual" }]);

  const codes = await page.evaluate(() => {
    const grab = (f) => { try { f(); return null; } catch (e) { return e.name + ":" + e.code; } };
    const sdk = window.lcw.sdk;
    return [grab(() => sdk.startProactiveChat("hi")), grab(() => sdk.startProactiveChat({ message: 42 })),
      grab(() => sdk.startProactiveChat({}, "yes")), grab(() => sdk.startProactiveChat({}, true, { Bad: { value: {} } })),
      grab(() => sdk.setProactiveRules(42)), grab(() => sdk.registerPredicate("p", 1)), grab(() => sdk.setPageData({ a: {} }))];
  });
  assert.deepEqual(codes, Array(7).fill("LiveChatSdkError:LCW_INVALID_ARGUMENT"));
  await ctx.close();
});

test("setProactiveRules at run time, predicates (throwing one: code 13 once), invalid rules reported one by one", async () => {
  const { page, ctx } = await open("/t/proactive/manual.html", { rules: false });
  await page.evaluate(() => {
    const sdk = window.lcw.sdk;
    sdk.registerPredicate("broken", () => { throw new Error("predicate bug"); });
    sdk.registerPredicate("cartFull", () => window.__cart === true);
    sdk.setProactiveRules([
      { id: "bad-regex", when: { type: "pageUrl", regex: "(" } },
      { id: "bad-zone", when: { type: "schedule", timeZone: "Mars/Olympus", slots: [{ days: ["daily"], from: "09:00", to: "17:00" }] } },
      { id: "cart", when: { type: "all", of: [{ type: "predicate", name: "cartFull" }, { type: "timeOnPage", ms: 5000 }] }, action: { message: "Checkout help?" } },
      { id: "never", when: { type: "predicate", name: "broken" } },
    ]);
  });
  // The engine's code loads, reads the rules (two bad ones reported), runs
  // the others and asks their predicates.
  assert.deepEqual(await waitEvent(page, "lcw:proactiveRulesRunning"), { ruleIds: ["cart", "never"] });
  const errs = await events(page, "lcw:error");
  assert.deepEqual(errs.map((e) => e.errorCode).sort(), [11, 11, 13]);
  assert.ok(errs.some((e) => /bad-regex/.test(e.errorDescription)));
  assert.ok(errs.some((e) => /bad-zone/.test(e.errorDescription)));
  await run(page, 10_000);
  assert.equal(await invite(page), null, "predicate false");
  await page.evaluate(() => { window.__cart = true; window.lcw.sdk.registerPredicate("cartFull", () => window.__cart === true); });
  assert.equal((await invite(page))?.message, "Checkout help?");
  assert.equal((await events(page, "lcw:error")).length, 3, "no error storm");
  await ctx.close();
});

test("destroy(): no invite afterwards, history restored, bubble removed", async () => {
  const { page, ctx } = await open("/t/proactive/time.html");
  await run(page, 10_000);
  await page.evaluate(() => window.lcw.sdk.destroy());
  await run(page, 120_000);
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 0);
  assert.equal(await page.evaluate(() => /\[native code\]/.test(String(history.pushState))), true, "pushState restored");
  await ctx.close();

  const shown = await open("/t/proactive/time.html");
  await run(shown.page, 20_000);
  assert.ok(await invite(shown.page));
  await shown.page.evaluate(() => window.lcw.sdk.destroy());
  await run(shown.page, 10);
  assert.equal(await invite(shown.page), null, "bubble removed on destroy");
  await shown.ctx.close();
});

test("idle page: O(deadlines) timers over 60 s with a 20 s rule, no interval", async () => {
  const count = () => {
    window.__timeouts = 0; window.__intervals = 0;
    const st = window.setTimeout, si = window.setInterval;
    window.setTimeout = function (...a) { window.__timeouts++; return st.apply(this, a); };
    window.setInterval = function (...a) { window.__intervals++; return si.apply(this, a); };
  };
  const { page, ctx } = await open("/t/proactive/time.html", { init: count });
  await page.mouse.move(50, 50);
  await page.evaluate(() => { for (let i = 0; i < 50; i++) window.dispatchEvent(new Event("scroll")); });
  await run(page, 60_000);
  const n = await page.evaluate(() => ({ timeouts: window.__timeouts, intervals: window.__intervals }));
  console.log(`# timers scheduled in 60 s simulated: ${JSON.stringify(n)}`);
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 1);
  assert.ok(n.timeouts >= 1 && n.timeouts <= 4, `setTimeout calls: ${n.timeouts}`);
  assert.equal(n.intervals, 0);
  await ctx.close();
});

test("demo page: linked from the main demo; a scenario loads and its invite shows", async () => {
  const ctx = await clockContext();
  const page = await ctx.newPage();
  await page.addInitScript(recordEvents);
  await page.goto(server.url + "/");
  await waitEvent(page, "lcw:ready");
  await page.click("#to-proactive");
  // The click navigates: a check may run before the new page has its #status.
  await page.waitForURL("**/proactive.html");
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
  await page.selectOption("#scenario", "broken");
  await page.check("#fast");
  await page.click("#load");
  const err = await waitEvent(page, "lcw:error");
  assert.equal(err.errorCode, 11);
  await run(page, 300);
  assert.equal((await invite(page))?.message, "The valid rule still works.");
  await ctx.close();
});

test("strict CSP (no 'unsafe-inline' styles): the bubble is styled through its adopted stylesheet", async () => {
  const csp = encodeURIComponent("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
  const { page, ctx, errors } = await open(`/t/proactive/time.html?csp=${csp}`);
  // Waiting starts before the invite shows: the helper's checks after the
  // first must run under this CSP too (no 'unsafe-eval').
  const shown = waitEvent(page, "lcw:proactiveInviteShown");
  await page.waitForTimeout(100);
  await run(page, 20_000);
  assert.equal((await shown).ruleId, "time-on-page");
  const styled = await page.evaluate(() => {
    const host = document.querySelector("[data-lcw-invite]");
    const accept = host.shadowRoot.querySelector(".accept");
    return { position: getComputedStyle(host).position, accentBg: getComputedStyle(accept).backgroundColor };
  });
  assert.deepEqual(styled, { position: "fixed", accentBg: "rgb(15, 108, 189)" });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("engine state in localStorage only with consent; in memory otherwise", async () => {
  const rules = encodeURIComponent(JSON.stringify([{ id: "t", when: { type: "timeOnPage", ms: 1000 }, caps: { once: "visitor" } }]));
  const withConsent = await open(`/t/config.html?data-proactive-rules=${rules}`);
  await run(withConsent.page, 1000);
  assert.equal((await events(withConsent.page, "lcw:proactiveInviteShown")).length, 1);
  assert.match(await withConsent.page.evaluate(() => localStorage.getItem("lcw_proactive")), /t/);
  await withConsent.page.reload();
  await waitEvent(withConsent.page, "lcw:ready");
  await run(withConsent.page, 5000);
  assert.equal((await events(withConsent.page, "lcw:proactiveInviteShown")).length, 0, "once per visitor, remembered");
  await withConsent.ctx.close();

  const without = await open(`/t/config.html?data-consent=required&data-proactive-rules=${rules}`);
  await run(without.page, 1000);
  assert.equal((await events(without.page, "lcw:proactiveInviteShown")).length, 1);
  assert.equal(await without.page.evaluate(() => localStorage.getItem("lcw_proactive")), null);
  await without.page.evaluate(() => window.lcw.sdk.setConsent(true));
  assert.notEqual(await without.page.evaluate(() => localStorage.getItem("lcw_proactive")), null, "saved once granted");
  await without.page.evaluate(() => window.lcw.sdk.setConsent(false));
  assert.equal(await without.page.evaluate(() => localStorage.getItem("lcw_proactive")), null, "erased when withdrawn");
  await without.ctx.close();
});

test("paused test clock: ready, the widget and a rule's invite come without time passing; the invite sits above the launcher", async () => {
  // country.html: the full build with its widget, and a rule that shows at
  // once. The clock is paused, so a start-up step waiting on a timer would
  // never run: the widget would not appear.
  const { page, ctx, errors } = await open("/t/proactive/country.html");
  await waitEvent(page, "lcw:proactiveInviteShown");
  await page.waitForSelector("[data-lcw-widget]", { state: "attached", timeout: 5000 });
  assertAbove(await corner(page), "right");
  const start = await acceptAndGetContext(page);
  assert.equal(ctxValue(start, "Country"), "FR");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("an invite shown before the widget comes moves above its launcher when it comes", async () => {
  // country.html with a chat server: the widget waits for its configuration,
  // which is held until the invite shows.
  const ctx = await clockContext();
  await ctx.route("**/t/proactive/country.html", async (route) => {
    const response = await route.fetch();
    route.fulfill({ response, body: (await response.text()).replace("data-proactive-rules", 'data-server="/" data-proactive-rules') });
  });
  let release;
  const held = new Promise((r) => { release = r; });
  await ctx.route("**/v1/widgets/*/config", async (route) => { await held; route.fulfill({ contentType: "application/json", body: "{}" }); });
  const { page, errors } = await open("/t/proactive/country.html", { ctx });
  await waitEvent(page, "lcw:proactiveInviteShown");
  assert.equal(await page.evaluate(() => !!document.querySelector("[data-lcw-widget]")), false, "no widget yet");
  release();
  await page.waitForSelector("[data-lcw-widget]", { state: "attached", timeout: 5000 });
  const c = await corner(page);
  assert.ok(c.widgetAfter, "the invite came first");
  assertAbove(c, "right");
  assert.deepEqual(await events(page, "lcw:error"), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});
