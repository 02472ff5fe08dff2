#!/bin/bash
# check-down.sh — after down.sh: prove that none of the local cloud's processes is left.
#
# Fails (exit 1, listing the culprits) when any of these is still true:
#   - a PID file in $TRIPOD_CLOUD_STATE/run names a live process;
#   - a live process belongs to a session that up.sh started (run/sessions.log);
#   - a PID that down.sh aimed at (run/stopped.pids: daemons, session members, descendants) is alive;
#   - a live process mentions $TRIPOD_CLOUD_STATE on its command line;
#   - something listens on one of the cloud's ports.
# Run it last, after down.sh (test/bin/test.sh: cloud up → tests → cloud down → check-down).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"
problems=()

for f in "$STATE"/run/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f")
  kill -0 "$pid" 2> /dev/null && problems+=("$(basename "$f" .pid) still running as $pid")
done

sessions=$(awk '{ print $2 }' "$SESSIONS_LOG" 2> /dev/null | sort -u | tr '\n' ' ')
aimed=$(sort -u "$STATE/run/stopped.pids" 2> /dev/null | tr '\n' ' ')
self=$$
# shellcheck disable=SC2009  # pgrep cannot print sessions
while read -r pid sid args; do
  [ "$pid" = "$self" ] && continue
  if [[ " $sessions " == *" $sid "* ]]; then problems+=("process $pid in a cloud session $sid: $args")
  elif [[ " $aimed " == *" $pid "* ]]; then problems+=("process $pid survived down.sh: $args")
  elif [[ "$args" == *"$STATE"* ]]; then problems+=("process $pid uses $STATE: $args")
  fi
done < <(ps -eo pid=,sid=,args= | grep -v "check-down.sh")

ports="$PORT_KEYSTONE $PORT_NOVA $PORT_PLACEMENT $PORT_GLANCE $PORT_NEUTRON $PORT_SWIFT $PORT_SWIFT_OBJECT
$PORT_SWIFT_CONTAINER $PORT_SWIFT_ACCOUNT $PORT_AMQP $PORT_AMQP_DIST"
# The epmd port only if up.sh started epmd (it reuses one that was already running).
grep -q '^epmd ' "$SESSIONS_LOG" 2> /dev/null && ports="$ports $PORT_EPMD"
for port in $ports; do
  listener=$(ss -ltnpH "sport = :$port" | head -1)
  [ -n "$listener" ] && problems+=("port $port still has a listener: $listener")
done

if [ ${#problems[@]} -gt 0 ]; then
  printf 'check-down: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check-down: no process of the local cloud is left, no listener on its ports"
