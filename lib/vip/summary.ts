import type { ProblemCode, VipHealth } from "./health";

// The team oversight view: every cluster's VIPs in one line each, worst first.

export type VipStatus = VipHealth["status"];

export interface ClusterVipSummary {
  clusterId: string;
  clusterName: string;
  status: VipStatus;
  vips: { vip: VipHealth["vip"]; status: VipStatus; holders: string[]; problems: ProblemCode[] }[];
}

export interface OversightSummary {
  /** VIPs (not clusters) per status: a cluster with one VIP down and one ok counts once in each. */
  counts: Record<VipStatus, number>;
  clusters: ClusterVipSummary[];
}

const RANK: Record<VipStatus, number> = { ok: 0, degraded: 1, down: 2 };

export function oversightSummary(clusters: { clusterId: string; clusterName: string; health: VipHealth[] }[]): OversightSummary {
  const rows: ClusterVipSummary[] = clusters.map((c) => {
    const vips = c.health.map((h) => ({ vip: h.vip, status: h.status, holders: h.holders.map((x) => x.node), problems: [...new Set(h.problems.map((p) => p.code))] }));
    const status = vips.reduce<VipStatus>((worst, v) => (RANK[v.status] > RANK[worst] ? v.status : worst), "ok");
    return { clusterId: c.clusterId, clusterName: c.clusterName, status, vips };
  });
  rows.sort((a, b) => RANK[b.status] - RANK[a.status] || a.clusterName.localeCompare(b.clusterName));
  const counts: Record<VipStatus, number> = { ok: 0, degraded: 0, down: 0 };
  for (const r of rows) for (const v of r.vips) counts[v.status]++;
  return { counts, clusters: rows };
}
