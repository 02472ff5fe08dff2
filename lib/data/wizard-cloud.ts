import type { Db } from "@/lib/db";
import { projectIdFilter, type Actor } from "@/lib/auth/policy";
import {
  cidrProblem,
  flavorShortfalls,
  freeAddresses,
  isIpv4,
  parseCidr,
  stepOfPath,
  CONTROL_PLANE_MINIMUMS,
} from "@/lib/cluster-spec";
import {
  NETWORK_LABELS,
  NETWORK_ROLES,
  NODE_KEYS,
  RESERVED_VIP_LABELS,
  RESERVED_VIPS,
  vipPortName,
  WIZARD_STEP_LABELS,
  type NetworkRole,
  type NodeKey,
  type WizardStep,
} from "@/lib/domain";
import { cloudSession, DEFAULT_TUNING } from "@/lib/lifecycle/context";
import { openStoredSpec } from "@/lib/cluster-spec/sealed";
import { addressConflicts, checkPreflight, quotaUse, type ForeignPort, type QuotaUse } from "@/lib/lifecycle/preflight";
import { gatherFacts } from "@/lib/lifecycle/steps/preflight";
import { prismaClusterStore, routerIdNetworks } from "@/lib/lifecycle/store";
import type { Session } from "@/lib/openstack/client";
import { isNotFound, OpenStackError } from "@/lib/openstack/errors";
import * as images from "@/lib/openstack/glance/images/requests";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as routers from "@/lib/openstack/neutron/routers/requests";
import * as subnets from "@/lib/openstack/neutron/subnets/requests";
import * as flavors from "@/lib/openstack/nova/flavors/requests";
import { planCluster } from "@/lib/plan";
import { NotFoundError, type FieldErrors } from "./errors";
import { draftAsSpec, saveWizardStep, type SaveOutcome } from "./wizard";
import { isRecord } from "@/lib/util/records";

// What the wizard's pickers and checks read from the tenant's cloud, as plain DTOs: networks and subnets with their
// CIDR, gateway, pools, MTU and router; the addresses other ports hold; flavors against the control-plane minimums;
// images; and for the review, the plan with a real preflight run. Cloud reads go through lib/openstack only.

async function draftCloud(db: Db, actor: Actor, clusterId: string) {
  const cluster = await db.cluster.findFirst({ where: { id: clusterId, projectId: projectIdFilter(actor) }, include: { cloud: true } });
  if (!cluster) throw new NotFoundError("That cluster");
  return { cluster, session: cloudSession(cluster.cloud) };
}

/** A cloud that cannot be read is shown as a sentence on the step, not as an error page. */
export type CloudRead<T> = { ok: true; value: T } | { ok: false; message: string };

async function readCloud<T>(read: () => Promise<T>): Promise<CloudRead<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof OpenStackError) return { ok: false, message: `The cloud could not be read: ${error.message}` };
    throw error;
  }
}

// ---- Networks -------------------------------------------------------------------------------------------------

export interface SubnetChoice {
  id: string;
  name: string;
  cidr: string;
  gateway: string | null;
  allocationPools: { start: string; end: string }[];
  dhcp: boolean;
  /** The router with an interface on the subnet; `distributed` is null where the cloud's policy hides it. */
  router: { id: string; name: string; distributed: boolean | null; external: boolean } | null;
}

export interface NetworkChoice {
  id: string;
  name: string;
  mtu: number | null;
  shared: boolean;
  external: boolean;
  subnets: SubnetChoice[];
}

const ROUTER_INTERFACE = /^network:(router_interface|router_interface_distributed|ha_router_replicated_interface)$/;

export interface NetworkChoices {
  networks: NetworkChoice[];
  /** False when the cloud has no routers at all (Neutron without its L3 extension answers 404). */
  routers: boolean;
}

