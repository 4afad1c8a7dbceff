#!/usr/bin/env bash
# How soon Provision Store works in a host's page (<store-provisioning>)
# beside the standalone tenant page, cold and cached, under Lighthouse's
# mobile throttling (scripts/element-startup.mjs says how). Serves the
# sub-path build and the host page of e2e/host-page/ from a private nginx
# (scripts/nginx.sh), the dev service behind it. A measurement, not a test:
#
#   trunk build --release --features split --public-url /admin/provisioning/ --dist target/dist-subpath
#   scripts/element-startup.sh          # RUNS=5 by default
set -euo pipefail
source "$(dirname "$0")/env.sh"
RUNS="${RUNS:-5}"
dist="$ROOT/target/dist-subpath"
[ -f "$dist/store-provisioning.js" ] || { echo "build first: trunk build --release --features split --public-url /admin/provisioning/ --dist target/dist-subpath" >&2; exit 1; }
install_lighthouse
work="$ROOT/target/element-startup"
rm -rf "$work"; mkdir -p "$work"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_dev_service "$work" 10000
"$ROOT/scripts/nginx.sh" --dist "$dist" --base-path /admin/provisioning/ --listen 127.0.0.1:8095 \
  --api "$service" --host-page "$ROOT/e2e/host-page" --prefix "$work/nginx" >"$work/nginx.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:8095/portal/ && break; sleep 0.1; done
CHROMIUM_BIN="$CHROMIUM_BIN" node "$ROOT/scripts/element-startup.mjs" "$TOOLS/lighthouse/node_modules" "$RUNS" http://127.0.0.1:8095
