// Browser check of the agent console: sign in, see a visitor chat with its context, accept, reply;
// asserts the visitor receives the reply and that visitor text is never parsed as HTML.
const { chromium } = require('playwright-core');
(async () => {
  // Usage: start lcw-server (demo config), then: LCW_BASE=http://127.0.0.1:8787 node server/e2e/console_check.cjs
  const base = process.env.LCW_BASE || 'http://127.0.0.1:8787';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  page.on('console', m => console.log('console:', m.type(), m.text()));
  page.on('pageerror', e => console.log('pageerror:', e.message));
  await page.goto(base + '/agent/');
  await page.fill('input[name=username]', 'demo');
  await page.fill('input[name=password]', 'demo');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#desk:not([hidden])', { timeout: 5000 });
  // A visitor starts a chat (as the SDK would, from the demo origin).
  const start = await (await fetch(base + '/v1/conversations', { method: 'POST', headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ widgetId: 'demo', context: { page: { value: '/pricing' } }, preChat: { name: 'Vera <img src=x onerror=alert(1)>' } }) })).json();
  await fetch(base + `/v1/conversations/${start.conversation.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + start.sessionToken },
    body: JSON.stringify({ clientId: 'v1', text: 'Hello <b>agent</b>' }) });
  await page.waitForSelector('#mine li', { timeout: 5000 });
  await page.click('#mine li');
  await page.click('#accept');
  await page.waitForFunction(() => document.querySelector('#messages').textContent.includes('Hello <b>agent</b>'), null, { timeout: 5000 });
  await page.fill('#text', 'Hi Vera, how can I help?');
  await page.press('#text', 'Enter');
  let received = false;
  for (let i = 0; i < 50; i++) {
    const r = await (await fetch(base + `/v1/conversations/${start.conversation.id}/messages?afterSeq=0`, { headers: { authorization: 'Bearer ' + start.sessionToken } })).json();
    if (r.messages.some(m => m.text === 'Hi Vera, how can I help?' && m.sender === 'agent')) { received = true; console.log('visitor received agent reply; messages:', r.messages.map(m => m.seq + ':' + m.sender + ':' + m.text).join(' | ')); break; }
    await new Promise(r => setTimeout(r, 100));
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: process.env.SHOT || 'console.png' });
  const injected = await page.evaluate(() => document.querySelectorAll('#pane img, nav img, #pane b').length);
  console.log('elements injected from visitor text:', injected);
  if (!received || injected !== 0) throw new Error('console check failed');
  console.log('console check: 1 passed, 0 failed');
  await browser.close();
})().catch(e => { console.error('FAILED', e); process.exit(1); });
