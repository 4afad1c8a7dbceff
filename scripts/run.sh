#!/usr/bin/env bash
# Runs the portal for development: the dev provisioning service on
# 127.0.0.1:8787 and `trunk serve` on 127.0.0.1:8080, which proxies
# /provision (and /dev) to it. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

APP_URL="http://127.0.0.1:8080"
SERVICE_ADDR="127.0.0.1:8787"

step "Building the dev provisioning service"
cargo build --quiet -p dev-provisioning-service

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "run: stopped the dev service and trunk serve."
}
trap stop EXIT
trap 'exit 130' INT TERM

for port in 8080 8787; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run: port $port is already in use; stop whatever listens there first." >&2
    exit 1
  fi
done

step "Starting the dev provisioning service on $SERVICE_ADDR"
"$ROOT/target/debug/dev-provisioning-service" --addr "$SERVICE_ADDR" &
pids+=($!)

step "Starting trunk serve on $APP_URL (the first build takes a minute or two)"
trunk serve &
pids+=($!)

until curl -sf -o /dev/null "$APP_URL/"; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run: a process exited early; see the output above." >&2; exit 1; }
  done
  sleep 1
done

cat <<MSG

  ✅ store-portal is running.

  Open:  $APP_URL/dev/sign-in?next=/tenants/acme-shoes
         (stores a development token in localStorage, then opens
          $APP_URL/tenants/acme-shoes — press "Provision Store")

  Tenant ids choose a scenario: fail-acme, slow-acme, html5xx-acme,
  huge-acme, hostile-acme, … (see docs/dev-service.md). Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"
