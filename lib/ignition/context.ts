import { createHash } from "node:crypto";
import { z } from "zod";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { intToIpv4, ipv4ToInt, netmask, parseCidr } from "@/lib/cluster-spec/net";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { InvalidRenderInputError } from "./errors";
import { NETWORK_ROLES, NODE_KEY_OF, NODE_KEYS, NODE_NAMES, roleOfNode, type NetworkRole, type NodeKey, type NodeName } from "@/lib/domain";

const mac = z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, "must be a lower-case MAC address such as fa:16:3e:00:00:01");
const nodeMacs = z.strictObject(Object.fromEntries(NETWORK_ROLES.map((role) => [role, mac])) as Record<NetworkRole, typeof mac>);

// What Tripod decides at provisioning time, beside the spec: VRRP ids (unique on the Public network, see
// allocateVrrpIds; the internal API VIP's unique on the Cluster network), the keepalived password, the VIP agent's
// ingest settings, the infrastructure id, and the MAC of every port (known once the ports exist: the NIC configs
// match their NIC by it).
export const RenderSettingsSchema = z.strictObject({
  vrrp: z
    .strictObject({
      apiId: z.number().int().min(1).max(255),
      ingressId: z.number().int().min(1).max(255),
      apiIntId: z.number().int().min(1).max(255).optional(),
      // VRRPv2 PASS auth carries 8 bytes; keepalived truncates longer ones (and `keepalived -t` fails on them).
      authPass: z.string().regex(/^[A-Za-z0-9_.+-]{1,8}$/, "must be 1-8 characters of A-Z a-z 0-9 _ . + -"),
    })
    .refine((v) => v.apiId !== v.ingressId, { path: ["ingressId"], message: "must differ from apiId" }),
  vipAgent: z.strictObject({
    ingestUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    // Lands in env files and scripts: keep it to characters that need no quoting anywhere.
    secret: z.string().regex(/^[A-Za-z0-9_+/=.-]{16,256}$/, "must be 16-256 characters of A-Z a-z 0-9 _ + / = . -"),
    clusterId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ -"),
  }),
  infraId: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, "must be a DNS label of at most 32 characters"),
  macs: z.strictObject(Object.fromEntries(NODE_NAMES.map((node) => [node, nodeMacs])) as Record<NodeName, typeof nodeMacs>),
});
export type RenderSettings = z.infer<typeof RenderSettingsSchema>;
export type RenderInput = RenderSettings & { spec: ClusterSpec };

export function parseRenderSettings(input: RenderInput): RenderSettings {
  const { spec, ...settings } = input;
  const result = RenderSettingsSchema.safeParse(settings);
  if (!result.success) {
    throw new InvalidRenderInputError(result.error.issues.map((i) => ({ path: i.path.join(".") || "(input)", message: i.message })));
  }
  if (spec.networks.cluster.apiIntVip && result.data.vrrp.apiIntId === undefined) {
    throw new InvalidRenderInputError([{ path: "vrrp.apiIntId", message: "is required: the spec has networks.cluster.apiIntVip" }]);
  }
  return result.data;
}

/**
 * Neutron-style MACs (its default fa:16:3e prefix) derived from a seed, for renderings without created ports: the
 * CLI, the tests and the lab. The lifecycle uses the created ports' real MACs.
 */
export function derivedMacs(seed: string): RenderSettings["macs"] {
  const mac = (node: NodeName, role: NetworkRole) => {
    const bytes = createHash("sha256").update(`tripod:mac:${seed}:${node}:${role}`).digest().subarray(0, 3);
    return ["fa", "16", "3e", ...[...bytes].map((b) => b.toString(16).padStart(2, "0"))].join(":");
  };
  return Object.fromEntries(
    NODE_NAMES.map((node) => [node, Object.fromEntries(NETWORK_ROLES.map((role) => [role, mac(node, role)]))]),
  ) as RenderSettings["macs"];
}

export const PORTS = { api: 6443, lb: 9445, lbHealth: 9444, lbStats: 29445, mcs: 22623, dnsHealth: 18080, ingressStats: 1936 };
// Bootstrap above any master's best (40 + chk_ocp_lb 20 + chk_ocp_both 5 + chk_mcs 3 = 68), as in OpenShift.
export const PRIORITIES = { bootstrapApi: 70, masterApi: 40, masterIngress: 20 };

/**
 * OVN-Kubernetes' configure-ovs.sh moves the NIC that holds the node IP into the OVS bridge br-ex (the node-IP
 * hint and /etc/ovnk/default_bridge point it at the Cluster NIC): on a master the Cluster-network address lives on
 * br-ex, so keepalived's internal API VIP does too. The bootstrap runs no OVN-Kubernetes. See fakeroot/README.md.
 */
export const OVN_BRIDGE = "br-ex";

