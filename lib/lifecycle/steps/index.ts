import { STEP_NAMES, type OperationKind } from "@/lib/domain";
import type { ClusterStep } from "./common";
import { uploadIgnition } from "./ignition";
import { createPorts, createSecurityGroups } from "./network";
import { preflight } from "./preflight";
import { createBootstrap, createControlPlane } from "./servers";
import { waitBootstrapComplete } from "./wait-bootstrap";
import {
  bootstrapTeardown,
  teardownBootstrapServer,
  teardownControlPlane,
  teardownIgnitionConfig,
  teardownPorts,
  teardownSecurityGroups,
  verifyEmpty,
} from "./teardown";

const STEPS: Record<OperationKind, ClusterStep[]> = {
  create: [preflight, createSecurityGroups, createPorts, uploadIgnition, createBootstrap, createControlPlane, waitBootstrapComplete, bootstrapTeardown],
  teardown: [teardownControlPlane, teardownBootstrapServer, teardownPorts, teardownSecurityGroups, teardownIgnitionConfig, verifyEmpty],
  "bootstrap-teardown": [bootstrapTeardown],
};

// The step rows are created from STEP_NAMES when an operation is queued; the definitions must match them.
for (const kind of Object.keys(STEPS) as OperationKind[]) {
  const names = STEPS[kind].map((s) => s.name).join();
  if (names !== STEP_NAMES[kind].join()) throw new Error(`steps of ${kind} (${names}) differ from STEP_NAMES`);
}

export function stepsFor(kind: OperationKind): ClusterStep[] {
  return STEPS[kind];
}
