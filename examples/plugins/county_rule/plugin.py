#!/usr/bin/env python3
"""nianbao plugin: county-specific rules reported as warnings (Python 3 standard library only).

Usage in site.toml:

    [[plugins]]
    name = "本县规则"
    command = ["python3", "plugins/county_rule/plugin.py", "--heading", "存在问题"]

Rules:
  * a report (2014 table format) whose 主动公开政府信息数 is 0 (an office that published nothing in a year usually
    mistyped the table);
  * a report whose narrative has no heading containing each --heading text.
Each warning points to the report's report.md, at the line where its narrative starts.
"""
import argparse
import json
import re
import sys

# 主动公开政府信息数: only the 2014 table format (gov-2014) counts it as one number.
PROACTIVE_TOTAL = ("proactive.total",)

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def headings(markdown):
    return [m.group(1) for m in map(HEADING.match, markdown.splitlines()) if m]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--heading", action="append", default=[],
                        help="正文必须有含这段文字的标题（可写多次）")
    args = parser.parse_args()
    doc = json.load(sys.stdin)
    if doc.get("version") != 1:
        print("本插件只认识协议版本 1", file=sys.stderr)
        return 1
    found = []
    for r in doc["site"]["reports"]:
        where = {"file": r["file"], "line": r["narrative_line"]}
        who = f"{r['township_name']}{r['year']}年度报告"
        for key in PROACTIVE_TOTAL:
            if r["values"].get(key) == 0:
                found.append({"severity": "warning", **where,
                              "message": f"{who}的主动公开政府信息数为 0，请核对统计表"})
        titles = headings(r["narrative"])
        for wanted in args.heading:
            if not any(wanted in t for t in titles):
                found.append({"severity": "warning", **where,
                              "message": f"{who}的正文缺少“{wanted}”部分（本县要求每份报告都写）"})
    json.dump({"pages": [], "diagnostics": found}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
