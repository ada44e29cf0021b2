#!/usr/bin/env bash
# Refresh a Hugo site's data/nianbao/ from a nianbao site: the model (`nianbao export`) as
# data/nianbao/model.json, the stats.json of every report of the built nianbao site as
# data/nianbao/stats/<year>/<township>.json and the table formats' dictionaries (the labels and
# units stats.json keys its values by) as data/nianbao/formats/<format>.json. It writes nothing but the Hugo site's
# data/nianbao/ (replaced whole, so a report taken off the portal leaves no stale file); the
# nianbao site and its built output are only read.
#
# Usage: update-data.sh <Hugo site folder> <nianbao program> <nianbao site root> [<built output>]
# The built output defaults to <nianbao site root>/public (where `nianbao build` writes).
set -euo pipefail

usage() {
  cat >&2 <<'EOF'
用法：update-data.sh <Hugo 网站文件夹> <nianbao 程序> <年报网站文件夹> [<已生成的年报网站文件夹>]

  <Hugo 网站文件夹>          要更新数据的 Hugo 网站（其中有 hugo.toml 或 config.toml），
                             脚本只写入其中的 data/nianbao/
  <nianbao 程序>             nianbao 程序的路径，例如 /usr/local/bin/nianbao 或 ./target/release/nianbao
  <年报网站文件夹>           年报网站的根目录（其中有 site.toml）
  <已生成的年报网站文件夹>   nianbao build 生成的网站，默认为 <年报网站文件夹>/public

例如：
  nianbao build --root /srv/nianbao
  examples/hugo/update-data.sh /srv/county-hugo /usr/local/bin/nianbao /srv/nianbao
EOF
}

fail() {
  echo "错误：$1" >&2
  echo >&2
  usage
  exit 2
}

if [ "$#" -lt 3 ] || [ "$#" -gt 4 ]; then
  fail "需要 3 或 4 个参数，实际给了 $# 个。"
fi
hugo_site="$1"
nianbao="$2"
root="$3"
built="${4:-$root/public}"

[ -d "$hugo_site" ] || fail "Hugo 网站文件夹 $hugo_site 不存在。"
found_config=no
for config in hugo.toml hugo.yaml hugo.json config.toml config.yaml config.json config; do
  if [ -e "$hugo_site/$config" ]; then found_config=yes; fi
done
[ "$found_config" = yes ] || fail "$hugo_site 不像 Hugo 网站：其中没有 hugo.toml、config.toml 等配置文件。"
if [ -d "$nianbao" ] || [ ! -x "$nianbao" ]; then
  fail "$nianbao 不是可以运行的 nianbao 程序。"
fi
[ -f "$root/site.toml" ] || fail "$root 不是年报网站：其中没有 site.toml。"
[ -d "$built" ] || fail "已生成的年报网站 $built 不存在：请先运行 nianbao build --root $root。"

# Written beside data/nianbao/ inside the Hugo site, then swapped in: a failure leaves the old data.
mkdir -p "$hugo_site/data"
work="$(mktemp -d "$hugo_site/data/.nianbao-update.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if ! "$nianbao" export --quiet --root "$root" --format json --output "$work/model.json"; then
  echo "错误：nianbao export 没有成功（见上面的提示），Hugo 网站的数据没有改动。" >&2
  exit 1
fi
count=0
while IFS= read -r -d '' f; do
  rel="${f#"$built"/}"           # 2018/beijinggang/stats.json
  year="${rel%%/*}"
  slug="$(basename "$(dirname "$rel")")"
  case "$year" in
    [0-9][0-9][0-9][0-9]) ;;
    *) continue ;;               # only <year>/<township>/stats.json
  esac
  mkdir -p "$work/stats/$year"
  cp "$f" "$work/stats/$year/$slug.json"
  count=$((count + 1))
done < <(find "$built" -mindepth 3 -maxdepth 3 -name stats.json -print0)
if [ "$count" -eq 0 ]; then
  echo "错误：$built 中没有任何报告的 stats.json：请先运行 nianbao build --root $root，或给出它生成的文件夹。Hugo 网站的数据没有改动。" >&2
  exit 1
fi
mkdir -p "$work/formats"
for f in "$built"/data/formats/*.json; do
  [ -f "$f" ] || { echo "错误：$built/data/formats/ 中没有表格格式说明（stats.json 的指标名称和单位）：请用新版 nianbao build 重新生成。Hugo 网站的数据没有改动。" >&2; exit 1; }
  cp "$f" "$work/formats/"
done
rm -rf "$hugo_site/data/nianbao"
mv "$work" "$hugo_site/data/nianbao"
trap - EXIT
echo "已更新 $hugo_site/data/nianbao/：model.json、$count 份报告的统计表和表格格式说明。"
