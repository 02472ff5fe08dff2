import type { Db } from "@/lib/db";
import { refreshOperationHealth, touchCluster } from "@/lib/cluster-health";
import type { EventLevel, Journal, OperationEnd, StepOutputs, StepRecord } from "./engine";
import { clusterStatusFor, type OperationKind } from "@/lib/domain";
import { releaseRouterIds } from "./vrrp";

const ERROR_LIMIT = 2000;

/**
 * Events are deleted this many at a time. A backlog (a retention just lowered, a worker that was down for weeks) may
 * be millions of rows: one statement for all of them would hold SQLite's write lock for as long (every other writer
 * waits, then fails) and outlast PostgreSQL's statement limit (lib/db-postgres.ts), failing again at every attempt.
 * Below 999, Prisma's limit of bound values per SQLite statement (the ids of the batch are bound one each).
 */
export const PRUNE_BATCH = 500;

/**
 * Deletes events older than the retention, oldest first, a batch per statement, until none is left or `signal`
 * aborts; answers how many it deleted. The worker runs it now and then; the audit log is kept.
 */
export async function pruneEvents(db: Db, now: Date, retentionMs: number, opts: { batch?: number; signal?: AbortSignal } = {}): Promise<number> {
  const batch = opts.batch ?? PRUNE_BATCH;
  const before = new Date(now.getTime() - retentionMs);
  let deleted = 0;
  while (!opts.signal?.aborted) {
    const old = await db.event.findMany({ where: { at: { lt: before } }, orderBy: { at: "asc" }, take: batch, select: { id: true } });
    if (old.length > 0) deleted += (await db.event.deleteMany({ where: { id: { in: old.map((e) => e.id) } } })).count;
    if (old.length < batch) break;
  }
  return deleted;
}

/** The worker no longer holds the operation's lease: another worker has taken it over. */
export class LeaseLostError extends Error {
  readonly name = "LeaseLostError";
  constructor(operationId: string) {
    super(`lease of operation ${operationId} lost`);
  }
}

export interface LeaseHolder {
  owner: string;
  leaseMs: number;
}

/**
 * The engine's journal on Prisma: Step, Event, Operation and Cluster rows. With a lease holder, every step start
 * first renews the lease conditionally on still holding it: a worker that stalled past its lease and was taken
 * over stops there instead of running the step beside its successor.
 */
export function prismaJournal(
  db: Db,
  op: { id: string; clusterId: string; kind: OperationKind },
  now: () => Date = () => new Date(),
  lease?: LeaseHolder,
): Journal {
  const where = (name: string) => ({ operationId_name: { operationId: op.id, name } });
  return {
    async steps(): Promise<StepRecord[]> {
      const rows = await db.step.findMany({ where: { operationId: op.id }, orderBy: { position: "asc" } });
      return rows.map((r) => ({
        name: r.name,
        status: r.status as StepRecord["status"],
        attempt: r.attempt,
        outputs: r.outputsJson ? (JSON.parse(r.outputsJson) as StepOutputs) : undefined,
      }));
    },
    async stepStarted(name, attempt) {
      if (lease) {
        const t = now();
        const held = await db.operation.updateMany({
          where: { id: op.id, leaseOwner: lease.owner, leaseExpiresAt: { gt: t } },
          data: { leaseExpiresAt: new Date(t.getTime() + lease.leaseMs), heartbeatAt: t },
        });
        if (held.count === 0) throw new LeaseLostError(op.id);
      }
      await db.step.update({ where: where(name), data: { status: "running", attempt, startedAt: now(), finishedAt: null, error: null } });
      await refreshOperationHealth(db, op.clusterId);
    },
    async stepSucceeded(name, outputs, apiCalls) {
      await db.step.update({
        where: where(name),
        data: { status: "succeeded", finishedAt: now(), outputsJson: JSON.stringify(outputs), apiCalls: { increment: apiCalls } },
      });
      await refreshOperationHealth(db, op.clusterId);
    },
    async stepFailed(name, error, apiCalls, final) {
      await db.step.update({
        where: where(name),
        data: { status: final ? "failed" : "running", error: error.slice(0, ERROR_LIMIT), apiCalls: { increment: apiCalls }, ...(final ? { finishedAt: now() } : {}) },
      });
      await refreshOperationHealth(db, op.clusterId);
    },
    async event(level: EventLevel, step, message) {
      await db.event.create({ data: { clusterId: op.clusterId, operationId: op.id, level, step, message: message.slice(0, ERROR_LIMIT), at: now() } });
      await touchCluster(db, op.clusterId);
    },
    async cancelRequested() {
      const row = await db.operation.findUnique({ where: { id: op.id }, select: { cancelRequested: true } });
      return row?.cancelRequested ?? false;
    },
    async finish(end: OperationEnd) {
      await db.$transaction(async (tx) => {
        // Only the lease holder ends the operation (settling an orphaned cancel passes no holder).
        const ended = await tx.operation.updateMany({
          where: { id: op.id, ...(lease ? { leaseOwner: lease.owner } : {}) },
          data: {
            status: end.status,
            error: end.status === "failed" ? end.error.slice(0, ERROR_LIMIT) : null,
            finishedAt: now(),
            activeClusterId: null,
            leaseOwner: null,
            leaseExpiresAt: null,
          },
        });
        if (ended.count === 0) throw new LeaseLostError(op.id);
        // A cancel can stop a step midway; steps that never ran stay "pending" (a retry resumes there).
        await tx.step.updateMany({ where: { operationId: op.id, status: "running" }, data: { status: "cancelled", finishedAt: now() } });
        await tx.cluster.update({ where: { id: op.clusterId }, data: { status: clusterStatusFor(op.kind, end.status) } });
        if (op.kind === "teardown" && end.status === "succeeded") {
          // verify-empty found nothing left: no resource of the ledger exists any more (planned ones never did),
          // and the cluster gives its VRRP router ids back to the Public network.
          await tx.resource.updateMany({ where: { clusterId: op.clusterId, status: { not: "deleted" } }, data: { status: "deleted" } });
          await releaseRouterIds(tx, op.clusterId);
        }
        await refreshOperationHealth(tx, op.clusterId);
      });
    },
  };
}
