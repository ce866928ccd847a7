// Every public method given hostile arguments: numbers where strings go,
// symbols, BigInts, proxies whose traps throw, revoked proxies, throwing
// getters, cyclic and 100,000-deep values, 5 MB strings, lone surrogates.
// Each call must return, or throw a LiveChatSdkError with a code, or settle
// its Promise (with such an error) within 3 s; nothing may trap the wasm
// ("memory access out of bounds", "unreachable") or escape as a bare
// TypeError. Afterwards the SDK (or the preview) must still work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** Runs in the page: calls every method of `window[where]` (a path) with
 * each hostile value alone and three times over; returns what was wrong. */
async function sweep(where) {
  const target = where.split(".").reduce((o, k) => o[k], window);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const trap = () => { throw new Error("trap"); };
  const cyclic = {};
  cyclic.self = cyclic;
  let deepArray = [];
  for (let i = 0; i < 100000; i++) deepArray = [deepArray];
  let deepObject = {};
  for (let i = 0; i < 100000; i++) deepObject = { a: deepObject };
  const values = {
    undefined: undefined, null: null, true: true, zero: 0, minusZero: -0, NaN: NaN, Infinity: -Infinity, huge: 1e308,
    unsafeInt: 2 ** 53 + 1, bigint: 10n, symbol: Symbol("s"), empty: "", fiveMB: "x".repeat(5e6), nul: "\u0000",
    loneSurrogate: "\ud800", object: {}, array: [], throwing: () => { throw new Error("thrown"); },
    rejecting: async () => { throw new Error("rejected"); }, pending: () => new Promise(() => {}),
    trapProxy: new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap }),
    revokedProxy: revoked.proxy, throwingGetter: { get message() { throw new Error("getter"); }, get value() { throw new Error("getter"); } },
    cyclic, deepArray, deepObject, nullProto: Object.create(null), invalidDate: new Date(NaN), regex: /x/g, map: new Map([[1, 2]]),
    element: document.body, window, numericString: "123", fraction: 0.5,
    tenThousandKeys: Object.fromEntries(Array.from({ length: 10000 }, (_, i) => ["k" + i, { value: i }])),
    tenThousandRules: Array.from({ length: 10000 }, (_, i) => ({ id: "r" + i })),
  };
  const skip = new Set(["constructor", "destroy", "free", "unmount"]);
  const proto = Object.getPrototypeOf(target);
  const methods = Object.getOwnPropertyNames(proto)
    .filter((m) => !skip.has(m) && !m.startsWith("__") && typeof Object.getOwnPropertyDescriptor(proto, m).value === "function");
  const settle = (p) => Promise.race([
    p.then(() => null, (e) => ({ rejected: e })),
    new Promise((r) => setTimeout(() => r({ hang: true }), 3000)),
  ]);
  const typed = (e) => e instanceof Error && e.name === "LiveChatSdkError" && e.code !== undefined && e.code !== null;
  const wrong = [];
  let calls = 0;
  for (const m of methods) {
    for (const [name, v] of Object.entries(values)) {
      for (const args of [[v], [v, v, v]]) {
        calls++;
        let problem = null;
        try {
          const r = target[m](...args);
          if (r && typeof r.then === "function") {
            const s = await settle(r);
            if (s?.hang) problem = "no answer within 3 s";
            else if (s && !typed(s.rejected)) problem = `rejected with ${s.rejected?.name}: ${String(s.rejected?.message).slice(0, 80)}`;
          }
        } catch (e) {
          if (!typed(e)) problem = `threw ${e?.name}: ${String(e?.message).slice(0, 80)}`;
        }
        if (problem) wrong.push(`${m}(${name}${args.length > 1 ? " x3" : ""}): ${problem}`);
      }
    }
  }
  return { methods, calls, wrong };
}

/** The page's `lcw:error` events since `from`, by code. */
const errorCodes = (page, from = 0) => page.evaluate((f) => {
  const n = {};
  for (const e of window.__events.slice(f)) if (e.name === "lcw:error") n[e.detail.errorCode] = (n[e.detail.errorCode] || 0) + 1;
  return n;
}, from);

