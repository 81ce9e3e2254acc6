#!/usr/bin/env bash
# Installs the project's npm dependencies, among them Node 24 LTS from the npm registry (the
# `node` package): the machines' system Node is 20 (a bare Debian has none), and testcontainers
# and ava need >= 22. npm scripts put node_modules/.bin first on PATH, so `npm test` and
# `npm run` use Node 24. Without npm, Debian's npm is installed first (as root on Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: npm is needed to install Node 24 and the dependencies (apt-get install npm)" >&2
    exit 2
  fi
  echo "setup: installing Debian's npm (it brings a Node to run npm; the project runs on Node 24)..."
  mkdir -p "$state"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends npm ca-certificates; } >"$state/apt-npm.log" 2>&1 || {
    tail -20 "$state/apt-npm.log" >&2
    exit 4
  }
fi
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install --no-save`, not `npm ci`: the registry these machines reach lacks some other
  # platforms' optional packages at the locked versions (e.g. @biomejs/cli-darwin-arm64 2.6.8),
  # so the lock cannot list them and `npm ci` refuses it as out of sync. install still follows
  # the lock for everything it lists and leaves the lock as it is.
  npm install --no-save --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/node -e 'const [maj,min]=process.versions.node.split(".").map(Number); if (maj<24||(maj===24&&min<12)) { console.error("setup: Node "+process.versions.node+" is too old; need >= 24.12"); process.exit(2) }'
echo "setup: node $(node_modules/.bin/node --version) ready"
