#!/usr/bin/env bash
# Lighthouse 12 (its mobile profile: simulated slow 4G and a 4x slower CPU;
# and its desktop profile) on our release build and on the React original
# (../shared/react-original/dist), in one run, each served the same way: a
# private nginx from scripts/nginx.sh with brotli_static (hashed assets
# pre-compressed with brotli -q 11, index.html compressed on the fly), the
# dev service behind /provision/ (10 s steps, so a job runs through its
# measurement). Three pages — the tenant page with no job, with a job
# running, and the Tenants page — each on a first and a second visit
# (scripts/lighthouse-pages.mjs). Prints the median of RUNS runs (default 3)
# of each figure, ours and theirs alternating. A measurement, not a test:
#
#   trunk build --release --features split && scripts/lighthouse.sh
#
# THROTTLING=devtools applies the profile's network and CPU throttling to the
# real page load (Lighthouse's default, simulate, predicts the slow load
# from a fast one). PAGES (default tenant,running,tenants) measures fewer
# pages; EXTRA_APPS="name=dist ..." serves more builds beside the two, each
# measured in the same run (scripts/yew-floor.sh makes one: the floor).
set -euo pipefail
source "$(dirname "$0")/env.sh"
RUNS="${RUNS:-3}"
THROTTLING="${THROTTLING:-simulate}"
REACT_DIST="$ROOT/../shared/react-original/dist"
PAGE="/tenants/acme-shoes"

[ -f "$ROOT/dist/index.html" ] || { echo "build first: trunk build --release --features split" >&2; exit 1; }
[ -f "$REACT_DIST/index.html" ] || { echo "the React original is not at $REACT_DIST" >&2; exit 1; }
install_lighthouse

work="$ROOT/target/lighthouse"
rm -rf "$work"; mkdir -p "$work"
cp -r "$REACT_DIST" "$work/react"
mapfile -d '' assets < <(find "$work/react" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.wasm' \) -print0)
precompress "${assets[@]}"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_dev_service "$work" 10000

serve() { # name dist port
  "$ROOT/scripts/nginx.sh" --dist "$2" --listen "127.0.0.1:$3" --api "$service" --prefix "$work/nginx-$1" \
    >"$work/nginx-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$3$PAGE" && return; sleep 0.1; done
  echo "nginx for $1 did not start: $work/nginx-$1.log" >&2; exit 1
}
serve ours "$ROOT/dist" 8091
serve react "$work/react" 8092
apps=("ours=http://127.0.0.1:8091" "react=http://127.0.0.1:8092")
port=8093
for extra in ${EXTRA_APPS:-}; do
  name="${extra%%=*}"; dist="${extra#*=}"
  [ -f "$dist/index.html" ] || { echo "EXTRA_APPS: no index.html in $dist" >&2; exit 1; }
  serve "$name" "$(cd "$dist" && pwd)" "$port"
  apps+=("$name=http://127.0.0.1:$port"); port=$((port + 1))
done

# One JSON line per measurement (scripts/lighthouse-pages.mjs): mobile then
# desktop; per run, each app in turn; the pages, two visits each.
CHROMIUM_BIN="$CHROMIUM_BIN" THROTTLING="$THROTTLING" PAGES="${PAGES:-tenant,running,tenants}" \
  node "$ROOT/scripts/lighthouse-pages.mjs" "$TOOLS/lighthouse/node_modules" "$RUNS" "${apps[@]}" \
  | tee "$work/figures.jsonl"

# Medians, each app's and its share of the React original's.
node - "$work/figures.jsonl" "$RUNS" "$THROTTLING" <<'JS'
const [file, runs, throttling] = process.argv.slice(2);
const rows = require("fs").readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`\nmedians of ${runs} runs, ms (bytes: KB transferred); throttling: ${throttling}`);
const width = Math.max(6, ...rows.map((r) => r.app.length));
console.log(`profile  page     visit   ${"app".padEnd(width)}     LCP     TTI     FCP     TBT      KB   LCP/React TTI/React`);
for (const formFactor of ["mobile", "desktop"])
  for (const page of [...new Set(rows.map((r) => r.page))])
    for (const visit of ["first", "second"]) {
      const of = (app, k) => median(rows.filter((r) => r.formFactor === formFactor && r.page === page && r.visit === visit && r.app === app).map((r) => r[k]));
      for (const app of ["react", ...new Set(rows.map((r) => r.app).filter((a) => a !== "react"))]) {
        const cols = ["lcp", "tti", "fcp", "tbt", "kb"].map((k) => String(of(app, k)).padStart(7));
        const ratio = (k) => (app !== "react" ? (of(app, k) / of("react", k)).toFixed(2) : "").padStart(9);
        console.log(`${formFactor.padEnd(8)} ${page.padEnd(8)} ${visit.padEnd(7)} ${app.padEnd(width)} ${cols.join(" ")} ${ratio("lcp")} ${ratio("tti")}`);
      }
    }
JS
