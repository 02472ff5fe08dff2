import type { Db } from "@/lib/db";
import type { EventLevel, Journal, OperationEnd, StepOutputs, StepRecord } from "./engine";
import { clusterStatusFor, type OperationKind } from "./kinds";

const ERROR_LIMIT = 2000;

/** The engine's journal on Prisma: Step, Event, Operation and Cluster rows. */
export function prismaJournal(db: Db, op: { id: string; clusterId: string; kind: OperationKind }, now: () => Date = () => new Date()): Journal {
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
      await db.step.update({ where: where(name), data: { status: "running", attempt, startedAt: now(), finishedAt: null, error: null } });
    },
    async stepSucceeded(name, outputs, apiCalls) {
      await db.step.update({
        where: where(name),
        data: { status: "succeeded", finishedAt: now(), outputsJson: JSON.stringify(outputs), apiCalls: { increment: apiCalls } },
      });
    },
    async stepFailed(name, error, apiCalls, final) {
      await db.step.update({
        where: where(name),
        data: { status: final ? "failed" : "running", error: error.slice(0, ERROR_LIMIT), apiCalls: { increment: apiCalls }, ...(final ? { finishedAt: now() } : {}) },
      });
    },
    async event(level: EventLevel, step, message) {
      await db.event.create({ data: { clusterId: op.clusterId, operationId: op.id, level, step, message: message.slice(0, ERROR_LIMIT), at: now() } });
    },
    async cancelRequested() {
      const row = await db.operation.findUnique({ where: { id: op.id }, select: { cancelRequested: true } });
      return row?.cancelRequested ?? false;
    },
    async finish(end: OperationEnd) {
      await db.$transaction([
        db.operation.update({
          where: { id: op.id },
          data: {
            status: end.status,
            error: end.status === "failed" ? end.error.slice(0, ERROR_LIMIT) : null,
            finishedAt: now(),
            activeClusterId: null,
            leaseOwner: null,
            leaseExpiresAt: null,
          },
        }),
        // A cancel can stop a step midway; steps that never ran stay "pending" (a retry resumes there).
        db.step.updateMany({ where: { operationId: op.id, status: "running" }, data: { status: "cancelled", finishedAt: now() } }),
        db.cluster.update({ where: { id: op.clusterId }, data: { status: clusterStatusFor(op.kind, end.status) } }),
      ]);
    },
  };
}
