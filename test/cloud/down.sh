#!/bin/bash
# down.sh — stop the local cloud that up.sh started, and nothing else.
#
# up.sh started each daemon with setsid, so its PID is also its session id. Before SIGTERM, down.sh
# notes the daemon's session members and descendants (Erlang's port programs run in sessions of their
# own); after SIGTERM (and SIGKILL after a grace period) whatever of them is left is killed too. The
# daemons are found only through the PID files in $TRIPOD_CLOUD_STATE/run, never by name, and a recorded
# PID is signalled only while it still names $TRIPOD_CLOUD_STATE (is_ours in env.sh).
#
#   bash test/cloud/down.sh           stop; keep the data (the next up.sh takes ~30 s)
#   bash test/cloud/down.sh --purge   stop and delete $TRIPOD_CLOUD_STATE
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"
[ -d "$STATE/run" ] || { echo "down.sh: nothing to stop in $STATE"; exit 0; }
T0=$EPOCHREALTIME

# session PID — the live members of the session PID leads. Linux never hands out a PID that is still a
# session id, so these are the daemon's even when the daemon itself is gone.
session() { ps -eo pid=,sid= | awk -v sid="$1" '$2 == sid { print $1 }'; }
# descendants PID — all processes below PID.
descendants() {
  ps -eo pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = parent[p]; while ((q in parent) && q != root && q > 1) q = parent[q]; if (q == root) print p } }'
}
stop() {
  local name=$1 pid_file=$STATE/run/$1.pid pid targets
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  targets=$(session "$pid")
  if is_ours "$pid"; then
    targets="$targets $(descendants "$pid")"
    kill -TERM "$pid" 2> /dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 0.25; done
  fi
  # shellcheck disable=SC2086,SC2046
  kill -KILL $targets $(session "$pid") 2> /dev/null
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
