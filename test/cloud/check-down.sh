#!/bin/bash
# check-down.sh — after down.sh: prove that none of the local cloud's processes is left.
#
# Fails (exit 1, listing the culprits) when any of these is still true:
#   - a PID file in $TRIPOD_CLOUD_STATE/run names a live daemon of the cloud;
#   - a live process (zombies aside) belongs to a session that up.sh started (run/sessions.log);
#   - a live process carries the cloud's mark in its environment (every process up.sh starts, and
#     everything they start, inherits it; see env.sh);
#   - something listens on one of the cloud's ports.
# Run it last, after down.sh (test/bin/test.sh: cloud up → tests → cloud down → check-down).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"
problems=()
describe() { ps -o pid=,sid=,args= -p "$1" 2> /dev/null | cut -c1-200; }

for f in "$STATE"/run/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f")
  is_ours "$pid" && problems+=("$(basename "$f" .pid) still running: $(describe "$pid")")
done

sessions=" $(awk '{ print $2 }' "$SESSIONS_LOG" 2> /dev/null | sort -u | tr '\n' ' ') "
# Zombies are dead already: they only wait for their (new) parent to reap them.
while read -r pid sid stat; do
  [[ "$stat" != Z* && "$sessions" == *" $sid "* ]] && problems+=("in a cloud session: $(describe "$pid")")
done < <(ps -eo pid=,sid=,stat=)

while read -r file; do
  pid=${file#/proc/}; pid=${pid%%/*}
  [ "$pid" = $$ ] || problems+=("carries the cloud's mark: $(describe "$pid")")
done < <(grep -lzxF -- "$CLOUD_MARK" /proc/[0-9]*/environ 2> /dev/null)

ports="$PORT_KEYSTONE $PORT_NOVA $PORT_PLACEMENT $PORT_GLANCE $PORT_NEUTRON $PORT_SWIFT $PORT_SWIFT_OBJECT
$PORT_SWIFT_CONTAINER $PORT_SWIFT_ACCOUNT $PORT_AMQP $PORT_AMQP_DIST"
# The epmd port only if up.sh started epmd (it reuses one that was already running).
grep -q '^epmd ' "$SESSIONS_LOG" 2> /dev/null && ports="$ports $PORT_EPMD"
for port in $ports; do
  listener=$(ss -ltnpH "sport = :$port" | head -1)
  [ -n "$listener" ] && problems+=("port $port still has a listener: $listener")
done

if [ ${#problems[@]} -gt 0 ]; then
  printf 'check-down: %s\n' "${problems[@]}" | sort -u >&2
  exit 1
fi
echo "check-down: no process of the local cloud is left, no listener on its ports"
