import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { dateOf, intOrNull, sqlTime } from "@/lib/db-values";
import type { VrrpState } from "./protocol";
import { nodeReportOf, type NodeReport, type TransitionObservation } from "./observations";

// The read side: a cluster's stored transitions and reports since a moment, as lib/vip's values. Raw statements
// past Prisma's query compiler (lib/db.ts readRows): the cluster page reads them on every full answer.
export async function loadVipObservations(db: Db, clusterId: string, since: Date): Promise<{ transitions: TransitionObservation[]; reports: NodeReport[] }> {
  const [transitions, reports] = await Promise.all([
    readRows<{ node: string; instance: string; state: string; priority: number | bigint | string | null; at: string | Date; receivedAt: string | Date }>(
      db,
      Prisma.sql`SELECT t."node", t."instance", t."state", t."priority", t."at", t."receivedAt" FROM "VrrpTransition" t
        WHERE t."clusterId" = ${clusterId} AND t."at" >= ${sqlTime(since)} ORDER BY t."at" ASC`,
    ),
    readRows<{ node: string; keepalivedVersion: string | null; snapshotJson: string; sentAt: string | Date; receivedAt: string | Date }>(
      db,
      Prisma.sql`SELECT r."node", r."keepalivedVersion", r."snapshotJson", r."sentAt", r."receivedAt" FROM "VrrpReport" r
        WHERE r."clusterId" = ${clusterId} AND r."sentAt" >= ${sqlTime(since)} ORDER BY r."sentAt" ASC`,
    ),
  ]);
  return {
    transitions: transitions.map((t) => ({ node: t.node, instance: t.instance, state: t.state as VrrpState, priority: intOrNull(t.priority), at: dateOf(t.at), receivedAt: dateOf(t.receivedAt) })),
    reports: reports.map((r) => nodeReportOf({ ...r, sentAt: dateOf(r.sentAt), receivedAt: dateOf(r.receivedAt) })),
  };
}
