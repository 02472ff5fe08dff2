#!/usr/bin/python3
"""Keystone catalog and tenant seeds of Tripod's local cloud, in one Python process each
(the `openstack` CLI would need ~60 calls at ~2 s of start-up each). Every step is
get-or-create, so running it again repairs what is missing and changes nothing else.

  seed.py catalog   service project/users, services and endpoints (needs Keystone only)
  seed.py tenant    domain `tripod`, project `demo` + member user, project `smoke` + user,
                    flavor, image, 4 networks, quotas, Swift temp-URL key; then writes
                    $TRIPOD_CLOUD_STATE/clouds.yaml and $TRIPOD_CLOUD_STATE/seed.json

Settings come from the environment that up.sh exports (see env.sh).
"""
import ipaddress
import json
import os
import secrets
import sys

import yaml
from keystoneauth1 import session
from keystoneauth1.identity import v3

ENV = os.environ
STATE = ENV['TRIPOD_CLOUD_STATE']
KEYSTONE = ENV['KEYSTONE_URL']
HOST = ENV['HOST']
REGION = ENV['REGION']

DOMAIN = 'tripod'
DEMO_PROJECT = 'demo'
DEMO_USER = 'demo'
# The smoke cycle runs in its own project, so that it never eats the demo quotas that
# the preflight tests depend on, nor sees or leaves resources in `demo`.
SMOKE_PROJECT = 'smoke'
SMOKE_USER = 'smoke'
MEMBER_ROLES = ('member', 'reader')

SERVICES = [  # (user and service name, service type, public URL)
    ('glance', 'image', 'http://%s:%s' % (HOST, ENV['PORT_GLANCE'])),
    ('placement', 'placement', 'http://%s:%s' % (HOST, ENV['PORT_PLACEMENT'])),
    ('nova', 'compute', 'http://%s:%s/v2.1' % (HOST, ENV['PORT_NOVA'])),
    ('neutron', 'network', 'http://%s:%s' % (HOST, ENV['PORT_NEUTRON'])),
    ('swift', 'object-store',
     'http://%s:%s/v1/AUTH_%%(project_id)s' % (HOST, ENV['PORT_SWIFT'])),
]

# The node networks of a Tripod cluster, in NIC order. The 198.18.x addresses are data inside
# Neutron only: the fake virt driver sends no traffic.
NETWORKS = [  # (role, network name, CIDR, allocation pool or None for Neutron's default)
    ('outbound', 'tripod-outbound', '198.18.10.0/24', None),
    ('cluster', 'tripod-cluster', '198.18.20.0/24', None),
    ('management', 'tripod-management', '198.18.30.0/24', None),
    # .5 (API VIP) and .6 (Ingress VIP) stay outside the pool, so Neutron never hands them out.
    ('public', 'tripod-public', '198.18.40.0/24', ('198.18.40.10', '198.18.40.199')),
]
VIPS = {'api': '198.18.40.5', 'ingress': '198.18.40.6'}

# OpenShift's minimum for a control-plane node; the fake driver reports 1000 vCPUs,
# 800 GB RAM and 600 TB disk per host, so 2 hosts hold many of them.
FLAVOR = {'name': 'tripod.master', 'vcpus': 4, 'ram': 16384, 'disk': 100}
IMAGE = {'name': 'rhcos-standin', 'disk_format': 'raw', 'container_format': 'bare',
         'size': 1024 * 1024}

# One cluster = bootstrap + 3 masters (4 servers), 4 ports each + API and Ingress VIP ports
# (18 ports), 3 security groups with ~40 rules, 1 server group. The demo quotas hold one cluster
# (plus a little room for other tests) but not a second: instances, cores, RAM, ports and
# security groups all fall short of two clusters.
ONE_CLUSTER = {'servers': 4, 'cores': 4 * FLAVOR['vcpus'], 'ramMiB': 4 * FLAVOR['ram'],
               'ports': 18, 'securityGroups': 3, 'securityGroupRules': 40, 'serverGroups': 1}
