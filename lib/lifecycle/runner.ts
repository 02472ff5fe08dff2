import type { Db } from "@/lib/db";
import { isDatabaseUnavailable, outageText } from "@/lib/db-errors";
import { refreshOperationHealth } from "@/lib/cluster-health";
import { addCounter, COUNTERS } from "@/lib/metrics/counters";
import { sleep } from "@/lib/util/sleep";
import { CancelledError, runSteps, TerminalError, type StepDefinition } from "./engine";
import { pruneEvents, prismaJournal } from "./journal";
import { ACTIVE_OPERATION_STATUSES, clusterStatusFor, type OperationKind } from "@/lib/domain";

// The durable runner: claims operations with a lease (a conditional UPDATE, so two workers never run the same
// one), keeps the lease alive with a heartbeat, and runs the steps. A worker that dies stops heartbeating; once
// its lease has expired any worker claims the operation and resumes it at its first unfinished step. While the
// database is unavailable (restarting) the loop claims nothing and keeps trying; an operation whose journal could not
// be written meanwhile is left to its lease and resumed (lib/db-errors.ts).

export interface ClaimedOperation {
  id: string;
  clusterId: string;
  kind: OperationKind;
}

export interface RunnerOptions<Ctx> {
  db: Db;
  owner: string;
  leaseMs: number;
  pollMs: number;
  /** Operations run at once by this worker (each on a different cluster, by construction). */
  concurrency: number;
  steps(kind: OperationKind): StepDefinition<Ctx>[];
  context(op: ClaimedOperation, signal: AbortSignal): Promise<Ctx>;
  retryDelayMs(attempt: number): number;
  /** Events older than this are pruned (checked every PRUNE_EVERY_MS); unset: kept. */
  eventRetentionMs?: number;
  log?(message: string): void;
  now?(): Date;
}

function leaseFree(now: Date) {
  return { OR: [{ leaseOwner: null }, { leaseExpiresAt: { lt: now } }] };
}

/** Claims the oldest claimable operation, never one of `running` (those this worker runs already). */
export async function claimOperation(db: Db, owner: string, leaseMs: number, now: Date, running: string[] = []): Promise<ClaimedOperation | null> {
  const candidates = await db.operation.findMany({
    where: { id: { notIn: running }, status: { in: ACTIVE_OPERATION_STATUSES }, cancelRequested: false, ...leaseFree(now) },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  for (const c of candidates) {
    const claimed = await db.operation.updateMany({
      where: { id: c.id, status: { in: ACTIVE_OPERATION_STATUSES }, ...leaseFree(now) },
      data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), heartbeatAt: now, status: "running", startedAt: c.startedAt ?? now },
    });
    if (claimed.count === 1) {
      await db.cluster.update({ where: { id: c.clusterId }, data: { status: clusterStatusFor(c.kind as OperationKind, "running") } });
      if (c.leaseOwner && c.leaseOwner !== owner) {
        // Another worker held it and stopped renewing: a take-over, worth an event and a counter.
        await db.event.create({ data: { clusterId: c.clusterId, operationId: c.id, level: "warning", message: `taken over from worker ${c.leaseOwner}, whose lease expired`, at: now } });
        await addCounter(db, COUNTERS.leaseTakeovers);
      }
      await refreshOperationHealth(db, c.clusterId);
      return { id: c.id, clusterId: c.clusterId, kind: c.kind as OperationKind };
    }
  }
  return null;
}

/** Cancels operations whose cancel was requested while nobody held them (e.g. their worker died). */
async function settleOrphanedCancels(db: Db, now: Date): Promise<void> {
  const ops = await db.operation.findMany({ where: { status: { in: ACTIVE_OPERATION_STATUSES }, cancelRequested: true, ...leaseFree(now) } });
  for (const op of ops) await prismaJournal(db, { id: op.id, clusterId: op.clusterId, kind: op.kind as OperationKind }).finish({ status: "cancelled" });
}

