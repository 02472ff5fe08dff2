import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, roleOnCluster, type Actor, type ClusterRole } from "@/lib/auth/policy";
import { touchCluster } from "@/lib/cluster-health";
import { INSTALLER_CONFIG_REFERENCES, parseJsonText, validateClusterSpec } from "@/lib/cluster-spec";
import type { Cloud } from "@/lib/generated/prisma/client";
import { cloudSession } from "@/lib/lifecycle/context";
import { networkIdOf } from "@/lib/lifecycle/vrrp";
import { INSTALLER_FILE_LIMITS, REQUEST_BODY_LIMIT_BYTES, sizeText, type ClusterStatus, type InstallerFileKey } from "@/lib/domain";
import { cancelOperation, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { decide, operationStateOf, stateRule, type ClusterAction, type ClusterState } from "@/lib/lifecycle/state-machine";
import { createDraft, draftNotReady, installerFileProblem } from "./wizard";
import { fieldErrors, ForbiddenError, InvalidStateError, NotFoundError, OperationConflictError, parseCommand, type Outcome } from "./errors";
import { BoundedJsonText, Id } from "./input";

// The cluster commands behind the server actions and the automation routes: each takes the acting user, checks its
// input against the command's schema and the policy, writes what it did to the audit log, and answers bad input with
// field-level errors instead of throwing.

const DraftInput = z.object({
  projectId: Id,
  cloudId: Id,
  // its installer configs inline: as much as a request may carry (they are stored apart, as uploads)
  specJson: BoundedJsonText(REQUEST_BODY_LIMIT_BYTES, "cluster spec"),
  // as the wizard's uploads of the same files
  kubeconfig: z.string().max(INSTALLER_FILE_LIMITS.kubeconfig, `The kubeconfig is larger than ${sizeText(INSTALLER_FILE_LIMITS.kubeconfig)}`).optional(),
  kubeadminPassword: z.string().max(INSTALLER_FILE_LIMITS.kubeadminPassword, `At most ${INSTALLER_FILE_LIMITS.kubeadminPassword} characters`).optional(),
});
export type DraftClusterInput = z.input<typeof DraftInput>;

export interface DraftDeps {
  /** The Neutron id of a network the spec names, asked of the cloud; null when it has none. */
  networkId(cloud: Cloud, nameOrId: string): Promise<string | null>;
}

export const cloudDraftDeps: DraftDeps = {
  networkId: (cloud, nameOrId) => networkIdOf(cloudSession(cloud, { retry: { maxElapsedMs: 10_000 } }), nameOrId),
};

/**
 * A complete spec (installer configs inside) saved at once as a draft with its plan and VRRP router ids, as the
 * wizard's import does but refusing anything invalid and keeping nothing then: the door for the automation API and
 * the lifecycle tests. Nothing is created in the cloud until the create operation starts.
 */
export async function draftCluster(db: Db, actor: Actor, input: DraftClusterInput, deps: DraftDeps = cloudDraftDeps): Promise<Outcome<{ clusterId: string }>> {
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { projectId, cloudId, specJson, kubeconfig, kubeadminPassword } = parsed.data;
  const json = parseJsonText(specJson);
  if (!json.ok) return { ok: false, errors: { specJson: `The spec ${json.message}` } };
  const raw = json.value;
  const validation = validateClusterSpec(raw);
  if (!validation.ok) return { ok: false, errors: Object.fromEntries(validation.errors.map((e) => [`spec.${e.path}`, e.message])) };
  const kubeconfigProblem = kubeconfig?.trim() ? installerFileProblem("kubeconfig", kubeconfig, validation.spec) : null;
  if (kubeconfigProblem) return { ok: false, errors: { kubeconfig: kubeconfigProblem } };
  // The installer configs (they hold the pull secret) and the kubeconfig are stored sealed, as the wizard's uploads.
  const configText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const { installerConfigs, ...rest } = raw as { installerConfigs: { bootstrap: unknown; master: unknown } };
  const files: Partial<Record<InstallerFileKey, string>> = { bootstrap: configText(installerConfigs.bootstrap), master: configText(installerConfigs.master) };
  if (kubeconfig?.trim()) files.kubeconfig = kubeconfig;
  if (kubeadminPassword?.trim()) files.kubeadminPassword = kubeadminPassword.trim();
  const draft = { ...rest, installerConfigs: { ...INSTALLER_CONFIG_REFERENCES } };
  const created = await createDraft(db, actor, { projectId, cloudId, draft, files, whole: true }, deps);
  if (!created.ok) return { ok: false, errors: Object.fromEntries(Object.entries(created.errors).map(([k, v]) => [k === "cloudId" ? k : `spec.${k}`, v])) };
  return { ok: true, value: { clusterId: created.clusterId } };
}

export const StartOperationInput = z.object({ clusterId: Id, kind: z.enum(["create", "teardown"]) });
export const MarkBootstrapCompleteInput = z.object({ clusterId: Id });
export const OperationCommandInput = z.object({ operationId: Id, command: z.enum(["retry", "cancel"]) });

/** The cluster, if the actor may see it, with the actor's role on it; another project's cluster is "not found" (audited). */
export async function visibleCluster(db: Db, actor: Actor, clusterId: string, action: string) {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw new NotFoundError("That cluster");
  const role = roleOnCluster(actor, cluster);
  if (!role) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied", projectId: cluster.projectId });
    throw new NotFoundError("That cluster");
  }
  return { cluster, role };
}

