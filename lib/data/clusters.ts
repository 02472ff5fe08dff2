import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, type Actor } from "@/lib/auth/policy";
import { INSTALLER_CONFIG_REFERENCES, parseJsonText, validateClusterSpec, withInstallerConfigs } from "@/lib/cluster-spec";
import { isActiveOperation, type InstallerFileKey, type OperationKind } from "@/lib/domain";
import { loadInstallerFiles } from "@/lib/lifecycle/installer-files";
import { cancelOperation, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { createDraft, installerFileProblem } from "./wizard";
import { fieldErrors, ForbiddenError, InvalidStateError, NotFoundError, parseCommand, type OperationConflictError, type Outcome } from "./errors";

// The cluster commands behind the server actions and the automation routes: each takes the acting user, checks its
// input against the command's schema and the policy, writes what it did to the audit log, and answers bad input with
// field-level errors instead of throwing.

const DraftInput = z.object({
  projectId: z.string().min(1, "Choose a project"),
  cloudId: z.string().min(1, "Choose a cloud"),
  specJson: z.string().min(1, "Paste the cluster spec (JSON)"),
  kubeconfig: z.string().optional(),
});
export type DraftClusterInput = z.input<typeof DraftInput>;

/**
 * A complete spec (installer configs inside) saved at once as a draft with its plan and VRRP router ids, as the
 * wizard's import does but refusing anything invalid: the door for scripts and the lifecycle tests. Nothing is
 * created in the cloud until the create operation starts.
 */
export async function draftCluster(db: Db, actor: Actor, input: DraftClusterInput): Promise<Outcome<{ clusterId: string }>> {
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { projectId, cloudId, specJson, kubeconfig } = parsed.data;
  const json = parseJsonText(specJson);
  if (!json.ok) return { ok: false, errors: { specJson: `The spec ${json.message}` } };
  const raw = json.value;
  const validation = validateClusterSpec(raw);
  if (!validation.ok) return { ok: false, errors: Object.fromEntries(validation.errors.map((e) => [`spec.${e.path}`, e.message])) };
  const kubeconfigProblem = kubeconfig?.trim() ? installerFileProblem("kubeconfig", kubeconfig) : null;
  if (kubeconfigProblem) return { ok: false, errors: { kubeconfig: kubeconfigProblem } };
  // The installer configs (they hold the pull secret) and the kubeconfig are stored sealed, as the wizard's uploads.
  const configText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const { installerConfigs, ...rest } = raw as { installerConfigs: { bootstrap: unknown; master: unknown } };
  const files: Partial<Record<InstallerFileKey, string>> = { bootstrap: configText(installerConfigs.bootstrap), master: configText(installerConfigs.master) };
  if (kubeconfig?.trim()) files.kubeconfig = kubeconfig;
  const created = await createDraft(db, actor, { projectId, cloudId, draft: { ...rest, installerConfigs: { ...INSTALLER_CONFIG_REFERENCES } }, files });
  if (!created.ok) return { ok: false, errors: Object.fromEntries(Object.entries(created.errors).map(([k, v]) => [k === "cloudId" ? k : `spec.${k}`, v])) };
  const problems = Object.entries(created.problems);
  if (problems.length > 0) return { ok: false, errors: Object.fromEntries(problems.map(([k, v]) => [`spec.${k}`, v])) };
  return { ok: true, value: { clusterId: created.clusterId } };
}

const Id = z.string().min(1, "An id is required").max(64, "Not an id");

export const StartOperationInput = z.object({ clusterId: Id, kind: z.enum(["create", "teardown"]) });
export const MarkBootstrapCompleteInput = z.object({ clusterId: Id });
export const OperationCommandInput = z.object({ operationId: Id, command: z.enum(["retry", "cancel"]) });

/** The cluster, if the actor may see it; another project's cluster is "not found", and the attempt is audited. */
async function visibleCluster(db: Db, actor: Actor, clusterId: string, action: string) {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw new NotFoundError("That cluster");
  if (!can(actor, "cluster.read", { projectId: cluster.projectId })) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied" });
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
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied" });
    throw new ForbiddenError(kind === "teardown" ? "Only the cluster's creator or a lead of its project may tear it down." : undefined);
  }
  if (kind === "create" && cluster.status !== "draft") throw new InvalidStateError(`The cluster is ${cluster.status}; create runs once, from a draft (use retry).`);
  if (kind === "create") {
    const files = await loadInstallerFiles(db, cluster.id);
    const valid = validateClusterSpec(withInstallerConfigs(JSON.parse(cluster.specJson), { bootstrap: files.bootstrap, master: files.master }));
    if (!valid.ok) {
      const first = valid.errors.slice(0, 3).map((e) => `${e.path} ${e.message}`).join("; ");
      throw new InvalidStateError(`The draft is not complete (${first}${valid.errors.length > 3 ? "; …" : ""}): finish it in the wizard first.`);
    }
  }
  if (kind === "teardown" && cluster.status === "deleted") throw new InvalidStateError("The cluster is already deleted.");
  // Tearing down a colleague's cluster is the lead's decision: record them as its approver.
  const approvedById = kind === "teardown" && cluster.createdById !== actor.id ? actor.id : undefined;
  try {
    const op = await requestOperation(db, { clusterId, kind, requestedById: actor.id, approvedById });
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "succeeded", detail: op.id });
    return { operationId: op.id };
  } catch (error) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "failed", detail: (error as OperationConflictError).message });
    throw error;
  }
}