export async function listNetworkChoices(db: Db, actor: Actor, clusterId: string): Promise<CloudRead<NetworkChoices>> {
  const { session } = await draftCloud(db, actor, clusterId);
  return readCloud(async () => {
    const [nets, subs, routerList, interfaces] = await Promise.all([
      networks.list(session),
      subnets.list(session, { ipVersion: 4 }),
      routers.list(session).catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error))),
      ports.list(session, {}).then((all) => all.filter((p) => ROUTER_INTERFACE.test(p.deviceOwner))),
    ]);
    const routerOfSubnet = new Map<string, SubnetChoice["router"]>();
    for (const port of interfaces) {
      const router = routerList?.find((r) => r.id === port.deviceId);
      for (const ip of port.fixedIps) {
        routerOfSubnet.set(ip.subnetId, {
          id: port.deviceId,
          name: router?.name ?? port.deviceId,
          distributed: router?.distributed ?? null,
          external: router ? router.externalNetworkId !== null : false,
        });
      }
    }
    const choices = nets
      .map((n) => ({
        id: n.id,
        name: n.name,
        mtu: n.mtu ?? null,
        shared: n.shared,
        external: n.external,
        subnets: subs
          .filter((s) => s.networkId === n.id)
          .map((s) => ({
            id: s.id,
            name: s.name,
            cidr: s.cidr,
            gateway: s.gatewayIp,
            allocationPools: s.allocationPools,
            dhcp: s.enableDhcp,
            router: routerOfSubnet.get(s.id) ?? null,
          })),
      }))
      .filter((n) => n.subnets.length > 0)
      .sort((a, b) => a.name.localeCompare(b.name));
    return { networks: choices, routers: routerList !== null };
  });
}

// ---- Addresses ------------------------------------------------------------------------------------------------

type Draft = Record<string, unknown>;
const isIpv4Text = (value: unknown): value is string => typeof value === "string" && isIpv4(value);
const networkOf = (draft: Draft, role: NetworkRole): Draft => {
  const nets = isRecord(draft.networks) ? draft.networks : {};
  return isRecord(nets[role]) ? (nets[role] as Draft) : {};
};

export interface AddressFacts {
  /** Per network: each address another port holds, and who. */
  inUse: Record<NetworkRole, { ip: string; holder: string }[]>;
  /**
   * Free addresses outside the DHCP pools and other ports: node IPs per network, two for the Public VIPs (API,
   * Ingress) and one on the Cluster network for the internal API VIP.
   */
  suggested: { ips: Record<NetworkRole, Partial<Record<NodeKey, string>>>; vips: string[]; apiIntVip: string | null };
  /** Node IPs and VIPs of the draft that another port holds (checked live on every change). */
  conflicts: FieldErrors;
}

/** Every port on the draft's networks: a draft (only a draft is edited) has none of its own yet. */
async function foreignPortsOf(session: Session, draft: Draft): Promise<Record<NetworkRole, ForeignPort[]>> {
  const netList = await networks.list(session);
  const out = {} as Record<NetworkRole, ForeignPort[]>;
  await Promise.all(
    NETWORK_ROLES.map(async (role) => {
      const ref = networkOf(draft, role).network;
      const net = netList.find((n) => n.name === ref || n.id === ref);
      const list = net ? await ports.list(session, { networkId: net.id }) : [];
      out[role] = list.map((p) => ({ id: p.id, name: p.name, fixedIps: p.fixedIps.map((f) => f.ipAddress), allowedAddressPairs: p.allowedAddressPairs.map((a) => a.ipAddress) }));
    }),
  );
  return out;
}

