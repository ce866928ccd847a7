// The proactive engine's chunk (scripts/build.sh, src/web/proactive/mod.rs):
// what runs the rules (signals, the timer, watchers, the invite bubble) is a
// .wasm of its own next to each build's glue. A page without rules never
// downloads it; rules fetch it once, and lcw:proactiveRulesRunning says when
// they run; deadlines count from the page load, not from its arrival; a
// fetch that fails is lcw:error 7 and the next call fetches it again; the
// Promise of startProactiveChat settles once its invite is up.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { serve } from "./serve.mjs";

let browser, site;
before(async () => { browser = await launch(); site = await serve(); });
after(async () => { await browser?.close(); await site?.close(); });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const T0 = Date.parse("2025-01-22T10:00:00Z");
const rules = (ms) => [{ id: "soon", when: { type: "timeOnPage", ms }, action: { message: "Need a hand?" } }];
const named = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);
const inviteUp = (page) => page.evaluate(() => !!document.querySelector("[data-lcw-invite]"));

/** A context recording its requests under /pkg/, its clock paused at T0 when `clock`. */
async function recording({ clock = false } = {}) {
  const context = await browser.newContext();
  if (clock) {
    await context.clock.install({ time: T0 });
    await context.clock.pauseAt(T0 + 1000);
  }
  const pkg = [];
  context.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/pkg/")) pkg.push(p); });
  return { context, pkg };
}

/**
 * Makes the first fetch of `file` (under /pkg/) fail, after `holdMs`; the
 * later ones go through. Returns a function that counts the fetches.
 */
async function failFirst(context, file, holdMs = 0) {
  let attempts = 0;
  await context.route(`**/pkg/${file}`, async (route) => {
    if (++attempts > 1) return route.continue();
    if (holdMs) await pause(holdMs);
    return route.abort("internetdisconnected");
  });
  return () => attempts;
}

/** Calls startProactiveChat and tells whether the invite is up once its Promise settles. */
const startInvite = (page) => page.evaluate(async () => {
  await window.lcw.sdk.startProactiveChat({ message: "Can we help?" });
  return !!document.querySelector("[data-lcw-invite]");
});

/** The engine's own chunk and the chunks it shares with others, as fetched. */
const engineFiles = (pkg) => pkg.filter((p) => /_engine\.wasm$|-engine[-.]/.test(p));

