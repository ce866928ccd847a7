// Runs the cold page loads for every target, interleaved (load i of every
// target before load i+1 of any, so drift on this 2-core machine spreads
// evenly), then writes out/results.json. `node bench.mjs [--loads N]
// [--targets a,b] [--trace-loads N] [--pkg-b DIR]`. run.sh calls this;
// report.mjs turns the JSON into tables.
import { existsSync, writeFileSync, mkdirSync, rmSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, DIRS, SOURCE_PKG } from './server.mjs';
import { coldLoad } from './driver.mjs';
import { tracedLoad } from './trace.mjs';
import { writeFloor } from './floor.mjs';
import { sumSizes, packageFiles, stats } from './sizes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const LOADS = Number(opt('loads', process.env.BENCH_LOADS || 20));
const ALL = ['empty', 'floor-script', 'floor-import', 'floor-inline', 'floor-wasm', 'lcw', 'lcw-core', 'chat-sdk', 'chat-widget', 'webchat'];
const TARGETS = opt('targets', ALL.join(',')).split(',');
const FIGURES = ['ready', 'fcp', 'scriptMs', 'heapAtReady', 'heap', 'wasmMem', 'longTasks', 'longTaskMs'];
// Traced cold loads after the others, for compile time only (trace.mjs).
const TRACE_LOADS = Number(opt('trace-loads', process.env.BENCH_TRACE_LOADS || 5));
const COMPILE = ['jsMain', 'wasmMain', 'mainTotal', 'other'];

// Status of our package: run.sh passes the build outcome in LCW_BUILD_STATUS.
// Ours is measured only from a package that exists and was not left behind
// by a failed build.
rmSync(DIRS.pkg, { recursive: true, force: true });
if (existsSync(join(SOURCE_PKG, 'lcw.js'))) cpSync(SOURCE_PKG, DIRS.pkg, { recursive: true });
// --pkg-b DIR: another build of ours (say, before a change), served as the
// pages lcw-b and lcw-core-b and interleaved with the rest, so an A/B
// comparison shares one run's conditions: `--targets empty,lcw,lcw-b`.
const PKG_B = opt('pkg-b', null);
rmSync(DIRS.pkgb, { recursive: true, force: true });
if (PKG_B) cpSync(PKG_B, DIRS.pkgb, { recursive: true });
writeFloor(DIRS.floor);
const hasPkg = existsSync(join(DIRS.pkg, 'lcw.js')) && existsSync(join(DIRS.pkg, 'lcw_sdk_bg.wasm'));
const hasCore = hasPkg && existsSync(join(DIRS.pkg, 'lcw_core_bg.wasm'));
const envStatus = process.env.LCW_BUILD_STATUS;
const ourStatus = envStatus && envStatus !== 'built' ? envStatus : hasPkg ? 'built' : 'not built';
const measureOurs = hasPkg && !/fail|not built/.test(ourStatus);
// Our two pages: the full build (lcw) and the core build (lcw-core).
const status = (t) => (t === 'lcw' ? ourStatus : t === 'lcw-core' ? (hasCore || !measureOurs ? ourStatus : 'not built (no core build in pkg/)') : 'ok');
const measured = (t) => (t === 'lcw' ? measureOurs : t === 'lcw-core' ? measureOurs && hasCore : t.endsWith('-b') ? !!PKG_B : true);
const active = TARGETS.filter(measured);

