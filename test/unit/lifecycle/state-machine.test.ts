import { describe, expect, it } from "vitest";
import { CLUSTER_ACTIONS, CLUSTER_ROLES, decide, type ClusterAction, type ClusterRole, type ClusterState, type OperationState } from "@/lib/lifecycle/state-machine";

// Every (state, action, role) triple: allowed, or refused with its sentence. The expectations are written out here,
// not derived from the module under test.

const op = (kind: OperationState["kind"], status: OperationState["status"], runningStep: string | null = null, touchedCloud = true): OperationState => ({
  id: "op-latest",
  kind,
  status,
  runningStep,
  requestedBy: "alice",
  touchedCloud,
});

const STATES: Record<string, ClusterState> = {
  draft: { status: "draft", latest: null },
  "create queued": { status: "creating", latest: op("create", "queued") },
  "create running": { status: "creating", latest: op("create", "running", "ports") },
  "create waiting": { status: "creating", latest: op("create", "running", "wait-bootstrap-complete") },
  ready: { status: "ready", latest: op("create", "succeeded") },
  "create failed": { status: "failed", latest: op("create", "failed") },
  "create cancelled": { status: "failed", latest: op("create", "cancelled") },
  "create failed in preflight": { status: "failed", latest: op("create", "failed", null, false) },
  "draft back to editing": { status: "draft", latest: op("create", "failed", null, false) },
  "tearing down": { status: "tearing-down", latest: op("teardown", "running", "ports") },
  "teardown failed": { status: "failed", latest: op("teardown", "failed") },
  deleted: { status: "deleted", latest: op("teardown", "succeeded") },
};
type StateName = keyof typeof STATES;

/** In which states each action is allowed (to a role that may ask for it at all). */
const ALLOWED_IN: Record<ClusterAction, StateName[]> = {
  create: ["draft", "draft back to editing"],
  teardown: ["ready", "create failed", "create cancelled", "create failed in preflight", "teardown failed"],
  retry: ["create failed", "create cancelled", "create failed in preflight", "teardown failed"],
  cancel: ["create queued", "create running", "create waiting", "tearing down"],
  "mark-bootstrap-complete": ["create waiting"],
  "delete-draft": ["draft", "draft back to editing"],
  "edit-draft": ["draft", "draft back to editing"],
  "reopen-draft": ["create failed in preflight"],
};

const WHO_MAY: Record<ClusterAction, ClusterRole[]> = {
  create: ["owner", "lead", "admin"],
  teardown: ["owner", "lead", "admin"],
  retry: ["owner", "lead", "admin"],
  cancel: ["owner", "lead", "admin"],
  "mark-bootstrap-complete": ["lead", "admin"],
  "delete-draft": ["owner", "lead", "admin"],
  "edit-draft": ["owner", "lead", "admin"],
  "reopen-draft": ["owner", "lead", "admin"],
};

const ROLE_SENTENCE: Record<ClusterAction, string> = {
  create: "Only the cluster's creator or a lead of its project may create it.",
  teardown: "Only the cluster's creator or a lead of its project may tear it down.",
  retry: "Only the cluster's creator or a lead of its project may retry its operations.",
  cancel: "Only the cluster's creator or a lead of its project may cancel its operations.",
  "mark-bootstrap-complete": "Only a lead of the project may mark bootstrap complete.",
  "delete-draft": "Only the cluster's creator or a lead of its project may delete its draft.",
  "edit-draft": "Only the cluster's creator or a lead of its project may change its draft.",
  "reopen-draft": "Only the cluster's creator or a lead of its project may take it back to editing.",
};

/** The sentence a state refusal gives, per action and state. */
function stateSentence(action: ClusterAction, name: StateName): RegExp {
  const s = STATES[name];
  const active = s.latest && (s.latest.status === "queued" || s.latest.status === "running");
  const busy = /^This cluster already has a (create|teardown) operation (queued|running), requested by alice\.$/;
  switch (action) {
    case "create":
      return active ? busy : new RegExp(`^The cluster is ${s.status}; create runs once, from a draft`);
    case "teardown":
      if (active) return busy;
      return s.status === "draft" ? /^The cluster is a draft: nothing exists in the cloud yet; delete the draft instead\.$/ : /^The cluster is already deleted\.$/;
    case "retry":
      if (name === "draft") return /^The cluster has not run an operation yet; there is nothing to retry\.$/;
      if (name === "draft back to editing") return /^The cluster went back to editing: create it again instead\.$/;
      return name === "deleted" ? /^The cluster is deleted; its operations cannot be retried\.$/ : /^Only a failed or cancelled operation can be retried; this one is (queued|running|succeeded)\.$/;
    case "cancel":
      return /^Only a queued or running operation can be cancelled; this one has already ended\.$/;
    case "mark-bootstrap-complete":
      return new RegExp(`^Bootstrap can be marked complete only while a create waits at wait-bootstrap-complete; the cluster is ${s.status}`);
    case "delete-draft":
      return new RegExp(`^Only a draft can be deleted; the cluster is ${s.status} \\(tear it down instead\\)\\.$`);
    case "edit-draft":
      return new RegExp(`^Only a draft can be changed; the cluster is ${s.status}\\.$`);
    case "reopen-draft":
      return /^Only a create that failed or was cancelled before it changed anything in the cloud \(in preflight\) can go back to editing; retry it or tear the cluster down\.$/;
  }
}

const triples = Object.keys(STATES).flatMap((state) => CLUSTER_ACTIONS.flatMap((action) => CLUSTER_ROLES.map((role) => [state as StateName, action, role] as const)));

describe("the cluster state machine", () => {
  it("covers every (state, action, role) triple", () => {
    expect(triples).toHaveLength(12 * 8 * 4);
  });

  it.each(triples)("%s · %s · %s", (state, action, role) => {
    const decision = decide(action, STATES[state], role, "op-latest");
    if (!WHO_MAY[action].includes(role)) {
      expect(decision).toEqual({ allowed: false, refusal: "role", message: ROLE_SENTENCE[action] });
    } else if (ALLOWED_IN[action].includes(state)) {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision.allowed).toBe(false);
      if (decision.allowed) return;
      const s = STATES[state];
      const busy = (action === "create" || action === "teardown") && s.latest && (s.latest.status === "queued" || s.latest.status === "running");
      expect(decision.refusal).toBe(busy ? "busy" : "state");
      expect(decision.message).toMatch(stateSentence(action, state));
    }
  });

  it("retries and cancels only the cluster's latest operation", () => {
    expect(decide("retry", STATES["create failed"], "owner", "an-older-one")).toEqual({
      allowed: false,
      refusal: "state",
      message: "Only the cluster's latest operation can be retried; this one was superseded.",
    });
    expect(decide("cancel", STATES["create running"], "lead", "an-older-one")).toMatchObject({ allowed: false, refusal: "state" });
    expect(decide("retry", STATES.deleted, "admin", "op-latest")).toMatchObject({ allowed: false, message: "The cluster is deleted; its operations cannot be retried." });
  });
});
