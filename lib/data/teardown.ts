import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, type Actor } from "@/lib/auth/policy";
import { touchCluster } from "@/lib/cluster-health";
import { activeOperation, OperationConflictError, queueOperation, refusingASecondOperation } from "@/lib/lifecycle/operations";
import { ForbiddenError, InvalidStateError, NotFoundError, parseCommand } from "./errors";
import { guard, needsSecondPerson, startOperation, visibleCluster } from "./clusters";

// Two-person teardown: a project may require that tearing down a *ready* cluster is asked for by one member and
// approved by another (requester ≠ approver, administrators included). The request waits in TeardownRequest; the
// approval queues the teardown operation with both names on it. Other clusters (draft, failed, creating) are torn
// down at once, as everywhere else.

const Id = z.string().min(1, "An id is required").max(64, "Not an id");
export const RequestTeardownInput = z.object({ clusterId: Id });
export const DecideTeardownInput = z.object({ requestId: Id, decision: z.enum(["approve", "withdraw"]) });

/**
 * The "Tear down" button: queues the teardown, or — in a two-person project, for a ready cluster — records the
 * request for a second member to approve.
 */
export async function requestTeardown(db: Db, actor: Actor, input: z.input<typeof RequestTeardownInput>): Promise<{ operationId: string } | { approvalRequestId: string }> {
  const { clusterId } = parseCommand(RequestTeardownInput, input);
  const action = "teardown.request";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, action);
  if (!(await needsSecondPerson(db, cluster))) return startOperation(db, actor, { clusterId, kind: "teardown" });
  // Who may ask, and whether the cluster may be torn down now: the state machine's teardown rule.
  await guard(db, actor, { action: "teardown", cluster, role, what: `cluster ${cluster.name}` });
  // Under the cluster's row lock (taken by its first write): of two members asking at once, the second sees the
  // first's request; after an approval that took the lock first, its queued teardown.
  const request = await db.$transaction(async (tx) => {
    await tx.cluster.update({ where: { id: clusterId }, data: { updatedAt: new Date() } });
    const active = await activeOperation(tx, clusterId);
    if (active) throw new OperationConflictError(active);
    const pending = await tx.teardownRequest.findFirst({ where: { clusterId, status: "pending" }, include: { requestedBy: true } });
    if (pending) throw new InvalidStateError(`${pending.requestedBy.username} already asked for this teardown; it waits for a second member's approval.`);
    const created = await tx.teardownRequest.create({ data: { clusterId, requestedById: actor.id } });
    await touchCluster(tx, clusterId);
    return created;
  });
  await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "succeeded", detail: `approval request ${request.id}`, projectId: cluster.projectId });
  return { approvalRequestId: request.id };
}

/** A second member approves (the teardown is queued with both names) or the requester or a lead withdraws. */
export async function decideTeardown(db: Db, actor: Actor, input: z.input<typeof DecideTeardownInput>): Promise<{ clusterId: string; operationId?: string }> {
  const { requestId, decision } = parseCommand(DecideTeardownInput, input);
  const action = `teardown.${decision}`;
  const request = await db.teardownRequest.findUnique({ where: { id: requestId }, include: { cluster: true } });
  if (!request || !can(actor, "cluster.read", { projectId: request.cluster.projectId })) {
    if (request) await audit(db, { actor, action, target: `cluster ${request.cluster.name}`, outcome: "denied", projectId: request.cluster.projectId });
    throw new NotFoundError("That teardown request");
  }
  const target = `cluster ${request.cluster.name}`;
  if (request.status !== "pending") throw new InvalidStateError(`That teardown request was already ${request.status}.`);
  const allowed =
    decision === "approve"
      ? can(actor, "cluster.approve-teardown", { projectId: request.cluster.projectId, requestedById: request.requestedById })
      : request.requestedById === actor.id || can(actor, "cluster.approve", { projectId: request.cluster.projectId });
  if (!allowed) {
    await audit(db, { actor, action, target, outcome: "denied", projectId: request.cluster.projectId });
    throw new ForbiddenError(decision === "approve" ? "A second member of the project must approve: not the one who asked." : "Only the requester or a lead may withdraw the request.");
  }
  if (decision === "withdraw") {
    // Claimed only while pending: of a withdrawal and an approval at once, one wins.
    const claimed = await db.teardownRequest.updateMany({ where: { id: requestId, status: "pending" }, data: decided("withdrawn", actor) });
    if (claimed.count === 0) throw new InvalidStateError(DECIDED_MEANWHILE);
    await touchCluster(db, request.clusterId);
    await audit(db, { actor, action, target, outcome: "succeeded", detail: requestId, projectId: request.cluster.projectId });
    return { clusterId: request.clusterId };
  }
  try {
    // The cluster may have changed since the request (a teardown by a lead, an operation running): its state decides.
    await guard(db, actor, { action: "teardown", cluster: request.cluster, role: null, what: target });
    // One transaction, under the cluster's row lock as requestTeardown takes it: nobody sees the request approved
    // without its teardown queued, nor asks again in between; a failure leaves the request pending as it was.
    const op = await refusingASecondOperation(
      db,
      request.clusterId,
      db.$transaction(async (tx) => {
        await tx.cluster.update({ where: { id: request.clusterId }, data: { updatedAt: new Date() } });
        const claimed = await tx.teardownRequest.updateMany({ where: { id: requestId, status: "pending" }, data: decided("approved", actor) });
        if (claimed.count === 0) throw new InvalidStateError(DECIDED_MEANWHILE);
        const queued = await queueOperation(tx, { clusterId: request.clusterId, kind: "teardown", requestedById: request.requestedById, approvedById: actor.id });
        await tx.teardownRequest.update({ where: { id: requestId }, data: { operationId: queued.id } });
        return queued;
      }),
    );
    await audit(db, { actor, action, target, outcome: "succeeded", detail: op.id, projectId: request.cluster.projectId });
    return { clusterId: request.clusterId, operationId: op.id };
  } catch (error) {
    await audit(db, { actor, action, target, outcome: "failed", detail: (error as Error).message, projectId: request.cluster.projectId });
    throw error;
  }
}

const DECIDED_MEANWHILE = "Someone decided on that teardown request a moment ago.";
const decided = (status: "approved" | "withdrawn", actor: Actor) => ({ status, decidedById: actor.id, decidedAt: new Date() });
