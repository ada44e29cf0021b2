#!/usr/bin/env bash
# The benchmark: nianbao against Hugo on the same synthetic corpora, on this machine.
#
#   bench/run.sh [SIZES...]        default: 1000 10000 20000 reports
#
# For each size it generates a corpus (gen_corpus, 10 years), then measures with /usr/bin/time:
# nianbao full build (wall, CPU, peak RSS) twice per run, into an empty output folder: with no
# archives kept beside the site (every year archive made) and with the ones that build kept; `check`, a no-change rebuild (and how many files it
# rewrote), serve's save→reload time with saves 20 s apart and 2 s apart (bench/serve_latency.py:
# medians of 7; 2 s apart, each save comes during the background pass of the one before), and a Hugo build of the equivalent
# site (bench/hugo_site.py), and what a reader downloads: the largest HTML page, the home page and
# the bytes one common-word search loads (search.js run in node by tests/js/search_harness.js).
# Runs alternate between the tools and take the sizes in turn; medians of 5 builds (BENCH_RUNS)
# are reported, and every run is listed.
# Everything is written to /dev/shm (tmpfs: on a virtual disk under memory pressure, reads wait). The table goes to
# bench/RESULTS.md with the machine line. Not part of CI: it takes minutes and needs Hugo
# (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-1000 10000 20000}")
# shellcheck disable=SC2206
SIZES=(${SIZES[*]})
WORK=${BENCH_DIR:-/dev/shm/nianbao-bench}
RUNS=${BENCH_RUNS:-5}
mkdir -p "$WORK"

if ! command -v hugo >/dev/null; then
  echo "installing hugo (Debian package)…" >&2
  apt-get update -qq && apt-get install -y -qq hugo >/dev/null
fi
command -v node >/dev/null || { echo "bench/run.sh measures search downloads with node: install Node.js (apt-get install nodejs)" >&2; exit 1; }
cargo build --release --quiet --bin nianbao --example gen_corpus
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
NIANBAO=$TARGET/release/nianbao
GEN=$TARGET/release/examples/gen_corpus
# The common word whose search download is recorded: in every synthetic report.
SEARCH_WORD=${BENCH_SEARCH_WORD:-信息公开}

# page_sizes OUT → "largest_bytes largest_path home_bytes"
page_sizes() {
  local largest
  largest=$(find "$1" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
  echo "$largest $(stat -c %s "$1/index.html")"
}

# search_bytes OUT → bytes that one search for SEARCH_WORD downloads (index, shards, texts)
search_bytes() {
  printf '{"searches":[{"q":"%s","want":10}]}' "$SEARCH_WORD" \
    | node tests/js/search_harness.js themes/default/static/search.js "$1" \
    | python3 -c 'import json,sys; a=json.load(sys.stdin); print(sum(f[1] for f in a["searches"][0]["loaded"]))'
}
kb() { awk -v b="$1" 'BEGIN {printf "%.0f KB", b/1000}'; }

# time_cmd CMD… → prints "wall_s cpu_percent rss_mib cpu_s" (cpu_s: user + system seconds)
time_cmd() {
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %P %M %U %S" -o "$log" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; cat "$log" >&2; return 1; }
  awk '{gsub("%","",$2); printf "%s %s %.0f %.2f\n", $1, $2, $3/1024, $4+$5}' "$log"
  rm -f "$log"
}

# settle: before every timed build, the same memory state for both tools. Written data is synced
# and, when this runs as root, the kernel's clean page cache is dropped: gigabytes of earlier
# outputs and build artefacts otherwise stay cached and the next run pays for reclaiming them.
settle() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 1 > /proc/sys/vm/drop_caches; fi
}
SETTLED=$([ -w /proc/sys/vm/drop_caches ] && echo "page cache dropped before each build" || echo "page cache not dropped (not root)")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# med "1.2 3.4 …" → the median of a space-separated list (the runs of one size)
# shellcheck disable=SC2086
med() { printf '%s\n' $1 | median; }
# pair_list "r1 r2 …" → "r1, r2, … (median m)": one ratio per run, each of two builds made minutes apart
# shellcheck disable=SC2086
pair_list() { echo "$(printf '%s\n' $1 | paste -sd, | sed 's/,/, /g') (median $(med "$1"))"; }
# pair_ratios "a1 a2 …" "b1 b2 …" → "a1/b1, a2/b2, … (median m)": the runs of two sizes paired in
# the order run, so that a drift of the machine between runs does not enter a ratio
# shellcheck disable=SC2086
pair_ratios() {
  paste -d' ' <(printf '%s\n' $1) <(printf '%s\n' $2) | awk '{printf "%.2f\n", $1/$2}' > "$WORK/.ratios"
  echo "$(paste -sd, "$WORK/.ratios" | sed 's/,/, /g') (median $(median < "$WORK/.ratios"))"
}

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr), hugo $(hugo version | awk '{print $2}'), nianbao $(git rev-parse --short HEAD)"
rows=()
made_rows=()
volume_rows=()
runs_log=()
declare -A walls made_walls cpus nb_wall nb_cpu nb_rss nb_secs hu_wall hu_rss made_wall made_rss made_ratios kept_ratios made_cpu_ratios kept_cpu_ratios
for n in "${SIZES[@]}"; do
  towns=$((n / 10))
  corpus=$WORK/corpus-$n
  [ -d "$corpus/content" ] || "$GEN" --townships "$towns" --years 10 --out "$corpus" --force >/dev/null 2>&1
  hugo_src=$WORK/hugo-src-$n
  [ -d "$hugo_src" ] || python3 bench/hugo_site.py "$corpus" "$hugo_src" >/dev/null
