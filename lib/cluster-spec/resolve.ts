import { allocateNodeIps } from "./allocate";
import { defaultInterfaces, NETWORK_LABELS, NETWORK_ROLES, NIC_ORDERS, NODE_KEYS, NODE_NAME_OF, type NetworkRole, type NodeKey } from "@/lib/domain";
import { type Ipv4Cidr, ipv4ToInt, isUsableHost, parseCidr } from "./net";
import type { ParsedClusterSpecInput } from "./schema";

export type NodeIps = Record<NodeKey, string>;
type InputNetworks = ParsedClusterSpecInput["networks"];
export type ResolvedNetworks = { [R in NetworkRole]: Omit<InputNetworks[R], "ips" | "interface"> & { ips: NodeIps; interface: string } };
export type ContainerImages = { keepalived: string; haproxy: string; coredns: string; mdnsPublisher: string };
export type ResolvedClusterSpec = Omit<ParsedClusterSpecInput, "networks" | "images"> & {
  networks: ResolvedNetworks;
  images: ContainerImages;
};

export type SpecIssue = { path: (string | number)[]; message: string };
export type ResolveResult = { ok: true; spec: ResolvedClusterSpec } | { ok: false; issues: SpecIssue[] };

const MAX_DNS_NAME = 253;

/** Cross-field rules, then allocation of the node IPs the spec leaves out. Pure: same input, same output. */
export function resolveClusterSpec(input: ParsedClusterSpecInput): ResolveResult {
  const networks = resolveNetworks(input);
  if (!networks.ok) return networks;
  return { ok: true, spec: { ...input, networks: networks.networks, images: defaultImages(input) } };
}

/** The part of the spec the address rules look at: enough for the wizard to check its network steps alone. */
export type AddressInput = Pick<ParsedClusterSpecInput, "name" | "baseDomain" | "networks" | "nicOrder">;

/**
 * The networks' cross-field rules (addresses inside CIDRs, VIPs outside DHCP pools, no duplicates, interface names
 * in the preset's order), then allocation of the node IPs left out. `inUse` are addresses held by other ports:
 * allocation skips them.
 */
export function resolveNetworks(
  parsed: AddressInput,
  inUse: readonly string[] = [],
): { ok: true; networks: ResolvedNetworks } | { ok: false; issues: SpecIssue[] } {
  const defaults = defaultInterfaces(parsed.nicOrder);
  const named = Object.fromEntries(
    NETWORK_ROLES.map((role) => [role, { ...parsed.networks[role], interface: parsed.networks[role].interface ?? defaults[role] }]),
  ) as { [R in NetworkRole]: InputNetworks[R] & { interface: string } };
  const input = { ...parsed, networks: named };
  const issues = crossFieldIssues(input);
  if (issues.length > 0) return { ok: false, issues };

  const resolvedNetworks: Partial<ResolvedNetworks> = {};
  for (const role of NETWORK_ROLES) {
    const network = input.networks[role];
    const reserved = [network.gateway, ...vipsOn(input, role), ...inUse];
    const ips = allocateNodeIps(parseCidr(network.cidr), network.allocationPools, reserved.filter(isString), network.ips);
    if (!ips) issues.push({ path: ["networks", role, "ips"], message: `no free address left in ${network.cidr} for all 4 nodes` });
    else Object.assign(resolvedNetworks, { [role]: { ...network, ips } });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, networks: resolvedNetworks as ResolvedNetworks };
}

/** The VIPs a spec puts on a network (fields of `networks.<role>`), by field name. */
function vipsOn(input: AddressInput, role: NetworkRole): string[] {
  if (role === "public") return [input.networks.public.apiVip, input.networks.public.ingressVip];
  if (role === "cluster" && input.networks.cluster.apiIntVip) return [input.networks.cluster.apiIntVip];
  return [];
}

/** Where a NIC name's number puts it among the ports Nova attaches ("ens4" → 4); null without a trailing number. */
function nicNumber(name: string): { prefix: string; number: number } | null {
  const match = /^(.*?)(\d+)$/.exec(name);
  return match ? { prefix: match[1], number: Number(match[2]) } : null;
}

