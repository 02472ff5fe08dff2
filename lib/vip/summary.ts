import type { VipHealthSummary } from "@/lib/cluster-health";
import { VIP_STATUSES, worstVipStatus, type VipStatus } from "@/lib/domain";
import { DEFAULT_SETTINGS, type ProblemCode, type VipHealth } from "./health";

// The team oversight view: every cluster's VIPs in one line each. Computed when an agent message changes them
// (storeVipSummary), stored in the cluster's summary row, and read back with the silence only time can add.

export type { VipStatus };

export interface ClusterVipSummary {
  clusterId: string;
  clusterName: string;
  status: VipStatus;
  vips: { vip: VipHealth["vip"]; status: VipStatus; holders: string[]; problems: ProblemCode[] }[];
}

export interface OversightSummary {
  counts: Record<VipStatus, number>;
  clusters: ClusterVipSummary[];
}


/** One cluster's VIP health as the summary row keeps it. */
export function clusterVipSummary(health: VipHealth[]): VipHealthSummary {
  const vips = health.map((h) => ({ vip: h.vip, status: h.status, holders: h.holders.map((x) => x.node), problems: [...new Set(h.problems.map((p) => p.code))] }));
  const heard = health.flatMap((h) => h.nodes.map((n) => n.lastReportAt?.getTime() ?? null));
  const heardAt = heard.length && heard.every((t) => t !== null) ? new Date(Math.min(...(heard as number[]))) : null;
  return { status: worstVipStatus(vips.map((v) => v.status)), vips, heardAt };
}

/**
 * A stored summary as of `now`: when a node has not been heard from for the silence threshold since it was computed,
 * every VIP is at least degraded with "node-silent" (nothing else can change without a message).
 */
export function summaryAsOf(
  row: { clusterId: string; clusterName: string; vipJson: string; vipHeardAt: Date | null },
  now: Date,
  silentAfterMs = DEFAULT_SETTINGS.silentAfterMs,
): ClusterVipSummary {
  const stored = JSON.parse(row.vipJson) as ClusterVipSummary["vips"];
  const silent = !row.vipHeardAt || now.getTime() - row.vipHeardAt.getTime() > silentAfterMs;
  const vips = stored.map((v) =>
    silent && !v.problems.includes("node-silent") ? { ...v, status: worstVipStatus([v.status, "degraded"]), problems: [...v.problems, "node-silent" as const] } : v,
  );
  return { clusterId: row.clusterId, clusterName: row.clusterName, status: worstVipStatus(vips.map((v) => v.status)), vips };
}

export function byWorstVipFirst(a: ClusterVipSummary, b: ClusterVipSummary): number {
  return VIP_STATUSES.indexOf(b.status) - VIP_STATUSES.indexOf(a.status) || a.clusterName.localeCompare(b.clusterName);
}