done

# The runs interleave the sizes (run 1 of every size, then run 2…): this machine's speed drifts
# over minutes, and a drift between the sizes' runs would show as growth.
for r in $(seq "$RUNS"); do
  for n in "${SIZES[@]}"; do
    corpus=$WORK/corpus-$n
    hugo_src=$WORK/hugo-src-$n
    # Each tool builds with neither tool's output on the tmpfs.
    rm -rf "$WORK/out-$n" "$WORK/.out-$n.staging" "$WORK/hugo-out-$n"
    # The machine may be shared: its load beside every run (1-minute average before the run).
    load=$(cut -d' ' -f1 /proc/loadavg)
    settle
    read -r w c m secs < <(time_cmd hugo --quiet -s "$hugo_src" -d "$WORK/hugo-out-$n")
    hu_wall[$n]+="$w "; hu_rss[$n]+="$m "; hugo_w=$w; hugo_s=$secs
    rm -rf "$WORK/hugo-out-$n"
    # Without the archives kept beside the site: every year archive is made (and kept).
    rm -rf "$corpus/.nianbao-cache"
    settle
    read -r w c m secs < <(time_cmd "$NIANBAO" build --quiet --root "$corpus" --output "$WORK/out-$n")
    made_wall[$n]+="$w "; made_rss[$n]+="$m "; made="$w s | $secs s | $c% | $m MiB"; made_s=$secs
    rm -rf "$WORK/out-$n" "$WORK/.out-$n.staging"
    # Into an empty output again, with the archives that build kept.
    settle
    read -r w c m secs < <(time_cmd "$NIANBAO" build --quiet --root "$corpus" --output "$WORK/out-$n")
    nb_wall[$n]+="$w "; nb_cpu[$n]+="$c "; nb_rss[$n]+="$m "; nb_secs[$n]+="$secs "
    rm -rf "$WORK/out-$n" "$WORK/.out-$n.staging"
    made_to_hugo=$(awk -v a="${made%% *}" -v b="$hugo_w" 'BEGIN {printf "%.2f", a/b}')
    kept_to_hugo=$(awk -v a="$w" -v b="$hugo_w" 'BEGIN {printf "%.2f", a/b}')
    made_ratios[$n]+="$made_to_hugo "; kept_ratios[$n]+="$kept_to_hugo "
    # CPU time (user + system) is what a loaded machine distorts least: wall time also counts
    # the time a build waited for a core that other work held.
    made_cpu_to_hugo=$(awk -v a="$made_s" -v b="$hugo_s" 'BEGIN {printf "%.2f", a/b}')
    kept_cpu_to_hugo=$(awk -v a="$secs" -v b="$hugo_s" 'BEGIN {printf "%.2f", a/b}')
    made_cpu_ratios[$n]+="$made_cpu_to_hugo "; kept_cpu_ratios[$n]+="$kept_cpu_to_hugo "
    runs_log+=("| $n | $r | $load | $hugo_w s | $hugo_s s | $w s | $secs s | $c% | $m MiB | $kept_to_hugo | $kept_cpu_to_hugo | $made | $made_to_hugo | $made_cpu_to_hugo |")
    echo "${runs_log[-1]}" >&2
  done
