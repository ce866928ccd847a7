// The trigger engine in the browser: the same 100 rules as the host bench
// (examples/trigger_bench.rs --rules, file given as argv[2]) loaded into our
// core build in headless Chromium, then `sdk.setPageData({benchKey: i})`
// called in a loop: each call crosses into wasm, converts the object and
// runs one engine evaluation of every rule (no rule fires: the page path is
// the host bench's, its timed rules are seconds away). The same loop before
// any rule is loaded gives the cost of the call alone. Prints one line per
// figure; run.sh appends them to out/trigger_bench.txt. One warm-up run
// before each measured set is not kept.
//
//   node bench/engine.mjs out/rules.json
//   node bench/engine.mjs out/rules.json --pkg DIR   # another package
//     (say, `scripts/build.sh --unsplit DIR`: the engine without the chunk
//     boundary)
import { chromium } from 'playwright-core';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, DIRS, SOURCE_PKG } from './server.mjs';
import { CHROMIUM, ARGS } from './driver.mjs';

const RUNS = 7;
const CALLS = 2000;
const rules = readFileSync(process.argv[2], 'utf8');
const pkgArg = process.argv.indexOf('--pkg');
const source = pkgArg > 0 ? process.argv[pkgArg + 1] : SOURCE_PKG;
if (!existsSync(join(source, 'lcw_core_bg.wasm'))) {
  console.log(`browser: not run (no core build in ${source})`);
  process.exit(0);
}
rmSync(DIRS.pkg, { recursive: true, force: true });
cpSync(source, DIRS.pkg, { recursive: true });

const srv = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'lcw-engine-'));
const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  const page = ctx.pages()[0] || (await ctx.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => addEventListener('lcw:error', (e) => (window.__lcwErrors = (window.__lcwErrors || []).concat(e.detail))));
  await page.goto(`http://127.0.0.1:${srv.port}/t/lcw-core.html`);
  await page.waitForFunction(() => window.lcw && window.lcw.sdk, null, { timeout: 20000 });
  // The host bench's page; the SDK takes a pushState as a new page view.
  await page.evaluate(() => history.pushState(null, '', '/product/42?ref=mail'));
  const loop = (calls) => page.evaluate(({ runs, calls }) => {
    const sdk = window.lcw.sdk;
    const out = [];
    for (let r = -1; r < runs; r++) { // run -1 warms up (the wasm tiers up) and is not kept
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) sdk.setPageData({ benchKey: i });
      if (r >= 0) out.push(((performance.now() - t0) * 1e6) / calls); // ns per call
    }
    return out;
  }, { runs: RUNS, calls });
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const fmt = (v) => `[${v.map((x) => x.toFixed(0)).join(', ')}]`;
  const bare = await loop(CALLS);
  // The code that runs rules is a chunk fetched when rules come: measure
  // once it runs them.
  await page.evaluate((r) => new Promise((resolve) => {
    addEventListener('lcw:proactiveRulesRunning', resolve, { once: true });
    window.lcw.sdk.setProactiveRules(r);
  }), rules);
  const loaded = await page.evaluate(() => (window.__lcwErrors || []).length);
  const full = await loop(CALLS);
  const browser = (await ctx.browser()?.version()) || 'Chromium';
  console.log(`browser (${browser}, wasm core build, ${CALLS} setPageData calls per run):`);
  console.log(`  with the 100 rules: ${median(full).toFixed(0)} ns/call median of ${RUNS} runs ${fmt(full)}`);
  console.log(`  with no rules (the call alone): ${median(bare).toFixed(0)} ns/call median of ${RUNS} runs ${fmt(bare)}`);
  console.log(`  one evaluation of 100 rules in the browser: ${(median(full) - median(bare)).toFixed(0)} ns (difference of the medians)`);
  if (loaded || errors.length) console.log(`  errors: ${loaded} lcw:error while loading the rules; page errors: ${errors.join('; ') || 'none'}`);
} finally {
  await ctx.close();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
