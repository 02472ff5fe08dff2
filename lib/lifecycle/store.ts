import type { Db } from "@/lib/db";
import { routerIdsTaken, type PublicNetworkKey } from "./vrrp";
import { touchCluster } from "@/lib/cluster-health";

// What the steps read and write in Tripod's own records besides the resource ledger: a small interface, so the
// steps never hold the database and unit tests can hand them a map.
export interface ClusterStore {
  /** VRRP router ids other Tripod clusters hold on a network of this cloud (preflight checks for clashes). */
  vrrpIdsOfOthers(network: string): Promise<number[]>;
  /** Set once bootstrap-complete was observed or asserted by a lead; null until then. */
  bootstrapCompletion(): Promise<{ at: Date; by: string } | null>;
  recordBootstrapComplete(by: string, at: Date): Promise<void>;
}

/**
 * Which real network (cloud + Neutron id) each of the spec's network names is, from the cluster's router id rows:
 * the Public network is the API VIP's, the Cluster network the internal API VIP's (Public last: when both roles
 * name one network, its key is the API VIP's).
 */
export function routerIdNetworks(
  spec: { networks: { public: { network: string }; cluster: { network: string } } },
  rows: readonly { vip: string; scope: string; networkId: string }[],
): Record<string, PublicNetworkKey | null> {
  const keyOf = (vip: string) => {
    const row = rows.find((r) => r.vip === vip);
    return row ? { scope: row.scope, networkId: row.networkId } : null;
  };
  return { [spec.networks.cluster.network]: keyOf("api-int"), [spec.networks.public.network]: keyOf("api") };
}

export function prismaClusterStore(
  db: Db,
  cluster: { id: string; cloudId: string; networks: Record<string, PublicNetworkKey | null> },
): ClusterStore {
  return {
    async vrrpIdsOfOthers(network) {
      // By the network's real key (cloud + Neutron id) as resolved at draft time; clusters drafted before have none:
      // then only their registration's ids on a network of that name count.
      const key = cluster.networks[network] ?? { scope: "", networkId: "" };
      return routerIdsTaken(db, key, { cloudId: cluster.cloudId, publicNetwork: network }, cluster.id);
    },
    async bootstrapCompletion() {
      const row = await db.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { bootstrapCompletedAt: true, bootstrapCompletedBy: true } });
      return row.bootstrapCompletedAt ? { at: row.bootstrapCompletedAt, by: row.bootstrapCompletedBy ?? "unknown" } : null;
    },
    async recordBootstrapComplete(by, at) {
      await db.cluster.update({ where: { id: cluster.id }, data: { bootstrapCompletedAt: at, bootstrapCompletedBy: by } });
      await touchCluster(db, cluster.id);
    },
  };
}
