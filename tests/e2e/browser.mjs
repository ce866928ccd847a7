// Launches Debian's Chromium through playwright-core (never a downloaded browser).
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
      "proactiveInviteAccepted", "proactiveInviteDismissed", "proactiveInviteExpired"]) {
      window.addEventListener("lcw:" + n, (e) => window.__events.push({ name: "lcw:" + n, detail: e.detail ?? null }));
    }
  });
  if (init) await page.addInitScript(init);
  await page.goto(base + path);
  return { page, ctx, errors };
}

/** Waits until an event named `name` (matching the expression `pred` over `d`)
 * was seen; returns its detail. The predicate is compiled by Playwright over
 * CDP, not with `new Function` in the page, so it works under a strict CSP. */
export async function waitEvent(page, name, pred = "true", timeout = 15000) {
  const expr = `window.__events && window.__events.find((e) => e.name === ${JSON.stringify(name)} && ((d) => (${pred}))(e.detail))`;
  const handle = await page.waitForFunction(expr, null, { timeout });
  return (await handle.jsonValue()).detail;
}