/** The addresses step's facts: what is taken, what is free, and which of the draft's addresses clash. */
export async function getAddressFacts(db: Db, actor: Actor, clusterId: string): Promise<CloudRead<AddressFacts>> {
  const { cluster, session } = await draftCloud(db, actor, clusterId);
  const draft = openStoredSpec(cluster.specJson) as Draft;
  return readCloud(async () => {
    const foreign = await foreignPortsOf(session, draft);
    const inUse = {} as AddressFacts["inUse"];
    const ips = {} as AddressFacts["suggested"]["ips"];
    let vips: string[] = [];
    let apiIntVip: string | null = null;
    for (const role of NETWORK_ROLES) {
      const net = networkOf(draft, role);
      inUse[role] = foreign[role].flatMap((p) => [
        ...p.fixedIps.map((ip) => ({ ip, holder: p.name || p.id })),
        ...p.allowedAddressPairs.map((ip) => ({ ip, holder: `${p.name || p.id} (allowed address pair)` })),
      ]);
      ips[role] = {};
      // what the draft says of the network may be anything typed or imported: only a usable CIDR and pools count
      if (typeof net.cidr !== "string" || cidrProblem(net.cidr) !== null) continue;
      const pools = Array.isArray(net.allocationPools) ? net.allocationPools.filter((p: unknown) => isRecord(p) && isIpv4Text(p.start) && isIpv4Text(p.end)) : [];
      const taken = [...inUse[role].map((u) => u.ip), ...(isIpv4Text(net.gateway) ? [net.gateway] : [])];
      const cidr = parseCidr(net.cidr);
      // VIPs only outside the pools; node IPs outside them while there is room, then inside (a pool may span
      // the whole subnet), never an address a port holds.
      const vipsHere = freeAddresses(cidr, pools, taken, role === "public" ? 2 : role === "cluster" ? 1 : 0);
      if (role === "public") vips = vipsHere;
      if (role === "cluster") apiIntVip = vipsHere[0] ?? null;
      const free = freeAddresses(cidr, pools, [...taken, ...vipsHere], NODE_KEYS.length, true);
      NODE_KEYS.forEach((key, i) => {
        if (free[i]) ips[role][key] = free[i];
      });
    }
    const given = Object.fromEntries(
      NETWORK_ROLES.map((role) => {
        const net = networkOf(draft, role);
        return [role, { ...net, ips: isRecord(net.ips) ? net.ips : {} }];
      }),
    ) as Parameters<typeof addressConflicts>[0];
    const conflicts: FieldErrors = {};
    for (const role of NETWORK_ROLES) {
      for (const c of addressConflicts(given, foreign[role])) if (c.path.startsWith(`networks.${role}.`)) conflicts[c.path] ??= c.message;
    }
    return { inUse, suggested: { ips, vips, apiIntVip }, conflicts };
  });
}

// ---- Flavors and images ---------------------------------------------------------------------------------------

export interface MachineChoices {
  minimums: typeof CONTROL_PLANE_MINIMUMS;
  flavors: { id: string; name: string; vcpus: number; ramMiB: number; diskGiB: number; shortfalls: string[] }[];
  images: { id: string; name: string; status: string; sizeBytes: number | null; diskFormat: string | null }[];
}

