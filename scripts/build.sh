#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm builds of the crate, each split
# into stages by wasm-split-cli and run through binaryen's wasm-opt -Oz, the
# script-tag loader, the README and package.json.
#   scripts/build.sh          # release build (what tests and benchmarks use)
#   scripts/build.sh --unsplit DIR [--names]
#                             # the same two builds without the split (one
#                             # .wasm per build, chat and engine included)
#                             # plus the loader, into DIR: the baseline that
#                             # benchmarks compare with to measure what the
#                             # chunks' boundary costs (bench/messages.mjs,
#                             # bench/engine.mjs --pkg); not a package.
#                             # --names keeps function names and leaves the
#                             # glue unminified, for CPU profiles
#                             # (bench/profile.mjs)
#
# pkg/lcw_sdk.js + lcw_sdk_bg.wasm    full build: SDK + default widget ("lcw-sdk")
# pkg/lcw_core.js + lcw_core_bg.wasm  core build, --no-default-features (no
#                                     feature `ui`): headless ("lcw-sdk/core")
# pkg/lcw_sdk_chat.wasm, lcw_core_chat.wasm
#                                     each build's chat chunk: the code that
#                                     runs a conversation, fetched by the glue
#                                     (next to it) when the first chat starts
# pkg/lcw_sdk_engine.wasm, lcw_core_engine.wasm
#                                     the code that runs proactive rules,
#                                     fetched once a page has rules (or asks
#                                     for an invite)
# pkg/NAME_X-Y.wasm                   code that split points X and Y share
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
  wasm-opt --low-memory-unused --zero-filled-memory -Oz --strip-debug --strip-producers --strip-target-features \
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
  esbuild "$1" --bundle --minify --format=esm --target=esnext --log-level=warning --allow-overwrite --outfile="$1"
  node scripts/short-imports.mjs "$1" "$2"
}
timed() { # label, command...: runs it and reports how long it took
  local t0=$SECONDS
  "${@:2}"
  printf 'build: %s: %ss\n' "$1" "$((SECONDS - t0))" >&2
}

# One build, split (bench/SIZE.md, "Loading in stages"): cargo with the
# `split` feature and relocations kept in the wasm, then wasm-split-cli
# moves the code that only the chat's entry (src/web/lazy.rs) reaches into
# NAME_chat.wasm, fetched the first time a chat starts or is retrieved, and
# what only the proactive engine's runtime reaches (src/web/proactive/run.rs)
# into NAME_engine.wasm; wasm-bindgen makes the glue for the rest
# (NAME_bg.wasm); the glue is bundled with the chunks' small loader (one
# file, no extra request at load) and minified; every .wasm file goes
# through wasm-opt.
split_build() { # NAME, cargo feature arguments...
  local name="$1" tmp raw=target/wasm32-unknown-unknown/release/lcw_sdk.wasm
  shift
  stack_flag
  RUSTFLAGS="${RUSTFLAGS:-$STACK_FLAG} -Clink-arg=--emit-relocs -Clink-arg=--export-table" \
    cargo build --quiet --lib --release --target wasm32-unknown-unknown --features split "$@" "${SIZE_CARGO_ARGS[@]}"
  tmp="$(mktemp -d)"
  wasm-split-cli "$raw" "$tmp" --out-name "$name"
  test -f "$tmp/split_chat.wasm" -a -f "$tmp/__wasm_split.js" || { echo "build: wasm-split-cli made no chat chunk for $name" >&2; exit 1; }
  test -f "$tmp/split_engine.wasm" || { echo "build: wasm-split-cli made no proactive engine chunk for $name" >&2; exit 1; }
  # --keep-lld-exports: the chunk imports the main module's function table.
  wasm-bindgen --target web --keep-lld-exports --out-dir pkg --out-name "$name" "$tmp/$name.wasm"
  test -f "pkg/${name}_bg.wasm" || { echo "build: wasm-bindgen produced no $name wasm" >&2; exit 1; }
  # Every chunk gets the build's name: split_X.wasm (the code only split
  # point X reaches: chat, engine; preview in the full build) ->
  # NAME_X.wasm, and chunk_N.wasm (code that several split points share,
  # fetched with any of them) -> NAME_X-Y.wasm, after the split points
  # that the loader's comment above the chunk names ("/* chat, engine */").
  cp "$tmp/__wasm_split.js" "pkg/${name}_split.js"
  local chunks=() c base out sets shared=("$tmp"/chunk_*.wasm)
  [ -e "${shared[0]}" ] || shared=()
  for c in "$tmp"/split_*.wasm "${shared[@]}"; do
    base="$(basename "$c" .wasm)"
    case "$base" in
      split_*) out="${name}_${base#split_}.wasm" ;;
      *)
        sets="$(grep -B1 "^const __${base} = " "$tmp/__wasm_split.js" | sed -n 's#^/\* \([a-z_, ]*\) \*/$#\1#p')"
        [ -n "$sets" ] || { echo "build: the chunk loader of $name does not say which split points share $base" >&2; exit 1; }
        out="${name}_${sets//, /-}.wasm" ;;
    esac
    cp "$c" "pkg/$out"
    sed -i 's#"./'"$base"'.wasm"#"./'"$out"'"#' "pkg/${name}_split.js"
    grep -q "\"./$out\"" "pkg/${name}_split.js" || { echo "build: the chunk loader of $name does not name $out" >&2; exit 1; }
    chunks+=("pkg/$out")
  done
  # wasm-bindgen imports the chunk loader once per split point, and lists
  # each import under the same key of the wasm's import object: the same
  # module namespace. Keep the first key (esbuild warns of the others).
  awk '/^ *"\.\/__wasm_split\.js": import[0-9]+,$/ { if (seen++) next } { print }' "pkg/$name.js" > "pkg/$name.js.tmp" && mv "pkg/$name.js.tmp" "pkg/$name.js"
  sed -i 's#from "./__wasm_split.js"#from "./'"$name"'_split.js"#' "pkg/$name.js"
  grep -q "${name}_split.js" "pkg/$name.js" || { echo "build: the $name glue does not import the chunk loader" >&2; exit 1; }
  rm -rf "$tmp"
  timed "$name wasm-opt" optimize "pkg/${name}_bg.wasm"
  for c in "${chunks[@]}"; do optimize "$c"; done
  minify_glue "pkg/$name.js" "pkg/${name}_bg.wasm"
  rm "pkg/${name}_split.js"
}

