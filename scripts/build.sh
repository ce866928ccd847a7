#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, ESM for browsers and
# bundlers), then binaryen's wasm-opt -Oz, the script-tag loader, and the
# package.json fields wasm-pack does not write.
#   scripts/build.sh          # release build (what tests and benchmarks use)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
use_wasm_toolchain || { echo "build: no wasm32 target; run scripts/setup.sh" >&2; exit 1; }

rm -rf pkg
size_build_flags
wasm-pack build --quiet --release --target web --out-dir pkg --out-name lcw_sdk \
  -- "${SIZE_CARGO_ARGS[@]}" 2>&1 | grep -v -E '^\[INFO\]|^$' || true
test -f pkg/lcw_sdk_bg.wasm || { echo "build: wasm-pack produced no wasm" >&2; exit 1; }

# The features rustc's wasm32 target emits; nothing newer is introduced.
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/lcw_sdk_bg.wasm -o pkg/lcw_sdk_bg.wasm

esbuild js/lcw.js --minify --target=es2017 --log-level=warning --outfile=pkg/lcw.js
cp js/lcw.js pkg/lcw.src.js
node scripts/package-json.mjs
