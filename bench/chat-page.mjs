// What bench/messages.mjs and bench/profile.mjs share: the reference chat
// server without its rate limits, and a visitor page whose chat an agent
// has joined, counting the messages it receives and the sends the server
// stored.
import { startChatServer } from '../tests/e2e/chatserver.mjs';

/** The reference server serving `pkg` at /pkg/, rate limits off (the
 * bursts exceed the default 120 messages per conversation per minute; the
 * demo's agent and widget are still set up). */
export const benchServer = (pkg) =>
  startChatServer({ pkg, config: '[rate_limits]\nper_ip_per_minute = 0\nper_conversation_per_minute = 0\n' });

/** A page of `server` in `ctx` (widget `ui`: "default" or "none") whose chat
 * has started and been joined by an agent. The page counts
 * `window.__received` (lcw:onMessageReceived), `window.__sent`
 * (lcw:onMessageSent) and keeps `window.__errors` (lcw:error details).
 * Resolves to { page, id } (the conversation id). */
export async function chatPage(ctx, server, ui) {
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__received = 0;
    window.__sent = 0;
    window.__errors = [];
    addEventListener('lcw:onMessageReceived', () => { window.__received++; });
    addEventListener('lcw:onMessageSent', () => { window.__sent++; });
    addEventListener('lcw:error', (e) => window.__errors.push(e.detail));
  });
  await page.goto(`${server.url}/config.html?data-server=/&data-widget=demo&data-ui=${ui}`);
  await page.waitForFunction(() => window.lcw && window.lcw.sdk, null, { timeout: 20000 });
  const joined = page.evaluate(() => new Promise((resolve, reject) => {
    addEventListener('lcw:agentJoined', (e) => resolve(e.detail.conversationId), { once: true });
    setTimeout(() => reject(new Error('no agent joined within 20 s')), 20000);
  }));
  await page.evaluate(() => window.lcw('startChat'));
  return { page, id: await joined };
}
