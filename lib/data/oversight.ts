import { z } from "zod";
import { readRows, type Db } from "@/lib/db";
import { count, dateOf, dateOrNull, sqlTime } from "@/lib/db-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { ACTIVE_OPERATION_STATUSES, LIVE_CLUSTER_STATUSES, OPERATION_KINDS, SHOWN_CLUSTER_STATUSES } from "@/lib/domain";
import { stepsFor } from "@/lib/lifecycle/steps";
import { DEFAULT_SETTINGS } from "@/lib/vip/health";
import { byWorstVipFirst, summaryAsOf, type OversightSummary, type VipStatus } from "@/lib/vip/summary";
import {
  CLUSTER_PAGE_SIZE,
  CLUSTER_SORTS,
  clusterHeadline,
  clusterOrderSql,
  HEADLINE_COLUMNS,
  HEADLINE_JOINS,
  HEALTH_JOIN,
  inOrderOf,
  namePrefixSql,
  statusReadsHealth,
  statusSql,
  type ClusterSort,
  type HeadlineRow,
} from "./directory";
import { ForbiddenError, parseCommand } from "./errors";
import { inScope } from "./sql";
import { pageInfo, pageQuery, window, type PageInfo } from "./paging";

// Team oversight: the clusters of the projects the actor leads (all of them for an admin), a page at a time, from
// each cluster's summary row (ClusterHealth: last operation, running step, present resources, VIP health), never
// from the history behind it. What is stuck (a running operation whose worker stopped heartbeating, or whose step ran
// past its timeout) is read from the scope's running operations' leases and running steps; the totals are one
// aggregate statement; VIPs are counted per VIP (the summary row keeps each cluster's counts); orphans are what the
// reconciler found in the cloud (tagged for unknown or deleted clusters, or Tripod-named and unowned).
// Raw SQL past Prisma's query compiler (lib/db.ts readRows): compiling the stuck count's OR over every step's
// timeout and the page's relations cost more CPU than SQLite's answers.

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

export const OversightQuery = pageQuery(CLUSTER_SORTS, "name", "asc", CLUSTER_PAGE_SIZE).extend({
  status: z.enum(SHOWN_CLUSTER_STATUSES, { error: "Not a cluster status" }).optional(),
  problem: z.enum(OVERSIGHT_PROBLEMS, { error: "Not a problem filter" }).optional(),
  q: z.string().max(63, "At most 63 characters").optional(),
});
export type OversightInput = Partial<z.input<typeof OversightQuery>>;

/**
 * A failed operation's error as the engine records it, "<step>: <what went wrong>", under the row that names the
 * step (`step`, where it stopped): without that prefix; "preflight found 3 problems: a; b; c" → the first problem
 * and 3 (errors recorded before 6 December 2026 say "problem(s)"); any other error → its first line and 1.
 */
export function summarizeError(error: string, step: string | null): { first: string; problems: number } {
  const text = step && error.startsWith(`${step}: `) ? error.slice(step.length + 2) : error;
  const preflight = /^preflight found (\d+) problem(?:s|\(s\))?: ([^]*)$/.exec(text);
  if (preflight) return { first: preflight[2].split("; ")[0], problems: Number(preflight[1]) };
  return { first: text.split("\n")[0], problems: 1 };
}

/** Every step's timeout, by operation kind and step name. */
const STEP_TIMEOUTS = new Map<string, number>(OPERATION_KINDS.flatMap((kind) => stepsFor(kind).map((s) => [`${kind}/${s.name}`, s.timeoutMs] as const)));

export interface Oversight {
  rows: OversightRow[];
  page: PageInfo<ClusterSort>;
  filters: { status?: string; problem?: OversightProblem; q?: string };
  totals: Record<"clusters" | "active" | "stuck" | "failed" | "cancelled" | "needsApproval" | "orphaned", number>;
  /** keepalived VIP health: counts over every visible live cluster, and the page's clusters worst first. */
  vips: OversightSummary;
}

/** A running operation of the scope, with its running step (an operation runs one step at a time). */
interface RunningRow {
  id: string;
  clusterId: string;
  kind: string;
  /** Dates: a Date or ISO text, as the driver gives them (lib/db.ts readRows) */
  leaseExpiresAt: Date | string | null;
  step: string | null;
  stepSince: Date | string | null;
}

/** Why a running operation is stuck: its worker stopped heartbeating, or its step ran past the step's timeout; null when it is not. */
function stuckReason(op: RunningRow, now: Date): string | null {
  if (!op.leaseExpiresAt || dateOf(op.leaseExpiresAt) < now) return "no worker heartbeat";
  const timeout = op.step ? STEP_TIMEOUTS.get(`${op.kind}/${op.step}`) : undefined;
  if (timeout && op.stepSince && now.getTime() - dateOf(op.stepSince).getTime() > timeout) return `past the step's ${Math.round(timeout / 60_000)} min timeout`;
  return null;
}

