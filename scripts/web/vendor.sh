#!/usr/bin/env bash
# Re-vendor the web front-end libraries from the npm registry into src/communique/web/static/vendor/.
#
# The installed package never fetches anything at run time: the minified files below are
# committed with their licences (listed in NOTICE). Run this at development time to move to
# other versions, e.g.  VEGA=6.4.0 LEAFLET=1.9.4 scripts/web/vendor.sh
# Needs node and npm. vega-interpreter (CSP-safe Vega expressions, no eval) ships only as an
# ES module, so it is bundled into one IIFE file with esbuild.
set -euo pipefail

VEGA=${VEGA:-6.4.0}
VEGA_LITE=${VEGA_LITE:-6.5.0}
VEGA_EMBED=${VEGA_EMBED:-7.3.0}
VEGA_INTERPRETER=${VEGA_INTERPRETER:-2.3.2}
LEAFLET=${LEAFLET:-1.9.4}
WORLD_ATLAS=${WORLD_ATLAS:-2.0.2}
TOPOJSON_CLIENT=${TOPOJSON_CLIENT:-3.1.0}
SWAGGER_UI=${SWAGGER_UI:-5.35.0}
ESBUILD=${ESBUILD:-0.28.2}

here="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$here/src/communique/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" "vega-interpreter@$VEGA_INTERPRETER" \
  "leaflet@$LEAFLET" "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" \
  "swagger-ui-dist@$SWAGGER_UI" "esbuild@$ESBUILD"
nm="$work/node_modules"

rm -rf "$dest"
mkdir -p "$dest"
put() {  # put PACKAGE FILE... : copy files of a package (and its LICENSE) to vendor/PACKAGE/
  local pkg=$1; shift
  mkdir -p "$dest/$pkg"
  for f in "$@"; do cp -r "$nm/$pkg/$f" "$dest/$pkg/"; done
  cp "$nm/$pkg/LICENSE" "$dest/$pkg/LICENSE"
}
put vega build/vega.min.js
put vega-lite build/vega-lite.min.js
put vega-embed build/vega-embed.min.js
put leaflet dist/leaflet.js dist/leaflet.css dist/images
put world-atlas countries-110m.json
put topojson-client dist/topojson-client.min.js
put swagger-ui-dist swagger-ui-bundle.js swagger-ui.css swagger-ui-bundle.js.LICENSE.txt NOTICE
# the bundle's source map comment points at a file we do not ship
sed -i '/^\/\/# sourceMappingURL=/d' "$dest/swagger-ui-dist/swagger-ui-bundle.js" "$dest/vega-embed/vega-embed.min.js"

mkdir -p "$dest/vega-interpreter"
echo "import {expressionInterpreter} from 'vega-interpreter'; globalThis.vegaInterpreter = {expressionInterpreter};" \
  > interp.js
"$nm/.bin/esbuild" interp.js --bundle --minify --format=iife --log-level=warning \
  --outfile="$dest/vega-interpreter/vega-interpreter.min.js"
cp "$nm/vega-interpreter/LICENSE" "$dest/vega-interpreter/LICENSE"

{
  echo "# Vendored from the npm registry by scripts/web/vendor.sh; licences in each folder and in NOTICE."
  for pkg in vega vega-lite vega-embed vega-interpreter leaflet world-atlas topojson-client swagger-ui-dist; do
    node -e "const p=require('$nm/$pkg/package.json'); console.log([p.name, p.version, p.license].join('\t'))"
  done
} > "$dest/VERSIONS.tsv"
cat "$dest/VERSIONS.tsv"
