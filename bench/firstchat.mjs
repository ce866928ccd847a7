// The first chat's start: how long `startChat()` takes to `lcw:startChat`
// on a page that has just loaded (a new Chromium per load, nothing cached),
// against the reference chat server on loopback. Since the split build
// (src/web/lazy.rs) this includes fetching and compiling the chat chunk,
// which a page that never chats never pays; `--pkg-b DIR` measures another
// build of ours (say, from before a change) interleaved in the same run.
// Both builds: the full one (widget) and the core one (`data-ui="none"`).
// And the widget's first open: a click on the launcher (a script's click,
// so no pointer came near it first and nothing was prefetched) to
// `lcw:onMaximize`, which since the window's code came with the chat chunk
// (src/web/ui/window.rs) includes fetching that chunk.
//
//   node bench/firstchat.mjs [--loads 15] [--pkg-b DIR]
//
// Needs target/debug/lcw-server (the test command builds it; else
// `cargo build -p lcw-server`) and pkg/ (scripts/build.sh). Not part of
// run.sh or the tests; prints one line per build and page.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, ARGS } from './driver.mjs';
import { stats } from './sizes.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const LOADS = Number(opt('loads', 15));
const builds = [['ours', join(ROOT, 'pkg')]];
if (opt('pkg-b', null)) builds.push(['b', opt('pkg-b', null)]);
const BIN = join(ROOT, 'target/debug/lcw-server');
if (!existsSync(BIN)) { console.error(`firstchat: no ${BIN} (cargo build -p lcw-server)`); process.exit(1); }
for (const [, dir] of builds) if (!existsSync(join(dir, 'lcw.js'))) { console.error(`firstchat: no ${dir}/lcw.js`); process.exit(1); }

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function startServer(pkg) {
  const port = await freePort();
  const child = spawn(BIN, ['--addr', `127.0.0.1:${port}`, '--db', ':memory:', '--static', join(ROOT, 'tests/e2e/pages'), '--pkg', pkg],
    { stdio: 'ignore', env: { RUST_LOG: 'warn', ...process.env } });
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { port, child }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`firstchat: lcw-server on ${pkg} did not start`);
}

/** One cold load: ready, a short settle, then startChat -> lcw:startChat
 * (ms) and the chunk's fetch; or (`open`) a launcher click -> lcw:onMaximize. */
async function once(port, ui, open) {
  const dir = mkdtempSync(join(tmpdir(), 'lcw-firstchat-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    await page.goto(`http://127.0.0.1:${port}/config.html?data-server=/&data-widget=demo&data-ui=${ui}`);
    await page.waitForFunction(() => window.lcw && window.lcw.sdk, null, { timeout: 20000 });
    if (open) await page.waitForFunction(() => document.querySelector('[data-lcw-widget]')?.shadowRoot?.querySelector('.launcher:not([hidden])'), null, { timeout: 20000 });
    await page.waitForTimeout(300);
    // From the action to its event (the launcher's click or startChat).
    return await page.evaluate((open) => new Promise((resolve, reject) => {
      const t0 = performance.now();
      addEventListener(open ? 'lcw:onMaximize' : 'lcw:startChat', () => resolve({
        ms: performance.now() - t0,
        chunk: performance.getEntriesByType('resource').some((r) => r.name.endsWith('_chat.wasm')),
      }), { once: true });
      addEventListener('lcw:error', (e) => reject(new Error(`lcw:error ${e.detail.errorCode}: ${e.detail.errorDescription}`)), { once: true });
      if (open) document.querySelector('[data-lcw-widget]').shadowRoot.querySelector('.launcher').click();
      else window.lcw('startChat');
    }), !!open);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const servers = await Promise.all(builds.map(([, dir]) => startServer(dir)));
const pages = [['full', 'default'], ['core', 'none'], ['full open', 'default', true]];
const samples = {};
try {
  for (let i = 0; i < LOADS; i++) {
    for (const [b, [name]] of builds.entries()) {
      for (const [page, ui, open] of pages) {
        const r = await once(servers[b].port, ui, open);
        (samples[`${name} ${page}`] ||= []).push(r);
      }
    }
  }
} finally {
  servers.forEach((s) => s.child.kill());
}
console.log(`first chat: startChat -> lcw:startChat on a cold page; "full open": a launcher click -> lcw:onMaximize (${LOADS} loads each, loopback chat server), median [min-max]`);
for (const [key, rs] of Object.entries(samples)) {
  const s = stats(rs.map((r) => r.ms));
  const chunk = rs.filter((r) => r.chunk).length;
  console.log(`  ${key.padEnd(16)} ${s.median.toFixed(1)} ms [${s.min.toFixed(1)}-${s.max.toFixed(1)}]; chat chunk fetched in ${chunk} of ${rs.length}`);
}
