// Completes pkg/package.json after wasm-pack: the core build's files, the
// loader files, the exports map and the metadata an npm package needs.
//   import init, { createSdk } from "lcw-sdk";       // full build: SDK + default widget
//   import init, { createSdk } from "lcw-sdk/core";  // core build: headless, no widget
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../pkg/package.json", import.meta.url);
const pkg = JSON.parse(readFileSync(path, "utf8"));
const core = ["lcw_core_bg.wasm", "lcw_core.js", "lcw_core.d.ts"];
pkg.files = [...new Set([...(pkg.files || []), ...core, "lcw.js", "lcw.src.js"])];
pkg.types = "lcw_sdk.d.ts";
pkg.module = "lcw_sdk.js";
pkg.sideEffects = ["./lcw.js", "./lcw.src.js"];
pkg.exports = {
  ".": { types: "./lcw_sdk.d.ts", default: "./lcw_sdk.js" },
  "./core": { types: "./lcw_core.d.ts", default: "./lcw_core.js" },
  "./loader": "./lcw.js",
  "./lcw_sdk_bg.wasm": "./lcw_sdk_bg.wasm",
  "./lcw_core_bg.wasm": "./lcw_core_bg.wasm",
  "./package.json": "./package.json",
};
// TypeScript with moduleResolution "node" (node10) ignores exports.
pkg.typesVersions = { "*": { core: ["lcw_core.d.ts"] } };
writeFileSync(path, JSON.stringify(pkg, null, 2) + "\n");
