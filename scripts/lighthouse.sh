#!/usr/bin/env bash
# Lighthouse 12 (its mobile profile: simulated slow 4G and a 4x slower CPU;
# and its desktop profile) on our release build and on the React original
# (../shared/react-original/dist), in one run, each served the same way: a
# private nginx from scripts/nginx.sh with brotli_static (hashed assets
# pre-compressed with brotli -q 11, index.html compressed on the fly), the
# dev service behind /provision/. Prints the median of RUNS runs (default 3)
# of each figure, ours and theirs alternating. A measurement, not a test:
#
#   trunk build --release --features split && scripts/lighthouse.sh
#
# THROTTLING=devtools applies the profile's network and CPU throttling to the
# real page load (Lighthouse's default, simulate, predicts the slow load
# from a fast one).
set -euo pipefail
source "$(dirname "$0")/env.sh"
RUNS="${RUNS:-3}"
THROTTLING="${THROTTLING:-simulate}"
LIGHTHOUSE_VERSION="12.2.3"
LH="$TOOLS/lighthouse/node_modules/.bin/lighthouse"
REACT_DIST="$ROOT/../shared/react-original/dist"
PAGE="/tenants/acme-shoes"

[ -f "$ROOT/dist/index.html" ] || { echo "build first: trunk build --release --features split" >&2; exit 1; }
[ -f "$REACT_DIST/index.html" ] || { echo "the React original is not at $REACT_DIST" >&2; exit 1; }
if [ "$("$LH" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
  step "npm install lighthouse@$LIGHTHOUSE_VERSION"
  mkdir -p "$TOOLS/lighthouse"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/lighthouse" "lighthouse@$LIGHTHOUSE_VERSION"
fi

work="$ROOT/target/lighthouse"
rm -rf "$work"; mkdir -p "$work/reports"
cp -r "$REACT_DIST" "$work/react"
find "$work/react" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.wasm' \) \
  -exec brotli -q 11 -f -k {} \; -exec gzip -9 -n -f -k {} \;

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
service_bin="$ROOT/target/release/dev-provisioning-service"
[ -x "$service_bin" ] || { cargo build --quiet -p dev-provisioning-service; service_bin="$ROOT/target/debug/dev-provisioning-service"; }
"$service_bin" --addr 127.0.0.1:0 >"$work/service.addr" 2>"$work/service.log" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/service.addr" && break; sleep 0.1; done
service="$(awk '{ print $NF; exit }' "$work/service.addr")"

serve() { # name dist port
  "$ROOT/scripts/nginx.sh" --dist "$2" --listen "127.0.0.1:$3" --api "$service" --prefix "$work/nginx-$1" \
    >"$work/nginx-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$3$PAGE" && return; sleep 0.1; done
  echo "nginx for $1 did not start: $work/nginx-$1.log" >&2; exit 1
}
serve ours "$ROOT/dist" 8091
serve react "$work/react" 8092

figures() { # report.json -> "lcp tti fcp tbt" in ms
  node -e 'const r = require(process.argv[1]).audits; const v = (k) => Math.round(r[k].numericValue);
    console.log([v("largest-contentful-paint"), v("interactive"), v("first-contentful-paint"), v("total-blocking-time")].join(" "))' "$1"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for profile in mobile desktop; do
  preset=(); [ "$profile" = desktop ] && preset=(--preset=desktop)
  for run in $(seq "$RUNS"); do
    for app in ours react; do
      port=8091; [ "$app" = react ] && port=8092
      out="$work/reports/$profile-$app-$run.json"
      CHROME_PATH="$CHROMIUM_BIN" "$LH" "http://127.0.0.1:$port$PAGE" --quiet --output=json --output-path="$out" \
        --only-categories=performance --throttling-method="$THROTTLING" "${preset[@]}" --chrome-flags="--headless=new --no-sandbox" >/dev/null 2>&1
      echo "$profile $app $(figures "$out")" >>"$work/figures.txt"
    done
  done
done

printf '\n%-8s %-6s %10s %10s %10s %10s   (median of %s runs, ms; throttling: %s)\n' profile app LCP TTI FCP TBT "$RUNS" "$THROTTLING"
for profile in mobile desktop; do
  for app in react ours; do
    col() { awk -v p="$profile" -v a="$app" -v c="$1" '$1 == p && $2 == a { print $c }' "$work/figures.txt" | median; }
    printf '%-8s %-6s %10s %10s %10s %10s\n' "$profile" "$app" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)"
  done
done
echo "reports: $work/reports/"
