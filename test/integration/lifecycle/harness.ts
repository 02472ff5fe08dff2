// Shared by the lifecycle integration tests: a tenant registered for the local cloud's demo project, admin
// listings of everything the cluster may have left, and a worker to run operations with test tuning.
import type { Db } from "@/lib/db";
import { loadActor } from "@/lib/data/actor";
import { registerCloud, type CloudCredentials } from "@/lib/data/clouds";
import { DEMO_USERS, seedUsers } from "@/lib/data/seed";
import type { Actor } from "@/lib/auth/policy";
import { createSession, type Session, type SessionOptions } from "@/lib/openstack/client";
import { computeRequest } from "@/lib/openstack/nova/versions/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import { isNotFound } from "@/lib/openstack/errors";
import { draftCluster } from "@/lib/data/clusters";
import { requestOperation } from "@/lib/lifecycle/operations";
import { runWorker } from "@/lib/lifecycle/runner";
import { runnerOptions, type WorkerSettings } from "@/lib/lifecycle/worker";
import { demoSpecInput } from "../../support/demo-spec";
import { cloudOptions } from "../openstack/cloud";

export interface Tenant {
  member: Actor;
  lead: Actor;
  projectId: string;
  cloudId: string;
}

/** The demo accounts, and the demo tenant's cloud registered under `cloudName` (optionally through a proxy URL). */
export async function setupTenant(db: Db, opts: { cloudName?: string; authUrl?: string } = {}): Promise<Tenant> {
  await seedUsers(db, DEMO_USERS);
  const byName = async (username: string) => (await loadActor(db, (await db.user.findUniqueOrThrow({ where: { username } })).id))!;
  const admin = await byName("admin");
  const project = await db.project.findUniqueOrThrow({ where: { name: "demo" } });
  const options = cloudOptions("tripod-demo");
  const auth = options.auth as Extract<SessionOptions["auth"], { type: "password" }>;
  const credentials: CloudCredentials = {
    type: "password",
    username: auth.username!,
    password: auth.password,
    userDomainName: auth.userDomainName!,
    projectName: auth.projectName!,
    projectDomainName: auth.projectDomainName!,
  };
  const result = await registerCloud(db, admin, {
    projectId: project.id,
    name: opts.cloudName ?? "local",
    authUrl: opts.authUrl ?? options.authUrl,
    region: options.region,
    credentials,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { member: await byName("alice"), lead: await byName("lena"), projectId: project.id, cloudId: result.cloud.id };
}

// The kube-apiserver stand-in listens on 127.0.0.1, not on the demo spec's API VIP.
process.env.TRIPOD_KUBE_API_ALLOWED_HOSTS ??= "127.0.0.1";

/** Drafts the demo spec (or `spec`) for the tenant's member; returns the cluster row. */
export async function draftDemo(db: Db, tenant: Tenant, opts: { kubeconfig?: string; spec?: unknown } = {}) {
  const draft = await draftCluster(db, tenant.member, {
    projectId: tenant.projectId,
    cloudId: tenant.cloudId,
    specJson: JSON.stringify(opts.spec ?? demoSpecInput()),
    kubeconfig: opts.kubeconfig,
  });
  if (!draft.ok) throw new Error(`draft refused: ${JSON.stringify(draft.errors)}`);
  return db.cluster.findUniqueOrThrow({ where: { id: draft.value.clusterId } });
}

/** What `leftovers` looks for, for a cluster row. */
export const leftoverScope = (c: { id: string; infraId: string }) => ({ tag: `tripod-cluster=${c.id}`, infraId: c.infraId, container: `${c.infraId}-ignition` });

export function adminSession(): Session {
  return createSession(cloudOptions("tripod-admin"));
}

export function tenantSession(): Session {
  return createSession(cloudOptions("tripod-demo"));
}

/** Everything carrying the cluster's tag or infra-id name, listed with admin rights across all projects. */
export async function leftovers(admin: Session, tenant: Session, opts: { tag: string; infraId: string; container: string }) {
  const mine = (r: { name: string; tags?: string[] }) => r.name.startsWith(`${opts.infraId}-`) || (r.tags ?? []).includes(opts.tag);
  const serverList = await computeRequest(admin, { method: "GET", path: "/servers/detail", query: { all_tenants: "1" } });
  const groups = await computeRequest(admin, { method: "GET", path: "/os-server-groups", query: { all_projects: "true" } });
  const objects = await containers.listObjects(tenant, opts.container).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)));
  return {
    ports: (await ports.list(admin)).filter(mine).map((p) => p.name),
    securityGroups: (await securityGroups.list(admin)).filter(mine).map((g) => g.name),
    servers: (serverList.data as { servers: { name: string; metadata: Record<string, string>; tags?: string[] }[] }).servers
      .filter((s) => mine(s) || s.metadata.tripod_cluster === opts.tag)
      .map((s) => s.name),
    serverGroups: (groups.data as { server_groups: { name: string }[] }).server_groups.filter((g) => g.name.startsWith(`${opts.infraId}-`)).map((g) => g.name),
    swift: objects === null ? [] : [opts.container, ...objects.map((o) => o.name)],
  };
}

export const FAST: WorkerSettings = {
  leaseMs: 4_000,
  pollMs: 200,
  concurrency: 2,
  ingestUrl: "http://127.0.0.1:3000/api/vrrp/ingest",
  // The stand-in API is on 127.0.0.1 (the kubeconfig's server); the spec's node addresses exist only in Neutron.
  tuning: { pollMs: 500, bootstrapPollMs: 500, convergeDelayMs: 500, bootstrapViaNodes: false },
  // The fault proxy drops an answer only once the cloud has sent it all: nothing is left in flight to wait for.
  sessionOverrides: { retry: { settleMs: 500 } },
};

/** A worker in this process until `stop` is called. */
export function inProcessWorker(db: Db, settings: WorkerSettings = FAST, log: (m: string) => void = () => undefined) {
  const stop = new AbortController();
  const done = runWorker(runnerOptions(db, settings, log), stop.signal);
  return {
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

/** Polls the operation until `until` holds or the bound passes; returns the last row with its steps. */
export async function waitForOperation(db: Db, operationId: string, until: (op: { status: string; steps: { name: string; status: string }[] }) => boolean, boundMs = 600_000) {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const op = await db.operation.findUniqueOrThrow({ where: { id: operationId }, include: { steps: { orderBy: { position: "asc" } } } });
    if (until(op)) return op;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${op.status}: ${op.steps.map((s) => `${s.name}=${s.status}`).join(" ")} ${op.error ?? ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const isActive = (op: { status: string }) => op.status === "queued" || op.status === "running";

/**
 * After a failed test: stops what still runs and tears down every cluster of the database that may have left
 * something in the shared local cloud, so the next test starts with the demo tenant's quota free.
 */
export async function tearDownEverything(db: Db): Promise<void> {
  await db.operation.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "cancelled", activeClusterId: null, leaseOwner: null } });
  const clusters = await db.cluster.findMany({ where: { status: { notIn: ["deleted", "draft"] } } });
  if (clusters.length === 0) return;
  const worker = inProcessWorker(db);
  try {
    for (const c of clusters) {
      const op = await requestOperation(db, { clusterId: c.id, kind: "teardown", requestedById: c.createdById });
      await waitForOperation(db, op.id, (o) => !isActive(o), 600_000);
    }
  } finally {
    await worker.stop();
  }
}
