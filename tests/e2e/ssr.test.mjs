// Importing the package must not touch window or document (SSR safety),
// for both builds and through the package's exports map.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PKG = fileURLToPath(new URL("../../pkg", import.meta.url));

for (const file of ["lcw_sdk.js", "lcw_core.js"]) {
  test(`importing pkg/${file} in Node (no window, no document) succeeds`, async () => {
    assert.equal(typeof globalThis.window, "undefined");
    const m = await import(`../../pkg/${file}`);
    assert.equal(typeof m.default, "function", "init function exported");
    assert.equal(typeof m.createSdk, "function");
    assert.equal(typeof globalThis.window, "undefined");
  });
}

test("exports map: 'lcw-sdk' is the full build, 'lcw-sdk/core' the core build (no widget class)", async () => {
  // A consumer package with pkg/ installed as node_modules/lcw-sdk.
  const app = mkdtempSync(join(tmpdir(), "lcw-ssr-"));
  mkdirSync(join(app, "node_modules"));
  symlinkSync(PKG, join(app, "node_modules", "lcw-sdk"), "dir");
  writeFileSync(join(app, "entry.mjs"), 'export * as full from "lcw-sdk";\nexport * as core from "lcw-sdk/core";\n');
  let full, core;
  try {
    ({ full, core } = await import(pathToFileURL(join(app, "entry.mjs")).href));
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
  assert.equal(typeof full.createSdk, "function");
  assert.equal(typeof core.createSdk, "function");
  assert.equal(typeof full.mountWidgetPreview, "function");
  assert.equal(core.mountWidgetPreview, undefined, "the core build has no widget");
  assert.equal(typeof globalThis.window, "undefined");
});
