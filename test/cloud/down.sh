#!/bin/bash
# down.sh — stop the local cloud that up.sh started, and nothing else.
#
# up.sh started each daemon with setsid, so its PID is also its session id. Before SIGTERM, down.sh
# notes the daemon's session members and descendants (Erlang's port programs run in sessions of their
# own); after SIGTERM (and SIGKILL after a grace period) whatever of them is left is killed too. The
# daemons are found only through the PID files in $TRIPOD_CLOUD_STATE/run, never by name. Every PID
# it aimed at is appended to run/stopped.pids for check-down.sh.
#
#   bash test/cloud/down.sh           stop; keep the data (the next up.sh takes ~30 s)
#   bash test/cloud/down.sh --purge   stop and delete $TRIPOD_CLOUD_STATE
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"
[ -d "$STATE/run" ] || { echo "down.sh: nothing to stop in $STATE"; exit 0; }
T0=$EPOCHREALTIME

# family PID — the PID, the members of its session and all its descendants.
family() {
  ps -eo pid=,ppid=,sid= | awk -v root="$1" '
    { parent[$1] = $2; if ($3 == root) print $1 }
    END { for (p in parent) { q = p; while ((q in parent) && q != root && q > 1) q = parent[q]; if (q == root) print p } }' |
    sort -un
}
stop() {
  local name=$1 pid_file=$STATE/run/$1.pid pid targets
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  targets=$(family "$pid")
  echo "$targets" >> "$STATE/run/stopped.pids"
  if kill -0 "$pid" 2> /dev/null; then
    kill -TERM "$pid" 2> /dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 0.25; done
  fi
  # shellcheck disable=SC2086,SC2046
  kill -KILL $targets $(family "$pid") 2> /dev/null
  rm -f "$pid_file"
  echo "stopped $name ($pid)"
}

# The OpenStack services all at once, then what they stand on.
# Every compute host that has a PID file (also those of an earlier run with more hosts).
compute_services=""
for f in "$STATE"/run/nova-tripod-compute-*.pid; do
  [ -e "$f" ] && compute_services="$compute_services $(basename "$f" .pid)"
done
for name in $compute_services $SERVICES_API; do stop "$name" & done
wait
for name in $SERVICES_INFRA; do stop "$name"; done
echo "cloud down in $(since "$T0")s"

if [ "${1:-}" = --purge ]; then
  rm -rf "$STATE"
  echo "removed $STATE"
fi
