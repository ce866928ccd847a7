// Turns out/results.json (+ out/trigger_bench.txt, out/build-status) into
// the tables: printed to stdout and written to RESULTS.md (`--write`).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, release, type } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const R = JSON.parse(readFileSync(join(here, 'out', 'results.json'), 'utf8'));
// Every load's figures (bench.mjs writes both files in the same run).
const SAMPLES = existsSync(join(here, 'out', 'samples.json')) ? JSON.parse(readFileSync(join(here, 'out', 'samples.json'), 'utf8')) : {};
const ltLoads = (t) => (SAMPLES[t] ? SAMPLES[t].filter((s) => s.longTasks > 0).length : NaN);
const NAMES = {
  empty: 'empty page', 'floor-script': 'floor: one script tag', 'floor-wasm': 'floor: loader + glue + tiny wasm',
  'floor-inline': 'floor: one script + tiny wasm (no import)', 'floor-import': 'floor: one script + module import (no wasm)', lcw: 'lcw-sdk (ours)', 'lcw-core': 'lcw-sdk core (ours, data-ui="none")',
  'chat-sdk': 'omnichannel-chat-sdk', 'chat-widget': 'omnichannel-chat-widget', webchat: 'botframework-webchat',
};
const T = Object.keys(R.targets);
// Ours: the full build (SDK + widget) and the core build (headless page).
const OURS = ['lcw', 'lcw-core'];
// Floors (floor.mjs): the loading shape with no SDK in it, for "ours minus floor".
const FLOORS = ['floor-script', 'floor-import', 'floor-inline', 'floor-wasm'];
const PEERS = T.filter((t) => t !== 'empty' && !OURS.includes(t) && !FLOORS.includes(t));
const ours = R.targets.lcw;
const okOf = (t) => !!(R.targets[t] && R.targets[t].ok > 0);
const oursOk = okOf('lcw');
const notOk = (t) => OURS.includes(t) && !okOf(t);
const statusOf = (t) => (R.targets[t] ? R.targets[t].status : 'not run');

const kB = (b) => (b / 1000).toFixed(b < 10000 ? 2 : 1);
const ms = (x) => x.toFixed(x < 10 ? 1 : 0);
const F = {
  ready: { label: 'ready: navigation start -> ready (ms)', fmt: ms, unit: ' ms' },
  fcp: { label: "the page's first contentful paint (ms)", fmt: ms, unit: ' ms' },
  scriptMs: { label: 'script time to ready (ms, CDP ScriptDuration)', fmt: ms, unit: ' ms' },
  heap: { label: 'JS heap 0.5 s after ready, after GC (kB)', fmt: kB, unit: ' kB' },
  heapAtReady: { label: 'JS heap at ready, before GC (kB)', fmt: kB, unit: ' kB' },
  wasmMem: { label: 'wasm memory after ready (kB)', fmt: kB, unit: ' kB' },
  longTasks: { label: 'long tasks until ready + 0.5 s (count)', fmt: (x) => String(x), unit: '' },
  longTaskMs: { label: 'long tasks, total length (ms)', fmt: ms, unit: ' ms' },
};
const cell = (t, f) => {
  const e = R.targets[t];
  if (notOk(t)) return statusOf(t);
  const s = e.figures[f];
  if (!s) return 'failed';
  return `${F[f].fmt(s.median)} [${F[f].fmt(s.min)}–${F[f].fmt(s.max)}]`;
};
const med = (t, f) => (R.targets[t] && R.targets[t].figures[f] ? R.targets[t].figures[f].median : NaN);
const delta = (t, f) => med(t, f) - med('empty', f);
const sign = (x, fmt) => (x >= 0 ? '+' : '−') + fmt(Math.abs(x));
const row = (cells) => `| ${cells.join(' | ')} |`;
const ratio = (p, o) => {
  if (!Number.isFinite(p) || !Number.isFinite(o)) return 'n/a';
  if (o <= 0) return p <= 0 ? '—' : 'ours 0';
  return `${(p / o).toFixed(p / o < 10 ? 2 : 0)}×`;
};

