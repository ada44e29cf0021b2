#!/usr/bin/env python3
"""Time from saving one report's stats.yaml to `nianbao serve` announcing the browser reload.

Usage: bench/serve_latency.py NIANBAO_BINARY SITE_DIR [ROUNDS]

Starts `serve --port 0` on the site, waits for the first build, then edits one figure of one
report ROUNDS times. Each round measures the wall time from the write to the line in which serve
says it notified the browser (the websocket reload message is sent just before that line).
Prints one line per round and the median in milliseconds. The site's file is restored at the end.
"""
import os
import queue
import statistics
import subprocess
import sys
import threading
import time


def main() -> int:
    binary, site = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    years = sorted(d for d in os.listdir(os.path.join(site, "content")) if d.isdigit())
    year_dir = os.path.join(site, "content", years[-1])
    slug = sorted(os.listdir(year_dir))[0]
    stats = os.path.join(year_dir, slug, "stats.yaml")
    original = open(stats, encoding="utf-8").read()
    lines = original.splitlines(keepends=True)
    index = next(i for i, l in enumerate(lines) if l.startswith("  ") and l.rstrip().endswith(("~",) + tuple("0123456789")))
    key = lines[index].split(":")[0]

    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", site], stderr=subprocess.PIPE, text=True, encoding="utf-8", env={**os.environ, "NO_COLOR": "1"})
    lines_q: "queue.Queue[tuple[float, str]]" = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if os.environ.get("BENCH_VERBOSE"):
                print("   serve:", line.rstrip("\n"), file=sys.stderr)
            lines_q.put((time.perf_counter(), line.rstrip("\n")))

    threading.Thread(target=pump, daemon=True).start()
    try:
        # A large site's first build answers with the pages and writes the rest in the
        # background; a save during that waits for it, which is not what this measures.
        background = False
        while True:
            _, line = wait_for(lines_q, "", 600)
            background |= "在后台生成" in line
            if "正在预览" in line:
                break
        if background:
            wait_for(lines_q, "后台生成完毕", 1200)
        time.sleep(0.5)
        results = []
        for r in range(rounds):
            lines[index] = f"{key}: {9000 + r}\n"
            started = time.perf_counter()
            with open(stats, "w", encoding="utf-8") as f:
                f.write("".join(lines))
            stamp, line = wait_for(lines_q, "已通知浏览器刷新", 60)
            ms = (stamp - started) * 1000
            results.append(ms)
            print(f"round {r + 1}: {ms:.0f} ms  ({line.strip()})")
            # The county-wide data files are brought up to date once the sources are quiet.
            wait_for(lines_q, "已更新全县汇总数据文件", 120)
        print(f"median save→reload: {statistics.median(results):.0f} ms over {rounds} edits of {os.path.relpath(stats, site)}")
    finally:
        with open(stats, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        # serve removes its preview before exiting: about 13 s for 20,000 reports on ext4.
        proc.wait(timeout=120)
    return 0


def wait_for(q: "queue.Queue[tuple[float, str]]", text: str, timeout: float) -> tuple[float, str]:
    deadline = time.monotonic() + timeout
    while True:
        stamp, line = q.get(timeout=max(0.01, deadline - time.monotonic()))
        if text in line:
            return stamp, line


def wait_for_quiet(q: "queue.Queue[tuple[float, str]]", seconds: float) -> None:
    """Let deferred work (the county-wide data files) finish before the next edit."""
    while True:
        try:
            q.get(timeout=seconds)
        except queue.Empty:
            return


if __name__ == "__main__":
    sys.exit(main())
