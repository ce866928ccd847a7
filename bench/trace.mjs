// Compile time to ready, from Chromium's trace (issue 7: "script/compile
// time"). CDP's Performance.getMetrics has a `V8CompileDuration`, but it
// stays under 1 ms for every page here, a 3.9 MB bundle included: it does
// not count lazy function compiles, script streaming or any wasm compile.
// The trace does, so compile time comes from separate traced cold loads
// (tracing slows a page down, so no other figure is taken from them).
//
// For the window navigation start -> ready, per load:
//   jsMain    V8 parsing and compiling JavaScript on the page's main thread
//             (V8.Parse*, V8.PreParse, V8.Compile*, v8.compile), nested
//             events counted once;
//   wasmMain  V8's wasm work on the main thread that is not running code or
//             instantiating: streaming decode and validation handed to the
//             main thread, finishing the module, lazy compilation of each
//             function at its first call (wasm.CompileLazy);
//   other     JS and wasm compile work on every other renderer thread
//             (script streaming, background compile tasks, wasm validation
//             and tier-up), summed over the threads.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, ARGS, waitReady } from './driver.mjs';

/** Trace categories with V8's compile and wasm events and the page's timing marks. */
export const CATEGORIES = ['devtools.timeline', 'v8', 'v8.wasm', 'v8.execute', 'blink.user_timing', 'loading',
  'disabled-by-default-v8.compile', 'disabled-by-default-devtools.timeline'];

/** Total length of a set of [start, end] intervals, overlaps counted once. */
export function union(iv) {
  iv.sort((a, b) => a[0] - b[0]);
  let sum = 0, cur = null;
  for (const [a, b] of iv) {
    if (!cur || a > cur[1]) { if (cur) sum += cur[1] - cur[0]; cur = [a, b]; } else cur[1] = Math.max(cur[1], b);
  }
  return cur ? sum + cur[1] - cur[0] : sum;
}

const JS_COMPILE = (e) => /^(V8\.(Parse|PreParse|Compile)|v8\.compile|v8\.parseOnBackground|BackgroundCompileTask)/.test(e.name);
const WASM_COMPILE = (e) => /(^|,)v8\.wasm(,|$)/.test(e.cat) ? !/Instantiate/.test(e.name) : /^v8\.wasm\.compile/.test(e.name);

/**
 * Compile times (ms) between navigation start and `readyMs` after it, for
 * the page at `url`, from a list of trace events.
 */
export function compileTimes(events, url, readyMs) {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args && e.args.data && e.args.data.documentLoaderURL === url);
  if (!nav) return null;
  const [t0, t1] = [nav.ts, nav.ts + readyMs * 1000];
  const clip = (e) => [Math.max(e.ts, t0), Math.min(e.ts + e.dur, t1)];
  const jsMain = [], wasmMain = [], other = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || e.pid !== nav.pid) continue;
    const js = JS_COMPILE(e), wasm = !js && WASM_COMPILE(e);
    if (!js && !wasm) continue;
    const iv = clip(e);
    if (iv[1] <= iv[0]) continue;
    if (e.tid === nav.tid) (js ? jsMain : wasmMain).push(iv);
    else {
      if (!other.has(e.tid)) other.set(e.tid, []);
      other.get(e.tid).push(iv);
    }
  }
  let otherMs = 0;
  for (const iv of other.values()) otherMs += union(iv) / 1000;
  return { jsMain: union(jsMain) / 1000, wasmMain: union(wasmMain) / 1000, other: otherMs };
}

/**
 * One cold load (new Chromium, empty profile, as driver.mjs) recorded with
 * tracing until ready; returns { ok, ready, jsMain, wasmMain, other }.
 */
export async function tracedLoad(url, timeoutMs = 20000) {
  const dir = mkdtempSync(join(tmpdir(), 'lcw-bench-trace-'));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
    const page = ctx.pages()[0] || (await ctx.newPage());
    const cdp = await ctx.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const ready = await waitReady(page, timeoutMs);
    await cdp.send('Tracing.end');
    await complete;
    if (ready === null) return { ok: false, error: `no ready within ${timeoutMs} ms` };
    const c = compileTimes(events, url, ready);
    if (!c) return { ok: false, error: 'no navigationStart for the page in the trace' };
    return { ok: true, ready, ...c };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message.split('\n')[0] : e) };
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
