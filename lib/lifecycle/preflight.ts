import type { ClusterSpec } from "@/lib/cluster-spec";
import { NETWORK_ROLES, NODE_KEYS, type NetworkRole } from "@/lib/domain";
import { planFootprint, type ClusterPlan } from "@/lib/plan";

// Preflight: everything that can be known to fail before anything is created. Pure: the facts are read from
// the cloud (lib/lifecycle/steps) and the database beforehand; each problem names the spec field or quota it
// is about, so the wizard can show it beside that field.

export interface QuotaUsage {
  limit: number; // -1: unlimited
  used: number;
  reserved?: number;
}

export interface PreflightFacts {
  flavor: { name: string; vcpus: number; ram: number } | null;
  image: { name: string; status: string } | null;
  networks: Record<NetworkRole, { id: string; name: string } | null>;
  subnets: Record<NetworkRole, { id: string; name: string; networkId: string; cidr: string } | null>;
  extensions: string[];
  /** Ports already on the cluster's networks that are not this cluster's own. */
  foreignPorts: { name: string; id: string; fixedIps: string[]; allowedAddressPairs: string[] }[];
  quotas: {
    instances: QuotaUsage;
    cores: QuotaUsage;
    ram: QuotaUsage;
    serverGroups: QuotaUsage;
    ports: QuotaUsage;
    securityGroups: QuotaUsage;
    securityGroupRules: QuotaUsage;
  };
  swiftTempUrl: boolean;
  /** Router ids held by Tripod's other clusters on the same Public network. */
  vrrpIdsOfOthers: number[];
  /** Router ids held by Tripod's other clusters on the same Cluster network (where the internal API VIP runs). */
  vrrpIdsOfOthersOnCluster: number[];
  /** This cluster's ids; apiInt only when the spec has an internal API VIP. */
  vrrpIds: { api: number; ingress: number; apiInt?: number };
}

export interface PreflightProblem {
  path: string;
  message: string;
}

// Neutron adds an IPv4 and an IPv6 "allow all egress" rule to every new security group.
const DEFAULT_RULES_PER_GROUP = 2;

const QUOTA_NAMES: Record<keyof PreflightFacts["quotas"], string> = {
  instances: "instances (Nova)",
  cores: "cores (Nova)",
  ram: "ram in MiB (Nova)",
  serverGroups: "server_groups (Nova)",
  ports: "port (Neutron)",
  securityGroups: "security_group (Neutron)",
  securityGroupRules: "security_group_rule (Neutron)",
};

function free(q: QuotaUsage): number {
  return q.limit < 0 ? Number.POSITIVE_INFINITY : q.limit - q.used - (q.reserved ?? 0);
}

export function requiredExtensions(): { alias: string[]; why: string }[] {
  return [
    { alias: ["port-security"], why: "port security is what allowed-address-pairs hangs on" },
    { alias: ["allowed-address-pairs"], why: "keepalived's VIPs move between ports only as allowed address pairs" },
    { alias: ["standard-attr-tag", "tag"], why: "every resource is tagged with the cluster for teardown" },
  ];
}

export type ForeignPort = PreflightFacts["foreignPorts"][number];

/** Who holds each address on the networks: a port's fixed IP, or else an allowed address pair announced by one. */
export function addressHolders(ports: ForeignPort[]): Map<string, string> {
  const holders = new Map<string, string>();
  for (const port of ports) {
    for (const ip of port.fixedIps) holders.set(ip, `port "${port.name || port.id}"`);
  }
  for (const port of ports) {
    for (const ip of port.allowedAddressPairs) if (!holders.has(ip)) holders.set(ip, `an allowed address pair of port "${port.name || port.id}"`);
  }
  return holders;
}

type AddressedNetworks = { [R in NetworkRole]: { ips: Partial<Record<(typeof NODE_KEYS)[number], string>> } } & {
  public: { apiVip?: string; ingressVip?: string };
  cluster: { apiIntVip?: string };
};

/** Node IPs and VIPs already held by someone else's port, or announced as their allowed address pair. */
export function addressConflicts(networks: AddressedNetworks, ports: ForeignPort[]): PreflightProblem[] {
  const holders = addressHolders(ports);
  const problems: PreflightProblem[] = [];
  const check = (path: string, ip: string | undefined) => {
    const holder = ip === undefined ? undefined : holders.get(ip);
    if (holder) problems.push({ path, message: `${ip} is already used by ${holder}` });
  };
  for (const role of NETWORK_ROLES) for (const key of NODE_KEYS) check(`networks.${role}.ips.${key}`, networks[role].ips[key]);
  for (const vip of ["apiVip", "ingressVip"] as const) check(`networks.public.${vip}`, networks.public[vip]);
  check("networks.cluster.apiIntVip", networks.cluster.apiIntVip);
  return problems;
}

