import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { dateOf, intOrNull, sqlTime } from "@/lib/db-values";
import { LIVE_CLUSTER_STATUSES } from "@/lib/domain";
import type { VrrpState } from "./protocol";
import { nodeReportOf, type NodeReport, type TransitionObservation } from "./observations";
import { slicer } from "@/lib/util/slices";

// The read side: stored transitions and reports since a moment, as lib/vip's values. Raw statements past Prisma's
// query compiler (lib/db.ts readRows): the cluster page reads them on every full answer.

export interface VipObservations {
  transitions: TransitionObservation[];
  reports: NodeReport[];
}

type TransitionRow = { clusterId: string; node: string; instance: string; state: string; priority: number | bigint | string | null; at: string | Date; receivedAt: string | Date };
type ReportRow = { clusterId: string; node: string; keepalivedVersion: string | null; snapshotJson: string; sentAt: string | Date; receivedAt: string | Date };
const TRANSITION_COLUMNS = Prisma.sql`t."clusterId", t."node", t."instance", t."state", t."priority", t."at", t."receivedAt"`;
const REPORT_COLUMNS = Prisma.sql`r."clusterId", r."node", r."keepalivedVersion", r."snapshotJson", r."sentAt", r."receivedAt"`;

const transitionOf = (t: TransitionRow): TransitionObservation => ({
  node: t.node,
  instance: t.instance,
  state: t.state as VrrpState,
  priority: intOrNull(t.priority),
  at: dateOf(t.at),
  receivedAt: dateOf(t.receivedAt),
});
const reportOf = (r: ReportRow): NodeReport => nodeReportOf({ ...r, sentAt: dateOf(r.sentAt), receivedAt: dateOf(r.receivedAt) });

/**
 * The reports since `since`, and a node's last report when it is older: a node silent for longer than the window is
 * still known by its last state and when it sent it (the VIP's last known holder; "has not reported since" a time),
 * not taken for one that never reported.
 */
const sinceOrLast = (since: Date) => Prisma.sql`(r."sentAt" >= ${sqlTime(since)} OR NOT ${laterReportExists(Prisma.raw("r"))})`;

/**
 * Whether its node sent a later report than `report` (its table's name or alias, as SQL): then it is not the node's
 * last, which the reads here and the ingest's prune both keep.
 */
export const laterReportExists = (report: Prisma.Sql) =>
  Prisma.sql`EXISTS (SELECT 1 FROM "VrrpReport" l WHERE l."clusterId" = ${report}."clusterId" AND l."node" = ${report}."node" AND l."sentAt" > ${report}."sentAt")`;

/** A cluster's transitions since `since` and its reports since then (sinceOrLast), oldest first. */
export async function loadVipObservations(db: Db, clusterId: string, since: Date): Promise<VipObservations> {
  const [transitions, reports] = await Promise.all([
    readRows<TransitionRow>(db, Prisma.sql`SELECT ${TRANSITION_COLUMNS} FROM "VrrpTransition" t WHERE t."clusterId" = ${clusterId} AND t."at" >= ${sqlTime(since)} ORDER BY t."at" ASC`),
    readRows<ReportRow>(db, Prisma.sql`SELECT ${REPORT_COLUMNS} FROM "VrrpReport" r WHERE r."clusterId" = ${clusterId} AND ${sinceOrLast(since)} ORDER BY r."sentAt" ASC`),
  ]);
  return { transitions: transitions.map(transitionOf), reports: reports.map(reportOf) };
}

/**
 * Every live cluster's transitions and reports since `since` (sinceOrLast), by cluster id, in two statements (/api/metrics: one
 * pair of statements per cluster cost a scrape 800 pairs at 1,000 clusters).
 */
export async function loadLiveVipObservations(db: Db, since: Date): Promise<Map<string, VipObservations>> {
  const live = Prisma.join(LIVE_CLUSTER_STATUSES);
  const [transitions, reports] = await Promise.all([
    readRows<TransitionRow>(
      db,
      Prisma.sql`SELECT ${TRANSITION_COLUMNS} FROM "VrrpTransition" t JOIN "Cluster" c ON c."id" = t."clusterId"
        WHERE c."status" IN (${live}) AND t."at" >= ${sqlTime(since)} ORDER BY t."at" ASC`,
    ),
    readRows<ReportRow>(
      db,
      Prisma.sql`SELECT ${REPORT_COLUMNS} FROM "VrrpReport" r JOIN "Cluster" c ON c."id" = r."clusterId"
        WHERE c."status" IN (${live}) AND ${sinceOrLast(since)} ORDER BY r."sentAt" ASC`,
    ),
  ]);
  const byCluster = new Map<string, VipObservations>();
  const of = (clusterId: string) => byCluster.get(clusterId) ?? byCluster.set(clusterId, { transitions: [], reports: [] }).get(clusterId)!;
  for (const t of transitions) of(t.clusterId).transitions.push(transitionOf(t));
  // each report's snapshot is parsed: ~2,400 of them at 1,000 clusters, in slices (lib/util/slices.ts)
  const giveWay = slicer();
  for (const r of reports) {
    await giveWay();
    of(r.clusterId).reports.push(reportOf(r));
  }
  return byCluster;
}
