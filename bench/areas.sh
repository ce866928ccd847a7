#!/usr/bin/env bash
# Where each build's wasm bytes are, by area of the SDK (bench/SIZE.md):
# builds both builds as scripts/build.sh does, but keeping function names
# (wasm-bindgen --keep-debug, wasm-opt -g), and prints one table per module
# (the one a page loads, the chat chunk, the proactive engine's chunk, the
# full build's preview chunk)
# from twiggy's per-function sizes.
# Needs twiggy (cargo install twiggy) and wasm-split-cli (scripts/setup.sh).
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
# As scripts/build.sh: the split build (feature `split`, relocations kept),
# then wasm-split-cli; the tables are for the module a page loads and for
# the chat chunk fetched at the first chat.
opt_g() {
  wasm-opt --low-memory-unused --zero-filled-memory -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$2"
}
for build in full core; do
  features=(--features split)
  [ "$build" = core ] && features+=(--no-default-features)
  stack_flag
  RUSTFLAGS="${RUSTFLAGS:-$STACK_FLAG} -Clink-arg=--emit-relocs -Clink-arg=--export-table" \
    cargo build --quiet --lib --release --target wasm32-unknown-unknown "${features[@]}" "${SIZE_CARGO_ARGS[@]}"
  mkdir -p "$out/$build"
  wasm-split-cli target/wasm32-unknown-unknown/release/lcw_sdk.wasm "$out/$build" --out-name lcw_sdk
  wasm-bindgen --target web --keep-debug --keep-lld-exports --out-dir "$out/$build/wb" "$out/$build/lcw_sdk.wasm"
  opt_g "$out/$build/wb/lcw_sdk_bg.wasm" "$out/$build.wasm"
  parts=("$build")
  for chunk in chat engine preview; do
    [ -f "$out/$build/split_$chunk.wasm" ] || continue
    opt_g "$out/$build/split_$chunk.wasm" "$out/$build-$chunk.wasm" 2>/dev/null
    parts+=("$build-$chunk")
  done
  for part in "${parts[@]}"; do
    twiggy top -n 1000000 -f csv "$out/$part.wasm" > "$out/$part.csv"
    echo
    if [ "$part" = "$build" ]; then echo "## $build build: the module a page loads"; else echo "## $build build: the ${part#"$build"-} chunk"; fi
    node bench/areas.mjs "$out/$part.csv" | tail -n +3
  done
done
