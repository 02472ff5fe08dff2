import type { Prisma } from "@/lib/generated/prisma/client";
import { allocateVrrpId, allocateVrrpIds } from "@/lib/cluster-spec";
import type { Session } from "@/lib/openstack/client";
import { identityV3Root } from "@/lib/openstack/keystone/tokens/urls";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import { byNameOrId } from "./steps/preflight";

// VRRP router ids belong to a real Public network: one cloud (its Keystone v3 root and region, whichever project or
// registration reaches it) and one Neutron network id. Every project's clusters on that network draw from the same
// pool, in one transaction with a unique index behind it; teardown and draft deletion give the ids back.

type Tx = Prisma.TransactionClient;

/** The cloud a registration reaches, independent of project, credentials and registration name. */
export function vrrpScope(cloud: { authUrl: string; region: string | null }): string {
  const root = new URL(identityV3Root(cloud.authUrl));
  return `${root.protocol}//${root.host.toLowerCase()}${root.pathname}#${cloud.region ?? ""}`;
}

export interface PublicNetworkKey {
  scope: string;
  networkId: string;
}

/** Router ids other clusters hold on the network (ids from before per-network allocation count by registration). */
export async function routerIdsTaken(tx: Tx, key: PublicNetworkKey, legacy: { cloudId: string; publicNetwork: string }, exceptClusterId?: string): Promise<number[]> {
  const notMine = exceptClusterId ? { clusterId: { not: exceptClusterId } } : {};
  const [current, older] = await Promise.all([
    tx.vrrpRouterId.findMany({ where: { scope: key.scope, networkId: key.networkId, ...notMine }, select: { routerId: true } }),
    tx.vrrpIdAllocation.findMany({ where: { cloudId: legacy.cloudId, publicNetwork: legacy.publicNetwork, ...notMine }, select: { routerId: true } }),
  ]);
  return [...new Set([...current, ...older].map((r) => r.routerId))];
}

/** Takes the lowest free ids on the network for the cluster's VIPs; a concurrent writer that took one first trips the unique index. */
export async function allocateRouterIds<V extends string>(
  tx: Tx,
  clusterId: string,
  key: PublicNetworkKey,
  legacy: { cloudId: string; publicNetwork: string },
  vips: readonly V[],
): Promise<Record<V, number>> {
  const taken = await routerIdsTaken(tx, key, legacy);
  const ids = vips.length === 1 ? [allocateVrrpId(taken)] : Object.values(allocateVrrpIds(taken));
  const allocated = Object.fromEntries(vips.map((vip, i) => [vip, ids[i]])) as Record<V, number>;
  await tx.vrrpRouterId.createMany({ data: vips.map((vip) => ({ ...key, routerId: allocated[vip], clusterId, vip })) });
  return allocated;
}

/** Gives the cluster's router ids back to its network. */
export async function releaseRouterIds(tx: Tx, clusterId: string): Promise<void> {
  await tx.vrrpRouterId.deleteMany({ where: { clusterId } });
  await tx.vrrpIdAllocation.deleteMany({ where: { clusterId } });
}

/** The Neutron id of the network a spec names (by name or id); null when the cloud has no such network. */
export async function networkIdOf(session: Session, nameOrId: string): Promise<string | null> {
  return byNameOrId(await networks.list(session), nameOrId)?.id ?? null;
}
