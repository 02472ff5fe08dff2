import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, type Actor } from "@/lib/auth/policy";
import { sealSecret } from "@/lib/crypto/seal";
import { allocateVrrpIds, validateClusterSpec, VrrpIdsExhaustedError } from "@/lib/cluster-spec";
import { sealStoredSpec } from "@/lib/cluster-spec/sealed";
import { isActiveOperation, type OperationKind } from "@/lib/domain";
import { clusterApiHosts, KubeconfigError, kubeApiServerProblem, parseKubeconfig } from "@/lib/lifecycle/bootstrap-complete";
import { cancelOperation, isUniqueViolation, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { plannedResources } from "@/lib/lifecycle/resources";
import { newInfraId, planCluster } from "@/lib/plan";
import { BoundedJsonText, Id } from "./input";
import { fieldErrors, ForbiddenError, InvalidStateError, NotFoundError, parseCommand, type OperationConflictError, type Outcome } from "./errors";

// The cluster commands behind the server actions and the automation routes: each takes the acting user, checks its
// input against the command's schema and the policy, writes what it did to the audit log, and answers bad input with
// field-level errors instead of throwing.

/** A spec carries both installer configs (a few hundred KiB together); anything much larger is not a spec. */
export const MAX_SPEC_BYTES = 2 * 1024 * 1024;
const MAX_KUBECONFIG_BYTES = 256 * 1024;

const DraftInput = z.object({
  projectId: Id,
  cloudId: Id,
  specJson: BoundedJsonText(MAX_SPEC_BYTES, "cluster spec"),
  kubeconfig: z.string().max(MAX_KUBECONFIG_BYTES, `The kubeconfig is larger than ${MAX_KUBECONFIG_BYTES / 1024} KiB`).optional(),
});
export type DraftClusterInput = z.input<typeof DraftInput>;

/**
 * Validates the spec and saves the cluster as a draft with its plan and its VRRP router ids; nothing is created in
 * the cloud until the user has seen the plan and starts the create operation.
 */
export async function draftCluster(db: Db, actor: Actor, input: DraftClusterInput): Promise<Outcome<{ clusterId: string }>> {
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { projectId, cloudId, specJson, kubeconfig } = parsed.data;
  if (!can(actor, "cluster.read", { projectId })) throw new NotFoundError("That project");
  if (!can(actor, "cluster.create", { projectId })) throw new ForbiddenError();
  const cloud = await db.cloud.findFirst({ where: { id: cloudId, projectId } });
  if (!cloud) return { ok: false, errors: { cloudId: "This cloud is not registered for the project" } };

  let raw: unknown;
  try {
    raw = JSON.parse(specJson);
  } catch (error) {
    return { ok: false, errors: { specJson: `The spec is not valid JSON: ${(error as Error).message}` } };
  }
  const validation = validateClusterSpec(raw);
  if (!validation.ok) return { ok: false, errors: Object.fromEntries(validation.errors.map((e) => [`spec.${e.path}`, e.message])) };
  const spec = validation.spec;
  if (kubeconfig?.trim()) {
    try {
      const { server } = parseKubeconfig(kubeconfig);
      const refused = kubeApiServerProblem(server, clusterApiHosts(spec, planCluster(spec, { clusterId: "draft", infraId: "draft" })));
      if (refused) return { ok: false, errors: { kubeconfig: refused } };
    } catch (error) {
      if (error instanceof KubeconfigError) return { ok: false, errors: { kubeconfig: error.message } };
      throw error;
    }
  }
  const nameTaken = { "spec.name": `A cluster named ${spec.name} already exists in this project` };

  // The name check and the router ids (unique per Public network across every Tripod cluster) are read and taken
  // in one transaction that first takes the project's row lock: drafts of one project run one after the other, on
  // PostgreSQL as on SQLite, and each sees what the previous one committed. The unique index stays the last word:
  // should a writer get past the lock anyway, it trips the index and we allocate again.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const clusterId = await db.$transaction(async (tx) => {
        await tx.project.update({ where: { id: projectId }, data: { clustersDrafted: { increment: 1 } } });
        if (await tx.cluster.findFirst({ where: { projectId, name: spec.name, status: { not: "deleted" } } })) return null;
        const taken = (await tx.vrrpIdAllocation.findMany({ where: { cloudId, publicNetwork: spec.networks.public.network } })).map((a) => a.routerId);
        const ids = allocateVrrpIds(taken);
        const infraId = newInfraId(spec.name);
        const cluster = await tx.cluster.create({
          data: {
            projectId,
            cloudId,
            name: spec.name,
            specJson: sealStoredSpec(raw),
            infraId,
            vrrpApiId: ids.api,
            vrrpIngressId: ids.ingress,
            vrrpSecretSealed: sealSecret(randomBytes(32).toString("hex")),
            authPassSealed: sealSecret(randomBytes(6).toString("base64url")), // 8 characters: keepalived's limit
            kubeconfigSealed: kubeconfig?.trim() ? sealSecret(kubeconfig) : null,
            createdById: actor.id,
          },
        });
        await tx.vrrpIdAllocation.createMany({
          data: [
            { cloudId, publicNetwork: spec.networks.public.network, routerId: ids.api, clusterId: cluster.id, vip: "api" },
            { cloudId, publicNetwork: spec.networks.public.network, routerId: ids.ingress, clusterId: cluster.id, vip: "ingress" },
          ],
        });
        const plan = planCluster(spec, { clusterId: cluster.id, infraId });
        await tx.resource.createMany({ data: plannedResources(plan).map((r) => ({ ...r, clusterId: cluster.id })) });
        return cluster.id;
      });
      if (!clusterId) return { ok: false, errors: nameTaken };
      await audit(db, { actor, action: "cluster.draft", target: `cluster ${spec.name}`, outcome: "succeeded", detail: clusterId, projectId });
      return { ok: true, value: { clusterId } };
    } catch (error) {
      if (error instanceof VrrpIdsExhaustedError) return { ok: false, errors: { "spec.networks.public.network": error.message } };
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { ok: false, errors: { "spec.networks.public.network": "Could not allocate VRRP router ids (too many concurrent requests); try again" } };
}


