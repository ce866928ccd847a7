// Cold page loads in headless Chromium through playwright-core.
// One load = a new Chromium process with a new, empty user-data dir (so no
// HTTP cache, no V8 code cache, no service worker), one page, one navigation.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
  // No host resolves except loopback: peers that try to reach their cloud
  // fail at once instead of waiting on DNS (this machine has no network).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS || 500);
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_MS || 20000);

const metric = (list, name) => {
  const m = list.metrics.find((x) => x.name === name);
  return m ? m.value : NaN;
};

/**
 * The page's ready time (ms from navigation start), or null after `timeout`
 * ms: one evaluation that resolves on ready (no polling inside the page).
 */
export function waitReady(page, timeout) {
  return page.evaluate((t) => new Promise((resolve) => {
    const b = window.__bench;
    if (b.ready !== undefined) return resolve(b.ready);
    const give = () => resolve(b.ready === undefined ? null : b.ready);
    const orig = window.__benchReady;
    window.__benchReady = () => { orig(); give(); };
    addEventListener('lcw:ready', give);
    setTimeout(give, t);
  }), timeout);
}

// Returns one sample: { ok, ready, fcp, scriptMs, heapAtReady, heap,
// wasmMem, longTasks, longTaskMs, errors, failedRequests } or { ok:false, error }.
export async function coldLoad(url) {
  const dir = mkdtempSync(join(tmpdir(), 'lcw-bench-'));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 },
    });
    const page = ctx.pages()[0] || (await ctx.newPage());
    const failedRequests = [];
    page.on('requestfailed', (r) => failedRequests.push(r.url()));
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: READY_TIMEOUT_MS });
    const ready = await waitReady(page, READY_TIMEOUT_MS);
    if (ready === null) {
      const errors = await page.evaluate(() => window.__bench.errors);
      return { ok: false, error: `no ready within ${READY_TIMEOUT_MS} ms`, errors, failedRequests };
    }
    const atReady = await cdp.send('Performance.getMetrics');
    await page.waitForTimeout(SETTLE_MS);
    const inPage = await page.evaluate(() => {
      const b = window.__bench;
      return {
        longtasks: b.longtasks,
        wasmMem: b.mems.reduce((s, m) => s + m.buffer.byteLength, 0),
        wasmInstances: b.mems.length,
        // The host page's own first contentful paint: whether loading the
        // SDK holds back the page the visitor came for.
        fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
        errors: b.errors,
        // Request timeline of same-origin files (ms from navigation start).
        resources: performance.getEntriesByType('resource')
          .filter((e) => e.name.startsWith(location.origin))
          .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })),
      };
    });
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const version = await cdp.send('Browser.getVersion').catch(() => null);
    return {
      ok: true,
      ready,
      scriptMs: metric(atReady, 'ScriptDuration') * 1000,
      heapAtReady: metric(atReady, 'JSHeapUsedSize'),
      heap: heap.usedSize,
      fcp: inPage.fcp,
      wasmMem: inPage.wasmMem,
      wasmInstances: inPage.wasmInstances,
      longTasks: inPage.longtasks.length,
      longTaskMs: inPage.longtasks.reduce((s, [, d]) => s + d, 0),
      // [start, duration] of each long task (ms from navigation start), in
      // out/samples.json: which step of the load they are.
      longTaskList: inPage.longtasks,
      errors: inPage.errors,
      resources: inPage.resources,
      failedRequests,
      browser: version && version.product,
    };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message.split('\n')[0] : e) };
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
