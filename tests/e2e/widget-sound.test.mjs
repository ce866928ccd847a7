// The default widget chimes for an agent's message the visitor may not see
// (window minimized, page hidden), never for one on screen, at most once per
// two seconds, and only once the visitor has interacted with the page. The
// header's toggle mutes it; the choice is kept across pages while storage
// consent allows, and erased when consent is withdrawn. The theme's
// `sound = false` removes both. Chimes are counted by wrapping
// OscillatorNode.prototype.start; time is moved on by skewing Date.now.
// Playwright's evaluate counts as a user gesture, so the page's "has the
// visitor interacted" (navigator.userActivation) is replaced where a test
// needs it false.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer, widgetToml } from "./chatserver.mjs";
import { agentChat, setHidden } from "./widget-kit.mjs";

let browser, server;
before(async () => {
  browser = await launch();
  server = await startChatServer({ config: `[[agents]]\nid = "a"\nusername = "demo"\npassword = "demo"\ndisplay_name = "Ada"\ncapacity = 5\n`
    + widgetToml("loud", "") + widgetToml("quiet", `theme = { sound = false }`) });
});
after(async () => { await browser?.close(); await server?.stop(); });

const init = () => {
  window.__chimes = 0;
  if (location.search.includes("inactive")) {
    window.__inactive = true;
    Object.defineProperty(navigator, "userActivation", { configurable: true, get: () => ({ hasBeenActive: !window.__inactive }) });
  }
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { window.__chimes++; return start.apply(this, a); };
  const now = Date.now;
  window.__skew = 0;
  Date.now = () => now() + window.__skew;
};
const chimes = (page) => page.evaluate(() => window.__chimes);
/** Moves the page's clock past the two-second spacing of chimes. */
const later = (page) => page.evaluate(() => { window.__skew += 2500; });
const toggle = (page) => page.evaluate(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[data-act=sound]")?.getAttribute("aria-pressed") ?? null);
const click = (page, sel) => page.evaluate((s) => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector(s).click(), sel);
const stored = (page) => page.evaluate(() => localStorage.getItem("lcw_sound"));

/** A chat on widget `widget`, the window open, after the visitor clicked
 * the page (unless `query` has `inactive`: the page says they have not). */
async function chat(widget, query = "") {
  const { ag, conv, page, ctx, errors, says } = await agentChat(browser, server, `/config.html?data-server=/&data-widget=${widget}${query}`,
    { init, before: (p) => p.mouse.click(5, 5) });
  await says("welcome");
  /** The agent sends `texts` in one go; resolves once the page has the last
   * and its chime decisions (asynchronous with many tabs) have run. */
  const burst = async (texts) => {
    await ag.page.evaluate(([c, ts]) => {
      for (const t of ts) window.__ws.send(JSON.stringify({ type: "send", conversationId: c, clientId: crypto.randomUUID(), text: t }));
    }, [conv, texts]);
    await waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(texts.at(-1))}`);
    await page.waitForTimeout(200);
  };
  return { page, ctx, errors, says, burst };
}

test("a chime for an agent's message off screen, none for one on screen; the toggle mutes it, the next page remembers", async () => {
  const { page, ctx, errors, says, burst } = await chat("loud");
  assert.equal(await page.evaluate(() => document.hasFocus()), true, "the test page has focus");
  assert.equal(await chimes(page), 0, "the window is open on the message: no chime");
  assert.equal(await toggle(page), "true", "the header's toggle: sound on");

  await click(page, "[data-act=minimize]");
  await says("while minimized");
  assert.equal(await chimes(page), 1);
  await says("right after");
  assert.equal(await chimes(page), 1, "a burst chimes once");
  await later(page);
  await burst(["a while later", "and another", "and a third"]);
  assert.equal(await chimes(page), 2, "three at once chime once");

  await click(page, ".launcher");
  await later(page);
  await setHidden(page, true);
  await says("in another tab");
  assert.equal(await chimes(page), 3, "the window is open but the page hidden");
  await setHidden(page, false);

  await click(page, "[data-act=sound]");
  assert.equal(await toggle(page), "false");
  assert.equal(await stored(page), "off", "kept for the next pages");
  await click(page, "[data-act=minimize]");
  await later(page);
  await says("muted");
  assert.equal(await chimes(page), 3, "muted: no chime");

  await page.reload();
  await waitEvent(page, "lcw:chatRetrieved");
  await click(page, ".launcher");
  await page.waitForFunction(() => document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[data-act=sound]"));
  assert.equal(await toggle(page), "false", "the next page remembers");
  await click(page, "[data-act=sound]");
  assert.equal(await stored(page), null, "sound on again: nothing stored");
  await click(page, "[data-act=sound]");
  assert.equal(await stored(page), "off");
  await page.evaluate(() => window.lcw("setConsent", false));
  assert.equal(await stored(page), null, "withdrawing consent erases the choice");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("no chime before the visitor has interacted with the page; none while consent is required and the choice is not stored", async () => {
  const { page, ctx, errors, says } = await chat("loud", "&data-consent=required&inactive");
  await click(page, "[data-act=minimize]");
  await says("no gesture yet");
  assert.equal(await chimes(page), 0, "browsers would not play it: nothing is tried");
  await page.evaluate(() => { window.__inactive = false; });
  await page.mouse.click(5, 5);
  await later(page);
  await says("once the visitor has interacted");
  assert.equal(await chimes(page), 1);
  await click(page, ".launcher");
  await click(page, "[data-act=sound]");
  assert.equal(await toggle(page), "false");
  assert.equal(await stored(page), null, "no consent: the choice lasts for the page only");
  await click(page, "[data-act=minimize]");
  await later(page);
  await says("muted");
  assert.equal(await chimes(page), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a widget configured with sound = false has no toggle and never chimes", async () => {
  const { page, ctx, errors, says } = await chat("quiet");
  assert.equal(await toggle(page), null);
  await click(page, "[data-act=minimize]");
  await says("minimized");
  assert.equal(await chimes(page), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("one conversation in two tabs: no chime while one of them shows the chat; one chime, not two, when neither does", async () => {
  const context = await browser.newContext();
  const a = await agentChat(browser, server, "/config.html?data-server=/&data-widget=loud", { init, context, before: (p) => p.mouse.click(5, 5) });
  const b = await openPage(browser, server.url, "/config.html?data-server=/&data-widget=loud", { init, context });
  await waitEvent(b.page, "lcw:chatRetrieved");
  await b.page.mouse.click(5, 5);
  const open = (page) => page.evaluate(() => !document.querySelector("[data-lcw-widget]").shadowRoot.querySelector("[role=dialog]").hidden);
  if (await open(b.page)) await click(b.page, "[data-act=minimize]");
  assert.equal(await open(a.page), true, "tab A shows the chat");
  const both = async () => (await chimes(a.page)) + (await chimes(b.page));
  const received = (page, text) => waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(text)}`);

  await Promise.all([a.says("seen in tab A"), received(b.page, "seen in tab A")]);
  await b.page.waitForTimeout(300); // tab B's check of the other tabs is asynchronous
  assert.equal(await both(), 0, "tab B's window is closed, but the visitor reads the chat in tab A");

  await click(a.page, "[data-act=minimize]");
  await later(a.page);
  await later(b.page);
  await Promise.all([a.says("seen nowhere"), received(b.page, "seen nowhere")]);
  await b.page.waitForTimeout(300);
  assert.equal(await both(), 1, "one of the two tabs chimes");
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});