export const StartOperationInput = z.object({ clusterId: Id, kind: z.enum(["create", "teardown"]) });
export const MarkBootstrapCompleteInput = z.object({ clusterId: Id });
export const OperationCommandInput = z.object({ operationId: Id, command: z.enum(["retry", "cancel"]) });

/** The cluster, if the actor may see it; another project's cluster is "not found", and the attempt is audited. */
async function visibleCluster(db: Db, actor: Actor, clusterId: string, action: string) {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw new NotFoundError("That cluster");
  if (!can(actor, "cluster.read", { projectId: cluster.projectId })) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied", projectId: cluster.projectId });
    throw new NotFoundError("That cluster");
  }
  return cluster;
}

/** Starts an operation on a cluster the actor may act on; a second active one is refused with a clear message. */
export async function startOperation(db: Db, actor: Actor, input: z.input<typeof StartOperationInput>): Promise<{ operationId: string }> {
  const { clusterId, kind } = parseCommand(StartOperationInput, input);
  const action = `operation.${kind}`;
  const cluster = await visibleCluster(db, actor, clusterId, action);
  const target = { projectId: cluster.projectId, createdById: cluster.createdById };
  if (!can(actor, kind === "teardown" ? "cluster.teardown" : "cluster.create", target)) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied", projectId: cluster.projectId });
    throw new ForbiddenError(kind === "teardown" ? "Only the cluster's creator or a lead of its project may tear it down." : undefined);
  }
  if (kind === "create" && cluster.status !== "draft") throw new InvalidStateError(`The cluster is ${cluster.status}; create runs once, from a draft (use retry).`);
  if (kind === "teardown" && cluster.status === "deleted") throw new InvalidStateError("The cluster is already deleted.");
  // Tearing down a colleague's cluster is the lead's decision: record them as its approver.
  const approvedById = kind === "teardown" && cluster.createdById !== actor.id ? actor.id : undefined;
  try {
    const op = await requestOperation(db, { clusterId, kind, requestedById: actor.id, approvedById });
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId, detail: op.id });
    return { operationId: op.id };
  } catch (error) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "failed", projectId: cluster.projectId, detail: (error as OperationConflictError).message });
    throw error;
  }
}

/** An operator asserts that bootstrap completed (no kubeconfig, or the API is not reachable from Tripod). */
export async function markBootstrapComplete(db: Db, actor: Actor, input: z.input<typeof MarkBootstrapCompleteInput>): Promise<void> {
  const { clusterId } = parseCommand(MarkBootstrapCompleteInput, input);
  const action = "cluster.mark-bootstrap-complete";
  const cluster = await visibleCluster(db, actor, clusterId, action);
  if (!can(actor, "cluster.approve", { projectId: cluster.projectId })) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied", projectId: cluster.projectId });
    throw new ForbiddenError("Only a lead of the project may mark bootstrap complete.");
  }
  await db.cluster.update({ where: { id: clusterId }, data: { bootstrapCompletedAt: new Date(), bootstrapCompletedBy: `marked by ${actor.username}` } });
  await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId });
}

/** Retry (resume at the failed step) or cancel an operation; the rules for starting it apply. */
export async function commandOperation(db: Db, actor: Actor, input: z.input<typeof OperationCommandInput>): Promise<{ clusterId: string }> {
  const { operationId, command } = parseCommand(OperationCommandInput, input);
  const action = `operation.${command}`;
  const op = await db.operation.findUnique({ where: { id: operationId }, include: { cluster: true } });
  if (!op || !can(actor, "cluster.read", { projectId: op.cluster.projectId })) {
    if (op) await audit(db, { actor, action, target: `operation ${op.id}`, outcome: "denied", projectId: op.cluster.projectId });
    throw new NotFoundError("That operation");
  }
  const target = { projectId: op.cluster.projectId, createdById: op.cluster.createdById };
  const what = `operation ${op.id} (${op.kind}) of cluster ${op.cluster.name}`;
  if (!can(actor, op.kind === "teardown" ? "cluster.teardown" : "cluster.create", target)) {
    await audit(db, { actor, action, target: what, outcome: "denied", projectId: op.cluster.projectId });
    throw new ForbiddenError();
  }
  if (command === "retry" && op.status !== "failed" && op.status !== "cancelled") throw new InvalidStateError(`Only a failed or cancelled operation can be retried; this one is ${op.status}.`);
  if (command === "cancel" && !isActiveOperation(op.status)) throw new InvalidStateError(`The operation has already ${op.status}; there is nothing to cancel.`);
  if (command === "retry") await retryOperation(db, op.id);
  else await cancelOperation(db, op.id);
  await audit(db, { actor, action, target: what, outcome: "succeeded", projectId: op.cluster.projectId });
  return { clusterId: op.clusterId };
}