DEMO_QUOTAS = {
    'compute': {'instances': 6, 'cores': 24, 'ram': 6 * FLAVOR['ram'],
                'server_groups': 2, 'server_group_members': 10, 'key_pairs': 10},
    # security_group counts the project's `default` group too.
    'network': {'network': 10, 'subnet': 10, 'port': 30,
                'security_group': 6, 'security_group_rule': 120},
}
SMOKE_QUOTAS = {
    'compute': {'instances': 20, 'cores': 80, 'ram': 20 * FLAVOR['ram'],
                'server_groups': 10, 'server_group_members': 20},
    'network': {'network': 20, 'subnet': 20, 'port': 100,
                'security_group': 20, 'security_group_rule': 300},
}


def password_session(user, password, project, domain):
    auth = v3.Password(auth_url=KEYSTONE, username=user, password=password,
                       user_domain_name=domain, project_name=project,
                       project_domain_name=domain)
    return session.Session(auth=auth)


ADMIN = password_session('admin', ENV['ADMIN_PASSWORD'], 'admin', 'Default')


def endpoint(service_type):
    return ADMIN.get_endpoint(service_type=service_type, interface='public',
                              region_name=REGION)


def get_json(sess, url, **params):
    return sess.get(url, params=params).json()


def post_json(sess, url, body):
    return sess.post(url, json=body).json()


def first(items):
    return items[0] if items else None


# ---------------------------------------------------------------- keystone


def ensure_role(name):
    return first(get_json(ADMIN, KEYSTONE + '/roles', name=name)['roles']) or \
        post_json(ADMIN, KEYSTONE + '/roles', {'role': {'name': name}})['role']


def ensure_domain(name):
    return first(get_json(ADMIN, KEYSTONE + '/domains', name=name)['domains']) or \
        post_json(ADMIN, KEYSTONE + '/domains',
                  {'domain': {'name': name, 'description': 'Tripod local test cloud'}})['domain']


def ensure_project(name, domain_id):
    return first(get_json(ADMIN, KEYSTONE + '/projects', name=name,
                          domain_id=domain_id)['projects']) or \
        post_json(ADMIN, KEYSTONE + '/projects',
                  {'project': {'name': name, 'domain_id': domain_id}})['project']


def ensure_user(name, password, domain_id, project, role_names):
    user = first(get_json(ADMIN, KEYSTONE + '/users', name=name,
                          domain_id=domain_id)['users']) or \
        post_json(ADMIN, KEYSTONE + '/users',
                  {'user': {'name': name, 'password': password, 'domain_id': domain_id,
                            'default_project_id': project['id']}})['user']
    for role_name in role_names:
        ADMIN.put('%s/projects/%s/users/%s/roles/%s' % (
            KEYSTONE, project['id'], user['id'], ensure_role(role_name)['id']))
    return user


def catalog():
    for role in ('admin', 'member', 'reader', 'service'):
        ensure_role(role)
    service_project = ensure_project('service', 'default')
    for name, _, _ in SERVICES:
        ensure_user(name, ENV['SERVICE_PASSWORD'], 'default', service_project,
                    ('admin', 'service'))
    for name, service_type, url in SERVICES:
        service = first(get_json(ADMIN, KEYSTONE + '/services', type=service_type)['services']) or \
            post_json(ADMIN, KEYSTONE + '/services',
                      {'service': {'name': name, 'type': service_type}})['service']
        existing = {e['interface']: e for e in get_json(
            ADMIN, KEYSTONE + '/endpoints', service_id=service['id'])['endpoints']}
        for interface in ('public', 'internal', 'admin'):
            if interface not in existing:
                post_json(ADMIN, KEYSTONE + '/endpoints', {'endpoint': {
                    'service_id': service['id'], 'interface': interface, 'url': url,
                    'region_id': REGION}})
            elif existing[interface]['url'] != url:  # a port was moved
                ADMIN.patch('%s/endpoints/%s' % (KEYSTONE, existing[interface]['id']),
                            json={'endpoint': {'url': url}})
    print('catalog: %d services' % len(SERVICES))


