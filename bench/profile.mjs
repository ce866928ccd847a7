// Where a running chat's time goes in the page: a Chromium sampling CPU
// profile (CDP `Profiler`, 50 µs interval) of 4 bursts of 150 messages,
// received (`in`) or sent (`out`), in the core build (or the full one with
// its widget: `--ui default`), printed as the
// functions with the most self time and the most inclusive time (each
// function once per stack). Give it a package with function names, else
// the wasm's frames are only numbers:
//
//   scripts/build.sh --unsplit /tmp/named --names
//   node bench/profile.mjs --pkg /tmp/named [in|out] [--ui default] [--save FILE.cpuprofile]
//
// Needs target/debug/lcw-server (`cargo build -p lcw-server`). The saved
// profile opens in Chromium's DevTools (Performance panel). Not part of
// run.sh or the tests.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { CHROMIUM, ARGS } from './driver.mjs';
import { agent } from '../tests/e2e/chatserver.mjs';
import { benchServer, chatPage } from './chat-page.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const PKG = opt('pkg', null);
if (!PKG) { console.error('profile: --pkg DIR is required (scripts/build.sh --unsplit DIR --names)'); process.exit(1); }
const MODE = argv.includes('in') ? 'in' : 'out';
const UI = opt('ui', 'none');
const BURSTS = 4;
const BURST = 150; // under the outbox's 200 waiting messages

/** Self and inclusive time per function name (µs), and the busy total. */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const perNode = new Map();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) || 0) + (profile.timeDeltas[i] || 0)));
  const name = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()})`;
  const self = new Map();
  const incl = new Map();
  let busy = 0;
  for (const [id, t] of perNode) {
    const n = byId.get(id);
    if (['(idle)', '(program)', '(root)'].includes(n.callFrame.functionName)) continue;
    busy += t;
    self.set(name(n), (self.get(name(n)) || 0) + t);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const nm = name(byId.get(p));
      if (seen.has(nm)) continue;
      seen.add(nm);
      incl.set(nm, (incl.get(nm) || 0) + t);
    }
  }
  return { busy, self, incl };
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const server = await benchServer(PKG);
try {
  const ag = await agent(browser, server.url);
  const ctx = await browser.newContext();
  const { page, id } = await chatPage(ctx, server, UI);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  for (let k = 1; k <= BURSTS; k++) {
    if (MODE === 'out') {
      await page.evaluate((n) => { for (let i = 0; i < n; i++) window.lcw.sdk.sendMessage(`visitor message ${i}: I have a question about my order`); }, BURST);
      await page.waitForFunction((w) => window.__sent >= w, BURST * k, { timeout: 60000 });
    } else {
      await ag.page.evaluate(([cid, n]) => {
        for (let i = 0; i < n; i++) window.__ws.send(JSON.stringify({ type: 'send', conversationId: cid, clientId: crypto.randomUUID(), text: `agent message ${i}: how can I help?` }));
      }, [id, BURST]);
      await page.waitForFunction((w) => window.__received >= w, BURST * k, { timeout: 60000 });
    }
  }
  const { profile } = await cdp.send('Profiler.stop');
  if (opt('save', null)) writeFileSync(opt('save', null), JSON.stringify(profile));
  const { busy, self, incl } = summarize(profile);
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `${(v / 1000).toFixed(1).padStart(8)} ms ${(100 * v / busy).toFixed(0).padStart(3)} %  ${k.slice(0, 140)}`).join('\n');
  console.log(`${MODE}: ${BURSTS * BURST} messages, ${(busy / 1000).toFixed(1)} ms busy (${(busy / BURSTS / BURST).toFixed(0)} µs per message)`);
  console.log(`\nself time:\n${top(self, 25)}\n\ninclusive time:\n${top(incl, 40)}`);
} finally {
  await browser.close();
  await server.stop();
}
