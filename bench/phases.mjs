// Where the time between our bytes arriving and `lcw:ready` goes (issue 7).
// Not part of run.sh. `node phases.mjs [--loads N] [--targets lcw,lcw-core,floor-wasm]
//   [--no-trace] [--dump] [--loader FILE]`
//
// Each load is cold (new Chromium process, as in driver.mjs) and recorded
// with Chromium tracing. The page loads a copy of our loader with User
// Timing marks added at each step (js/lcw.js with performance.mark calls,
// served from out/pkg-phases/; the rest of the package is the same bytes),
// and an init script wraps fetch (.wasm) and WebAssembly.instantiateStreaming,
// instantiate and compileStreaming to mark their calls and results, and
// times each wasm import called during createSdk. Prints the medians of the
// steps (Resource Timing for requests) and, from the trace, what the main
// thread did in each window between two marks.
import { chromium } from 'playwright-core';
import { cpSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, DIRS, SOURCE_PKG, ROOT } from './server.mjs';
import { CHROMIUM, ARGS } from './driver.mjs';
import { writeFloor } from './floor.mjs';
import { CATEGORIES, union } from './trace.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const LOADS = Number(opt('loads', 5));
const TARGETS = opt('targets', 'lcw,lcw-core').split(',');
const DUMP = argv.includes('--dump');
// --no-trace: marks and Resource Timing only (tracing slows the page down;
// the step times are truer without it, the per-kind split needs it).
const TRACE = !argv.includes('--no-trace');

// The marked loader: same code as js/lcw.js plus marks. Fails loudly if the
// loader changed shape so that a mark has nowhere to go.
const MARKS = [
  [/"use strict";/, '"use strict"; performance.mark("loader");'],
  [/(\.then\(function \(glue\) \{)/, '$1 performance.mark("glue-evaluated");'],
  [/(var config = \{\};)/, 'performance.mark("instantiated"); $1'],
  [/(var sdk = glue\.createSdk\(config\);)/, 'performance.mark("create-start"); window.__inCreate = true; $1 window.__inCreate = false; performance.mark("create-end");'],
];
// --loader FILE: mark another (unminified) loader instead of js/lcw.js, to compare two.
let loader = readFileSync(opt('loader', join(ROOT, 'js', 'lcw.js')), 'utf8');
for (const [re, to] of MARKS) {
  if (!re.test(loader)) throw new Error(`phases: js/lcw.js has no place for ${to}`);
  loader = loader.replace(re, to);
}
const dir = join(here, 'out', 'pkg-phases');
rmSync(dir, { recursive: true, force: true });
cpSync(SOURCE_PKG, dir, { recursive: true });
writeFileSync(join(dir, 'lcw.js'), loader);
DIRS.pkg = dir;
writeFloor(DIRS.floor);

const srv = await startServer();
// The wrap also times every import (host call) the wasm makes during
// createSdk: window.__imports = { name: [calls, ms] }.
const PAGE_HEAD_WRAP = `(() => { const W = WebAssembly, s = W.instantiateStreaming, si = W.instantiate, cs = W.compileStreaming, f0 = fetch;
  const imp = window.__imports = {};
  const wrapImports = (o) => { if (!o) return o; for (const m of Object.keys(o)) for (const k of Object.keys(o[m])) {
    const f = o[m][k]; if (typeof f !== 'function') continue;
    const n = k.replace(/^__wbg_|_[0-9a-f]{8,}$/g, '');
    o[m][k] = function () { if (!window.__inCreate) return f.apply(this, arguments);
      const t = performance.now(); try { return f.apply(this, arguments); } finally {
        const r = imp[n] || (imp[n] = [0, 0, []]); const d = performance.now() - t; r[0]++; r[1] += d; r[2].push(d); } }; } return o; };
  const timed = (name, p) => { performance.mark(name + '-call'); return p.then((r) => { performance.mark(name + '-done'); return r; }); };
  window.fetch = function (u) { const p = f0.apply(this, arguments);
    if (/\\.wasm$/.test(String(u && u.url || u))) p.then(() => performance.mark('wasm-headers'), () => {}); return p; };
  W.instantiate = function (a, b) { return timed(a instanceof W.Module ? 'instantiate' : 'instantiate(bytes)', si.call(W, a, wrapImports(b))); };
  W.instantiateStreaming = function (a, b) { return timed('instantiateStreaming', s.call(W, a, wrapImports(b))); };
  if (cs) W.compileStreaming = function () { return timed('compileStreaming', cs.apply(W, arguments)); };
  addEventListener('lcw:ready', () => performance.mark('ready')); })();`;

async function load(target) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript(PAGE_HEAD_WRAP);
    if (TRACE) await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(`http://127.0.0.1:${srv.port}/t/${target}.html`, { waitUntil: 'domcontentloaded' });
    const { marks, resources, imports } = await page.evaluate(() => new Promise((res) => {
      const done = () => setTimeout(() => res({
        imports: window.__imports,
        marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
        resources: Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), { start: e.startTime, end: e.responseEnd }])),
      }), 50);
      if (performance.getEntriesByName('ready').length) done(); else addEventListener('lcw:ready', done);
    }));
    const trace = TRACE ? JSON.parse((await browser.stopTracing()).toString()).traceEvents : [];
    return { marks, resources, imports, trace };
  } finally {
    await browser.close();
  }
}

