// Shared by the lifecycle benchmarks: a throw-away database, the demo tenant on the local cloud, and one
// create + teardown of the demo spec (bootstrap completion asserted at once: no OpenShift boots here).
import type { Db } from "@/lib/db";
import { markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import { draftDemo, isActive, setupTenant, waitForOperation, type Tenant } from "../integration/lifecycle/harness";

process.env.TRIPOD_SECRET_KEY ??= "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMzI=";

/** The demo tenant (its cloud optionally through a proxy URL) with a drafted demo cluster. */
export async function tenantWithDraft(db: Db, opts: { cloudName?: string; authUrl?: string } = {}): Promise<{ tenant: Tenant; clusterId: string }> {
  const tenant = await setupTenant(db, opts);
  return { tenant, clusterId: (await draftDemo(db, tenant)).id };
}

/** Create, marking bootstrap complete when it waits for it; returns the operation id. */
export async function createCluster(db: Db, tenant: Tenant, clusterId: string, boundMs = 1_800_000): Promise<string> {
  const create = await startOperation(db, tenant.member, { clusterId, kind: "create" });
  const waiting = await waitForOperation(db, create.operationId, (o) => !isActive(o) || o.steps.some((s) => s.name === "wait-bootstrap-complete" && s.status === "running"), boundMs);
  if (isActive(waiting)) await markBootstrapComplete(db, tenant.lead, { clusterId });
  const created = await waitForOperation(db, create.operationId, (o) => !isActive(o), boundMs);
  if (created.status !== "succeeded") throw new Error(`create ${ended(created)}`);
  return create.operationId;
}

/** An ended operation in one line: its status, each step's, and its error. */
const ended = (op: { status: string; error: string | null; steps: { name: string; status: string }[] }) =>
  `${op.status}: ${op.steps.map((s) => `${s.name}=${s.status}`).join(" ")}${op.error ? ` — ${op.error}` : ""}`;

export async function teardownCluster(db: Db, tenant: Tenant, clusterId: string, boundMs = 1_800_000): Promise<string> {
  const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
  const removed = await waitForOperation(db, teardown.operationId, (o) => !isActive(o), boundMs);
  if (removed.status !== "succeeded") throw new Error(`teardown ${ended(removed)}`);
  return teardown.operationId;
}
