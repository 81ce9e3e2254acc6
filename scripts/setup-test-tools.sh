#!/usr/bin/env bash
# Installs what only the tests use, from Debian: Chromium for the test that opens report.html in
# a real headless browser, and openssl for the certificate of the scripted API server the watch
# tests talk to. Best effort: without Chromium the browser test skips and says why.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's ${need[*]} for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
  mkdir -p "$state"
  { apt-get update -qq && apt-get install -y -qq "${need[@]}"; } >"$state/apt-test-tools.log" 2>&1 ||
    echo "setup: ${need[*]} could not be installed (see $state/apt-test-tools.log)"
else
  echo "setup: missing ${need[*]} and cannot install them (not root on Debian); the browser test will skip"
fi