const out = [];
const head = ['figure', ...T.map((t) => NAMES[t] || t)];
out.push('### Weight: what the page downloads (each file compressed on its own)', '');
out.push(row(head), row(head.map(() => '---')));
const sizeCell = (t, k) => (notOk(t) ? statusOf(t) : `${kB(R.targets[t].size[k])} kB`);
for (const [k, l] of [['raw', 'raw'], ['gzip', 'gzip -9'], ['brotli', 'brotli q11']]) out.push(row([l, ...T.map((t) => sizeCell(t, k))]));
out.push(row(['files', ...T.map((t) => (R.targets[t].size.files.map((f) => f.file).join(', ') || '—'))]));
out.push('');
if (oursOk && okOf('lcw-core')) {
  const [full, core] = [ours.size, R.targets['lcw-core'].size];
  const pct = (a, b) => `${((100 * a) / b).toFixed(0)} %`;
  out.push(`Core alone vs with the widget UI: a page with \`data-ui="none"\` gets the core build (lcw.js, lcw_core.js, lcw_core_bg.wasm: no widget) ` +
    `for ${kB(core.gzip)} kB gzip / ${kB(core.brotli)} kB brotli; any other page gets the full build for ${kB(full.gzip)} kB gzip / ${kB(full.brotli)} kB brotli. ` +
    `The widget UI adds ${kB(full.gzip - core.gzip)} kB gzip (${pct(full.gzip - core.gzip, full.gzip)} of the full download).`, '');
} else if (oursOk) {
  out.push(`Core alone vs with the widget UI: the core build was not measured (${statusOf('lcw-core')}), so the lcw-sdk figure above stands for both.`, '');
}
const chunks = ((R.package && R.package.files) || []).filter((f) => /_chat\.wasm$/.test(f.file));
if (chunks.length) {
  out.push('Not in these figures: the code that runs a conversation (socket, server frames, many tabs, uploads; in the full build also the widget\'s open window) is a chunk of its own per build, ' +
    'fetched the first time a chat starts or is retrieved, or the widget\'s launcher is clicked (`src/web/lazy.rs`): ' +
    chunks.map((f) => `${f.file} ${kB(f.gzip)} kB gzip / ${kB(f.brotli)} kB brotli`).join(', ') + '.', '');
}
const engines = ((R.package && R.package.files) || []).filter((f) => /_engine\.wasm$/.test(f.file));
if (engines.length) {
  out.push('Nor the code that runs proactive rules (signals fed to the engine, its timer, the watchers, the invite bubble), a chunk per build fetched right after ready by a page that has rules, or at its first `startProactiveChat` (`src/web/proactive/mod.rs`; the benchmark page has no rules): ' +
    engines.map((f) => `${f.file} ${kB(f.gzip)} kB gzip / ${kB(f.brotli)} kB brotli`).join(', ') + '.', '');
}
const other = ((R.package && R.package.files) || []).filter((f) => /_(preview|[a-z]+(-[a-z]+)+)\.wasm$/.test(f.file));
if (other.length) {
  out.push('Nor the full build\'s `mountWidgetPreview` code (fetched by the first preview a page mounts), and the code that several chunks share, named after them and fetched with any of them (`_chat-preview`: mostly the widget\'s window): ' +
    other.map((f) => `${f.file} ${kB(f.gzip)} kB gzip`).join(', ') + '.', '');
}
out.push(`### Load cost: ${R.loads} cold loads each, median [min–max]`, '');
out.push(row(head), row(head.map(() => '---')));
for (const f of Object.keys(F)) {
  out.push(row([F[f].label, ...T.map((t) => cell(t, f))]));
  if (f === 'heapAtReady') continue;
  out.push(row(['  Δ over empty page (median)', ...T.map((t) => (t === 'empty' ? '—' : notOk(t) ? '' : sign(delta(t, f), F[f].fmt) + F[f].unit))]));
}
out.push(row(['loads with a long task', ...T.map((t) => (notOk(t) || !SAMPLES[t] ? '' : `${ltLoads(t)} of ${SAMPLES[t].length}`))]));
out.push(row(['loads ok / failed', ...T.map((t) => `${R.targets[t].ok} / ${R.targets[t].failed}`)]));
out.push('');
// Compile time, from the traced loads (trace.mjs).
const C = {
  jsMain: 'JS parse + compile, main thread (ms)',
  wasmMain: 'wasm decode, validate + compile, main thread (ms)',
  mainTotal: 'compile on the main thread, JS + wasm (ms)',
  other: 'JS + wasm compile on other threads (ms)',
};
const cmed = (t, f) => (R.targets[t] && R.targets[t].compile && R.targets[t].compile[f] ? R.targets[t].compile[f].median : NaN);
const cdelta = (t, f) => cmed(t, f) - cmed('empty', f);
const traced = R.traceLoads && T.some((t) => R.targets[t].compile && R.targets[t].compile.mainTotal);
if (traced) {
  out.push(`### Compile time to ready: ${R.traceLoads} traced cold loads each, median [min–max]`, '');
  out.push('From Chromium\'s trace of separate cold loads (tracing slows a page, so no other figure comes from them): ' +
    'V8\'s parse and compile events between navigation start and ready (`bench/trace.mjs`). ' +
    'CDP\'s `V8CompileDuration` is not used: it stays under 1 ms even for the 3.9 MB bundle.', '');
  out.push(row(head), row(head.map(() => '---')));
  for (const f of Object.keys(C)) {
    out.push(row([C[f], ...T.map((t) => {
      const s = R.targets[t].compile && R.targets[t].compile[f];
      return notOk(t) ? statusOf(t) : s ? `${ms(s.median)} [${ms(s.min)}–${ms(s.max)}]` : 'failed';
    })]));
    out.push(row(['  Δ over empty page (median)', ...T.map((t) => (t === 'empty' ? '—' : notOk(t) ? '' : `${sign(cdelta(t, f), ms)} ms`))]));
  }
  out.push('');
}
out.push('### Ratios peer / ours', '');
if (!oursOk || !PEERS.length) {
  out.push(!oursOk ? `No ratios: our package is ${ours ? ours.status : 'not run'}.` : 'No ratios: no peer was measured in this run.');
} else {
  const rh = ['figure (sizes: absolute; load figures: Δ over empty page)', ...PEERS.map((t) => NAMES[t])];
  out.push(row(rh), row(rh.map(() => '---')));
  out.push(row(['gzip', ...PEERS.map((t) => ratio(R.targets[t].size.gzip, ours.size.gzip))]));
  out.push(row(['brotli', ...PEERS.map((t) => ratio(R.targets[t].size.brotli, ours.size.brotli))]));
  for (const f of ['ready', 'scriptMs', 'heap', 'longTasks', 'longTaskMs']) {
    out.push(row([F[f].label, ...PEERS.map((t) => ratio(delta(t, f), delta('lcw', f)))]));
  }
  if (traced) {
    for (const f of ['mainTotal', 'other']) out.push(row([C[f], ...PEERS.map((t) => ratio(cdelta(t, f), cdelta('lcw', f)))]));
  }
  out.push('', '"ours" is the full build (with the widget UI).');
  if (okOf('lcw-core') && okOf('chat-sdk')) {
    const [p, c] = [R.targets['chat-sdk'], R.targets['lcw-core']];
    out.push(`Headless against headless, omnichannel-chat-sdk / our core build: gzip ${ratio(p.size.gzip, c.size.gzip)}, ` +
      `brotli ${ratio(p.size.brotli, c.size.brotli)}, ready Δ ${ratio(delta('chat-sdk', 'ready'), delta('lcw-core', 'ready'))}, ` +
      `script time Δ ${ratio(delta('chat-sdk', 'scriptMs'), delta('lcw-core', 'scriptMs'))}.`);
  }
}
out.push('');
out.push('### Budgets (issue 7)', '');
if (!oursOk) out.push(`Not measurable yet: our package is ${statusOf('lcw')}.`);
else {
  // Each budget for the full build and, when measured, the core build.
  const both = OURS.filter(okOf);
  const short = (t) => (t === 'lcw' ? 'full' : 'core');
  const lt = (t) => (R.targets[t].figures.longTasks.max === 0 ? 'met' : med(t, 'longTasks') === 0 ? 'met at median, not in every load' : 'over');
  // [budget, target, measured(t), status(t)]
  const budgets = [
    ['page download (wasm + JS), gzip', '≤ 60 kB with UI (full), ≤ 30 kB core', (t) => `${kB(R.targets[t].size.gzip)} kB`,
      (t) => (R.targets[t].size.gzip <= (t === 'lcw' ? 60000 : 30000) ? 'met' : 'over')],
    ['added to ready over empty page', '≤ 15 ms', (t) => `${sign(delta(t, 'ready'), ms)} ms`, (t) => (delta(t, 'ready') <= 15 ? 'met' : 'over')],
    ['JS heap added (after GC)', '≤ 1 MB', (t) => `${sign(delta(t, 'heap'), kB)} kB`, (t) => (delta(t, 'heap') <= 1e6 ? 'met' : 'over')],
    ['JS heap added + wasm memory', '≤ 1 MB', (t) => `${kB(delta(t, 'heap') + med(t, 'wasmMem'))} kB`,
      (t) => (delta(t, 'heap') + med(t, 'wasmMem') <= 1e6 ? 'met' : 'over')],
    ['long tasks (median count; max; loads with one)', '0', (t) => `${med(t, 'longTasks')}; ${R.targets[t].figures.longTasks.max}; ${ltLoads(t)} of ${R.targets[t].ok}`, lt],
  ];
  const h = ['budget', 'target', ...both.map((t) => NAMES[t]), 'status'];
  out.push(row(h), row(h.map(() => '---')));
  for (const [name, target, value, status] of budgets) {
    out.push(row([name, target, ...both.map(value), both.map((t) => `${short(t)}: ${status(t)}`).join('; ')]));
  }
  // How much of the added time is the loading shape (floors) and how much
  // is our own bytes and start-up (ours minus floor-wasm).
  const floors = FLOORS.filter(okOf);
  if (floors.length) {
    out.push('', '#### The added time to ready against the floors (medians of this run)', '');
    const fw = okOf('floor-wasm');
    const fh = ['page', 'ready Δ over empty page', ...(fw ? ['ready Δ over floor (loader + glue + tiny wasm)'] : []), 'script time Δ over empty page'];
    out.push(row(fh), row(fh.map(() => '---')));
    for (const t of [...floors, ...both]) {
      const overFloor = t === 'floor-wasm' ? '0 (the floor)' : t.startsWith('floor-') ? '—' : `${sign(delta(t, 'ready') - delta('floor-wasm', 'ready'), ms)} ms`;
      out.push(row([NAMES[t], `${sign(delta(t, 'ready'), ms)} ms`, ...(fw ? [overFloor] : []), `${sign(delta(t, 'scriptMs'), ms)} ms`]));
    }
    if (fw) {
      out.push('', `Of the +${ms(delta('lcw', 'ready'))} ms the full build adds to ready, +${ms(delta('floor-wasm', 'ready'))} ms is what any wasm SDK ` +
        `loaded this way pays on this machine (one classic script, then a module import and a .wasm fetch in parallel, ` +
        `instantiateStreaming, one event)${okOf('floor-script') ? `, of which +${ms(delta('floor-script', 'ready'))} ms is one external script at all` : ''}; ` +
        `the rest, ${sign(delta('lcw', 'ready') - delta('floor-wasm', 'ready'), ms)} ms, is our own bytes and start-up` +
        (okOf('lcw-core') ? ` (core build: ${sign(delta('lcw-core', 'ready') - delta('floor-wasm', 'ready'), ms)} ms).` : '.'));
      if (okOf('floor-inline') && okOf('floor-import')) {
        const imp = delta('floor-import', 'ready') - delta('floor-script', 'ready');
        const inl = delta('floor-inline', 'ready') - delta('floor-script', 'ready');
        out.push('', `Where the floor goes: over one plain script, a script that only imports a module adds ${sign(imp, ms)} ms, ` +
          `and a script that only fetches and instantiates the tiny wasm (no import) adds ${sign(inl, ms)} ms. ` +
          (Math.abs(imp - inl) <= 10
            ? 'They cost about the same: the price is a second request that can start only once the script runs, whichever file it fetches ' +
              '(our loader already makes its two in parallel), so folding the glue into the loader would not lower the floor.'
            : `They differ by ${ms(Math.abs(imp - inl))} ms: the ${imp > inl ? 'module import' : 'wasm start'} is the larger part of the floor.`));
      }
    }
  }
}
const table = out.join('\n');

