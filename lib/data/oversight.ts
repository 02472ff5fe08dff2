import { z } from "zod";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { ACTIVE_OPERATION_STATUSES, LIVE_CLUSTER_STATUSES, OPERATION_KINDS, SHOWN_CLUSTER_STATUSES } from "@/lib/domain";
import { stepsFor } from "@/lib/lifecycle/steps";
import { DEFAULT_SETTINGS } from "@/lib/vip/health";
import { byWorstVipFirst, summaryAsOf, type OversightSummary, type VipStatus } from "@/lib/vip/summary";
import { CLUSTER_SORTS, clusterHeadline, clusterOrder, HEADLINE_SELECT, statusWhere, type ClusterSort } from "./directory";
import { ForbiddenError, parseCommand } from "./errors";
import { count, inScope } from "./sql";
import { pageInfo, pageQuery, prefixRange, window, type PageInfo } from "./paging";

// Team oversight: the clusters of the projects the actor leads (all of them for an admin), a page at a time, from
// each cluster's summary row (ClusterHealth: last operation, running step, present resources, VIP health), never
// from the history behind it. What is stuck (a running operation whose worker stopped heartbeating) is read from the
// page's running operations' leases and steps (no heartbeat, or past the step's timeout); the totals are aggregate
// queries; VIPs are counted per VIP (the summary row keeps each cluster's counts); orphans are what the reconciler found in the
// cloud (tagged for unknown or deleted clusters, or Tripod-named and unowned).

export interface OversightRow {
  id: string;
  name: string;
  project: string;
  status: string;
  createdBy: string;
  createdAt: string;
  operation: {
    kind: string;
    status: string;
    requestedBy: string;
    step: string | null;
    /** When the running step started (time in the current step). */
    stepSince: string | null;
    /** Why it is stuck: the worker stopped heartbeating, or the step ran past its timeout; null when it is not. */
    stuck: string | null;
    /** The error's first line, and how many problems it names (preflight lists several). */
    error: { first: string; problems: number } | null;
  } | null;
  /** A two-person teardown waiting for its second member. */
  needsApproval: { requestedBy: string; at: string } | null;
  presentResources: number;
}

export const OVERSIGHT_PROBLEMS = ["active", "stuck", "failed", "needs-approval", "orphaned", "vip-degraded", "vip-down"] as const;
export type OversightProblem = (typeof OVERSIGHT_PROBLEMS)[number];

export const OversightQuery = pageQuery(CLUSTER_SORTS, "name", "asc").extend({
  status: z.enum(SHOWN_CLUSTER_STATUSES, { error: "Not a cluster status" }).optional(),
  problem: z.enum(OVERSIGHT_PROBLEMS, { error: "Not a problem filter" }).optional(),
  q: z.string().max(63, "At most 63 characters").optional(),
});
export type OversightInput = Partial<z.input<typeof OversightQuery>>;

/** "preflight found 3 problem(s): a; b; c" → the first problem and 3; any other error → its first line and 1. */
export function summarizeError(error: string): { first: string; problems: number } {
  const preflight = /^preflight found (\d+) problem\(s\): ([^]*)$/.exec(error);
  if (preflight) return { first: preflight[2].split("; ")[0], problems: Number(preflight[1]) };
  return { first: error.split("\n")[0], problems: 1 };
}

/** Every step's timeout, by operation kind and step name. */
const STEP_TIMEOUTS = OPERATION_KINDS.flatMap((kind) => stepsFor(kind).map((s) => ({ kind, name: s.name, timeoutMs: s.timeoutMs })));

export interface Oversight {
  rows: OversightRow[];
  page: PageInfo<ClusterSort>;
  filters: { status?: string; problem?: OversightProblem; q?: string };
  totals: Record<"clusters" | "active" | "stuck" | "failed" | "cancelled" | "needsApproval" | "orphaned", number>;
  /** keepalived VIP health: counts over every visible live cluster, and the page's clusters worst first. */
  vips: OversightSummary;
}

const leaseLapsed = (now: Date): Prisma.OperationWhereInput => ({ status: "running", OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] });

/** A running operation whose running step started longer ago than that step's timeout. */
const pastTimeout = (now: Date): Prisma.OperationWhereInput => ({
  status: "running",
  OR: STEP_TIMEOUTS.map((t) => ({ kind: t.kind, steps: { some: { name: t.name, status: "running", startedAt: { lt: new Date(now.getTime() - t.timeoutMs) } } } })),
});

/** Stuck: the worker stopped heartbeating, or the step ran past its timeout. */
const stuckWhere = (now: Date): Prisma.OperationWhereInput => ({ OR: [leaseLapsed(now), pastTimeout(now)] });

