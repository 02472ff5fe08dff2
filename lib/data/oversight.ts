import { z } from "zod";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { ACTIVE_OPERATION_STATUSES, CLUSTER_STATUSES, LIVE_CLUSTER_STATUSES } from "@/lib/domain";
import { DEFAULT_SETTINGS } from "@/lib/vip/health";
import { byWorstVipFirst, summaryAsOf, type OversightSummary, type VipStatus } from "@/lib/vip/summary";
import { CLUSTER_SORTS, clusterOrder, type ClusterSort } from "./directory";
import { ForbiddenError, parseCommand } from "./errors";
import { count, inScope } from "./sql";
import { pageInfo, pageQuery, prefixRange, window, type PageInfo } from "./paging";

// Team oversight: the clusters of the projects the actor leads (all of them for an admin), a page at a time, from
// each cluster's summary row (ClusterHealth: last operation, running step, present resources, VIP health), never
// from the history behind it. What is stuck (a running operation whose worker stopped heartbeating) is read from the
// page's running operations' leases; the totals are aggregate queries; orphans are what the reconciler found in the
// cloud (tagged for unknown or deleted clusters, or Tripod-named and unowned).

export interface OversightRow {
  id: string;
  name: string;
  project: string;
  status: string;
  createdBy: string;
  operation: { kind: string; status: string; requestedBy: string; step: string | null; stuck: boolean; error: string | null } | null;
  presentResources: number;
}

export const OVERSIGHT_PROBLEMS = ["active", "stuck", "failed", "orphaned", "vip-degraded", "vip-down"] as const;
export type OversightProblem = (typeof OVERSIGHT_PROBLEMS)[number];

export const OversightQuery = pageQuery(CLUSTER_SORTS, "name", "asc").extend({
  status: z.enum(CLUSTER_STATUSES, { error: "Not a cluster status" }).optional(),
  problem: z.enum(OVERSIGHT_PROBLEMS, { error: "Not a problem filter" }).optional(),
  q: z.string().max(63, "At most 63 characters").optional(),
});
export type OversightInput = Partial<z.input<typeof OversightQuery>>;

export interface Oversight {
  rows: OversightRow[];
  page: PageInfo<ClusterSort>;
  filters: { status?: string; problem?: OversightProblem; q?: string };
  totals: Record<"clusters" | "active" | "stuck" | "failed" | "orphaned", number>;
  /** keepalived VIP health: counts over every visible live cluster, and the page's clusters worst first. */
  vips: OversightSummary;
}

const leaseLapsed = (now: Date): Prisma.OperationWhereInput => ({ status: "running", OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] });

function problemWhere(problem: OversightProblem | undefined, now: Date): Prisma.ClusterWhereInput {
  switch (problem) {
    case "active":
      return { health: { is: { operationStatus: { in: ACTIVE_OPERATION_STATUSES } } } };
    case "stuck":
      return { operations: { some: leaseLapsed(now) } };
    case "failed":
      return { status: "failed" };
    case "orphaned":
      return { status: "deleted", health: { is: { presentResources: { gt: 0 } } } };
    case "vip-degraded":
    case "vip-down":
      return { status: { in: LIVE_CLUSTER_STATUSES }, health: { is: { vipStatus: problem === "vip-down" ? "down" : "degraded" } } };
    default:
      return {};
  }
}

