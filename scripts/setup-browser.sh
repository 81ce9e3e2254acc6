#!/usr/bin/env bash
# Installs Debian's Chromium for the test that opens report.html in a real headless browser.
# Best effort: without it that one test skips and says why; nothing else needs a browser.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the report browser test..."
  export DEBIAN_FRONTEND=noninteractive
  state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
  mkdir -p "$state"
  { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; } >"$state/apt-chromium.log" 2>&1 ||
    echo "setup: chromium could not be installed (see $state/apt-chromium.log); the browser test will skip"
else
  echo "setup: no /usr/bin/chromium; the report browser test will skip"
fi
