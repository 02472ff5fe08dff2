# shellcheck shell=bash disable=SC2034  # the variables are used by the scripts that source this file
# env.sh — settings shared by up.sh, down.sh, smoke.sh and check-down.sh (sourced, never run).
#
# Everything the local cloud writes lives under ONE directory, $TRIPOD_CLOUD_STATE
# (default /var/tmp/tripod-cloud): etc/ (configs), data/ (databases, images, objects),
# log/, run/ (PID files, sockets), bin/ (console-script wrappers), py/ (our ML2 driver).
#
# Every daemon listens on 127.0.0.1 only. Ports (override with the env var on the left):
#   TRIPOD_CLOUD_PORT_KEYSTONE         5000   identity (uwsgi)
#   TRIPOD_CLOUD_PORT_NOVA             8774   compute API
#   TRIPOD_CLOUD_PORT_PLACEMENT        8778   placement (uwsgi)
#   TRIPOD_CLOUD_PORT_GLANCE           9292   image
#   TRIPOD_CLOUD_PORT_NEUTRON          9696   network
#   TRIPOD_CLOUD_PORT_SWIFT           18080   object-store proxy (8080 is too popular with dev servers)
#   TRIPOD_CLOUD_PORT_SWIFT_OBJECT     6200   swift object server
#   TRIPOD_CLOUD_PORT_SWIFT_CONTAINER  6201   swift container server
#   TRIPOD_CLOUD_PORT_SWIFT_ACCOUNT    6202   swift account server
#   TRIPOD_CLOUD_PORT_AMQP             5672   RabbitMQ
#   TRIPOD_CLOUD_PORT_AMQP_DIST       25672   RabbitMQ's Erlang distribution port
#   TRIPOD_CLOUD_PORT_EPMD             4369   Erlang port mapper
# MariaDB listens on a unix socket only.
#
# Other knobs: TRIPOD_CLOUD_COMPUTE_HOSTS (fake nova-compute hosts, default 2),
# TRIPOD_CLOUD_ADMIN_PASSWORD, TRIPOD_CLOUD_DEMO_PASSWORD, TRIPOD_CLOUD_SERVICE_PASSWORD,
# TRIPOD_CLOUD_RESEED=1 (up.sh re-runs the seeds even when the cloud was already up and seeded).

STATE=${TRIPOD_CLOUD_STATE:-/var/tmp/tripod-cloud}
# Debian's python and tools first: these machines may put pyenv shims ahead of /usr/bin.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
PY=/usr/bin/python3
HOST=127.0.0.1
REGION=RegionOne

PORT_KEYSTONE=${TRIPOD_CLOUD_PORT_KEYSTONE:-5000}
PORT_NOVA=${TRIPOD_CLOUD_PORT_NOVA:-8774}
PORT_PLACEMENT=${TRIPOD_CLOUD_PORT_PLACEMENT:-8778}
PORT_GLANCE=${TRIPOD_CLOUD_PORT_GLANCE:-9292}
PORT_NEUTRON=${TRIPOD_CLOUD_PORT_NEUTRON:-9696}
PORT_SWIFT=${TRIPOD_CLOUD_PORT_SWIFT:-18080}
PORT_SWIFT_OBJECT=${TRIPOD_CLOUD_PORT_SWIFT_OBJECT:-6200}
PORT_SWIFT_CONTAINER=${TRIPOD_CLOUD_PORT_SWIFT_CONTAINER:-6201}
PORT_SWIFT_ACCOUNT=${TRIPOD_CLOUD_PORT_SWIFT_ACCOUNT:-6202}
PORT_AMQP=${TRIPOD_CLOUD_PORT_AMQP:-5672}
PORT_AMQP_DIST=${TRIPOD_CLOUD_PORT_AMQP_DIST:-25672}
PORT_EPMD=${TRIPOD_CLOUD_PORT_EPMD:-4369}

KEYSTONE_URL="http://$HOST:$PORT_KEYSTONE/v3"
ADMIN_PASSWORD=${TRIPOD_CLOUD_ADMIN_PASSWORD:-tripod-admin-pass}
DEMO_PASSWORD=${TRIPOD_CLOUD_DEMO_PASSWORD:-tripod-demo-pass}
SERVICE_PASSWORD=${TRIPOD_CLOUD_SERVICE_PASSWORD:-tripod-service-pass}
COMPUTE_HOSTS=${TRIPOD_CLOUD_COMPUTE_HOSTS:-2}

# Daemons in the order down.sh stops them (OpenStack services first, then their backing stores).
# nova-compute-N is appended per compute host.
SERVICES_API="nova-api nova-scheduler nova-conductor neutron-server glance-api placement
swift-proxy swift-object swift-container swift-account keystone"
SERVICES_INFRA="rsyslog rabbitmq epmd mariadb"

# Every session ever started by up.sh is appended here ("name pid"); check-down.sh reads it.
SESSIONS_LOG=$STATE/run/sessions.log

# up.sh exports this before it starts anything, so every process of the cloud (descendants included)
# carries it in /proc/PID/environ: how check-down.sh tells the cloud's processes from all others.
CLOUD_MARK="TRIPOD_CLOUD_MEMBER=$STATE/"

pid_of() { cat "$STATE/run/$1.pid" 2>/dev/null; }
# is_ours PID — alive and one of this cloud's daemons (its command line or environment names $STATE/),
# not an unrelated process that was given a recorded PID after the daemon died.
is_ours() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && grep -qaF -- "$STATE/" "/proc/$1/cmdline" "/proc/$1/environ" 2>/dev/null; }
alive() { is_ours "$(pid_of "$1")"; }
# Seconds since a start mark taken with `mark=$EPOCHREALTIME`.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}'; }
compute_host_names() { local i; for i in $(seq 1 "$COMPUTE_HOSTS"); do echo "tripod-compute-$i"; done; }
