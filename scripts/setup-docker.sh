#!/usr/bin/env bash
# Makes sure a Docker engine answers. If one runs, it is used as it is. If none runs and this
# is Debian (or Ubuntu) as root, Debian's docker.io is installed and dockerd started in the
# background, logging to $TUNEPROOF_STATE/dockerd.log. Otherwise: say what is needed.
set -euo pipefail
# shellcheck source=scripts/detach.sh
. "$(dirname "$0")/detach.sh"
state="${TUNEPROOF_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tuneproof}"
mkdir -p "$state"

answers() { timeout 10 docker info >/dev/null 2>&1; }

# Every node container runs systemd, containerd and a kubelet, each holding inotify instances;
# the kernel's default of 128 per user (host-global) runs out at a handful of nodes, and then
# kubelets fail with "too many open files" and containerd's CRI plugin does not load. kind
# documents the same host prerequisite. Raised only when lower, and only as root.
raise_inotify() {
  [ "$(id -u)" = 0 ] || return 0
  local key want have
  for pair in fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=524288; do
    key=${pair%%=*}
    want=${pair#*=}
    have=$(sysctl -n "$key" 2>/dev/null || echo 0)
    if [ "$have" -lt "$want" ]; then
      sysctl -qw "$key=$want" && echo "setup: raised $key from $have to $want (host-wide, for node containers)"
    fi
  done
}
raise_inotify

if command -v docker >/dev/null 2>&1 && answers; then
  echo "setup: docker engine $(docker version --format '{{.Server.Version}}') answers"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no Docker engine answers. Start one (or install Docker: https://docs.docker.com/engine/install/);" >&2
  echo "       tuneproof installs Debian's docker.io itself only when run as root on Debian." >&2
  exit 2
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "setup: installing Debian's docker.io..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >"$state/apt-docker.log" 2>&1 || {
    tail -20 "$state/apt-docker.log" >&2
    exit 4
  }
fi
# An engine may answer now that its client is installed (a socket from elsewhere: rootless
# Docker, or a host's engine shared with a container).
if answers; then
  echo "setup: docker engine $(docker version --format '{{.Server.Version}}') answers"
  exit 0
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "setup: starting dockerd (log: $state/dockerd.log)"
  detach "$state/dockerd.log" dockerd
fi
for _ in $(seq 1 60); do
  if answers; then
    echo "setup: docker engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 1
done
echo "setup: dockerd did not answer within 60s; last lines of $state/dockerd.log:" >&2
tail -20 "$state/dockerd.log" >&2
exit 4
