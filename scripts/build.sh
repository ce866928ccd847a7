#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm builds of the crate, each run
# through binaryen's wasm-opt -Oz, the script-tag loader, and the
# package.json fields wasm-pack does not write.
#   scripts/build.sh          # release build (what tests and benchmarks use)
#
# pkg/lcw_sdk.js + lcw_sdk_bg.wasm    full build: SDK + default widget ("lcw-sdk")
# pkg/lcw_core.js + lcw_core_bg.wasm  core build, --no-default-features (no
#                                     feature `ui`): headless ("lcw-sdk/core")
#
# Both use the release profile and the same dependency features, so the
# second build reuses every compiled dependency and only lcw-sdk itself is
# compiled again (with fat LTO). Cargo keeps one fingerprint for lcw-sdk, so
# switching features always recompiles it: each run compiles it twice.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
use_wasm_toolchain || { echo "build: no wasm32 target; run scripts/setup.sh" >&2; exit 1; }

# The features rustc's wasm32 target emits; nothing newer is introduced.
# --zero-filled-memory: the module defines its memory, so it starts zeroed.
# --low-memory-unused: nothing reads or writes below address 1024 (wasm-ld
# puts the 256 KiB stack first, growing down to 0: only a stack overflow
# would reach it); binaryen then folds more constant offsets into loads and
# stores: about -1.4 kB gzip of wasm per build (bench/SIZE.md).
optimize() {
  wasm-opt --low-memory-unused --zero-filled-memory -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$1" -o "$1"
}
# The wasm-bindgen glue as shipped is unminified (62-83 kB); esbuild minifies
# it in place (identifiers and whitespace only: no syntax is lowered, export
# and import-object property names are kept), about -4 kB gzip per build.
# Then the wasm's imports get short names in both files
# (scripts/short-imports.mjs): about -2 kB gzip of wasm and of glue each.
minify_glue() { # glue.js, module_bg.wasm
  esbuild "$1" --minify --format=esm --target=esnext --log-level=warning --allow-overwrite --outfile="$1"
  node scripts/short-imports.mjs "$1" "$2"
}
timed() { # label, command...: runs it and reports how long it took
  local t0=$SECONDS
  "${@:2}"
  printf 'build: %s: %ss\n' "$1" "$((SECONDS - t0))" >&2
}

full_build() {
  wasm-pack build --quiet --release --target web --out-dir pkg --out-name lcw_sdk \
    -- "${SIZE_CARGO_ARGS[@]}" 2>&1 | grep -v -E '^\[INFO\]|^$' || true
}

rm -rf pkg
# Size-tuned std and panics as traps for both builds (scripts/lib.sh).
size_build_flags
# 1. Full build (wasm-pack also writes pkg/package.json).
timed "full wasm (cargo + wasm-bindgen)" full_build
test -f pkg/lcw_sdk_bg.wasm || { echo "build: wasm-pack produced no wasm" >&2; exit 1; }
timed "full wasm-opt" optimize pkg/lcw_sdk_bg.wasm
minify_glue pkg/lcw_sdk.js pkg/lcw_sdk_bg.wasm

# 2. Core build: what wasm-pack does (cargo, then the wasm-bindgen it
# found), with the widget feature off and its own output name.
timed "core wasm (cargo + wasm-bindgen)" cargo build --quiet --lib --release --target wasm32-unknown-unknown --no-default-features \
  "${SIZE_CARGO_ARGS[@]}"
wasm-bindgen --target web --out-dir pkg --out-name lcw_core target/wasm32-unknown-unknown/release/lcw_sdk.wasm
test -f pkg/lcw_core_bg.wasm || { echo "build: wasm-bindgen produced no core wasm" >&2; exit 1; }
timed "core wasm-opt" optimize pkg/lcw_core_bg.wasm
minify_glue pkg/lcw_core.js pkg/lcw_core_bg.wasm

# Each glue file must belong to its build (the widget class only in the full one).
grep -q mountWidgetPreview pkg/lcw_sdk.js || { echo "build: pkg/lcw_sdk.js lacks the widget" >&2; exit 1; }
if grep -q mountWidgetPreview pkg/lcw_core.js; then echo "build: pkg/lcw_core.js has the widget" >&2; exit 1; fi

esbuild js/lcw.js --minify --target=es2017 --log-level=warning --outfile=pkg/lcw.js
cp js/lcw.js pkg/lcw.src.js
node scripts/package-json.mjs
