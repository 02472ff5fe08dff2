#!/bin/bash
# up.sh — bring up the local OpenStack cloud that Tripod's integration tests and demo run against.
#
# Real OpenStack Zed from Debian bookworm packages: Keystone, Nova (fake virt driver, N fake
# compute hosts), Neutron (ML2 with an agentless mechanism driver), Glance, Placement and Swift,
# on MariaDB and RabbitMQ. No systemd, no pip, no downloads beyond apt: every daemon is started
# here, in its own session, with its PID in $TRIPOD_CLOUD_STATE/run/<name>.pid.
#
# Idempotent: packages already installed are skipped, databases are synced once, running daemons
# are left alone, seeds are get-or-create. Re-running while the cloud is up only re-checks it.
#
# Writes, under $TRIPOD_CLOUD_STATE (default /var/tmp/tripod-cloud):
#   clouds.yaml   clouds `tripod-demo` (member of project demo in domain tripod) and `tripod-admin`
#   seed.json     what was seeded (auth URL, domain, project, users, networks, flavor, image, quotas…)
# Nothing is written outside it (except the apt packages).
#
# Ports and other knobs: see env.sh (TRIPOD_CLOUD_PORT_KEYSTONE=5000 … TRIPOD_CLOUD_PORT_EPMD=4369).
# Usage: bash test/cloud/up.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=env.sh
source "$HERE/env.sh"

T0=$EPOCHREALTIME
PHASE_MARK=$T0
PHASE_NAME=""
# phase NAME: close the previous phase (printing its duration) and open the next one.
phase() {
  if [ -n "$PHASE_NAME" ]; then
    printf '[%6ss] %-28s %6ss\n' "$(since "$T0")" "$PHASE_NAME" "$(since "$PHASE_MARK")"
  fi
  PHASE_NAME=$1 PHASE_MARK=$EPOCHREALTIME
}
die() { echo "up.sh: $*" >&2; exit 1; }

mkdir -p "$STATE"/{etc,log,run,bin,data,py}
chmod 755 "$STATE"
export "${CLOUD_MARK?}"  # inherited by every daemon (see env.sh)

