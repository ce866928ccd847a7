// The SDK loaded through its script tag in Debian's Chromium: ready, queued
// calls, exposeAs, providers, errors, the visit cookie, consent, CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./serve.mjs";
import { launch, openPage, waitEvent } from "./browser.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("demo page: lcw:ready, queued provider replayed, exposeAs, provider round trip", async () => {
  const { page, errors } = await openPage(browser, server.url, "/");
  const ready = await waitEvent(page, "lcw:ready");
  assert.match(ready.version, /^\d+\.\d+\.\d+$/);
  await page.waitForFunction(() => document.getElementById("status").textContent === "ready");
  const exposed = await page.evaluate(() => typeof window.Microsoft.Omnichannel.LiveChatWidget.SDK.startChat);
  assert.equal(exposed, "function");
  await page.fill("#case-id", "CAS-77");
  await page.click("#start");
  const start = await waitEvent(page, "lcw:startChat");
  assert.equal(start.context["Case Id"].value, "CAS-77");
  assert.equal(start.context["Loaded at"].isDisplayable, false);
  assert.equal(start.authenticated, false);
  assert.match(await page.textContent("#context"), /CAS-77/);
  assert.deepEqual(errors, []);
});

test("visit cookie: attributes, counting across reloads, tampering, reset", async () => {
  const { page, ctx } = await openPage(browser, server.url, "/");
  await waitEvent(page, "lcw:ready");
  const cookie = (await ctx.cookies()).find((c) => c.name === "lcwdemo_sv");
  assert.ok(cookie, "site cookie written");
  assert.match(cookie.value, /^1\.\d{10}$/);
  assert.equal(cookie.path, "/");
  assert.equal(cookie.sameSite, "Lax");
  assert.equal(cookie.secure, false, "http page: no Secure");
  const days = (cookie.expires - Date.now() / 1000) / 86400;
  assert.ok(days > 179 && days <= 180, `lifetime ${days} days`);
  assert.ok((await ctx.cookies()).some((c) => c.name === "lcwdemo_pv"), "page cookie written");

  await page.reload();
  await waitEvent(page, "lcw:ready");
  assert.equal(await page.textContent("#visits-site"), "2");
  assert.equal(await page.textContent("#visits-page"), "2");

  await ctx.addCookies([{ name: "lcwdemo_sv", value: "1e3.5", url: server.url }]);
  await page.reload();
  await waitEvent(page, "lcw:ready");
  assert.equal(await page.textContent("#visits-site"), "1", "tampered value restarts the count");

  await page.click("#reset-all");
  assert.equal((await ctx.cookies()).filter((c) => c.name.startsWith("lcwdemo_")).length, 0);
  await ctx.close();
});

test("API misuse throws typed Errors; runtime failures dispatch lcw:error", async () => {
  const { page } = await openPage(browser, server.url, "/");
  await waitEvent(page, "lcw:ready");
  const thrown = await page.evaluate(() => {
    const sdk = window.Microsoft.Omnichannel.LiveChatWidget.SDK;
    const grab = (f) => { try { f(); return null; } catch (e) { return { isError: e instanceof Error, name: e.name, code: e.code, message: e.message }; } };
    return [
      grab(() => sdk.setContextProvider("nope")),
      grab(() => sdk.setAuthTokenProvider(42)),
      grab(() => sdk.on("nope", () => {})),
      grab(() => sdk.startChat({ customContext: { __proto__: null, constructor: { value: 1 } } })),
      grab(() => sdk.exposeAs("a..b")),
    ];
  });
  assert.deepEqual(thrown.map((t) => t && t.code),
    ["LCW_INVALID_ARGUMENT", "LCW_INVALID_ARGUMENT", "LCW_UNKNOWN_EVENT", "LCW_INVALID_CONTEXT", "LCW_INVALID_PATH"]);
  assert.ok(thrown.every((t) => t.isError && t.name === "LiveChatSdkError"));

  await page.click("#throwing-provider");
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 1");
  assert.match(err.errorDescription, /CRM lookup failed/);
  const start = await waitEvent(page, "lcw:startChat");
  assert.deepEqual(start.context, {}, "chat still starts, without context");
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").length), 1, "one error, no storm");
});

test("auth token provider: codes 2, 3, 4 and a good token", async () => {
  const { page } = await openPage(browser, server.url, "/");
  await waitEvent(page, "lcw:ready");
  await page.click("#auth-expired");
  await page.click("#start");
  assert.match((await waitEvent(page, "lcw:error", "d.errorCode === 4")).errorDescription, /expired/);
  await page.click("#auth-none");
  await page.click("#start");
  await waitEvent(page, "lcw:error", "d.errorCode === 3");
  await page.evaluate(() => window.lcw("setAuthTokenProvider", () => Promise.reject(new Error("idp down"))));
  await page.click("#start");
  assert.match((await waitEvent(page, "lcw:error", "d.errorCode === 2")).errorDescription, /idp down/);
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:startChat").length), 0,
    "no chat starts without a valid token");
  await page.click("#auth-good");
  await page.click("#start");
  assert.equal((await waitEvent(page, "lcw:startChat")).authenticated, true);
});

