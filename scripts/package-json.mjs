// Writes pkg/package.json: the npm package's metadata (from Cargo.toml),
// its files (both builds, each with its chunks, and the loader) and
// the exports map.
//   import init, { createSdk } from "lcw-sdk";       // full build: SDK + default widget
//   import init, { createSdk } from "lcw-sdk/core";  // core build: headless, no widget
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const pkgSection = cargo.slice(cargo.indexOf("[package]"), cargo.indexOf("\n[", cargo.indexOf("[package]") + 1));
const field = (name) => {
  const m = pkgSection.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"));
  if (!m) throw new Error(`package-json: Cargo.toml [package] has no ${name}`);
  return m[1];
};
const keywords = [...(pkgSection.match(/^keywords\s*=\s*\[([^\]]*)\]/m)?.[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1]);
const builds = ["lcw_sdk", "lcw_core"];
// Each build's chunks, as scripts/build.sh left them in pkg/ (the chat's,
// the proactive engine's, the full build's preview, and the code that
// several of them share).
const chunks = (b) => readdirSync(new URL("../pkg/", import.meta.url)).filter((f) => f.startsWith(`${b}_`) && f.endsWith(".wasm") && f !== `${b}_bg.wasm`).sort();
for (const b of builds) for (const c of ["chat", "engine"]) if (!chunks(b).includes(`${b}_${c}.wasm`)) throw new Error(`package-json: pkg/ has no ${b}_${c}.wasm`);
const pkg = {
  name: field("name"),
  type: "module",
  description: field("description"),
  version: field("version"),
  license: field("license"),
  repository: { type: "git", url: field("repository") },
  files: [...builds.flatMap((b) => [`${b}_bg.wasm`, ...chunks(b), `${b}.js`, `${b}.d.ts`]), "lcw.js", "lcw.src.js"],
  main: "lcw_sdk.js",
  module: "lcw_sdk.js",
  types: "lcw_sdk.d.ts",
  sideEffects: ["./lcw.js", "./lcw.src.js"],
  keywords,
  exports: {
    ".": { types: "./lcw_sdk.d.ts", default: "./lcw_sdk.js" },
    "./core": { types: "./lcw_core.d.ts", default: "./lcw_core.js" },
    "./loader": "./lcw.js",
    ...Object.fromEntries(builds.flatMap((b) => [`${b}_bg.wasm`, ...chunks(b)].map((f) => [`./${f}`, `./${f}`]))),
    "./package.json": "./package.json",
  },
  // TypeScript with moduleResolution "node" (node10) ignores exports.
  typesVersions: { "*": { core: ["lcw_core.d.ts"] } },
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), JSON.stringify(pkg, null, 2) + "\n");
