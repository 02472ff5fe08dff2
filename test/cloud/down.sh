#!/bin/bash
# down.sh — stop the local cloud that up.sh started, and nothing else.
#
# up.sh started each daemon with setsid, so its PID is also its session id: after SIGTERM (and
# SIGKILL after a grace period) every process still in that session (uwsgi workers, oslo
# service children, Erlang helpers) is killed too. Processes are found only through the PID
# files in $TRIPOD_CLOUD_STATE/run, never by name.
#
#   bash test/cloud/down.sh           stop; keep the data (the next up.sh takes ~30 s)
#   bash test/cloud/down.sh --purge   stop and delete $TRIPOD_CLOUD_STATE
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"
[ -d "$STATE/run" ] || { echo "down.sh: nothing to stop in $STATE"; exit 0; }
T0=$EPOCHREALTIME

session_members() { ps -eo sid=,pid= | awk -v sid="$1" '$1 == sid { print $2 }'; }
stop() {
  local name=$1 pid_file=$STATE/run/$1.pid pid member
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2> /dev/null; then
    kill -TERM "$pid" 2> /dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2> /dev/null
  fi
  for member in $(session_members "$pid"); do kill -KILL "$member" 2> /dev/null; done
  rm -f "$pid_file"
  echo "stopped $name ($pid)"
}

# The OpenStack services all at once, then what they stand on.
compute_services=""
for h in $(compute_host_names); do compute_services="$compute_services nova-$h"; done
# Compute hosts of an earlier run with more hosts, too.
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
