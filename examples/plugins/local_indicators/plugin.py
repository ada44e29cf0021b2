#!/usr/bin/env python3
"""nianbao plugin: a 本地特色指标 page from a CSV file (Python 3 standard library only).

Usage in site.toml (paths relative to the site root):

    [[plugins]]
    name = "本地特色指标"
    command = ["python3", "plugins/local_indicators/plugin.py", "plugins/local_indicators/indicators.csv"]

Reads nianbao's JSON document (protocol version 1) on stdin, prints {"pages": [...]} on stdout.
The CSV has the columns township,year,indicator,unit,value; a blank value stays blank.
"""
import csv
import json
import sys

PAGE = "local/"


def cell(text):
    """A table cell: Markdown table syntax in the text is escaped."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def main():
    doc = json.load(sys.stdin)
    if doc.get("version") != 1:
        print("本插件只认识协议版本 1", file=sys.stderr)
        return 1
    site = doc["site"]
    names = {t["slug"]: t["name"] for t in site["townships"]}
    reports = {(r["year"], r["township"]) for r in site["reports"]}
    path = sys.argv[1] if len(sys.argv) > 1 else "indicators.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (-int(r["year"]), r["township"], r["indicator"]))
    lines = [
        f"本页列出{site.get('region', '')}各乡镇自行统计的特色指标，不属于官方统计表；数据来自 `{path}`。",
        "",
        "| 年度 | 乡镇 | 指标 | 数值 | 单位 |",
        "|---|---|---|---:|---|",
    ]
    diagnostics = []
    for n, r in enumerate(rows, start=2):
        year, slug = int(r["year"]), r["township"]
        name = names.get(slug)
        if name is None:
            diagnostics.append({"severity": "warning", "file": path, "line": n,
                                "message": f"乡镇代号「{slug}」不在乡镇名录中"})
            name = slug
        township = cell(name)
        if (year, slug) in reports:
            # Links are relative to the page's folder, local/.
            township = f"[{township}](../{year}/{slug}/)"
        value = r["value"].strip() or "（未填报）"
        lines.append(f"| {year} | {township} | {cell(r['indicator'])} | {cell(value)} | {cell(r['unit'])} |")
    page = {"path": PAGE, "title": "本地特色指标", "markdown": "\n".join(lines) + "\n"}
    json.dump({"pages": [page], "diagnostics": diagnostics}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
