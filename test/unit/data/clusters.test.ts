import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { ForbiddenError, InvalidStateError, NotFoundError } from "@/lib/data/errors";
import { getClusterView } from "@/lib/data/cluster-view";
import { storeVipSummary } from "@/lib/vip/panel";
import { getOversight } from "@/lib/data/oversight";
import { commandOperation, deleteDraft, draftCluster, type DraftClusterInput, type DraftDeps, markBootstrapComplete, reopenDraft, startOperation } from "@/lib/data/clusters";
import type { Actor } from "@/lib/auth/policy";
import { demoSpecInput } from "../../support/demo-spec";
import { makeUser, projectWithPeople, testDb, uniq } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

// The cloud's answer to "which network is this?", by name: the local cloud is not needed for these use cases
// (test/integration/lifecycle asks the real one).
const networkIds: DraftDeps = { networkId: async (_cloud, nameOrId) => (nameOrId === "missing" ? null : `id-of-${nameOrId}`) };
const draftAs = (actor: Actor, input: DraftClusterInput) => draftCluster(db, actor, input, networkIds);

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
    expect(await draftAs(member, { projectId, cloudId, specJson: "{" })).toMatchObject({ ok: false, errors: { specJson: expect.stringContaining("not valid JSON") } });
    const spec = { ...demoSpecInput(), name: "Bad_Name" };
    const result = await draftAs(member, { projectId, cloudId, specJson: JSON.stringify(spec), kubeconfig: "a: [" });
    expect(result).toMatchObject({ ok: false, errors: { "spec.name": expect.stringContaining("DNS label") } });
    expect(await draftAs(member, { projectId, cloudId, specJson: specWith("okname"), kubeconfig: "apiVersion: v1" })).toMatchObject({
      ok: false,
      errors: { kubeconfig: "kubeconfig has no context" },
    });
    expect(await draftAs(member, { projectId, cloudId: "nope", specJson: specWith("x") })).toMatchObject({ ok: false, errors: { cloudId: expect.any(String) } });
    expect(await db.cluster.count()).toBe(before);
    await expect(draftAs(outsider, { projectId, cloudId, specJson: specWith("x") })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("drafts with the plan recorded and VRRP ids unique on the Public network, even when drafted concurrently", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => draftAs(member, { projectId, cloudId, specJson: specWith(`c${i}`) })));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = (await db.vrrpRouterId.findMany({ where: { cluster: { cloudId }, vip: { in: ["api", "ingress"] } } })).map((a) => a.routerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(16);
    // the internal API VIP's ids: unique on the Cluster network
    const onCluster = await db.vrrpRouterId.findMany({ where: { cluster: { cloudId }, vip: "api-int" } });
    expect(onCluster.map((a) => a.networkId)).toEqual(Array(8).fill("id-of-tripod-cluster"));
    expect(new Set(onCluster.map((a) => a.routerId)).size).toBe(8);
    const first = results[0] as { ok: true; value: { clusterId: string } };
    const resources = await db.resource.findMany({ where: { clusterId: first.value.clusterId } });
    expect(resources.filter((r) => r.kind === "port")).toHaveLength(16);
    expect(resources.filter((r) => r.kind === "vip-port")).toHaveLength(3);
    expect(resources.every((r) => r.status === "planned")).toBe(true);
    expect(await draftAs(member, { projectId, cloudId, specJson: specWith("c0") })).toMatchObject({ ok: false, errors: { "spec.name": expect.stringContaining("already exists") } });
  });

  it("lets the creator and the lead tear down, records the lead as approver, refuses a colleague (audited)", async () => {
    const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith("teardown-me") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    await db.cluster.update({ where: { id: clusterId }, data: { status: "ready" } });
    await expect(startOperation(db, colleague, { clusterId, kind: "teardown" })).rejects.toThrow(/creator or a lead/);
    expect(await db.auditLog.count({ where: { actorId: colleague.id, action: "operation.teardown", outcome: "denied" } })).toBe(1);
    const { operationId } = await startOperation(db, lead, { clusterId, kind: "teardown" });
    expect((await db.operation.findUniqueOrThrow({ where: { id: operationId } })).approvedById).toBe(lead.id);
    await expect(startOperation(db, member, { clusterId, kind: "teardown" })).rejects.toThrow(/already has a teardown operation queued, requested by/);
  });

  it("lets only a lead mark bootstrap complete, and shows clusters only inside the project", async () => {
    const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith("boot") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    await expect(markBootstrapComplete(db, member, { clusterId })).rejects.toBeInstanceOf(ForbiddenError);
    // A draft is not waiting for its bootstrap: refused with the reason, nothing recorded.
    await expect(markBootstrapComplete(db, lead, { clusterId })).rejects.toThrow(/only while a create waits at wait-bootstrap-complete; the cluster is draft/);
    expect((await db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).bootstrapCompletedAt).toBeNull();
    const { operationId } = await startOperation(db, member, { clusterId, kind: "create" });
    await db.operation.update({ where: { id: operationId }, data: { status: "running" } });
    await db.step.updateMany({ where: { operationId, name: { in: ["preflight", "ports", "security-groups", "ignition-upload", "bootstrap", "control-plane"] } }, data: { status: "succeeded" } });
    await db.step.updateMany({ where: { operationId, name: "wait-bootstrap-complete" }, data: { status: "running" } });
    await markBootstrapComplete(db, lead, { clusterId });
    const view = await getClusterView(db, member, clusterId);
    expect(view.bootstrapCompleted?.by).toBe(`marked by ${lead.username}`);
    expect(view.ports.map((p) => p.node)).toEqual(["bootstrap", "master-0", "master-1", "master-2"]);
    expect(view.can).toEqual({ create: true, teardown: true, approve: false, approveTeardown: false, download: true, ignition: false, edit: true, reopen: false });
    expect(JSON.stringify(view)).not.toMatch(/Sealed|v1\.[A-Za-z0-9_-]{10,}\./);
    await expect(getClusterView(db, outsider, clusterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOversight(db, member)).rejects.toBeInstanceOf(ForbiddenError);
    // what the ingest does once it has stored a message: the summary row oversight reads
    await storeVipSummary(db, clusterId, new Date());
    const oversight = await getOversight(db, lead, { q: (await getClusterView(db, member, clusterId)).name });
    expect(oversight.rows.map((r) => r.name)).toContain("boot");
  });

  it("shows keepalived VIP health on the cluster view and the oversight page once nodes report", async () => {
    const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith("vips") })) as { ok: true; value: { clusterId: string } };
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
    // what the ingest does once it has stored a message: the summary row oversight reads
    await storeVipSummary(db, clusterId, new Date());
    const oversight = await getOversight(db, lead, { q: (await getClusterView(db, member, clusterId)).name });
    expect(oversight.vips.clusters.find((c) => c.clusterId === clusterId)?.vips.find((v) => v.vip === "api")?.holders).toEqual(["master-0"]);
  });

  it("lets only the owner, a lead or an admin start, retry or cancel; retries only the latest failed operation", async () => {
    const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith("guarded") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    await expect(startOperation(db, colleague, { clusterId, kind: "create" })).rejects.toThrow("Only the cluster's creator or a lead of its project may create it.");
    const first = await startOperation(db, member, { clusterId, kind: "create" });
    await expect(commandOperation(db, colleague, { operationId: first.operationId, command: "cancel" })).rejects.toBeInstanceOf(ForbiddenError);
    await commandOperation(db, member, { operationId: first.operationId, command: "cancel" });
    await expect(commandOperation(db, colleague, { operationId: first.operationId, command: "retry" })).rejects.toThrow(/may retry its operations/);
    // A teardown after the cancelled create: the create is no longer the latest and cannot be retried.
    const teardown = await startOperation(db, lead, { clusterId, kind: "teardown" });
    await db.operation.update({ where: { id: teardown.operationId }, data: { status: "failed", activeClusterId: null } });
    await expect(commandOperation(db, member, { operationId: first.operationId, command: "retry" })).rejects.toThrow("Only the cluster's latest operation can be retried; this one was superseded.");
    await commandOperation(db, member, { operationId: teardown.operationId, command: "retry" });
    expect(await db.auditLog.count({ where: { actorId: colleague.id, outcome: "denied", target: { contains: "guarded" } } })).toBeGreaterThanOrEqual(2);
  });

  it("deletes an untouched draft with its VRRP router ids, and refuses once it ran", async () => {
    const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith("to-delete") })) as { ok: true; value: { clusterId: string } };
    const clusterId = draft.value.clusterId;
    expect(await db.vrrpRouterId.count({ where: { clusterId } })).toBe(3); // API and Ingress on Public, internal API on Cluster
    await expect(deleteDraft(db, colleague, { clusterId })).rejects.toBeInstanceOf(ForbiddenError);
    await deleteDraft(db, member, { clusterId });
    expect(await db.cluster.count({ where: { id: clusterId } })).toBe(0);
    expect(await db.vrrpRouterId.count({ where: { clusterId } })).toBe(0);
    const started = (await draftAs(member, { projectId, cloudId, specJson: specWith("started") })) as { ok: true; value: { clusterId: string } };
    await startOperation(db, member, { clusterId: started.value.clusterId, kind: "create" });
    await expect(deleteDraft(db, member, { clusterId: started.value.clusterId })).rejects.toBeInstanceOf(InvalidStateError);
  });

  it("takes a create that failed in preflight back to editing, and refuses once a step changed the cloud", async () => {
    // A create as the runner leaves it when `step` failed in its first attempt.
    const failedAt = async (name: string, step: string) => {
      const draft = (await draftAs(member, { projectId, cloudId, specJson: specWith(name) })) as { ok: true; value: { clusterId: string } };
      const clusterId = draft.value.clusterId;
      const { operationId } = await startOperation(db, member, { clusterId, kind: "create" });
      await db.step.updateMany({ where: { operationId, name: "preflight" }, data: { status: step === "preflight" ? "failed" : "succeeded", attempt: 1 } });
      if (step !== "preflight") await db.step.updateMany({ where: { operationId, name: step }, data: { status: "failed", attempt: 1 } });
      await db.operation.update({ where: { id: operationId }, data: { status: "failed", activeClusterId: null, error: `${step} failed` } });
      await db.cluster.update({ where: { id: clusterId }, data: { status: "failed" } });
      return { clusterId, operationId };
    };

    const quota = await failedAt("reopen-me", "preflight");
    expect((await getClusterView(db, member, quota.clusterId)).can).toMatchObject({ reopen: true });
    expect((await getClusterView(db, colleague, quota.clusterId)).can).toMatchObject({ reopen: false });
    await expect(reopenDraft(db, colleague, { clusterId: quota.clusterId })).rejects.toBeInstanceOf(ForbiddenError);
    await reopenDraft(db, member, { clusterId: quota.clusterId });
    const reopened = await getClusterView(db, member, quota.clusterId);
    expect(reopened.status).toBe("draft");
    expect(reopened.can).toMatchObject({ edit: true, reopen: false });
    expect(reopened.operations.map((o) => o.status)).toEqual(["failed"]); // history kept
    // A draft again: its failed create is not retried, it is created anew (or deleted).
    await expect(commandOperation(db, member, { operationId: quota.operationId, command: "retry" })).rejects.toThrow("The cluster went back to editing: create it again instead.");
    const again = await startOperation(db, member, { clusterId: quota.clusterId, kind: "create" });
    expect(again.operationId).not.toBe(quota.operationId);
    expect(await db.auditLog.count({ where: { action: "cluster.reopen", outcome: "succeeded", target: "cluster reopen-me" } })).toBe(1);

    const ports = await failedAt("made-ports", "ports");
    expect((await getClusterView(db, member, ports.clusterId)).can).toMatchObject({ reopen: false });
    await expect(reopenDraft(db, member, { clusterId: ports.clusterId })).rejects.toThrow(/changed anything in the cloud \(in preflight\)/);
    expect((await db.cluster.findUniqueOrThrow({ where: { id: ports.clusterId } })).status).toBe("failed");
    expect(await db.auditLog.count({ where: { action: "cluster.reopen", outcome: "denied", target: "cluster made-ports" } })).toBe(1);
    await expect(reopenDraft(db, outsider, { clusterId: ports.clusterId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("allocates router ids per real network: two projects on one cloud and Public network never share one", async () => {
    const other = await db.project.create({ data: { name: uniq("p2") } });
    // The same Keystone, spelled differently, registered under another name for another project.
    const otherCloud = await db.cloud.create({ data: { projectId: other.id, name: "same-cloud", authUrl: "http://127.0.0.1:5000/v3/", credentialsSealed: "x" } });
    const otherLead = (await loadActor(db, (await makeUser(db, { projects: [{ id: other.id, role: "lead" }] })).id))!;
    const netSpec = (name: string) => JSON.stringify({ ...demoSpecInput(), name, networks: { ...demoSpecInput().networks, public: { ...demoSpecInput().networks.public, network: "shared-public" } } });
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => draftAs(member, { projectId, cloudId, specJson: netSpec(`shared${i}`) })),
      ...Array.from({ length: 4 }, (_, i) => draftAs(otherLead, { projectId: other.id, cloudId: otherCloud.id, specJson: netSpec(`shared${i}`) })),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await db.vrrpRouterId.findMany({ where: { networkId: "id-of-shared-public" } });
    expect(rows).toHaveLength(16);
    expect(new Set(rows.map((r) => r.scope)).size).toBe(1);
    expect(new Set(rows.map((r) => r.routerId)).size).toBe(16);
    expect(await draftAs(member, { projectId, cloudId, specJson: JSON.stringify({ ...demoSpecInput(), name: "nonet", networks: { ...demoSpecInput().networks, public: { ...demoSpecInput().networks.public, network: "missing" } } }) })).toMatchObject({
      ok: false,
      errors: { "spec.networks.public.network": "The cloud has no network named missing" },
    });
  });

  it("stores the resolved spec (allocated addresses written out) at draft time", async () => {
    const result = (await draftAs(member, { projectId, cloudId, specJson: specWith("resolved") })) as { ok: true; value: { clusterId: string } };
    const row = await db.cluster.findUniqueOrThrow({ where: { id: result.value.clusterId } });
    const resolved = JSON.parse(row.resolvedSpecJson!);
    expect(resolved.networks.public.ips).toEqual(expect.objectContaining({ bootstrap: expect.any(String), master0: expect.any(String), master1: expect.any(String), master2: expect.any(String) }));
    expect(row.publicNetworkId).toBe(`id-of-${demoSpecInput().networks.public.network}`);
  });
});
