// What a chat costs the visitor's page per message, in a running chat
// against the reference chat server on loopback: the page's main-thread
// script time (Chromium's `Performance.getMetrics` ScriptDuration) and task
// time (TaskDuration: script plus style, layout and the rest) over a burst
// of messages, divided by the number of messages.
//   - in: the agent sends a burst; counted until the page has had an
//     `lcw:onMessageReceived` for each (socket frame, parse, the session's
//     timeline, the event; in the full build also the widget's list);
//   - out: the page calls `sendMessage` for each (also timed alone: the
//     synchronous call) and the count runs until an `lcw:onMessageSent`
//     (the server stored it) has come for each.
// Each page first does a warm-up burst each way (not kept) so the wasm has
// tiered up. `--pkg-b DIR` runs another build of ours interleaved, in the
// same run: say `scripts/build.sh --unsplit DIR`, the same code without the
// chat chunk's boundary (a chunk calls the main module's functions through
// the shared function table).
//
//   node bench/messages.mjs [--runs 5] [--messages 200] [--pkg-b DIR]
//
// Needs target/debug/lcw-server (`cargo build -p lcw-server`) and pkg/
// (scripts/build.sh). Not part of run.sh or the tests.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, ARGS } from './driver.mjs';
import { agent } from '../tests/e2e/chatserver.mjs';
import { benchServer, chatPage } from './chat-page.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const RUNS = Number(opt('runs', 5));
const N = Number(opt('messages', 200));
const WARM = 50;
const builds = [['ours', join(ROOT, 'pkg')]];
if (opt('pkg-b', null)) builds.push(['b', opt('pkg-b', null)]);
for (const [, dir] of builds) if (!existsSync(join(dir, 'lcw.js'))) { console.error(`messages: no ${dir}/lcw.js`); process.exit(1); }
const UIS = [['full', 'default'], ['core', 'none']];

const metrics = async (cdp) => {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const get = (n) => list.find((m) => m.name === n).value * 1000; // ms
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
};

/** Runs `act` and waits (in the page) until `done()` is true; returns the
 * page's script and task time over it, in µs per message. */
async function measured(page, cdp, act, done, want, n) {
  const a = await metrics(cdp);
  const sync = await act();
  await page.waitForFunction(done, want, { timeout: 60000, polling: 50 }).catch(async (e) => {
    const state = await page.evaluate(() => JSON.stringify({ received: window.__received, sent: window.__sent, errors: window.__errors }));
    throw new Error(`messages: ${e.message}; page: ${state}`);
  });
  await page.waitForTimeout(100); // the last message's trailing work
  const b = await metrics(cdp);
  return { script: ((b.script - a.script) * 1000) / n, task: ((b.task - a.task) * 1000) / n, sync };
}

/** One page of one build: starts a chat, a warm-up burst, then a measured one each way. */
async function once(browser, server, ag, ui) {
  const ctx = await browser.newContext();
  try {
    const { page, id } = await chatPage(ctx, server, ui);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable');
    let sent = 0;
    const inbound = (n) => measured(page, cdp,
      () => ag.page.evaluate(([cid, n, from]) => {
        for (let i = 0; i < n; i++) window.__ws.send(JSON.stringify({ type: 'send', conversationId: cid, clientId: crypto.randomUUID(), text: `agent message ${from + i}: how can I help you today?` }));
      }, [id, n, sent]).then(() => { sent += n; }),
      (want) => window.__received >= want, sent + n, n);
    let asked = 0;
    const outbound = (n) => measured(page, cdp,
      () => page.evaluate(([n, from]) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) window.lcw.sdk.sendMessage(`visitor message ${from + i}: I have a question about my order`);
        return ((performance.now() - t0) * 1000) / n;
      }, [n, asked]).then((sync) => { asked += n; return sync; }),
      (want) => window.__sent >= want, asked + n, n);
    await inbound(WARM);
    await outbound(WARM);
    const inn = await inbound(N);
    const out = await outbound(N);
    const errors = await page.evaluate(() => window.__errors);
    if (errors.length) throw new Error(`messages: lcw:error ${JSON.stringify(errors)}`);
    // The demo agent takes 5 chats at a time: end this one.
    await page.evaluate(() => window.lcw('closeChat'));
    return { inn, out };
  } finally {
    await ctx.close();
  }
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const fmt = (v) => `${median(v).toFixed(1)} [${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const servers = [];
try {
  for (const [label, pkg] of builds) {
    const server = await benchServer(pkg);
    servers.push(server);
    const ag = await agent(browser, server.url);
    builds.find((b) => b[0] === label).push(server, ag);
  }
  const results = new Map();
  for (let r = 0; r < RUNS; r++) {
    for (const [label, , server, ag] of builds) {
      for (const [build, ui] of UIS) {
        const { inn, out } = await once(browser, server, ag, ui);
        const key = `${label} ${build}`;
        if (!results.has(key)) results.set(key, { inScript: [], inTask: [], outScript: [], outTask: [], outSync: [] });
        const s = results.get(key);
        s.inScript.push(inn.script); s.inTask.push(inn.task);
        s.outScript.push(out.script); s.outTask.push(out.task); s.outSync.push(out.sync);
      }
    }
  }
  console.log(`per message, µs, median [min–max] of ${RUNS} pages, ${N} messages each way per page (Chromium ${browser.version()}):\n`);
  console.log('| build | in: script | in: task | out: script | out: task | out: sendMessage call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [key, s] of results) {
    console.log(`| ${key} | ${fmt(s.inScript)} | ${fmt(s.inTask)} | ${fmt(s.outScript)} | ${fmt(s.outTask)} | ${fmt(s.outSync)} |`);
  }
} finally {
  await browser.close();
  for (const s of servers) await s.stop();
}