##############################################################################
phase "apt packages"
# Only the python3-* library packages: the service packages (keystone, nova-common, swift, …) bring
# dbconfig-common and postinst logic that expects systemd. rsyslog takes Swift's logs; curl, jq and
# openssl are for smoke.sh.
PACKAGES="mariadb-server rabbitmq-server python3-pymysql uwsgi-core uwsgi-plugin-python3
python3-keystone python3-glance python3-placement python3-nova python3-neutron python3-swift
rsyslog curl jq openssl"
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PACKAGES 2> /dev/null | awk '$2 == "installed" { print $1 }' || true)
missing=""
for p in $PACKAGES; do grep -qx "$p" <<< "$installed" || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-q -y --no-install-recommends -o DPkg::Lock::Timeout=600
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # No postinst may start a daemon: there is no init system, and we start everything ourselves.
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added_policy=1
  fi
  apt_update() {
    flock /tmp/tripod-apt.lock apt-get -q -o DPkg::Lock::Timeout=600 update > "$STATE/log/apt-update.log" 2>&1 ||
      { tail -20 "$STATE/log/apt-update.log"; die "apt-get update failed"; }
  }
  # shellcheck disable=SC2086
  apt_install() { flock /tmp/tripod-apt.lock apt-get install "${apt_opts[@]}" $missing > "$STATE/log/apt.log" 2>&1; }
  # A fresh CI machine may never have run apt-get update; stale lists name versions the mirror dropped.
  # shellcheck disable=SC2086
  apt-cache show $missing > /dev/null 2>&1 || apt_update
  apt_install || { apt_update; apt_install; } || { tail -30 "$STATE/log/apt.log"; die "apt-get install failed"; }
  [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
fi

##############################################################################
phase "configuration"
# start NAME CMD… — run detached in its own session (so down.sh can also reap its children),
# output to log/NAME.out, PID to run/NAME.pid; a daemon that is already alive is left alone.
start() {
  local name=$1; shift
  alive "$name" && return 0
  setsid "$@" > "$STATE/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$STATE/run/$name.pid"
  echo "$name $!" >> "$SESSIONS_LOG"
  STARTED="$STARTED $name"
  # Until the child has exec'd, its /proc environ is not yet the cloud's (and is_ours says no).
  for _ in $(seq 1 200); do is_ours $! && break; sleep 0.01; done
}
STARTED=""  # what this run had to start: when empty, the seeds are already in place
# wait_http NAME URL [SECONDS] — until URL answers at all (any HTTP status), or NAME dies.
wait_http() {
  local name=$1 url=$2 deadline=$((SECONDS + ${3:-180}))
  until curl -s -o /dev/null -m 2 "$url"; do
    alive "$name" || { tail -30 "$STATE/log/$name.out" "$STATE/log/$name.log" 2>/dev/null; die "$name died"; }
    [ $SECONDS -lt "$deadline" ] || { tail -30 "$STATE/log/$name.log" 2>/dev/null; die "$name: no answer from $url"; }
    sleep 0.25
  done
}
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# A fresh start (nothing of ours alive) begins a new sessions log for check-down.sh.
any_alive=""
for n in $SERVICES_API $SERVICES_INFRA; do alive "$n" && any_alive=1; done
[ -z "$any_alive" ] && : > "$SESSIONS_LOG"

# shellcheck source=configure.sh
source "$HERE/configure.sh"

##############################################################################
phase "mariadb"
mysql_root() { mariadb --defaults-file="$STATE/etc/my.cnf" -uroot "$@"; }
if [ ! -d "$STATE/data/mysql/mysql" ]; then
  mariadb-install-db --defaults-file="$STATE/etc/my.cnf" --auth-root-authentication-method=socket \
    --skip-test-db > "$STATE/log/mariadb-install.log" 2>&1 || { tail "$STATE/log/mariadb-install.log"; die "mariadb-install-db"; }
fi
start mariadb /usr/sbin/mariadbd --defaults-file="$STATE/etc/my.cnf"
for _ in $(seq 1 240); do mysql_root -e 'select 1' > /dev/null 2>&1 && break; sleep 0.25; done
mysql_root -e 'select 1' > /dev/null || { tail "$STATE/log/mariadb.log"; die "mariadb does not answer"; }
{
  for db in keystone glance placement nova_api nova nova_cell0 neutron; do echo "CREATE DATABASE IF NOT EXISTS $db;"; done
  echo "CREATE USER IF NOT EXISTS 'openstack'@'localhost' IDENTIFIED BY '$DB_PASSWORD';"
  echo "GRANT ALL PRIVILEGES ON *.* TO 'openstack'@'localhost';"
} | mysql_root

# RabbitMQ boots (~10 s) while the schemas sync.
(
  export_rabbit_env
  # Our own epmd, bound to 127.0.0.1; if one already answers on the port, RabbitMQ uses that one.
  if ! alive epmd && ! port_open "$PORT_EPMD"; then start epmd /usr/bin/epmd -address "$HOST" -port "$PORT_EPMD"; sleep 0.3; fi
  start rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
)
# Swift logs only to syslog (else UDP from a 0.0.0.0 socket): a private rsyslogd on a unix socket.
start rsyslog /usr/sbin/rsyslogd -n -f "$STATE/etc/rsyslog.conf" -i "$STATE/run/rsyslogd.own.pid"

##############################################################################
phase "database schemas"
# timed NAME CMD… — run with output to log/NAME.log and its duration in log/db-timing.log.
timed() {
  local name=$1 mark=$EPOCHREALTIME rc=0; shift
  "$@" > "$STATE/log/$name.log" 2>&1 || rc=$?
  echo "$name rc=$rc $(since "$mark")s" >> "$STATE/log/db-timing.log"
  return $rc
}
KEYSTONE_MANAGE="keystone-manage --config-file $STATE/etc/keystone/keystone.conf"
keystone_schema() {
  $KEYSTONE_MANAGE db_sync &&
  $KEYSTONE_MANAGE fernet_setup --keystone-user root --keystone-group root &&
  $KEYSTONE_MANAGE credential_setup --keystone-user root --keystone-group root &&
  $KEYSTONE_MANAGE bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-region-id "$REGION" \
    --bootstrap-admin-url "$KEYSTONE_URL/" --bootstrap-internal-url "$KEYSTONE_URL/" --bootstrap-public-url "$KEYSTONE_URL/"
}
NOVA_CONF=(--config-file "$STATE/etc/nova/nova.conf")
nova_manage() { "$STATE/bin/nova-manage" "${NOVA_CONF[@]}" "$@"; }
nova_schema() {
  nova_manage api_db sync &&
  nova_manage cell_v2 map_cell0 --database_connection "$(db_url nova_cell0)" &&
  { nova_manage cell_v2 list_cells | grep -q ' cell1 ' || nova_manage cell_v2 create_cell --name cell1; } &&
  nova_manage db sync
}
if [ ! -f "$STATE/run/schemas.done" ]; then
  pids=()
  timed keystone-manage keystone_schema & pids+=($!)
  timed placement-manage placement-manage --config-file "$STATE/etc/placement/placement.conf" db sync & pids+=($!)
  timed glance-manage "$STATE/bin/glance-manage" --config-file "$STATE/etc/glance/glance-api.conf" db_sync & pids+=($!)
  timed neutron-db-manage "$STATE/bin/neutron-db-manage" --config-file "$STATE/etc/neutron/neutron.conf" upgrade heads & pids+=($!)
  timed nova-manage nova_schema & pids+=($!)
  for p in "${pids[@]}"; do
    wait "$p" || { cat "$STATE/log/db-timing.log"; tail -n 15 "$STATE"/log/*-manage.log; die "a schema sync failed"; }
  done
  touch "$STATE/run/schemas.done"
fi

##############################################################################
phase "keystone"
# No --procname-*: retitling a process overwrites its /proc cmdline and environ, which is_ours reads.
UWSGI_COMMON=(--plugins python3 --master --die-on-term --lazy-apps --enable-threads --need-app --buffer-size 65535
  # uwsgi's --http-socket closes idle keep-alive sockets under the client's feet: tell clients.
  --add-header "Connection: close")
# One process so that Keystone's in-memory cache stays coherent; threads for concurrency.
start keystone uwsgi "${UWSGI_COMMON[@]}" --http-socket "$HOST:$PORT_KEYSTONE" --processes 1 --threads 8 \
  --wsgi-file /usr/bin/keystone-wsgi-public --env "OS_KEYSTONE_CONFIG_FILES=$STATE/etc/keystone/keystone.conf"
wait_http keystone "$KEYSTONE_URL"
export TRIPOD_CLOUD_STATE=$STATE KEYSTONE_URL REGION HOST ADMIN_PASSWORD DEMO_PASSWORD SERVICE_PASSWORD \
  PORT_NOVA PORT_PLACEMENT PORT_GLANCE PORT_NEUTRON PORT_SWIFT
if [[ " $STARTED " == *" keystone "* ]]; then
  "$PY" "$HERE/seed.py" catalog > "$STATE/log/seed-catalog.log" 2>&1 || { cat "$STATE/log/seed-catalog.log"; die "keystone catalog"; }
fi

##############################################################################
phase "services"
until port_open "$PORT_AMQP"; do
  alive rabbitmq || { tail -30 "$STATE/log/rabbitmq.out"; die "rabbitmq died"; }
  sleep 0.25
done
start placement uwsgi "${UWSGI_COMMON[@]}" --http-socket "$HOST:$PORT_PLACEMENT" --processes 1 --threads 4 \
  --wsgi-file /usr/bin/placement-api --env "OS_PLACEMENT_CONFIG_DIR=$STATE/etc/placement"
start glance-api "$STATE/bin/glance-api" --config-file "$STATE/etc/glance/glance-api.conf"
start neutron-server env PYTHONPATH="$STATE/py" "$STATE/bin/neutron-server" --config-file "$STATE/etc/neutron/neutron.conf"
for s in account container object proxy; do
  start "swift-$s" "$STATE/bin/swift-$s-server" "$STATE/etc/swift/$s-server.conf"
done
for s in api conductor scheduler; do
  start "nova-$s" "$STATE/bin/nova-$s" "${NOVA_CONF[@]}" --log-file "$STATE/log/nova-$s.log"
done
for h in $(compute_host_names); do
  start "nova-$h" "$STATE/bin/nova-compute" "${NOVA_CONF[@]}" --config-file "$STATE/etc/nova/$h.conf" --log-file "$STATE/log/nova-$h.log"
done
wait_http placement "http://$HOST:$PORT_PLACEMENT/"
wait_http glance-api "http://$HOST:$PORT_GLANCE/"
wait_http swift-proxy "http://$HOST:$PORT_SWIFT/healthcheck"
wait_http neutron-server "http://$HOST:$PORT_NEUTRON/"
wait_http nova-api "http://$HOST:$PORT_NOVA/"

##############################################################################
phase "compute hosts"
# A nova-compute registers itself after start-up; it takes jobs only once mapped into cell1.
all_mapped() {
  local listed h
  listed=$(nova_manage cell_v2 list_hosts 2> /dev/null) || return 1
  for h in $(compute_host_names); do [[ "$listed" == *" $h "* ]] || return 1; done
}
# Host mappings live in the database: once all are recorded, a re-run need not ask nova-manage.
mapped_marker=$STATE/run/hosts-mapped
[ "$(cat "$mapped_marker" 2> /dev/null)" = "$(compute_host_names)" ] || rm -f "$mapped_marker"
deadline=$((SECONDS + 240))
until [ -f "$mapped_marker" ] || all_mapped; do
  for h in $(compute_host_names); do
    alive "nova-$h" || { tail -30 "$STATE/log/nova-$h.log"; die "nova-$h died"; }
  done
  [ $SECONDS -lt "$deadline" ] || die "compute hosts never registered"
  nova_manage cell_v2 discover_hosts > /dev/null 2>&1 || true
  sleep 1
done
compute_host_names > "$mapped_marker"

##############################################################################
phase "tenant seeds"
# Seeds are get-or-create; they are skipped only when the whole cloud was already up and seeded.
if [ -n "$STARTED" ] || [ ! -f "$STATE/seed.json" ] || [ -n "${TRIPOD_CLOUD_RESEED:-}" ]; then
  "$PY" "$HERE/seed.py" tenant > "$STATE/log/seed-tenant.log" 2>&1 || { cat "$STATE/log/seed-tenant.log"; die "tenant seeds"; }
fi
phase ""
echo "cloud up in $(since "$T0")s: $STATE/clouds.yaml (tripod-demo, tripod-admin), $STATE/seed.json"
