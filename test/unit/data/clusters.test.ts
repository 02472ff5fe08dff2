import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError } from "@/lib/data/errors";
import { getClusterView } from "@/lib/data/cluster-view";
import { getOversight } from "@/lib/data/oversight";
import { draftCluster, markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import type { Actor } from "@/lib/auth/policy";
import { demoSpecInput } from "../../support/demo-spec";
import { projectWithPeople, testDb } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("cluster use cases", () => {
  let member: Actor;
  let colleague: Actor;
  let lead: Actor;
  let outsider: Actor;
  let projectId: string;
  let cloudId: string;

  beforeAll(async () => {
    ({ projectId, cloudId, member, colleague, lead, outsider } = await projectWithPeople(db));
  });

  const specWith = (name: string) => JSON.stringify({ ...demoSpecInput(), name });

  it("answers bad input field by field and saves nothing", async () => {
    const before = await db.cluster.count();
    expect(await draftCluster(db, member, { projectId, cloudId, specJson: "{" })).toMatchObject({ ok: false, errors: { specJson: expect.stringContaining("not valid JSON") } });
    const spec = { ...demoSpecInput(), name: "Bad_Name" };
    const result = await draftCluster(db, member, { projectId, cloudId, specJson: JSON.stringify(spec), kubeconfig: "a: [" });
    expect(result).toMatchObject({ ok: false, errors: { "spec.name": expect.stringContaining("DNS label") } });
    expect(await draftCluster(db, member, { projectId, cloudId, specJson: specWith("okname"), kubeconfig: "apiVersion: v1" })).toMatchObject({
      ok: false,
      errors: { kubeconfig: "kubeconfig has no context" },
    });
    expect(await draftCluster(db, member, { projectId, cloudId: "nope", specJson: specWith("x") })).toMatchObject({ ok: false, errors: { cloudId: expect.any(String) } });
    expect(await db.cluster.count()).toBe(before);
    await expect(draftCluster(db, outsider, { projectId, cloudId, specJson: specWith("x") })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("drafts with the plan recorded and VRRP ids unique on the Public network, even when drafted concurrently", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => draftCluster(db, member, { projectId, cloudId, specJson: specWith(`c${i}`) })));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = (await db.vrrpIdAllocation.findMany({ where: { cloudId } })).map((a) => a.routerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(16);
    const first = results[0] as { ok: true; value: { clusterId: string } };
    const resources = await db.resource.findMany({ where: { clusterId: first.value.clusterId } });
    expect(resources.filter((r) => r.kind === "port")).toHaveLength(16);
    expect(resources.filter((r) => r.kind === "vip-port")).toHaveLength(2);
    expect(resources.every((r) => r.status === "planned")).toBe(true);
    expect(await draftCluster(db, member, { projectId, cloudId, specJson: specWith("c0") })).toMatchObject({ ok: false, errors: { "spec.name": expect.stringContaining("already exists") } });
  });

  it("lets the creator and the lead tear down, records the lead as approver, refuses a colleague (audited)", async () => {
    const draft = (await draftCluster(db, member, { projectId, cloudId, specJson: specWith("teardown-me") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    await db.cluster.update({ where: { id: clusterId }, data: { status: "ready" } });
    await expect(startOperation(db, colleague, { clusterId, kind: "teardown" })).rejects.toThrow(/creator or a lead/);
    expect(await db.auditLog.count({ where: { actorId: colleague.id, action: "operation.teardown", outcome: "denied" } })).toBe(1);
    const { operationId } = await startOperation(db, lead, { clusterId, kind: "teardown" });
    expect((await db.operation.findUniqueOrThrow({ where: { id: operationId } })).approvedById).toBe(lead.id);
    await expect(startOperation(db, member, { clusterId, kind: "teardown" })).rejects.toThrow(/already has a teardown operation queued, requested by/);
  });

  it("lets only a lead mark bootstrap complete, and shows clusters only inside the project", async () => {
    const draft = (await draftCluster(db, member, { projectId, cloudId, specJson: specWith("boot") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    await expect(markBootstrapComplete(db, member, { clusterId })).rejects.toBeInstanceOf(ForbiddenError);
    await markBootstrapComplete(db, lead, { clusterId });
    const view = await getClusterView(db, member, clusterId);
    expect(view.bootstrapCompleted?.by).toBe(`marked by ${lead.username}`);
    expect(view.ports.map((p) => p.node)).toEqual(["bootstrap", "master-0", "master-1", "master-2"]);
    expect(view.can).toEqual({ create: true, teardown: true, approve: false, approveTeardown: false, download: true, ignition: false });
    expect(JSON.stringify(view)).not.toMatch(/Sealed|v1\.[A-Za-z0-9_-]{10,}\./);
    await expect(getClusterView(db, outsider, clusterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOversight(db, member)).rejects.toBeInstanceOf(ForbiddenError);
    const oversight = await getOversight(db, lead);
    expect(oversight.rows.map((r) => r.name)).toContain("boot");
  });

  it("shows keepalived VIP health on the cluster view and the oversight page once nodes report", async () => {
    const draft = (await draftCluster(db, member, { projectId, cloudId, specJson: specWith("vips") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    expect((await getClusterView(db, member, clusterId)).vips).toBeNull(); // a draft has no nodes
    await db.cluster.update({ where: { id: clusterId }, data: { status: "ready" } });
    await db.resource.updateMany({ where: { clusterId, kind: "server" }, data: { status: "present" } });
    const at = new Date(Date.now() - 5_000);
    for (const [node, state] of [["master-0", "MASTER"], ["master-1", "BACKUP"], ["master-2", "BACKUP"]] as const) {
      await db.vrrpTransition.create({ data: { clusterId, node, instance: "vips_API", vip: "api", state, priority: 40, at } });
    }
    const api = (await getClusterView(db, member, clusterId)).vips!.find((v) => v.vip === "api")!;
    expect(api.address).toBe(demoSpecInput().networks.public.apiVip);
    expect(api.holders.map((h) => h.node)).toEqual(["master-0"]);
    expect(api.nodes.map((n) => [n.node, n.state])).toEqual([["master-0", "MASTER"], ["master-1", "BACKUP"], ["master-2", "BACKUP"]]);
    const oversight = await getOversight(db, lead);
    expect(oversight.vips.clusters.find((c) => c.clusterId === clusterId)?.vips.find((v) => v.vip === "api")?.holders).toEqual(["master-0"]);
  });
});
