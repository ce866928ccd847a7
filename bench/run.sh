#!/usr/bin/env bash
# The benchmark command (issue 7): builds the release package, bundles the
# peers, runs the trigger-engine bench (host, then the wasm build in
# Chromium), loads every page (ours, the peers,
# the empty page and the four floors of bench/floor.mjs) cold 20 times in
# headless Chromium, then 5 more times with tracing for compile time
# (bench/trace.mjs), times a cold page's first chat (bench/firstchat.mjs)
# and a running chat's cost per message (bench/messages.mjs), prints the
# tables and rewrites bench/RESULTS.md.
#
#   bench/run.sh                 # everything (~13 min of loads on 2 cores, plus the build)
#   BENCH_LOADS=5 bench/run.sh   # fewer loads per page, for a quick look
#   BENCH_TRACE_LOADS=0 ...      # no traced loads (no compile-time table)
#   BENCH_SKIP_BUILD=1 ...       # reuse pkg/ as it is (no scripts/build.sh)
#   BENCH_NO_WRITE=1 ...         # print only, leave RESULTS.md alone
#   BENCH_FIRSTCHAT_LOADS=N ...  # cold loads for the first-chat figure (10)
#   BENCH_MESSAGES_RUNS=N ...    # pages for the per-message figures (5)
#
# Needs: node, /usr/bin/chromium (scripts/setup.sh installs it), npm registry
# access the first time (bench/node_modules). Not part of the test command.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
mkdir -p "$OUT"
log() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$SECONDS" "$*" >&2; }

# 1. The peers and the driver, from bench/'s own lock file.
if [ ! -d "$BENCH/node_modules/playwright-core" ] || [ ! -d "$BENCH/node_modules/botframework-webchat" ]; then
  log "npm ci in bench/ (peers, esbuild, playwright-core)"
  (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 2. Our release package.
status="not built"
if [ -n "${BENCH_SKIP_BUILD:-}" ]; then
  [ -f "$ROOT/pkg/lcw.js" ] && status="built (pkg/ reused, not rebuilt)"
elif [ -x "$ROOT/scripts/build.sh" ]; then
  log "scripts/build.sh (release package into pkg/)"
  if "$ROOT/scripts/build.sh" >"$OUT/build.log" 2>&1; then
    status="built"
    [ -f "$ROOT/pkg/lcw.js" ] || status="not built (build.sh made no pkg/lcw.js)"
  else
    status="build failed"
    log "build failed (see bench/out/build.log):"; tail -5 "$OUT/build.log" >&2
  fi
else
  log "no scripts/build.sh: our column will say 'not built'"
fi
export LCW_BUILD_STATUS="$status"

# 3. Peer bundles.
log "esbuild: peer bundles into bench/out/peers"
(cd "$BENCH" && node build-peers.mjs)

# 4. Trigger engine host bench, when it exists.
rm -f "$OUT/trigger_bench.txt"
if [ -f "$ROOT/examples/trigger_bench.rs" ]; then
  log "cargo run --release --example trigger_bench"
  if (cd "$ROOT" && timeout 600 cargo run --quiet --release --example trigger_bench) >"$OUT/trigger_bench.out" 2>"$OUT/trigger_bench.err"; then
    cp "$OUT/trigger_bench.out" "$OUT/trigger_bench.txt"
  else
    { echo "trigger_bench FAILED:"; tail -20 "$OUT/trigger_bench.err"; } >"$OUT/trigger_bench.txt"
  fi
fi

# 4b. The same engine in the browser (wasm core build): the host bench's 100
# rules, evaluated through setPageData (bench/engine.mjs).
if [ -f "$OUT/trigger_bench.out" ] && [ -f "$ROOT/pkg/lcw_core_bg.wasm" ]; then
  log "trigger engine in Chromium (bench/engine.mjs)"
  if (cd "$ROOT" && timeout 600 cargo run --quiet --release --example trigger_bench -- --rules) >"$OUT/rules.json" 2>>"$OUT/trigger_bench.err" &&
    (cd "$BENCH" && timeout 300 node engine.mjs "$OUT/rules.json") >"$OUT/engine.out" 2>&1; then
    cat "$OUT/engine.out" >>"$OUT/trigger_bench.txt"
  else
    { echo "bench/engine.mjs FAILED:"; tail -20 "$OUT/engine.out"; } >>"$OUT/trigger_bench.txt"
  fi
fi

# 4c. The first chat's start on a cold page (the chat chunk's cost), against
# the reference server's debug build (built here when missing).
rm -f "$OUT/firstchat.txt"
if [ -f "$ROOT/pkg/lcw_core_chat.wasm" ]; then
  log "first chat (bench/firstchat.mjs)"
  if (cd "$ROOT" && cargo build -q -p lcw-server) >"$OUT/firstchat.err" 2>&1 &&
    (cd "$BENCH" && timeout 600 node firstchat.mjs --loads "${BENCH_FIRSTCHAT_LOADS:-10}") >"$OUT/firstchat.out" 2>>"$OUT/firstchat.err"; then
    cp "$OUT/firstchat.out" "$OUT/firstchat.txt"
  else
    { echo "bench/firstchat.mjs FAILED:"; tail -20 "$OUT/firstchat.err"; } >"$OUT/firstchat.txt"
  fi
fi

# 4d. A running chat's cost per message in the page (bench/messages.mjs),
# against the same server build.
rm -f "$OUT/messages.txt"
if [ -f "$ROOT/pkg/lcw_core_chat.wasm" ] && [ -x "$ROOT/target/debug/lcw-server" ]; then
  log "a running chat's cost per message (bench/messages.mjs)"
  if (cd "$BENCH" && timeout 600 node messages.mjs --runs "${BENCH_MESSAGES_RUNS:-5}") >"$OUT/messages.out" 2>"$OUT/messages.err"; then
    cp "$OUT/messages.out" "$OUT/messages.txt"
  else
    { echo "bench/messages.mjs FAILED:"; tail -20 "$OUT/messages.err"; } >"$OUT/messages.txt"
  fi
fi

# 5. Cold loads, then the report.
log "cold loads: ${BENCH_LOADS:-20} per page (our package: $status)"
(cd "$BENCH" && node bench.mjs)
if [ -n "${BENCH_NO_WRITE:-}" ]; then
  (cd "$BENCH" && node report.mjs)
else
  (cd "$BENCH" && node report.mjs --write)
fi
log "done"

