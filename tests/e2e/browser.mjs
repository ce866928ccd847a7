// Launches Debian's Chromium through playwright-core (never a downloaded browser).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** A browser for one test file. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Opens `path` and waits for `lcw:ready` (or an `lcw:error` when `expectError`). */
export async function openPage(browser, base, path, { init, context } = {}) {
  const ctx = context || await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__events = [];
    for (const n of ["ready", "error", "startChat", "closeChat", "chatQueued", "chatRetrieved", "onClose", "onMinimize",
      "onMaximize", "onMessageReceived", "onMessageSent", "threadUpdate", "getAgentAvailability", "proactiveInviteShown",
      "proactiveInviteAccepted", "proactiveInviteDismissed", "proactiveInviteExpired", "proactiveRulesRunning", "chatReconnecting", "chatReconnected",
      "messagesRead", "videoRequested", "videoInvite", "videoCallStarted", "videoCallConnected", "videoCallReconnecting", "videoCallEnded"]) {
      window.addEventListener("lcw:" + n, (e) => window.__events.push({ name: "lcw:" + n, detail: e.detail ?? null }));
    }
  });
  if (init) await page.addInitScript(init);
  await page.goto(base + path);
  return { page, ctx, errors };
}

/** Waits until an event named `name` (matching the expression `pred` over `d`)
 * was seen; returns its detail. Works under a strict CSP (no 'unsafe-eval'):
 * nothing is compiled from a string in the page. (Playwright compiles a string
 * predicate with the page's `eval` on every check; the CSP allows the first
 * check, run from the protocol, and throws EvalError in the later ones, so a
 * wait that began before its event failed.) The page is polled with a real
 * function for the details of that event; `pred` is compiled and run here. */
export async function waitEvent(page, name, pred = "true", timeout = 15000) {
  const match = new Function("d", `return (${pred});`);
  const deadline = Date.now() + timeout;
  for (let seen = 0; ;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`waitEvent: no ${name} with ${pred} within ${timeout} ms`);
    const handle = await page.waitForFunction(([n, k]) => {
      const all = (window.__events || []).filter((e) => e.name === n);
      return all.length > k && all.map((e) => e.detail);
    }, [name, seen], { timeout: left });
    const details = await handle.jsonValue();
    const i = details.findIndex((d, at) => at >= seen && match(d));
    if (i >= 0) return details[i];
    seen = details.length;
  }
}

const AXE = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

/** Runs axe-core over the default widget on `page`; fails on any violation. */
export async function axe(page, label) {
  if ((await page.evaluate(() => typeof window.axe)) === "undefined") await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("[data-lcw-widget]"), { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary) }));
  });
  assert.deepEqual(res, [], `${label}: axe violations\n${JSON.stringify(res, null, 1)}`);
}