test("configured auth function that does not exist: code 8", async () => {
  const { page } = await openPage(browser, server.url, "/t/config.html?data-auth-token-provider=myAuth.getToken");
  const err = await waitEvent(page, "lcw:error", "d.errorCode === 8");
  assert.match(err.errorDescription, /myAuth\.getToken/);
  await waitEvent(page, "lcw:ready");
});

test("bad config values are reported (code 10) and defaulted", async () => {
  const { page } = await openPage(browser, server.url, "/t/config.html?data-visit-lifetime-days=-1&data-colour=red");
  await waitEvent(page, "lcw:ready");
  const errs = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail));
  assert.equal(errs.length, 2);
  assert.ok(errs.every((e) => e.errorCode === 10));
  assert.ok(errs.some((e) => /colour/.test(e.errorDescription)));
});

test("consent required: nothing stored until granted; withdrawing erases", async () => {
  const { page, ctx } = await openPage(browser, server.url, "/t/config.html?data-consent=required");
  await waitEvent(page, "lcw:ready");
  const sdkCookies = async () => (await ctx.cookies()).filter((c) => c.name.startsWith("lcw_"));
  assert.equal((await sdkCookies()).length, 0);
  assert.deepEqual(await page.evaluate(() => window.lcw("visitCounts")), { site: 1, page: 1, newVisit: true, persisted: false });
  await page.evaluate(() => window.lcw("setConsent", true));
  assert.equal((await sdkCookies()).length, 2);
  assert.equal(await page.evaluate(() => window.lcw("visitCounts").persisted), true);
  await page.evaluate(() => window.lcw("setConsent", false));
  assert.equal((await sdkCookies()).length, 0);
  await ctx.close();
});

test("storage disabled: code 7, counting in memory", async () => {
  const init = () => Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } });
  const { page } = await openPage(browser, server.url, "/t/config.html", { init });
  await waitEvent(page, "lcw:error", "d.errorCode === 7");
  await waitEvent(page, "lcw:ready");
});

// Both builds: the full one, and the core one the loader picks for data-ui="none".
for (const [build, ui] of [["full", ""], ["core", "&data-ui=none"]]) {
  test(`CSP without 'wasm-unsafe-eval' (${build} build): code 9, reported once, no retry`, async () => {
    const csp = encodeURIComponent("script-src 'self'");
    const { page } = await openPage(browser, server.url, `/t/config.html?csp=${csp}${ui}`);
    await page.waitForFunction(() => window.__events.some((e) => e.name === "lcw:error"));
    await page.waitForTimeout(300);
    const events = await page.evaluate(() => window.__events);
    assert.equal(events.length, 1);
    assert.equal(events[0].detail.errorCode, 9);
    assert.match(events[0].detail.errorDescription, /wasm-unsafe-eval/);
  });

  test(`CSP with 'wasm-unsafe-eval' and no 'unsafe-eval' (${build} build): the SDK loads`, async () => {
    const csp = encodeURIComponent("script-src 'self' 'wasm-unsafe-eval'");
    const { page } = await openPage(browser, server.url, `/t/config.html?csp=${csp}${ui}`);
    await page.waitForFunction(() => window.__events.some((e) => e.name === "lcw:ready"));
  });
}

// Streaming compilation needs `Content-Type: application/wasm`; a server that
// sends another type still gets a working SDK (compiled from a buffer). A
// missing .wasm is code 7.
test("wasm served with the wrong MIME type: the SDK still loads; a missing wasm is code 7", async () => {
  const context = await browser.newContext();
  await context.route("**/pkg/lcw_sdk_bg.wasm", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, headers: { ...res.headers(), "content-type": "application/octet-stream" } });
  });
  const { page, errors } = await openPage(browser, server.url, "/t/config.html", { context });
  await waitEvent(page, "lcw:ready");
  assert.deepEqual(await page.evaluate(() => window.lcw("visitCounts").site), 1);
  assert.deepEqual(errors, []);
  await context.close();

  const missing = await browser.newContext();
  await missing.route("**/pkg/lcw_sdk_bg.wasm", (route) => route.fulfill({ status: 404, body: "not found" }));
  const { page: p2 } = await openPage(browser, server.url, "/t/config.html", { context: missing });
  const err = await waitEvent(p2, "lcw:error");
  assert.equal(err.errorCode, 7);
  assert.match(err.errorDescription, /404/);
  await missing.close();
});
