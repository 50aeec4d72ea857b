#!/usr/bin/env bash
# Debian packages briefkit needs: Pango for WeasyPrint (PDF), the open fonts the outputs use, poppler for tests.
# The Noto fonts draw the world's main scripts (decision 75): fonts-noto-core Latin, Greek, Cyrillic, Arabic, Hebrew
# and most others (42 MB); fonts-noto-cjk Chinese (simplified and traditional), Japanese and Korean (91 MB).
# With --test, also what the tests read outputs with: LibreOffice (DOCX, PPTX to PDF), and Chromium, the browser
# the preview's tests drive with Playwright (never Playwright's own browser download).
# Installs them when run as root; otherwise says in one line how to.
set -euo pipefail
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation fonts-dejavu-core fonts-noto-core fonts-noto-cjk poppler-utils"
if [ "${1:-}" = "--test" ]; then
  PACKAGES="$PACKAGES libreoffice-writer-nogui libreoffice-impress-nogui chromium"
fi
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "briefkit needs system packages; install them with: sudo apt-get install$missing" >&2
  exit 1
fi
