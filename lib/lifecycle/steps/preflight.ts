import { z } from "zod";
import { NETWORK_ROLES, type NetworkRole } from "@/lib/domain";
import { allLimited } from "@/lib/openstack/concurrency";
import { isNotFound } from "@/lib/openstack/errors";
import * as images from "@/lib/openstack/glance/images/requests";
import * as extensions from "@/lib/openstack/neutron/extensions/requests";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as quotas from "@/lib/openstack/neutron/quotas/requests";
import * as subnets from "@/lib/openstack/neutron/subnets/requests";
import * as flavors from "@/lib/openstack/nova/flavors/requests";
import * as limits from "@/lib/openstack/nova/limits/requests";
import * as swiftInfo from "@/lib/openstack/swift/info/requests";
import type { ClusterSpec } from "@/lib/cluster-spec";
import type { Session } from "@/lib/openstack/client";
import { TerminalError, type StepIo } from "../engine";
import { checkPreflight, type PreflightFacts } from "../preflight";
import type { ClusterPlan } from "@/lib/plan";
import { ownedBy } from "@/lib/plan";
import { clusterStep, outputOf } from "./common";

const MINUTE = 60_000;

const byRole = z.object(Object.fromEntries(NETWORK_ROLES.map((r) => [r, z.string().min(1)])) as Record<NetworkRole, z.ZodString>);

/** Ids resolved by preflight, reused by every later step (and after a resume). */
export const ResolvedIds = z.object({ networkIds: byRole, subnetIds: byRole, flavorId: z.string().min(1), imageId: z.string().min(1) });
export type ResolvedIds = z.infer<typeof ResolvedIds>;

export const resolvedIds = (io: StepIo): ResolvedIds => outputOf(io, "preflight", z.object({ resolved: ResolvedIds })).resolved;

/** What the spec names by name or id, from one listing of the collection (a name wins over an id, as before). */
export function byNameOrId<T extends { id: string; name: string }>(all: readonly T[], nameOrId: string): T | null {
  return all.find((x) => x.name === nameOrId) ?? all.find((x) => x.id === nameOrId) ?? null;
}

/** What preflight needs besides the cloud: the spec, its plan (which resources are the cluster's own), its VRRP ids. */
export interface PreflightSubject {
  session: Session;
  spec: ClusterSpec;
  plan: ClusterPlan;
  plannedNames?: Set<string>;
  vrrpIds: PreflightFacts["vrrpIds"];
  /** Router ids other Tripod clusters hold on a network (by the spec's name for it). */
  vrrpIdsOfOthers: (network: string) => Promise<number[]>;
  /** Reads in flight at once. */
  callConcurrency: number;
}

/** Reads every fact preflight checks from the cloud (also the wizard's review, before anything exists). */
export async function gatherFacts(subject: PreflightSubject, signal?: AbortSignal): Promise<{ facts: PreflightFacts; resolved: Partial<ResolvedIds> }> {
  const { session: s, spec } = subject;
  const call = { signal };
  // Every read at once, each collection once (networks and subnets resolved client-side by name or id): a constant
  // number of calls whatever the spec names.
  const [flavor, image, exts, netQuota, compute, info, allNetworks, allSubnets] = await allLimited(subject.callConcurrency, [
    () => flavors.findByName(s, spec.flavor, call),
    () => images.find(s, spec.image, call).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e))),
    () => extensions.list(s, call),
    () => quotas.details(s, {}, call),
    () => limits.get(s, call),
    () => swiftInfo.get(s, call),
    () => networks.list(s, {}, call),
    () => subnets.list(s, {}, call),
  ] as const);
  const nets = {} as PreflightFacts["networks"];
  const subs = {} as PreflightFacts["subnets"];
  for (const role of NETWORK_ROLES) {
    const network = byNameOrId(allNetworks, spec.networks[role].network);
    const subnet = byNameOrId(allSubnets, spec.networks[role].subnet);
    nets[role] = network && { id: network.id, name: network.name };
    subs[role] = subnet && { id: subnet.id, name: subnet.name, networkId: subnet.networkId, cidr: subnet.cidr };
  }
  const networkIds = [...new Set(Object.values(nets).flatMap((n) => (n ? [n.id] : [])))];
  const portsOnNetworks = networkIds.length > 0 ? await ports.list(s, { networkId: networkIds }, call) : [];
  const q = (limit: number, used: number) => ({ limit, used });
  const neutron = (key: string) => netQuota[key] ?? { limit: -1, used: 0, reserved: 0 };
  const facts: PreflightFacts = {
    flavor: flavor ? { name: flavor.name, vcpus: flavor.vcpus, ram: flavor.ramMiB } : null,
    image: image ? { name: image.name, status: image.status } : null,
    networks: nets,
    subnets: subs,
    extensions: exts.map((e) => e.alias),
    foreignPorts: portsOnNetworks
      .filter((p) => !ownedBy(subject.plan, p, subject.plannedNames))
      .map((p) => ({ id: p.id, name: p.name, fixedIps: p.fixedIps.map((f) => f.ipAddress), allowedAddressPairs: p.allowedAddressPairs.map((a) => a.ipAddress) })),
    quotas: {
      instances: q(compute.maxInstances, compute.instancesUsed),
      cores: q(compute.maxCores, compute.coresUsed),
      ram: q(compute.maxRamMiB, compute.ramUsedMiB),
      serverGroups: q(compute.maxServerGroups, compute.serverGroupsUsed),
      ports: neutron("port"),
      securityGroups: neutron("security_group"),
      securityGroupRules: neutron("security_group_rule"),
    },
    swiftTempUrl: info.tempurl !== undefined,
    vrrpIdsOfOthers: await subject.vrrpIdsOfOthers(spec.networks.public.network),
    vrrpIdsOfOthersOnCluster: await subject.vrrpIdsOfOthers(spec.networks.cluster.network),
    vrrpIds: subject.vrrpIds,
  };
  const resolved: Partial<ResolvedIds> = {
    networkIds: Object.fromEntries(NETWORK_ROLES.map((r) => [r, nets[r]?.id ?? ""])) as Record<NetworkRole, string>,
    subnetIds: Object.fromEntries(NETWORK_ROLES.map((r) => [r, subs[r]?.id ?? ""])) as Record<NetworkRole, string>,
    flavorId: flavor?.id,
    imageId: image?.id,
  };
  return { facts, resolved };
}

export const preflight = clusterStep("preflight", { timeoutMs: 3 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const subject = {
    session: ctx.session,
    spec: ctx.spec,
    plan: ctx.plan,
    plannedNames: ctx.plannedNames,
    vrrpIds: { api: ctx.render.vrrp.apiId, ingress: ctx.render.vrrp.ingressId, apiInt: ctx.render.vrrp.apiIntId },
    vrrpIdsOfOthers: (network: string) => ctx.store.vrrpIdsOfOthers(network),
    callConcurrency: ctx.tuning.callConcurrency,
  };
  const { facts, resolved } = await gatherFacts(subject, io.signal);
  const problems = checkPreflight(ctx.spec, ctx.plan, facts);
  if (problems.length > 0) {
    for (const p of problems) await io.event("error", `${p.path}: ${p.message}`);
    throw new TerminalError(
      `preflight found ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      Object.fromEntries(problems.map((p) => [p.path, p.message])),
    );
  }
  // No problem means every id was found.
  return { resolved: ResolvedIds.parse(resolved) };
});