export async function getMachineChoices(db: Db, actor: Actor, clusterId: string): Promise<CloudRead<MachineChoices>> {
  const { session } = await draftCloud(db, actor, clusterId);
  return readCloud(async () => {
    const [flavorList, imageList] = await Promise.all([flavors.list(session), images.list(session)]);
    return {
      minimums: CONTROL_PLANE_MINIMUMS,
      flavors: flavorList
        .map((f) => ({ id: f.id, name: f.name, vcpus: f.vcpus, ramMiB: f.ramMiB, diskGiB: f.diskGiB, shortfalls: flavorShortfalls(f) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      images: imageList
        .map((i) => ({ id: i.id, name: i.name, status: i.status, sizeBytes: i.sizeBytes ?? null, diskFormat: i.diskFormat ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
}

// ---- Review ---------------------------------------------------------------------------------------------------

export interface ReviewPort {
  name: string;
  /** For a VIP reservation port: which VIP ("API VIP", "Ingress VIP", "Internal API VIP"). */
  vip: string | null;
  node: string | null;
  network: string;
  role: string;
  nic: string;
  fixedIp: string;
  allowedAddressPairs: string[];
}

export interface PreflightGroup {
  step: WizardStep;
  label: string;
  problems: { path: string; message: string }[];
}

export interface Review {
  ports: ReviewPort[];
  vipPorts: ReviewPort[];
  securityGroups: { name: string; network: string; rules: { protocol: string; ports: string; from: string; description: string }[] }[];
  quotas: QuotaUse[];
  preflight: PreflightGroup[];
  vrrp: { api: number; ingress: number; apiInt?: number } | null;
}

/** The plan of a complete draft and a real preflight run against the cloud; an incomplete draft has none. */
export async function getReview(db: Db, actor: Actor, clusterId: string): Promise<CloudRead<Review> | null> {
  const { cluster, session } = await draftCloud(db, actor, clusterId);
  const valid = await draftAsSpec(db, cluster);
  if (!valid.ok) return null;
  const spec = valid.spec;
  const plan = planCluster(spec, { clusterId: cluster.id, infraId: cluster.infraId });
  const held = await db.vrrpRouterId.findMany({ where: { clusterId: cluster.id }, take: RESERVED_VIPS.length, select: { vip: true, scope: true, networkId: true, routerId: true } });
  return readCloud(async () => {
    const apiInt = held.find((r) => r.vip === "api-int")?.routerId;
    const vrrpIds = cluster.vrrpApiId !== null && cluster.vrrpIngressId !== null ? { api: cluster.vrrpApiId, ingress: cluster.vrrpIngressId, apiInt } : null;
    const store = prismaClusterStore(db, { id: cluster.id, cloudId: cluster.cloudId, networks: routerIdNetworks(spec, held) });
    const { facts } = await gatherFacts({
      session,
      spec,
      plan,
      vrrpIds: vrrpIds ?? { api: 0, ingress: 0 },
      vrrpIdsOfOthers: (network) => store.vrrpIdsOfOthers(network),
      callConcurrency: DEFAULT_TUNING.callConcurrency,
    });
    const problems = checkPreflight(spec, plan, facts);
    if (!vrrpIds) problems.push({ path: "vrrp", message: "no VRRP router ids are allocated yet: choose the Public network again" });
    const steps: WizardStep[] = ["networks", "addresses", "machines", "review"];
    const vipOf = new Map(RESERVED_VIPS.map((vip) => [vipPortName(cluster.infraId, vip), RESERVED_VIP_LABELS[vip]]));
    const toPort = (p: (typeof plan.ports)[number]): ReviewPort => ({
      name: p.name,
      vip: vipOf.get(p.name) ?? null,
      node: p.node,
      network: p.network,
      role: NETWORK_LABELS[p.role],
      nic: spec.networks[p.role].interface,
      fixedIp: p.fixedIp,
      allowedAddressPairs: p.allowedAddressPairs.map((a) => a.ipAddress),
    });
    return {
      ports: plan.ports.filter((p) => p.node !== null).map(toPort),
      vipPorts: plan.ports.filter((p) => p.node === null).map(toPort),
      securityGroups: plan.securityGroups.map((g) => ({
        name: g.name,
        network: NETWORK_LABELS[g.key],
        rules: g.rules.map((r) => ({
          protocol: r.protocol === "112" ? "VRRP (112)" : r.protocol,
          ports: r.portMin === undefined ? "any" : r.portMin === r.portMax ? String(r.portMin) : `${r.portMin}-${r.portMax}`,
          from: r.remoteIpPrefix,
          description: r.description,
        })),
      })),
      quotas: quotaUse(plan, facts),
      preflight: steps.map((step) => ({
        step,
        label: step === "review" ? "Cloud, quota and VRRP" : WIZARD_STEP_LABELS[step],
        problems: problems.filter((p) => stepOfPath(p.path) === step),
      })),
      vrrp: vrrpIds,
    };
  });
}

/** Saves a step; the addresses step is also checked live against the addresses other ports hold in the cloud. */
export async function saveStepChecked(db: Db, actor: Actor, input: Parameters<typeof saveWizardStep>[2]): Promise<SaveOutcome> {
  const outcome = await saveWizardStep(db, actor, input);
  if (input.step !== "addresses" || !outcome.clusterId) return outcome;
  const facts = await getAddressFacts(db, actor, outcome.clusterId);
  if (!facts.ok) return { ...outcome, errors: { ...outcome.errors, cloudId: facts.message } };
  return { ...outcome, errors: { ...facts.value.conflicts, ...outcome.errors } };
}
