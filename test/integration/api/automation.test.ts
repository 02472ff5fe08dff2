import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoute, draftClusterApi, getClusterApi, getOperationApi, listClustersApi, listProjectsApi, createApi, teardownApi } from "@/lib/data/api";
import { createApiToken, revokeApiToken } from "@/lib/data/api-tokens";
import { loadActor } from "@/lib/data/actor";
import { makeUser, testDb } from "../../support/db";
import { demoSpecInput } from "../../support/demo-spec";
import { startKubeApiStandin, type KubeApiStandin } from "../../support/kube-api-standin";
import { adminSession, inProcessWorker, leftovers, leftoverScope, setupTenant, tenantSession, tearDownEverything, type Tenant } from "../lifecycle/harness";

// The automation API against the local cloud, as a script drives it: a personal API token finds its project and
// cloud, drafts the demo cluster from its spec JSON, creates it and tears it down; a revoked token and another project's user are refused.

const db = testDb();
const route = {
  projects: apiRoute(() => db, listProjectsApi),
  list: apiRoute(() => db, listClustersApi),
  draft: apiRoute(() => db, draftClusterApi),
  cluster: apiRoute(() => db, getClusterApi),
  create: apiRoute(() => db, createApi),
  teardown: apiRoute(() => db, teardownApi),
  operation: apiRoute(() => db, getOperationApi),
};

function call(handler: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>, token: string, params: Record<string, string> = {}, body?: unknown) {
  const request = new Request("http://127.0.0.1/api/v1/x", {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

async function untilDone(token: string, operationId: string): Promise<{ status: string; steps: { name: string; status: string }[] }> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const response = await call(route.operation, token, { id: operationId });
    expect(response.status).toBe(200);
    const op = (await response.json()) as { status: string; steps: { name: string; status: string }[] };
    if (op.status !== "queued" && op.status !== "running") return op;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} still ${op.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("the automation API with a personal API token", { timeout: 900_000 }, () => {
  let tenant: Tenant;
  let api: KubeApiStandin;
  let worker: { stop: () => Promise<void> };
  let token: string;
  let clusterId: string;

  beforeAll(async () => {
    tenant = await setupTenant(db);
    api = await startKubeApiStandin("complete");
    worker = inProcessWorker(db);
    token = (await createApiToken(db, tenant.member, { name: "automation test" })).token;
  });
  afterAll(async () => {
    await worker.stop();
    await tearDownEverything(db);
    await api.stop();
    await db.$disconnect();
  });

  it("drafts from a spec JSON, creates and tears down, each step visible in the operation's status", async () => {
    // the ids a draft needs, found by name as the New cluster page offers them
    const { projects } = (await (await call(route.projects, token)).json()) as { projects: { id: string; name: string; clouds: { id: string; name: string }[] }[] };
    const demo = projects.find((p) => p.name === "demo");
    const { projectId, cloudId } = { projectId: demo?.id, cloudId: demo?.clouds.find((c) => c.name === "local")?.id };
    expect([projectId, cloudId]).toEqual([tenant.projectId, tenant.cloudId]);

    const bad = await call(route.draft, token, {}, { projectId, cloudId, spec: { ...demoSpecInput(), name: "Not_A_Label" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors["spec.name"]).toContain("DNS label");

    const drafted = await call(route.draft, token, {}, { projectId, cloudId, spec: demoSpecInput(), kubeconfig: api.kubeconfig });
    expect(drafted.status).toBe(201);
    clusterId = ((await drafted.json()) as { id: string }).id;
    const listed = (await (await call(route.list, token)).json()) as { clusters: { id: string; status: string }[] };
    expect(listed.clusters.find((c) => c.id === clusterId)?.status).toBe("draft");

    const create = await call(route.create, token, { id: clusterId }, {});
    expect(create.status).toBe(202);
    const created = await untilDone(token, ((await create.json()) as { operationId: string }).operationId);
    expect(created.status, JSON.stringify(created)).toBe("succeeded");
    expect(created.steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(((await (await call(route.cluster, token, { id: clusterId })).json()) as { status: string }).status).toBe("ready");

    const teardown = await call(route.teardown, token, { id: clusterId }, {});
    expect(teardown.status).toBe(202);
    const again = await call(route.teardown, token, { id: clusterId }, {});
    expect(again.status).toBe(409);
    const removed = await untilDone(token, ((await teardown.json()) as { operationId: string }).operationId);
    expect(removed.status, JSON.stringify(removed)).toBe("succeeded");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(cluster.status).toBe("deleted");
    expect(await leftovers(adminSession(), tenantSession(), leftoverScope(cluster))).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
    const audited = await db.auditLog.findMany({ where: { actorId: tenant.member.id, detail: { not: null } }, orderBy: { at: "asc" } });
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(["api-token.create", "cluster.draft", "operation.create", "operation.teardown"]));
  });

  it("answers 401 to a revoked token and to none", async () => {
    const { id, token: revoked } = await createApiToken(db, tenant.member, { name: "to revoke" });
    expect((await call(route.list, revoked)).status).toBe(200);
    await revokeApiToken(db, tenant.member, { tokenId: id });
    expect((await call(route.list, revoked)).status).toBe(401);
    expect((await call(route.cluster, "tripod_nonsense", { id: clusterId })).status).toBe(401);
    expect((await route.list(new Request("http://127.0.0.1/api/v1/clusters"), { params: Promise.resolve({}) })).status).toBe(401);
  });

  it("answers 404 to another project's user for the cluster and its operations", async () => {
    const project = await db.project.create({ data: { name: `other-${Date.now()}` } });
    const outsider = await makeUser(db, { projects: [{ id: project.id, role: "lead" }] });
    const { token: theirs } = await createApiToken(db, (await loadActor(db, outsider.id))!, { name: "outsider" });
    expect((await call(route.cluster, theirs, { id: clusterId })).status).toBe(404);
    expect((await call(route.teardown, theirs, { id: clusterId }, {})).status).toBe(404);
    const op = await db.operation.findFirstOrThrow({ where: { clusterId } });
    expect((await call(route.operation, theirs, { id: op.id })).status).toBe(404);
    const listed = (await (await call(route.list, theirs)).json()) as { clusters: { id: string }[] };
    expect(listed.clusters.map((c) => c.id)).not.toContain(clusterId);
  });
});