/** The cluster's status and its latest operation, as the state machine reads them. */
async function clusterState(db: Db, cluster: { id: string; status: string }): Promise<ClusterState> {
  const op = await db.operation.findFirst({
    where: { clusterId: cluster.id },
    orderBy: { createdAt: "desc" },
    include: { requestedBy: { select: { username: true } }, steps: { select: { name: true, status: true, attempt: true } } },
  });
  return { status: cluster.status as ClusterStatus, latest: op && operationStateOf(op) };
}

/**
 * Asks the state machine; a refusal is audited and thrown as the door's error with its sentence. `role` null: the
 * caller decided who may (the second person of a two-person teardown), only the state is asked.
 */
export async function guard(db: Db, actor: Actor, input: { action: ClusterAction; cluster: { id: string; name: string; status: string; projectId: string }; role: ClusterRole | null; operationId?: string; what: string }) {
  const state = await clusterState(db, input.cluster);
  const decision = input.role ? decide(input.action, state, input.role, input.operationId) : stateRule(input.action, state, input.operationId);
  if (decision.allowed) return state;
  await audit(db, { actor, action: auditAction(input.action), target: input.what, outcome: "denied", detail: decision.message, projectId: input.cluster.projectId });
  if (decision.refusal === "role") throw new ForbiddenError(decision.message);
  if (decision.refusal === "busy") throw new OperationConflictError(state.latest && { ...state.latest });
  throw new InvalidStateError(decision.message);
}

const CLUSTER_AUDIT_ACTIONS: Partial<Record<ClusterAction, string>> = {
  "mark-bootstrap-complete": "cluster.mark-bootstrap-complete",
  "delete-draft": "cluster.delete-draft",
  "edit-draft": "cluster.edit",
  "reopen-draft": "cluster.reopen",
};
const auditAction = (action: ClusterAction) => CLUSTER_AUDIT_ACTIONS[action] ?? `operation.${action}`;

/** Whether tearing down this cluster needs a second member's approval (the project's setting, ready clusters). */
export async function needsSecondPerson(db: Db, cluster: { projectId: string; status: string }): Promise<boolean> {
  if (cluster.status !== "ready") return false;
  const project = await db.project.findUnique({ where: { id: cluster.projectId }, select: { twoPersonTeardown: true } });
  return project?.twoPersonTeardown ?? false;
}

/** Starts an operation on a cluster the actor may act on; a second active one is refused with a clear message. */
export async function startOperation(db: Db, actor: Actor, input: z.input<typeof StartOperationInput>): Promise<{ operationId: string }> {
  const { clusterId, kind } = parseCommand(StartOperationInput, input);
  const action = auditAction(kind);
  const { cluster, role } = await visibleCluster(db, actor, clusterId, action);
  await guard(db, actor, { action: kind, cluster, role, what: `cluster ${cluster.name}` });
  if (kind === "teardown" && (await needsSecondPerson(db, cluster))) {
    await audit(db, { actor, action, target: `cluster ${cluster.name}`, outcome: "denied", detail: "two-person teardown", projectId: cluster.projectId });
    throw new InvalidStateError("This project requires a second member's approval to tear down a ready cluster: ask for it with Tear down on the cluster page.");
  }
  if (kind === "create") {
    // A wizard's draft may still be incomplete: create only a whole spec, installer files included.
    const notReady = await draftNotReady(db, cluster);
    if (notReady) throw new InvalidStateError(notReady);
  }

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
  const action = "mark-bootstrap-complete";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, auditAction(action));
  await guard(db, actor, { action, cluster, role, what: `cluster ${cluster.name}` });
  await db.cluster.update({ where: { id: clusterId }, data: { bootstrapCompletedAt: new Date(), bootstrapCompletedBy: `marked by ${actor.username}` } });
  await touchCluster(db, clusterId);
  await audit(db, { actor, action: auditAction(action), target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId });
}

