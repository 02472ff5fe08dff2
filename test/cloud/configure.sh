# shellcheck shell=bash
# configure.sh — writes every config file and console-script wrapper of the local cloud under
# $STATE. Sourced by up.sh after env.sh; cheap, so it rewrites everything on each run (daemons
# that are already running keep the config they started with).

DB_PASSWORD=tripod-db-pass
db_url() { echo "mysql+pymysql://openstack:$DB_PASSWORD@localhost/$1?unix_socket=$STATE/run/mysql/mysqld.sock&charset=utf8"; }
TRANSPORT_URL="rabbit://guest:guest@$HOST:$PORT_AMQP/"

##############################################################################
# Console scripts. The python3-* packages carry the code but not the entry points (those are in
# the systemd-minded service packages we skip), so each gets a wrapper from its egg-info entry.
##############################################################################
make_wrapper() {  # make_wrapper NAME module:function
  local module=${2%%:*} func=${2##*:}
  printf '#!%s\nimport sys\nfrom %s import %s\nsys.argv[0] = "%s"\nsys.exit(%s())\n' \
    "$PY" "$module" "$func" "$1" "$func" > "$STATE/bin/$1"
  chmod +x "$STATE/bin/$1"
}
make_wrapper nova-api nova.cmd.api:main
make_wrapper nova-conductor nova.cmd.conductor:main
make_wrapper nova-scheduler nova.cmd.scheduler:main
make_wrapper nova-compute nova.cmd.compute:main
make_wrapper nova-manage nova.cmd.manage:main
make_wrapper neutron-server neutron.cmd.eventlet.server:main
make_wrapper neutron-db-manage neutron.db.migration.cli:main
make_wrapper glance-api glance.cmd.api:main
make_wrapper glance-manage glance.cmd.manage:main
for s in proxy account container object; do
  # The object server also needs the global_conf_callback that /usr/bin/swift-object-server passes.
  callback_import="" callback_arg=""
  if [ $s = object ]; then
    callback_import="from swift.obj.server import global_conf_callback"
    callback_arg=", global_conf_callback=global_conf_callback"
  fi
  cat > "$STATE/bin/swift-$s-server" <<EOF
#!$PY
import sys
import swift.common.utils as utils
# Our swift.conf (hash prefix/suffix, policies) instead of /etc/swift/swift.conf, which utils reads
# on import when it exists (the Debian swift package ships one) and run_wsgi never revisits.
utils.set_swift_dir("$STATE/etc/swift")
from swift.common.wsgi import run_wsgi
$callback_import
conf_file, options = utils.parse_options()
sys.exit(run_wsgi(conf_file, '$s-server'$callback_arg, **options))
EOF
  chmod +x "$STATE/bin/swift-$s-server"
done

##############################################################################
# MariaDB: unix socket only; no fsync (throw-away data; the schema syncs create ~500 tables).
##############################################################################
mkdir -p "$STATE/run/mysql" "$STATE/data/mysql"
chown mysql:mysql "$STATE/run/mysql" "$STATE/data/mysql"
cat > "$STATE/etc/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$STATE/data/mysql
socket=$STATE/run/mysql/mysqld.sock
pid-file=$STATE/run/mysql/mysqld.pid
skip-networking
skip-name-resolve
log-error=$STATE/log/mariadb.log
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_flush_log_at_trx_commit=0
innodb_flush_method=nosync
innodb_doublewrite=0
sync_binlog=0
performance_schema=OFF
max_connections=1000
character-set-server=utf8
collation-server=utf8_general_ci
[client]
socket=$STATE/run/mysql/mysqld.sock
EOF

##############################################################################
# RabbitMQ: AMQP, Erlang distribution and epmd all on 127.0.0.1; runs as root with its own HOME.
##############################################################################
mkdir -p "$STATE/data/rabbitmq" "$STATE/etc/rabbitmq"
if [ ! -f "$STATE/data/rabbitmq/.erlang.cookie" ]; then
  head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$STATE/data/rabbitmq/.erlang.cookie"
  chmod 400 "$STATE/data/rabbitmq/.erlang.cookie"
fi
echo '[].' > "$STATE/etc/rabbitmq/enabled_plugins"
cat > "$STATE/etc/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.default = $HOST:$PORT_AMQP
loopback_users.guest = true
vm_memory_high_watermark.absolute = 512MB
disk_free_limit.absolute = 50MB
EOF
export_rabbit_env() {
  export HOME=$STATE/data/rabbitmq RABBITMQ_NODENAME=tripod$PORT_AMQP@localhost RABBITMQ_NODE_IP_ADDRESS=$HOST \
    RABBITMQ_NODE_PORT=$PORT_AMQP RABBITMQ_DIST_PORT=$PORT_AMQP_DIST ERL_EPMD_ADDRESS=$HOST ERL_EPMD_PORT=$PORT_EPMD \
    RABBITMQ_MNESIA_BASE=$STATE/data/rabbitmq/mnesia RABBITMQ_LOG_BASE=$STATE/log/rabbitmq \
    RABBITMQ_CONFIG_FILE=$STATE/etc/rabbitmq/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$STATE/etc/rabbitmq/enabled_plugins \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

##############################################################################
# Keystone: fernet tokens, in-memory cache (without it each request took ~1 s on a busy box),
# cheap password hashing (a throw-away cloud).
##############################################################################
mkdir -p "$STATE/etc/keystone/fernet-keys" "$STATE/etc/keystone/credential-keys"
cat > "$STATE/etc/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $STATE/log/keystone.log
[database]
connection = $(db_url keystone)
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = $STATE/etc/keystone/fernet-keys
[fernet_receipts]
key_repository = $STATE/etc/keystone/fernet-keys
[credential]
key_repository = $STATE/etc/keystone/credential-keys
[identity]
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memory
EOF

# Sections shared by the services that validate tokens or call other services.
keystone_authtoken() {  # keystone_authtoken SERVICE_USER
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
service_token_roles_required = true
EOF
}
service_auth() {  # service_auth SECTION SERVICE_USER
  cat <<EOF
[$1]
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $SERVICE_PASSWORD
region_name = $REGION
EOF
}

oslo_common() {  # oslo_common SERVICE — its lock directory, and no notifications (nobody listens)
  cat <<EOF
[oslo_concurrency]
lock_path = $STATE/data/$1/lock
[oslo_messaging_notifications]
driver = noop
EOF
}

##############################################################################
# Placement
##############################################################################
mkdir -p "$STATE/etc/placement"
{ cat <<EOF
[DEFAULT]
log_file = $STATE/log/placement.log
[placement_database]
connection = $(db_url placement)
[api]
auth_strategy = keystone
EOF
keystone_authtoken placement; } > "$STATE/etc/placement/placement.conf"

##############################################################################
# Glance: file store under data/glance.
##############################################################################
mkdir -p "$STATE/etc/glance" "$STATE/data/glance"/{images,staging,tasks,lock}
{ cat <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = $PORT_GLANCE
workers = 0
log_file = $STATE/log/glance-api.log
enabled_backends = fs:file
image_cache_dir = $STATE/data/glance/cache
[database]
connection = $(db_url glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/data/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $STATE/data/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/data/glance/tasks
[paste_deploy]
flavor = keystone
config_file = $STATE/etc/glance/glance-api-paste.ini
EOF
keystone_authtoken glance; oslo_common glance; } > "$STATE/etc/glance/glance-api.conf"
cp "$HERE/paste/glance-api-paste.ini" "$STATE/etc/glance/"

##############################################################################
# Neutron: ML2, vxlan tenant networks (no agent needed), no DHCP/L3 agents. Ports are bound by
# our agentless mechanism driver (tripod_agentless.py), registered as a stevedore entry point
# through a tiny dist-info on neutron-server's PYTHONPATH — nothing goes into dist-packages.
##############################################################################
mkdir -p "$STATE/etc/neutron" "$STATE/data/neutron/lock" "$STATE/py/tripod_agentless-1.0.dist-info"
cp "$HERE/neutron/tripod_agentless.py" "$STATE/py/"
printf 'Metadata-Version: 2.1\nName: tripod-agentless\nVersion: 1.0\n' > "$STATE/py/tripod_agentless-1.0.dist-info/METADATA"
printf '[neutron.ml2.mechanism_drivers]\ntripod_agentless = tripod_agentless:AgentlessMechanismDriver\n' \
  > "$STATE/py/tripod_agentless-1.0.dist-info/entry_points.txt"
{ cat <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = $PORT_NEUTRON
core_plugin = ml2
service_plugins = segments
auth_strategy = keystone
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 0
transport_url = $TRANSPORT_URL
state_path = $STATE/data/neutron
log_file = $STATE/log/neutron-server.log
api_paste_config = $STATE/etc/neutron/api-paste.ini
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
dhcp_agent_notification = false
allow_overlapping_ips = true
[database]
connection = $(db_url neutron)
[agent]
root_helper = true
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = tripod_agentless
extension_drivers = port_security
[ml2_type_vxlan]
vni_ranges = 1:10000
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[securitygroup]
enable_security_group = true
firewall_driver = noop
EOF
keystone_authtoken neutron; service_auth nova nova; oslo_common neutron; } > "$STATE/etc/neutron/neutron.conf"
cp "$HERE/paste/neutron-api-paste.ini" "$STATE/etc/neutron/api-paste.ini"

##############################################################################
# Nova: fake virt driver, cells v2 (cell0 + cell1), one worker each; VIF plugging is not awaited
# (no agent would ever report it). Each fake compute host overrides only `host`.
##############################################################################
mkdir -p "$STATE/etc/nova" "$STATE/data/nova/instances" "$STATE/data/nova/lock"
{ cat <<EOF
[DEFAULT]
host = tripod-control
my_ip = $HOST
compute_driver = fake.FakeDriver
transport_url = $TRANSPORT_URL
state_path = $STATE/data/nova
instances_path = $STATE/data/nova/instances
enabled_apis = osapi_compute
osapi_compute_listen = $HOST
osapi_compute_listen_port = $PORT_NOVA
osapi_compute_workers = 1
metadata_listen = $HOST
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
heal_instance_info_cache_interval = -1
update_resources_interval = 30
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $STATE/etc/nova/api-paste.ini
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 5
[filter_scheduler]
enabled_filters = ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter
[notifications]
notification_format = unversioned
[glance]
region_name = $REGION
[cinder]
os_region_name = $REGION
EOF
keystone_authtoken nova; service_auth placement nova; service_auth neutron nova; oslo_common nova; } > "$STATE/etc/nova/nova.conf"
cp "$HERE/paste/nova-api-paste.ini" "$STATE/etc/nova/api-paste.ini"
for h in $(compute_host_names); do printf '[DEFAULT]\nhost = %s\n' "$h" > "$STATE/etc/nova/$h.conf"; done

##############################################################################
# Swift: one replica on a directory "device", keystoneauth + tempurl in the proxy pipeline.
##############################################################################
cat > "$STATE/etc/rsyslog.conf" <<EOF
global(workDirectory="$STATE/run")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$STATE/run/log.sock" CreatePath="on")
*.* action(type="omfile" file="$STATE/log/swift.log")
EOF
mkdir -p "$STATE/etc/swift" "$STATE/data/swift/node/d1" "$STATE/data/swift/cache"
cat > "$STATE/etc/swift/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = tripod-suffix
swift_hash_path_prefix = tripod-prefix
[storage-policy:0]
name = Policy-0
default = yes
EOF
stale_rings=""
for entry in account:$PORT_SWIFT_ACCOUNT container:$PORT_SWIFT_CONTAINER object:$PORT_SWIFT_OBJECT; do
  kind=${entry%%:*} port=${entry##*:}
  cat > "$STATE/etc/swift/$kind-server.conf" <<EOF
[DEFAULT]
bind_ip = $HOST
bind_port = $port
workers = 0
devices = $STATE/data/swift/node
mount_check = false
disable_fallocate = true
swift_dir = $STATE/etc/swift
log_name = swift-$kind
log_address = $STATE/run/log.sock
recon_cache_path = $STATE/data/swift/cache
[pipeline:main]
pipeline = healthcheck recon $kind-server
[app:$kind-server]
use = egg:swift#$kind
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:recon]
use = egg:swift#recon
[$kind-replicator]
[$kind-auditor]
[$kind-updater]
EOF
  # A ring records its device's port: rebuild it when the port moved.
  if [ "$(cat "$STATE/etc/swift/$kind.ring.port" 2> /dev/null)" != "$port" ]; then stale_rings="$stale_rings $kind:$port"; fi
done
# One device, one replica, 2^8 partitions; built in one Python process (swift-ring-builder would take 9).
if [ -n "$stale_rings" ]; then
  # shellcheck disable=SC2086
  "$PY" - "$STATE/etc/swift" "$HOST" $stale_rings <<'EOF' || { echo "swift rings not built" >&2; exit 1; }
import os
import sys
from swift.common.ring import RingBuilder

swift_dir, host = sys.argv[1], sys.argv[2]
for entry in sys.argv[3:]:
    kind, port = entry.split(':')
    builder = RingBuilder(8, 1, 1)
    builder.add_dev({'region': 1, 'zone': 1, 'ip': host, 'port': int(port), 'replication_ip': host,
                     'replication_port': int(port), 'device': 'd1', 'weight': 1, 'meta': ''})
    builder.rebalance()
    builder.save(os.path.join(swift_dir, kind + '.builder'))
    builder.get_ring().save(os.path.join(swift_dir, kind + '.ring.gz'))
    with open(os.path.join(swift_dir, kind + '.ring.port'), 'w') as f:
        f.write(port + '\n')
EOF
fi
cat > "$STATE/etc/swift/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = $HOST
bind_port = $PORT_SWIFT
workers = 0
swift_dir = $STATE/etc/swift
log_name = swift-proxy
log_address = $STATE/run/log.sock
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats bulk tempurl formpost authtoken keystoneauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = swift
password = $SERVICE_PASSWORD
delay_auth_decision = True
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
EOF
# The other middlewares of the pipeline need nothing but their egg entry point.
for filter in catch_errors gatekeeper healthcheck proxy-logging:proxy_logging listing_formats bulk tempurl formpost \
  copy container-quotas:container_quotas account-quotas:account_quotas slo dlo versioned_writes symlink; do
  printf '[filter:%s]\nuse = egg:swift#%s\n' "${filter%%:*}" "${filter##*:}"
done >> "$STATE/etc/swift/proxy-server.conf"
