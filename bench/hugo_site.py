#!/usr/bin/env python3
"""Convert a nianbao content directory into an equivalent Hugo site, for benchmarks.

Usage: python3 bench/hugo_site.py CORPUS_DIR OUT_DIR   (OUT_DIR must not exist or be empty)

Reads CORPUS_DIR/content (townships.yaml, <year>/<slug>/report.md + stats.yaml + attachments,
optional _index.md files) and writes a Hugo (0.111) site to OUT_DIR:

- hugo.toml: taxonomies township = "townships" and year = "years"; RSS, the section page and the
  taxonomy index pages are disabled, so the page set matches nianbao's: home, one page per year
  (/<year>/), one page per report (/<year>/<slug>/), one page per township (/townships/<slug>/),
  404 and sitemap.xml.
- content/reports/<year>-<slug>/index.md: one leaf bundle per report, TOML front matter (title,
  date = published, url, taxonomy terms, township and year params) and a body that is the
  report's narrative followed by its statistics as a GFM table `| id | value |` of every
  `values:` line (`~` shown as an empty cell); attachments are copied into the bundle as page resources.
- content/townships/<slug>/_index.md and content/years/<year>/_index.md: term pages titled with the
  township name / year (the year's _index.md introduction, if any, as body); content/_index.md
  carries the home introduction.
- layouts/: a plain theme (baseof, single, list, index, 404) rendering title, content and page lists.

Only the simple YAML subset that nianbao content uses is parsed (standard library only).
"""
import json
import shutil
import sys
from pathlib import Path

CONFIG = """\
baseURL = "https://example.gov.cn/nianbao/"
languageCode = "zh-CN"
title = "乡镇政府信息公开工作年度报告"
disableKinds = ["RSS", "section", "taxonomy"]  # "taxonomy" = the /townships/ and /years/ indexes
ignoreErrors = ["error-disable-taxonomy"]  # Hugo's warning that this really is what we mean

[taxonomies]
township = "townships"
year = "years"
"""

LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Resources }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Name }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ .Content }}
{{ range $name, $terms := site.Taxonomies }}<h2>{{ $name }}</h2>
<ul>{{ range $terms }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>404</h1><p>页面不存在。<a href="{{ site.Home.RelPermalink }}">返回首页</a></p>{{ end }}
""",
}


def scalar(raw):
    """The value of a one-line YAML scalar: quotes removed, trailing `# comment` dropped."""
    raw = raw.strip()
    if raw and raw[0] in "\"'":
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    return raw.split(" #", 1)[0].strip()


def top_level(lines):
    """`key: value` pairs at indentation 0 (nested blocks and lists are skipped)."""
    out = {}
    for line in lines:
        if line[:1].isalpha() and ":" in line:
            key, _, value = line.partition(":")
            out[key.strip()] = scalar(value)
    return out


def read_townships(path):
    townships, cur = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        if body.startswith("- "):
            cur = {}
            townships.append(cur)
            body = body[2:]
        key, _, value = body.partition(":")
        cur[key.strip()] = scalar(value)
    return {t["slug"]: t for t in townships}


def split_front_matter(text):
    """(front-matter lines, body) of a `---`-delimited Markdown file."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return [], text
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return lines[1:end], "\n".join(lines[end + 1:])


def stats_table(path):
    """The `values:` lines of stats.yaml as a GFM table."""
    rows, in_values = ["| id | value |", "| --- | --- |"], False
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        if not line[0].isspace():
            in_values = body.startswith("values:")
        elif in_values:
            key, _, value = body.partition(":")
            value = scalar(value)
            rows.append(f"| {key.strip()} | {'' if value == '~' else value} |")
    return "\n".join(rows)


def page(path, front, body=""):
    """Write a Markdown file with TOML front matter (strings and string lists, JSON-quoted: valid TOML)."""
    fm = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"+++\n{fm}+++\n{body}", encoding="utf-8")


def main(corpus, out):
    src = corpus / "content"
    if out.exists() and any(out.iterdir()):
        sys.exit(f"error: {out} exists and is not empty")
    if not (src / "townships.yaml").is_file():
        sys.exit(f"error: {src / 'townships.yaml'} not found")
    townships = read_townships(src / "townships.yaml")
    dst = out / "content"
    out.mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (out / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / name).write_text(text, encoding="utf-8")

    home = src / "_index.md"
    page(dst / "_index.md", {"title": "首页"},
         split_front_matter(home.read_text(encoding="utf-8"))[1] if home.exists() else "")
    for slug, t in townships.items():
        page(dst / "townships" / slug / "_index.md", {"title": t["name"]})

    reports = 0
    for year_dir in sorted(p for p in src.iterdir() if p.is_dir() and p.name.isdigit()):
        year = year_dir.name
        intro = year_dir / "_index.md"
        page(dst / "years" / year / "_index.md", {"title": f"{year}年度", "url": f"/{year}/"},
             split_front_matter(intro.read_text(encoding="utf-8"))[1] if intro.exists() else "")
        for rep in sorted(p for p in year_dir.iterdir() if (p / "report.md").is_file()):
            slug = rep.name
            fm_lines, narrative = split_front_matter((rep / "report.md").read_text(encoding="utf-8"))
            fm = top_level(fm_lines)
            name = townships.get(slug, {}).get("name", slug)
            bundle = dst / "reports" / f"{year}-{slug}"
            front = {
                "title": fm.get("title") or f"{name}{year}年度政府信息公开工作年度报告",
                "date": fm.get("published") or f"{year}-12-31",
                "url": f"/{year}/{slug}/",
                "townships": [slug],
                "years": [year],
                "township": slug,  # plain params (Hugo 0.111 has no front-matter [params] table)
                "year": year,
            }
            page(bundle / "index.md", front,
                 f"{narrative.rstrip()}\n\n## 统计表\n\n{stats_table(rep / 'stats.yaml')}\n")
            for f in rep.iterdir():
                if f.is_file() and f.name not in ("report.md", "stats.yaml", "_index.md"):
                    shutil.copy2(f, bundle / f.name)
            reports += 1
    print(f"wrote {reports} reports, {len(townships)} townships into {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: hugo_site.py CORPUS_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