function machine() {
  const c = cpus();
  let chromium = R.browser || 'unknown';
  let commit = '';
  try { commit = execFileSync('git', ['-C', here, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(); } catch {}
  return [
    `- date: ${R.date}`,
    `- machine: ${c.length} × ${c[0] ? c[0].model : '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${type()} ${release()}`,
    `- browser: ${chromium} (Debian chromium, headless=new, driven by playwright-core), Node ${process.version}`,
    `- repo commit: ${commit} (the tree may have had uncommitted work of others)`,
  ].join('\n');
}

function extra() {
  const parts = [];
  const pkg = R.package;
  if (pkg && pkg.files.length) {
    parts.push('### Our package files (pkg/, each compressed on its own)', '');
    parts.push(row(['file', 'raw', 'gzip', 'brotli']), row(['---', '---', '---', '---']));
    pkg.files.forEach((f) => parts.push(row([f.file, `${kB(f.raw)} kB`, `${kB(f.gzip)} kB`, `${kB(f.brotli)} kB`])));
    parts.push(row(['total (both builds)', `${kB(pkg.raw)} kB`, `${kB(pkg.gzip)} kB`, `${kB(pkg.brotli)} kB`]), '');
  }
  const notes = [];
  for (const t of T) {
    const e = R.targets[t];
    if (e.failures.length) notes.push(`- ${NAMES[t]}: ${e.failed} failed loads, e.g. ${e.failures[0]}`);
    if (e.errors.length) notes.push(`- ${NAMES[t]}: page errors seen: ${e.errors.join(' | ').slice(0, 300)}`);
    if (e.missing.length) notes.push(`- ${NAMES[t]}: requested but missing: ${e.missing.join(', ')}`);
    if (e.offsiteRequestsFailed) notes.push(`- ${NAMES[t]}: up to ${e.offsiteRequestsFailed} off-site requests (telemetry/backends) per load failed by design (no network)`);
  }
  if (notes.length) parts.push('### Notes from this run', '', ...notes, '');
  for (const t of OURS.filter((x) => okOf(x) && R.targets[x].timeline && R.targets[x].timeline.length)) {
    const e = R.targets[t];
    parts.push(`### ${NAMES[t]}: request timeline (median ms from navigation start)`, '');
    parts.push(row(['request', 'start', 'response end']), row(['---', '---', '---']));
    e.timeline.forEach((r) => parts.push(row([r.path, ms(r.start.median), ms(r.end.median)])));
    parts.push(row(['`lcw:ready`', '', ms(e.figures.ready.median)]), '');
  }
  const tb = join(here, 'out', 'trigger_bench.txt');
  parts.push('### Trigger engine (host: `cargo run --release --example trigger_bench`; browser: `bench/engine.mjs`, the same 100 rules in the wasm core build)', '');
  parts.push(existsSync(tb) ? '```\n' + readFileSync(tb, 'utf8').trimEnd() + '\n```' : 'Not run: `examples/trigger_bench.rs` does not exist yet.');
  const fc = join(here, 'out', 'firstchat.txt');
  if (existsSync(fc)) {
    parts.push('', '### The first chat and the widget\'s first open (`bench/firstchat.mjs`: what a page pays for the chat chunk when it first needs it)', '');
    parts.push('```\n' + readFileSync(fc, 'utf8').trimEnd() + '\n```');
  }
  const mc = join(here, 'out', 'messages.txt');
  if (existsSync(mc)) {
    parts.push('', '### A running chat, per message (`bench/messages.mjs`: the page\'s main-thread time for each message received and sent)', '');
    parts.push(readFileSync(mc, 'utf8').trimEnd());
  }
  return parts.join('\n');
}

const doc = `${machine()}\n\n${table}\n\n${extra()}\n`;
console.log(doc);
if (process.argv.includes('--write')) {
  const tpl = readFileSync(join(here, 'RESULTS.head.md'), 'utf8');
  writeFileSync(join(here, 'RESULTS.md'), `${tpl.trimEnd()}\n\n## Latest run\n\n${doc}`);
  console.error(' wrote bench/RESULTS.md');
}