for (const ui of ["default", "none"]) {
  test(`${ui === "none" ? "core" : "full"} build: every SDK method given hostile arguments answers with a typed error, and the SDK still chats`, async () => {
    const ag = await agent(browser, server.url);
    const { page, errors } = await openPage(browser, server.url, `/config.html?data-server=/&data-widget=demo&data-ui=${ui}`);
    await waitEvent(page, "lcw:ready");
    const { methods, calls, wrong } = await page.evaluate(sweep, "lcw.sdk");
    assert.ok(methods.length >= 35 && methods.includes("exposeAs") && methods.includes("setVideoCamera"), methods.join());
    assert.ok(calls > 2500, `${calls} calls`);
    assert.deepEqual(wrong, []);
    assert.deepEqual(errors, [], "no uncaught error in the page");
    // Still alive: with the junk providers gone, a chat starts and a
    // message reaches the agent. The sweep left an authorization code
    // ("numericString" is a well-formed one), which this widget refuses
    // (code 15, documented): the code is then dropped, and the next start
    // goes through.
    const before = await page.evaluate(() => window.__events.length);
    const sent = await page.evaluate(async () => {
      const sdk = window.lcw.sdk;
      sdk.removeContextProvider();
      sdk.removeAuthTokenProvider();
      await sdk.closeChat();
      await sdk.startChat();
      await sdk.startChat();
      return sdk.sendMessage("still here after the sweep");
    });
    assert.equal(typeof sent, "string");
    assert.equal((await errorCodes(page, before))[15], 1);
    await ag.page.waitForFunction(() => window.__frames.some((f) => f.type === "message" && f.message.text === "still here after the sweep"));
    assert.deepEqual(errors, []);
    // 10,000 bad rules and 10,000 unknown fields were given four times
    // (alone and three times over): at most 20 reports each time (once the
    // engine's code has read them), not an event per rule. Before the cap,
    // one call alone made 10,000.
    const codes = await errorCodes(page);
    assert.ok(codes[11] >= 20 && codes[11] <= 80, `code 11 reported ${codes[11]} times`);
    await page.context().close();
    await ag.page.context().close();
  });
}

