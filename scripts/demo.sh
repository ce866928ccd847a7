#!/usr/bin/env bash
# Runs the demo: setup (idempotent), builds pkg/, then starts the reference
# chat server serving the demo site (www/), the package (/pkg/) and the agent
# console (/agent/). Prints the URLs. PORT=8787 by default.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
PORT="${PORT:-8787}"
log "starting the reference server on http://127.0.0.1:$PORT/"
# The debug build is the one the test command builds too (a release build
# uses the wasm-tuned profile: size-optimised, slow to link).
exec env -u RUSTUP_TOOLCHAIN cargo run -q -p lcw-server --bin lcw-server -- \
  --addr "127.0.0.1:$PORT" --db "${LCW_DB:-target/lcw-demo.db}" --static www --pkg pkg
