// The operations Tripod runs and their steps, in the seed's order. Names are stable ids: they key the Step rows
// a crashed run resumes from, so renaming one is a migration.

export const OPERATION_KINDS = ["create", "teardown", "bootstrap-teardown"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const STEP_NAMES = {
  create: [
    "preflight",
    "ports",
    "security-groups",
    "ignition-upload",
    "bootstrap",
    "control-plane",
    "wait-bootstrap-complete",
    "bootstrap-teardown",
  ],
  teardown: ["control-plane", "bootstrap", "security-groups", "ports", "ignition-config", "verify-empty"],
  "bootstrap-teardown": ["bootstrap-teardown"],
} as const satisfies Record<OperationKind, readonly string[]>;

export type OperationStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const ACTIVE_STATUSES: OperationStatus[] = ["queued", "running"];

export type ClusterStatus = "draft" | "creating" | "ready" | "tearing-down" | "deleted" | "failed";

/** The cluster's status while an operation of this kind runs, and once it ended. */
export function clusterStatusFor(kind: OperationKind, phase: "running" | OperationStatus): ClusterStatus {
  if (phase === "running" || phase === "queued") return kind === "teardown" ? "tearing-down" : "creating";
  if (phase === "succeeded") return kind === "teardown" ? "deleted" : "ready";
  // A failed or cancelled create leaves resources behind: the cluster is "failed" until a retry or a teardown.
  return "failed";
}