/** Interface names must follow the order Nova attaches the ports in, or each config lands on the wrong NIC. */
function nicOrderIssues(input: ResolvingInput): SpecIssue[] {
  const order = NIC_ORDERS[input.nicOrder];
  const issues: SpecIssue[] = [];
  const orderText = `Nova attaches the ${order.map((role) => NETWORK_LABELS[role]).join(", ")} ports in this order (nicOrder "${input.nicOrder}")`;
  order.forEach((role, index) => {
    const name = input.networks[role].interface;
    const path = ["networks", role, "interface"];
    const here = nicNumber(name);
    if (!here) {
      issues.push({ path, message: `${name} must end in its NIC number (such as ens${index + 3}): ${orderText}` });
      return;
    }
    const previousRole = order[index - 1];
    const previous = previousRole ? nicNumber(input.networks[previousRole].interface) : null;
    if (previous && (previous.prefix !== here.prefix || previous.number >= here.number)) {
      issues.push({
        path,
        message: `${name} must come after the ${NETWORK_LABELS[previousRole]} network's interface (${input.networks[previousRole].interface}): ${orderText}`,
      });
    }
  });
  return issues;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

// OKD's per-minor images; an OpenShift (OCP) cluster passes the release payload's digests in `images`.
function defaultImages(input: ParsedClusterSpecInput): ContainerImages {
  const minor = input.openshiftVersion.split(".").slice(0, 2).join(".");
  return {
    keepalived: input.images.keepalived ?? `quay.io/openshift/origin-keepalived-ipfailover:${minor}`,
    haproxy: input.images.haproxy ?? `quay.io/openshift/origin-haproxy-router:${minor}`,
    coredns: input.images.coredns ?? `quay.io/openshift/origin-coredns:${minor}`,
    mdnsPublisher: input.images.mdnsPublisher ?? `quay.io/openshift/origin-mdns-publisher:${minor}`,
  };
}

function inRange(address: number, range: { start: string; end: string }): boolean {
  return address >= ipv4ToInt(range.start) && address <= ipv4ToInt(range.end);
}

function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

type ResolvingInput = Omit<AddressInput, "networks"> & {
  networks: { [R in NetworkRole]: InputNetworks[R] & { interface: string } };
};

function crossFieldIssues(input: ResolvingInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const nets = input.networks;
  const cidrs = Object.fromEntries(NETWORK_ROLES.map((role) => [role, parseCidr(nets[role].cidr)])) as Record<NetworkRole, Ipv4Cidr>;
  const hostIssue = (role: NetworkRole, address: string) =>
    isUsableHost(cidrs[role], ipv4ToInt(address)) ? null : `must be a host address inside ${nets[role].cidr}`;

  NETWORK_ROLES.forEach((role, index) => {
    const network = nets[role];
    const path = ["networks", role];
    for (const earlier of NETWORK_ROLES.slice(0, index)) {
      if (overlaps(cidrs[earlier], cidrs[role])) {
        issues.push({ path: [...path, "cidr"], message: `overlaps the ${NETWORK_LABELS[earlier]} network (${nets[earlier].cidr})` });
      }
      if (nets[earlier].interface === network.interface) {
        issues.push({ path: [...path, "interface"], message: `${network.interface} is already the ${NETWORK_LABELS[earlier]} network's interface` });
      }
    }
    if (network.gateway !== undefined) {
      const problem = hostIssue(role, network.gateway);
      if (problem) issues.push({ path: [...path, "gateway"], message: problem });
    }
    network.allocationPools.forEach((pool, poolIndex) => {
      for (const end of ["start", "end"] as const) {
        const problem = hostIssue(role, pool[end]);
        if (problem) issues.push({ path: [...path, "allocationPools", poolIndex, end], message: problem });
      }
      if (ipv4ToInt(pool.start) > ipv4ToInt(pool.end)) {
        issues.push({ path: [...path, "allocationPools", poolIndex, "end"], message: "must not be below start" });
      }
    });
    const seen = new Map<string, NodeKey>();
    for (const key of NODE_KEYS) {
      const ip = network.ips[key];
      if (ip === undefined) continue;
      const problem =
        hostIssue(role, ip) ??
        (ip === network.gateway ? "must not be the gateway" : null) ??
        (seen.has(ip) ? `is already ${NODE_NAME_OF[seen.get(ip)!]}'s address on this network` : null);
      if (problem) issues.push({ path: [...path, "ips", key], message: problem });
      seen.set(ip, key);
    }
  });

  const pub = nets.public;
  const nodeIps = new Set(Object.values(pub.ips));
  for (const vip of ["apiVip", "ingressVip"] as const) {
    const address = pub[vip];
    const problem =
      hostIssue("public", address) ??
      (address === pub.gateway ? "must not be the gateway" : null) ??
      (nodeIps.has(address) ? "must not be a node IP" : null) ??
      (pub.allocationPools.some((pool) => inRange(ipv4ToInt(address), pool))
        ? "must be outside the subnet's DHCP allocation pools (Neutron could hand it to another port)"
        : null);
    if (problem) issues.push({ path: ["networks", "public", vip], message: problem });
  }
  const apiIntVip = nets.cluster.apiIntVip;
  if (apiIntVip !== undefined) {
    const clusterIps = new Set(Object.values(nets.cluster.ips));
    const problem =
      hostIssue("cluster", apiIntVip) ??
      (apiIntVip === nets.cluster.gateway ? "must not be the gateway" : null) ??
      (clusterIps.has(apiIntVip) ? "must not be a node IP" : null) ??
      (nets.cluster.allocationPools.some((pool) => inRange(ipv4ToInt(apiIntVip), pool))
        ? "must be outside the subnet's DHCP allocation pools (Neutron could hand it to another port)"
        : null);
    if (problem) issues.push({ path: ["networks", "cluster", "apiIntVip"], message: problem });
  }
  if (pub.apiVip === pub.ingressVip) {
    issues.push({ path: ["networks", "public", "ingressVip"], message: "must differ from apiVip" });
  }

  for (const role of ["cluster", "management"] as const) {
    const network = nets[role];
    network.staticRoutes.forEach((route, index) => {
      const path = ["networks", role, "staticRoutes", index, "via"];
      if (route.via !== undefined) {
        const problem = hostIssue(role, route.via);
        if (problem) issues.push({ path, message: problem });
      } else if (network.gateway === undefined) {
        issues.push({ path, message: `is required because the ${NETWORK_LABELS[role]} network has no gateway` });
      }
    });
  }

  issues.push(...nicOrderIssues(input));
  if (`api-int.${input.name}.${input.baseDomain}`.length > MAX_DNS_NAME) {
    issues.push({ path: ["baseDomain"], message: `api-int.<name>.<baseDomain> must fit in ${MAX_DNS_NAME} characters` });
  }
  return issues;
}
