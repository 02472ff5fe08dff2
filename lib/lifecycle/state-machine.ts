import type { ClusterRole } from "@/lib/auth/policy";
import { isActiveOperation, type ClusterStatus, type OperationKind, type OperationStatus } from "@/lib/domain";

// The one place that says which change a cluster may go through in which state, and who may ask for it. Pure: the
// door (lib/data/clusters.ts) loads the cluster, its latest operation and the actor's role on it, asks `decide`, and
// throws the refusal's sentence (Forbidden for a role, InvalidState or OperationConflict for a state).

export const CLUSTER_ACTIONS = ["create", "teardown", "retry", "cancel", "mark-bootstrap-complete", "delete-draft", "edit-draft", "reopen-draft"] as const;
export type ClusterAction = (typeof CLUSTER_ACTIONS)[number];

/** What the actor is to the cluster: its creator, another member of its project, a lead of the project, an admin. */
export const CLUSTER_ROLES = ["owner", "member", "lead", "admin"] as const satisfies readonly ClusterRole[];
export type { ClusterRole };

/** The create's first step, which only reads the cloud: a create that ended there changed nothing. */
const READ_ONLY_STEP = "preflight";

/** The step a create waits in until bootstrap completion is observed or marked. */
export const BOOTSTRAP_WAIT_STEP = "wait-bootstrap-complete";

export interface OperationState {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  /** The step running now (null when none runs). */
  runningStep: string | null;
  requestedBy: string;
  /** A step that changes the cloud has started (any but the read-only preflight): the cloud may hold some of it. */
  touchedCloud: boolean;
}

/** An operation row with its requester and steps, as the state machine reads it. */
export function operationStateOf(op: {
  id: string;
  kind: string;
  status: string;
  requestedBy: { username: string };
  steps: { name: string; status: string; attempt: number }[];
}): OperationState {
  return {
    id: op.id,
    kind: op.kind as OperationKind,
    status: op.status as OperationStatus,
    runningStep: op.steps.find((s) => s.status === "running")?.name ?? null,
    requestedBy: op.requestedBy.username,
    touchedCloud: op.steps.some((s) => s.attempt > 0 && s.name !== READ_ONLY_STEP),
  };
}

export interface ClusterState {
  status: ClusterStatus;
  /** The cluster's most recent operation; null for a draft that never ran one. */
  latest: OperationState | null;
}

export type Decision = { allowed: true } | { allowed: false; refusal: "role" | "state" | "busy"; message: string };

const ALLOW: Decision = { allowed: true };
const refuse = (refusal: "role" | "state" | "busy", message: string): Decision => ({ allowed: false, refusal, message });

/** Who may ask for each action. Creating, retrying, cancelling or tearing down someone else's cluster needs a lead. */
const WHO: Record<ClusterAction, { roles: readonly ClusterRole[]; sentence: string }> = {
  create: { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may create it." },
  teardown: { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may tear it down." },
  retry: { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may retry its operations." },
  cancel: { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may cancel its operations." },
  "mark-bootstrap-complete": { roles: ["lead", "admin"], sentence: "Only a lead of the project may mark bootstrap complete." },
  "delete-draft": { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may delete its draft." },
  "edit-draft": { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may change its draft." },
  "reopen-draft": { roles: ["owner", "lead", "admin"], sentence: "Only the cluster's creator or a lead of its project may take it back to editing." },
};

export function rolesAllowed(action: ClusterAction): readonly ClusterRole[] {
  return WHO[action].roles;
}

const busy = (op: OperationState) => refuse("busy", `This cluster already has a ${op.kind} operation ${op.status}, requested by ${op.requestedBy}.`);

/** The state half of `decide`: whether the action fits the cluster's state, whoever asks. */
export function stateRule(action: ClusterAction, state: ClusterState, operationId: string | undefined): Decision {
  const { status, latest } = state;
  const active = latest && isActiveOperation(latest.status) ? latest : null;
  switch (action) {
    case "create":
      if (active) return busy(active);
      if (status === "draft") return ALLOW;
      return refuse("state", `The cluster is ${status}; create runs once, from a draft (retry its failed operation instead).`);
    case "teardown":
      if (active) return busy(active);
      if (status === "draft") return refuse("state", "The cluster is a draft: nothing exists in the cloud yet; delete the draft instead.");
      if (status === "deleted") return refuse("state", "The cluster is already deleted.");
      return ALLOW;
    case "retry":
      if (status === "deleted") return refuse("state", "The cluster is deleted; its operations cannot be retried.");
      if (status === "draft" && latest) return refuse("state", "The cluster went back to editing: create it again instead.");
      if (!latest) return refuse("state", "The cluster has not run an operation yet; there is nothing to retry.");
      if (latest.id !== operationId) return refuse("state", "Only the cluster's latest operation can be retried; this one was superseded.");
      if (latest.status !== "failed" && latest.status !== "cancelled") return refuse("state", `Only a failed or cancelled operation can be retried; this one is ${latest.status}.`);
      return ALLOW;
    case "cancel":
      if (!latest || latest.id !== operationId || !active) return refuse("state", "Only a queued or running operation can be cancelled; this one has already ended.");
      return ALLOW;
    case "mark-bootstrap-complete":
      if (active?.kind === "create" && active.runningStep === BOOTSTRAP_WAIT_STEP) return ALLOW;
      return refuse("state", `Bootstrap can be marked complete only while a create waits at ${BOOTSTRAP_WAIT_STEP}; the cluster is ${status}${active ? ` (${active.kind} at ${active.runningStep ?? active.status})` : ""}.`);
    case "delete-draft":
      if (status === "draft" && !active) return ALLOW;
      return refuse("state", `Only a draft can be deleted; the cluster is ${status} (tear it down instead).`);
    case "edit-draft":
      if (status === "draft" && !active) return ALLOW;
      return refuse("state", `Only a draft can be changed; the cluster is ${status}.`);
    case "reopen-draft":
      if (status !== "draft" && latest?.kind === "create" && (latest.status === "failed" || latest.status === "cancelled") && !latest.touchedCloud) return ALLOW;
      return refuse("state", "Only a create that failed or was cancelled before it changed anything in the cloud (in preflight) can go back to editing; retry it or tear the cluster down.");
  }
}

/**
 * Whether `role` may do `action` to a cluster in `state`. Role first (a refusal tells the actor who may), then
 * state. `operationId` names the operation a retry or cancel is about.
 */
export function decide(action: ClusterAction, state: ClusterState, role: ClusterRole, operationId?: string): Decision {
  if (!WHO[action].roles.includes(role)) return refuse("role", WHO[action].sentence);
  return stateRule(action, state, operationId);
}
