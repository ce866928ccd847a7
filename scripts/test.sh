#!/usr/bin/env bash
# Runs every test: setup first (idempotent), then
#   1. host: cargo test (core, server) with property tests;
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
node --test --test-concurrency=1 tests/e2e/
