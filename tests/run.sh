#!/usr/bin/env bash
# The README's test command: installs what the browser and print tests need when it is missing
# (Debian's chromium and CJK fonts, LibreOffice Calc and Writer, the Carlito font and poppler's pdftotext, and a Java runtime
# for the Nu HTML checker with apt-get, Node.js if absent, the Node packages of tests/e2e with
# `npm ci`), Hugo and Python 3 for the example site and plugins, the pinned Python packages of
# tests/requirements.txt (python-docx, DuckDB, the web-archive tools) in tests/.venv (python3 -m venv), then runs every test with `cargo test`. Extra arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
PACKAGES=""
command -v chromium >/dev/null 2>&1 || PACKAGES="chromium fonts-noto-cjk"
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
# tests/print.rs prints the generated workbooks to PDF and reads the pages back.
command -v soffice >/dev/null 2>&1 || PACKAGES="$PACKAGES libreoffice-calc-nogui fonts-noto-cjk"
# tests/import_word.rs (and the PDF import tests) make Word documents and PDFs with Writer.
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || PACKAGES="$PACKAGES libreoffice-writer-nogui"
{ command -v pdftotext && command -v pdfinfo; } >/dev/null 2>&1 || PACKAGES="$PACKAGES poppler-utils"
# Calibri's metrics (Carlito), with which LibreOffice measures the workbooks' column widths as
# Excel does: tests/print.rs checks the printed font size.
fc-list 2>/dev/null | grep -qi carlito || PACKAGES="$PACKAGES fonts-crosextra-carlito"
# tests/browser.rs runs the Nu HTML checker (vnu.jar from the npm package vnu-jar) on Java.
command -v java >/dev/null 2>&1 || PACKAGES="$PACKAGES default-jre-headless"
# tests/hugo.rs builds the Hugo example (examples/hugo/); tests/plugins.rs runs the Python plugins.
command -v hugo >/dev/null 2>&1 || PACKAGES="$PACKAGES hugo"
command -v python3 >/dev/null 2>&1 || PACKAGES="$PACKAGES python3"
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || PACKAGES="$PACKAGES python3-venv"
if [ -n "$PACKAGES" ]; then
  echo "== installing browser- and print-test dependencies:$PACKAGES =="
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
fi
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ] \
  || [ ! -f tests/e2e/node_modules/vnu-jar/build/dist/vnu.jar ] \
  || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules ]; then
  # --ignore-scripts: vnu-jar's install script would download a JRE from GitHub when java is
  # missing; Debian's default-jre-headless (above) is used instead.
  npm ci --prefix tests/e2e --no-audit --no-fund --ignore-scripts
fi
# One virtual environment for the tests' Python packages (tests/requirements.txt, pinned):
# made with python3 -m venv when missing, and brought up to the requirements when they change.
if [ ! -x tests/.venv/bin/python ]; then
  python3 -m venv tests/.venv
fi
if [ ! -f tests/.venv/.installed ] || [ tests/requirements.txt -nt tests/.venv/.installed ]; then
  tests/.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
  touch tests/.venv/.installed
fi
echo "== $(chromium --version), node $(node --version), $(soffice --version | head -n 1)," \
  "$(java -version 2>&1 | head -n 1) =="
cargo test --locked "$@"
