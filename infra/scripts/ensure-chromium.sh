#!/usr/bin/env bash
# Browser tests drive the system Chromium (Playwright cannot download its own browsers here).
# Installs the Debian package when /usr/bin/chromium is missing and we are root; otherwise says how.
set -euo pipefail
# shellcheck source=infra/scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  echo "chromium: $CHROMIUM_PATH (CHROMIUM_PATH)"; exit 0
fi
# CJK fonts, so that the Chinese portal renders text rather than empty boxes (best effort).
cjk_fonts() {
  if is_root && command -v apt-get >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk >/dev/null 2>&1; } \
      || info "fonts-noto-cjk could not be installed: Chinese text may show as boxes in screenshots"
  fi
}
for c in /usr/bin/chromium /usr/bin/chromium-browser; do
  [ -x "$c" ] && { cjk_fonts; echo "chromium: $c"; exit 0; }
done
if is_root && command -v apt-get >/dev/null 2>&1; then
  info "installing chromium with apt-get (browser tests need it)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium fonts-noto-cjk
  [ -x /usr/bin/chromium ] || die "apt-get installed chromium but /usr/bin/chromium is missing"
  echo "chromium: /usr/bin/chromium (installed)"
  exit 0
fi
die "Chromium is needed for the browser tests and is not installed.
  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium
  Elsewhere: install Chromium and export CHROMIUM_PATH=/path/to/chromium"
