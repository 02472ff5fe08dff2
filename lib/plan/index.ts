import type { ClusterSpec } from "@/lib/cluster-spec";
import {
  BOOTSTRAP_OBJECT,
  clusterTags,
  ignitionContainerName,
  NETWORK_ROLES,
  NODE_KEYS,
  NODE_NAME_OF,
  portName,
  SERVER_METADATA_KEY,
  securityGroupName,
  serverGroupName,
  serverName,
  TAG_INFRA,
  VIP_NAMES,
  vipPortName,
  type NetworkRole,
  type NodeName,
} from "@/lib/domain";

// spec → the desired OpenStack resources, with deterministic names and tags. Pure: the lifecycle steps look
// resources up by these names and tags before creating them, which makes every step idempotent and lets a
// crashed run adopt what it had created but not yet recorded.

export interface ClusterIdentity {
  clusterId: string;
  infraId: string;
}

export interface AddressPair {
  ipAddress: string;
}

export interface PlannedPort {
  name: string;
  node: NodeName | null; // null: a VIP reservation port
  role: NetworkRole;
  network: string;
  subnet: string;
  fixedIp: string;
  /** Keys of `securityGroups` the port is created with (the security-group step runs first). */
  securityGroups: NetworkRole[];
  allowedAddressPairs: AddressPair[];
}

export interface SecurityGroupRule {
  protocol: "tcp" | "udp" | "icmp" | "112";
  portMin?: number;
  portMax?: number;
  remoteIpPrefix: string;
  description: string;
}

export interface PlannedSecurityGroup {
  key: NetworkRole;
  name: string;
  rules: SecurityGroupRule[];
}

export interface PlannedServer {
  name: string;
  node: NodeName;
  /** Port names in NIC order: outbound, cluster, management, public (ens3..ens6). */
  ports: string[];
  flavor: string;
  image: string;
  /** The bootstrap boots from a pointer config (its full config is in Swift); masters get their own config. */
  userData: "pointer" | "full";
  serverGroup: boolean;
  metadata: Record<string, string>;
}

export interface ClusterPlan {
  identity: ClusterIdentity;
  /** Neutron tags, on everything that takes tags; also Nova metadata keys. */
  tags: string[];
  ports: PlannedPort[];
  securityGroups: PlannedSecurityGroup[];
  serverGroup: { name: string; policy: ClusterSpec["serverGroupPolicy"] };
  swift: { container: string; object: string };
  servers: PlannedServer[];
}


const ANYWHERE = "0.0.0.0/0";

function tcp(port: number, remoteIpPrefix: string, description: string, portMax = port): SecurityGroupRule {
  return { protocol: "tcp", portMin: port, portMax, remoteIpPrefix, description };
}
function udp(port: number, remoteIpPrefix: string, description: string, portMax = port): SecurityGroupRule {
  return { protocol: "udp", portMin: port, portMax, remoteIpPrefix, description };
}
function both(port: number, remoteIpPrefix: string, description: string, portMax = port): SecurityGroupRule[] {
  return [tcp(port, remoteIpPrefix, description, portMax), udp(port, remoteIpPrefix, description, portMax)];
}

/**
 * One security group per network, each rule restricted to the CIDR the traffic really comes from. The master
 * rules of the UPI playbooks (security-groups.yaml) sit on the Cluster network, where the nodes talk to each other
 * (kubelet node IP); the Public network carries what a hyperconverged node serves to tenants — API 6443, ingress
 * 80/443 (from anywhere, as in UPI), router stats 1936 — plus VRRP (IP protocol 112) between the keepalived peers.
 */
export function securityGroupRules(spec: ClusterSpec): Record<NetworkRole, SecurityGroupRule[]> {
  const { outbound, cluster, management, public: pub } = spec.networks;
  const c = cluster.cidr;
  return {
    outbound: [{ protocol: "icmp", remoteIpPrefix: outbound.cidr, description: "ICMP from the Outbound network" }],
    cluster: [
      { protocol: "icmp", remoteIpPrefix: c, description: "ICMP" },
      tcp(22, c, "SSH"),
      ...both(53, c, "DNS (coredns)"),
      tcp(6443, c, "Kubernetes API"),
      tcp(22623, c, "Machine Config Server"),
      tcp(2379, c, "etcd", 2380),
      udp(4789, c, "VXLAN"),
      udp(6081, c, "Geneve"),
      udp(500, c, "IPsec IKE"),
      udp(4500, c, "IPsec NAT-T"),
      tcp(6641, c, "OVN northbound/southbound DB", 6642),
      ...both(9000, c, "host-level services", 9999),
      tcp(10250, c, "kubelet"),
      tcp(10257, c, "kube-controller-manager"),
      tcp(10259, c, "kube-scheduler"),
      ...both(30000, c, "NodePorts", 32767),
    ],
    management: [
      { protocol: "icmp", remoteIpPrefix: management.cidr, description: "ICMP from the Management network" },
      tcp(22, management.cidr, "SSH from the Management network"),
    ],
    public: [
      { protocol: "112", remoteIpPrefix: pub.cidr, description: "VRRP between the keepalived peers" },
      { protocol: "icmp", remoteIpPrefix: pub.cidr, description: "ICMP from the Public network" },
      tcp(6443, ANYWHERE, "Kubernetes API (API VIP)"),
      tcp(22623, pub.cidr, "Machine Config Server via api-int"),
      tcp(80, ANYWHERE, "Ingress HTTP (Ingress VIP)"),
      tcp(443, ANYWHERE, "Ingress HTTPS (Ingress VIP)"),
      tcp(1936, pub.cidr, "Ingress router stats"),
      ...both(53, pub.cidr, "DNS (coredns)"),
    ],
  };
}

