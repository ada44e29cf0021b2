#!/usr/bin/env python3
"""Summarises compare.mjs results (one JSON per run) as the tables of RESULTS.md.

    summary.py [--top5] SITE_DIR LABEL=results.json [LABEL=results.json ...]

Scores against the judgments of the set SEARCH_BENCH_SET names (bench/search/<set>/), or of the
development set in bench/search/ when it is unset (see run.sh). With --top5, each run's table is
followed by every query's top 5 of both tools, each hit marked relevant (✓) or not (·).
"""
import json
import os
import re
import statistics
import sys


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def search_only(files, tool):
    """Bytes of the search's own files: nianbao's search/ and search.js, Pagefind's pagefind/."""
    keep = ("/search/", "/static/search.js") if tool == "nianbao" else ("/pagefind/",)
    return sum(size for path, size in files if any(k in path for k in keep) and not path.endswith(".html"))


def set_dir():
    """The folder of the judged set: bench/search/ itself, or bench/search/$SEARCH_BENCH_SET/."""
    here = os.path.dirname(os.path.abspath(__file__))
    name = os.environ.get("SEARCH_BENCH_SET", "")
    if name and not re.fullmatch(r"[a-z0-9_-]+", name):
        sys.exit(f"SEARCH_BENCH_SET must be a folder name under bench/search: {name}")
    return os.path.join(here, name) if name else here


def judgments():
    """The relevant reports of each query, from the set's judgments.tsv."""
    judged = {}
    for line in open(os.path.join(set_dir(), "judgments.tsv"), encoding="utf8"):
        if line.startswith("#") or line.startswith("query\t") or not line.strip():
            continue
        q, _, rel = line.rstrip("\n").partition("\t")
        judged[q] = set(rel.split())
    return judged


def rescore(rows):
    """Scores the stored top 5 against judgments.tsv as it is now."""
    judged = judgments()
    for r in rows:
        rel = judged.get(r["q"], set())
        r["relevant"], r["reachable"] = len(rel), min(5, len(rel))
        for tool in ("nianbao", "pagefind"):
            r[tool]["good"] = sum(1 for k in r[tool]["top"] if k in rel)


def tool_stats(rows, tool):
    answerable = [r for r in rows if r["relevant"]]
    hit = sum(1 for r in answerable if r[tool]["good"] > 0)
    good = sum(r[tool]["good"] for r in answerable)
    reachable = sum(r["reachable"] for r in answerable)
    total = [sum(s for _, s in r[tool]["files"]) for r in rows]
    own = [search_only(r[tool]["files"], tool) for r in rows]
    ms = [r[tool]["ms"] for r in rows]
    return {
        "answered": f"{hit} / {len(answerable)}",
        "share": f"{good / reachable:.2f} ({good} / {reachable})",
        "bytes": f"median {statistics.median(total) / 1024:.0f} KB, max {max(total) / 1024:.0f} KB",
        "own": f"median {statistics.median(own) / 1024:.0f} KB, max {max(own) / 1024:.0f} KB",
        "ms": f"median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms",
    }


def top5_table(rows):
    """Every query's top 5 of both tools, each hit marked by the judgment."""
    judged = judgments()
    out = ["| query | nianbao top 5 | Pagefind top 5 |", "|---|---|---|"]
    for r in rows:
        rel = judged.get(r["q"], set())
        cells = []
        for tool in ("nianbao", "pagefind"):
            hits = [("✓ " if k in rel else "· ") + k for k in r[tool]["top"]]
            cells.append("<br>".join(hits) if hits else "(none)")
        out.append(f"| {r['q']} | {cells[0]} | {cells[1]} |")
    return out


def main():
    args = sys.argv[1:]
    top5 = "--top5" in args
    args = [a for a in args if a != "--top5"]
    site = args[0]
    runs = [arg.split("=", 1) for arg in args[1:]]
    out = []
    for label, path in runs:
        data = json.load(open(path))
        rows = data["rows"]
        rescore(rows)
        nb, pf = tool_stats(rows, "nianbao"), tool_stats(rows, "pagefind")
        out.append(f"### {label}\n")
        out.append("| measure | nianbao | Pagefind 1.6.0 |\n|---|---|---|")
        out.append(f"| queries with a relevant report in the top 5 (of the answerable) | {nb['answered']} | {pf['answered']} |")
        out.append(f"| relevant share of the reachable top-5 slots | {nb['share']} | {pf['share']} |")
        out.append(f"| bytes per query, page included (every response) | {nb['bytes']} | {pf['bytes']} |")
        out.append(f"| bytes per query, the search's own files | {nb['own']} | {pf['own']} |")
        out.append(f"| time to the first 5 results (Chromium, 127.0.0.1) | {nb['ms']} | {pf['ms']} |")
        disk = data.get("disk", {})
        nbd = disk.get("nianbao", {})
        pfd = disk.get("pagefind", {})
        out.append(f"| opened from disk (file://) | {'results: ' + nbd.get('status', '') if 'top' in nbd else nbd.get('error', '?')} | {pfd.get('error', pfd)} |")
        out.append("")
        out.append("| query | relevant | nianbao top 5 | Pagefind top 5 |\n|---|---|---|---|")
        for r in rows:
            out.append(f"| {r['q']} | {r['relevant']} | {r['nianbao']['good']} / {r['reachable']} | {r['pagefind']['good']} / {r['reachable']} |")
        out.append("")
        if top5:
            out.extend(top5_table(rows))
            out.append("")
    out.append(f"Index size: nianbao `search/` {dir_bytes(os.path.join(site, 'search')) / 1024:.0f} KB, "
               f"Pagefind `pagefind/` {dir_bytes(os.path.join(site, 'pagefind')) / 1024:.0f} KB.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
