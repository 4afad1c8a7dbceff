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
# Debian puts nginx in /usr/sbin, which a non-login PATH may lack.
NGINX_BIN="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
NGINX_BROTLI_MODULE="/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
CARGO_DENY_VERSION="0.20.2"
# Cuts release builds at their split points (scripts/split-wasm.sh).
WASM_SPLIT_VERSION="0.2.4"
WASM_SPLIT_CLI="${WASM_SPLIT_CLI:-$CARGO_BIN/wasm-split-cli}"
export WASM_SPLIT_CLI
AXE_CORE_VERSION="4.10.3"
ESBUILD_VERSION="0.24.2"
ESBUILD="$TOOLS/esbuild/node_modules/.bin/esbuild"
AXE_JS="$TOOLS/axe/node_modules/axe-core/axe.min.js"

# Lighthouse (and the puppeteer-core it brings) for the startup
# benchmarks (lighthouse.sh, element-startup.sh), into .tools/lighthouse.
LIGHTHOUSE_VERSION="12.2.3"
LH="$TOOLS/lighthouse/node_modules/.bin/lighthouse"
install_lighthouse() {
  if [ "$("$LH" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
    step "npm install lighthouse@$LIGHTHOUSE_VERSION"
    mkdir -p "$TOOLS/lighthouse"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/lighthouse" "lighthouse@$LIGHTHOUSE_VERSION"
  fi
}

# For the benchmarks: the dev service (its release build if there is one)
# at STEP_MS steps on a free port, its output in WORK; sets `service` to
# its URL and adds its pid to `pids` (the caller's trap kills them).
start_dev_service() { # WORK STEP_MS
  local bin="$ROOT/target/release/dev-provisioning-service"
  [ -x "$bin" ] || { cargo build --quiet -p dev-provisioning-service; bin="$ROOT/target/debug/dev-provisioning-service"; }
  "$bin" --addr 127.0.0.1:0 --step-ms "$2" >"$1/service.addr" 2>"$1/service.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$1/service.addr" && break; sleep 0.1; done
  service="$(awk '{ print $NF; exit }' "$1/service.addr")"
}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# What the release build does to its files, in one place for every script
# that makes or serves one (trunk-post-build.sh, split-wasm.sh,
# yew-floor.sh, lighthouse.sh):
# - a file's SRI hash, as index.html carries it;
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
# - the wasm features wasm-opt is told the modules use;
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types)
# - the copies nginx serves as they are (brotli_static, gzip_static).
precompress() {
  for file in "$@"; do
    brotli -q 11 -f -k -o "$file.br" "$file"
    gzip -9 -n -f -k "$file"
  done
}
