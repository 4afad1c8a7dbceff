#!/usr/bin/env bash
# Prints the size of each file in dist/ (raw, gzip -9, brotli -q 11) and the
# total; the .br/.gz copies the build writes beside the assets are not counted.
#
#   scripts/size-report.sh            the report
#   scripts/size-report.sh --check    the report against size-budget.txt: fails
#                                     when the brotli total is more than 3 %
#                                     over the budget's, naming the files that grew
#   scripts/size-report.sh --record   writes the current sizes as the budget
#                                     (a deliberate change, reviewed like code)
set -euo pipefail
source "$(dirname "$0")/env.sh"
BUDGET="$ROOT/size-budget.txt"
TOLERANCE_PERCENT=3
mode="${1:-}"
cd "$ROOT/dist"

# A file's name without Trunk's content hash: store-portal-0123456789abcdef_bg.wasm -> store-portal_bg.wasm
# (the hash is a 64-bit number in hex without leading zeros: up to 16 digits).
stable_name() { sed -E 's/-[0-9a-f]{8,16}([._])/\1/' <<<"$1"; }

declare -A brotli_of
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
raw_total=0; gz_total=0; br_total=0
for file in $(ls | sort); do
  [ -f "$file" ] || continue
  case "$file" in *.br|*.gz) continue ;; esac
  raw=$(wc -c <"$file"); gz=$(gzip -9 -c "$file" | wc -c); br=$(brotli -q 11 -c "$file" | wc -c)
  raw_total=$((raw_total + raw)); gz_total=$((gz_total + gz)); br_total=$((br_total + br))
  brotli_of["$(stable_name "$file")"]=$br
  printf '%-44s %10d %10d %10d\n' "$file" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' TOTAL "$raw_total" "$gz_total" "$br_total"

case "$mode" in
  --record)
    {
      echo "# The size budget: brotli -q 11 bytes of each file of the release dist/"
      echo "# (names without their content hash). scripts/test.sh fails when the total"
      echo "# grows more than ${TOLERANCE_PERCENT} % over this one. Change it on purpose, with"
      echo "# scripts/size-report.sh --record, and say why in the commit."
      for name in $(printf '%s\n' "${!brotli_of[@]}" | sort); do
        echo "$name ${brotli_of[$name]}"
      done
    } >"$BUDGET"
    echo "size budget written to size-budget.txt: $br_total bytes brotli"
    ;;
  --check)
    [ -f "$BUDGET" ] || { echo "size budget: $BUDGET is missing" >&2; exit 1; }
    budget_total=0
    declare -A budget_of
    while read -r name bytes; do
      case "$name" in ''|'#'*) continue ;; esac
      budget_of["$name"]=$bytes
      budget_total=$((budget_total + bytes))
    done <"$BUDGET"
    echo
    printf '%-36s %10s %10s %8s\n' "file (brotli)" budget now change
    for name in $(printf '%s\n' "${!brotli_of[@]}" "${!budget_of[@]}" | sort -u); do
      now=${brotli_of[$name]:-0}; was=${budget_of[$name]:-0}
      printf '%-36s %10d %10d %+8d\n' "$name" "$was" "$now" $((now - was))
    done
    limit=$((budget_total + budget_total * TOLERANCE_PERCENT / 100))
    printf '%-36s %10d %10d %+8d  (limit %d: budget + %d %%)\n' TOTAL "$budget_total" "$br_total" \
      $((br_total - budget_total)) "$limit" "$TOLERANCE_PERCENT"
    if [ "$br_total" -gt "$limit" ]; then
      echo >&2
      echo "size budget exceeded: $br_total bytes brotli, $((br_total - budget_total)) over the budget of $budget_total (limit $limit)." >&2
      for name in $(printf '%s\n' "${!brotli_of[@]}" "${!budget_of[@]}" | sort -u); do
        now=${brotli_of[$name]:-0}; was=${budget_of[$name]:-0}
        [ "$now" -gt "$was" ] && echo "  $name grew by $((now - was)) bytes ($was -> $now)" >&2
      done
      echo "Make it smaller, or record a new budget on purpose: scripts/size-report.sh --record" >&2
      exit 1
    fi
    echo "size budget kept: $br_total bytes brotli, within $TOLERANCE_PERCENT % of $budget_total"
    ;;
esac
