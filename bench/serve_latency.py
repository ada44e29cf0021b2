#!/usr/bin/env python3
"""`nianbao serve` as a clerk meets it: start, save→reload at two spacings, stop.

Usage: bench/serve_latency.py NIANBAO_BINARY SITE_DIR [ROUNDS] [--spacing SECONDS,SECONDS...]

Starts `serve` on a free loopback port and measures:

- first page: from starting the process to the first 200 answer for the home page;
- for each spacing (default 20 and 2 seconds), ROUNDS saves (default 7) of one figure of one
  report, each SECONDS after the previous one: the wall time from the write to the line in which
  serve says it notified the browser (the websocket reload message is sent just before that
  line). Spaced 20 s apart, serve's background pass (county downloads, search, year archives,
  overview pages) has finished before each save; 2 s apart, each save comes while the pass of the
  save before it runs, and pre-empts it. Before each series serve is left quiet until its pass
  ends, and the series starts with one save not counted, so that every counted save comes the
  spacing after another;
- stop: from SIGTERM to the process's exit, and the line serve says it with.

Prints one line per save and the medians in milliseconds:

    first page: N ms
    median save→reload (S s apart): N ms over R saves
    stop after SIGTERM: N ms (…)

The site's file is restored at the end.
"""
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--spacing")]
    spacing_arg = next((a for a in sys.argv[1:] if a.startswith("--spacing")), "--spacing=20,2")
    spacings = [float(s) for s in spacing_arg.split("=", 1)[1].split(",")]
    binary, site = args[0], args[1]
    rounds = int(args[2]) if len(args) > 2 else 7
    years = sorted(d for d in os.listdir(os.path.join(site, "content")) if d.isdigit())
    year_dir = os.path.join(site, "content", years[-1])
    slug = sorted(d for d in os.listdir(year_dir) if os.path.isdir(os.path.join(year_dir, d)))[0]
    stats = os.path.join(year_dir, slug, "stats.yaml")
    original = open(stats, encoding="utf-8").read()
    lines = original.splitlines(keepends=True)
    index = next(i for i, l in enumerate(lines) if l.startswith("  ") and l.rstrip().endswith(("~",) + tuple("0123456789")))
    key = lines[index].split(":")[0]

    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--root", site], stderr=subprocess.PIPE, text=True, encoding="utf-8", env={**os.environ, "NO_COLOR": "1"})
    lines_q: "queue.Queue[tuple[float, str]]" = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if os.environ.get("BENCH_VERBOSE"):
                print("   serve:", line.rstrip("\n"), file=sys.stderr)
            lines_q.put((time.perf_counter(), line.rstrip("\n")))

    threading.Thread(target=pump, daemon=True).start()
    value = 9000
    try:
        # `/` redirects to the site's base path.
        first = wait_for_page(f"http://127.0.0.1:{port}/", proc, 600)
        print(f"first page: {(first - started) * 1000:.0f} ms")
        # A large site's first build answers with the pages and writes the rest in the
        # background; the series start once it is done.
        background = False
        while True:
            _, line = wait_for(lines_q, "", 600)
            background |= "在后台生成" in line
            if "正在预览" in line:
                break
        if background:
            wait_for(lines_q, "后台生成完毕", 1200)
        for spacing in spacings:
            results = []
            for r in range(rounds + 1):
                value += 1
                lines[index] = f"{key}: {value}\n"
                written = time.perf_counter()
                with open(stats, "w", encoding="utf-8") as f:
                    f.write("".join(lines))
                stamp, line = wait_for(lines_q, "已通知浏览器刷新", 120)
                ms = (stamp - written) * 1000
                if r > 0:
                    results.append(ms)
                    print(f"{spacing:g} s apart, save {r}: {ms:.0f} ms  ({line.strip()})")
                time.sleep(max(0.0, written + spacing - time.perf_counter()))
            print(f"median save→reload ({spacing:g} s apart): {statistics.median(results):.0f} ms over {rounds} saves of {os.path.relpath(stats, site)}")
            # The last save's background pass ends before the next series (or the stop); a small
            # site's save may leave none.
            try:
                wait_for(lines_q, "已更新全县汇总数据文件", 300)
            except queue.Empty:
                pass
        asked = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        gone = time.perf_counter()
        said = ""
        while not lines_q.empty():
            _, line = lines_q.get()
            said = line if "停止" in line else said
        print(f"stop after SIGTERM: {(gone - asked) * 1000:.0f} ms ({said})")
    finally:
        with open(stats, "w", encoding="utf-8") as f:
            f.write(original)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=120)
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_page(url: str, proc: subprocess.Popen, timeout: float) -> float:
    """Poll `url` until it answers 200; returns when."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                if r.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"no page at {url} within {timeout} s")


def wait_for(q: "queue.Queue[tuple[float, str]]", text: str, timeout: float) -> tuple[float, str]:
    deadline = time.monotonic() + timeout
    while True:
        stamp, line = q.get(timeout=max(0.01, deadline - time.monotonic()))
        if text in line:
            return stamp, line


if __name__ == "__main__":
    sys.exit(main())
