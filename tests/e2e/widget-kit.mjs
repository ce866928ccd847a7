// Shared set-up of the default widget's chat tests: a visitor page with a
// chat that an agent (a page on the agent socket) has accepted.
import { openPage, waitEvent } from "./browser.mjs";
import { agent } from "./chatserver.mjs";

/** Opens `path` on `server` (in `context`, or a new one), waits for ready, runs `before(page)` if given
 * (say, a click that counts as the visitor's gesture), starts the chat and
 * waits for the agent to have it. `says(text)`: the agent sends `text` and
 * it resolves once the page has received it. */
export async function agentChat(browser, server, path, { init, before, context } = {}) {
  const ag = await agent(browser, server.url);
  const { page, ctx, errors } = await openPage(browser, server.url, path, { init, context });
  await waitEvent(page, "lcw:ready");
  if (before) await before(page);
  await page.evaluate(() => window.lcw("startChat"));
  await waitEvent(page, "lcw:startChat");
  const conv = await ag.firstConversation();
  const says = async (text) => {
    await ag.send(conv, text);
    await waitEvent(page, "lcw:onMessageReceived", `d.text === ${JSON.stringify(text)}`);
  };
  return { ag, conv, page, ctx, errors, says };
}

/** Makes the page hidden or shown, as a tab switch does. Headless Chromium
 * keeps every page visible, so the document's two properties are replaced
 * and the event the browser would fire is dispatched. */
export const setHidden = (page, hidden) => page.evaluate((h) => {
  Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
  document.dispatchEvent(new Event("visibilitychange", { bubbles: true })); // as the browser fires it
}, hidden);
