#!/usr/bin/env bash
# Makes sure the end-to-end tests have a Chromium and Chinese fonts. On Debian (as root) they come from
# apt; elsewhere Playwright's own Chromium is installed. Idempotent and quiet when all is there.
set -euo pipefail

have_chromium() { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] || [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; }
have_cjk_fonts() { command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; }
apt_ok() { command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; }

missing=()
have_chromium || missing+=(chromium)
have_cjk_fonts || missing+=(fonts-noto-cjk)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
[ ${#missing[@]} -eq 0 ] && exit 0

if apt_ok; then
  echo "Installing for browser tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif ! have_chromium; then
  echo "No system Chromium and no apt: installing Playwright's Chromium"
  npx playwright install --with-deps chromium
fi
