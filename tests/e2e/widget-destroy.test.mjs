// destroy() called by the page from inside a handler of an event the default
// widget dispatches while it is in use (lcw:onMaximize from a launcher
// click, lcw:onMinimize from the window's own button, lcw:startChat): the
// SDK must not trap (a Rust panic is a wasm `unreachable`), the widget
// leaves the page, and nothing the click asked for runs after it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, agent } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer(); });
after(async () => { await browser?.close(); await server?.stop(); });

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const host = "document.querySelector('[data-lcw-widget]')";

async function widgetPage() {
  const { page, errors, ctx } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=demo");
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  return { page, errors, ctx };
}

const destroyedCode = (page) => page.evaluate(() => { try { window.lcw("startChat"); return "no error"; } catch (e) { return e.code; } });

for (const [name, event, how] of [
  ["a window listener", "lcw:onMaximize", "addEventListener"],
  ["an sdk.on subscription", "lcw:onMaximize", "on"],
]) {
  test(`destroy() from ${name} of lcw:onMaximize during the first launcher click: no trap, the widget goes, no chat starts`, async () => {
    const ag = await agent(browser, server.url);
    const before = new Set(await ag.conversations());
    const { page, errors, ctx } = await widgetPage();
    await page.evaluate(([ev, how]) => {
      const sdk = window.lcw.sdk;
      if (how === "on") sdk.on(ev.slice(4), () => sdk.destroy());
      else addEventListener(ev, () => sdk.destroy(), { once: true });
    }, [event, how]);
    await page.evaluate(`${host}.shadowRoot.querySelector('.launcher').click()`);
    await waitEvent(page, event);
    await page.waitForFunction(`!${host}`);
    await pause(500);
    assert.deepEqual(errors, [], "no trap");
    assert.equal(await destroyedCode(page), "LCW_DESTROYED");
    const names = await page.evaluate(() => window.__events.map((e) => e.name));
    assert.ok(!names.includes("lcw:startChat"), names.join());
    assert.deepEqual((await ag.conversations()).filter((c) => !before.has(c)), [], "no conversation was created");
    await ctx.close();
  });
}

test("destroy() from lcw:onMinimize dispatched by the window's own minimize button, and from lcw:startChat: no trap, the widget goes", async () => {
  {
    const { page, errors, ctx } = await widgetPage();
    await page.evaluate(`${host}.shadowRoot.querySelector('.launcher').click()`);
    await waitEvent(page, "lcw:onMaximize");
    await page.evaluate(() => addEventListener("lcw:onMinimize", () => window.lcw.sdk.destroy(), { once: true }));
    await page.evaluate(`${host}.shadowRoot.querySelector('[data-act=minimize]').click()`);
    await page.waitForFunction(`!${host}`);
    await pause(300);
    assert.deepEqual(errors, []);
    assert.equal(await destroyedCode(page), "LCW_DESTROYED");
    await ctx.close();
  }
  {
    const { page, errors, ctx } = await widgetPage();
    await page.evaluate(() => addEventListener("lcw:startChat", () => window.lcw.sdk.destroy(), { once: true }));
    await page.evaluate(() => window.lcw("startChat"));
    await waitEvent(page, "lcw:startChat", "true", 15000);
    await page.waitForFunction(`!${host}`);
    await pause(300);
    assert.deepEqual(errors, []);
    assert.equal(await destroyedCode(page), "LCW_DESTROYED");
    await ctx.close();
  }
});