/** The problem filter as a condition on the cluster `c` and its summary row `h`; `stuck`: the clusters with a stuck operation. */
function problemSql(problem: OversightProblem | undefined, stuck: string[]): Prisma.Sql {
  switch (problem) {
    case "active":
      return Prisma.sql`h."operationStatus" IN (${Prisma.join(ACTIVE_OPERATION_STATUSES)})`;
    case "stuck":
      return inScope({ in: stuck }, Prisma.sql`c."id"`);
    case "failed":
      return statusSql("failed");
    case "needs-approval":
      return Prisma.sql`c."id" IN (SELECT t."clusterId" FROM "TeardownRequest" t WHERE t."status" = 'pending')`;
    case "orphaned":
      return Prisma.sql`c."status" = 'deleted' AND h."presentResources" > 0`;
    case "vip-degraded":
    case "vip-down":
      return Prisma.sql`c."status" IN (${Prisma.join(LIVE_CLUSTER_STATUSES)}) AND h."vipStatus" = ${problem === "vip-down" ? "down" : "degraded"}`;
    default:
      return Prisma.sql`1 = 1`;
  }
}

/** The problems whose condition reads the summary row `h` (joined only for them). */
const PROBLEMS_READING_HEALTH: (OversightProblem | undefined)[] = ["active", "failed", "orphaned", "vip-degraded", "vip-down"];

/** A row of the page: the cluster, its summary row and its pending teardown request. */
interface OversightClusterRow extends HeadlineRow {
  operationId: string | null;
  operationKind: string | null;
  operationStatus: string | null;
  operationBy: string | null;
  operationError: string | null;
  currentStep: string | null;
  presentResources: number | bigint | string | null;
  vipJson: string | null;
  vipHeardAt: Date | string | null;
  approvalAt: Date | string | null;
  approvalBy: string | null;
}

type Totals = Record<"clusters" | "active" | "failed" | "cancelled" | "orphaned" | "silentOk" | "needsApproval" | VipStatus, number | bigint | string | null>;

