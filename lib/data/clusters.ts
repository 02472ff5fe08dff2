import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, roleOnCluster, type Actor, type ClusterRole } from "@/lib/auth/policy";
import { refreshOperationHealth, touchCluster } from "@/lib/cluster-health";
import { sealSecret } from "@/lib/crypto/seal";
import { validateClusterSpec, VrrpIdsExhaustedError } from "@/lib/cluster-spec";
import { sealStoredSpec } from "@/lib/cluster-spec/sealed";
import type { Cloud } from "@/lib/generated/prisma/client";
import { cloudSession } from "@/lib/lifecycle/context";
import { allocateRouterIds, networkIdOf, vrrpScope } from "@/lib/lifecycle/vrrp";
import type { ClusterStatus, OperationKind, OperationStatus } from "@/lib/domain";
import { clusterApiHosts, KubeconfigError, kubeApiServerProblem, parseKubeconfig } from "@/lib/lifecycle/bootstrap-complete";
import { cancelOperation, isUniqueViolation, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { plannedResources } from "@/lib/lifecycle/resources";
import { decide, stateRule, type ClusterAction, type ClusterState } from "@/lib/lifecycle/state-machine";
import { newInfraId, planCluster } from "@/lib/plan";
import { fieldErrors, ForbiddenError, InvalidStateError, NotFoundError, OperationConflictError, parseCommand, type Outcome } from "./errors";
import { BoundedJsonText, Id } from "./input";

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
  kubeadminPassword: z.string().max(256, "At most 256 characters").optional(),
});
export type DraftClusterInput = z.input<typeof DraftInput>;

/**
 * Validates the spec and saves the cluster as a draft with its plan and its VRRP router ids; nothing is created in
 * the cloud until the user has seen the plan and starts the create operation.
 */
export interface DraftDeps {
  /** The Neutron id of a network the spec names, asked of the cloud; null when it has none. */
  networkId(cloud: Cloud, nameOrId: string): Promise<string | null>;
}

export const cloudDraftDeps: DraftDeps = {
  networkId: (cloud, nameOrId) => networkIdOf(cloudSession(cloud, { retry: { maxElapsedMs: 10_000 } }), nameOrId),
};

