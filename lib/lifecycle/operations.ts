import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { refreshOperationHealth } from "@/lib/cluster-health";
import { ACTIVE_OPERATION_STATUSES, clusterStatusFor, STEP_NAMES, type OperationKind } from "@/lib/domain";

/** A second active operation for the cluster was refused (by the database's unique index). */
export class OperationConflictError extends Error {
  readonly name = "OperationConflictError";
  constructor(readonly active: { id: string; kind: string; status: string; requestedBy: string } | null) {
    super(
      active
        ? `This cluster already has a ${active.kind} operation ${active.status}, requested by ${active.requestedBy}.`
        : "This cluster already has an active operation.",
    );
  }
}

/** Prisma's P2002: a unique index refused the write. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCodeOf(error) === "P2002";
}

/** Prisma's answer to a write that a row still refers to (a delete) or to a row that is gone (an insert). */
export function isForeignKeyViolation(error: unknown): boolean {
  return prismaCodeOf(error) === "P2003";
}

const prismaCodeOf = (error: unknown) => (typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined);

type Tx = Prisma.TransactionClient;
type OperationRequest = { clusterId: string; kind: OperationKind; requestedById: string; approvedById?: string };

/** The cluster's queued or running operation, if any. */
export async function activeOperation(db: Db | Tx, clusterId: string) {
  const op = await db.operation.findFirst({
    where: { clusterId, status: { in: ACTIVE_OPERATION_STATUSES } },
    include: { requestedBy: true },
  });
  return op && { id: op.id, kind: op.kind, status: op.status, requestedBy: op.requestedBy.username };
}

/** Queues an operation with its steps; the database refuses a second active one for the same cluster. */
export async function requestOperation(db: Db, input: OperationRequest): Promise<{ id: string }> {
  return refusingASecondOperation(db, input.clusterId, db.$transaction((tx) => queueOperation(tx, input)));
}

/** requestOperation's writes, in a transaction of the caller's that also holds what decided them. */
export async function queueOperation(tx: Tx, input: OperationRequest): Promise<{ id: string }> {
  const op = await tx.operation.create({
    data: {
      clusterId: input.clusterId,
      kind: input.kind,
      activeClusterId: input.clusterId,
      requestedById: input.requestedById,
      approvedById: input.approvedById,
    },
  });
  await tx.step.createMany({ data: STEP_NAMES[input.kind].map((name, position) => ({ operationId: op.id, name, position })) });
  await tx.cluster.update({ where: { id: input.clusterId }, data: { status: clusterStatusFor(input.kind, "queued") } });
  await refreshOperationHealth(tx, input.clusterId);
  return { id: op.id };
}

/** A write that makes an operation active, its refusal by the unique index told as the operation already active. */
export async function refusingASecondOperation<T>(db: Db, clusterId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw new OperationConflictError(await activeOperation(db, clusterId));
    throw error;
  }
}

/** Puts a failed or cancelled operation back in the queue; it resumes at its first step that did not succeed. */
export async function retryOperation(db: Db, operationId: string): Promise<void> {
  const op = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
  if (op.status !== "failed" && op.status !== "cancelled") throw new Error(`only a failed or cancelled operation can be retried (this one is ${op.status})`);
  await refusingASecondOperation(
    db,
    op.clusterId,
    db.$transaction(async (tx) => {
      await tx.operation.update({
        where: { id: op.id },
        data: { status: "queued", activeClusterId: op.clusterId, cancelRequested: false, error: null, finishedAt: null },
      });
      await tx.step.updateMany({ where: { operationId: op.id, status: { in: ["failed", "cancelled"] } }, data: { status: "pending" } });
      await tx.cluster.update({ where: { id: op.clusterId }, data: { status: clusterStatusFor(op.kind as OperationKind, "queued") } });
      await refreshOperationHealth(tx, op.clusterId);
    }),
  );
}

/** Asks the runner to stop the operation at the next safe point; a queued one is cancelled at once. */
export async function cancelOperation(db: Db, operationId: string): Promise<void> {
  const op = await db.operation.findUniqueOrThrow({ where: { id: operationId } });
  if (op.status === "queued" && !op.leaseOwner) {
    const claimedMeanwhile = await db.operation.updateMany({
      where: { id: op.id, status: "queued", leaseOwner: null },
      data: { status: "cancelled", cancelRequested: true, activeClusterId: null, finishedAt: new Date() },
    });
    if (claimedMeanwhile.count === 1) {
      await db.cluster.update({ where: { id: op.clusterId }, data: { status: clusterStatusFor(op.kind as OperationKind, "cancelled") } });
      await refreshOperationHealth(db, op.clusterId);
      return;
    }
  }
  await db.operation.update({ where: { id: op.id }, data: { cancelRequested: true } });
  await refreshOperationHealth(db, op.clusterId);
}
