import { rawTransaction, type Db } from "@/lib/db";
import { isActiveOperation, type VipStatus } from "@/lib/domain";
import { Prisma } from "@/lib/generated/prisma/client";

// The per-cluster summary row (ClusterHealth) and its version: every writer that changes what a cluster's pages
// show calls one of these, in the same transaction where it has one. The lists and oversight read the summary
// instead of the history behind it; the cluster page's JSON route answers 304 while the version stays the same.

type DbOrTx = Db | Prisma.TransactionClient;

const ERROR_LIMIT = 500;

/** Something about the cluster changed (an event, a resource, a VRRP message): its pages must fetch again. */
export async function touchCluster(db: DbOrTx, clusterId: string): Promise<void> {
  await db.clusterHealth.upsert({ where: { clusterId }, create: { clusterId, version: 1 }, update: { version: { increment: 1 } } });
}

/**
 * Re-reads the cluster's latest operation, its step and its present resources into the summary: the running step,
 * or of an operation that failed or was cancelled the step where it stopped (a retried operation, queued again,
 * has none until a step starts).
 */
export async function refreshOperationHealth(db: DbOrTx, clusterId: string): Promise<void> {
  const [op, presentResources] = await Promise.all([
    db.operation.findFirst({
      where: { clusterId },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        kind: true,
        status: true,
        error: true,
        requestedBy: { select: { username: true } },
        steps: { where: { status: { in: ["running", "failed", "cancelled"] } }, orderBy: { position: "asc" }, select: { name: true, status: true } },
      },
    }),
    db.resource.count({ where: { clusterId, status: "present" } }),
  ]);
  const data = {
    operationId: op?.id ?? null,
    operationKind: op?.kind ?? null,
    operationStatus: op?.status ?? null,
    operationBy: op?.requestedBy.username ?? null,
    operationError: op?.error?.slice(0, ERROR_LIMIT) ?? null,
    currentStep: op ? currentStepOf(op) : null,
    presentResources,
  };
  await db.clusterHealth.upsert({ where: { clusterId }, create: { clusterId, version: 1, ...data }, update: { ...data, version: { increment: 1 } } });
}

function currentStepOf(op: { status: string; steps: { name: string; status: string }[] }): string | null {
  const last = (status: string) => op.steps.filter((s) => s.status === status).at(-1)?.name ?? null;
  if (isActiveOperation(op.status)) return op.steps.find((s) => s.status === "running")?.name ?? null;
  return op.status === "failed" || op.status === "cancelled" ? last(op.status) : null;
}

export interface VipHealthSummary {
  status: VipStatus;
  vips: { vip: string; status: string; holders: string[]; problems: string[] }[];
  /** the least recent of the nodes' last messages (null when no node was heard from) */
  heardAt: Date | null;
}

/**
 * The cluster's keepalived VIP health as last computed (lib/vip/panel.ts storeVipSummary). One raw statement past
 * Prisma's query compiler (lib/db.ts rawTransaction): the VRRP ingest writes it for every cluster twice a minute.
 */
export async function recordVipHealth(db: Db, clusterId: string, summary: VipHealthSummary, now: Date): Promise<void> {
  const tally = (status: string) => summary.vips.filter((v) => v.status === status).length;
  await rawTransaction(db, (tx) =>
    tx.execute(Prisma.sql`
      INSERT INTO "ClusterHealth" ("clusterId", "version", "vipStatus", "vipJson", "vipHeardAt", "vipComputedAt", "vipOk", "vipDegraded", "vipDown", "updatedAt")
      VALUES (${clusterId}, 1, ${summary.status}, ${JSON.stringify(summary.vips)}, ${summary.heardAt}, ${now}, ${tally("ok")}, ${tally("degraded")}, ${tally("down")}, ${now})
      ON CONFLICT ("clusterId") DO UPDATE SET "vipStatus" = EXCLUDED."vipStatus", "vipJson" = EXCLUDED."vipJson",
        "vipHeardAt" = EXCLUDED."vipHeardAt", "vipComputedAt" = EXCLUDED."vipComputedAt", "vipOk" = EXCLUDED."vipOk",
        "vipDegraded" = EXCLUDED."vipDegraded", "vipDown" = EXCLUDED."vipDown", "updatedAt" = EXCLUDED."updatedAt"`),
  );
}