export interface QuotaUse {
  key: keyof PreflightFacts["quotas"];
  label: string;
  /** What the cluster will take. */
  need: number;
  limit: number; // -1: unlimited
  used: number;
  free: number; // Infinity when unlimited
}

/** Each quota the cluster takes from: what it needs against what is free (the review shows it, preflight checks it). */
export function quotaUse(plan: ClusterPlan, facts: Pick<PreflightFacts, "flavor" | "quotas">): QuotaUse[] {
  const footprint = planFootprint(plan, facts.flavor ?? undefined);
  const needs: Partial<Record<keyof PreflightFacts["quotas"], number>> = {
    instances: footprint.instances,
    cores: footprint.cores,
    ram: footprint.ram,
    serverGroups: footprint.serverGroups,
    ports: footprint.ports,
    securityGroups: footprint.securityGroups,
    securityGroupRules: footprint.securityGroupRules + DEFAULT_RULES_PER_GROUP * footprint.securityGroups,
  };
  return (Object.entries(needs) as [keyof PreflightFacts["quotas"], number | undefined][]).flatMap(([key, need]) => {
    if (need === undefined) return [];
    const q = facts.quotas[key];
    return [{ key, label: QUOTA_NAMES[key], need, limit: q.limit, used: q.used + (q.reserved ?? 0), free: free(q) }];
  });
}

export function checkPreflight(spec: ClusterSpec, plan: ClusterPlan, facts: PreflightFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  if (!facts.flavor) add("flavor", `no flavor named "${spec.flavor}" in this cloud`);
  if (!facts.image) add("image", `no image named "${spec.image}" in this cloud`);
  else if (facts.image.status !== "active") add("image", `image "${spec.image}" is ${facts.image.status}, not active`);

  for (const role of NETWORK_ROLES) {
    const net = spec.networks[role];
    const network = facts.networks[role];
    const subnet = facts.subnets[role];
    if (!network) add(`networks.${role}.network`, `no network "${net.network}"`);
    if (!subnet) add(`networks.${role}.subnet`, `no subnet "${net.subnet}"`);
    if (network && subnet && subnet.networkId !== network.id) add(`networks.${role}.subnet`, `subnet "${net.subnet}" is not on network "${net.network}"`);
    if (subnet && subnet.cidr !== net.cidr) add(`networks.${role}.cidr`, `subnet "${net.subnet}" is ${subnet.cidr}, not ${net.cidr}`);
  }

  for (const ext of requiredExtensions()) {
    if (!ext.alias.some((a) => facts.extensions.includes(a))) add("cloud", `Neutron lacks the ${ext.alias[0]} extension: ${ext.why}`);
  }

  for (const conflict of addressConflicts(spec.networks, facts.foreignPorts)) add(conflict.path, conflict.message);

  for (const q of quotaUse(plan, facts)) {
    if (q.need > q.free) {
      add(`quota.${q.key}`, `the cluster needs ${q.need} of quota ${q.label}, only ${Math.max(0, q.free)} of ${q.limit} are free`);
    }
  }

  if (!facts.swiftTempUrl) add("cloud", "Swift temp URLs are not available (no tempurl in Swift's /info): the bootstrap cannot fetch its Ignition config");

  const { apiInt, ...onPublic } = facts.vrrpIds;
  for (const [vip, id] of Object.entries(onPublic)) {
    if (facts.vrrpIdsOfOthers.includes(id)) add("vrrp", `VRRP router id ${id} (${vip}) is already used by another cluster on this Public network`);
  }
  if (spec.networks.cluster.apiIntVip) {
    if (apiInt === undefined) add("networks.cluster.apiIntVip", "the cluster has no VRRP router id for the internal API VIP (drafted before it was added): draft it again");
    else if (facts.vrrpIdsOfOthersOnCluster.includes(apiInt)) add("vrrp", `VRRP router id ${apiInt} (api-int) is already used by another cluster on this Cluster network`);
  }
  return problems;
}
