#!/usr/bin/env bash
# Builds the benchmark site from the real report texts: a fresh site in $WORK/site whose
# townships.yaml registers every township of sources.tsv, each text imported with
# `nianbao import --township <slug> --year <year>`, then `nianbao build` into $WORK/out.
#
#   bench/search/build_corpus.sh            (NIANBAO, SEARCH_BENCH_SET, SEARCH_BENCH_TEXTS, SEARCH_BENCH_DIR)
#
# SEARCH_BENCH_SET: see run.sh (unset: the development set's sources.tsv in bench/search/).
#
# The texts are not in the repository (other people's sentences): see README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
set_dir=$("$here/set_dir.sh")
NIANBAO=${NIANBAO:-$here/../../target/release/nianbao}
if [ -n "${SEARCH_BENCH_SET:-}" ]; then
  TEXTS=${SEARCH_BENCH_TEXTS:-/tmp/search-bench-$SEARCH_BENCH_SET/texts}
  WORK=${SEARCH_BENCH_DIR:-/tmp/search-bench-$SEARCH_BENCH_SET/bench}
else
  TEXTS=${SEARCH_BENCH_TEXTS:-/tmp/search2/texts}
  WORK=${SEARCH_BENCH_DIR:-/tmp/search2/bench}
fi
[ -x "$NIANBAO" ] || { echo "build nianbao first (cargo build --release) or set NIANBAO" >&2; exit 1; }
[ -d "$TEXTS" ] || { echo "no report texts in $TEXTS: see bench/search/README.md" >&2; exit 1; }
rm -rf "$WORK/site" "$WORK/out"
mkdir -p "$WORK/site/content"
cat > "$WORK/site/site.toml" <<'TOML'
title = "搜索基准：真实乡镇年报"
base_url = "https://example.gov.cn/bench/"

[portal]
region = ""
TOML
grep -v '^#' "$set_dir/sources.tsv" | tail -n +2 | awk -F'\t' '!seen[$2]++ {
  printf "- slug: %s\n  name: %s\n  kind: %s\n", $2, $3, $4 }' > "$WORK/site/content/townships.yaml"
imported=0
failed=0
while IFS=$'\t' read -r file slug _name _kind year _url; do
  if "$NIANBAO" import --quiet --root "$WORK/site" --township "$slug" --year "$year" "$TEXTS/$file" \
      > "$WORK/import-$file.log" 2>&1; then
    imported=$((imported + 1))
  else
    failed=$((failed + 1))
    echo "not imported: $file ($slug $year): $(tail -1 "$WORK/import-$file.log")" >&2
  fi
done < <(grep -v '^#' "$set_dir/sources.tsv" | tail -n +2)
echo "imported $imported reports ($failed not)" >&2
# The import asks for a check against the original (a line to delete): the benchmark measures
# search over the texts as stored, so the line goes without that check.
find "$WORK/site/content" -name report.md -exec sed -i '/由 nianbao import 从/d' {} +
(cd "$WORK/site" && "$NIANBAO" build --output "$WORK/out" >&2)
