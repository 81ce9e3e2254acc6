#!/usr/bin/env bash
# Installs what only the tests use, from Debian: Chromium for the test that opens report.html in
# a real headless browser, openssl for the certificate of the scripted API server the watch
# tests talk to, and shellcheck for the lint of the scripts and (through actionlint) of the
# nightly workflow. As root on Debian a failed install fails setup: a test that skips for a
# missing program would hide a missing install step. Elsewhere it says what is missing, and the
# browser test skips and says why.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Debian's ${need[*]} for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
  mkdir -p "$state"
  { apt-get update -qq && apt-get install -y -qq "${need[@]}"; } >"$state/apt-test-tools.log" 2>&1 || {
    tail -20 "$state/apt-test-tools.log" >&2
    echo "setup: apt-get install ${need[*]} failed (log: $state/apt-test-tools.log)" >&2
    exit 4
  }
else
  echo "setup: missing ${need[*]} and cannot install them (not root on Debian); install them, or the browser test and the script lint will skip or fail"
fi
