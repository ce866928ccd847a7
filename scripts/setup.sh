#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, from package
# registries only. Idempotent: a few seconds when everything is present.
#
#   scripts/setup.sh            # everything
#
# The wasm32 target: `rustup target add` where the network allows it,
# otherwise Debian's rustc-web plus a wasm32 std built once from rust-web-src
# (see ../shared/TOOLCHAIN.md), selected with RUSTUP_TOOLCHAIN=system.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
APT_UPDATED=""
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# 1. Browser and driver for wasm-pack test and Playwright.
apt_install chromium chromium-driver

# 2. The wasm32 target.
if ! use_wasm_toolchain; then
  log "no wasm32 target yet: trying rustup (short timeout)"
  if timeout 30 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 && rustup_has_wasm; then
    :
  else
    log "rustup cannot fetch the target here: building wasm32 std for Debian's rustc-web"
    apt_install rustc-web cargo-web rust-web-src lld-22
    scratch="$(mktemp -d)"
    mkdir -p "$scratch/src"
    cat > "$scratch/Cargo.toml" <<'TOML'
[package]
name = "wasmstd-scratch"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
opt-level = 3
TOML
    : > "$scratch/src/lib.rs"
    (cd "$scratch" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build -q --release \
        --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort,test)
    dest=/usr/lib/rustlib/wasm32-unknown-unknown/lib
    $SUDO mkdir -p "$dest"
    find "$scratch/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' \
      ! -name 'libwasmstd_scratch*' -exec $SUDO cp {} "$dest/" \;
    rm -rf "$scratch"
    rustup toolchain list | grep -q '^system' || rustup toolchain link system /usr
  fi
  use_wasm_toolchain || { echo "setup: wasm32 target still missing" >&2; exit 1; }
fi

# 2b. The std sources, for the size-tuned release build (scripts/lib.sh
# size_build_flags). Best effort: without them the build uses the prebuilt std.
if [ -z "${RUSTUP_TOOLCHAIN:-}" ] && \
   [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/core" ]; then
  log "rustup component add rust-src"
  timeout 120 rustup component add rust-src >/dev/null 2>&1 || log "rust-src unavailable: release wasm will be bigger"
fi

# 3. wasm-bindgen-cli pinned to Cargo.lock, and wasm-pack.
[ -f Cargo.lock ] || cargo generate-lockfile -q
want="$(locked_wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  log "cargo install wasm-bindgen-cli $want (was: ${have:-none})"
  # Not --locked: one locked dependency is missing from the registry mirror.
  env -u RUSTUP_TOOLCHAIN cargo install -q wasm-bindgen-cli --version "=$want" --force
fi
if ! command -v wasm-pack >/dev/null; then
  log "cargo install wasm-pack"
  env -u RUSTUP_TOOLCHAIN cargo install -q wasm-pack
fi

# 3b. wasm-split-cli (scripts/build.sh splits each build's chat code into a
# chunk loaded at the first chat); pinned, with its locked dependencies.
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list 2>/dev/null | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:" || ! command -v wasm-split-cli >/dev/null; then
  log "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli)"
  env -u RUSTUP_TOOLCHAIN cargo install -q --locked wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary --force
fi

# 4. npm dev dependencies (playwright-core, typescript, binaryen's wasm-opt, esbuild).
stamp="node_modules/.lcw-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json "$stamp"
fi
