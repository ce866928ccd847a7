// Page server for the benchmark, bound to 127.0.0.1 only.
//   /t/<target>.html  a generated page (see pageFor)
//   /peers/*          esbuild bundles from out/peers/
//   /pkg/*            lcw-sdk's release package (snapshot of ../pkg/ in out/pkg/)
//   /pkgb/*           a second package for A/B runs (bench.mjs --pkg-b)
//   /floor/*          the floor targets' files (floor.mjs, written to out/floor/)
// Files are served as they are on disk (no Content-Encoding: over loopback
// the transfer cost is ~0; sizes are reported separately, compressed).
// Every request is logged per page so the driver knows what a page fetched.
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = normalize(join(here, '..'));
// pkg is a snapshot of ../pkg taken by bench.mjs at the start of a run, so
// a rebuild by someone else mid-run cannot mix two builds in one result.
// pkgb: a second package for A/B runs (bench.mjs --pkg-b DIR), pages lcw-b
// and lcw-core-b.
export const DIRS = { peers: join(here, 'out', 'peers'), pkg: join(here, 'out', 'pkg'), pkgb: join(here, 'out', 'pkgb'), floor: join(here, 'out', 'floor') };
export const SOURCE_PKG = join(ROOT, 'pkg');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.json': 'application/json', '.css': 'text/css', '.map': 'application/json',
};

// Inline script at the very top of every page: long-task observer, the ready
// mark, and a wrapper on WebAssembly.instantiate{,Streaming} that keeps any
// exported WebAssembly.Memory so its size can be read after ready.
const HEAD = `<script>
(function(){var b=window.__bench={longtasks:[],mems:[],errors:[]};
try{new PerformanceObserver(function(l){l.getEntries().forEach(function(e){b.longtasks.push([e.startTime,e.duration])})}).observe({type:'longtask',buffered:true})}catch(e){b.ltErr=String(e)}
window.__benchReady=function(){if(b.ready===undefined)b.ready=performance.now()};
addEventListener('lcw:ready',function(){window.__benchReady()});
addEventListener('lcw:error',function(e){b.errors.push('lcw:error '+JSON.stringify(e.detail))});
addEventListener('error',function(e){b.errors.push(String(e.message))});
var W=window.WebAssembly;if(W){var keep=function(r){try{var x=(r&&r.instance?r.instance:r).exports;for(var k in x)if(x[k] instanceof W.Memory)b.mems.push(x[k])}catch(e){}return r};
var s=W.instantiateStreaming;if(s)W.instantiateStreaming=function(){return s.apply(W,arguments).then(keep)};
var i=W.instantiate;W.instantiate=function(){return i.apply(W,arguments).then(keep)}}
})();
</script>`;

// The body of each target page: one script at the end of <body>, as a site
// would add it. `empty` marks ready from an inline script at the same place.
// `lcw-core` is our headless page: data-ui="none" makes the loader fetch
// the core build (pkg/lcw_core*) instead of the full one. The floor-* pages
// load the stand-ins of floor.mjs.
export function bodyFor(target, ourAttrs = process.env.LCW_SCRIPT_ATTRS || '') {
  if (target === 'empty') return '<script>window.__benchReady()</script>';
  const ab = target.endsWith('-b') ? 'pkgb' : 'pkg';
  const ours = target.replace(/-b$/, '');
  if (ours === 'lcw') return `<script src="/${ab}/lcw.js"${ourAttrs ? ' ' + ourAttrs : ''}></script>`;
  if (ours === 'lcw-core') return `<script src="/${ab}/lcw.js" data-ui="none"${ourAttrs ? ' ' + ourAttrs : ''}></script>`;
  if (target === 'floor-script') return '<script src="/floor/ready.js"></script>';
  if (target === 'floor-wasm') return '<script src="/floor/loader.js"></script>';
  if (target === 'floor-inline') return '<script src="/floor/inline.js"></script>';
  if (target === 'floor-import') return '<script src="/floor/import.js"></script>';
  return `<script src="/peers/${target}.js"></script>`;
}

export function pageFor(target) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bench: ${target}</title>
${HEAD}
</head><body>
<main><h1>A product page</h1><p>Some content a visitor reads.</p></main>
<div id="root"></div>
${bodyFor(target)}
</body></html>`;
}

export function startServer({ port = 0 } = {}) {
  const log = new Map(); // target -> Set of paths
  let current = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const send = (code, type, body) => {
      res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const m = path.match(/^\/t\/([a-z0-9-]+)\.html$/);
    if (m) {
      current = m[1];
      if (!log.has(current)) log.set(current, new Set());
      return send(200, TYPES['.html'], pageFor(m[1]));
    }
    const top = path.split('/')[1];
    const base = DIRS[top];
    const file = base && normalize(join(base, path.slice(top.length + 2)));
    if (!file || !file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      if (log.has(current)) log.get(current).add(`404 ${path}`);
      return send(404, 'text/plain', 'not found');
    }
    if (log.has(current)) log.get(current).add(file);
    send(200, TYPES[extname(file)] || 'application/octet-stream', readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, port: server.address().port, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await startServer({ port: Number(process.env.PORT || 8777) });
  console.log(`bench pages on http://127.0.0.1:${port}/t/{empty,floor-script,floor-import,floor-inline,floor-wasm,lcw,lcw-core,chat-sdk,chat-widget,webchat}.html`);
}