# ---------------------------------------------------------------- tenant


def ensure_flavor():
    nova = endpoint('compute')
    for flavor in get_json(ADMIN, nova + '/flavors/detail', is_public='None')['flavors']:
        if flavor['name'] == FLAVOR['name']:
            return flavor
    return post_json(ADMIN, nova + '/flavors', {'flavor': dict(FLAVOR, **{
        'os-flavor-access:is_public': True})})['flavor']


def ensure_image():
    glance = endpoint('image')
    for image in get_json(ADMIN, glance + '/v2/images', name=IMAGE['name'])['images']:
        if image['status'] == 'active':
            return image
        ADMIN.delete('%s/v2/images/%s' % (glance, image['id']))  # an interrupted upload
    image = post_json(ADMIN, glance + '/v2/images', {
        'name': IMAGE['name'], 'disk_format': IMAGE['disk_format'],
        'container_format': IMAGE['container_format'], 'visibility': 'public',
        'os_distro': 'rhcos'})
    ADMIN.put('%s/v2/images/%s/file' % (glance, image['id']), data=bytes(IMAGE['size']),
              headers={'Content-Type': 'application/octet-stream'})
    return get_json(ADMIN, '%s/v2/images/%s' % (glance, image['id']))


def ensure_network(sess, role, name, cidr, pool):
    neutron = endpoint('network') + '/v2.0'
    network = first(get_json(sess, neutron + '/networks', name=name)['networks']) or \
        post_json(sess, neutron + '/networks', {'network': {'name': name}})['network']
    subnet_name = name + '-subnet'
    gateway = str(ipaddress.ip_network(cidr).network_address + 1)
    subnet = first(get_json(sess, neutron + '/subnets', name=subnet_name,
                            network_id=network['id'])['subnets'])
    if subnet is None:
        body = {'name': subnet_name, 'network_id': network['id'], 'ip_version': 4,
                'cidr': cidr, 'gateway_ip': gateway, 'enable_dhcp': True}
        if pool:
            body['allocation_pools'] = [{'start': pool[0], 'end': pool[1]}]
        subnet = post_json(sess, neutron + '/subnets', {'subnet': body})['subnet']
    if subnet['cidr'] != cidr:
        sys.exit('%s has CIDR %s, expected %s: delete it and re-run' % (subnet_name, subnet['cidr'], cidr))
    return {'role': role, 'name': name, 'id': network['id'],
            'subnet': {'name': subnet_name, 'id': subnet['id'], 'cidr': subnet['cidr'],
                       'gatewayIp': subnet['gateway_ip'],
                       'allocationPools': subnet['allocation_pools']}}


def set_quotas(project_id, quotas):
    ADMIN.put('%s/os-quota-sets/%s' % (endpoint('compute'), project_id),
              json={'quota_set': quotas['compute']})
    ADMIN.put('%s/v2.0/quotas/%s' % (endpoint('network'), project_id),
              json={'quota': quotas['network']})


def ensure_temp_url_key(sess):
    """Set a Temp-URL key on the project's Swift account unless it has one."""
    account = sess.get_endpoint(service_type='object-store', interface='public')
    have = sess.head(account).headers.get('X-Account-Meta-Temp-Url-Key')
    if not have:
        sess.post(account, headers={'X-Account-Meta-Temp-URL-Key': secrets.token_hex(16)})
    return account