test("mountWidgetPreview and every WidgetPreview method given hostile arguments answer with typed errors, and the widget still works", async () => {
  const { page, errors } = await openPage(browser, server.url, "/widget.html");
  await page.waitForFunction(() => document.body.dataset.ready === "1");
  await page.evaluate(() => window.mountWidget({}));
  const { methods, wrong } = await page.evaluate(sweep, "preview");
  assert.ok(["setStatus", "setTyping", "setLocale", "setUploadProgress", "localUrl", "addMessage"].every((m) => methods.includes(m)), methods.join());
  assert.deepEqual(wrong, []);
  // mountWidgetPreview itself: a handler that is not a function.
  const mount = await page.evaluate(async () => {
    const { mountWidgetPreview } = await import("/pkg/lcw_sdk.js");
    try { await mountWidgetPreview({}, 5); return "mounted"; } catch (e) { return `${e.name} ${e.code}`; }
  });
  assert.equal(mount, "LiveChatSdkError LCW_INVALID_ARGUMENT");
  // Still works: a message added after the sweep shows in the open window.
  await page.evaluate(() => {
    window.preview.setPhase({ phase: "chatting" });
    window.preview.open();
    window.preview.addMessage({ id: "after", from: { kind: "agent" }, text: "after the sweep" });
  });
  await page.waitForFunction(() => window.widgetRoot()?.textContent.includes("after the sweep"));
  // An unmounted preview says so with a code.
  const unmounted = await page.evaluate(() => {
    window.preview.unmount();
    try { window.preview.open(); return "opened"; } catch (e) { return `${e.name} ${e.code}`; }
  });
  assert.equal(unmounted, "LiveChatSdkError LCW_DESTROYED");
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("createSdk given hostile options: an SDK with code 10 reports, or a typed error; never a bare exception", async () => {
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none");
  await waitEvent(page, "lcw:ready");
  const out = await page.evaluate(async () => {
    window.lcw.sdk.destroy();
    const { createSdk } = await import("/pkg/lcw_core.js");
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const trap = () => { throw new Error("trap"); };
    const options = {
      number: 5, string: "x", symbol: Symbol("s"), bigint: 1n, array: [], function: () => {},
      trapProxy: new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap }),
      revokedProxy: revoked.proxy,
      throwingGetter: { get server() { throw new Error("getter"); } },
      oddValues: { server: Symbol("s"), exposeAs: 5, visitPrefix: {}, proactiveRules: 1n, country: [] },
      fiveMB: { visitPrefix: "x".repeat(5e6) },
    };
    const seen = {};
    for (const [name, v] of Object.entries(options)) {
      const from = window.__events.length;
      try {
        const sdk = createSdk(v);
        await new Promise((r) => setTimeout(r, 100)); // the reports go out after ready
        const codes = window.__events.slice(from).filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode);
        seen[name] = `sdk ${typeof sdk.startChat} ${[...new Set(codes)].join()}`;
        sdk.destroy();
      } catch (e) {
        seen[name] = `threw ${e?.name} ${e?.code}`;
      }
    }
    return seen;
  });
  for (const [name, got] of Object.entries(out)) {
    assert.match(got, /^sdk function|^threw LiveChatSdkError [A-Z_]+$/, `${name}: ${got}`);
  }
  // Options that cannot be read at all are reported, and defaults used.
  assert.equal(out.trapProxy, "sdk function 10");
  assert.equal(out.revokedProxy, "sdk function 10");
  assert.match(out.oddValues, /^sdk function .*10/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the command queue: hostile commands queued before load are each code 12, and the commands after them still run", async () => {
  const init = () => {
    const trap = () => { throw new Error("trap"); };
    const evil = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap });
    window.lcw = function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
    window.provider = () => ({ "Case Id": { value: "CAS-9" } });
    window.lcw(10n);
    window.lcw(Symbol("s"));
    window.lcw(evil);
    window.lcw(() => { throw evil; });
    window.lcw(async () => { throw evil; });
    window.lcw("exposeAs", 5);
    window.lcw("noSuchMethod");
    window.lcw("setContextProvider", window.provider);
  };
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo&data-ui=none", { init });
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => window.__events.filter((e) => e.name === "lcw:error").length >= 7);
  const got = await page.evaluate(() => ({
    codes: window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorCode),
    descriptions: window.__events.filter((e) => e.name === "lcw:error").map((e) => e.detail.errorDescription),
    providerSet: window.lcw("getContextProvider") === window.provider,
  }));
  assert.deepEqual(got.codes, [12, 12, 12, 12, 12, 12, 12], got.descriptions.join("\n"));
  assert.ok(got.providerSet, "the command after the hostile ones ran");
  assert.match(got.descriptions.join("\n"), /queued command \(a bigint\) failed: lcw: unknown command \(a bigint\)/);
  assert.match(got.descriptions.join("\n"), /a value that cannot be read was thrown/);
  // After load, the command function throws typed errors too.
  const thrown = await page.evaluate(() => [10n, "noSuchMethod", "__proto__"].map((m) => {
    try { window.lcw(m); return "returned"; } catch (e) { return `${e.name} ${e.code}`; }
  }));
  assert.deepEqual(thrown, Array(3).fill("LiveChatSdkError LCW_INVALID_ARGUMENT"));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("exposeAs installs only through plain objects and never over the page's own values (location.href, name, document.title)", async () => {
  const { page, errors } = await openPage(browser, server.url, "/config.html?data-ui=none&data-expose-as=location.href");
  await waitEvent(page, "lcw:ready");
  // The configured path is refused (code 10) instead of navigating the page to "[object Object]".
  const configError = await waitEvent(page, "lcw:error", "d.errorCode === 10");
  assert.match(configError.errorDescription, /location\.href/);
  const got = await page.evaluate(() => {
    const sdk = window.lcw.sdk;
    window.name = "kept";
    const out = {};
    for (const path of ["location.href", "name", "document.title", "window.top.z", "history.state", "A.B.C", "A.B.C", "lcw.viaFunction"]) {
      try { sdk.exposeAs(path); out[path] = (out[path] ? out[path] + ", " : "") + "installed"; } catch (e) { out[path] = `${e.code}: ${e.message}`; }
    }
    return { out, href: location.pathname, name: window.name, title: document.title, abc: typeof window.A.B.C.startChat, fn: typeof window.lcw.viaFunction.startChat };
  });
  assert.equal(got.href, "/config.html");
  assert.equal(got.name, "kept");
  assert.equal(got.title, "config test");
  assert.match(got.out["location.href"], /^LCW_INVALID_PATH: .*"location" is not a plain object/);
  assert.match(got.out.name, /^LCW_INVALID_PATH: .*"name" is taken/);
  assert.match(got.out["document.title"], /^LCW_INVALID_PATH/);
  assert.match(got.out["window.top.z"], /^LCW_INVALID_PATH/);
  assert.match(got.out["history.state"], /^LCW_INVALID_PATH/);
  assert.equal(got.out["A.B.C"], "installed, installed", "an SDK already there is replaced");
  assert.equal(got.abc, "function");
  assert.equal(got.fn, "function", "a function is a namespace too");
  assert.deepEqual(errors, []);
  await page.context().close();
});