export async function draftCluster(db: Db, actor: Actor, input: DraftClusterInput, deps: DraftDeps = cloudDraftDeps): Promise<Outcome<{ clusterId: string }>> {
  const parsed = DraftInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { projectId, cloudId, specJson, kubeconfig, kubeadminPassword } = parsed.data;
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

  // The networks' real ids: router ids are unique per network of the cloud, across projects and registrations.
  const scope = vrrpScope(cloud);
  const keys: { public: { scope: string; networkId: string }; cluster: { scope: string; networkId: string } | null } = { public: { scope, networkId: "" }, cluster: null };
  for (const role of spec.networks.cluster.apiIntVip ? (["public", "cluster"] as const) : (["public"] as const)) {
    const name = spec.networks[role].network;
    let networkId: string | null;
    try {
      networkId = await deps.networkId(cloud, name);
    } catch (error) {
      return { ok: false, errors: { [`spec.networks.${role}.network`]: `Could not look the network up in the cloud: ${error instanceof Error ? error.message : String(error)}` } };
    }
    if (!networkId) return { ok: false, errors: { [`spec.networks.${role}.network`]: `The cloud has no network named ${name}` } };
    keys[role] = { scope, networkId };
  }

  // The name check and the router ids are read and taken in one transaction that first takes the project's row
  // lock: drafts of one project run one after the other, on PostgreSQL as on SQLite. Drafts of other projects on
  // the same network are kept apart by the unique index: a writer that took the same id meanwhile trips it, and we
  // allocate again.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const clusterId = await db.$transaction(async (tx) => {
        await tx.project.update({ where: { id: projectId }, data: { clustersDrafted: { increment: 1 } } });
        if (await tx.cluster.findFirst({ where: { projectId, name: spec.name, status: { not: "deleted" } } })) return null;
        const infraId = newInfraId(spec.name);
        const cluster = await tx.cluster.create({
          data: {
            projectId,
            cloudId,
            name: spec.name,
            // Both with their installer configs sealed (pull secret, certificates, kubeconfig material).
            specJson: sealStoredSpec(raw),
            resolvedSpecJson: sealStoredSpec(spec),
            publicNetworkId: keys.public.networkId,
            infraId,
            vrrpSecretSealed: sealSecret(randomBytes(32).toString("hex")),
            authPassSealed: sealSecret(randomBytes(6).toString("base64url")), // 8 characters: keepalived's limit
            // as the installer wrote it: a browser's form sends its line breaks as CRLF
            kubeconfigSealed: kubeconfig?.trim() ? sealSecret(kubeconfig.replace(/\r\n/g, "\n")) : null,
            kubeadminPasswordSealed: kubeadminPassword?.trim() ? sealSecret(kubeadminPassword.trim()) : null,
            createdById: actor.id,
          },
        });
        const ids = await allocateRouterIds(tx, cluster.id, keys.public, { cloudId, publicNetwork: spec.networks.public.network }, ["api", "ingress"] as const);
        // The internal API VIP's keepalived runs on the Cluster network: its id is unique there.
        if (keys.cluster) await allocateRouterIds(tx, cluster.id, keys.cluster, { cloudId, publicNetwork: spec.networks.cluster.network }, ["api-int"] as const);
        await tx.cluster.update({ where: { id: cluster.id }, data: { vrrpApiId: ids.api, vrrpIngressId: ids.ingress } });
        const plan = planCluster(spec, { clusterId: cluster.id, infraId });
        await tx.resource.createMany({ data: plannedResources(plan).map((r) => ({ ...r, clusterId: cluster.id })) });
        await refreshOperationHealth(tx, cluster.id);
        return cluster.id;
      });
      if (!clusterId) return { ok: false, errors: nameTaken };
      await audit(db, { actor, action: "cluster.draft", target: `cluster ${spec.name}`, outcome: "succeeded", detail: clusterId, projectId });
      return { ok: true, value: { clusterId } };
    } catch (error) {
      if (error instanceof VrrpIdsExhaustedError) {
        return { ok: false, errors: { [`spec.networks.${error.message.includes("Cluster") ? "cluster" : "public"}.network`]: error.message } };
      }
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { ok: false, errors: { "spec.networks.public.network": "Could not allocate VRRP router ids (too many concurrent requests); try again" } };
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
    include: { requestedBy: { select: { username: true } }, steps: { where: { status: "running" }, select: { name: true } } },
  });
  return {
    status: cluster.status as ClusterStatus,
    latest: op && {
      id: op.id,
      kind: op.kind as OperationKind,
      status: op.status as OperationStatus,
      runningStep: op.steps[0]?.name ?? null,
      requestedBy: op.requestedBy.username,
    },
  };
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

const auditAction = (action: ClusterAction) => (action === "mark-bootstrap-complete" ? "cluster.mark-bootstrap-complete" : action === "delete-draft" ? "cluster.delete-draft" : `operation.${action}`);

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

/** Deletes a draft that never ran (its plan, ledger rows and VRRP router ids go with it). */
export async function deleteDraft(db: Db, actor: Actor, input: z.input<typeof DeleteDraftInput>): Promise<void> {
  const { clusterId } = parseCommand(DeleteDraftInput, input);
  const action = "delete-draft";
  const { cluster, role } = await visibleCluster(db, actor, clusterId, auditAction(action));
  await guard(db, actor, { action, cluster, role, what: `cluster ${cluster.name}` });
  // Conditional on still being an untouched draft: a create queued meanwhile wins.
  const removed = await db.cluster.deleteMany({ where: { id: clusterId, status: "draft", operations: { none: {} } } });
  if (removed.count === 0) throw new InvalidStateError("The draft was started meanwhile; tear it down instead.");
  await audit(db, { actor, action: auditAction(action), target: `cluster ${cluster.name}`, outcome: "succeeded", projectId: cluster.projectId });
}