/** Retry (resume at the failed step) or cancel an operation; only the cluster's latest, and only by who may start it. */
export async function commandOperation(db: Db, actor: Actor, input: z.input<typeof OperationCommandInput>): Promise<{ clusterId: string }> {
  const { operationId, command } = parseCommand(OperationCommandInput, input);
  const op = await db.operation.findUnique({ where: { id: operationId }, include: { cluster: true } });
  const role = op && roleOnCluster(actor, op.cluster);
  if (!op || !role) {
    if (op) await audit(db, { actor, action: auditAction(command), target: `operation ${op.id}`, outcome: "denied", projectId: op.cluster.projectId });
    throw new NotFoundError("That operation");
  }
  const what = `operation ${op.id} (${op.kind}) of cluster ${op.cluster.name}`;
  await guard(db, actor, { action: command, cluster: op.cluster, role, operationId: op.id, what });
  if (command === "retry") await retryOperation(db, op.id);
  else await cancelOperation(db, op.id);
  await audit(db, { actor, action: auditAction(command), target: what, outcome: "succeeded", projectId: op.cluster.projectId });
  return { clusterId: op.clusterId };
}

export const DeleteDraftInput = z.object({ clusterId: Id });

/** A draft the actor may change (the wizard's steps, uploads, import): visible, and the state machine allows it. */
export async function editableDraft(db: Db, actor: Actor, clusterId: string) {
  const action = "edit-draft";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, auditAction(action));
  await guard(db, actor, { action, cluster, role, what: `cluster ${cluster.name}` });
  return cluster;
}

/** Deletes a draft, one that never ran or one back to editing (its plan, ledger rows and VRRP router ids go with it). */
export async function deleteDraft(db: Db, actor: Actor, input: z.input<typeof DeleteDraftInput>): Promise<void> {
  const { clusterId } = parseCommand(DeleteDraftInput, input);
  const action = "delete-draft";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, auditAction(action));
  await guard(db, actor, { action, cluster, role, what: `cluster ${cluster.name}` });
  // Conditional on still being a draft with no operation active: a create queued meanwhile wins.
  const removed = await db.cluster.deleteMany({ where: { id: clusterId, status: "draft", operations: { none: { activeClusterId: { not: null } } } } });
  if (removed.count === 0) throw new InvalidStateError("The draft was started meanwhile; tear it down instead.");
  await audit(db, { actor, action: auditAction(action), target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId });
}

export const ReopenDraftInput = z.object({ clusterId: Id });

/**
 * "Back to editing": a create that failed or was cancelled before any step changed the cloud (in preflight) leaves
 * nothing behind, so the cluster becomes a draft again — to be changed in the wizard, created or deleted. Its
 * operations stay in its history.
 */
export async function reopenDraft(db: Db, actor: Actor, input: z.input<typeof ReopenDraftInput>): Promise<void> {
  const { clusterId } = parseCommand(ReopenDraftInput, input);
  const action = "reopen-draft";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, auditAction(action));
  await guard(db, actor, { action, cluster, role, what: `cluster ${cluster.name}` });
  // Conditional on the status the guard saw, with no operation active: a retry queued meanwhile wins.
  const reopened = await db.cluster.updateMany({
    where: { id: clusterId, status: cluster.status, operations: { none: { activeClusterId: { not: null } } } },
    data: { status: "draft" },
  });
  if (reopened.count === 0) throw new InvalidStateError("The cluster changed meanwhile; reload the page.");
  await touchCluster(db, clusterId);
  await audit(db, { actor, action: auditAction(action), target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId });
}
