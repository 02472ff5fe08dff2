import type { Db } from "@/lib/db";

// What the steps read and write in Tripod's own records besides the resource ledger: a small interface, so the
// steps never hold the database and unit tests can hand them a map.
export interface ClusterStore {
  /** VRRP router ids other Tripod clusters hold on a network of this cloud (preflight checks for clashes). */
  vrrpIdsOfOthers(network: string): Promise<number[]>;
  /** Set once bootstrap-complete was observed or asserted by a lead; null until then. */
  bootstrapCompletion(): Promise<{ at: Date; by: string } | null>;
  recordBootstrapComplete(by: string, at: Date): Promise<void>;
}

export function prismaClusterStore(db: Db, cluster: { id: string; cloudId: string }): ClusterStore {
  return {
    async vrrpIdsOfOthers(network) {
      const others = await db.vrrpIdAllocation.findMany({
        where: { cloudId: cluster.cloudId, publicNetwork: network, clusterId: { not: cluster.id } },
        select: { routerId: true },
      });
      return others.map((o) => o.routerId);
    },
    async bootstrapCompletion() {
      const row = await db.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { bootstrapCompletedAt: true, bootstrapCompletedBy: true } });
      return row.bootstrapCompletedAt ? { at: row.bootstrapCompletedAt, by: row.bootstrapCompletedBy ?? "unknown" } : null;
    },
    async recordBootstrapComplete(by, at) {
      await db.cluster.update({ where: { id: cluster.id }, data: { bootstrapCompletedAt: at, bootstrapCompletedBy: by } });
    },
  };
}
