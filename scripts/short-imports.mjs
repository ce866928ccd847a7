// Shortens the names the wasm imports from its JS glue, and the names of
// wasm-bindgen's internal closure exports.
//   node scripts/short-imports.mjs pkg/lcw_sdk.js pkg/lcw_sdk_bg.wasm
//
// wasm-bindgen names every import after the JS it calls plus a 16-digit
// hash (`__wbg_postMessage_d9b34e55bfab4bdd`) under the module
// "./lcw_sdk_bg.js", and writes each name twice: in the wasm's import
// section and as a key of the import object in the glue. The hashes do not
// compress. Both sides are ours and private (the glue builds the import
// object, nothing else sees it), so this renames every import to a short
// name (`a`, `b`, ... `aB`) and the module to "w", in the wasm and in the
// glue together.
//
// Exports keep their names (the SDK's methods as the glue calls them, and
// `InitOutput` in the .d.ts), except wasm-bindgen's closure trampolines,
// exported under their mangled Rust paths (`wasm_bindgen_<hash>___convert__
// closures_____invoke___...`, 100-330 characters each): those become `zA`,
// `zB`, ... in the wasm, the glue and both .d.ts files.
//
// Imports from another module (the split build's chunk loader) keep their
// module and names.
//
// Fails, leaving both files untouched, unless every import name occurs in
// the glue as a key of the import object exactly once.
import { readFileSync, writeFileSync } from "node:fs";

const [jsPath, wasmPath] = process.argv.slice(2);
const dtsPaths = [jsPath.replace(/\.js$/, ".d.ts"), wasmPath.replace(/\.wasm$/, ".wasm.d.ts")];
if (!jsPath || !wasmPath) {
  console.error("usage: short-imports.mjs <glue.js> <module_bg.wasm>");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-imports: ${why}; ${jsPath} and ${wasmPath} left as they were`);
  process.exit(1);
};

const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");

// --- wasm binary reading (only what the import section needs) ---
let pos = 0;
const u32 = () => {
  let result = 0, shift = 0, byte;
  do {
    byte = wasm[pos++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return result >>> 0;
};
const name = () => {
  const len = u32();
  const s = wasm.subarray(pos, pos + len).toString("utf8");
  pos += len;
  return s;
};
const limits = () => {
  const flags = wasm[pos++];
  u32();
  if (flags & 1) u32();
};
const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
};
const str = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s, "utf8")]);

if (wasm.readUInt32LE(0) !== 0x6d736100) fail("not a wasm module");
pos = 8;
let section = null;
let exportSection = null;
while (pos < wasm.length) {
  const idAt = pos;
  const id = wasm[pos++];
  const size = u32();
  if (id === 2) section = { idAt, start: pos, end: pos + size };
  if (id === 7) exportSection = { idAt, start: pos, end: pos + size };
  pos += size;
}
if (!section) fail("the module imports nothing");
if (!exportSection) fail("the module exports nothing");

// --- the imports, with new names ---
pos = section.start;
const count = u32();
const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const short = (i) => {
  let s = alphabet[i % 52];
  for (i = Math.floor(i / 52); i > 0; i = Math.floor(i / 52)) s += alphabet[i % 52];
  return s;
};
const modules = new Set();
const kept = new Set();
const parts = [leb(count)];
const renames = [];
for (let i = 0; i < count; i++) {
  const module = name();
  const field = name();
  const descStart = pos;
  const kind = wasm[pos++];
  if (kind === 0) u32();                          // function: type index
  else if (kind === 1) { pos++; limits(); }       // table: reftype, limits
  else if (kind === 2) limits();                  // memory
  else if (kind === 3) pos += 2;                  // global: valtype, mutability
  else if (kind === 4) { pos++; u32(); }          // tag: attribute, type index
  else fail(`unknown import kind ${kind}`);
  if (!module.endsWith("_bg.js")) {
    // The split build's chunk loader ("./__wasm_split.js", bundled into
    // the glue under that key): kept as it is.
    kept.add(module);
    parts.push(str(module), str(field), wasm.subarray(descStart, pos));
    continue;
  }
  modules.add(module);
  const fresh = short(renames.length);
  renames.push([field, fresh]);
  parts.push(str("w"), str(fresh), wasm.subarray(descStart, pos));
}
if (pos !== section.end) fail("import section not read to its end");
if (modules.size !== 1) fail(`imports from ${modules.size} glue modules, expected one`);
for (const m of kept) if (m === "w") fail("a kept import module is named w");
const [module] = modules;

// --- the glue: the module key, then each import key, each exactly once ---
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const key = (s) => new RegExp(`(?<![\\w$])(["']?)${escape(s)}\\1(?=\\s*:)`, "g");
const moduleHits = js.match(key(module));
if (!moduleHits || moduleHits.length !== 1) fail(`the glue names module ${module} ${moduleHits ? moduleHits.length : 0} times`);
js = js.replace(key(module), "w");
for (const [old, fresh] of renames) {
  const hits = js.match(key(old));
  if (!hits || hits.length !== 1) fail(`the glue has ${hits ? hits.length : 0} keys ${old}`);
  js = js.replace(key(old), fresh);
}
for (const [old] of renames) if (js.includes(old)) fail(`${old} still occurs in the glue`);

// --- the closure trampolines among the exports ---
pos = exportSection.start;
const exportCount = u32();
const exportParts = [leb(exportCount)];
const exportRenames = [];
const token = (s) => new RegExp(`(?<![\\w$])${escape(s)}(?![\\w$])`, "g");
let dts = dtsPaths.map((p) => { try { return readFileSync(p, "utf8"); } catch { return null; } });
for (let i = 0; i < exportCount; i++) {
  const field = name();
  const descStart = pos;
  pos++; // kind
  u32(); // index
  let fresh = field;
  if (/^wasm_bindgen_[0-9a-f]{16}___convert__closures_/.test(field)) {
    fresh = "z" + short(exportRenames.length);
    exportRenames.push([field, fresh]);
  }
  exportParts.push(str(fresh), wasm.subarray(descStart, pos));
}
if (pos !== exportSection.end) fail("export section not read to its end");
for (const [old, fresh] of exportRenames) {
  if (!token(old).test(js)) fail(`the glue never uses export ${old}`);
  js = js.replace(token(old), fresh);
  dts = dts.map((d) => d && d.replace(token(old), fresh));
}

const payload = Buffer.concat(parts);
const exportPayload = Buffer.concat(exportParts);
if (exportSection.idAt < section.end) fail("exports before imports");
const out = Buffer.concat([
  wasm.subarray(0, section.idAt),
  Buffer.from([2]), leb(payload.length), payload,
  wasm.subarray(section.end, exportSection.idAt),
  Buffer.from([7]), leb(exportPayload.length), exportPayload,
  wasm.subarray(exportSection.end),
]);
writeFileSync(wasmPath, out);
writeFileSync(jsPath, js);
dts.forEach((d, i) => d && writeFileSync(dtsPaths[i], d));
console.error(`short-imports: ${renames.length} imports and ${exportRenames.length} closure exports renamed: ${wasm.length} -> ${out.length} B wasm`);
