// Importing the package must not touch window or document (SSR safety).
import { test } from "node:test";
import assert from "node:assert/strict";

test("importing pkg/lcw_sdk.js in Node (no window, no document) succeeds", async () => {
  assert.equal(typeof globalThis.window, "undefined");
  const m = await import("../../pkg/lcw_sdk.js");
  assert.equal(typeof m.default, "function", "init function exported");
  assert.equal(typeof m.createSdk, "function");
  assert.equal(typeof globalThis.window, "undefined");
});
