# Shared helpers for the project scripts (sourced, not run).
# Sets ROOT and, when the wasm32 target comes from Debian's rustc-web rather
# than rustup, exports RUSTUP_TOOLCHAIN=system for wasm builds.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# True when the default rustup toolchain has the wasm32 std.
rustup_has_wasm() {
  local sysroot
  sysroot="$(rustc --print sysroot 2>/dev/null)" || return 1
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

# True when Debian's /usr sysroot has a wasm32 std we built and rustup knows it.
system_has_wasm() {
  ls /usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1 &&
    rustup toolchain list 2>/dev/null | grep -q '^system'
}

# Exports the toolchain choice for wasm builds.
use_wasm_toolchain() {
  if rustup_has_wasm; then
    unset RUSTUP_TOOLCHAIN
  elif system_has_wasm; then
    export RUSTUP_TOOLCHAIN=system
  else
    return 1
  fi
}

# The exact wasm-bindgen version that Cargo.lock pins.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock"
}

# Cargo arguments and env for the size-tuned release wasm (bench/SIZE.md):
# std rebuilt with `optimize_for_size`, panics compiled to bare traps (the
# SDK installs no panic hook, so panic messages were never shown anyway).
# Needs the std sources (rustup's rust-src, or Debian's rust-web-src); without
# them it falls back to the prebuilt std and says so. Sets SIZE_CARGO_ARGS
# (array) and exports RUSTC_BOOTSTRAP/RUSTFLAGS for the build that follows.
# The release wasm's shadow stack (.cargo/config.toml has the dev/test
# builds' 256 KiB). It holds only address-taken locals (wasm locals live on
# the engine's own stack), and input depth is bounded (src/core/json's
# recursion limit of 128, rules 40 levels deep, src/web/raw.rs MAX_DEPTH).
# Measured in the release build (tests/e2e/stack.test.mjs, which fails if
# the deepest input takes more than half): start-up uses 7 kB, JSON nested to
# the parser's limit 28.5 kB; the whole e2e suite also passed with 64 KiB.
# The module is linked stack-first, so an overflow traps instead of
# overwriting data. Each 64 KiB less is one page less of wasm memory at
# start (bench/SIZE.md).
RELEASE_STACK_SIZE=131072
# Sets STACK_FLAG, the release stack-size link flag (a build that sets
# RUSTFLAGS replaces .cargo/config.toml's target rustflags).
# Also maps the build machine's paths (the std sources, the crates.io
# sources, this checkout) to short fixed names: the paths that the wasm's
# leftover panic locations hold no longer say where it was built, the same
# sources give the same bytes on any machine, and the strings are shorter.
stack_flag() {
  local sysroot cargo_home
  sysroot="$(rustc --print sysroot 2>/dev/null || true)"
  cargo_home="${CARGO_HOME:-$HOME/.cargo}"
  STACK_FLAG="-Clink-arg=-zstack-size=$RELEASE_STACK_SIZE"
  # (RUSTFLAGS is split at spaces: a path holding one is left as it is.)
  local from to from_to
  for from_to in "$ROOT/|" "$cargo_home/registry/src/|/" "${sysroot:+$sysroot/lib/rustlib/src/rust/}|/rust/"; do
    from="${from_to%|*}" to="${from_to#*|}"
    [ -n "$from" ] && [[ "$from" != *" "* ]] && STACK_FLAG="$STACK_FLAG --remap-path-prefix=$from=$to"
  done
  return 0
}

size_build_flags() {
  SIZE_CARGO_ARGS=()
  local lib
  lib="$(rustc --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library"
  if [ ! -f "$lib/core/Cargo.toml" ]; then
    log "no std sources (rust-src): building with the prebuilt std (bigger wasm)"
    return 0
  fi
  # build-std is a nightly flag; RUSTC_BOOTSTRAP lets the pinned stable use it.
  export RUSTC_BOOTSTRAP=1
  # RUSTFLAGS replaces .cargo/config.toml's target rustflags: repeat them.
  stack_flag
  export RUSTFLAGS="$STACK_FLAG"
  local features=()
  grep -q '^optimize_for_size' "$lib/core/Cargo.toml" && features+=(optimize_for_size)
  if grep -q 'Cpanic=immediate-abort' "$lib/core/Cargo.toml"; then
    RUSTFLAGS="$RUSTFLAGS -Zunstable-options -Cpanic=immediate-abort"
  else
    features+=(panic_immediate_abort)
  fi
  SIZE_CARGO_ARGS=(-Zbuild-std=std,panic_abort "-Zbuild-std-features=$(IFS=,; echo "${features[*]}")")
}