export async function getOversight(db: Db, actor: Actor, query: OversightInput = {}, now = new Date()): Promise<Oversight> {
  if (!can(actor, "oversight.read")) throw new ForbiddenError();
  const req = parseCommand(OversightQuery, query);
  const inScopeOf = (cluster: Prisma.Sql) => inScope(projectIdFilter(actor, "lead"), Prisma.sql`${cluster}."projectId"`);
  // the scope's running operations, each with why it is stuck: counted, filtered by, and shown on the page's rows.
  // An operation runs one step at a time; were two left running, the first is the one shown (where a resumed run
  // starts). A plain join on the step's operation: PostgreSQL hashed the whole Step table for a join on a subquery.
  const running = new Map<string, RunningRow & { stuck: string | null }>();
  const runningRows = await readRows<RunningRow>(
    db,
    Prisma.sql`
      SELECT o."id", o."clusterId", o."kind", o."leaseExpiresAt", s."name" AS "step", s."startedAt" AS "stepSince"
      FROM "Operation" o JOIN "Cluster" c ON c."id" = o."clusterId"
        LEFT JOIN "Step" s ON s."operationId" = o."id" AND s."status" = 'running'
      WHERE o."status" = 'running' AND ${inScopeOf(Prisma.sql`c`)}
      ORDER BY o."id", s."position"`,
  );
  for (const op of runningRows) if (!running.has(op.id)) running.set(op.id, { ...op, stuck: stuckReason(op, now) });
  const stuck = [...running.values()].filter((op) => op.stuck);

  // the matching clusters: their count, and the ids of the page (an index walk in its order) whose rows are read next
  const where = Prisma.join(
    [
      inScopeOf(Prisma.sql`c`),
      statusSql(req.status),
      namePrefixSql(req.q),
      problemSql(req.problem, stuck.map((op) => op.clusterId)),
    ],
    " AND ",
  );
  const matching = Prisma.sql`FROM "Cluster" c ${statusReadsHealth(req.status) || PROBLEMS_READING_HEALTH.includes(req.problem) ? HEALTH_JOIN : Prisma.empty} WHERE ${where}`;
  const { skip, take } = window(req);
  const silentSince = new Date(now.getTime() - DEFAULT_SETTINGS.silentAfterMs);
  const live = Prisma.join(LIVE_CLUSTER_STATUSES);
  const [clusters, [counted], [totals]] = await Promise.all([
    readRows<{ id: string }>(db, Prisma.sql`SELECT c."id" ${matching} ${clusterOrderSql(req.sort, req.dir)} LIMIT ${take} OFFSET ${skip}`).then((page) =>
      page.length ? pageRows(db, page.map((c) => c.id)) : [],
    ),
    readRows<{ total: number | bigint | string }>(db, Prisma.sql`SELECT COUNT(*) AS "total" ${matching}`),
    // the totals of the whole scope in one pass over its clusters and their summary rows
    readRows<Totals>(
      db,
      Prisma.sql`
        SELECT COUNT(*) AS "clusters",
          SUM(CASE WHEN h."operationStatus" IN (${Prisma.join(ACTIVE_OPERATION_STATUSES)}) THEN 1 ELSE 0 END) AS "active",
          SUM(CASE WHEN c."status" = 'failed' AND (h."operationStatus" IS NULL OR h."operationStatus" <> 'cancelled') THEN 1 ELSE 0 END) AS "failed",
          SUM(CASE WHEN c."status" = 'failed' AND h."operationStatus" = 'cancelled' THEN 1 ELSE 0 END) AS "cancelled",
          SUM(CASE WHEN c."status" = 'deleted' AND h."presentResources" > 0 THEN 1 ELSE 0 END) AS "orphaned",
          SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipOk" ELSE 0 END) AS "ok",
          SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipDegraded" ELSE 0 END) AS "degraded",
          SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL THEN h."vipDown" ELSE 0 END) AS "down",
          -- VIPs stored "ok" but a node of theirs has gone silent since: shown (and counted) as degraded
          SUM(CASE WHEN c."status" IN (${live}) AND h."vipStatus" IS NOT NULL AND (h."vipHeardAt" IS NULL OR h."vipHeardAt" < ${sqlTime(silentSince)}) THEN h."vipOk" ELSE 0 END) AS "silentOk",
          (SELECT COUNT(*) FROM "TeardownRequest" t JOIN "Cluster" tc ON tc."id" = t."clusterId"
            WHERE t."status" = 'pending' AND ${inScopeOf(Prisma.sql`tc`)}) AS "needsApproval"
        FROM "Cluster" c ${HEALTH_JOIN}
        WHERE ${inScopeOf(Prisma.sql`c`)}`,
    ),
  ]);

  const rows: OversightRow[] = clusters.map((c) => {
    const op = c.operationStatus === "running" && c.operationId ? running.get(c.operationId) : undefined;
    return {
      ...clusterHeadline(c, c.operationStatus),
      operation:
        c.operationId && c.operationKind && c.operationStatus
          ? {
              kind: c.operationKind,
              status: c.operationStatus,
              requestedBy: c.operationBy ?? "unknown",
              step: c.currentStep,
              stepSince: dateOrNull(op?.stepSince ?? null)?.toISOString() ?? null,
              stuck: op?.stuck ?? null,
              error: c.operationError ? summarizeError(c.operationError, c.currentStep) : null,
            }
          : null,
      needsApproval: c.approvalAt !== null && c.approvalBy !== null ? { requestedBy: c.approvalBy, at: dateOf(c.approvalAt).toISOString() } : null,
      presentResources: count(c.presentResources),
    };
  });

  const silentOk = count(totals.silentOk);
  const counts: Record<VipStatus, number> = { ok: count(totals.ok) - silentOk, degraded: count(totals.degraded) + silentOk, down: count(totals.down) };
  const vipClusters = clusters
    .filter((c) => (LIVE_CLUSTER_STATUSES as string[]).includes(c.status) && c.vipJson)
    .map((c) => summaryAsOf({ clusterId: c.id, clusterName: c.name, vipJson: c.vipJson!, vipHeardAt: dateOrNull(c.vipHeardAt) }, now))
    .sort(byWorstVipFirst);

  return {
    rows,
    page: pageInfo(count(counted.total), req),
    filters: { status: req.status, problem: req.problem, q: req.q },
    totals: {
      clusters: count(totals.clusters),
      active: count(totals.active),
      stuck: stuck.length,
      failed: count(totals.failed),
      cancelled: count(totals.cancelled),
      needsApproval: count(totals.needsApproval),
      orphaned: count(totals.orphaned),
    },
    vips: { counts, clusters: vipClusters },
  };
}

/**
 * The page's clusters, in the order of `ids`: each with its summary row and its (first) pending teardown request
 * (joined on the cluster too: on the subquery alone PostgreSQL hashed every request, 0.7 ms against 0.2 at 3,000).
 */
async function pageRows(db: Db, ids: string[]): Promise<OversightClusterRow[]> {
  const rows = await readRows<OversightClusterRow>(
    db,
    Prisma.sql`
      SELECT ${HEADLINE_COLUMNS}, h."operationId", h."operationKind", h."operationStatus", h."operationBy", h."operationError", h."currentStep",
        h."presentResources", h."vipJson", h."vipHeardAt", t."createdAt" AS "approvalAt", tu."username" AS "approvalBy"
      FROM "Cluster" c ${HEADLINE_JOINS} ${HEALTH_JOIN}
        LEFT JOIN "TeardownRequest" t ON t."clusterId" = c."id" AND t."status" = 'pending'
          AND t."id" = (SELECT MIN(r."id") FROM "TeardownRequest" r WHERE r."clusterId" = c."id" AND r."status" = 'pending')
        LEFT JOIN "User" tu ON tu."id" = t."requestedById"
      WHERE c."id" IN (${Prisma.join(ids)})`,
  );
  return inOrderOf(ids, rows);
}