const srv = await startServer();
const samples = Object.fromEntries(active.map((t) => [t, []]));
const failures = Object.fromEntries(active.map((t) => [t, []]));
const dropped = new Set();
let browser = null;
// One discarded load first: it pulls Chromium's files into the OS cache so
// that the first measured load is not slower for reasons of its own.
await coldLoad(`http://127.0.0.1:${srv.port}/t/empty.html`);
srv.log.clear();
const t0 = Date.now();
for (let i = 0; i < LOADS; i++) {
  for (const t of active) {
    if (dropped.has(t)) continue;
    const r = await coldLoad(`http://127.0.0.1:${srv.port}/t/${t}.html`);
    if (r.ok) {
      samples[t].push(r);
      browser = browser || r.browser;
    } else {
      failures[t].push(r);
      // Three failures and no success: this target is broken, stop paying for it.
      if (failures[t].length >= 3 && samples[t].length === 0) dropped.add(t);
    }
    process.stderr.write(`\r load ${i + 1}/${LOADS} ${t.padEnd(12)} ${r.ok ? `ready ${r.ready.toFixed(0)} ms` : 'FAILED'}      `);
  }
}
process.stderr.write(`\n ${((Date.now() - t0) / 1000).toFixed(0)} s for the loads\n`);
const traced = Object.fromEntries(active.map((t) => [t, []]));
const t1 = Date.now();
for (let i = 0; i < TRACE_LOADS; i++) {
  for (const t of active) {
    if (dropped.has(t)) continue;
    const r = await tracedLoad(`http://127.0.0.1:${srv.port}/t/${t}.html`);
    if (r.ok) traced[t].push({ ...r, mainTotal: r.jsMain + r.wasmMain });
    process.stderr.write(`\r traced load ${i + 1}/${TRACE_LOADS} ${t.padEnd(12)} ${r.ok ? `compile ${(r.jsMain + r.wasmMain).toFixed(0)} ms main` : `FAILED ${r.error}`}      `);
  }
}
if (TRACE_LOADS) process.stderr.write(`\n ${((Date.now() - t1) / 1000).toFixed(0)} s for the traced loads\n`);

const results = { loads: LOADS, traceLoads: TRACE_LOADS, browser, date: new Date().toISOString(), ourStatus, targets: {} };
for (const t of TARGETS) {
  const fetched = srv.log.get(t) ? [...srv.log.get(t)].filter((f) => !f.startsWith('404 ')) : [];
  const missing = srv.log.get(t) ? [...srv.log.get(t)].filter((f) => f.startsWith('404 ') && f !== '404 /favicon.ico') : [];
  const entry = {
    status: status(t),
    ok: samples[t] ? samples[t].length : 0,
    failed: failures[t] ? failures[t].length : 0,
    failures: (failures[t] || []).slice(0, 3).map((f) => f.error + (f.errors && f.errors.length ? ` (${f.errors.join('; ')})` : '')),
    size: sumSizes(fetched),
    missing,
    figures: {},
    errors: [...new Set((samples[t] || []).flatMap((s) => s.errors || []))].slice(0, 5),
    offsiteRequestsFailed: Math.max(0, ...(samples[t] || []).map((s) => (s.failedRequests || []).filter((u) => !u.startsWith('http://127.0.0.1')).length)),
  };
  for (const f of FIGURES) entry.figures[f] = stats((samples[t] || []).map((s) => s[f]));
  entry.compile = Object.fromEntries(COMPILE.map((f) => [f, stats((traced[t] || []).map((s) => s[f]))]));
  // Median request start/end per fetched path: where the time to ready goes.
  const paths = [...new Set((samples[t] || []).flatMap((s) => (s.resources || []).map((r) => r.path)))];
  entry.timeline = paths.map((p) => {
    const rs = (samples[t] || []).map((s) => (s.resources || []).find((r) => r.path === p)).filter(Boolean);
    return { path: p, start: stats(rs.map((r) => r.start)), end: stats(rs.map((r) => r.end)) };
  }).sort((a, b) => a.start.median - b.start.median);
  results.targets[t] = entry;
}
results.package = sumSizes(packageFiles(DIRS.pkg));
await srv.close();
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out', 'results.json'), JSON.stringify(results, null, 2));
writeFileSync(join(here, 'out', 'samples.json'), JSON.stringify(samples));
console.error(' wrote out/results.json');