def tenant():
    domain = ensure_domain(DOMAIN)
    demo = ensure_project(DEMO_PROJECT, domain['id'])
    smoke = ensure_project(SMOKE_PROJECT, domain['id'])
    ensure_user(DEMO_USER, ENV['DEMO_PASSWORD'], domain['id'], demo, MEMBER_ROLES)
    ensure_user(SMOKE_USER, ENV['DEMO_PASSWORD'], domain['id'], smoke, MEMBER_ROLES)
    set_quotas(demo['id'], DEMO_QUOTAS)
    set_quotas(smoke['id'], SMOKE_QUOTAS)
    flavor = ensure_flavor()
    image = ensure_image()

    demo_session = password_session(DEMO_USER, ENV['DEMO_PASSWORD'], DEMO_PROJECT, DOMAIN)
    networks = [ensure_network(demo_session, *n) for n in NETWORKS]
    swift_account = ensure_temp_url_key(demo_session)
    hosts = [h['hypervisor_hostname'] for h in
             get_json(ADMIN, endpoint('compute') + '/os-hypervisors')['hypervisors']]

    write_clouds_yaml()
    seed = {
        'authUrl': KEYSTONE,
        'region': REGION,
        'interface': 'public',
        'clouds': {'demo': 'tripod-demo', 'admin': 'tripod-admin', 'smoke': 'tripod-smoke',
                   'cloudsYaml': os.path.join(STATE, 'clouds.yaml')},
        'domain': {'name': DOMAIN, 'id': domain['id']},
        'project': {'name': DEMO_PROJECT, 'id': demo['id']},
        'smokeProject': {'name': SMOKE_PROJECT, 'id': smoke['id']},
        'users': {
            'demo': {'name': DEMO_USER, 'domain': DOMAIN, 'project': DEMO_PROJECT,
                     'roles': list(MEMBER_ROLES)},
            'smoke': {'name': SMOKE_USER, 'domain': DOMAIN, 'project': SMOKE_PROJECT,
                      'roles': list(MEMBER_ROLES)},
            'admin': {'name': 'admin', 'domain': 'Default', 'project': 'admin',
                      'roles': ['admin']},
        },
        'networks': networks,
        'vips': VIPS,
        'flavor': {'name': flavor['name'], 'id': flavor['id'], 'vcpus': flavor['vcpus'],
                   'ramMiB': flavor['ram'], 'diskGiB': flavor['disk']},
        'image': {'name': image['name'], 'id': image['id'], 'diskFormat': image['disk_format'],
                  'sizeBytes': image['size'], 'visibility': image['visibility']},
        'computeHosts': sorted(hosts),
        'oneCluster': ONE_CLUSTER,
        'quotas': DEMO_QUOTAS,
        'swift': {'accountUrl': swift_account, 'tempUrlKeySet': True},
        # Catalog URLs as registered (object-store's holds the %(project_id)s template).
        'endpoints': dict({'identity': KEYSTONE}, **{stype: url for _, stype, url in SERVICES}),
    }
    with open(os.path.join(STATE, 'seed.json'), 'w') as f:
        json.dump(seed, f, indent=2)
        f.write('\n')
    print('tenant seeded: %s' % json.dumps({n['name']: n['subnet']['cidr'] for n in networks}))


def write_clouds_yaml():
    def cloud(user, password, project, domain):
        return {'auth': {'auth_url': KEYSTONE, 'username': user, 'password': password,
                         'project_name': project, 'user_domain_name': domain,
                         'project_domain_name': domain},
                'region_name': REGION, 'interface': 'public', 'identity_api_version': 3}
    clouds = {'clouds': {
        'tripod-demo': cloud(DEMO_USER, ENV['DEMO_PASSWORD'], DEMO_PROJECT, DOMAIN),
        'tripod-admin': cloud('admin', ENV['ADMIN_PASSWORD'], 'admin', 'Default'),
        'tripod-smoke': cloud(SMOKE_USER, ENV['DEMO_PASSWORD'], SMOKE_PROJECT, DOMAIN),
    }}
    with open(os.path.join(STATE, 'clouds.yaml'), 'w') as f:
        f.write('# Written by test/cloud/seed.py for the local test cloud (throw-away credentials).\n')
        yaml.safe_dump(clouds, f, default_flow_style=False, sort_keys=False)


if __name__ == '__main__':
    {'catalog': catalog, 'tenant': tenant}[sys.argv[1]]()
