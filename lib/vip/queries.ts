import type { Db } from "@/lib/db";
import type { VrrpState } from "./protocol";
import { nodeReportOf, type NodeReport, type TransitionObservation } from "./observations";

// The read side: a cluster's stored transitions and reports since a moment, as lib/vip's values.
export async function loadVipObservations(db: Db, clusterId: string, since: Date): Promise<{ transitions: TransitionObservation[]; reports: NodeReport[] }> {
  const [transitions, reports] = await Promise.all([
    db.vrrpTransition.findMany({ where: { clusterId, at: { gte: since } }, orderBy: { at: "asc" } }),
    db.vrrpReport.findMany({ where: { clusterId, sentAt: { gte: since } }, orderBy: { sentAt: "asc" } }),
  ]);
  return {
    transitions: transitions.map((t) => ({ node: t.node, instance: t.instance, state: t.state as VrrpState, priority: t.priority, at: t.at, receivedAt: t.receivedAt })),
    reports: reports.map(nodeReportOf),
  };
}
