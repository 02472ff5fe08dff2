#!/usr/bin/env bash
# lab.sh — Tripod's VRRP lab: 3 nodes running keepalived (Debian's 2.2.7) + haproxy + service stand-ins, each
# with Tripod's node agent and its rendered files, plus a client namespace running Tripod's ingest. Network
# namespaces only; addresses only in 198.51.100.0/24 inside them; the root namespace gets no leg.
#
#   lab.sh up                  build and start (tears itself down if anything fails); ~10 s
#   lab.sh down                stop what it started (recorded PIDs), delete its namespaces and state; idempotent
#   lab.sh kill-ka NODE SIG    TERM: graceful stop; KILL: crash (VRRP child first, REPORT §8.6)
#   lab.sh start-ka NODE       start keepalived again (after the killed one has exited)
#   lab.sh link NODE up|down   the node's interface
#   lab.sh isolate NODE on|off the node's bridge port disabled (full isolation) / enabled again
#   lab.sh blackhole VIP on|off the client's ARP entry for VIP points at a MAC nobody has (stale ARP, §8.2)
#   lab.sh holders VIP         nodes with VIP configured (ground truth from the kernel)
#   lab.sh client CMD...       run a command in the client namespace
#   lab.sh node NODE CMD...    run a command in a node's namespace
# api mode (TVLAB_MODE=api): the bootstrap and three masters, a Public (198.51.100.0/25) and a Cluster network
# (198.51.100.128/25), per node a kube-apiserver stand-in on :6443 (api-standin.ts), per master the rendered haproxy
# and the redirect monitor (tripod-api-redirect), the client on both networks. TVLAB_DESIGN=old runs today's design
# before the redirect: no redirect monitor, and the bootstrap holds the API VIP without a check (for the bench).
#   lab.sh stop NODE api|haproxy|monitor   stop one of the node's services; lab.sh start NODE api|haproxy|monitor
#   lab.sh phase starting|ready|complete   the cluster state every stand-in answers (kube-system/bootstrap)
# Node by node (the demo's driver, test/vrrp/lab/demo.ts, with TVLAB_PREPARED=1: it wrote $STATE/lab.env,
# $STATE/topology.sh, $STATE/pki and each node's rendered tree before, and no prepare.ts runs):
#   lab.sh net-up              the networks, the client and the ingest (or, with INGEST_FORWARD=HOST:PORT in lab.env,
#                              a relay from the client's ingest address to that dashboard on the host's loopback)
#   lab.sh node-up NODE        one node with all its services; lab.sh node-down NODE: it and its namespace go away
#   lab.sh status              "NAME alive|dead" for every process the lab started
#
# Needs root, keepalived, haproxy, iproute2, curl, openssl, node + the repo's node_modules (tsx, prisma).
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
LAB=${TVLAB_PREFIX:-tvlab}
STATE=${TVLAB_STATE:-/run/$LAB}
export TVLAB_PREFIX=$LAB TVLAB_STATE=$STATE
MODE=${TVLAB_MODE:-$(cat "$STATE/mode" 2>/dev/null || echo vip)}
DESIGN=${TVLAB_DESIGN:-new}
export TVLAB_MODE=$MODE
MASTERS=(master-0 master-1 master-2) # Tripod's node names: prepare.ts renders each one's Ignition files
if [ "$MODE" = api ]; then NODES=(bootstrap "${MASTERS[@]}"); else NODES=("${MASTERS[@]}"); fi
declare -A IP=([bootstrap]=198.51.100.13 [master-0]=198.51.100.10 [master-1]=198.51.100.11 [master-2]=198.51.100.12)
declare -A CIP=([bootstrap]=198.51.100.143 [master-0]=198.51.100.140 [master-1]=198.51.100.141 [master-2]=198.51.100.142)
CLIENT_CIP=198.51.100.200
# The Cluster NIC: br-ex on a master (OVN-Kubernetes' bridge, where the rendered keepalived puts api-int), the
# spec's ens4 on the bootstrap.
cnic() { if [ "$1" = bootstrap ]; then echo "$BOOTSTRAP_CNIC"; else echo br-ex; fi; }
NIC=ens6 # the Public NIC, where the rendered keepalived.conf puts the VIPs
BOOTSTRAP_CNIC=ens4
CLIENT_IP=198.51.100.100
INGEST_PORT=8080
# A prepared lab (the demo's driver) sets its own addresses and NIC names: IP, CIP, NIC, BOOTSTRAP_CNIC.
[ -f "$STATE/topology.sh" ] && source "$STATE/topology.sh"
NS_BR=$LAB-br
NS_CL=$LAB-cl
TSX=$REPO/node_modules/.bin/tsx

