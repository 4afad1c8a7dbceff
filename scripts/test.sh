#!/usr/bin/env bash
# Runs every test layer and the release build, then prints how many tests
# each layer ran:
#   0. formatting, lints, the dependency policy (cargo deny)
#   1. native: cargo test (the app's functional core, the contract crate, the dev service's contract tests against docs/openapi.yaml)
#   2. browser: wasm-bindgen-test in headless Chromium and in headless Firefox
#   then the release build and its size budget (size-budget.txt, 3 % slack),
#   and the builds' boot.js run under node on tests/route-cases.json
#   3. end-to-end: the release build driven in headless Chromium, served by
#      the dev service and by nginx (strict CSP) at / and at a sub-path, and
#      by the dev service in headless Firefox
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

# The end-to-end tests serve a second build at this mount path.
SUB_PATH="/admin/provisioning/"

# Headroom for slow machines: the slowest browser test takes about 5 s.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-90}"

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
declare -a SUMMARY=()
TOTAL=0

# Counts the tests a layer's log says passed (the "test result" lines of
# cargo's harness and of the end-to-end one, libtest-mimic).
count_passed() {
  grep -aoE 'test result: ok\. [0-9]+ passed' "$1" | grep -oE '[0-9]+ passed' | awk '{ n += $1 } END { print n + 0 }'
}

layer() {
  local name="$1" slug="$2"
  shift 2
  step "$name"
  if ! "$@" 2>&1 | tee "$LOGS/$slug.log"; then
    echo "test: the layer \"$name\" failed; its log is $LOGS/$slug.log" >&2
    exit 1
  fi
  local n
  n=$(count_passed "$LOGS/$slug.log")
  if [ "$n" -eq 0 ]; then
    echo "test: the layer \"$name\" ran no test" >&2
    exit 1
  fi
  SUMMARY+=("$(printf '%-38s %4d passed' "$name" "$n")")
  TOTAL=$((TOTAL + n))
}

step "Formatting, lints and the dependency policy (cargo fmt, cargo clippy, cargo deny)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p store-portal --lib --bins --tests -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p store-portal --features split --lib --bins -- -D warnings
# deny.toml states the policy. (Advisories need GitHub: see docs/testing.md.)
cargo deny --log-level error check bans licenses sources

layer "native (cargo test)" native cargo test --workspace --exclude e2e

step "Starting the dev provisioning service for the browser tests"
cargo build --quiet -p dev-provisioning-service
service_log="$LOGS/dev-service-browser.log"
"$ROOT/target/debug/dev-provisioning-service" --addr 127.0.0.1:0 --step-ms 100 >"$service_log.addr" 2>"$service_log" &
service_pid=$!
trap 'kill $service_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$service_log.addr" && break; sleep 0.1; done
STORE_PORTAL_TEST_SERVICE="$(awk '{ print $NF; exit }' "$service_log.addr")"
export STORE_PORTAL_TEST_SERVICE
echo "dev service at $STORE_PORTAL_TEST_SERVICE"

browser_tests=(cargo test --target wasm32-unknown-unknown -p store-portal --test browser --test browser_api)
# Exactly one driver variable each: with both set, geckodriver wins.
layer "browser: headless Chromium" chromium env -u GECKODRIVER CHROMEDRIVER="$CHROMEDRIVER_BIN" "${browser_tests[@]}"
layer "browser: headless Firefox" firefox env -u CHROMEDRIVER GECKODRIVER="$GECKODRIVER_BIN" "${browser_tests[@]}"
kill "$service_pid" 2>/dev/null || true

step "Release build (trunk build --release --features split), and one mounted at $SUB_PATH"
rm -rf dist target/dist-subpath
trunk build --release --features split
# The size budget (size-budget.txt): fails when the brotli total grows more
# than 3 % over it, and says which file grew.
"$ROOT/scripts/size-report.sh" --check | tee "$LOGS/size-report.txt"
trunk build --release --features split --public-url "$SUB_PATH" --dist target/dist-subpath

# boot.js of both builds, on the route cases route.rs is checked against
# (src/boot_facts.rs): the chunks it preloads and the theme it applies.
layer "boot.js: route cases (node)" boot node tests/boot-js.mjs dist target/dist-subpath

# The end-to-end harness starts the dev service, two private nginx (at / and
# at the sub-path, through scripts/nginx.sh), Chromium and Firefox itself.
layer "end-to-end: Chromium + Firefox" e2e env CHROMEDRIVER="$CHROMEDRIVER_BIN" CHROMIUM="$CHROMIUM_BIN" GECKODRIVER="$GECKODRIVER_BIN" AXE_JS="$AXE_JS" cargo test -p e2e

step "Summary"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  screenshots: target/e2e-screenshots/"
echo "total: $TOTAL passed, 0 failed"
