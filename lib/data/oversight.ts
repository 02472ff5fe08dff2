import type { Db } from "@/lib/db";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { isActiveOperation, isLiveCluster } from "@/lib/domain";
import { loadVipOversight } from "@/lib/vip/panel";
import type { OversightSummary } from "@/lib/vip/summary";
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
  operation: { kind: string; status: string; requestedBy: string; step: string | null; stuck: boolean; error: string | null } | null;
  presentResources: number;
}

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
      _count: { select: { resources: { where: { status: "present" } } } },
    },
    orderBy: [{ project: { name: "asc" } }, { name: "asc" }],
  });
  const rows = clusters.map((c) => {
    const op = c.operations[0];
    return {
      id: c.id,
      name: c.name,
      project: c.project.name,
      status: c.status,
      createdBy: c.createdBy.username,
      operation: op
        ? {
            kind: op.kind,
            status: op.status,
            requestedBy: op.requestedBy.username,
            step: op.steps[0]?.name ?? null,
            stuck: op.status === "running" && (!op.leaseExpiresAt || op.leaseExpiresAt < now),
            error: op.error,
          }
        : null,
      presentResources: c._count.resources,
    };
  });
  const totals: Record<string, number> = { clusters: rows.length, active: 0, stuck: 0, failed: 0, orphaned: 0 };
  for (const r of rows) {
    if (r.operation && isActiveOperation(r.operation.status)) totals.active++;
    if (r.operation?.stuck) totals.stuck++;
    if (r.status === "failed") totals.failed++;
    if (r.status === "deleted" && r.presentResources > 0) totals.orphaned++;
  }
  const live = rows.filter((r) => isLiveCluster(r.status) && r.presentResources > 0).map((r) => r.id);
  return { rows, totals, vips: await loadVipOversight(db, live, now) };
}