done

for n in "${SIZES[@]}"; do
  corpus=$WORK/corpus-$n
  nbw=$(med "${nb_wall[$n]}"); nbc=$(med "${nb_cpu[$n]}"); nbm=$(med "${nb_rss[$n]}")
  nbs=$(med "${nb_secs[$n]}"); huw=$(med "${hu_wall[$n]}"); hum=$(med "${hu_rss[$n]}")
  madew=$(med "${made_wall[$n]}"); madem=$(med "${made_rss[$n]}")
  settle
  read -r cw _ < <(time_cmd "$NIANBAO" check --quiet --root "$corpus")
  # An output to rebuild without a change, and to measure pages and search on.
  "$NIANBAO" build --quiet --root "$corpus" --output "$WORK/out-$n" >/dev/null 2>&1
  settle
  nochange=$( { /usr/bin/time -f "%e" "$NIANBAO" build --root "$corpus" --output "$WORK/out-$n" 2>&1 >/dev/null; } | grep -E "个有变化|已是最新|^[0-9.]+$" | tr '\n' ' ')
  ncw=$(echo "$nochange" | awk '{print $NF}')
  if echo "$nochange" | grep -q "已是最新"; then
    ncfiles=0
  else
    ncfiles=$(echo "$nochange" | grep -o '（[0-9]* 个有变化）' | grep -o '[0-9]*' || echo "?")
  fi
  read -r big_bytes big_path home_bytes < <(page_sizes "$WORK/out-$n")
  read -r out_files out_bytes < <(find "$WORK/out-$n" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n, s}')
  archive_bytes=$(find "$WORK/out-$n/archive" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  volume_rows+=("| $n | $out_files | $(awk -v b="$out_bytes" 'BEGIN {printf "%.2f GB", b/1e9}') | $(awk -v b="$archive_bytes" 'BEGIN {printf "%.0f MB", b/1e6}') |")
  sbytes=$(search_bytes "$WORK/out-$n")
  # A serve that misses one of serve_latency.py's deadlines (a loaded machine) costs these figures,
  # not the whole table.
  serve_out=$( { python3 bench/serve_latency.py "$NIANBAO" "$corpus" 7 2>/dev/null || true; } )
  latency=$(echo "$serve_out" | sed -n 's/^median save→reload (20 s apart): \([0-9]*\) ms.*/\1/p')
  latency_close=$(echo "$serve_out" | sed -n 's/^median save→reload (2 s apart): \([0-9]*\) ms.*/\1/p')
  latency=${latency:-failed}
  latency_close=${latency_close:-failed}
  ratio=$(awk -v a="$nbw" -v b="$huw" 'BEGIN {printf "%.2f", a/b}')
  made_ratio=$(awk -v a="$madew" -v b="$huw" 'BEGIN {printf "%.2f", a/b}')
  # Free the tmpfs before the next size: outputs are gigabytes, and memory pressure distorts timings.
  rm -rf "$WORK/out-$n" "$WORK/.out-$n.staging" "$WORK/hugo-out-$n"
  walls[$n]=$nbw; made_walls[$n]=$madew; cpus[$n]=$nbs
  made_rows+=("| $n | $madew s | $madem MiB | $huw s | **$made_ratio** | $(pair_list "${made_ratios[$n]}") | $(pair_list "${made_cpu_ratios[$n]}") | $(pair_list "${kept_ratios[$n]}") | $(pair_list "${kept_cpu_ratios[$n]}") |")
  rows+=("| $n | $nbw s | $nbs s | $nbc% | $nbm MiB | $huw s | $hum MiB | **$ratio** | $madew s | **$made_ratio** | $cw s | $ncw s ($ncfiles rewritten) | $latency ms / $latency_close ms | $(kb "$big_bytes") (\`$big_path\`) | $(kb "$home_bytes") | $(kb "$sbytes") |")
  echo "${rows[-1]}" >&2
done

{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d). Machine: $machine."
  echo "Corpora from \`gen_corpus --townships N/10 --years 10\` (all three table formats, ~8 KB narratives,"
  echo "attachments in every fifth report); output on tmpfs; build times are medians of $RUNS alternated runs;"
  echo "$SETTLED. Every build, Hugo's and nianbao's, starts from an empty output folder. nianbao's is"
  echo "measured twice per run: first with no archives kept beside the site (\`.nianbao-cache/\` removed: it"
  echo "makes and keeps every year archive: the *no-cache* build, a site's first), then with the archives that"
  echo "build kept, as every build after a site's first one finds them (the *kept* build). The first table"
  echo "gives both; the columns before \"no-cache\" are the kept build's."
  echo
  echo "| reports | nianbao build (kept) | CPU time | CPU | peak RSS | Hugo build | Hugo RSS | nianbao/Hugo (kept) | no-cache build | no-cache/Hugo | check | no-change rebuild | serve save→reload: saves 20 s / 2 s apart | largest page | home page | search \"$SEARCH_WORD\" |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Every year archive made (no archives kept beside the site), with the ratio of each run's build to"
  echo "the Hugo build made just before it, in wall time and in CPU time (user + system: what a machine"
  echo "loaded by other work distorts least), and the same ratios of the kept build:"
  echo
  echo "| reports | nianbao build | peak RSS | Hugo build | nianbao/Hugo | no-cache/Hugo run by run | in CPU time | kept/Hugo run by run | in CPU time |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${made_rows[@]}"
  echo
  echo "What a build publishes (measured on the last build):"
  echo
  echo "| reports | files | bytes | of which year archives |"
  echo "|---|---|---|---|"
  printf '%s\n' "${volume_rows[@]}"
  echo
  if [ -n "${walls[10000]:-}" ] && [ -n "${walls[20000]:-}" ]; then
    echo "Growth: the 20000-report build takes $(awk -v a="${walls[20000]}" -v b="${walls[10000]}" 'BEGIN {printf "%.2f", a/b}')× the 10000-report build (target ≤ 2.05); with every archive made, $(awk -v a="${made_walls[20000]}" -v b="${made_walls[10000]}" 'BEGIN {printf "%.2f", a/b}')×. In CPU time (user + system, medians) the 20000-report build takes $(awk -v a="${cpus[20000]}" -v b="${cpus[10000]}" 'BEGIN {printf "%.2f", a/b}')× the 10000-report one."
    echo
    echo "Growth run by run (each run's 20000-report build against the 10000-report build made just before it, minutes apart): wall $(pair_ratios "${nb_wall[20000]}" "${nb_wall[10000]}"), CPU time $(pair_ratios "${nb_secs[20000]}" "${nb_secs[10000]}")."
    echo
  fi
  echo "Pages and search are measured on the last build: the largest HTML page (target ≤ 300 KB), the"
  echo "home page (≤ 100 KB), and every file one search for a common word downloads (≤ 100 KB)."
  echo
  echo "Every timed build, in the order run (the medians above are taken from these; this machine's"
  echo "timings move by 10-30% from run to run, Hugo's most at 20,000 reports; the runs take the sizes in"
  echo "turn, so that a drift of the machine's speed falls on every size alike; \"load\" is the machine's"
  echo "1-minute load average just before the run, other work on it included):"
  echo
  echo "| reports | run | load | Hugo | Hugo CPU time | nianbao (kept) | nianbao CPU time | nianbao CPU | nianbao RSS | kept/Hugo | in CPU time | no-cache: nianbao | CPU time | CPU | RSS | no-cache/Hugo | in CPU time |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${runs_log[@]}"
  echo
  echo "nianbao builds more than Hugo here: besides the pages it writes three data files per report"
  echo "(CSV, JSON, XLSX), two per township, the county-wide all.csv/all.json, a search index and"
  echo "one offline ZIP archive per year (the year's pages, data and attachments, deflated)."
} > bench/RESULTS.md
cat bench/RESULTS.md
