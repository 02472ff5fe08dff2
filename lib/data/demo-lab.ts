import { z } from "zod";
import { audit } from "@/lib/audit";
import { can, type Actor } from "@/lib/auth/policy";
import type { Db } from "@/lib/db";
import { LAB_ACTIONS, LAB_SERVICES, type DemoLabClient, type LabStatus } from "@/lib/demo-lab";
import { NODE_NAMES } from "@/lib/domain";
import { visibleCluster } from "./clusters";
import { ForbiddenError, InvalidStateError, NotFoundError, parseCommand } from "./errors";

// The demo lab's control on the cluster page: admins only, and only while the demo lab is on (`lab` is null
// otherwise, as in production). Every stop and start is audited, refusals too.

const AUDIT_ACTION = "cluster.lab-control";

export const LabControlInput = z.object({
  clusterId: z.string().min(1).max(64),
  node: z.enum(NODE_NAMES),
  service: z.enum(LAB_SERVICES),
  action: z.enum(LAB_ACTIONS),
});

async function labCluster(db: Db, actor: Actor, clusterId: string, lab: DemoLabClient | null) {
  if (!lab) throw new NotFoundError("The demo lab");
  const { cluster } = await visibleCluster(db, actor, clusterId, AUDIT_ACTION);
  if (!can(actor, "lab.control")) throw new ForbiddenError("Only an administrator controls the demo lab's nodes.");
  return cluster;
}

/** Whether the cluster page offers the lab's control: while the lab is on, to whom may use it (else its poll is refused). */
export function labControlOffered(actor: Actor, lab: DemoLabClient | null): boolean {
  return lab !== null && can(actor, "lab.control");
}

/** Which lab node runs what for the cluster (none yet, or none any more: empty); NotFound when the lab is off. */
export async function getLabStatus(db: Db, actor: Actor, clusterId: string, lab: DemoLabClient | null): Promise<LabStatus> {
  await labCluster(db, actor, clusterId, lab);
  return (await lab!.status(clusterId)) ?? { nodes: [] };
}

/** Stops or starts keepalived or the API stand-in on one lab node (to watch a fail-over). */
export async function controlLab(db: Db, actor: Actor, input: z.input<typeof LabControlInput>, lab: DemoLabClient | null): Promise<LabStatus> {
  const { clusterId, node, service, action } = parseCommand(LabControlInput, input);
  const target = `${service} on ${node}`;
  let cluster;
  try {
    cluster = await labCluster(db, actor, clusterId, lab);
  } catch (error) {
    if (error instanceof ForbiddenError) await audit(db, { actor, action: AUDIT_ACTION, target, outcome: "denied", detail: action });
    throw error;
  }
  try {
    const status = await lab!.control(clusterId, node, service, action);
    await audit(db, { actor, action: AUDIT_ACTION, target: `${target} of cluster ${cluster.name}`, outcome: "succeeded", detail: action });
    return status;
  } catch (error) {
    const message = (error as Error).message;
    await audit(db, { actor, action: AUDIT_ACTION, target: `${target} of cluster ${cluster.name}`, outcome: "failed", detail: `${action}: ${message}` });
    throw new InvalidStateError(`The demo lab did not ${action} ${target}: ${message}`);
  }
}
