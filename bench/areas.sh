#!/usr/bin/env bash
# Where each build's wasm bytes are, by area of the SDK (bench/SIZE.md):
# builds both builds as scripts/build.sh does, but keeping function names
# (wasm-bindgen --keep-debug, wasm-opt -g), and prints one table per build
# from twiggy's per-function sizes. Needs twiggy (cargo install twiggy).
#   bash bench/areas.sh
#   AREAS_OUT=/tmp/areas bash bench/areas.sh   # keeps the .wasm and .csv files there
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"
use_wasm_toolchain || { echo "areas: no wasm32 target; run scripts/setup.sh" >&2; exit 1; }
command -v twiggy >/dev/null || { echo "areas: needs twiggy (cargo install twiggy)" >&2; exit 1; }
export PATH="$ROOT/node_modules/.bin:$PATH"
size_build_flags
if [ -n "${AREAS_OUT:-}" ]; then
  out="$AREAS_OUT"
  mkdir -p "$out"
else
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
for build in full core; do
  features=()
  [ "$build" = core ] && features=(--no-default-features)
  cargo build --quiet --lib --release --target wasm32-unknown-unknown "${features[@]}" "${SIZE_CARGO_ARGS[@]}"
  wasm-bindgen --target web --keep-debug --out-dir "$out/$build" target/wasm32-unknown-unknown/release/lcw_sdk.wasm
  wasm-opt --low-memory-unused --zero-filled-memory -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/$build/lcw_sdk_bg.wasm" -o "$out/$build.wasm"
  twiggy top -n 1000000 -f csv "$out/$build.wasm" > "$out/$build.csv"
  echo
  echo "## $build build"
  node bench/areas.mjs "$out/$build.csv" | tail -n +3
done
