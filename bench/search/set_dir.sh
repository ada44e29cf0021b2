#!/usr/bin/env bash
# Prints the folder of the judged set the benchmark scripts read (sources.tsv, queries.tsv,
# judgments.tsv, RESULTS.md): bench/search/ itself for the development set (SEARCH_BENCH_SET
# unset or empty), bench/search/$SEARCH_BENCH_SET/ for another set (heldout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
set=${SEARCH_BENCH_SET:-}
if [ -z "$set" ]; then
  echo "$here"
  exit 0
fi
[[ $set =~ ^[a-z0-9_-]+$ ]] || { echo "SEARCH_BENCH_SET must be a folder name under bench/search (letters, digits, - or _): $set" >&2; exit 1; }
[ -f "$here/$set/sources.tsv" ] || { echo "no sources.tsv in bench/search/$set (SEARCH_BENCH_SET=$set)" >&2; exit 1; }
echo "$here/$set"
