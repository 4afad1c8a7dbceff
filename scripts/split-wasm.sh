#!/usr/bin/env bash
# Release builds, from the Trunk post_build hook, in Trunk's staging
# directory: the module cut at its `#[wasm_split]` points (wasm-split-cli,
# from crates.io: scripts/setup.sh installs it). The raw module Cargo built
# (with relocations: .cargo/config.toml) is split; wasm-bindgen and wasm-opt
# run on the main part, and it takes the place of the one Trunk made (same
# names; index.html's SRI hashes follow). Each chunk is wasm-opt'd and named
# with a hash of its content; the loader the splitter writes is put inside
# the glue (so the glue's SRI hash covers it), fetching each chunk by its
# hashed name with its SRI hash.
set -euo pipefail
source="${TRUNK_SOURCE_DIR:?run by trunk build}"
source "$source/scripts/env.sh"
raw="${CARGO_TARGET_DIR:-$source/target}/wasm32-unknown-unknown/release/store-portal.wasm"
# Built without `--features split`: one whole module, as Trunk made it.
if ! grep -qaF "__wasm_split_load_" "$raw"; then
  echo "split-wasm: no split points (built without --features split): the module stays whole"
  exit 0
fi
CLI="${WASM_SPLIT_CLI:-wasm-split-cli}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

glue="$(ls store-portal-*.js)"
wasm="$(ls store-portal-*_bg.wasm)"
"$CLI" "$raw" "$work/split" --out-name store-portal
# A chunk per split point (split_<name>.wasm), and chunks of the code two
# or more of them share (chunk_<n>.wasm), which the loader fetches first.
shopt -s nullglob
chunks=("$work"/split/split_*.wasm "$work"/split/chunk_*.wasm)
shopt -u nullglob
[ "${#chunks[@]}" -ge 1 ] || { echo "split-wasm: no split points in $raw" >&2; exit 1; }
wasm-bindgen --target web --keep-lld-exports --out-dir "$work/bindgen" --out-name store-portal "$work/split/store-portal.wasm"
wasm_before="$(sri "$wasm")"
wasm-opt -Oz --converge "${WASM_OPT_FEATURES[@]}" -o "$wasm" "$work/bindgen/store-portal_bg.wasm"
grep -qF "$wasm_before" index.html || { echo "split-wasm: no SRI hash for $wasm in index.html" >&2; exit 1; }
perl -pi -e "s{\Q$wasm_before\E}{$(sri "$wasm")}g" index.html

loader="$work/split/__wasm_split.js"
metas=""
for chunk in "${chunks[@]}"; do
  name="$(basename "$chunk" .wasm)"
  wasm-opt -Oz --converge "${WASM_OPT_FEATURES[@]}" -o "$work/$name.wasm" "$chunk"
  hashed="$name-$(sha256sum "$work/$name.wasm" | cut -c1-16).wasm"
  mv "$work/$name.wasm" "$hashed"
  integrity="$(sri "$hashed")"
  grep -qF "fetch(new URL(\"./$name.wasm\", import.meta.url))" "$loader" ||
    { echo "split-wasm: the loader does not fetch $name.wasm as expected" >&2; exit 1; }
  perl -pi -e "s{fetch\(new URL\(\"\./\Q$name\E\.wasm\", import\.meta\.url\)\)}{fetch(new URL(\"./$hashed\", import.meta.url), { integrity: \"$integrity\" })}" "$loader"
  # For boot.js, which fetches a page's chunks beside the main module: the
  # file and the split point's name (none for a shared chunk, which names
  # the split points that use it: the loader's comment above it). The SRI
  # hash is checked by the loader's fetch, which uses that download.
  part="${name#split_}" used_by=""
  if [ "$part" = "$name" ]; then
    part=""
    used_by="$(grep -B1 -F "const __$name = makeLoad" "$loader" | sed -n 's|^/\* \(.*\) \*/$|\1|p' | tr -d ',')"
    [ -n "$used_by" ] || { echo "split-wasm: the loader does not say which split points use $name" >&2; exit 1; }
  fi
  metas+="<meta name=\"store-portal-chunk\" content=\"$hashed\" data-part=\"$part\" data-used-by=\"$used_by\">"
done
grep -qF '<meta name="store-portal-chunks">' index.html ||
  { echo "split-wasm: no <meta name=\"store-portal-chunks\"> in index.html" >&2; exit 1; }
perl -pi -e "s{<meta name=\"store-portal-chunks\">}{$metas}" index.html

# The loader inside the glue: its `initSync` is the glue's own, and the
# module's imports from "./__wasm_split.js" (one `import * as importN` line
# per chunk) are the loader's exports.
bound="$work/glue.js"
names=($(grep -oE '^import \* as import[0-9]+ from "\./__wasm_split\.js"' "$work/bindgen/store-portal.js" | awk '{ print $4 }'))
[ "${#names[@]}" -ge 1 ] ||
  { echo "split-wasm: the glue does not import the loader as expected" >&2; exit 1; }
grep -qF 'import { initSync } from "./store-portal.js";' "$loader" ||
  { echo "split-wasm: the loader does not import the glue as expected" >&2; exit 1; }
{
  grep -vE '^import \* as import[0-9]+ from "\./__wasm_split\.js"' "$work/bindgen/store-portal.js"
  echo "const ${names[0]} = (() => {"
  grep -vF 'import { initSync } from "./store-portal.js";' "$loader" | sed 's/^export const \([A-Za-z0-9_]*\) = /const \1 = /'
  echo "return { $(grep -o '^export const [A-Za-z0-9_]*' "$loader" | sed 's/^export const //' | paste -sd, -) };"
  echo "})();"
  for name in "${names[@]:1}"; do echo "const $name = ${names[0]};"; done
} >"$bound"
if grep -qE 'from "\./__wasm_split\.js"' "$bound"; then
  echo "split-wasm: the glue still imports __wasm_split.js" >&2; exit 1
fi
before="$(sri "$glue")"
cp "$bound" "$glue"
perl -pi -e "s{\Q$before\E}{$(sri "$glue")}g" index.html
echo "split-wasm: ${#chunks[@]} chunk(s): $(ls split_*.wasm chunk_*.wasm 2>/dev/null | paste -sd' ' -)"
