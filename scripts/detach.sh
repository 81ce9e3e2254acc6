#!/usr/bin/env bash
# detach LOG CMD...: starts CMD in its own session, in the background, output to LOG, holding none
# of the caller's open files but stdin/out/err (which it gets from /dev/null and LOG). A daemon
# started by setup outlives setup: dockerd once kept the lock of the CI job that ran setup, and
# every later holder of that lock waited forever.
detach() {
  local log=$1
  shift
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done 2>/dev/null
    exec setsid nohup "$@" </dev/null >"$log" 2>&1
  ) &
}