nsn() { echo "$LAB-$1"; }
log() { printf '%s [lab] %s\n' "$(date +%T.%3N)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# ---------------------------------------------------------------- process bookkeeping (by PID + start time only)
pstat() { # PID -> "STATE STARTTIME"
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  set -- $s
  echo "$1 ${20}"
}
# Lab processes run at nice -10: the box is shared, and timing figures should measure the nodes, not other people's load.
spawn() { # spawn NAME NS|'' LOGFILE CMD...
  local name=$1 ns=$2 logf=$3 pid st
  shift 3
  if [ -n "$ns" ]; then set -- ip netns exec "$ns" "$@"; fi # an empty NS: the host's namespace
  setsid nice -n -10 "$@" >"$logf" 2>&1 </dev/null &
  pid=$!
  disown "$pid" 2>/dev/null
  st=$(pstat "$pid") || die "spawn $name: died at once (see $logf)"
  echo "$pid ${st#* }" >"$STATE/pids/$name"
}
alive() {
  local pid st cur
  read -r pid st <"$STATE/pids/$1" 2>/dev/null || return 1
  cur=$(pstat "$pid") || return 1
  [ "${cur#* }" = "$st" ] && [ "${cur%% *}" != Z ]
}
pid_of() {
  local pid st
  read -r pid st <"$STATE/pids/$1" 2>/dev/null && echo "$pid"
}
stop_proc() { # stop_proc NAME [SIGNAL] [WAIT_S]
  local name=$1 sig=${2:-TERM} w=${3:-5} pid i
  [ -f "$STATE/pids/$name" ] || return 0
  if alive "$name"; then
    pid=$(pid_of "$name")
    kill -s "$sig" "$pid" 2>/dev/null
    for ((i = 0; i < w * 20; i++)); do
      alive "$name" || break
      sleep 0.05
    done
    alive "$name" && kill -s KILL "$pid" 2>/dev/null
  fi
  rm -f "$STATE/pids/$name"
}
ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$1"; }
wait_until() { # wait_until TIMEOUT_S CMD...
  local t=$1 i
  shift
  for ((i = 0; i < t * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- node processes
# keepalived and the agent see the node's rendered /etc/keepalived at its real path (notify script, journal,
# keepalived.conf), through a bind mount inside `ip netns exec`'s private mount namespace.
start_keepalived() {
  local n=$1
  rm -f "$STATE/$n/keepalived.pid" "$STATE/$n/vrrp.pid"
  spawn "ka-$n" "$(nsn "$n")" "$STATE/logs/keepalived-$n.log.$(date +%s%N)" sh -c \
    'mount --bind "$1" /etc/keepalived && shift && exec env TMPDIR="$0" "$@"' "$STATE/$n/tmp" "$STATE/$n/root/etc/keepalived" \
    keepalived -n -l -D -G -P -f /etc/keepalived/keepalived.conf -p "$STATE/$n/keepalived.pid" -r "$STATE/$n/vrrp.pid" -c "$STATE/$n/checkers.pid"
}
start_agent() {
  local n=$1 envs=() k v
  while IFS='=' read -r k v; do
    [[ $k =~ ^TRIPOD_VRRP_ ]] && envs+=("$k=$v")
  done <"$STATE/$n/root/etc/sysconfig/tripod-vrrp-agent"
  envs+=(TRIPOD_VRRP_STATE_DIR="$STATE/$n/agent" TRIPOD_VRRP_SNAPSHOT_INTERVAL=2 TRIPOD_VRRP_HEARTBEAT_INTERVAL=2 TRIPOD_VRRP_RETRY_MAX=2 TRIPOD_VRRP_TICK=0.05)
  spawn "agent-$n" "$(nsn "$n")" "$STATE/logs/agent-$n.log" sh -c \
    'mount --bind "$0" /etc/keepalived && exec "$@"' "$STATE/$n/root/etc/keepalived" \
    env "${envs[@]}" "$STATE/$n/root/usr/local/bin/tripod-vrrp-agent"
}

# Reads a rendered KEY=VALUE file (systemd EnvironmentFile syntax, values optionally in double quotes) into ENVS.
read_envfile() {
  local k v
  ENVS=()
  while IFS='=' read -r k v; do
    [[ $k =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    v=${v#\"}
    ENVS+=("$k=${v%\"}")
  done <"$1"
}
start_api() { # the node's kube-apiserver stand-in
  spawn "api-$1" "$(nsn "$1")" "$STATE/logs/api-$1.log.$(date +%s%N)" sh -c 'cd "$0" && exec node --import tsx "$@"' "$REPO" "$HERE/api-standin.ts" "$STATE"
}
start_haproxy() { # the rendered haproxy.cfg; its stats socket directory on a tmpfs of the private mount namespace
  spawn "haproxy-$1" "$(nsn "$1")" "$STATE/logs/haproxy-$1.log.$(date +%s%N)" sh -c \
    'mount -t tmpfs tmpfs /var/lib/haproxy && mkdir -p /var/lib/haproxy/run && exec haproxy -db -f "$0"' \
    "$STATE/$1/root/etc/kubernetes/static-pod-resources/haproxy/haproxy.cfg"
}
start_monitor() { # the rendered redirect monitor with its rendered environment, /etc/keepalived as on the node
  read_envfile "$STATE/$1/root/etc/sysconfig/tripod-api-redirect"
  spawn "monitor-$1" "$(nsn "$1")" "$STATE/logs/monitor-$1.log.$(date +%s%N)" sh -c \
    'mount --bind "$0" /etc/keepalived && exec "$@"' "$STATE/$1/root/etc/keepalived" \
    env "${ENVS[@]}" "$STATE/$1/root/usr/local/bin/tripod-api-redirect"
}

render_haproxy() {
  local n=$1 m
  cat <<EOF
global
  stats socket $STATE/$n/haproxy.sock mode 600 level admin
  log stdout format raw local0
defaults
  maxconn 2000
  mode    tcp
  log     global
  option  dontlognull
  retries 3
  timeout connect 10s
  timeout client  1m
  timeout server  1m
frontend main
  bind :::9445 v4v6
  default_backend masters
listen health_check_http_url
  bind :::9444 v4v6
  mode http
  monitor-uri /haproxy_ready
backend masters
  option  httpchk GET /readyz HTTP/1.0
  balance roundrobin
EOF
  for m in "${NODES[@]}"; do echo "  server $m ${IP[$m]}:6443 weight 1 verify none check check-ssl inter 1s fall 2 rise 3"; done
}

# ---------------------------------------------------------------- up / down
# A node's namespace on the Public network (and in the api mode the Cluster network); the client's too (NODE cl).
attach() {
  local n=$1 ns a nic
  if [ "$n" = cl ]; then ns=$NS_CL; else ns=$(nsn "$n"); fi
  ip netns add "$ns" || die "ip netns add $ns"
  echo "$ns" >>"$STATE/created-ns"
  ip -n "$ns" link set lo up
  if [ "$n" = cl ]; then a=$CLIENT_IP nic=eth0; else a=${IP[$n]} nic=$NIC; fi
  ip -n "$NS_BR" link add "p-$n" type veth peer name "$nic" netns "$ns" || die "veth $n"
  ip -n "$NS_BR" link set "p-$n" master br0 up
  ip -n "$ns" addr add "$a/25" dev "$nic"
  ip -n "$ns" link set "$nic" up
  [ "$MODE" = api ] || return 0
  if [ "$n" = cl ]; then a=$CLIENT_CIP nic=eth1; else a=${CIP[$n]} nic=$(cnic "$n"); fi
  ip -n "$NS_BR" link add "c-$n" type veth peer name "$nic" netns "$ns" || die "cluster veth $n"
  ip -n "$NS_BR" link set "c-$n" master br1 up
  ip -n "$ns" addr add "$a/25" dev "$nic"
  ip -n "$ns" link set "$nic" up
}

# Before anything is made (a failure here must not tear down a lab that is already up): NODES' namespaces are free.
precheck() {
  local ns b
  [ "$(id -u)" = 0 ] || die "needs root"
  for b in ip bridge keepalived haproxy curl node openssl setsid nft perl; do command -v "$b" >/dev/null || die "missing $b"; done
  [ -x "$TSX" ] || die "missing $TSX (npm install first)"
  for ns in "$NS_BR" "$NS_CL" "${@/#/$LAB-}"; do ns_exists "$ns" && die "namespace $ns exists: run '$0 down' first"; done
  [ -e "$STATE/pids" ] && die "$STATE/pids exists: run '$0 down' first"
}

# The bridges, the client, the rendered files (unless TVLAB_PREPARED), the TLS stand-ins' certificate, the ingest.
net_up() {
  local br k v
  mkdir -p "$STATE"/{pids,logs}
  chmod 0755 "$STATE"
  : >"$STATE/created-ns"
  echo "$MODE" >"$STATE/mode"
  ip netns add "$NS_BR" || die "ip netns add $NS_BR"
  echo "$NS_BR" >>"$STATE/created-ns"
  # br0: the Public network; br1 (api mode): the Cluster network
  for br in br0 $([ "$MODE" = api ] && echo br1); do
    ip -n "$NS_BR" link add "$br" type bridge stp_state 0 forward_delay 0
    ip -n "$NS_BR" link set "$br" up
  done
  attach cl
  if [ -z "${TVLAB_PREPARED:-}" ]; then
    (cd "$REPO" && "$TSX" "$HERE/prepare.ts") >"$STATE/logs/prepare.log" 2>&1 || die "prepare failed (see $STATE/logs/prepare.log)"
  fi
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=api.$LAB.test" \
    -keyout "$STATE/tls.key" -out "$STATE/tls.crt" >/dev/null 2>&1 || die openssl
  LABENV=()
  while IFS='=' read -r k v; do LABENV[$k]=$v; done <"$STATE/lab.env"
  if [ -n "${LABENV[INGEST_FORWARD]:-}" ]; then # the nodes report to a dashboard on the host's loopback
    spawn relay-host "" "$STATE/logs/relay-host.log" node "$HERE/relay.mjs" "unix:$STATE/ingest.sock" "${LABENV[INGEST_FORWARD]}"
    spawn relay-client "$NS_CL" "$STATE/logs/relay-client.log" node "$HERE/relay.mjs" "$CLIENT_IP:$INGEST_PORT" "unix:$STATE/ingest.sock"
    READY_PATH=/api/health
  else
    spawn ingest "$NS_CL" "$STATE/logs/ingest.log" env DATABASE_URL="${LABENV[DATABASE_URL]}" TRIPOD_SECRET_KEY="${LABENV[TRIPOD_SECRET_KEY]}" \
      sh -c 'cd "$0" && exec "$@"' "$REPO" "$TSX" "$HERE/ingest-server.ts" "$CLIENT_IP" "$INGEST_PORT"
    READY_PATH=/ready
  fi
  [ "$MODE" = api ] && echo ready >"$STATE/bootstrap-phase" # bootkube runs: every API answers /readyz
}
declare -A LABENV
READY_PATH=/ready

# A node's services before keepalived: the stand-ins, and on a master the rendered haproxy.
node_services() {
  local n=$1
  mkdir -p "$STATE/$n/tmp" "$STATE/$n/agent"
  ip netns exec "$(nsn "$n")" sh -c 'mount --bind "$1" /etc/keepalived && keepalived -t -f /etc/keepalived/keepalived.conf' \
    sh "$STATE/$n/root/etc/keepalived" >"$STATE/logs/keepalived-t-$n.log" 2>&1 || die "keepalived -t $n (see $STATE/logs/keepalived-t-$n.log)"
  if [ "$MODE" = api ]; then
    spawn "standin-$n" "$(nsn "$n")" "$STATE/logs/standin-$n.log" node "$HERE/standin.mjs" "$n" "$STATE/tls.crt" "$STATE/tls.key" --no-api
    start_api "$n"
    [ "$n" = bootstrap ] || start_haproxy "$n"
  else
    render_haproxy "$n" >"$STATE/$n/haproxy.cfg"
    spawn "standin-$n" "$(nsn "$n")" "$STATE/logs/standin-$n.log" node "$HERE/standin.mjs" "$n" "$STATE/tls.crt" "$STATE/tls.key"
    spawn "haproxy-$n" "$(nsn "$n")" "$STATE/logs/haproxy-$n.log" haproxy -db -f "$STATE/$n/haproxy.cfg"
  fi
}
node_serving() { # the node's API stand-in answers, and a master's haproxy
  local n=$1
  wait_until 30 ip netns exec "$(nsn "$n")" curl -ksf -m 0.5 -o /dev/null https://127.0.0.1:6443/readyz || die "API stand-in $n not serving"
  [ "$n" = bootstrap ] && return 0
  wait_until 15 ip netns exec "$(nsn "$n")" curl -ksf -m 0.5 -o /dev/null https://127.0.0.1:9445/readyz || die "haproxy $n not serving"
}
has_monitor() { [ "$MODE" = api ] && [ "$DESIGN" != old ] && [ "$1" != bootstrap ]; }
ingest_up() {
  wait_until 30 ip netns exec "$NS_CL" curl -sf -m 0.5 -o /dev/null "http://$CLIENT_IP:$INGEST_PORT$READY_PATH" || die "ingest not up (see $STATE/logs/)"
}

cmd_up() {
  local t0 n
  t0=$(date +%s.%N)
  precheck "${NODES[@]}"
  trap 'log "up failed: tearing down"; cmd_down' EXIT
  net_up
  for n in "${NODES[@]}"; do attach "$n"; done
  if [ "$DESIGN" = old ]; then # today's design before the redirect: the bootstrap keeps the VIP without a check
    perl -0pi -e 's/\n    track_script \{\n        chk_bootstrap_api\n    \}//g' "$STATE/bootstrap/root/etc/keepalived/keepalived.conf"
  fi
  for n in "${NODES[@]}"; do node_services "$n"; done
  for n in "${NODES[@]}"; do node_serving "$n"; done
  for n in "${NODES[@]}"; do has_monitor "$n" && start_monitor "$n"; done
  ingest_up
  for n in "${NODES[@]}"; do start_agent "$n"; done
  date +%s.%N >"$STATE/keepalived-start"
  for n in "${NODES[@]}"; do start_keepalived "$n"; done
  trap - EXIT
  log "up ($MODE mode, $DESIGN design) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s (keepalived started; cluster ${LABENV[CLUSTER_ID]})"
}

cmd_net_up() {
  precheck
  trap 'log "net-up failed: tearing down"; cmd_down' EXIT
  net_up
  ingest_up
  trap - EXIT
  log "networks up ($MODE mode; cluster ${LABENV[CLUSTER_ID]})"
}

cmd_node_up() { # NODE: its rendered tree is in $STATE/NODE/root
  local n=$1
  [ -d "$STATE/pids" ] || die "no lab: run net-up first"
  ns_exists "$(nsn "$n")" && die "namespace $(nsn "$n") exists: run '$0 node-down $n' first"
  trap 'log "node-up $n failed: removing it"; cmd_node_down "$n"' EXIT
  attach "$n"
  node_services "$n"
  node_serving "$n"
  has_monitor "$n" && start_monitor "$n"
  start_agent "$n"
  start_keepalived "$n"
  trap - EXIT
  log "node $n up"
}

NODE_SERVICES=(agent ka monitor haproxy api standin)
cmd_node_down() { # NODE: its processes (keepalived leaves gracefully), then its namespace
  local n=$1 s pid ns
  ns=$(nsn "$n")
  for s in "${NODE_SERVICES[@]}"; do stop_proc "$s-$n" TERM 3; done
  if ns_exists "$ns"; then
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -s KILL "$pid" 2>/dev/null; done
    ip netns del "$ns"
  fi
  log "node $n down"
}

cmd_status() {
  local name
  for name in $(ls "$STATE/pids" 2>/dev/null); do
    if alive "$name"; then echo "$name alive"; else echo "$name dead"; fi
  done
}

cmd_down() {
  local n name ns pid
  [ -d "$STATE" ] || return 0
  for n in "${NODES[@]}"; do stop_proc "agent-$n" TERM 2 & done
  for n in "${NODES[@]}"; do stop_proc "ka-$n" TERM 4 & done
  wait
  if [ -d "$STATE/pids" ]; then
    for name in $(ls "$STATE/pids"); do stop_proc "$name" TERM 3; done
  fi
  # anything still running inside our namespaces (children of what we started)
  if [ -f "$STATE/created-ns" ]; then
    while read -r ns; do
      ns_exists "$ns" || continue
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -s KILL "$pid" 2>/dev/null; done
    done <"$STATE/created-ns"
    sleep 0.2
    while read -r ns; do ns_exists "$ns" && ip netns del "$ns"; done <"$STATE/created-ns"
  fi
  # the logs outlive the lab (the last one of each prefix), for a failed test's post-mortem
  if [ -d "$STATE/logs" ]; then
    mkdir -p "$REPO/.tmp" && rm -rf "$REPO/.tmp/$LAB-logs" && cp -r "$STATE/logs" "$REPO/.tmp/$LAB-logs"
  fi
  rm -rf "$STATE"
  log "down"
}

# ---------------------------------------------------------------- fault injection and queries
cmd_kill_ka() { # NODE TERM|KILL
  local n=$1 sig=$2 child
  alive "ka-$n" || die "keepalived $n is not running"
  if [ "$sig" = KILL ]; then
    # the VRRP child gets SIGTERM when its parent dies (PR_SET_PDEATHSIG): kill it first for a real crash
    # (one kill(1) for both: between two calls the parent would already respawn the child)
    child=$(cat "$STATE/$n/vrrp.pid" 2>/dev/null)
    kill -s KILL $child "$(pid_of "ka-$n")"
  else
    kill -s TERM "$(pid_of "ka-$n")"
  fi
}
cmd_start_ka() { # NODE: once the previous keepalived has exited
  local n=$1 i
  for ((i = 0; i < 200; i++)); do
    alive "ka-$n" || break
    sleep 0.05
  done
  alive "ka-$n" && die "keepalived $n is still running"
  start_keepalived "$n"
}
holders() { # VIP -> nodes with it configured (on any NIC)
  local n out
  for n in "${NODES[@]}"; do
    out=$(ip -n "$(nsn "$n")" -4 -o addr show 2>/dev/null)
    [[ $out == *" $1/32 "* ]] && printf '%s ' "$n"
  done
  echo
}
cmd_stop() { # NODE api|haproxy|monitor: SIGKILL, as a crash (the monitor gets TERM: it is its stop)
  local sig=KILL
  [ "$2" = monitor ] && sig=TERM
  alive "$2-$1" || die "$2 on $1 is not running"
  stop_proc "$2-$1" "$sig" 5
}
cmd_start() { # NODE api|haproxy|monitor
  alive "$2-$1" && die "$2 on $1 is running"
  case "$2" in
    api) start_api "$1" ;;
    haproxy) start_haproxy "$1" ;;
    monitor) start_monitor "$1" ;;
    *) die "unknown service $2" ;;
  esac
}

CMD=${1:-}
shift || true
case "$CMD" in
  up) cmd_up ;;
  down) cmd_down ;;
  net-up) cmd_net_up ;;
  node-up) cmd_node_up "$1" ;;
  node-down) cmd_node_down "$1" ;;
  status) cmd_status ;;
  kill-ka) cmd_kill_ka "$1" "$2" ;;
  start-ka) cmd_start_ka "$1" ;;
  link) ip -n "$(nsn "$1")" link set "$NIC" "$2" ;;
  isolate) bridge -n "$NS_BR" link set dev "p-$1" state "$([ "$2" = on ] && echo 0 || echo 3)" ;;
  blackhole)
    if [ "$2" = on ]; then ip -n "$NS_CL" neigh replace "$1" lladdr 02:00:5e:00:53:99 dev eth0 nud permanent
    else ip -n "$NS_CL" neigh del "$1" dev eth0; fi
    ;;
  holders) holders "$1" ;;
  client) ip netns exec "$NS_CL" "$@" ;;
  node) n=$1 && shift && ip netns exec "$(nsn "$n")" "$@" ;;
  stop) cmd_stop "$1" "$2" ;;
  start) cmd_start "$1" "$2" ;;
  phase) echo "$1" >"$STATE/bootstrap-phase" ;;
  *)
    echo "usage: $0 up|down|net-up|node-up NODE|node-down NODE|status|kill-ka NODE TERM|KILL|start-ka NODE|link NODE up|down|isolate NODE on|off|blackhole VIP on|off|holders VIP|client CMD...|node NODE CMD...|stop NODE SERVICE|start NODE SERVICE|phase PHASE" >&2
    exit 2
    ;;
esac
