// The proactive invite and the default widget share the page's bottom
// corner: the invite sits above the launcher, on the widget's side (here a
// left-hand widget with offsets from the server's configuration), and the
// open chat window covers the invite, never the other way round.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";
import { corner, assertAbove } from "./invite-layout.mjs";

const CONFIG = widgetToml("left", `theme = { position = "left", offsetX = 32, offsetY = 40, launcherText = "Chat" }
preChat = { enabled = true, fields = [ { name = "name", label = "Name", kind = "text", required = true } ] }`);

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ config: CONFIG }); });
after(async () => { await browser?.close(); await server?.stop(); });

test("an invite shown after the widget sits above its left-hand launcher; the open window covers it", async () => {
  const { page, ctx, errors } = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=left");
  await waitEvent(page, "lcw:ready");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]")?.shadowRoot?.querySelector(".launcher:not([hidden])"));
  await page.evaluate(() => window.lcw("startProactiveChat", { message: "Need a hand with your order?" }));
  await waitEvent(page, "lcw:proactiveInviteShown");
  const c = await corner(page);
  assert.equal(c.widgetAfter, false, "the widget was there first");
  assertAbove(c, "left");
  assert.equal(c.launcher.left, 32, "the launcher keeps the configured offset");

  // The visitor clicks the launcher (a real click, where it is): the window
  // opens on the pre-chat form, no chat has started, the invite is still up.
  const l = c.launcher;
  await page.mouse.click((l.left + l.right) / 2, (l.top + l.bottom) / 2);
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("form[data-form=prechat]:not([hidden])"));
  const covered = await page.evaluate(() => {
    const host = document.querySelector("[data-lcw-invite]");
    const widget = document.querySelector("[data-lcw-widget]");
    const a = host.shadowRoot.querySelector("button.accept").getBoundingClientRect();
    const w = widget.shadowRoot.querySelector(".window").getBoundingClientRect();
    const inside = a.left >= w.left && a.right <= w.right && a.top >= w.top && a.bottom <= w.bottom;
    return { invite: !!host, inside, hit: document.elementFromPoint(a.x + a.width / 2, a.y + a.height / 2) === widget };
  });
  assert.deepEqual(covered, { invite: true, inside: true, hit: true }, "the window is over the invite where they overlap");
  assert.deepEqual(errors, []);
  await ctx.close();
});