// Trace timestamps (µs) are put on the page's performance.now() clock with
// the "loader"/"ready" User Timing marks, which appear in both. Then, for
// each window between two marks, the main thread's time in each kind of
// work (union of intervals, so nested events count once) and V8's wasm work
// on other threads.
const KINDS = {
  'wasm lazy compile (main)': (e, main) => main && e.name === 'wasm.CompileLazy',
  'wasm compile/validate (main)': (e, main) => main && /wasm/i.test(e.name) && !/CompileLazy|Instantiate/.test(e.name),
  'wasm instantiate (main)': (e, main) => main && /wasm\.(Sync|Async)Instantiate/.test(e.name),
  'JS compile (main)': (e, main) => main && /^(V8\.Compile|v8\.compile)/.test(e.name),
  'GC (main)': (e, main) => main && /^(V8\.GC|MajorGC|MinorGC|V8\.GC_)/.test(e.name),
  'main thread busy': (e, main) => main && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'),
  'wasm work, other threads': (e, main) => !main && /wasm/i.test(e.name),
};
// The chain of marks on the way to ready; each window is the time between
// two consecutive marks present in a load (the wasm fetch and compile run
// beside this chain and show in the step table only).
const CHAIN = ['loader-response', 'loader', 'glue-evaluated', 'instantiateStreaming-call', 'instantiateStreaming-done',
  'instantiate(bytes)-call', 'instantiate(bytes)-done', 'instantiate-call', 'instantiate-done', 'instantiated', 'create-start', 'create-end', 'ready'];
const DESC = {
  loader: 'loader response end → loader runs', 'glue-evaluated': 'loader runs → glue fetched and evaluated',
  'instantiateStreaming-done': 'instantiateStreaming (compile + instantiate)', 'instantiate-done': 'instantiate (compiled module)',
  'instantiate(bytes)-done': 'instantiate (from bytes: compile + instantiate)', instantiated: '→ init resolved (__wbindgen_start, promise hops)',
  'create-start': '→ createSdk called', 'create-end': 'createSdk (Rust init)', ready: 'createSdk returned → lcw:ready (queue, microtask, dispatch)',
};
const windowsOf = (marks) => {
  const present = CHAIN.filter((m) => Number.isFinite(marks[m]));
  return present.slice(1).map((b, i) => [DESC[b] || `${present[i]} → ${b}`, present[i], b]);
};
function analyse({ marks, trace, resources, imports }) {
  const anchor = trace.find((e) => e.name === 'loader' && /user_timing/.test(e.cat)) || trace.find((e) => e.name === 'ready' && /user_timing/.test(e.cat));
  marks['loader-response'] = (resources['lcw.js'] || resources['loader.js'] || {}).end;
  const off = anchor ? anchor.ts / 1000 - marks[anchor.name] : 0;
  const at = (ts) => ts / 1000 - off;
  const [mainPid, mainTid] = anchor ? [anchor.pid, anchor.tid] : [null, null];
  const windows = {};
  for (const [label, a, b] of windowsOf(marks)) {
    const [wa, wb] = [marks[a], marks[b]];
    if (!Number.isFinite(wa) || !Number.isFinite(wb)) continue;
    const w = { length: wb - wa };
    for (const [kind, test] of Object.entries(KINDS)) {
      const iv = [];
      for (const e of trace) {
        if (e.ph !== 'X' || !e.dur) continue;
        const main = e.pid === mainPid && e.tid === mainTid;
        if (!test(e, main)) continue;
        const s = Math.max(at(e.ts), wa), t = Math.min(at(e.ts + e.dur), wb);
        if (t > s) iv.push([s, t]);
      }
      w[kind] = union(iv);
    }
    // Per event name (main thread, nested events counted in each), for --dump.
    w.names = {};
    for (const e of trace) {
      if (e.ph !== 'X' || !e.dur || e.pid !== mainPid || e.tid !== mainTid) continue;
      const s = Math.max(at(e.ts), wa), t = Math.min(at(e.ts + e.dur), wb);
      if (t > s) w.names[e.name] = (w.names[e.name] || 0) + t - s;
    }
    windows[label] = w;
  }
  return { marks, resources, imports, windows };
}

