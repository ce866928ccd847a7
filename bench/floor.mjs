// The floor targets: what any SDK loaded through one script tag pays on this
// machine, whatever its own size and start-up work. bench.mjs writes these
// files into out/floor/ at the start of a run; server.mjs serves them at
// /floor/.
//
//   floor-script  <script src="/floor/ready.js">: one external classic script
//                 that dispatches `lcw:ready` at once (the cost of one extra
//                 script request and nothing else).
//   floor-wasm    <script src="/floor/loader.js">: our loader's shape with
//                 nothing in it: a classic loader that starts the .wasm fetch,
//                 dynamic-imports a tiny ES-module glue, which runs
//                 WebAssembly.instantiateStreaming on that fetch (a 48-byte
//                 module: one memory page, one function), calls an export in
//                 createSdk and dispatches `lcw:ready` in a microtask, as
//                 ours does. Same MIME types and headers as our package.
//   floor-inline  <script src="/floor/inline.js">: floor-wasm's work in one
//                 classic script, no module import.
//   floor-import  <script src="/floor/import.js">: a classic script whose
//                 only work is a dynamic import of a module that dispatches
//                 `lcw:ready` (no wasm).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FLOOR_TARGETS = ['floor-script', 'floor-import', 'floor-inline', 'floor-wasm'];

// (module (memory (export "memory") 1) (func (export "f") (result i32) i32.const 42))
export const TINY_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type: () -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: min 1 page
  0x07, 0x0e, 0x02, 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x01, 0x66, 0x00, 0x00, // exports
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42
]);

const READY = `dispatchEvent(new CustomEvent("lcw:ready",{detail:{version:"floor"}}));\n`;

// The same steps as js/lcw.js, minus the command queue's replay.
const LOADER = `(function(){"use strict";var s=document.currentScript;if(!s||!s.src)return;
var ds=s.dataset,base=s.src.replace(/[^/]*([?#].*)?$/,""),q=[];var stub=function(){q.push(arguments)};stub.q=q;window.lcw=stub;
var wasm=fetch(base+"floor_bg.wasm",{credentials:"same-origin"});
import(base+"floor.js").then(function(g){return g.default({module_or_path:wasm}).then(function(){
var c={};for(var k in ds)c[k]=ds[k];var sdk=g.createSdk(c);var cmd=function(m){return sdk[m]()};cmd.sdk=sdk;window.lcw=cmd})})
.catch(function(e){dispatchEvent(new CustomEvent("lcw:error",{detail:{errorCode:7,errorDescription:String(e)}}))});})();
`;

// The glue: an ES module shaped like wasm-bindgen's --target web output.
const GLUE = `let wasm;
export default async function init({ module_or_path }) {
  const { instance } = await WebAssembly.instantiateStreaming(await module_or_path, {});
  wasm = instance.exports;
  return wasm;
}
export function createSdk(config) {
  const sdk = { config, answer: () => wasm.f() };
  sdk.answer();
  Promise.resolve().then(() => { ${READY.trim()} });
  return sdk;
}
`;

// floor-inline: one classic script that does the glue's work itself (no
// module import): fetch + instantiateStreaming of the tiny wasm, one export
// called, ready in a microtask. With floor-import it splits floor-wasm in two:
// is the cost the module import or starting WebAssembly?
const INLINE = `(function(){"use strict";var s=document.currentScript;var base=s.src.replace(/[^/]*([?#].*)?$/,"");
WebAssembly.instantiateStreaming(fetch(base+"floor_bg.wasm",{credentials:"same-origin"}),{}).then(function(r){r.instance.exports.f();
Promise.resolve().then(function(){${READY.trim()}})});})();
`;
// floor-import: one classic script that dynamic-imports a module that marks ready (no wasm).
const IMPORT = `(function(){var s=document.currentScript;var base=s.src.replace(/[^/]*([?#].*)?$/,"");import(base+"import-ready.js");})();\n`;

export function writeFloor(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'inline.js'), INLINE);
  writeFileSync(join(dir, 'import.js'), IMPORT);
  writeFileSync(join(dir, 'import-ready.js'), READY);
  writeFileSync(join(dir, 'ready.js'), READY);
  writeFileSync(join(dir, 'loader.js'), LOADER);
  writeFileSync(join(dir, 'floor.js'), GLUE);
  writeFileSync(join(dir, 'floor_bg.wasm'), TINY_WASM);
}