/** An operator asserts that bootstrap completed (no kubeconfig, or the API is not reachable from Tripod). */
export async function markBootstrapComplete(db: Db, actor: Actor, input: z.input<typeof MarkBootstrapCompleteInput>): Promise<void> {
  const { clusterId } = parseCommand(MarkBootstrapCompleteInput, input);
  const action = "cluster.mark-bootstrap-complete";
  const cluster = await visibleCluster(db, actor, clusterId, action);
  if (!can(actor, "cluster.approve", { projectId: cluster.projectId })) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied" });
    throw new ForbiddenError("Only a lead of the project may mark bootstrap complete.");
  }
  await db.cluster.update({ where: { id: clusterId }, data: { bootstrapCompletedAt: new Date(), bootstrapCompletedBy: `marked by ${actor.username}` } });
  await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "succeeded" });
}

/** Retry (resume at the failed step) or cancel an operation; the rules for starting it apply. */
export async function commandOperation(db: Db, actor: Actor, input: z.input<typeof OperationCommandInput>): Promise<{ clusterId: string }> {
  const { operationId, command } = parseCommand(OperationCommandInput, input);
  const action = `operation.${command}`;
  const op = await db.operation.findUnique({ where: { id: operationId }, include: { cluster: true } });
  if (!op || !can(actor, "cluster.read", { projectId: op.cluster.projectId })) {
    if (op) await audit(db, { actor, action, target: `operation ${op.id}`, outcome: "denied" });
    throw new NotFoundError("That operation");
  }
  const target = { projectId: op.cluster.projectId, createdById: op.cluster.createdById };
  const what = `operation ${op.id} (${op.kind}) of cluster ${op.cluster.name}`;
  if (!can(actor, op.kind === "teardown" ? "cluster.teardown" : "cluster.create", target)) {
    await audit(db, { actor, action, target: what, outcome: "denied" });
    throw new ForbiddenError();
  }
  if (command === "retry" && op.status !== "failed" && op.status !== "cancelled") throw new InvalidStateError(`Only a failed or cancelled operation can be retried; this one is ${op.status}.`);
  if (command === "cancel" && !isActiveOperation(op.status)) throw new InvalidStateError(`The operation has already ${op.status}; there is nothing to cancel.`);
  if (command === "retry") await retryOperation(db, op.id);
  else await cancelOperation(db, op.id);
  await audit(db, { actor, action, target: what, outcome: "succeeded" });
  return { clusterId: op.clusterId };
}
