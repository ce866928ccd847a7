// The release wasm's shadow stack (scripts/lib.sh RELEASE_STACK_SIZE) against the
// deepest input the SDK accepts: JSON nested to the parser's limit (128,
// src/core/json). The module is linked stack-first, so the stack is the
// region [0, stack top) of linear memory, zeroed at start and growing down:
// the lowest non-zero byte after the deepest work is its high-water mark (a
// zero written at the very edge could hide a few bytes; the margin asked for
// is far larger). An overflow would trap and kill the SDK, so the stack must
// keep at least half of itself free under that input.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, openPage, waitEvent } from "./browser.mjs";
import { startChatServer } from "./chatserver.mjs";

let browser, server;
before(async () => { browser = await launch(); server = await startChatServer({ staticDir: "www" }); });
after(async () => { await browser?.close(); await server?.stop(); });

/** The initial value of the module's first global (`__stack_pointer`, an
 * `i32.const`): the stack's top, read from the shipped file itself. */
function stackTop(file) {
  const b = readFileSync(new URL(`../../pkg/${file}`, import.meta.url));
  let i = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  while (i < b.length) {
    const id = b[i++], size = leb(), end = i + size;
    if (id === 6) { // global section: count, then (type, mut, init expr)
      leb(); i += 2; // first global: valtype i32, mutable
      assert.equal(b[i++], 0x41, "the first global starts with i32.const");
      let r = 0, s = 0, x; do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
      return r;
    }
    i = end;
  }
  throw new Error(`${file}: no global section`);
}

// Keeps the instance's memory (the loader does not hand it out).
const keepMemory = () => {
  const W = WebAssembly;
  const keep = (r) => { for (const v of Object.values((r.instance || r).exports)) if (v instanceof W.Memory) window.__memory ||= v; return r; };
  const s = W.instantiateStreaming; W.instantiateStreaming = function () { return s.apply(W, arguments).then(keep); };
  const i = W.instantiate; W.instantiate = function () { return i.apply(W, arguments).then(keep); };
};

for (const [build, path, file] of [["full", "/widget.html", "lcw_sdk_bg.wasm"], ["core", "/chat.html", "lcw_core_bg.wasm"]]) {
  test(`${build} build: JSON nested to the parser's limit leaves half of the wasm stack free`, async () => {
    const top = stackTop(file);
    assert.ok(top >= 65536 && top % 16 === 0, `stack top ${top}`);
    const { page, errors } = await openPage(browser, server.url, path, { init: keepMemory });
    await waitEvent(page, "lcw:ready");
    const used = () => page.evaluate((t) => {
      const m = new Uint8Array(window.__memory.buffer, 0, t);
      let i = 0;
      while (i < t && m[i] === 0) i++;
      return t - i;
    }, top);
    const atReady = await used();
    // The deepest reads: 126 arrays inside {"rules": [...]}, 128 levels,
    // the most the parser reads (the rule is then refused for its depth),
    // and one level more, which the parser refuses; then conditions nested
    // as deep as a rule may be (40 levels, src/core/triggers/load.rs),
    // which the rule reader walks level by level before the engine refuses
    // their nesting. All are code 11.
    const deep = [];
    for (const extra of [0, 1]) {
      const n = 126 + extra;
      deep.push([`{"rules":[${"[".repeat(n)}${"]".repeat(n)}]}`, extra ? "recursion limit" : "nested too deeply"]);
    }
    const nots = 38; // {rule}, then {when} and 38 nots, then the innermost condition: 40 levels below the rule
    deep.push([`[{"id":"deep","when":${'{"type":"not","of":'.repeat(nots)}{"type":"timeOnPage","ms":600000}${"}".repeat(nots)}}]`, "deeper than 8"]);
    for (const [text, why] of deep) {
      const before = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").length);
      await page.evaluate((t) => window.lcw.sdk.setProactiveRules(t), text);
      await page.waitForFunction((n) => window.__events.filter((e) => e.name === "lcw:error").length > n, before);
      const d = await page.evaluate(() => window.__events.filter((e) => e.name === "lcw:error").pop().detail);
      assert.equal(d.errorCode, 11);
      assert.match(d.errorDescription, new RegExp(why), d.errorDescription);
    }
    const deepest = await used();
    console.log(`${build}: stack ${top} B; used at ready ${atReady} B, after the deepest JSON ${deepest} B (${(100 * deepest / top).toFixed(1)} %)`);
    assert.ok(deepest > atReady, "the deep input went deeper than start-up");
    assert.ok(deepest <= top / 2, `${deepest} of ${top} stack bytes used`);
    assert.deepEqual(errors, []);
  });
}
