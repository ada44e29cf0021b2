#!/usr/bin/env bash
# Refresh this Hugo site's data/nianbao/ from a nianbao site: the model (nianbao export) and
# the stats.json of every report of a built nianbao site.
# Usage: examples/hugo/update-data.sh <nianbao site root> <its built output, e.g. public/>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
site="$1"
built="$2"
mkdir -p "$here/data/nianbao"
nianbao export --root "$site" --format json --output "$here/data/nianbao/model.json"
find "$built" -mindepth 3 -maxdepth 3 -name stats.json | while read -r f; do
  rel="${f#"$built"/}"           # 2018/beijinggang/stats.json
  year="${rel%%/*}"
  slug="$(basename "$(dirname "$rel")")"
  mkdir -p "$here/data/nianbao/stats/$year"
  cp "$f" "$here/data/nianbao/stats/$year/$slug.json"
done
