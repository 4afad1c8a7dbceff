#!/usr/bin/env bash
# Prints the size of each file in dist/ (raw, gzip -9, brotli -q 11) and the
# total; the .br/.gz copies the build writes beside the assets are not counted.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/dist"
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
raw_total=0; gz_total=0; br_total=0
for file in $(ls | sort); do
  [ -f "$file" ] || continue
  case "$file" in *.br|*.gz) continue ;; esac
  raw=$(wc -c <"$file"); gz=$(gzip -9 -c "$file" | wc -c); br=$(brotli -q 11 -c "$file" | wc -c)
  raw_total=$((raw_total + raw)); gz_total=$((gz_total + gz)); br_total=$((br_total + br))
  printf '%-44s %10d %10d %10d\n' "$file" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' TOTAL "$raw_total" "$gz_total" "$br_total"