# One build without the split (--unsplit): cargo without the `split`
# feature, wasm-bindgen, wasm-opt and the same glue minification.
unsplit_build() { # DIR, NAME, cargo feature arguments...
  local dir="$1" name="$2"
  shift 2
  stack_flag
  RUSTFLAGS="${RUSTFLAGS:-$STACK_FLAG}" \
    cargo build --quiet --lib --release --target wasm32-unknown-unknown "$@" "${SIZE_CARGO_ARGS[@]}"
  if [ -n "$names" ]; then
    wasm-bindgen --target web --keep-debug --out-dir "$dir" --out-name "$name" target/wasm32-unknown-unknown/release/lcw_sdk.wasm
    wasm-opt --low-memory-unused --zero-filled-memory -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
    return
  fi
  wasm-bindgen --target web --out-dir "$dir" --out-name "$name" target/wasm32-unknown-unknown/release/lcw_sdk.wasm
  optimize "$dir/${name}_bg.wasm"
  minify_glue "$dir/$name.js" "$dir/${name}_bg.wasm"
}
if [ "${1:-}" = --unsplit ]; then
  dir="${2:?usage: scripts/build.sh --unsplit DIR [--names]}"
  names=""
  [ "${3:-}" = --names ] && names=1
  rm -rf "$dir" && mkdir -p "$dir"
  size_build_flags
  timed "full wasm, unsplit" unsplit_build "$dir" lcw_sdk
  timed "core wasm, unsplit" unsplit_build "$dir" lcw_core --no-default-features
  esbuild js/lcw.js --minify --target=es2017 --log-level=warning --outfile="$dir/lcw.js"
  exit 0
fi

rm -rf pkg
# Size-tuned std and panics as traps for both builds (scripts/lib.sh).
size_build_flags
# 1. Full build: SDK + default widget ("lcw-sdk").
timed "full wasm (cargo, wasm-split-cli, wasm-bindgen)" split_build lcw_sdk
# 2. Core build: the widget feature off ("lcw-sdk/core").
timed "core wasm (cargo, wasm-split-cli, wasm-bindgen)" split_build lcw_core --no-default-features

# Each glue file must belong to its build (the widget class only in the full one).
grep -q mountWidgetPreview pkg/lcw_sdk.js || { echo "build: pkg/lcw_sdk.js lacks the widget" >&2; exit 1; }
if grep -q mountWidgetPreview pkg/lcw_core.js; then echo "build: pkg/lcw_core.js has the widget" >&2; exit 1; fi

esbuild js/lcw.js --minify --target=es2017 --log-level=warning --outfile=pkg/lcw.js
cp js/lcw.js pkg/lcw.src.js
node scripts/package-json.mjs
cp README.md pkg/README.md
