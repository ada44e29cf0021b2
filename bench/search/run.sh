#!/usr/bin/env bash
# nianbao's search against Pagefind 1.6 on the same built pages of real township reports.
#
#   bench/search/run.sh            (NIANBAO, SEARCH_BENCH_SET, SEARCH_BENCH_TEXTS, SEARCH_BENCH_DIR, CHROMIUM)
#
# SEARCH_BENCH_SET names a judged set in a folder of its own (heldout → bench/search/heldout/ with
# its sources.tsv, queries.tsv and judgments.tsv; texts by default in
# /tmp/search-bench-heldout/texts, work in /tmp/search-bench-heldout/bench); unset, the
# development set in bench/search/ itself, as before.
#
# 1. build_corpus.sh: the texts of sources.tsv imported into a fresh site and built;
# 2. Pagefind 1.6.0 (npm, pinned in package.json) indexes the same report pages;
# 3. compare.mjs runs every query of queries.tsv with both in headless Chromium (fresh context
#    per query, site served from 127.0.0.1; nianbao also opened from disk) and scores the top 5
#    against judgments.tsv;
# 4. summary.py writes the tables into RESULTS.md (with the machine, the load and the commit).
# Needs Node.js 18+, Debian's chromium (apt-get install chromium) and a nianbao binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export SEARCH_BENCH_SET=${SEARCH_BENCH_SET:-}
set_dir=$("$here/set_dir.sh")
export NIANBAO=${NIANBAO:-$here/../../target/release/nianbao}
if [ -n "$SEARCH_BENCH_SET" ]; then
  export SEARCH_BENCH_DIR=${SEARCH_BENCH_DIR:-/tmp/search-bench-$SEARCH_BENCH_SET/bench}
else
  export SEARCH_BENCH_DIR=${SEARCH_BENCH_DIR:-/tmp/search2/bench}
fi
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "install Node.js 18 or newer (apt-get install nodejs)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "install Chromium (apt-get install chromium) or set CHROMIUM" >&2; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund >/dev/null)
"$here/build_corpus.sh"
out=$SEARCH_BENCH_DIR/out
"$here/node_modules/.bin/pagefind" --site "$out" --glob "20[0-9][0-9]/*/index.html" >&2
load=$(uptime | sed 's/.*load average: //')
node "$here/compare.mjs" "$out" "$CHROMIUM" > "$SEARCH_BENCH_DIR/results.json"
{
  echo "Written by \`bench/search/run.sh\` on $(date -u +%Y-%m-%d) at nianbao $(git -C "$here" rev-parse --short HEAD)" \
    "(src/ last changed in $(git -C "$here/../.." log -1 --format=%h -- src Cargo.toml Cargo.lock))," \
    "set ${SEARCH_BENCH_SET:-development (bench/search)};"
  echo "$(nproc) cores, load average at the start $load."
  echo
  python3 "$here/summary.py" ${SEARCH_BENCH_SET:+--top5} "$out" "this run=$SEARCH_BENCH_DIR/results.json"
} > "$SEARCH_BENCH_DIR/summary.md"
echo "tables in $SEARCH_BENCH_DIR/summary.md (copy them into $set_dir/RESULTS.md)" >&2