function ipsOf(spec: ClusterSpec, key: NodeKey): Record<NetworkRole, string> {
  return Object.fromEntries(NETWORK_ROLES.map((role) => [role, spec.networks[role].ips[key]])) as Record<NetworkRole, string>;
}

function networkContext(spec: ClusterSpec, role: NetworkRole) {
  const network = spec.networks[role];
  const cidr = parseCidr(network.cidr);
  const gateway = network.gateway ?? null;
  const staticRoutes = "staticRoutes" in network
    ? network.staticRoutes.map((route) => ({ to: route.to, via: route.via ?? gateway }))
    : [];
  return {
    role,
    network: network.network,
    subnet: network.subnet,
    cidr: network.cidr,
    address: intToIpv4(cidr.network),
    prefix: cidr.prefix,
    netmask: netmask(cidr.prefix),
    gateway,
    interface: network.interface,
    mtu: network.mtu,
    ips: network.ips,
    staticRoutes,
    isDefaultRoute: role === "outbound",
    routeTable: role === "public" ? spec.networks.public.routeTable : null,
  };
}

/** The Handlebars context of one node; documented in fakeroot/README.md. */
export function buildNodeContext(spec: ClusterSpec, settings: RenderSettings, node: NodeName) {
  const key = NODE_KEY_OF[node];
  const role = roleOfNode(node);
  const domain = `${spec.name}.${spec.baseDomain}`;
  const nodes = NODE_NAMES.map((name) => ({
    name,
    role: roleOfNode(name),
    ips: ipsOf(spec, NODE_KEY_OF[name]),
    fqdn: `${name}.${domain}`,
  }));
  const self = nodes.find((n) => n.name === node)!;
  const others = nodes.filter((n) => n.name !== node);
  const networks = Object.fromEntries(NETWORK_ROLES.map((r) => [r, networkContext(spec, r)])) as Record<
    NetworkRole,
    ReturnType<typeof networkContext>
  >;
  const byPublicIp = (a: string, b: string) => ipv4ToInt(a) - ipv4ToInt(b); // numeric order of any IPv4
  return {
    node: {
      name: node,
      key,
      role,
      index: role === "master" ? NODE_KEYS.indexOf(key) - 1 : null,
      isBootstrap: role === "bootstrap",
      isMaster: role === "master",
      fqdn: self.fqdn,
      ips: self.ips,
      interfaces: Object.fromEntries(NETWORK_ROLES.map((r) => [r, spec.networks[r].interface])) as Record<NetworkRole, string>,
      macs: settings.macs[node],
      // The node's own CoreDNS first, then the upstreams (OpenShift's resolv-prepender does the same).
      resolvers: [self.ips.cluster, ...spec.dnsUpstreams],
    },
    cluster: {
      name: spec.name,
      baseDomain: spec.baseDomain,
      domain,
      infraId: settings.infraId,
      openshiftVersion: spec.openshiftVersion,
      apiVip: spec.networks.public.apiVip,
      ingressVip: spec.networks.public.ingressVip,
      // api-int's address: the internal VIP on the Cluster network if the spec has one, else the API VIP.
      apiIntVip: spec.networks.cluster.apiIntVip ?? null,
      apiIntAddress: spec.networks.cluster.apiIntVip ?? spec.networks.public.apiVip,
      vipPrefix: 32,
      dnsUpstreams: spec.dnsUpstreams,
      images: spec.images,
      mdnsPublisher: spec.mdnsPublisher,
      networkConfigStyle: spec.networkConfigStyle,
      ports: PORTS,
    },
    networks,
    nodes,
    masters: nodes.filter((n) => n.role === "master"),
    vrrp: {
      ...settings.vrrp,
      interface: spec.networks.public.interface,
      apiPriority: role === "bootstrap" ? PRIORITIES.bootstrapApi : PRIORITIES.masterApi,
      ingressPriority: PRIORITIES.masterIngress,
      routeTable: spec.networks.public.routeTable,
      // Where the internal API VIP lives: br-ex on the masters, the Cluster NIC on the bootstrap.
      clusterInterface: role === "master" ? OVN_BRIDGE : spec.networks.cluster.interface,
    },
    // The node's own agent key, never the cluster's secret: a node can sign reports only as itself.
    vipAgent: { ...settings.vipAgent, secret: nodeAgentKey(settings.vipAgent.secret, node) },
    // Unicast peers on the Public network: every other API participant, and (masters only) the other masters.
    peers: {
      api: others.map((n) => n.ips.public).sort(byPublicIp),
      ingress: role === "master" ? others.filter((n) => n.role === "master").map((n) => n.ips.public).sort(byPublicIp) : [],
      apiInt: others.map((n) => n.ips.cluster).sort(byPublicIp),
    },
  };
}
export type NodeContext = ReturnType<typeof buildNodeContext>;