async function runClaimed<Ctx>(options: RunnerOptions<Ctx>, op: ClaimedOperation, stop: AbortSignal): Promise<void> {
  const { db, owner, leaseMs } = options;
  const now = options.now ?? (() => new Date());
  const run = new AbortController();
  const onStop = () => run.abort(stop.reason);
  stop.addEventListener("abort", onStop, { once: true });
  // Heartbeat: extend the lease while we still hold it; losing it (or a cancel) aborts the steps.
  const heartbeat = setInterval(async () => {
    try {
      const t = now();
      const kept = await db.operation.updateMany({
        where: { id: op.id, leaseOwner: owner },
        data: { leaseExpiresAt: new Date(t.getTime() + leaseMs), heartbeatAt: t },
      });
      if (kept.count === 0) run.abort(new Error("lease lost"));
      else if ((await db.operation.findUnique({ where: { id: op.id }, select: { cancelRequested: true } }))?.cancelRequested) {
        run.abort(new CancelledError());
      }
    } catch (error) {
      // the claim loop reports an unavailable database; the lease is renewed at the next beat once it is back
      if (!isDatabaseUnavailable(error)) options.log?.(`heartbeat of ${op.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, Math.max(250, Math.floor(leaseMs / 3)));
  const journal = prismaJournal(db, op, now, { owner, leaseMs });
  try {
    let ctx: Ctx;
    try {
      ctx = await options.context(op, run.signal);
    } catch (error) {
      // A cluster that can never run (its stored spec no longer validates…) fails instead of looping forever.
      if (!(error instanceof TerminalError)) throw error;
      await journal.event("error", null, error.message);
      await journal.finish({ status: "failed", error: error.message });
      return;
    }
    const end = await runSteps(options.steps(op.kind), ctx, journal, {
      signal: run.signal,
      retryDelayMs: options.retryDelayMs,
      sleep,
      // a step that read the database as it went away (a restart): resumed once the lease has expired, not failed
      interrupts: isDatabaseUnavailable,
    });
    options.log?.(`operation ${op.id} (${op.kind}) ${end ? end.status : "interrupted"}`);
  } catch (error) {
    // The journal failed (database unavailable) or the lease was lost: leave the operation to its lease.
    options.log?.(`operation ${op.id} stopped: ${isDatabaseUnavailable(error) ? `the database is unavailable (${outageText(error)}); it resumes once its lease has expired` : error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearInterval(heartbeat);
    stop.removeEventListener("abort", onStop);
  }
}

const PRUNE_EVERY_MS = 10 * 60_000;

/** Claims and runs operations until `stop` is aborted. */
export async function runWorker<Ctx>(options: RunnerOptions<Ctx>, stop: AbortSignal): Promise<void> {
  const now = options.now ?? (() => new Date());
  // Operations this worker runs, by id: even if its own lease lapsed (a stalled event loop), it must not claim
  // one of them again and run it twice.
  const running = new Map<string, Promise<void>>();
  let prunedAt = 0;
  // The prune runs beside the claims (a backlog takes many batches): one at a time.
  let pruning: Promise<void> | null = null;
  // Since when the database has been unavailable (logged when it goes and when it is back, not at every poll).
  let unavailableSince: number | null = null;
  while (!stop.aborted) {
    try {
      if (options.eventRetentionMs && !pruning && now().getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now().getTime();
        pruning = pruneEvents(options.db, now(), options.eventRetentionMs, { signal: stop })
          .then(
            (pruned) => void (pruned && options.log?.(`pruned ${pruned} events older than the retention`)),
            // An outage is reported by the claims; the next prune starts where this one stopped.
            (error: unknown) => void (isDatabaseUnavailable(error) || options.log?.(`pruning events failed: ${error instanceof Error ? error.message : String(error)}`)),
          )
          .finally(() => (pruning = null));
      }
      await beat(options.db, options.owner, now());
      if (unavailableSince !== null) {
        options.log?.(`the database answers again (after ${Math.round((now().getTime() - unavailableSince) / 1000)} s)`);
        unavailableSince = null;
      }
      await settleOrphanedCancels(options.db, now());
      while (running.size < options.concurrency) {
        const op = await claimOperation(options.db, options.owner, options.leaseMs, now(), [...running.keys()]);
        if (!op) break;
        options.log?.(`claimed operation ${op.id} (${op.kind}) of cluster ${op.clusterId}`);
        running.set(op.id, runClaimed(options, op, stop).finally(() => running.delete(op.id)));
      }
    } catch (error) {
      if (!isDatabaseUnavailable(error)) options.log?.(`claim failed: ${error instanceof Error ? error.message : String(error)}`);
      else if (unavailableSince === null) {
        unavailableSince = now().getTime();
        options.log?.(`the database is unavailable (${outageText(error)}): claiming nothing until it answers, trying every ${options.pollMs} ms`);
      }
    }
    await sleep(options.pollMs, stop).catch(() => undefined);
  }
  await Promise.allSettled([...running.values(), pruning]);
  await options.db.workerHeartbeat.deleteMany({ where: { owner: options.owner } }).catch(() => undefined);
}

/** The worker's own heartbeat (not an operation's lease): /api/ready wants a live worker. */
async function beat(db: Db, owner: string, now: Date): Promise<void> {
  await db.workerHeartbeat.upsert({ where: { owner }, create: { owner, startedAt: now, heartbeatAt: now }, update: { heartbeatAt: now } });
}