export function planCluster(spec: ClusterSpec, identity: ClusterIdentity): ClusterPlan {
  const { infraId } = identity;
  const tags = clusterTags(identity);
  const pub = spec.networks.public;
  const rules = securityGroupRules(spec);

  const ports: PlannedPort[] = [];
  for (const key of NODE_KEYS) {
    const node = NODE_NAME_OF[key];
    for (const role of NETWORK_ROLES) {
      const net = spec.networks[role];
      // keepalived moves the VIPs between these ports: Neutron drops traffic for an address that is not the
      // port's own unless it is an allowed address pair. The bootstrap only ever holds the API VIP.
      const allowedAddressPairs =
        role !== "public" ? [] : key === "bootstrap" ? [{ ipAddress: pub.apiVip }] : [{ ipAddress: pub.apiVip }, { ipAddress: pub.ingressVip }];
      ports.push({
        name: portName(infraId, node, role),
        node,
        role,
        network: net.network,
        subnet: net.subnet,
        fixedIp: net.ips[key],
        securityGroups: [role],
        allowedAddressPairs,
      });
    }
  }
  // Unbound reservation ports keep Neutron from handing the VIPs to anyone else (and make OVN treat them as virtual).
  for (const vip of VIP_NAMES) {
    ports.push({
      name: vipPortName(infraId, vip),
      node: null,
      role: "public",
      network: pub.network,
      subnet: pub.subnet,
      fixedIp: vip === "api" ? pub.apiVip : pub.ingressVip,
      securityGroups: [],
      allowedAddressPairs: [],
    });
  }

  const metadata = { [SERVER_METADATA_KEY]: tags[0], [TAG_INFRA]: infraId };
  const servers: PlannedServer[] = NODE_KEYS.map((key) => {
    const node = NODE_NAME_OF[key];
    return {
      name: serverName(infraId, node),
      node,
      ports: NETWORK_ROLES.map((role) => portName(infraId, node, role)),
      flavor: spec.flavor,
      image: spec.image,
      userData: key === "bootstrap" ? "pointer" : "full",
      serverGroup: key !== "bootstrap",
      metadata,
    };
  });

  return {
    identity,
    tags,
    ports,
    securityGroups: NETWORK_ROLES.map((role) => ({ key: role, name: securityGroupName(infraId, role), rules: rules[role] })),
    serverGroup: { name: serverGroupName(infraId), policy: spec.serverGroupPolicy },
    swift: { container: ignitionContainerName(infraId), object: BOOTSTRAP_OBJECT },
    servers,
  };
}

/** What the plan will consume, in the units of Nova's and Neutron's quotas (for preflight and the plan preview). */
export interface PlanFootprint {
  instances: number;
  cores?: number;
  ram?: number;
  ports: number;
  securityGroups: number;
  securityGroupRules: number;
  serverGroups: number;
  serverGroupMembers: number;
}

export function planFootprint(plan: ClusterPlan, flavor?: { vcpus: number; ram: number }): PlanFootprint {
  const instances = plan.servers.length;
  return {
    instances,
    cores: flavor ? flavor.vcpus * instances : undefined,
    ram: flavor ? flavor.ram * instances : undefined,
    ports: plan.ports.length,
    securityGroups: plan.securityGroups.length,
    securityGroupRules: plan.securityGroups.reduce((n, sg) => n + sg.rules.length, 0),
    serverGroups: 1,
    serverGroupMembers: plan.servers.filter((s) => s.serverGroup).length,
  };
}

/** A fresh infrastructure id as openshift-install makes them: the cluster name and 5 random characters. */
export function newInfraId(name: string, random: () => number = Math.random): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `${name.slice(0, 27)}-${suffix}`;
}
