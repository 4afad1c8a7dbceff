#!/usr/bin/env bash
# Builds the floor (benches/yew-floor: the smallest tenant page the design
# card's packages make) into target/yew-floor-dist: our release dist with
# the floor's glue and wasm in place of ours (wasm-bindgen and wasm-opt as
# the release build runs them, hashed names, SRI hashes in index.html) and
# no chunks. Measured beside ours and the React original:
#
#   trunk build --release --features split && scripts/yew-floor.sh &&
#     EXTRA_APPS="floor=target/yew-floor-dist" PAGES=tenant scripts/lighthouse.sh
#
# --nightly-std builds it instead with a nightly compiler and a standard
# library built for size (into target/yew-floor-nightly-dist): a
# measurement of what that toolchain would give, not a build the project
# ships. It needs what the machine's toolchain does not promise:
#   rustup target add wasm32-unknown-unknown --toolchain nightly
#   rustup component add rust-src --toolchain nightly
set -euo pipefail
source "$(dirname "$0")/env.sh"
crate="$ROOT/benches/yew-floor"
nightly=false
[ "${1:-}" = --nightly-std ] && nightly=true
if $nightly; then out="$ROOT/target/yew-floor-nightly-dist"; else out="$ROOT/target/yew-floor-dist"; fi
[ -f "$ROOT/dist/index.html" ] || { echo "build first: trunk build --release --features split" >&2; exit 1; }

# The same versions as store-portal's (the floor has no lock file of its own).
cp "$ROOT/Cargo.lock" "$crate/Cargo.lock"
trap 'rm -f "$crate/Cargo.lock"' EXIT
# Without store-portal's --emit-relocs (.cargo/config.toml): nothing splits the floor.
if $nightly; then
  installed="$(rustup component list --toolchain nightly --installed 2>/dev/null || true)"
  grep -q '^rust-src' <<<"$installed" && grep -q '^rust-std-wasm32-unknown-unknown' <<<"$installed" ||
    { echo "--nightly-std needs the nightly's rust-src and wasm32 target (see the top of this script)" >&2; exit 1; }
  sep=$'\x1f'
  CARGO_ENCODED_RUSTFLAGS="-Zlocation-detail=none${sep}-Zfmt-debug=none${sep}-Zunstable-options${sep}-Cpanic=immediate-abort" \
    cargo +nightly build --quiet --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
    --manifest-path "$crate/Cargo.toml" --target-dir "$ROOT/target/yew-floor-nightly"
  built="$ROOT/target/yew-floor-nightly/wasm32-unknown-unknown/release/yew-floor.wasm"
else
  CARGO_ENCODED_RUSTFLAGS= cargo build --quiet --release --target wasm32-unknown-unknown \
    --manifest-path "$crate/Cargo.toml" --target-dir "$ROOT/target/yew-floor"
  built="$ROOT/target/yew-floor/wasm32-unknown-unknown/release/yew-floor.wasm"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -f "$crate/Cargo.lock"' EXIT
wasm-bindgen --target web --out-dir "$work" --out-name floor "$built"
wasm-opt -Oz --converge "${WASM_OPT_FEATURES[@]}" -o "$work/floor.wasm" "$work/floor_bg.wasm"
"$ESBUILD" --minify --log-level=warning --format=esm <"$work/floor.js" >"$work/floor.min.js"

rm -rf "$out"; cp -r "$ROOT/dist" "$out"
cd "$out"
rm -f store-portal-*.js* store-portal-*_bg.wasm* split_*.wasm* chunk_*.wasm*
glue="floor-$(sha256sum "$work/floor.min.js" | cut -c1-16).js"
wasm="floor-$(sha256sum "$work/floor.wasm" | cut -c1-16)_bg.wasm"
cp "$work/floor.min.js" "$glue"; cp "$work/floor.wasm" "$wasm"
precompress "$glue" "$wasm"
perl -0pi -e '
  s{<link rel="modulepreload" href="[^"]*" crossorigin="anonymous" integrity="[^"]*">}{<link rel="modulepreload" href="/'"$glue"'" crossorigin="anonymous" integrity="'"$(sri "$glue")"'">};
  s{<link rel="preload" href="[^"]*" crossorigin="anonymous" data-integrity="[^"]*"}{<link rel="preload" href="/'"$wasm"'" crossorigin="anonymous" data-integrity="'"$(sri "$wasm")"'"};
  s{<meta name="store-portal-chunk"[^>]*>}{}g;
' index.html
grep -qF "$glue" index.html && grep -qF "$wasm" index.html || { echo "yew-floor: index.html was not rewritten" >&2; exit 1; }
printf 'floor, brotli -q 11: glue %d B, wasm %d B\n' "$(wc -c <"$glue.br")" "$(wc -c <"$wasm.br")"