const median = (xs) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] + (s.length % 2 ? 0 : (s[s.length >> 1] - s[(s.length - 1) >> 1])) / 2 : NaN; };
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const runs = Object.fromEntries(TARGETS.map((t) => [t, []]));
await load('floor-script'); // warm the OS file cache, as bench.mjs does
for (let i = 0; i < LOADS; i++) {
  for (const t of TARGETS) {
    const a = analyse(await load(t));
    runs[t].push(a);
    process.stderr.write(`\r load ${i + 1}/${LOADS} ${t.padEnd(10)} ready ${f1(a.marks.ready)} ms   `);
    if (DUMP) writeFileSync(join(here, 'out', `phases-${t}-${i}.json`), JSON.stringify(a, null, 1));
    if (DUMP) for (const [label, w] of Object.entries(a.windows)) {
      console.log(`${t} #${i} ${label}: ${f1(w.length)} ms: ` + Object.entries(w.names).sort((x, y) => y[1] - x[1]).slice(0, 12).map(([n, d]) => `${n} ${f1(d)}`).join(', '));
    }
  }
}
process.stderr.write('\n');
await srv.close();

for (const t of TARGETS) {
  const rs = runs[t];
  const glueFile = t === 'floor-wasm' ? 'floor.js' : t === 'lcw-core' ? 'lcw_core.js' : 'lcw_sdk.js';
  const wasmFile = glueFile.replace('.js', '_bg.wasm');
  const loaderFile = t === 'floor-wasm' ? 'loader.js' : 'lcw.js';
  console.log(`\n## ${t}: ${rs.length} cold loads, medians (ms from navigation start)\n`);
  console.log('| step | at |\n| --- | --- |');
  const res = (file, k) => (r) => (r.resources[file] || {})[k];
  const steps = [
    [`${loaderFile} response end`, res(loaderFile, 'end')], [`${wasmFile} request start`, res(wasmFile, 'start')],
    [`${glueFile} request start`, res(glueFile, 'start')], [`${glueFile} response end`, res(glueFile, 'end')],
    [`${wasmFile} response end`, res(wasmFile, 'end')],
    ...[...new Set(rs.flatMap((r) => Object.keys(r.marks)))].filter((m) => m !== 'loader-response').map((m) => [m, (r) => r.marks[m]]),
  ].map(([l, g]) => [l, median(rs.map(g))]).filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[1] - b[1]);
  for (const [label, v] of steps) console.log(`| ${label} | ${f1(v)} |`);
  const kinds = TRACE ? Object.keys(KINDS) : [];
  console.log(`\n| window (ms) | length |${kinds.map((k) => ` ${k} |`).join('')}\n| --- | --- |${kinds.map(() => ' --- |').join('')}`);
  for (const label of [...new Set(rs.flatMap((r) => Object.keys(r.windows)))]) {
    const ws = rs.map((r) => r.windows[label]).filter(Boolean);
    if (!ws.length) continue;
    console.log(`| ${label} | ${f1(median(ws.map((w) => w.length)))} |${kinds.map((k) => ` ${f1(median(ws.map((w) => w[k])))} |`).join('')}`);
  }
  const imps = [...new Set(rs.flatMap((r) => Object.keys(r.imports || {})))];
  if (imps.length) {
    const tot = (r) => Object.values(r.imports || {}).reduce((x, [, d]) => x + d, 0);
    const top = imps.map((n) => [n, median(rs.map((r) => ((r.imports || {})[n] || [0, 0])[1])), median(rs.map((r) => ((r.imports || {})[n] || [0, 0])[0]))])
      .sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`\nHost calls (wasm imports) during createSdk: ${f1(median(rs.map(tot)))} ms in all (median); the largest: ` +
      top.map(([n, d, c]) => `${n} ${d.toFixed(2)} ms (${c}×)`).join(', '));
  }
}
