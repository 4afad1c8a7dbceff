#!/usr/bin/env bash
# Runs the portal for development: the dev provisioning service on
# 127.0.0.1:8787 and `trunk serve` on 127.0.0.1:8080, which proxies
# /provision (and /dev) to it. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

step "Building the dev provisioning service"
cargo build --quiet -p dev-provisioning-service

service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -INT "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting the dev provisioning service"
"$ROOT/target/debug/dev-provisioning-service" --addr 127.0.0.1:8787 &
service_pid=$!

cat <<MSG

  store-portal is starting (the first build takes a minute or two).

  Open:  http://127.0.0.1:8080/dev/sign-in?next=/tenants/acme-shoes
         (stores a development token in localStorage, then opens
          http://127.0.0.1:8080/tenants/acme-shoes)

  Tenant ids choose a scenario: fail-acme, slow-acme, html5xx-acme,
  huge-acme, hostile-acme, … (see the README). Ctrl-C stops everything.

MSG
trunk serve
