#!/usr/bin/env bash
# Installs everything store-portal needs to build, run and test, skipping
# what is already there: the wasm32 target, trunk, wasm-bindgen-cli (the
# Cargo.lock version), wasm-opt (npm binaryen), Chromium + ChromeDriver,
# Firefox ESR + geckodriver, brotli, nginx with its brotli_static module,
# cargo-deny, axe-core and esbuild (npm). Only package registries are used.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

missing_debs=()
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
[ -x /usr/bin/chromedriver ] || missing_debs+=(chromium-driver)
command -v firefox-esr >/dev/null || missing_debs+=(firefox-esr)
command -v brotli >/dev/null || missing_debs+=(brotli)
command -v gzip >/dev/null || missing_debs+=(gzip)
command -v curl >/dev/null || missing_debs+=(curl)
# openssl: the release build's post-build step rewrites SRI hashes with it.
command -v openssl >/dev/null || missing_debs+=(openssl)
command -v npm >/dev/null || missing_debs+=(nodejs npm)
[ -x "$NGINX_BIN" ] || missing_debs+=(nginx)
[ -f "$NGINX_BROTLI_MODULE" ] || missing_debs+=(libnginx-mod-http-brotli-static)
# The Debian packages download and unpack while the Rust tools below
# compile; npm waits for them.
apt_pid=""
APT_LOG="$ROOT/target/setup-apt.log"
if [ ${#missing_debs[@]} -gt 0 ]; then
  step "apt-get install ${missing_debs[*]} (in the background: $APT_LOG)"
  mkdir -p "$(dirname "$APT_LOG")"
  (
    set -e
    as_root apt-get update -qq
    # Installing nginx must not start the system's nginx: the tests run a
    # private one (scripts/nginx.sh). policy-rc.d refuses service starts.
    added_policy=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod +x /usr/sbin/policy-rc.d
      added_policy=true
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing_debs[@]}"
    if $added_policy; then as_root rm -f /usr/sbin/policy-rc.d; fi
  ) >"$APT_LOG" 2>&1 &
  apt_pid=$!
fi
# Waits for the Debian packages (once); their log on failure.
debs_ready() {
  [ -n "$apt_pid" ] || return 0
  if ! wait "$apt_pid"; then
    cat "$APT_LOG" >&2
    echo "setup: apt-get install ${missing_debs[*]} failed (log above)" >&2
    exit 1
  fi
  apt_pid=""
}

# The tools' own release profiles ask for fat LTO in one codegen unit (trunk,
# cargo-deny): a long build for tools whose speed the build hardly feels.
# Plain optimisation builds trunk in 5.9 minutes instead of 7.3 on 2 cores.
tool_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "cargo install trunk $TRUNK_VERSION (about 6 minutes on 2 cores, more with the crates to download)"
  tool_install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Not --locked: its lockfile pins a crate version the registry no longer serves.
  tool_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x "$GECKODRIVER_BIN" ]; then
  step "cargo install geckodriver (about 5 minutes)"
  tool_install geckodriver --locked
fi

if [ ! -x "$WASM_SPLIT_CLI" ]; then
  step "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli, a few minutes)"
  tool_install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi

# npm, Chromium, Firefox and nginx come with the Debian packages.
debs_ready

if [ "$(wasm-opt --version 2>/dev/null)" != "wasm-opt version ${BINARYEN_VERSION%%.*} (version_${BINARYEN_VERSION%%.*})" ]; then
  step "npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$TOOLS/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen" "binaryen@$BINARYEN_VERSION"
fi

if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
  step "cargo install cargo-deny $CARGO_DENY_VERSION (a few minutes)"
  tool_install cargo-deny --version "$CARGO_DENY_VERSION" --locked
fi

if [ ! -f "$AXE_JS" ]; then
  step "npm install axe-core@$AXE_CORE_VERSION (accessibility audits in the end-to-end tests)"
  mkdir -p "$TOOLS/axe"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/axe" "axe-core@$AXE_CORE_VERSION"
fi

if [ "$("$ESBUILD" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  step "npm install esbuild@$ESBUILD_VERSION (minifies the release build's JS and CSS)"
  mkdir -p "$TOOLS/esbuild"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/esbuild" "esbuild@$ESBUILD_VERSION"
fi

cargo fetch --quiet

echo "setup: ready — $(trunk --version), wasm-bindgen $WASM_BINDGEN_VERSION, $(wasm-opt --version | cut -d' ' -f1-3), $("$CHROMIUM_BIN" --version 2>/dev/null | head -1), $(firefox-esr --version 2>/dev/null), $("$GECKODRIVER_BIN" --version | head -1)"
