// Shared setup of the proactive browser tests: a static server, Chromium,
// contexts with a paused clock (Playwright's page.clock), and readers for
// the invite and the recorded events.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./serve.mjs";
import { launch, waitEvent } from "./browser.mjs";

export let server, browser;
/** Registers the before/after hooks of a test file. */
export function useProactiveKit() {
  before(async () => { server = await serve(); browser = await launch(); });
  after(async () => { await browser?.close(); await server?.close(); });
}

// Inside the winter-sale window of scenario 7 (Paris time).
export const T0 = Date.parse("2025-01-22T10:00:00Z");

export function recordEvents() {
  window.__events = [];
  for (const n of ["ready", "error", "startChat", "closeChat", "proactiveInviteShown", "proactiveInviteAccepted",
    "proactiveInviteDismissed", "proactiveInviteExpired", "proactiveRulesRunning"]) {
    window.addEventListener("lcw:" + n, (e) => window.__events.push({ name: "lcw:" + n, detail: e.detail ?? null }));
  }
}

/** A context whose clock is installed at `time` and paused: time moves only through runFor. */
export async function clockContext({ time = T0, ...options } = {}) {
  const ctx = await browser.newContext(options);
  await ctx.clock.install({ time });
  await ctx.clock.pauseAt(time + 1000);
  return ctx;
}

/**
 * Opens `path` in a new page of `ctx` (a new paused-clock context by default)
 * and waits for lcw:ready, then (unless `rules: false`, a page without rules
 * at load) for lcw:proactiveRulesRunning: the engine's code is a chunk
 * fetched after ready, and a test that moves the clock before it runs would
 * race it.
 */
export async function open(path, { ctx, referer, init, time, rules = true } = {}) {
  ctx = ctx || await clockContext({ time });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(recordEvents);
  if (init) await page.addInitScript(init);
  await page.goto(server.url + path, referer ? { referer } : {});
  await waitEvent(page, "lcw:ready");
  if (rules) await waitEvent(page, "lcw:proactiveRulesRunning");
  return { page, ctx, errors };
}

/** The invite as the visitor sees it (read from its shadow root), or null. */
export function invite(page) {
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

export const events = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);
export const run = (page, ms) => page.clock.runFor(ms);
export const ctxValue = (detail, key) => detail.context[key]?.value;

/** Asserts nothing shows before `ms` and the invite shows at `ms` exactly. */
export async function showsAt(page, ms) {
  await run(page, ms - 100);
  assert.equal(await invite(page), null, `no invite at ${(ms - 100) / 1000} s`);
  assert.equal((await events(page, "lcw:proactiveInviteShown")).length, 0);
  await run(page, 100);
  const shown = await events(page, "lcw:proactiveInviteShown");
  assert.equal(shown.length, 1, `invite at ${ms / 1000} s`);
  return shown[0];
}

export async function acceptAndGetContext(page) {
  await page.locator("[data-lcw-invite] button.accept").click();
  return waitEvent(page, "lcw:startChat");
}
