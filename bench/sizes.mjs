// Transfer size of what a page downloads: raw, gzip (level 9) and brotli
// (quality 11), each file compressed on its own as a server would serve it.
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as Z } from 'node:zlib';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Brotli q11 of the multi-MB peer bundles takes tens of seconds; results are
// cached by content hash in out/sizes-cache.json (the bundles rarely change).
const CACHE = join(dirname(fileURLToPath(import.meta.url)), 'out', 'sizes-cache.json');
let cache = null;
const loadCache = () => {
  if (!cache) {
    try { cache = JSON.parse(readFileSync(CACHE, 'utf8')); } catch { cache = {}; }
  }
  return cache;
};

export function fileSizes(file) {
  const buf = readFileSync(file);
  const key = createHash('sha256').update(buf).digest('hex');
  const hit = loadCache()[key];
  if (hit) return { file: basename(file), ...hit };
  const gzip = gzipSync(buf, { level: 9 }).length;
  const brotli = brotliCompressSync(buf, {
    params: {
      [Z.BROTLI_PARAM_QUALITY]: 11,
      [Z.BROTLI_PARAM_SIZE_HINT]: buf.length,
      [Z.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? Z.BROTLI_MODE_GENERIC : Z.BROTLI_MODE_TEXT,
    },
  }).length;
  cache[key] = { raw: buf.length, gzip, brotli };
  mkdirSync(dirname(CACHE), { recursive: true });
  writeFileSync(CACHE, JSON.stringify(cache));
  return { file: basename(file), raw: buf.length, gzip, brotli };
}

export function sumSizes(files) {
  const per = files.map(fileSizes);
  const total = per.reduce(
    (t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  return { ...total, files: per };
}

// Every .js and .wasm in pkg/ (the published package's payload, snippets/
// included), minus the loader's unminified source copy (*.src.js), for the
// "package" view beside the "what the page fetched" view.
export function packageFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const p = join(dir, d.name);
      if (d.isDirectory()) return packageFiles(p);
      return /\.(m?js|wasm)$/.test(d.name) && !/\.src\.m?js$/.test(d.name) ? [p] : [];
    })
    .sort();
}

export function stats(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}
