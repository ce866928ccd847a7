// Completes pkg/package.json after wasm-pack: the loader files, the exports
// map and the metadata an npm package needs.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../pkg/package.json", import.meta.url);
const pkg = JSON.parse(readFileSync(path, "utf8"));
pkg.files = [...new Set([...(pkg.files || []), "lcw.js", "lcw.src.js"])];
pkg.types = "lcw_sdk.d.ts";
pkg.module = "lcw_sdk.js";
pkg.sideEffects = ["./lcw.js", "./lcw.src.js"];
pkg.exports = {
  ".": { types: "./lcw_sdk.d.ts", default: "./lcw_sdk.js" },
  "./loader": "./lcw.js",
  "./lcw_sdk_bg.wasm": "./lcw_sdk_bg.wasm",
  "./package.json": "./package.json",
};
writeFileSync(path, JSON.stringify(pkg, null, 2) + "\n");
