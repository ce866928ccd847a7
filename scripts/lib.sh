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