function problemWhere(problem: OversightProblem | undefined, now: Date): Prisma.ClusterWhereInput {
  switch (problem) {
    case "active":
      return { health: { is: { operationStatus: { in: ACTIVE_OPERATION_STATUSES } } } };
    case "stuck":
      return { operations: { some: stuckWhere(now) } };
    case "failed":
      return statusWhere("failed");
    case "needs-approval":
      return { teardownRequests: { some: { status: "pending" } } };
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
    ...statusWhere(req.status),
    ...(req.q ? { name: prefixRange(req.q) } : {}),
    ...problemWhere(req.problem, now),
  };
  const silentSince = new Date(now.getTime() - DEFAULT_SETTINGS.silentAfterMs);
  const live = Prisma.join(LIVE_CLUSTER_STATUSES);
  const [clusters, matching, [totals], stuck, needsApproval, silent] = await Promise.all([
    db.cluster.findMany({
      where,
      select: {
        ...HEADLINE_SELECT,
        teardownRequests: { where: { status: "pending" }, take: 1, select: { createdAt: true, requestedBy: { select: { username: true } } } },
        health: {
          select: { operationId: true, operationKind: true, operationStatus: true, operationBy: true, operationError: true, currentStep: true, presentResources: true, vipJson: true, vipHeardAt: true },
        },
      },
      orderBy: clusterOrder(req.sort, req.dir),
      ...window(req),
    }),
    db.cluster.count({ where }),
    // the totals of the whole scope in one pass over its clusters and their summary rows
    db.$queryRaw<Record<"clusters" | "active" | "failed" | "cancelled" | "orphaned" | VipStatus, number | bigint | null>[]>`
      SELECT COUNT(*) AS "clusters",
        SUM(CASE WHEN h."operationStatus" IN (${Prisma.join(ACTIVE_OPERATION_STATUSES)}) THEN 1 ELSE 0 END) AS "active",
        SUM(CASE WHEN c."status" = 'failed' AND (h."operationStatus" IS NULL OR h."operationStatus" <> 'cancelled') THEN 1 ELSE 0 END) AS "failed",
        SUM(CASE WHEN c."status" = 'failed' AND h."operationStatus" = 'cancelled' THEN 1 ELSE 0 END) AS "cancelled",
        SUM(CASE WHEN c."status" = 'deleted' AND h."presentResources" > 0 THEN 1 ELSE 0 END) AS "orphaned",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipOk" ELSE 0 END) AS "ok",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipDegraded" ELSE 0 END) AS "degraded",
        SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipDown" ELSE 0 END) AS "down"
      FROM "Cluster" c LEFT JOIN "ClusterHealth" h ON h."clusterId" = c."id"
      WHERE ${inScope(projectIdFilter(actor, "lead"), Prisma.sql`c."projectId"`)}`,
    db.operation.count({ where: { ...stuckWhere(now), cluster: { is: scope } } }),
    db.teardownRequest.count({ where: { status: "pending", cluster: { is: scope } } }),
    // VIPs stored "ok" but a node of theirs has gone silent since: shown (and counted) as degraded
    db.clusterHealth.aggregate({
      _sum: { vipOk: true },
      where: { cluster: { is: { ...scope, status: { in: LIVE_CLUSTER_STATUSES } } }, vipStatus: { not: null }, OR: [{ vipHeardAt: null }, { vipHeardAt: { lt: silentSince } }] },
    }),
  ]);

  // The page's running operations: is their worker still heartbeating, and since when does their step run?
  const running = clusters.flatMap((c) => (c.health?.operationStatus === "running" && c.health.operationId ? [c.health.operationId] : []));
  const runningOps = new Map(
    running.length
      ? (
          await db.operation.findMany({
            where: { id: { in: running } },
            select: { id: true, kind: true, leaseExpiresAt: true, steps: { where: { status: "running" }, take: 1, select: { name: true, startedAt: true } } },
            take: running.length,
          })
        ).map((o) => [o.id, o])
      : [],
  );
  const stuckReason = (id: string): { since: Date | null; stuck: string | null } => {
    const op = runningOps.get(id);
    if (!op) return { since: null, stuck: null };
    const step = op.steps[0];
    const timeout = step && STEP_TIMEOUTS.find((t) => t.kind === op.kind && t.name === step.name)?.timeoutMs;
    const lostHeartbeat = !op.leaseExpiresAt || op.leaseExpiresAt < now;
    const overdue = !!(step?.startedAt && timeout && now.getTime() - step.startedAt.getTime() > timeout);
    return { since: step?.startedAt ?? null, stuck: lostHeartbeat ? "no worker heartbeat" : overdue ? `past the step's ${Math.round(timeout! / 60_000)} min timeout` : null };
  };

  const rows: OversightRow[] = clusters.map((c) => {
    const h = c.health;
    const request = c.teardownRequests[0];
    const { since, stuck } = h?.operationId ? stuckReason(h.operationId) : { since: null, stuck: null };
    return {
      ...clusterHeadline(c, h?.operationStatus),
      operation:
        h?.operationId && h.operationKind && h.operationStatus
          ? {
              kind: h.operationKind,
              status: h.operationStatus,
              requestedBy: h.operationBy ?? "unknown",
              step: h.currentStep,
              stepSince: since?.toISOString() ?? null,
              stuck,
              error: h.operationError ? summarizeError(h.operationError) : null,
            }
          : null,
      needsApproval: request ? { requestedBy: request.requestedBy.username, at: request.createdAt.toISOString() } : null,
      presentResources: h?.presentResources ?? 0,
    };
  });

  const silentOk = silent._sum.vipOk ?? 0;
  const counts: Record<VipStatus, number> = { ok: count(totals.ok) - silentOk, degraded: count(totals.degraded) + silentOk, down: count(totals.down) };
  const vipClusters = clusters
    .filter((c) => (LIVE_CLUSTER_STATUSES as string[]).includes(c.status) && c.health?.vipJson)
    .map((c) => summaryAsOf({ clusterId: c.id, clusterName: c.name, vipJson: c.health!.vipJson!, vipHeardAt: c.health!.vipHeardAt }, now))
    .sort(byWorstVipFirst);

  return {
    rows,
    page: pageInfo(matching, req),
    filters: { status: req.status, problem: req.problem, q: req.q },
    totals: {
      clusters: count(totals.clusters),
      active: count(totals.active),
      stuck,
      failed: count(totals.failed),
      cancelled: count(totals.cancelled),
      needsApproval,
      orphaned: count(totals.orphaned),
    },
    vips: { counts, clusters: vipClusters },
  };
}
