#!/usr/bin/env bash
# Runs every test: setup first (idempotent), then
#   1. host: cargo test (core, server) with property tests, and cargo
#      clippy with warnings denied (host, and the wasm layer of both builds);
#   2. bindings in headless Chromium: wasm-pack test --headless --chrome;
#   3. the release package (both builds, wasm-opt'd) built into pkg/;
#   4. tsc --noEmit over a TypeScript file that uses the public types;
#   5. Playwright (playwright-core + Debian's Chromium) against pkg/ and www/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
use_wasm_toolchain

log "host tests (cargo test)"
env -u RUSTUP_TOOLCHAIN cargo test --workspace --lib --bins --tests 2>&1
# Clippy where the toolchain has it (the Debian fallback may not).
if env -u RUSTUP_TOOLCHAIN cargo clippy --version >/dev/null 2>&1; then
  log "lints (cargo clippy, warnings denied): host"
  env -u RUSTUP_TOOLCHAIN cargo clippy -q --workspace --all-targets --features serde -- -D warnings 2>&1
else
  log "no cargo clippy for the host toolchain: host lints skipped"
fi
if cargo clippy --version >/dev/null 2>&1; then
  log "lints (cargo clippy, warnings denied): wasm32, both builds"
  cargo clippy -q --lib --tests --target wasm32-unknown-unknown -- -D warnings 2>&1
  cargo clippy -q --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings 2>&1
else
  log "no cargo clippy for the wasm32 toolchain: wasm lints skipped"
fi
# The browser tests run the reference server binary.
env -u RUSTUP_TOOLCHAIN cargo build -q -p lcw-server --bin lcw-server

log "binding tests in headless Chromium (wasm-pack test)"
wasm-pack test --headless --chrome -- --test web 2>&1 | grep -v -E '^\[INFO\]'
test "${PIPESTATUS[0]}" -eq 0

log "release package (pkg/)"
bash scripts/build.sh

log "TypeScript types (tsc --noEmit)"
# pkg/ as an installed package, so "lcw-sdk" and "lcw-sdk/core" resolve
# through its exports map.
mkdir -p tests/types/node_modules
ln -sfn ../../../pkg tests/types/node_modules/lcw-sdk
tsc -p tests/types/tsconfig.json

log "browser tests (Playwright + Chromium)"
# A test file that hangs fails by name after 10 minutes instead of holding
# the run until CI's limit (node applies the timeout to each file's run;
# all the files together take about 6.5 minutes on CI).
node --test --test-concurrency=1 --test-timeout=600000 tests/e2e/