export async function getOversight(db: Db, actor: Actor, query: OversightInput = {}, now = new Date()): Promise<Oversight> {
  if (!can(actor, "oversight.read")) throw new ForbiddenError();
  const req = parseCommand(OversightQuery, query);
  const scope: Prisma.ClusterWhereInput = { projectId: projectIdFilter(actor, "lead") };
  const where: Prisma.ClusterWhereInput = {
    ...scope,
    ...(req.status ? { status: req.status } : {}),
    ...(req.q ? { name: prefixRange(req.q) } : {}),
    ...problemWhere(req.problem, now),
  };
  const silentSince = new Date(now.getTime() - DEFAULT_SETTINGS.silentAfterMs);
  const live = Prisma.join(LIVE_CLUSTER_STATUSES);
  const [clusters, matching, [totals], stuck, silentOk] = await Promise.all([
    db.cluster.findMany({
      where,
      select: {
        id: true,
        name: true,
        status: true,
        project: { select: { name: true } },
        createdBy: { select: { username: true } },
        health: {
          select: { operationId: true, operationKind: true, operationStatus: true, operationBy: true, operationError: true, currentStep: true, presentResources: true, vipJson: true, vipHeardAt: true },
        },
      },
      orderBy: clusterOrder(req.sort, req.dir),
      ...window(req),
    }),
    db.cluster.count({ where }),
    // the totals of the whole scope in one pass over its clusters and their summary rows
    db.$queryRaw<Record<"clusters" | "active" | "failed" | "orphaned" | VipStatus, number | bigint | null>[]>`
      SELECT COUNT(*) AS "clusters",
        SUM(CASE WHEN h."operationStatus" IN (${Prisma.join(ACTIVE_OPERATION_STATUSES)}) THEN 1 ELSE 0 END) AS "active",
        SUM(CASE WHEN c."status" = 'failed' THEN 1 ELSE 0 END) AS "failed",
        SUM(CASE WHEN c."status" = 'deleted' AND h."presentResources" > 0 THEN 1 ELSE 0 END) AS "orphaned",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" = 'ok' THEN 1 ELSE 0 END) AS "ok",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" = 'degraded' THEN 1 ELSE 0 END) AS "degraded",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" = 'down' THEN 1 ELSE 0 END) AS "down"
      FROM "Cluster" c LEFT JOIN "ClusterHealth" h ON h."clusterId" = c."id"
      WHERE ${inScope(projectIdFilter(actor, "lead"), Prisma.sql`c."projectId"`)}`,
    db.operation.count({ where: { ...leaseLapsed(now), cluster: { is: scope } } }),
    // stored "ok" but a node has gone silent since: shown (and counted) as degraded
    db.clusterHealth.count({
      where: { cluster: { is: { ...scope, status: { in: LIVE_CLUSTER_STATUSES } } }, vipStatus: "ok", OR: [{ vipHeardAt: null }, { vipHeardAt: { lt: silentSince } }] },
    }),
  ]);

  // The page's running operations: is their worker still heartbeating?
  const running = clusters.flatMap((c) => (c.health?.operationStatus === "running" && c.health.operationId ? [c.health.operationId] : []));
  const lapsed = new Set(
    running.length
      ? (await db.operation.findMany({ where: { id: { in: running }, ...leaseLapsed(now) }, select: { id: true }, take: running.length })).map((o) => o.id)
      : [],
  );

  const rows: OversightRow[] = clusters.map((c) => {
    const h = c.health;
    return {
      id: c.id,
      name: c.name,
      project: c.project.name,
      status: c.status,
      createdBy: c.createdBy.username,
      operation:
        h?.operationId && h.operationKind && h.operationStatus
          ? {
              kind: h.operationKind,
              status: h.operationStatus,
              requestedBy: h.operationBy ?? "unknown",
              step: h.currentStep,
              stuck: lapsed.has(h.operationId),
              error: h.operationError,
            }
          : null,
      presentResources: h?.presentResources ?? 0,
    };
  });

  const counts: Record<VipStatus, number> = { ok: count(totals.ok) - silentOk, degraded: count(totals.degraded) + silentOk, down: count(totals.down) };
  const vipClusters = clusters
    .filter((c) => (LIVE_CLUSTER_STATUSES as string[]).includes(c.status) && c.health?.vipJson)
    .map((c) => summaryAsOf({ clusterId: c.id, clusterName: c.name, vipJson: c.health!.vipJson!, vipHeardAt: c.health!.vipHeardAt }, now))
    .sort(byWorstVipFirst);

  return {
    rows,
    page: pageInfo(matching, req),
    filters: { status: req.status, problem: req.problem, q: req.q },
    totals: { clusters: count(totals.clusters), active: count(totals.active), stuck, failed: count(totals.failed), orphaned: count(totals.orphaned) },
    vips: { counts, clusters: vipClusters },
  };
}
