#!/usr/bin/env bash
# Issue 24, a probe (not the build): cuts the release wasm at the
# `#[wasm_split]` points, runs wasm-bindgen and wasm-opt on each part, and
# prints their brotli sizes against the whole module's. Needs
# `cargo install --locked wasm_split_cli_support --version 0.2.4 --features build-binary`
# (WASM_SPLIT_CLI names the binary).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
OUT="${OUT:-target/split-probe}"
CLI="${WASM_SPLIT_CLI:-wasm-split-cli}"
rm -rf "$OUT" && mkdir -p "$OUT/split" "$OUT/bindgen"
# Relocations kept, so the splitter can move functions and their data.
RUSTFLAGS="-C link-args=--emit-relocs" cargo build --release --target wasm32-unknown-unknown -p store-portal
"$CLI" target/wasm32-unknown-unknown/release/store-portal.wasm "$OUT/split" --out-name store-portal
# The chunks import the main module's function table by its LLD name.
wasm-bindgen --target web --keep-lld-exports --out-dir "$OUT/bindgen" --out-name store-portal "$OUT/split/store-portal.wasm"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types)
wasm-opt -Oz "${features[@]}" -o "$OUT/main.wasm" "$OUT/bindgen/store-portal_bg.wasm"
for chunk in "$OUT"/split/split_*.wasm; do
  wasm-opt -Oz "${features[@]}" -o "$OUT/$(basename "$chunk")" "$chunk"
done
for f in "$OUT"/*.wasm; do
  printf '%-40s %9d B, brotli %7d B\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(brotli -c -q 11 "$f" | wc -c)"
done
