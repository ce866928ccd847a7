// Proactive chat in Debian's Chromium with a controlled clock (Playwright's
// page.clock): the eight SPEC §3 scenarios configured as a site owner would
// (rules in a data-proactive-rules attribute or createSdk options), SPA
// navigation, XSS, keyboard, auto-expiry, startProactiveChat, destroy, and
// an idle-page check (timers per deadline, no polling).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./serve.mjs";
import { launch, waitEvent } from "./browser.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Inside the winter-sale window of scenario 7 (Paris time).
const T0 = Date.parse("2025-01-22T10:00:00Z");

function recordEvents() {
  window.__events = [];
  for (const n of ["ready", "error", "startChat", "closeChat", "proactiveInviteShown", "proactiveInviteAccepted",
    "proactiveInviteDismissed", "proactiveInviteExpired"]) {
    window.addEventListener("lcw:" + n, (e) => window.__events.push({ name: "lcw:" + n, detail: e.detail ?? null }));
  }
}

/** A context whose clock is installed at `time` and paused: time moves only through runFor. */
async function clockContext({ time = T0, ...options } = {}) {
  const ctx = await browser.newContext(options);
  await ctx.clock.install({ time });
  await ctx.clock.pauseAt(time + 1000);
  return ctx;
}

/** Opens `path` in a new page of `ctx` (a new paused-clock context by default) and waits for lcw:ready. */
async function open(path, { ctx, referer, init, time } = {}) {
  ctx = ctx || await clockContext({ time });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(recordEvents);
  if (init) await page.addInitScript(init);
  await page.goto(server.url + path, referer ? { referer } : {});
  await waitEvent(page, "lcw:ready");
  return { page, ctx, errors };
}

/** The invite as the visitor sees it (read from its shadow root), or null. */
function invite(page) {
  return page.evaluate(() => {
    const host = document.querySelector("[data-lcw-invite]");
    if (!host) return null;
    const r = host.shadowRoot;
    return {
      message: r.querySelector(".msg").textContent,
      question: r.querySelector(".question")?.textContent ?? null,
      role: r.querySelector("[role]").getAttribute("role"),
      buttons: [...r.querySelectorAll("button")].map((b) => b.textContent),
      elements: [...r.querySelectorAll("*")].map((e) => e.localName),
      inlineStyles: document.querySelectorAll("[style]").length + r.querySelectorAll("[style]").length,
    };
  });
}

const events = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);
const run = (page, ms) => page.clock.runFor(ms);
const ctxValue = (detail, key) => detail.context[key]?.value;

/** Asserts nothing shows before `ms` and the invite shows at `ms` exactly. */
async function showsAt(page, ms) {
  await run(page, ms - 100);
  assert.equal(await invite(page), null, `no invite at ${(ms - 100) / 1000} s`);
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 0);
  await run(page, 100);
  const shown = await events(page, "lcw:proactiveInviteShown");
  assert.equal(shown.length, 1, `invite at ${ms / 1000} s`);
  return shown[0];
}

async function acceptAndGetContext(page) {
  await page.locator("[data-lcw-invite] button.accept").click();
  return waitEvent(page, "lcw:startChat");
}

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
  const { page } = await open("/t/proactive/manual.html", { ctx });
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
  const { page, ctx } = await open("/t/proactive/manual.html");
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
  const { page, ctx } = await open("/t/proactive/manual.html");
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
  await page.waitForFunction(() => document.getElementById("status").textContent === "ready");
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
  await run(page, 20_000);
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
