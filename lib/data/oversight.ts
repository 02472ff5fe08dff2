import type { Db } from "@/lib/db";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { isActiveOperation, isLiveCluster, OPERATION_KINDS } from "@/lib/domain";
import { stepsFor } from "@/lib/lifecycle/steps";
import { loadVipOversight } from "@/lib/vip/panel";
import type { OversightSummary } from "@/lib/vip/summary";
import { clusterHeadline } from "./directory";
import { ForbiddenError } from "./errors";

// Team oversight: every cluster of the projects the actor leads (all of them for an admin), what runs, what is
// stuck (a running operation whose worker stopped heartbeating) and what failed, and resources still recorded
// as present on clusters that are gone.

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

/** "preflight found 3 problem(s): a; b; c" → the first problem and 3; any other error → its first line and 1. */
export function summarizeError(error: string): { first: string; problems: number } {
  const preflight = /^preflight found (\d+) problem\(s\): ([^]*)$/.exec(error);
  if (preflight) return { first: preflight[2].split("; ")[0], problems: Number(preflight[1]) };
  return { first: error.split("\n")[0], problems: 1 };
}

const STEP_TIMEOUTS = new Map<string, number>(OPERATION_KINDS.flatMap((kind) => stepsFor(kind).map((s) => [`${kind}/${s.name}`, s.timeoutMs] as const)));

export interface Oversight {
  rows: OversightRow[];
  totals: Record<string, number>;
  /** keepalived VIP health of the clusters that have nodes, worst first. */
  vips: OversightSummary;
}

export async function getOversight(db: Db, actor: Actor, now = new Date()): Promise<Oversight> {
  if (!can(actor, "oversight.read")) throw new ForbiddenError();
  const clusters = await db.cluster.findMany({
    where: { projectId: projectIdFilter(actor, "lead") },
    include: {
      project: true,
      createdBy: true,
      operations: { orderBy: { createdAt: "desc" }, take: 1, include: { requestedBy: true, steps: { where: { status: "running" } } } },
      teardownRequests: { where: { status: "pending" }, take: 1, include: { requestedBy: true } },
      _count: { select: { resources: { where: { status: "present" } } } },
    },
    orderBy: [{ project: { name: "asc" } }, { name: "asc" }],
  });
  const rows = clusters.map((c): OversightRow => {
    const op = c.operations[0];
    const running = op?.steps[0];
    const timeout = running ? STEP_TIMEOUTS.get(`${op.kind}/${running.name}`) : undefined;
    const lostHeartbeat = op?.status === "running" && (!op.leaseExpiresAt || op.leaseExpiresAt < now);
    const pastTimeout = !!(running?.startedAt && timeout && now.getTime() - running.startedAt.getTime() > timeout);
    const request = c.teardownRequests[0];
    return {
      ...clusterHeadline(c, op),
      operation: op
        ? {
            kind: op.kind,
            status: op.status,
            requestedBy: op.requestedBy.username,
            step: running?.name ?? null,
            stepSince: running?.startedAt?.toISOString() ?? null,
            stuck: lostHeartbeat ? "no worker heartbeat" : pastTimeout ? `past the step's ${Math.round(timeout! / 60_000)} min timeout` : null,
            error: op.error ? summarizeError(op.error) : null,
          }
        : null,
      needsApproval: request ? { requestedBy: request.requestedBy.username, at: request.createdAt.toISOString() } : null,
      presentResources: c._count.resources,
    };
  });
  const totals: Record<string, number> = { clusters: rows.length, active: 0, stuck: 0, failed: 0, cancelled: 0, needsApproval: 0, orphaned: 0 };
  for (const r of rows) {
    if (r.operation && isActiveOperation(r.operation.status)) totals.active++;
    if (r.operation?.stuck) totals.stuck++;
    if (r.status === "failed") totals.failed++;
    if (r.status === "cancelled") totals.cancelled++;
    if (r.needsApproval) totals.needsApproval++;
    if (r.status === "deleted" && r.presentResources > 0) totals.orphaned++;
  }
  const live = rows.filter((r, i) => isLiveCluster(clusters[i].status) && r.presentResources > 0).map((r) => r.id);
  return { rows, totals, vips: await loadVipOversight(db, live, now) };
}
