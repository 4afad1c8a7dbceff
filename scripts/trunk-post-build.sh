#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), run in Trunk's staging directory.
#
# Every build:
# - moves the wasm preload's `integrity` to `data-integrity`: Chromium
#   ignores it on a `<link rel="preload" as="fetch">` and warns; assets/boot.js
#   checks it on the fetch that uses the preloaded bytes;
# - names the regular-expression Worker (assets/regex-worker.js) and the
#   tab's icons (assets/favicon-<state>.svg) with a hash of their content,
#   and writes their names (and the Worker's SRI hash) into their <meta>s in
#   index.html, where the app reads them;
# - writes what boot.js needs from the app (src/boot_facts.rs: storage keys,
#   route patterns and the part each preloads) into
#   <meta name="store-portal-boot"> as JSON, printed by a native build of
#   src/bin/boot-facts.rs;
# - writes the final names and SRI hashes of the glue, wasm, stylesheet,
#   Worker and chunks into store-provisioning.js, the custom elements'
#   script of a stable name (scripts/element-manifest.mjs; minified too in
#   release builds).
# Release builds also:
# - minify the Worker and, built with `--features split`, cut the module at
#   its split points (scripts/split-wasm.sh);
# - minify the glue, boot.js and the stylesheet with esbuild and put their
#   new SRI hashes in index.html (Trunk's own `minify` would also rewrite
#   index.html, dropping the empty API-base value a deployment edits);
# - write `name.br` and `name.gz` beside every hashed asset for nginx's
#   brotli_static and gzip_static. index.html, edited at deploy time, gets
#   none, so it never goes stale beside a compressed copy.
set -euo pipefail
source "${TRUNK_SOURCE_DIR:-$PWD}/scripts/env.sh"
cd "${TRUNK_STAGING_DIR:?run by trunk build}"
perl -0pi -e 's{(<link rel="preload"[^>]*?) integrity=("[^"]*")([^>]*as="fetch")}{$1 data-integrity=$2$3}g' index.html

# boot.js's facts, HTML-escaped into the attribute (single-quoted: the
#    JSON's double quotes stay as they are).
grep -qF '<meta name="store-portal-boot">' index.html ||
  { echo "no <meta name=\"store-portal-boot\"> in index.html" >&2; exit 1; }
facts="$(cargo run --quiet --manifest-path "$ROOT/Cargo.toml" -p store-portal --bin boot-facts)"
FACTS="$facts" perl -pi -e 'BEGIN { $f = $ENV{FACTS}; $f =~ s/&/&amp;/g; $f =~ s/\x27/&#39;/g; $f =~ s/</&lt;/g; $f =~ s/>/&gt;/g }
  s{<meta name="store-portal-boot">}{<meta name="store-portal-boot" content=\x27$f\x27>}' index.html

shopt -s nullglob
release=false
[ "${TRUNK_PROFILE:-}" = release ] && release=true
if $release && [ ! -x "$ESBUILD" ]; then echo "esbuild is missing: run scripts/setup.sh" >&2; exit 1; fi
worker=regex-worker.js
[ -f "$worker" ] || { echo "$worker is missing from the build" >&2; exit 1; }
if $release; then
  "$ESBUILD" --minify --log-level=warning --loader=js --format=esm <"$worker" >"$worker.min"
  mv "$worker.min" "$worker"
fi
hashed="regex-worker-$(sha256sum "$worker" | cut -c1-16).js"
mv "$worker" "$hashed"
grep -qF '<meta name="store-portal-regex-worker" content="regex-worker.js"' index.html ||
  { echo "no <meta name=\"store-portal-regex-worker\"> in index.html" >&2; exit 1; }
perl -pi -e "s{<meta name=\"store-portal-regex-worker\" content=\"regex-worker.js\"}{<meta name=\"store-portal-regex-worker\" content=\"$hashed\" data-integrity=\"$(sri "$hashed")\"}" index.html

# The tab's icons.
grep -qF '<meta name="store-portal-favicons" content=""' index.html ||
  { echo "no <meta name=\"store-portal-favicons\"> in index.html" >&2; exit 1; }
icons=""
for state in running deployed failed; do
  icon="favicon-$state.svg"
  [ -f "$icon" ] || { echo "$icon is missing from the build" >&2; exit 1; }
  named="favicon-$state-$(sha256sum "$icon" | cut -c1-16).svg"
  mv "$icon" "$named"
  icons="$icons data-$state=\"$named\""
done
perl -pi -e "s{<meta name=\"store-portal-favicons\" content=\"\"}{<meta name=\"store-portal-favicons\" content=\"\"$icons}" index.html

# The element script (assets/store-provisioning.js, a stable name) learns
# the build's files and SRI hashes once index.html's are final.
element=store-provisioning.js
[ -f "$element" ] || { echo "$element is missing from the build" >&2; exit 1; }
if ! $release; then
  node "${TRUNK_SOURCE_DIR:-$PWD}/scripts/element-manifest.mjs"
  exit 0
fi
# Release builds: the module cut at its split points, then minified and
# pre-compressed.
bash "${TRUNK_SOURCE_DIR:-$PWD}/scripts/split-wasm.sh"
for file in *.js *.css; do
  [ "$file" = "$hashed" ] || [ "$file" = "$element" ] && continue
  before="$(sri "$file")"
  grep -qF "$before" index.html || { echo "no SRI hash for $file in index.html" >&2; exit 1; }
  case "$file" in *.css) loader=(--loader=css) ;; *) loader=(--loader=js --format=esm) ;; esac
  "$ESBUILD" --minify --log-level=warning "${loader[@]}" <"$file" >"$file.min"
  mv "$file.min" "$file"
  after="$(sri "$file")"
  perl -pi -e "s{\Q$before\E}{$after}g" index.html
done
node "${TRUNK_SOURCE_DIR:-$PWD}/scripts/element-manifest.mjs"
"$ESBUILD" --minify --log-level=warning --loader=js --format=esm <"$element" >"$element.min"
mv "$element.min" "$element"
precompress *.wasm *.js *.css *.svg
