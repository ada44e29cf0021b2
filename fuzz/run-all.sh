#!/usr/bin/env bash
# Run every fuzz target for $1 seconds (default 600), one after the other, niced, in one process
# each (libFuzzer's default; never more than one target at a time on shared machines).
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
for t in $(cargo fuzz list); do
  echo "== $t ($secs s) =="
  RUSTC_BOOTSTRAP=1 nice -n 10 cargo fuzz run -O "$t" -- -max_total_time="$secs" -print_final_stats=1 2>&1 | tail -40 > "logs/$t.log"
  tail -20 "logs/$t.log"
done
