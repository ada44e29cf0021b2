#!/usr/bin/env bash
# Run every fuzz target for $1 seconds (default 600), one after the other, niced, in one process
# each (libFuzzer's default; never more than one target at a time on shared machines).
# Full output in logs/<target>.log; the summary (coverage, executions) is printed.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
mkdir -p logs
for t in $(cargo fuzz list); do
  echo "== $t ($secs s) =="
  RUSTC_BOOTSTRAP=1 nice -n 10 cargo fuzz run -O "$t" -- -max_total_time="$secs" -print_final_stats=1 \
    > "logs/$t.log" 2>&1
  grep -aE '^#[0-9]+ +(INITED|DONE)|^Done|^stat::|ERROR|panicked' "logs/$t.log"
done
