# Sourced by the other scripts: where the project's tools live.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
# wasm-opt from the npm package `binaryen` must come before Debian's (too old).
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$TOOLS/binaryen/node_modules/.bin:$CARGO_BIN:$PATH"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
CHROMEDRIVER_BIN="${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}"
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
GECKODRIVER_BIN="${GECKODRIVER_BIN:-$CARGO_BIN/geckodriver}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