for (const [build, ui] of [["lcw_core", "none"], ["lcw_sdk", "default"]]) {
  test(`${build}: no engine chunk without rules; setProactiveRules fetches it once and says which rules run`, async () => {
    const { context, pkg } = await recording();
    const { page, errors } = await openPage(browser, site.url, `/t/config.html?data-ui=${ui}`, { context });
    await waitEvent(page, "lcw:ready");
    await pause(500);
    assert.deepEqual(engineFiles(pkg), [], "a page without rules does not download the engine");

    await page.evaluate((r) => window.lcw.sdk.setProactiveRules(r), [...rules(600_000), { id: "bad", when: { type: "nope" } }]);
    assert.deepEqual(await waitEvent(page, "lcw:proactiveRulesRunning"), { ruleIds: ["soon"] });
    const order = await page.evaluate(() => window.__events.filter((e) => e.name !== "lcw:ready").map((e) => e.name + (e.detail?.errorCode ?? "")));
    assert.deepEqual(order, ["lcw:error11", "lcw:proactiveRulesRunning"], "the bad rule is reported (by the engine's code) before the others run");
    assert.match((await named(page, "lcw:error"))[0].errorDescription, /bad/);
    assert.ok(pkg.includes(`/pkg/${build}_engine.wasm`));

    await page.evaluate(() => window.lcw.sdk.setProactiveRules([{ id: "later", when: { type: "timeOnPage", ms: 900_000 } }]));
    await waitEvent(page, "lcw:proactiveRulesRunning", "d.ruleIds[0] === 'later'");
    await page.evaluate(() => window.lcw.sdk.setProactiveRules([]));
    await waitEvent(page, "lcw:proactiveRulesRunning", "d.ruleIds.length === 0");
    await page.evaluate(() => window.lcw.sdk.setProactiveRules([{ id: "only-bad", when: { type: "nope" } }]));
    assert.equal((await named(page, "lcw:proactiveRulesRunning")).length, 4, "once per rule set, none valid included");
    assert.deepEqual((await named(page, "lcw:proactiveRulesRunning"))[3], { ruleIds: [] });
    assert.deepEqual((await named(page, "lcw:error")).map((e) => e.errorCode), [11, 11]);
    assert.equal(pkg.filter((p) => p === `/pkg/${build}_engine.wasm`).length, 1, "fetched once");
    assert.equal(new Set(engineFiles(pkg)).size, engineFiles(pkg).length, "every engine file once");
    assert.deepEqual(pkg.filter((p) => p.endsWith("_chat.wasm")), [], "no chat code: no invite was shown");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a deadline counts from the page load: an engine that arrives after it shows the invite at once", async () => {
  const { context, pkg } = await recording({ clock: true });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route("**/pkg/lcw_core_engine.wasm", async (route) => { await held; await route.continue(); });
  const query = `?data-ui=none&data-proactive-rules=${encodeURIComponent(JSON.stringify(rules(1_000)))}`;
  const { page, errors } = await openPage(browser, site.url, `/t/config.html${query}`, { context });
  await waitEvent(page, "lcw:ready");
  await page.clock.runFor(5_000);
  assert.equal(await inviteUp(page), false, "the engine is not there yet");
  assert.deepEqual(await named(page, "lcw:proactiveRulesRunning"), []);
  release();
  await waitEvent(page, "lcw:proactiveInviteShown");
  // No clock movement since: the 1 s deadline had passed when the code came.
  const order = await page.evaluate(() => window.__events.map((e) => e.name).filter((n) => n.startsWith("lcw:proactive")));
  assert.deepEqual(order, ["lcw:proactiveRulesRunning", "lcw:proactiveInviteShown"]);
  assert.equal(await inviteUp(page), true);
  assert.ok(pkg.includes("/pkg/lcw_core_engine.wasm"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("an SPA navigation while the engine loads: it starts on the new page, with the page data given there", async () => {
  const { context } = await recording({ clock: true });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route("**/pkg/lcw_core_engine.wasm", async (route) => { await held; await route.continue(); });
  const pricing = [{ id: "pricing", when: { type: "all", of: [{ type: "pagePath", glob: "*/spa/pricing" }, { type: "timeOnPage", ms: 5_000 }] },
    action: { message: "Case {caseId}?", context: { From: "{referrer}" }, missingData: "skip" } }];
  const query = `?data-ui=none&data-proactive-rules=${encodeURIComponent(JSON.stringify(pricing))}`;
  const { page, errors } = await openPage(browser, site.url, `/t/config.html${query}`, { context });
  await waitEvent(page, "lcw:ready");
  await page.evaluate(() => { history.pushState({}, "", "/t/spa/pricing"); window.lcw.sdk.setPageData({ caseId: "C-9" }); });
  release();
  await waitEvent(page, "lcw:proactiveRulesRunning");
  await page.clock.runFor(4_900);
  assert.equal(await inviteUp(page), false, "5 s on the new page, counted from the engine's start there");
  await page.clock.runFor(100);
  assert.deepEqual(await waitEvent(page, "lcw:proactiveInviteShown"), { ruleId: "pricing", message: "Case C-9?" });
  await page.locator("[data-lcw-invite] button.accept").click();
  const start = await waitEvent(page, "lcw:startChat");
  assert.match(start.context.From.value, /\/t\/config\.html\?/, "the page it came from");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the engine chunk cannot be fetched: lcw:error 7, no invite; the next setProactiveRules fetches it and the rules run", async () => {
  const { context, pkg } = await recording();
  const attempts = await failFirst(context, "lcw_core_engine.wasm");
  const query = `?data-ui=none&data-proactive-rules=${encodeURIComponent(JSON.stringify(rules(200)))}`;
  const { page } = await openPage(browser, site.url, `/t/config.html${query}`, { context });
  const failed = await waitEvent(page, "lcw:error");
  assert.equal(failed.errorCode, 7);
  assert.match(failed.errorDescription, /proactive/);
  await pause(600);
  assert.equal(await inviteUp(page), false);
  assert.deepEqual(await named(page, "lcw:proactiveRulesRunning"), []);

  await page.evaluate((r) => window.lcw.sdk.setProactiveRules(r), rules(200));
  assert.deepEqual(await waitEvent(page, "lcw:proactiveRulesRunning"), { ruleIds: ["soon"] });
  await waitEvent(page, "lcw:proactiveInviteShown");
  assert.equal(attempts(), 2);
  assert.equal(pkg.filter((p) => p === "/pkg/lcw_core_engine.wasm").length, 2, "the failed fetch, then one more");
  assert.deepEqual((await named(page, "lcw:error")).map((e) => e.errorCode), [7], "one error for one failure");
  await context.close();
});

test("a startProactiveChat during the rules' failing fetch: one lcw:error 7, and the call's own fetch brings the code for both", async () => {
  const { context, pkg } = await recording();
  // Held long enough for the invite's call to come while it is on its way.
  const attempts = await failFirst(context, "lcw_core_engine.wasm", 400);
  const query = `?data-ui=none&data-proactive-rules=${encodeURIComponent(JSON.stringify(rules(600_000)))}`;
  const { page, errors } = await openPage(browser, site.url, `/t/config.html${query}`, { context });
  await waitEvent(page, "lcw:ready");
  assert.equal(await startInvite(page), true, "the waiting call's own fetch brought the code");
  assert.deepEqual((await named(page, "lcw:error")).map((e) => e.errorCode), [7], "the failed fetch, reported once");
  assert.deepEqual(await waitEvent(page, "lcw:proactiveRulesRunning"), { ruleIds: ["soon"] }, "the rules run with the code the invite brought");
  assert.equal(attempts(), 2);
  assert.equal(pkg.filter((p) => p === "/pkg/lcw_core_engine.wasm").length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("startProactiveChat on a page without rules: its Promise settles with the invite up; a failed fetch is error 7 and the next call shows it", async () => {
  const { context, pkg } = await recording();
  await failFirst(context, "lcw_sdk_engine.wasm");
  const { page, errors } = await openPage(browser, site.url, "/t/config.html", { context });
  await waitEvent(page, "lcw:ready");
  assert.equal(await startInvite(page), false, "no code, no invite");
  assert.deepEqual((await named(page, "lcw:error")).map((e) => e.errorCode), [7]);
  assert.equal(await startInvite(page), true, "up when the Promise settles");
  assert.deepEqual(await named(page, "lcw:proactiveInviteShown"), [{ ruleId: "manual", message: "Can we help?" }]);
  assert.deepEqual(await named(page, "lcw:proactiveRulesRunning"), [], "no rules run");
  assert.equal(pkg.filter((p) => p === "/pkg/lcw_sdk_engine.wasm").length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});
