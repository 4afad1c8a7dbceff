#!/usr/bin/env bash
# Serves a release build from a private nginx configured by deploy/nginx/:
# the portal's strict CSP, SPA fallback, immutable caching, brotli/gzip
# static. One process in the foreground; Ctrl-C stops it.
#
#   scripts/nginx.sh [--dist dist] [--base-path /admin/provisioning/]
#                    [--listen 127.0.0.1:8088] [--api http://127.0.0.1:8787]
#                    [--connect-src "'self' https://api.example"] [--dev]
#                    [--prefix DIR] [--web-root DIR] [--render-only]
#                    [--host-page DIR]
#
# --base-path must equal the build's --public-url. --api proxies /provision/
# to the service on the page's own origin; leave it out when the API has an
# origin of its own (then name that origin in --connect-src, and in the
# build's <meta name="store-portal-api-base">). --dev also proxies /dev/ (the
# dev service's sign-in page). --render-only writes the configuration into
# the prefix and prints its path instead of starting nginx; --host-page
# serves DIR at /portal/ under the same headers, a host page of the custom
# elements (docs/embedding.md) for trying them; with
# --web-root (a directory that holds the build at the base path) nothing is
# linked, for a production nginx that includes <prefix>/store-portal.conf.
set -euo pipefail
source "$(dirname "$0")/env.sh"

dist="$ROOT/dist" base_path="/" listen="127.0.0.1:8088" api="" connect_src="'self'"
dev=false render_only=false prefix="" web_root="" host_page=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --base-path) base_path="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    --api) api="$2"; shift 2 ;;
    --connect-src) connect_src="$2"; shift 2 ;;
    --dev) dev=true; shift ;;
    --prefix) prefix="$2"; shift 2 ;;
    --render-only) render_only=true; shift ;;
    --web-root) web_root="$2"; shift 2 ;;
    --host-page) host_page="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "nginx.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$base_path" in
  /) ;;
  /*/) [[ "$base_path" =~ ^(/[A-Za-z0-9._~-]+)+/$ ]] || { echo "nginx.sh: --base-path must be plain path segments, like /admin/provisioning/" >&2; exit 2; } ;;
  *) echo "nginx.sh: --base-path starts and ends with /, like /admin/provisioning/" >&2; exit 2 ;;
esac
prefix="${prefix:-$ROOT/target/nginx/${listen//[:.]/-}}"
mkdir -p "$prefix/tmp"
prefix="$(cd "$prefix" && pwd)"

if [ -z "$web_root" ]; then
  # A web root in the prefix that holds the build at the mount path.
  [ -f "$dist/index.html" ] || { echo "nginx.sh: $dist has no index.html: build first (trunk build --release --features split)" >&2; exit 2; }
  dist="$(cd "$dist" && pwd)"
  web_root="$prefix/www"
  rm -rf "$web_root"
  mount_dir="$web_root${base_path%/}"
  mkdir -p "$(dirname "$mount_dir")"
  ln -s "$dist" "$mount_dir"
fi

# Placeholders are replaced literally (values are paths, addresses and CSP
# sources); a line marked for a case that does not apply is dropped.
render() {
  local drop_subpath="" drop_api=""
  [ "$base_path" = / ] && drop_subpath='/# @sub-path-only$/d'
  [ -z "$api" ] && drop_api='/# @same-origin-api$/d'
  sed -e "$drop_subpath" -e "$drop_api" \
      -e "s|@LISTEN@|$listen|g" -e "s|@WEB_ROOT@|$web_root|g" -e "s|@CONF_DIR@|$prefix|g" \
      -e "s|@BASE_PATH_NO_SLASH@|${base_path%/}|g" -e "s|@BASE_PATH@|$base_path|g" \
      -e "s|@API_UPSTREAM@|$api|g" -e "s|@CONNECT_SRC@|$connect_src|g" \
      -e "s|@PREFIX@|$prefix|g" \
      -e "s|@BROTLI_MODULE@|$NGINX_BROTLI_MODULE|g" "$1"
}
render "$ROOT/deploy/nginx/store-portal.conf" >"$prefix/store-portal.conf"
if $dev && [ -n "$api" ]; then
  # The dev service's sign-in page, for trying the build by hand.
  sed -i "s|^}$|    location /dev/ { proxy_pass $api; }\n}|" "$prefix/store-portal.conf"
fi
if [ -n "$host_page" ]; then
  # A host page of the elements at /portal/ (any path under it answered by
  # its index.html, as a portal's router would be), same origin and headers.
  ln -sfn "$(cd "$host_page" && pwd)" "$web_root/portal"
  sed -i "s|^}$|    location /portal/ { include $prefix/store-portal-headers.conf; add_header Cache-Control \"no-cache\" always; try_files \$uri /portal/index.html; }\n}|" "$prefix/store-portal.conf"
fi
render "$ROOT/deploy/nginx/store-portal-headers.conf" >"$prefix/store-portal-headers.conf"
render "$ROOT/deploy/nginx/standalone.conf" >"$prefix/nginx.conf"

if $render_only; then
  echo "$prefix/nginx.conf"
  exit 0
fi
echo "nginx: serving $web_root$base_path at http://$listen$base_path (config in $prefix)"
exec "$NGINX_BIN" -c "$prefix/nginx.conf" -p "$prefix/" -e "$prefix/error.log"
